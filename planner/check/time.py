"""Meeting times (SPEC 2.1 "Time", docs/rules.md "Host"): a meeting starts on a slot, in
its window, within the host's hours of a host working day.

It mirrors ``planner/solver/constraints/time.py`` (and the allowed starts of
``planner/solver/options.py``), reading the window from the data itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from planner.check.clock import clock, local_text
from planner.check.plan import Plan
from planner.models.scenario import Scenario, Window
from planner.models.violations import Violation


def window(scenario: Scenario, activity: Window) -> tuple[date, date]:
    """Return the host dates an activity may take: ``[earliest, latest]`` clipped to the
    horizon, an unset end being the horizon's (SPEC 2.8 "meeting", "action day")."""
    horizon = scenario.horizon
    first = horizon.start if activity.earliest is None else max(activity.earliest, horizon.start)
    last = horizon.end if activity.latest is None else min(activity.latest, horizon.end)
    return first, last


def meeting_time(plan: Plan) -> Iterator[Violation]:
    """Hard: a meeting starts on a slot, in its window, within host hours of a host working day.

    Yields
    ------
    Violation
        ``window`` for a start off the slot grid or a host date outside the window,
        ``holiday`` for a host date that is a weekend or public holiday, ``host_hours``
        for a meeting that reaches outside the host's hours (SPEC 2.1 "Time").
    """
    scenario = plan.scenario
    origin = clock(scenario.horizon.start, 0, plan.host_zone)
    slot = timedelta(minutes=scenario.granularity)
    hours = scenario.host.hours
    for held in plan.meetings.values():
        identifier, day = held.meeting.id, held.host_date
        if (held.start - origin) % slot:
            yield Violation("window", identifier, f"start is not on a {slot} slot boundary")
        first, last = window(scenario, held.meeting)
        if not first <= day <= last:
            yield Violation("window", identifier, f"host date {day} is outside {first}..{last}")
        off = plan.host_day_off(day)
        if off:
            yield Violation("holiday", identifier, f"host date {day} is {off}")
        opens = clock(day, hours.start, plan.host_zone)
        closes = clock(day, hours.end, plan.host_zone)
        if held.start < opens or held.end > closes:
            span = (
                f"{local_text(held.start, plan.host_zone)}-{local_text(held.end, plan.host_zone)}"
            )
            yield Violation("host_hours", identifier, f"{span} is outside host hours {hours}")
