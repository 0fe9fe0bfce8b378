"""Rooms: one suitable room per meeting or centre, never two uses too close together.

A literal per candidate room class of a meeting (identical rooms are booked as a
class, :func:`planner.solver.options.room_classes`); each use of a class is an
optional interval lasting its activity plus ``room_buffer``, and a class holds as many
at once as it has rooms (a cumulative; a no-overlap for one room). Rooms are named
after solving (:func:`planner.solver.plan.assign_rooms`). The checker's reading is
``planner/check/rooms.py``.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.models.scenario import BOOTHS, VIDEOCONFERENCE
from planner.solver.variables import Context, Penalties, Variables


def add_meeting_rooms(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: a held meeting has exactly one room that seats every invited in-person
    delegate plus host staff, has the features its attending participants need, and is
    not unavailable during the meeting."""
    for meeting in variables.meetings.values():
        options = meeting.options
        model.add_exactly_one([*meeting.room.values(), meeting.present.Not()])
        for room_id, starts in options.rooms.items():
            if starts is not None:
                model.add_linear_expression_in_domain(
                    meeting.start, cp_model.Domain.from_values(sorted(starts))
                ).only_enforce_if(meeting.room[room_id])
        participants = options.meeting.participants
        wl = options.meeting.working_language
        for position, attend in meeting.attend.items():
            p = participants[position]
            needs = []
            if p.attendance == "video":
                needs.append(VIDEOCONFERENCE)
            elif p.language and p.language != wl:
                needs.append(BOOTHS)
            for feature in needs:
                for room_id in options.rooms_without.get(feature, ()):
                    model.add_bool_or([attend.Not(), meeting.room[room_id].Not()])
    return []


def add_room_conflicts(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard: two uses of one room (meetings or centres) are at least ``room_buffer`` apart.

    Each use occupies its room from its start to its end plus the buffer; a class of
    interchangeable rooms holds as many uses at once as it has rooms.
    """
    buffer = context.scenario.defaults.room_buffer
    uses: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for meeting in variables.meetings.values():
        i = meeting.options.index
        for room_id, literal in meeting.room.items():
            uses[room_id].append(
                model.new_optional_fixed_size_interval_var(
                    meeting.start_minute,
                    meeting.options.duration + buffer,
                    literal,
                    f"M{i}_in_{room_id}",
                )
            )
    for action_day in variables.action_days.values():
        i = action_day.options.index
        for centre in action_day.options.dates:
            for room_id in centre.rooms:
                uses[room_id].append(
                    model.new_optional_fixed_size_interval_var(
                        centre.open,
                        centre.close - centre.open + buffer,
                        action_day.room[centre.date, room_id],
                        f"A{i}_{centre.date:%Y%m%d}_in_{room_id}",
                    )
                )
    for room_class, intervals in uses.items():
        size = len(context.room_classes[room_class])
        if len(intervals) <= size:
            continue
        if size == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), size)
    return []
