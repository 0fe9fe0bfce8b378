"""Calendars (SPEC 2.7.5, docs/rules.md "Calendars"): no meeting or centre uses a room,
an interpreter or a party while a calendar it names says it is busy.

The loader has already merged each calendar's busy windows into ``unavailable``, where
the other rule families check them. This module reads every ``unavailable_ics`` file
again, itself: its own expansion (``recurring-ical-events`` after ``x-wr-timezone``), its
own reading of free, cancelled, all-day, timed and floating events, its own merging,
all in exact instants, never through the loader's reading (``planner.calendars``). What
it shares with the loader is the reading of the *file* within the input limits
(:mod:`planner.calendar_text`: size, structure, zone names, bounded recurrences), as it
shares :mod:`planner.loading` for plan files. A slip in either reading of what the events
mean then shows up as a violation here.

It mirrors the away windows of ``planner/solver/constraints/rooms.py``,
``interpreters.py`` and the participants' windows of ``planner/solver/options.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import x_wr_timezone
from recurring_ical_events import CalendarQuery

from planner.calendar_text import (
    ExpansionTooLong,
    calendar_problem,
    cpu_limit,
    parse_calendar,
    read_calendar_text,
)
from planner.check.clock import clock, local_text, zone
from planner.check.plan import Plan
from planner.check.rooms import room_uses
from planner.models.limits import MEBIBYTE
from planner.models.scenario import Scenario
from planner.models.violations import Violation

ANY_SIZE = 10_000 * MEBIBYTE
"""The largest calendar read here: the loader has already held each one to
``--max-input-mb`` (whose largest value this is)."""


@dataclass(frozen=True)
class BusyTime:
    """A calendar's busy time, merged: ``[start, end)`` in UTC, and the file it is from."""

    start: datetime
    end: datetime
    file: str


def calendar_unavailability(plan: Plan) -> Iterator[Violation]:
    """Hard: no meeting or centre falls in a busy time of a calendar of its room, of one of
    its interpreters or of an attending party; no action day falls on a date a calendar of
    one of its countries keeps busy all day.

    Yields
    ------
    Violation
        ``unavailable`` for a room or a party, ``interpreter`` for an interpreter, as
        for their ``unavailable`` windows (SPEC 2.1, 2.2).
    """
    scenario = plan.scenario
    busy = _Calendars(scenario)
    for room_id, uses in sorted(room_uses(plan).items()):
        room = scenario.rooms_by_id[room_id]
        for use in uses:
            found = busy.during(room.unavailable_ics, plan.host_zone, use.start, use.end)
            if found is not None:
                detail = f"room {room_id} is busy {_when(found, plan.host_zone)} ({found.file})"
                yield Violation("unavailable", use.activity, detail)
    for held in sorted(plan.meetings.values(), key=lambda h: h.meeting.id):
        people = {i for team in held.interpreters.values() for i in team}
        for interpreter_id in sorted(people):
            interpreter = scenario.interpreters_by_id.get(interpreter_id)
            if interpreter is None:
                continue
            found = busy.during(interpreter.unavailable_ics, plan.host_zone, held.start, held.end)
            if found is not None:
                when = _when(found, plan.host_zone)
                detail = f"{interpreter_id} is busy {when} ({found.file})"
                yield Violation("interpreter", held.meeting.id, detail)
        for participant in held.attending:
            entry = busy.country_entry(participant.country)
            if entry is None:
                continue
            away = zone(scenario.parties[participant.country].timezone)
            found = busy.during(entry, away, held.start, held.end)
            if found is not None:
                detail = f"{participant.country} is busy {_when(found, away)} ({found.file})"
                yield Violation("unavailable", held.meeting.id, detail)
    for centre in sorted(plan.action_days.values(), key=lambda c: c.action_day.id):
        if centre.action_day.weekend:
            continue
        for code in centre.action_day.countries:
            entry = busy.country_entry(code)
            if entry is None:
                continue
            away = zone(scenario.parties[code].timezone)
            found = busy.all_day(entry, away, centre.day)
            if found is not None:
                detail = f"{code} is busy all day on {centre.day} ({found.file})"
                yield Violation("unavailable", centre.action_day.id, detail)


