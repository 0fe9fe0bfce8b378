"""The checker's own clock: instants, local days and away windows in plain Python.

Every instant is an aware :class:`~datetime.datetime` converted to UTC before two are
subtracted or compared; local clock times are read with ``fold=0`` (docs/rules.md
"Time"). Nothing here comes from the solver's time grid, so that a slip in one shows
up in the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from planner.models.catalogue import public_holidays
from planner.models.scenario import Participant, Scenario, Unavailable

STRETCH_STEP = timedelta(minutes=15)
"""Stretch is charged per started 15 minutes outside a participant's hours (SPEC 2.1)."""
DAY = timedelta(days=1)


@cache
def zone(name: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` of an IANA name (read once)."""
    return ZoneInfo(name)


def participant_zone(scenario: Scenario, participant: Participant) -> ZoneInfo:
    """Return the zone a participant's hours and local dates are read in: its own
    ``timezone``, else its country's (SPEC 2.1 "Time zones")."""
    return zone(participant.timezone or scenario.parties[participant.country].timezone)


def clock(day: date, minutes: int, where: ZoneInfo) -> datetime:
    """Return the UTC instant ``minutes`` after 00:00 on ``day`` by the wall clock of
    ``where`` (a clock time that does not exist or repeats is read with ``fold=0``)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=where).astimezone(UTC)


def unavailable_span(entry: Unavailable, where: ZoneInfo) -> tuple[datetime, datetime]:
    """Return an away entry as ``[from, to)`` in UTC: a whole date is ``[D 00:00, D+1
    00:00)`` in ``where``, ``{date, hours}`` is ``[D h1, D h2)`` (docs/rules.md "Time")."""
    if entry.hours is None:
        return clock(entry.date, 0, where), clock(entry.date, 24 * 60, where)
    return clock(entry.date, entry.hours.start, where), clock(entry.date, entry.hours.end, where)


def first_overlap(
    entries: Iterable[Unavailable], where: ZoneInfo, start: datetime, end: datetime
) -> Unavailable | None:
    """Return the first away entry that overlaps ``[start, end)``, or ``None``."""
    for entry in entries:
        away_from, away_to = unavailable_span(entry, where)
        if start < away_to and away_from < end:
            return entry
    return None


def describe_away(entry: Unavailable) -> str:
    """Return an away entry as a violation names it: ``2026-12-02 13:00-17:00`` or
    ``2026-12-03 (all day)``."""
    return f"{entry.date} {entry.hours}" if entry.hours else f"{entry.date} (all day)"


def day_off(code: str, observes_holidays: bool, day: date) -> str | None:
    """Return why ``day`` is no working day of ``code``, or ``None`` on a working day.

    Parameters
    ----------
    code
        The party's (or host's) country code, whose public holidays count.
    observes_holidays
        Whether its public holidays are days off (``holidays: auto``).
    day
        A local date of that party.

    Returns
    -------
    str or None
        The weekday's name on a weekend, the holiday's name on a public holiday.
    """
    if day.weekday() >= 5:
        return day.strftime("%A")
    if observes_holidays:
        return public_holidays(code, day.year).get(day)
    return None


def local_text(moment: datetime, where: ZoneInfo) -> str:
    """Return an instant as a local clock reads it: ``Tue 2026-12-01 15:00``."""
    return moment.astimezone(where).strftime("%a %Y-%m-%d %H:%M")


def stretch_steps(outside: timedelta) -> int:
    """Return the started 15-minute steps of time outside working hours (0 for none)."""
    seconds = max(0, int(outside.total_seconds()))
    step = int(STRETCH_STEP.total_seconds())
    return -(-seconds // step)


def parse_instant(value: Any) -> datetime | None:
    """Return an ISO 8601 text with an offset as an aware datetime, else ``None``
    (not text, not ISO 8601, or without an offset)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment
