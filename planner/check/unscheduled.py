"""Activities left out (SPEC 2.1 "Priority", 2.2): critical ones must be held.

It mirrors ``planner/solver/constraints/unscheduled.py``; what the others cost when
left out is recomputed with the objective (:mod:`planner.check.objective`).
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.check.plan import Plan
from planner.models.scenario import ActionDay, Meeting
from planner.models.violations import Violation


def critical(plan: Plan) -> Iterator[Violation]:
    """Hard: every critical meeting and action day is held.

    Yields
    ------
    Violation
        ``critical`` per critical activity not listed as placed (SPEC 2.1 "Priority").
    """
    activities: list[Meeting | ActionDay] = [*plan.scenario.meetings, *plan.scenario.action_days]
    for activity in activities:
        if activity.priority == "critical" and activity.id not in plan.listed_held:
            yield Violation("critical", activity.id, "a critical activity is not held")
