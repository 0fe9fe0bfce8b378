"""Action days and their centres (SPEC 2.2, docs/rules.md "Action days"): the date, the
centre's span and room, and the centre staff pool.

It mirrors ``planner/solver/constraints/action_days.py`` (and the centre dates of
``planner/solver/options.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.check.plan import Plan, Use, overloads
from planner.check.time import window
from planner.models.violations import Violation


def action_day_dates(plan: Plan) -> Iterator[Violation]:
    """Hard: an action day's date is in its window and, unless weekend: true, a working day of
    the host and of each country, none of which is away all day.

    Yields
    ------
    Violation
        ``window``, ``holiday`` or ``unavailable`` (SPEC 2.2).
    """
    scenario = plan.scenario
    for centre in plan.action_days.values():
        action_day, day = centre.action_day, centre.day
        first, last = window(scenario, action_day)
        if not first <= day <= last:
            yield Violation("window", action_day.id, f"date {day} is outside {first}..{last}")
        if action_day.weekend:
            continue
        off = plan.host_day_off(day)
        if off:
            yield Violation("holiday", action_day.id, f"{day} is {off} for the host")
        for code in action_day.countries:
            off = plan.party_day_off(code, day)
            if off:
                yield Violation("holiday", action_day.id, f"{day} is {off} in {code}")
            if any(e.hours is None and e.date == day for e in scenario.parties[code].unavailable):
                yield Violation("unavailable", action_day.id, f"{code} is unavailable on {day}")


def centres(plan: Plan) -> Iterator[Violation]:
    """Hard: a centre opens setup before the first operation, closes at the last one's end,
    and runs in a coordination-centre room, or virtually where allowed.

    Yields
    ------
    Violation
        ``centre`` for a stated span other than the computed one, a virtual centre where
        ``virtual: never``, or a room without ``coordination_centre`` (SPEC 2.2).
    """
    for centre in plan.action_days.values():
        action_day = centre.action_day
        for key, stated, expected in (
            ("centre_open", centre.stated_open, centre.open),
            ("centre_close", centre.stated_close, centre.close),
        ):
            if stated is not None and stated != expected:
                wanted = expected.astimezone(plan.host_zone).isoformat()
                yield Violation("centre", action_day.id, f"{key} should be {wanted}")
        if centre.virtual and action_day.virtual == "never":
            yield Violation("centre", action_day.id, "runs virtually but virtual: never")
        if centre.room is not None and "coordination_centre" not in centre.room.features:
            detail = f"room {centre.room.id} has no coordination_centre"
            yield Violation("centre", action_day.id, detail)


def centre_staff(plan: Plan) -> Iterator[Violation]:
    """Hard: at every instant the open centres, virtual ones too, need at most the staff pool.

    Yields
    ------
    Violation
        ``staff`` for the centre whose opening overdraws ``coordination_centre.staff``
        (SPEC 2.2).
    """
    pool = plan.scenario.coordination_centre.staff
    uses = [
        Use(c.action_day.id, c.open, c.close, c.action_day.staff) for c in plan.action_days.values()
    ]
    for use, open_uses in overloads(uses, pool):
        names = ", ".join(sorted(u.activity for u in open_uses))
        needed = sum(u.weight for u in open_uses)
        yield Violation("staff", use.activity, f"{names} need {needed} staff, pool {pool}")
