"""Stretch: meetings reaching outside a participant's working hours (SPEC 2.1, soft).

The stretch of every start is known before the model (:mod:`planner.solver.options`),
so starts are grouped by what they cost and each group gets one literal: true exactly
when the meeting starts in that group (and, for an optional participant, when it
attends). The checker's reading is ``planner/check/attendance.py``.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.solver.variables import Context, MeetingVars, Penalties, Variables


def _by_cost(steps: dict[int, int]) -> dict[int, list[int]]:
    """Starts grouped by the stretch steps they cost: one literal per cost, not per start."""
    classes: dict[int, list[int]] = defaultdict(list)
    for slot, cost in steps.items():
        classes[cost].append(slot)
    return classes


def _cost_literal(
    model: cp_model.CpModel,
    meeting: MeetingVars,
    slots: list[int],
    name: str,
    condition: cp_model.IntVar,
) -> cp_model.IntVar:
    """A literal that is true exactly when ``condition`` holds and the start is in ``slots``."""
    literal = model.new_bool_var(name)
    chosen = set(slots)
    elsewhere = [s for s in meeting.options.starts if s not in chosen]
    model.add_implication(literal, condition)
    if elsewhere:
        model.add_linear_expression_in_domain(
            meeting.start, cp_model.Domain.from_values(sorted(chosen))
        ).only_enforce_if(literal)
        model.add_linear_expression_in_domain(
            meeting.start, cp_model.Domain.from_values(elsewhere)
        ).only_enforce_if([literal.Not(), condition])
    else:
        model.add_implication(condition, literal)
    return literal


def add_stretch(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Soft: every started 15 minutes that a meeting reaches outside an attending
    participant's working hours costs ``stretch_per_15m``."""
    weight = context.scenario.objective.stretch_per_15m
    if not weight or not context.scenario.defaults.stretch:
        return []
    penalties: Penalties = []
    for meeting in variables.meetings.values():
        i = meeting.options.index
        for cost, slots in sorted(_by_cost(meeting.options.stretch_steps).items()):
            literal = _cost_literal(model, meeting, slots, f"M{i}_stretch_{cost}", meeting.present)
            penalties.append(("stretch", weight * cost * literal))
        for optional in meeting.options.optional:
            attend = meeting.attend.get(optional.index)
            if attend is None:
                continue
            for cost, slots in sorted(_by_cost(optional.stretch_steps).items()):
                name = f"M{i}_stretch_{optional.participant.country}_{cost}"
                literal = _cost_literal(model, meeting, slots, name, attend)
                penalties.append(("stretch", weight * cost * literal))
    return penalties
