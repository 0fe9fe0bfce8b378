"""Pins (SPEC 2.1 "Pinned", docs/rules.md "Pins"): a pinned meeting is held at its pinned
start, host date and room, whichever are given.

It mirrors ``planner/solver/constraints/pins.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.check.plan import Plan
from planner.models.violations import Violation


def pins(plan: Plan) -> Iterator[Violation]:
    """Hard: a pinned meeting is held at its pinned start, host date and room, where given.

    Yields
    ------
    Violation
        ``pin`` for a pinned meeting not held, or held at another start, host date or
        room than pinned (SPEC 2.1 "Pinned").
    """
    for meeting in plan.scenario.meetings:
        pin = meeting.pinned
        if pin is None:
            continue
        if meeting.id not in plan.listed_held:
            yield Violation("pin", meeting.id, "a pinned meeting is not held")
            continue
        held = plan.meetings.get(meeting.id)
        if held is None:
            continue
        if pin.start is not None:
            # a naive pinned start is host time (SPEC 2)
            pinned = pin.start if pin.start.tzinfo else pin.start.replace(tzinfo=plan.host_zone)
            if held.start != pinned:
                yield Violation("pin", meeting.id, f"start is not the pinned {pinned.isoformat()}")
        if pin.date is not None and held.host_date != pin.date:
            yield Violation("pin", meeting.id, f"host date {held.host_date} is not {pin.date}")
        if pin.room is not None and held.room is not None and held.room.id != pin.room:
            yield Violation("pin", meeting.id, f"room {held.room.id} is not the pinned {pin.room}")
