"""Busy windows from calendar files (SPEC 2.7.5): the ``unavailable_ics`` of rooms,
interpreters and countries read into ordinary ``unavailable`` entries.

The loader calls :func:`with_calendars` on a scenario that validated; what it returns is
the same scenario with each calendar's busy windows added to the ``unavailable`` list of
its room, interpreter or country, in that list's own clock (host time for rooms and
interpreters, the country's zone for a country), and each calendar path made absolute.
From there on the solver, the reports and every other reader see ordinary windows: none
of them reads a calendar. The independent checker reads the calendars again, itself
(:mod:`planner.check.calendars`).

How an event becomes windows (docs/rules.md "Calendars"):

- recurring events are expanded by ``recurring-ical-events`` (RRULE, RDATE, EXDATE,
  occurrences moved by RECURRENCE-ID) over the horizon and a day either side; Google's
  ``X-WR-TIMEZONE`` is applied first (``x-wr-timezone``): times written in UTC or
  floating follow that zone;
- an occurrence with ``TRANSP:TRANSPARENT`` (free) or ``STATUS:CANCELLED`` is ignored;
- an all-day event covers its whole dates, in the clock of whoever is away; a timed
  event covers ``[DTSTART, DTEND)`` in its own zone; a floating time (no zone, no
  ``X-WR-TIMEZONE``) is host time;
- the busy time of a calendar is merged (overlapping and touching windows become one)
  and cut at local midnights; a piece that covers a whole local date becomes that
  whole date (it closes the date to action days), any other piece ``{date, hours}``
  with its minutes rounded outwards, so that the entry always covers the busy time;
- entries the list already has are not added again, so that reading a scenario
  written from a loaded one gives the same windows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone

from planner.calendar_text import (
    CalendarText,
    ExpansionTooLong,
    calendar_problem,
    cpu_limit,
    parse_calendar,
    read_calendar_text,
)
from planner.models.problems import InputError, Location, Problem
from planner.models.scenario import Scenario
from planner.models.types import HourRange

CALENDAR_BLOCKS = ("rooms", "interpreters", "countries")
"""The scenario blocks whose entries may name calendars."""

Span = tuple[datetime, datetime]
"""A busy time ``[start, end)``, aware datetimes in UTC."""


@dataclass(frozen=True)
class CalendarSummary:
    """What one calendar gave (``planner validate``)."""

    location: Location
    """Where the scenario names it: ``("rooms", 0, "unavailable_ics", 1)``."""
    owner: str
    """Whose calendar it is: ``room P1``, ``interpreter anna``, ``country PT``."""
    file: str
    """The calendar's path as the scenario writes it."""
    windows: int
    """Busy occurrences that overlap the horizon."""
    ignored: int
    """Free (transparent) or cancelled occurrences that overlap the horizon."""


@dataclass(frozen=True)
class Busy:
    """One occurrence as a calendar states it: whole dates ``[first, end)`` of whoever is
    away, or a timed span."""

    first: date | None = None
    end: date | None = None
    span: Span | None = None

    def in_zone(self, zone: ZoneInfo) -> Span:
        """Return the occurrence as instants, whole dates read in ``zone``."""
        if self.span is not None:
            return self.span
        assert self.first is not None and self.end is not None
        return _midnight(self.first, zone), _midnight(self.end, zone)


def calendar_paths(data: dict[str, Any], block: str, index: int) -> list[str]:
    """Return the calendar paths an entry of plain scenario data names (none if unreadable)."""
    entries = data.get(block)
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    paths = entry.get("unavailable_ics", []) if isinstance(entry, dict) else []
    paths = [paths] if isinstance(paths, str) else paths
    return [path for path in paths if isinstance(path, str)] if isinstance(paths, list) else []


