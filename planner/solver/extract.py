"""Reading a plan out of a solved model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from planner.models.schedule import ActionDayPlacement, LocalTimes, MeetingPlacement
from planner.solver.variables import Context, Variables

Value = Callable[[Any], int]
"""``solver.value``: the value of a variable or linear expression in the solution."""


def extract_meetings(
    variables: Variables, context: Context, value: Value
) -> list[MeetingPlacement]:
    """The held meetings, in the scenario's order."""
    grid = context.grid
    host = context.scenario.host.country
    placements = []
    for meeting_id, meeting in variables.meetings.items():
        if not value(meeting.present):
            continue
        options = meeting.options
        begin = grid.slot_minute(value(meeting.start))
        end = begin + options.duration
        room = next(r for r, literal in meeting.room.items() if value(literal))
        interpreters: dict[str, list[str]] = {}
        for (language, interpreter_id), literal in meeting.interpreter.items():
            if value(literal):
                interpreters.setdefault(language, []).append(interpreter_id)
        absent = [
            p.country
            for position, p in enumerate(options.meeting.participants)
            if not p.required
            and not (position in meeting.attend and value(meeting.attend[position]))
        ]
        local = {
            p.country: LocalTimes(
                grid.at(begin, context.scenario.participant_timezone(p)),
                grid.at(end, context.scenario.participant_timezone(p)),
            )
            for p in options.meeting.participants
            if p.country != host
        }
        placements.append(
            MeetingPlacement(
                id=meeting_id,
                case=options.meeting.case,
                start=grid.at(begin),
                end=grid.at(end),
                room=room,
                interpreters={k: sorted(v) for k, v in sorted(interpreters.items())},
                absent=absent,
                local=local,
            )
        )
    placements.sort(key=lambda p: (p.start, context.scenario.meetings_by_id[p.id].id))
    return placements


def extract_action_days(
    variables: Variables, context: Context, value: Value
) -> list[ActionDayPlacement]:
    """The held action days with their centres."""
    grid = context.grid
    placements = []
    for action_day_id, action_day in variables.action_days.items():
        if not value(action_day.present):
            continue
        centre = next(c for c in action_day.options.dates if value(action_day.on_date[c.date]))
        room = next(
            (r for r in centre.rooms if value(action_day.room[centre.date, r])),
            None,
        )
        operations = {
            code: LocalTimes(
                grid.at(begin, context.scenario.parties[code].timezone),
                grid.at(end, context.scenario.parties[code].timezone),
            )
            for code, (begin, end) in centre.operations.items()
        }
        placements.append(
            ActionDayPlacement(
                id=action_day_id,
                case=action_day.options.action_day.case,
                date=centre.date,
                centre_open=grid.at(centre.open),
                centre_close=grid.at(centre.close),
                room=room,
                operations=operations,
            )
        )
    placements.sort(key=lambda p: (p.centre_open, p.id))
    return placements


def assign_rooms(
    context: Context,
    meetings: list[MeetingPlacement],
    action_days: list[ActionDayPlacement],
) -> tuple[list[MeetingPlacement], list[ActionDayPlacement]]:
    """Turn booked room classes into rooms.

    The model keeps at most as many uses of a class at once as it has rooms (each use
    lasting to its end plus the room buffer). Taking the uses by start time and giving
    each the first room that is free again is then always possible: intervals need
    no more rooms than the most that overlap.
    """
    grid = context.grid
    buffer = context.scenario.defaults.room_buffer
    uses: dict[str, list[tuple[int, int, str]]] = {}
    for m in meetings:
        uses.setdefault(m.room, []).append((grid.minute(m.start), grid.minute(m.end), m.id))
    for a in action_days:
        if a.room is not None:
            span = (grid.minute(a.centre_open), grid.minute(a.centre_close))
            uses.setdefault(a.room, []).append((*span, a.id))
    room_of: dict[str, str] = {}
    for room_class, class_uses in uses.items():
        free_from = dict.fromkeys(context.room_classes[room_class], -(10**9))
        for begin, end, activity in sorted(class_uses):
            room = next(r for r, free in free_from.items() if free <= begin)
            room_of[activity] = room
            free_from[room] = end + buffer
    return (
        [replace(m, room=room_of[m.id]) for m in meetings],
        [replace(a, room=room_of[a.id]) if a.room is not None else a for a in action_days],
    )
