"""Order (SPEC 2.1 "Order", 2.2 ``prepared_by``; docs/rules.md "Order"): a held activity's
predecessors are held, and it starts at least their gap after they end.

It mirrors ``planner/solver/constraints/order.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from planner.check.plan import Plan
from planner.models.scenario import Predecessor
from planner.models.violations import Violation


def order(plan: Plan) -> Iterator[Violation]:
    """Hard: a held meeting or action day starts at least gap after each predecessor ends,
    and each predecessor is held.

    Yields
    ------
    Violation
        ``order`` for a predecessor not held, or one that ends too late (an action day
        counts from its centre's opening; SPEC 2.1 "Order", 2.2).
    """
    activities: list[tuple[str, list[Predecessor], datetime]] = [
        (h.meeting.id, h.meeting.after, h.start) for h in plan.meetings.values()
    ]
    activities += [
        (c.action_day.id, c.action_day.prepared_by, c.open) for c in plan.action_days.values()
    ]
    for identifier, predecessors, start in activities:
        for predecessor in predecessors:
            other = predecessor.meeting
            if other not in plan.listed_held:
                yield Violation("order", identifier, f"predecessor {other} is not held")
                continue
            before = plan.meetings.get(other)
            gap = timedelta(minutes=predecessor.gap)
            if before is not None and start < before.end + gap:
                detail = f"starts {start - before.end} after {other} ends, gap {gap} needed"
                yield Violation("order", identifier, detail)
