"""The time grid: one place that maps between host datetimes, minutes, slots and
every party's local time, with real IANA rules per date.

Times are counted in elapsed minutes from 00:00 host time on the horizon's
first date (the *origin*); slot ``k`` starts at minute ``k * granularity``.
Elapsed minutes, not clock minutes: a host date on which the clocks go back
has 25 hours, and a meeting of 2 h always lasts 120 minutes.

From the grid come the sets of minutes when a party, a room or an interpreter
may be used, and the start slots a meeting may take. Everything that the
solver needs to know about time zones, weekends, holidays and working hours is
turned into these integer sets here, before any model is built.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from planner.models.catalogue import public_holidays
from planner.models.scenario import (
    Interpreter,
    Meeting,
    Participant,
    Party,
    Room,
    Scenario,
    Unavailable,
)
from planner.models.types import HourRange

Span = tuple[int, int]
"""A half-open range of minutes ``[start, end)`` from the origin."""

STRETCH_STEP = 15
"""Stretch is charged per started 15 minutes, whatever the granularity."""


@dataclass(frozen=True)
class WorkSpan:
    """When a party can take part on one of its local working dates.

    ``[start, end)`` may reach ``stretch`` beyond ``[work_start, work_end)``,
    the working hours proper, and has unavailable windows cut out of it.
    """

    start: int
    end: int
    work_start: int
    work_end: int
    local_date: date

    def stretch_steps(self, start: int, end: int) -> int:
        """Started 15-minute steps that ``[start, end)`` lies outside the working hours."""
        before = max(0, self.work_start - start)
        after = max(0, end - self.work_end)
        return -(-before // STRETCH_STEP) - (-after // STRETCH_STEP)


def day_range(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def subtract(spans: Iterable[Span], holes: Sequence[Span]) -> list[Span]:
    """Return ``spans`` minus ``holes`` (both half-open)."""
    result: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            next_pieces = []
            for a, b in pieces:
                if hole_end <= a or b <= hole_start:
                    next_pieces.append((a, b))
                    continue
                if a < hole_start:
                    next_pieces.append((a, hole_start))
                if hole_end < b:
                    next_pieces.append((hole_end, b))
            pieces = next_pieces
        result.extend(pieces)
    return result


def merge_ranges(ranges: Iterable[Span]) -> list[Span]:
    """Sort and merge overlapping inclusive ranges ``[first, last]``."""
    merged: list[Span] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def start_ranges(spans: Iterable[Span], duration: int) -> list[Span]:
    """Return the sorted, merged ranges ``[first, last]`` (inclusive) of starts at which a
    block of ``duration`` fits inside one of ``spans``."""
    return merge_ranges((a, b - duration) for a, b in spans if b - a >= duration)


def covered_by_at_least(range_lists: Sequence[Sequence[Span]], count: int) -> list[Span]:
    """The inclusive ranges covered by at least ``count`` of the given lists (each a
    list of disjoint inclusive ranges)."""
    events: list[tuple[int, int]] = []
    for ranges in range_lists:
        for first, last in ranges:
            events.append((first, 1))
            events.append((last + 1, -1))
    events.sort()
    result: list[Span] = []
    level = 0
    opened = 0
    for position, step in events:
        before = level
        level += step
        if before < count <= level:
            opened = position
        elif level < count <= before and position > opened:
            result.append((opened, position - 1))
    return merge_ranges(result)


def clip_ranges(ranges: Sequence[Span], low: int, high: int) -> Sequence[Span]:
    """The part of a sorted list of disjoint ranges that can meet ``[low, high]``, found by
    bisection (a year of working days against a window of two weeks)."""
    first = bisect.bisect_left(ranges, low, key=lambda r: r[1])
    last = bisect.bisect_right(ranges, high, key=lambda r: r[0])
    return ranges[first:last]


def intersect_ranges(left: Sequence[Span], right: Sequence[Span]) -> list[Span]:
    """Intersect two sorted lists of disjoint inclusive ranges."""
    if not left or not right:
        return []
    if len(left) > 8 * len(right):
        left = clip_ranges(left, right[0][0], right[-1][1])
    elif len(right) > 8 * len(left):
        right = clip_ranges(right, left[0][0], left[-1][1])
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        first = max(left[i][0], right[j][0])
        last = min(left[i][1], right[j][1])
        if first <= last:
            result.append((first, last))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


class TimeGrid:
    """Minutes, slots and local times of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.granularity = scenario.granularity
        self.host_zone = ZoneInfo(scenario.host.timezone)
        self.first_date = scenario.horizon.start
        self.last_date = scenario.horizon.end
        self._origin = datetime.combine(self.first_date, time(), self.host_zone).astimezone(UTC)
        self._host_days_off: dict[date, str | None] = {}
        self._host_hours: dict[tuple[date, HourRange], Span] = {}
        self.end_minute = self.day_start(self.last_date + timedelta(days=1))
        """The minute at which the horizon ends (00:00 host after its last date)."""

    # ---- conversions ---------------------------------------------------------------

    def minute(self, moment: datetime) -> int:
        """Elapsed minutes from the origin to ``moment`` (naive: host time), rounded down."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.host_zone)
        return int((moment.astimezone(UTC) - self._origin).total_seconds() // 60)

    def at(self, minute: int, zone: str | ZoneInfo | None = None) -> datetime:
        """The aware datetime ``minute`` minutes after the origin, in ``zone`` (default host)."""
        tz = self.host_zone if zone is None else _zone(zone)
        return (self._origin + timedelta(minutes=minute)).astimezone(tz)

    def local_minute(self, day: date, clock: int, zone: str | ZoneInfo) -> int:
        """The minute at which clock time ``clock`` (minutes after midnight, up to 24:00)
        happens on local date ``day`` in ``zone``."""
        wall = datetime.combine(day, time(), _zone(zone)) + timedelta(minutes=clock)
        return self.minute(wall)

    def day_start(self, day: date) -> int:
        """The minute of 00:00 host time on a host date."""
        return self.local_minute(day, 0, self.host_zone)

    def host_date(self, minute: int) -> date:
        """The host date at a minute."""
        return self.at(minute).date()

    def slot_minute(self, slot: int) -> int:
        return slot * self.granularity

    @property
    def host_dates(self) -> list[date]:
        return list(day_range(self.first_date, self.last_date))

    # ---- working days ----------------------------------------------------------------

    def host_day_off(self, day: date) -> str | None:
        """Why a host date is not a working day of the agency (``None`` if it is)."""
        if day not in self._host_days_off:
            self._host_days_off[day] = self._host_day_off(day)
        return self._host_days_off[day]

    def _host_day_off(self, day: date) -> str | None:
        if day.weekday() >= 5:
            return f"{day:%A} (weekend)"
        if self.scenario.host.holidays == "auto":
            name = public_holidays(self.scenario.host.country, day.year).get(day)
            if name:
                return f"{name} ({self.scenario.host.country} public holiday)"
        return None

    def party_day_off(self, party: Party, day: date) -> str | None:
        """Why a local date is not a working day of a party (``None`` if it is)."""
        if day.weekday() >= 5:
            return f"{day:%A} (weekend)"
        if party.holidays:
            name = public_holidays(party.code, day.year).get(day)
            if name:
                return f"{name} ({party.code} public holiday)"
        return None

    def host_hours_span(self, day: date, hours: HourRange | None = None) -> Span:
        """The host ``hours`` (default: the host's) of a host date as minutes."""
        hours = hours or self.scenario.host.hours
        key = (day, hours)
        if key not in self._host_hours:
            self._host_hours[key] = (
                self.local_minute(day, hours.start, self.host_zone),
                self.local_minute(day, hours.end, self.host_zone),
            )
        return self._host_hours[key]

    @cached_property
    def host_spans(self) -> list[Span]:
        """Host hours on every host working day of the horizon."""
        return [
            self.host_hours_span(day) for day in self.host_dates if self.host_day_off(day) is None
        ]

    # ---- unavailable windows -----------------------------------------------------------

    def unavailable_spans(self, entries: Iterable[Unavailable], zone: str | ZoneInfo) -> list[Span]:
        """Minutes covered by ``unavailable`` entries read in ``zone``."""
        spans = []
        for entry in entries:
            if entry.hours is None:
                spans.append(
                    (
                        self.local_minute(entry.date, 0, zone),
                        self.local_minute(entry.date + timedelta(days=1), 0, zone),
                    )
                )
            else:
                spans.append(
                    (
                        self.local_minute(entry.date, entry.hours.start, zone),
                        self.local_minute(entry.date, entry.hours.end, zone),
                    )
                )
        return sorted(spans)

    # ---- parties -------------------------------------------------------------------------

    def local_dates(self) -> list[date]:
        """Local dates that can overlap the horizon anywhere on Earth."""
        return list(
            day_range(self.first_date - timedelta(days=1), self.last_date + timedelta(days=1))
        )

    def party_work_spans(
        self, party: Party, zone: str | None = None, stretch: int = 0
    ) -> list[WorkSpan]:
        """When a party can take part: its working hours (widened by ``stretch``) on each of
        its local working dates, read in ``zone`` (default: the party's), minus its
        unavailable windows (always in the party's own zone)."""
        zone = zone or party.timezone
        holes = self.unavailable_spans(party.unavailable, party.timezone)
        spans: list[WorkSpan] = []
        for day in self.local_dates():
            if self.party_day_off(party, day) is not None:
                continue
            work_start = self.local_minute(day, party.working_hours.start, zone)
            work_end = self.local_minute(day, party.working_hours.end, zone)
            spans.extend(
                WorkSpan(start, end, work_start, work_end, day)
                for start, end in subtract([(work_start - stretch, work_end + stretch)], holes)
            )
        return spans

    def participant_work_spans(self, participant: Participant) -> list[WorkSpan]:
        """:meth:`party_work_spans` of a meeting participant, with the scenario's stretch."""
        party = self.scenario.parties[participant.country]
        return self.party_work_spans(party, participant.timezone, self.scenario.defaults.stretch)

    # ---- rooms and interpreters ------------------------------------------------------------

    def room_spans(self, room: Room) -> list[Span]:
        """When a room can be used at all (before the room buffer)."""
        horizon = (self.day_start(self.first_date - timedelta(days=1)), self.end_minute + 2 * 1440)
        return subtract([horizon], self.unavailable_spans(room.unavailable, self.host_zone))

    def interpreter_spans(self, interpreter: Interpreter) -> list[Span]:
        """When an interpreter can work: their hours on host working days, minus unavailable."""
        hours = self.scenario.interpreter_hours(interpreter)
        spans = [
            self.host_hours_span(day, hours)
            for day in self.host_dates
            if self.host_day_off(day) is None
        ]
        return subtract(spans, self.unavailable_spans(interpreter.unavailable, self.host_zone))

    # ---- meetings ----------------------------------------------------------------------------

    def window_spans(self, meeting: Meeting) -> list[Span]:
        """Host hours on the host working days of a meeting's ``[earliest, latest]``."""
        first, last = self.scenario.window_of(meeting)
        return [
            self.host_hours_span(day)
            for day in day_range(first, last)
            if self.host_day_off(day) is None
        ]

    def count_slots(self, ranges: Iterable[Span]) -> int:
        """How many slots start in the inclusive ``ranges``."""
        g = self.granularity
        return sum(max(0, last // g - (-(-first // g)) + 1) for first, last in ranges)

    def starts_in(self, ranges: Iterable[Span]) -> list[int]:
        """Slots whose start minute lies in one of the inclusive ``ranges``."""
        g = self.granularity
        slots: list[int] = []
        for first, last in ranges:
            slots.extend(range(-(-first // g), last // g + 1))
        return slots

    def allowed_starts(self, meeting: Meeting) -> list[int]:
        """The start slots a meeting may take: inside its window and the host's hours on a
        host working day, and inside the (stretched) hours of every required participant on
        their local working dates, clear of their unavailable windows."""
        ranges = start_ranges(self.window_spans(meeting), meeting.duration)
        for participant in meeting.required:
            spans = self.participant_work_spans(participant)
            ranges = intersect_ranges(
                ranges, start_ranges(((s.start, s.end) for s in spans), meeting.duration)
            )
        return self.starts_in(ranges)

    def fits(self, spans: Sequence[Span], start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside one of ``spans``."""
        return any(a <= start and end <= b for a, b in spans)

    def stretch_steps(self, spans: Sequence[WorkSpan], start: int, end: int) -> int | None:
        """Stretch steps of ``[start, end)`` for a participant, ``None`` if it cannot attend."""
        costs = [s.stretch_steps(start, end) for s in spans if s.start <= start and end <= s.end]
        return min(costs) if costs else None


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
