"""The objective, recomputed (SPEC 2.3, docs/rules.md "Objective terms"): every term but
``moves`` (which needs the baseline, :mod:`planner.check.baseline`) from the plan
itself, and the file's terms, sum and bound checked against them.

It mirrors ``planner/solver/objective.py`` and the soft rules of
``planner/solver/constraints/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from planner.check.attendance import attendance_problem
from planner.check.links import link_spread_days
from planner.check.plan import Plan
from planner.models.scenario import ActionDay, Meeting
from planner.models.schedule import TERM_NAMES
from planner.models.violations import Violation

TERMS = TERM_NAMES
"""The objective terms of SPEC 2.3, in output order."""


def expected_terms(plan: Plan) -> dict[str, int]:
    """Recompute every objective term except ``moves`` (which needs the baseline).

    Returns
    -------
    dict of str to int
        ``unscheduled`` (the weight of each activity listed as left out, by priority),
        ``lateness``, ``stretch``, ``optional_absent``, ``link_spread`` and
        ``virtual_centre``, each at its weight.
    """
    scenario, weights = plan.scenario, plan.scenario.objective
    activities: list[Meeting | ActionDay] = [*scenario.meetings, *scenario.action_days]
    unscheduled = sum(
        int(getattr(weights.unscheduled, a.priority))
        for a in activities
        if a.id in plan.unscheduled
    )
    lateness = stretch = absent = 0
    for held in plan.meetings.values():
        preferred = held.meeting.preferred
        if preferred is not None:
            lateness += max(0, (held.host_date - preferred).days)
        absent += len(held.absent)
        for participant in held.attending:
            stretch += attendance_problem(plan, participant, held.start, held.end)[2]
    spread_days = link_spread_days(plan)
    virtual = sum(1 for c in plan.action_days.values() if c.virtual)
    return {
        "unscheduled": unscheduled,
        "lateness": weights.lateness_per_day * lateness,
        "stretch": weights.stretch_per_15m * stretch,
        "optional_absent": weights.optional_absent * absent,
        "link_spread": weights.link_spread_per_day * spread_days,
        "virtual_centre": weights.virtual_centre * virtual,
    }


def is_int(value: Any) -> bool:
    """Return whether a JSON value is an integer (``true`` and ``false`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def objective(plan: Plan, schedule: Mapping[str, Any]) -> Iterator[Violation]:
    """Check the file's ``terms``, ``objective``, ``bound`` and levels: exactly the terms of
    SPEC 2.3, each a non-negative integer equal to its recomputed value (``moves``
    aside), the objective their sum, the bound a number at most the objective, and the
    two levels of :func:`levels`."""
    terms = schedule.get("terms")
    if not isinstance(terms, Mapping):
        yield Violation("objective", "", "terms must be an object")
        return
    if set(terms) != set(TERMS):
        yield Violation("objective", "", f"terms must be exactly {', '.join(TERMS)}")
    values = {name: terms[name] for name in TERMS if name in terms}
    for name, value in values.items():
        if not (is_int(value) and value >= 0):
            yield Violation(
                "objective", "", f"term {name} is {value!r}, not a non-negative integer"
            )
    total = schedule.get("objective")
    if not is_int(total):
        yield Violation("objective", "", f"objective is {total!r}, not an integer")
    elif all(is_int(v) for v in values.values()) and total != sum(values.values()):
        yield Violation("objective", "", f"objective {total} is not the sum of its terms")
    bound = schedule.get("bound")
    bound_is_number = isinstance(bound, int | float) and not isinstance(bound, bool)
    if bound is not None and not (
        bound_is_number and (not isinstance(total, int) or bound <= total)
    ):
        yield Violation("objective", "", f"bound {bound!r} is not a number <= the objective")
    for name, expected in expected_terms(plan).items():
        if name in values and values[name] != expected:
            detail = f"term {name} is {values[name]!r}, recomputed {expected}"
            yield Violation("objective", "", detail)
    # files written before the two levels (v1.1) carry no score: nothing to compare
    if (
        "score" in schedule
        and all(is_int(v) for v in values.values())
        and set(values) == set(TERMS)
    ):
        yield from levels(schedule, values)


def levels(schedule: Mapping[str, Any], terms: Mapping[str, int]) -> Iterator[Violation]:
    """Check the two levels (SPEC 2.3): ``score`` is ``unscheduled`` (placement) and the sum
    of the other terms (preference); ``score_bound`` bounds it level by level (placement
    at most the plan's, preference at most the plan's when placement is equal) and sums
    to ``bound``; ``optimal`` only when both levels are reached."""
    placement = terms["unscheduled"]
    preference = sum(value for name, value in terms.items() if name != "unscheduled")
    score, bound = schedule.get("score"), schedule.get("score_bound")
    if score != {"placement": placement, "preference": preference}:
        detail = f"score {score!r} is not placement {placement}, preference {preference}"
        yield Violation("objective", "", detail)
        return
    if not (
        isinstance(bound, Mapping)
        and set(bound) == {"placement", "preference"}
        and all(is_int(v) for v in bound.values())
    ):
        yield Violation("objective", "", f"score_bound {bound!r} is not two integer levels")
        return
    least, preferred = bound["placement"], bound["preference"]
    if least > placement or (least == placement and preferred > preference):
        detail = f"score_bound {dict(bound)} is above the score {score}"
        yield Violation("objective", "", detail)
    if schedule.get("bound") != least + preferred:
        yield Violation("objective", "", "bound is not the sum of score_bound's levels")
    proven = least == placement and preferred == preference
    if schedule.get("status") == "optimal" and not proven:
        yield Violation("objective", "", "status optimal, but the bound does not reach the score")