def with_calendars(
    scenario: Scenario, base: Path, max_bytes: int
) -> tuple[Scenario, list[CalendarSummary], list[Problem]]:
    """Return the scenario with its calendars' busy windows added (see the module).

    Parameters
    ----------
    scenario
        A validated scenario.
    base
        The folder relative calendar paths are read from: the scenario file's.
    max_bytes
        The largest calendar file read (SPEC 2.7.4).

    Returns
    -------
    tuple of (Scenario, list of CalendarSummary, list of Problem)
        The scenario with the windows (unchanged when it names no calendar), what each
        calendar gave, and every calendar that cannot be read, located at its path in
        the scenario, the message naming the file and its line.
    """
    data = scenario.model_dump(by_alias=True, exclude_defaults=True)
    host_zone = ZoneInfo(scenario.host.timezone)
    summaries: list[CalendarSummary] = []
    problems: list[Problem] = []
    owners = {
        "rooms": [(f"room {room.id}", host_zone) for room in scenario.rooms],
        "interpreters": [(f"interpreter {i.id}", host_zone) for i in scenario.interpreters],
        "countries": [
            (f"country {entry.code}", ZoneInfo(scenario.parties[entry.code].timezone))
            if entry.code in scenario.parties
            else (f"country {entry.code}", host_zone)
            for entry in scenario.countries
        ],
    }
    changed = False
    for block in CALENDAR_BLOCKS:
        for index, (owner, zone) in enumerate(owners[block]):
            paths = calendar_paths(data, block, index)
            if not paths:
                continue
            busy: list[Span] = []
            for number, written in enumerate(paths):
                location: Location = (block, index, "unavailable_ics", number)
                path = _resolved(written, base)
                try:
                    read = read_busy(path, scenario, max_bytes)
                except InputError as error:
                    problems += [_located(location, written, p) for p in error.problems]
                    continue
                spans = [occurrence.in_zone(zone) for occurrence in read.busy]
                busy += spans
                windows = sum(1 for span in spans if _overlaps(span, _horizon(scenario)))
                summaries.append(
                    CalendarSummary(location, owner, written, windows, read.ignored_in(zone))
                )
            entry = data[block][index]
            entry["unavailable_ics"] = [str(_resolved(p, base)) for p in paths]
            declared = list(entry.get("unavailable", []))
            known = {_key(item) for item in declared}
            for window in unavailable_entries(busy, zone, scenario):
                if _key(window) not in known:
                    known.add(_key(window))
                    declared.append(window)
            entry["unavailable"] = declared
            changed = True
    if problems or not changed:
        return scenario, summaries, problems
    return Scenario.model_validate(data), summaries, problems


@dataclass(frozen=True)
class CalendarReading:
    """The occurrences one calendar states near the horizon."""

    busy: list[Busy]
    ignored: list[Busy]
    horizon: Span

    def ignored_in(self, zone: ZoneInfo) -> int:
        """Return how many ignored (free or cancelled) occurrences overlap the horizon."""
        return sum(
            1 for occurrence in self.ignored if _overlaps(occurrence.in_zone(zone), self.horizon)
        )


def read_busy(path: Path, scenario: Scenario, max_bytes: int) -> CalendarReading:
    """Read a calendar's occurrences over the scenario's horizon and a day either side.

    Raises
    ------
    InputError
        Naming the calendar file, with the line of the problem: the input limits, a
        broken structure or property (:mod:`planner.calendar_text`), a recurrence that
        takes too long to expand.
    """
    first_day = scenario.horizon.start - timedelta(days=1)
    last_day = scenario.horizon.end + timedelta(days=1)
    text = read_calendar_text(path, scenario.horizon.start, scenario.horizon.end, max_bytes)
    host_zone = ZoneInfo(scenario.host.timezone)
    busy: list[Busy] = []
    ignored: list[Busy] = []
    series_line = 0
    try:
        with cpu_limit():
            parsed = x_wr_timezone.to_standard(parse_calendar(text))
            for line, components in _series(parsed, text):
                series_line = line
                query = recurring_ical_events.of(components)
                for occurrence in query.between(first_day, last_day + timedelta(days=1)):
                    stated = _stated(occurrence, host_zone)
                    if stated is None:
                        continue
                    (ignored if _is_free(occurrence) else busy).append(stated)
    except ExpansionTooLong:
        message = "expanding this event's recurrences takes too long (does it ever occur?)"
        raise calendar_problem(path, message, series_line or None) from None
    except (ValueError, KeyError, TypeError) as error:
        message = f"the event cannot be expanded: {error}"
        raise calendar_problem(path, message, series_line or None) from None
    return CalendarReading(busy, ignored, _horizon(scenario))


def _series(
    parsed: icalendar.Calendar, text: CalendarText
) -> Iterator[tuple[int, icalendar.Calendar]]:
    """Yield each recurring series (its events, moved occurrences included) as a calendar of
    its own with the line of its first event, then every single event together."""
    by_uid: dict[str, list[icalendar.Component]] = {}
    lines: dict[str, int] = {}
    singles = icalendar.Calendar()
    single_line = 0
    for event, where in zip(parsed.walk("VEVENT"), text.events, strict=False):
        uid = str(event.get("UID", ""))
        if uid and (event.get("RRULE") or event.get("RDATE") or event.get("RECURRENCE-ID")):
            by_uid.setdefault(uid, []).append(event)
            lines.setdefault(uid, where.line_of("RRULE"))
        else:
            singles.add_component(event)
            single_line = single_line or where.begin
    for uid, events in by_uid.items():
        series = icalendar.Calendar()
        for event in events:
            series.add_component(event)
        yield lines[uid], series
    yield single_line, singles


