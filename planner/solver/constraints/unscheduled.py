"""Priorities: what leaving an activity out costs, and critical activities (SPEC 2.3).

The ``unscheduled`` weights are the placement level of the objective
(:mod:`planner.solver.levels`); critical activities must be held, through an
assumption literal when an infeasibility is being explained. The checker's reading is
``planner/check/unscheduled.py`` and ``planner/check/placement.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables


def require_held(
    model: cp_model.CpModel, context: Context, present: cp_model.IntVar, rule: str, activity: str
) -> None:
    """Make an activity held; when explaining, through an assumption literal."""
    if context.explain:
        assumption = model.new_bool_var(f"assume_{rule}_{activity}")
        model.add(present == 1).only_enforce_if(assumption)
        context.assumptions.append((assumption, rule, activity))
    else:
        model.add(present == 1)


def add_critical(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: critical meetings and action days are held."""
    for meeting_id, meeting in variables.meetings.items():
        if meeting.options.meeting.priority == "critical":
            require_held(model, context, meeting.present, "critical", meeting_id)
    for action_day_id, action_day in variables.action_days.items():
        if action_day.options.action_day.priority == "critical":
            require_held(model, context, action_day.present, "critical", action_day_id)
    return []


def add_unscheduled(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Soft: an activity that is not held costs the ``unscheduled`` weight of its priority."""
    weights = context.scenario.objective.unscheduled
    penalties: Penalties = []
    for meeting in variables.meetings.values():
        weight = weights.of(meeting.options.meeting.priority)
        if weight:
            penalties.append(("unscheduled", weight * (1 - meeting.present)))
    for action_day in variables.action_days.values():
        weight = weights.of(action_day.options.action_day.priority)
        if weight:
            penalties.append(("unscheduled", weight * (1 - action_day.present)))
    return penalties
