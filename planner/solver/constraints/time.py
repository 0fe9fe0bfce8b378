"""Meeting dates and lateness (SPEC 2.1 "Time", 2.3 ``lateness``).

A held meeting's date literal is tied to the slot range of that date; the allowed
slots themselves (the window, host hours and working days, required participants'
hours) are filtered before the model (:mod:`planner.solver.options`). Lateness is
read from the date literals. The checker's reading is ``planner/check/time.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables


def add_meeting_dates(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: a held meeting starts at an allowed slot of exactly the host date it is on.

    (Allowed slots already respect the window, host hours and working days, and
    every required participant's hours; see :mod:`planner.solver.options`.)
    """
    for meeting in variables.meetings.values():
        if len(meeting.on_date) == 1:
            continue
        for day, literal in meeting.on_date.items():
            first, last = meeting.options.dates[day]
            model.add_linear_constraint(meeting.start, first, last).only_enforce_if(literal)
    return []


def add_lateness(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Soft: a meeting held after its ``preferred`` date costs ``lateness_per_day`` per day."""
    weight = context.scenario.objective.lateness_per_day
    penalties: Penalties = []
    for meeting in variables.meetings.values():
        preferred = meeting.options.meeting.preferred
        if preferred is None or not weight:
            continue
        for day, literal in meeting.on_date.items():
            late = (day - preferred).days
            if late > 0:
                penalties.append(("lateness", weight * late * literal))
    return penalties