def _stated(occurrence: icalendar.Event, host_zone: ZoneInfo) -> Busy | None:
    """Return an occurrence as whole dates or a timed span; ``None`` when it takes no time."""
    start, end = occurrence.start, occurrence.end
    if isinstance(start, datetime):
        if not isinstance(end, datetime):
            return None  # RFC 5545 wants both ends of one kind; a mix blocks nothing sure
        begins, ends = _instant(start, host_zone), _instant(end, host_zone)
        return Busy(span=(begins, ends)) if ends > begins else None
    last = end if isinstance(end, date) and not isinstance(end, datetime) else start
    return Busy(first=start, end=max(last, start + timedelta(days=1)))


def _instant(moment: datetime, host_zone: ZoneInfo) -> datetime:
    """Return an aware instant in UTC; a floating time is host time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=host_zone)).astimezone(UTC)


def _is_free(occurrence: icalendar.Event) -> bool:
    """Whether an occurrence blocks nothing: free (transparent) or cancelled."""
    transparency = str(occurrence.get("TRANSP", "OPAQUE")).strip().upper()
    status = str(occurrence.get("STATUS", "")).strip().upper()
    return transparency == "TRANSPARENT" or status == "CANCELLED"


def unavailable_entries(
    busy: Iterable[Span], zone: ZoneInfo, scenario: Scenario
) -> list[dict[str, str]]:
    """Return busy time as ``unavailable`` entries in ``zone``'s clock (see the module):
    merged, cut at local midnights, whole dates where a date is covered, minutes rounded
    outwards; only the local dates from the day before the horizon to the day after."""
    first = _midnight(scenario.horizon.start - timedelta(days=1), zone)
    last = _midnight(scenario.horizon.end + timedelta(days=2), zone)
    entries: list[dict[str, str]] = []
    for start, end in merged_spans(busy, first, last):
        day = start.astimezone(zone).date()
        while _midnight(day, zone) < end:
            opens, closes = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
            piece = (max(start, opens), min(end, closes))
            if piece == (opens, closes):
                entries.append({"date": day.isoformat()})
            elif piece[0] < piece[1]:
                hours = _covering_hours(day, piece, zone)
                entries.append({"date": day.isoformat(), "hours": str(hours)})
            day += timedelta(days=1)
    return entries


def merged_spans(busy: Iterable[Span], first: datetime, last: datetime) -> list[Span]:
    """Return the busy spans clipped to ``[first, last)``, overlapping and touching ones
    merged, in order."""
    clipped = sorted((max(s, first), min(e, last)) for s, e in busy if s < last and e > first)
    merged: list[Span] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covering_hours(day: date, piece: Span, zone: ZoneInfo) -> HourRange:
    """Return the hours of ``day`` whose reading (wall clock in ``zone``, ``fold=0``, as
    docs/rules.md reads every entry) covers ``piece``: the start rounded down to the
    minute, the end rounded up, and past a repeated hour when the end falls in it."""
    start = piece[0].astimezone(zone)
    start_minute = start.hour * 60 + start.minute  # fold=0 reads it at or before the start
    if piece[1] >= _midnight(day + timedelta(days=1), zone):
        return HourRange(start_minute, 24 * 60)
    end = piece[1].astimezone(zone)
    end_minute = end.hour * 60 + end.minute + (1 if end.second or end.microsecond else 0)
    while end_minute < 24 * 60 and _wall(day, end_minute, zone) < piece[1]:
        end_minute += 1  # an end in the second pass of a repeated hour
    return HourRange(start_minute, max(end_minute, start_minute + 1))


def _wall(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Return the instant of a wall-clock time of ``day`` in ``zone`` (``fold=0``)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """Return 00:00 of ``day`` in ``zone`` as an instant in UTC."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _horizon(scenario: Scenario) -> Span:
    """Return the horizon's host dates as instants: ``[start 00:00, end + 1 00:00)``."""
    zone = ZoneInfo(scenario.host.timezone)
    return _midnight(scenario.horizon.start, zone), _midnight(
        scenario.horizon.end + timedelta(days=1), zone
    )


def _overlaps(span: Span, other: Span) -> bool:
    """Whether two spans share an instant."""
    return span[0] < other[1] and other[0] < span[1]


def _key(entry: Any) -> tuple[str, str | None]:
    """Return an ``unavailable`` entry of plain data as a comparable key."""
    if isinstance(entry, dict):
        hours = entry.get("hours")
        return str(entry.get("date")), None if hours is None else str(hours)
    return str(entry), None


def _resolved(written: str, base: Path) -> Path:
    """Return a calendar path as read: relative ones from ``base``, ``~`` not expanded."""
    path = Path(written)
    return path if path.is_absolute() else Path(os.path.normpath(base / path))


def _located(location: Location, written: str, problem: Problem) -> Problem:
    """Return a calendar's problem at the scenario's path to it, naming the file and line."""
    where = f"{written}, line {problem.line}" if problem.line else written
    return Problem(location, f"{where}: {problem.message}")
