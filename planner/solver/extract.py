"""Reading a plan out of a solved model."""

from __future__ import annotations

from collections.abc import Callable
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
