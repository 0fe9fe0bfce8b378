"""National desks (SPEC 2.1 "National desks", docs/rules.md "Desks"): at every instant a
party takes part in at most ``desk_capacity`` activities.

It mirrors ``planner/solver/constraints/desks.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.check.plan import HeldMeeting, Plan, Use, overloads
from planner.models.violations import Violation


def desk_full(plan: Plan, code: str, held: HeldMeeting) -> bool:
    """Return whether a party's other activities fill its desk at some instant of a
    meeting (reason (b) for an optional participant's absence)."""
    others = [
        Use(u.activity, max(u.start, held.start), min(u.end, held.end))
        for u in plan.desk_uses.get(code, [])
        if u.activity != held.meeting.id and u.start < held.end and held.start < u.end
    ]
    capacity = plan.scenario.parties[code].desk_capacity
    return any(True for _ in overloads(others, capacity - 1))


def desks(plan: Plan) -> Iterator[Violation]:
    """Hard: at every instant a party takes part in at most its desk_capacity activities.

    Yields
    ------
    Violation
        ``desk_capacity`` for the activity whose start overfills a party's desk, naming
        every activity the desk is in then (SPEC 2.1 "National desks").
    """
    for code, uses in sorted(plan.desk_uses.items()):
        capacity = plan.scenario.parties[code].desk_capacity
        for use, open_uses in overloads(uses, capacity):
            names = ", ".join(sorted(u.activity for u in open_uses))
            yield Violation(
                "desk_capacity", use.activity, f"{code} desk ({capacity}) is in {names} at once"
            )
