"""Linked investigations: planned together (SPEC 2.4).

``same_day`` action days are tied date by date; ``soft`` ones, and linked meetings that
share a country, pay ``link_spread_per_day`` per day apart (beyond
``links.meetings_within`` for meetings), read from each activity's day number. Pairs
come from :func:`planner.solver.plan.linked_meeting_pairs` and
:func:`~planner.solver.plan.linked_action_day_pairs`, so that the search's valuation
and the bounds count the same pairs. The checker's reading is ``planner/check/links.py``.
"""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from planner.solver.plan import linked_action_day_pairs, linked_meeting_pairs
from planner.solver.variables import ActionDayVars, Context, MeetingVars, Penalties, Variables


def _day_number(context: Context, day: date) -> int:
    """The number of a date in the horizon (its first date is 0)."""
    return (day - context.scenario.horizon.start).days


def _days_apart(
    model: cp_model.CpModel,
    context: Context,
    first: MeetingVars | ActionDayVars,
    second: MeetingVars | ActionDayVars,
    name: str,
) -> cp_model.IntVar:
    """Days between two activities' dates when both are held, else 0 (exactly)."""
    horizon = context.scenario.horizon.days
    difference = model.new_int_var(-horizon, horizon, f"{name}_difference")
    both = [first.present, second.present]
    model.add(difference == first.day - second.day).only_enforce_if(both)
    model.add(difference == 0).only_enforce_if(first.present.Not())
    model.add(difference == 0).only_enforce_if(second.present.Not())
    apart = model.new_int_var(0, horizon, f"{name}_apart")
    model.add_abs_equality(apart, difference)
    return apart


def add_linked_action_days(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard (``links.action_days: same_day``): two held action days of linked cases with
    overlapping windows take place on the same date.

    Soft (``soft``): instead, each day between their dates costs ``link_spread_per_day``.
    """
    mode = context.scenario.links.action_days
    weight = context.scenario.objective.link_spread_per_day
    penalties: Penalties = []
    if mode == "ignore":
        return penalties
    for first_id, second_id in linked_action_day_pairs(context):
        first = variables.action_days[first_id]
        second = variables.action_days[second_id]
        if mode == "same_day":
            for day, literal in first.on_date.items():
                other = second.on_date.get(day)
                if other is None:
                    model.add_bool_or([literal.Not(), second.present.Not()])
                else:
                    model.add_implication(literal, other).only_enforce_if(second.present)
        elif weight:
            name = f"A{first.options.index}_A{second.options.index}"
            penalties.append(
                ("link_spread", weight * _days_apart(model, context, first, second, name))
            )
    return penalties


def add_linked_meetings(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Soft: two held meetings of linked cases that share a country cost
    ``link_spread_per_day`` for each day between them beyond ``links.meetings_within``."""
    weight = context.scenario.objective.link_spread_per_day
    if not weight or not context.cluster_of:
        return []
    within = context.scenario.links.meetings_within // (24 * 60)
    penalties: Penalties = []
    for first_id, second_id in linked_meeting_pairs(context):
        first = variables.meetings[first_id]
        second = variables.meetings[second_id]
        first_days = [_day_number(context, d) for d in first.on_date]
        second_days = [_day_number(context, d) for d in second.on_date]
        widest = max(abs(a - b) for a in first_days for b in second_days)
        if widest <= within:
            continue  # never costs anything
        name = f"M{first.options.index}_M{second.options.index}"
        apart = _days_apart(model, context, first, second, name)
        excess = model.new_int_var(0, widest, f"{name}_beyond")
        model.add_max_equality(excess, [0, apart - within])
        penalties.append(("link_spread", weight * excess))
    return penalties
