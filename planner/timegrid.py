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
        """Return the started 15-minute steps that ``[start, end)`` lies outside the working
        hours proper, before them and after them (SPEC 2.1 "Stretch"; docs/rules.md).
        """
        before = max(0, self.work_start - start)
        after = max(0, end - self.work_end)
        return -(-before // STRETCH_STEP) - (-after // STRETCH_STEP)


def day_range(first: date, last: date) -> Iterator[date]:
    """Yield every date from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def subtract(spans: Iterable[Span], holes: Sequence[Span]) -> list[Span]:
    """Return ``spans`` minus ``holes``, both half-open ``[start, end)``.

    A span that a hole cuts becomes the pieces on either side of it, in order; spans
    that no hole touches are kept as they are.
    """
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
    """Return inclusive ranges ``[first, last]`` sorted, overlapping ones merged into one."""
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
    """Return the inclusive ranges covered by at least ``count`` of the given lists.

    Each list holds disjoint inclusive ranges (the starts one interpreter, say, can
    take); a range of the result is where ``count`` of them overlap, as a team of
    ``count`` needs.
    """
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
    """Return the intersection of two sorted lists of disjoint inclusive ranges.

    The longer list is clipped first (:func:`clip_ranges`) when it is much longer, so
    that a year of working hours meets a window of two weeks in a few steps.
    """
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
    """Minutes, slots and local times of one scenario: the integer sets the solver works on.

    Every conversion between datetimes and minutes goes through one grid (STYLE
    "Data": only integers reach CP-SAT). Minutes count elapsed time from 00:00 host time
    on the horizon's first date, the origin; slot ``k`` starts at minute ``k *
    granularity``. The grid reads working days, hours, holidays and away windows per
    date with their zones' real rules, and keeps what it computes per date.

    Attributes
    ----------
    scenario
        The scenario read.
    granularity
        The slot size, minutes.
    host_zone
        The host's zone.
    first_date, last_date
        The horizon's first and last host dates.
    """

    def __init__(self, scenario: Scenario) -> None:
        """Read the horizon and the host's zone of ``scenario``; nothing is computed yet."""
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
        """Return the elapsed minutes from the origin to ``moment``, rounded down (a naive
        ``moment`` is host time).
        """
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.host_zone)
        return int((moment.astimezone(UTC) - self._origin).total_seconds() // 60)

    def at(self, minute: int, zone: str | ZoneInfo | None = None) -> datetime:
        """Return the aware datetime ``minute`` minutes after the origin, in ``zone`` (default:
        the host's).
        """
        tz = self.host_zone if zone is None else _zone(zone)
        return (self._origin + timedelta(minutes=minute)).astimezone(tz)

    def local_minute(self, day: date, clock: int, zone: str | ZoneInfo) -> int:
        """Return the minute at which clock time ``clock`` (minutes after local midnight, up to
        24:00) happens on local date ``day`` in ``zone``; a clock time that does not exist or
        repeats (the night the clocks change) is read with ``fold=0``.
        """
        wall = datetime.combine(day, time(), _zone(zone)) + timedelta(minutes=clock)
        return self.minute(wall)

    def day_start(self, day: date) -> int:
        """Return the minute of 00:00 host time on a host date."""
        return self.local_minute(day, 0, self.host_zone)

    def host_date(self, minute: int) -> date:
        """Return the host date that a minute falls on."""
        return self.at(minute).date()

    def slot_minute(self, slot: int) -> int:
        """Return the minute (from the origin) at which slot ``slot`` starts."""
        return slot * self.granularity

    @property
    def host_dates(self) -> list[date]:
        """Return every host date of the horizon, in order."""
        return list(day_range(self.first_date, self.last_date))

    # ---- working days ----------------------------------------------------------------

    def host_day_off(self, day: date) -> str | None:
        """Return why a host date is no working day of the agency (a weekend, or a public
        holiday of the host country with ``host.holidays: auto``), or ``None`` (SPEC 2.1
        "Time"). Computed once per date.
        """
        if day not in self._host_days_off:
            self._host_days_off[day] = self._host_day_off(day)
        return self._host_days_off[day]

    def _host_day_off(self, day: date) -> str | None:
        """Return why ``day`` is no host working day (a weekend, or a public holiday of the host
        country with ``holidays: auto``), or ``None``.
        """
        if day.weekday() >= 5:
            return f"{day:%A} (weekend)"
        if self.scenario.host.holidays == "auto":
            name = public_holidays(self.scenario.host.country, day.year).get(day)
            if name:
                return f"{name} ({self.scenario.host.country} public holiday)"
        return None

    def party_day_off(self, party: Party, day: date) -> str | None:
        """Return why a local date is no working day of a party (a weekend, or its public
        holiday when it observes them), or ``None`` (SPEC 2.1 "National availability").
        """
        if day.weekday() >= 5:
            return f"{day:%A} (weekend)"
        if party.holidays:
            name = public_holidays(party.code, day.year).get(day)
            if name:
                return f"{name} ({party.code} public holiday)"
        return None

    def host_hours_span(self, day: date, hours: HourRange | None = None) -> Span:
        """Return ``hours`` (default: the host's) on a host date as minutes ``[start, end)``;
        computed once per date and hours.
        """
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
        """The host's hours on every host working day of the horizon, as minutes."""
        return [
            self.host_hours_span(day) for day in self.host_dates if self.host_day_off(day) is None
        ]

    # ---- unavailable windows -----------------------------------------------------------

    def unavailable_spans(self, entries: Iterable[Unavailable], zone: str | ZoneInfo) -> list[Span]:
        """Return the minutes that ``unavailable`` entries cover, read in ``zone``: a whole date
        from its local midnight to the next, or its hours; sorted.
        """
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
        """Return the local dates that can overlap the horizon anywhere on Earth: a day before
        its first host date to a day after its last.
        """
        return list(
            day_range(self.first_date - timedelta(days=1), self.last_date + timedelta(days=1))
        )

    def party_work_spans(
        self, party: Party, zone: str | None = None, stretch: int = 0
    ) -> list[WorkSpan]:
        """Return when a party can take part in a meeting (SPEC 2.1 "Time zones", "National
        availability").

        Parameters
        ----------
        party
            The party, with its hours, holidays and away windows merged (SPEC 2.8).
        zone
            The zone its hours and local dates are read in (default: the party's): a
            participant may join from a zone of its own.
        stretch
            Minutes the hours may be widened by on either side (``defaults.stretch``).

        Returns
        -------
        list of WorkSpan
            Its working hours, widened by ``stretch``, on each of its local working dates,
            minus its unavailable windows (always read in the party's own zone).
        """
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
        """Return :meth:`party_work_spans` of a meeting participant: in its own zone when it has
        one, with the scenario's stretch.
        """
        party = self.scenario.parties[participant.country]
        return self.party_work_spans(party, participant.timezone, self.scenario.defaults.stretch)

    # ---- rooms and interpreters ------------------------------------------------------------

    def room_spans(self, room: Room) -> list[Span]:
        """Return when a room can be used at all: the whole horizon (a day either side) minus
        its unavailable windows in host time; the room buffer is added by whoever books it.
        """
        horizon = (self.day_start(self.first_date - timedelta(days=1)), self.end_minute + 2 * 1440)
        return subtract([horizon], self.unavailable_spans(room.unavailable, self.host_zone))

    def interpreter_spans(self, interpreter: Interpreter) -> list[Span]:
        """Return when an interpreter can work (SPEC 2.1 "Interpreters"): their hours (default:
        the host's) on host working days, minus their unavailable windows in host time.
        """
        hours = self.scenario.interpreter_hours(interpreter)
        spans = [
            self.host_hours_span(day, hours)
            for day in self.host_dates
            if self.host_day_off(day) is None
        ]
        return subtract(spans, self.unavailable_spans(interpreter.unavailable, self.host_zone))

    # ---- meetings ----------------------------------------------------------------------------

    def window_spans(self, meeting: Meeting) -> list[Span]:
        """Return the host's hours on the host working days of a meeting's ``[earliest,
        latest]``, clipped to the horizon (SPEC 2.1 "Time").
        """
        first, last = self.scenario.window_of(meeting)
        return [
            self.host_hours_span(day)
            for day in day_range(first, last)
            if self.host_day_off(day) is None
        ]

    def count_slots(self, ranges: Iterable[Span]) -> int:
        """Return how many slots start in the inclusive ranges of minutes."""
        g = self.granularity
        return sum(max(0, last // g - (-(-first // g)) + 1) for first, last in ranges)

    def starts_in(self, ranges: Iterable[Span]) -> list[int]:
        """Return the slots whose start minute lies in one of the inclusive ranges."""
        g = self.granularity
        slots: list[int] = []
        for first, last in ranges:
            slots.extend(range(-(-first // g), last // g + 1))
        return slots

    def allowed_starts(self, meeting: Meeting) -> list[int]:
        """Return the start slots a meeting may take (SPEC 2.1 "Time", "Time zones", "National
        availability").

        A start is allowed when the whole meeting lies inside the host's hours on a host
        working day of its window, and inside the (stretched) hours of every required
        participant on one of its local working dates, clear of its party's away windows.
        Rooms, desks and interpreters are not read here: they depend on the other
        activities.
        """
        ranges = start_ranges(self.window_spans(meeting), meeting.duration)
        for participant in meeting.required:
            spans = self.participant_work_spans(participant)
            ranges = intersect_ranges(
                ranges, start_ranges(((s.start, s.end) for s in spans), meeting.duration)
            )
        return self.starts_in(ranges)

    def fits(self, spans: Sequence[Span], start: int, end: int) -> bool:
        """Return whether ``[start, end)`` lies inside one of ``spans``."""
        return any(a <= start and end <= b for a, b in spans)

    def stretch_steps(self, spans: Sequence[WorkSpan], start: int, end: int) -> int | None:
        """Return the stretch steps of ``[start, end)`` for a participant whose work spans are
        ``spans``: the cheapest span that holds it, or ``None`` when none does (it cannot
        attend then).
        """
        costs = [s.stretch_steps(start, end) for s in spans if s.start <= start and end <= s.end]
        return min(costs) if costs else None


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    """Return a zone given by name or as a :class:`~zoneinfo.ZoneInfo`."""
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
