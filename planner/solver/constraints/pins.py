"""Pinned meetings: held exactly as pinned (SPEC 2.1).

A pin holds the meeting; its start, date or room (whichever are given) are already
the only options left (:mod:`planner.solver.options`). The checker's reading is
``planner/check/pins.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.constraints.unscheduled import require_held
from planner.solver.variables import Context, Penalties, Variables


def add_pins(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: a pinned meeting is held at its pinned start, on its pinned date, in its pinned
    room, whichever are given.

    The options already hold only the pinned start, date and room; this makes the
    meeting held. Activities fixed by an earlier block of a solve in blocks are held too.
    """
    for meeting_id, meeting in variables.meetings.items():
        if meeting.options.meeting.pinned is not None:
            require_held(model, context, meeting.present, "pin", meeting_id)
        elif meeting_id in context.fixed:
            model.add(meeting.present == 1)
    for action_day_id, action_day in variables.action_days.items():
        if action_day_id in context.fixed:
            model.add(action_day.present == 1)
    return []
