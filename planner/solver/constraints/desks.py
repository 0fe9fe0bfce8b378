"""National desks: how many activities a party takes part in at once (SPEC 2.1).

Each party's desk is a cumulative (a no-overlap at capacity 1) over the intervals of
the meetings its required participants attend, the optional attendances (intervals
present when the participant attends) and its action days' centres. The checker's
reading is ``planner/check/desks.py``.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables


def add_desk_capacity(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: at any moment a party takes part in at most ``desk_capacity`` activities
    (meetings of its required participants, meetings its optional participants attend,
    and the centres of its action days)."""
    activities: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for meeting in variables.meetings.values():
        i = meeting.options.index
        for position, participant in enumerate(meeting.options.meeting.participants):
            if participant.required:
                activities[participant.country].append(meeting.interval)
            elif position in meeting.attend:
                activities[participant.country].append(
                    model.new_optional_fixed_size_interval_var(
                        meeting.start_minute,
                        meeting.options.duration,
                        meeting.attend[position],
                        f"M{i}_{participant.country}_attends",
                    )
                )
    for action_day in variables.action_days.values():
        for code in action_day.options.action_day.countries:
            activities[code].extend(action_day.centre.values())
    for code, intervals in activities.items():
        capacity = context.scenario.parties[code].desk_capacity
        if len(intervals) <= capacity:
            continue
        if capacity == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), capacity)
    return []