def busy_times(scenario: Scenario, paths: list[str], away: ZoneInfo) -> list[BusyTime]:
    """Return the checker's reading of calendars: their busy times merged, in order, all-day
    events read as whole dates of ``away`` (the zone of whoever is away)."""
    return _Calendars(scenario).busy(paths, away)


class _Calendars:
    """The scenario's calendars, each read once, busy times merged per owner."""

    def __init__(self, scenario: Scenario) -> None:
        """Read nothing yet: a calendar is read when a rule first asks for it."""
        self.scenario = scenario
        self.host_zone = zone(scenario.host.timezone)
        self.read: dict[tuple[tuple[str, ...], str], list[BusyTime]] = {}

    def country_entry(self, code: str) -> list[str] | None:
        """Return the calendars of a party's ``countries`` entry, or ``None`` without any."""
        for entry in self.scenario.countries:
            if entry.code == code and entry.unavailable_ics:
                return list(entry.unavailable_ics)
        return None

    def busy(self, paths: list[str], away: ZoneInfo) -> list[BusyTime]:
        """Return the merged busy times of calendars whose all-day events are dates of
        ``away``."""
        key = (tuple(paths), str(away))
        if key not in self.read:
            spans = [span for path in paths for span in self._busy_of(path, away)]
            self.read[key] = _merged(spans)
        return self.read[key]

    def during(
        self, paths: list[str], away: ZoneInfo, start: datetime, end: datetime
    ) -> BusyTime | None:
        """Return the first busy time of the calendars that overlaps ``[start, end)``."""
        if not paths:
            return None
        for busy in self.busy(paths, away):
            if busy.start < end and start < busy.end:
                return busy
        return None

    def all_day(self, paths: list[str], away: ZoneInfo, day: date) -> BusyTime | None:
        """Return the busy time that covers the whole local ``day`` of ``away``, if any."""
        opens, closes = clock(day, 0, away), clock(day, 24 * 60, away)
        for busy in self.busy(paths, away):
            if busy.start <= opens and closes <= busy.end:
                return busy
        return None

    def _busy_of(self, written: str, away: ZoneInfo) -> list[BusyTime]:
        """Read one calendar's busy occurrences as UTC spans (see the module)."""
        path = Path(written) if Path(written).is_absolute() else Path.cwd() / written
        horizon = self.scenario.horizon
        text = read_calendar_text(path, horizon.start, horizon.end, ANY_SIZE)
        spans: list[BusyTime] = []
        try:
            with cpu_limit():
                calendar = x_wr_timezone.to_standard(parse_calendar(text))
                query = CalendarQuery(calendar)
                after = horizon.start - timedelta(days=2)
                before = horizon.end + timedelta(days=3)
                for occurrence in query.between(after, before):
                    free = str(occurrence.get("TRANSP", "")).upper() == "TRANSPARENT"
                    if free or str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
                        continue
                    start, end = occurrence.start, occurrence.end
                    if isinstance(start, datetime) and isinstance(end, datetime):
                        first, last = self._utc(start), self._utc(end)
                    elif not isinstance(start, datetime) and not isinstance(end, datetime):
                        first = clock(start, 0, away)
                        last = clock(max(end, start + timedelta(days=1)), 0, away)
                    else:
                        continue
                    if last > first:
                        spans.append(BusyTime(first, last, written))
        except ExpansionTooLong:
            raise calendar_problem(path, "expanding its recurrences takes too long") from None
        return spans

    def _utc(self, moment: datetime) -> datetime:
        """Return a calendar time in UTC; a floating one is host time."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=self.host_zone)
        return aware.astimezone(UTC)


def _merged(spans: list[BusyTime]) -> list[BusyTime]:
    """Return busy times with overlapping and touching ones joined, in order."""
    joined: list[BusyTime] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if joined and span.start <= joined[-1].end:
            last = joined[-1]
            joined[-1] = BusyTime(last.start, max(last.end, span.end), last.file)
        else:
            joined.append(span)
    return joined


def _when(busy: BusyTime, where: ZoneInfo) -> str:
    """Return a busy time as a violation names it, in ``where``'s clock."""
    return f"{local_text(busy.start, where)} to {local_text(busy.end, where)}"
