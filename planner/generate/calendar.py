"""The horizon as the generator sees it, read off the project's own time grid
(:class:`planner.timegrid.TimeGrid`) and catalogue: the host days on which cases may
meet, who works on which of them, and whose working hours meet.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.generate.calibration import DEFAULTS, HOST, WINTER_BREAK
from planner.generate.variety import LIAISON_POSTS, OWN_ZONES
from planner.models.catalogue import CATALOGUE
from planner.models.scenario import SCHEMA, Meeting, Scenario
from planner.timegrid import TimeGrid, day_range


def first_monday(year: int) -> date:
    """Return the first Monday of ``year``: where a horizon of whole weeks starts."""
    first = date(year, 1, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def in_winter_break(day: date) -> bool:
    """Return whether ``day`` lies in ``WINTER_BREAK``, when cases do not meet."""
    (end_month, end_day), (start_month, start_day) = WINTER_BREAK
    return (day.month, day.day) >= (end_month, end_day) or (day.month, day.day) <= (
        start_month,
        start_day,
    )


ZONES: tuple[str, ...] = tuple(
    sorted(
        {party.timezone for party in CATALOGUE.values()}
        | {zone for zones in OWN_ZONES.values() for zone in zones}
        | set(LIAISON_POSTS)
    )
)
"""Every zone a generated participant may work in."""


class Calendar:
    """The horizon as the generator sees it, read off the project's time grid: the host
    days on which cases may meet, who works on which of them, and whose hours meet, all
    computed once and kept.

    Working hours are minutes after host midnight of a host date. A party's hours are
    those of its local date equal to the host date: in every zone of ``ZONES`` that is
    the local date on which they meet the host's hours.
    """

    def __init__(self, start: date, end: date) -> None:
        """Read the horizon ``[start, end]``: its usable days, the winter break, and caches of
        who works when.
        """
        self.start = start
        self.end = end
        self._masks: dict[str, int] = {}
        self._whole_days_off: dict[str, frozenset[date]] = {}
        self.set_countries([])
        grid = self.grid
        self.usable = [
            day
            for day in day_range(start, end)
            if grid.host_day_off(day) is None and not in_winter_break(day)
        ]
        self.break_days = [day for day in day_range(start, end) if in_winter_break(day)]
        self._spans: dict[tuple[str, date], tuple[int, int]] = {}
        self._host_spans: dict[date, tuple[int, int]] = {}
        self._horizon_common: dict[tuple[str, ...], int] = {}
        self._offsets: dict[str, float] = {}
        self._clock_changes: list[date] | None = None
        # Held so that every ``ZoneInfo(name)`` the grid asks for comes from zoneinfo's
        # cache instead of being read from disk again.
        self._zone_infos = [ZoneInfo(zone) for zone in ZONES]

    def set_countries(self, countries: list[dict[str, Any]]) -> None:
        """Read the parties from the catalogue with these ``countries:`` entries (the desks'
        days away); call it before asking who works when, and again whenever the entries
        change (the caches are cleared).
        """
        self.countries = countries
        self.scenario = self._skeleton(self.start, self.end)
        self.grid = TimeGrid(self.scenario)
        self._masks.clear()
        self._whole_days_off.clear()

    def _skeleton(self, start: date, end: date) -> Scenario:
        """A scenario of the host and the parties alone, over ``[start, end]``."""
        return Scenario.model_validate(
            {
                "schema": SCHEMA,
                "host": HOST,
                "horizon": {"start": start, "end": end},
                "countries": self.countries,
            }
        )

    def has_a_start(self, meeting: dict[str, Any]) -> bool:
        """Return whether the project's time grid finds a meeting (plain data) a start: on a
        grid over its window only, since the year's would read every party's hours on every
        date.
        """
        first = date.fromisoformat(meeting["earliest"])
        last = date.fromisoformat(meeting["latest"])
        grid = TimeGrid(self._skeleton(first, last))
        return bool(grid.allowed_starts(Meeting.model_validate(meeting)))

    def zone(self, code: str) -> str:
        """Return a party's time zone, from the catalogue and the ``countries:`` entries."""
        return self.scenario.parties[code].timezone

    def works(self, code: str, day: date) -> bool:
        """Return whether a party's desk works on a date: a weekday, not its public holiday,
        not a whole day away.
        """
        party = self.scenario.parties[code]
        away = self._whole_days_off.get(code)
        if away is None:
            away = frozenset(u.date for u in party.unavailable if u.hours is None)
            self._whole_days_off[code] = away
        return self.grid.party_day_off(party, day) is None and day not in away

    def _working_mask(self, code: str) -> int:
        """Bit ``i`` set when the party works on usable day ``i``."""
        mask = self._masks.get(code)
        if mask is None:
            mask = sum(1 << i for i, day in enumerate(self.usable) if self.works(code, day))
            self._masks[code] = mask
        return mask

    def valid_days(self, codes: Sequence[str], first: date, last: date) -> list[date]:
        """Return the usable host days in ``[first, last]`` on which every party of ``codes``
        works, in order (a bit mask per party, kept).
        """
        low = bisect.bisect_left(self.usable, first)
        high = bisect.bisect_right(self.usable, last)
        if high <= low:
            return []
        mask = ((1 << (high - low)) - 1) << low
        for code in codes:
            mask &= self._working_mask(code)
        return [self.usable[i] for i in range(low, high) if mask >> i & 1]

    def snap_forward(self, day: date) -> date | None:
        """Return the first usable day on or after ``day``, or ``None``."""
        index = bisect.bisect_left(self.usable, day)
        return self.usable[index] if index < len(self.usable) else None

    def snap_back(self, day: date) -> date | None:
        """Return the last usable day on or before ``day``, or ``None``."""
        index = bisect.bisect_right(self.usable, day) - 1
        return self.usable[index] if index >= 0 else None

    def crosses_break(self, first: date, last: date) -> bool:
        """Return whether ``[first, last]`` touches a day of the winter break."""
        index = bisect.bisect_left(self.break_days, first)
        return index < len(self.break_days) and self.break_days[index] <= last

    def working_span(self, zone: str, day: date) -> tuple[int, int]:
        """Return the default working hours in ``zone`` on ``day`` as minutes after host
        midnight of that host date (kept per zone and day).
        """
        key = (zone, day)
        span = self._spans.get(key)
        if span is None:
            grid = self.grid
            midnight = grid.day_start(day)
            hours = DEFAULTS.working_hours
            span = (
                grid.local_minute(day, hours.start, zone) - midnight,
                grid.local_minute(day, hours.end, zone) - midnight,
            )
            self._spans[key] = span
        return span

    def host_span(self, day: date) -> tuple[int, int]:
        """Return the host's hours on ``day`` as minutes after host midnight."""
        span = self._host_spans.get(day)
        if span is None:
            midnight = self.grid.day_start(day)
            start, end = self.grid.host_hours_span(day)
            span = self._host_spans[day] = (start - midnight, end - midnight)
        return span

    def common_minutes(self, zones: Sequence[str], days: Sequence[date]) -> int:
        """Return the shortest working time that ``zones`` share inside the host's hours, over
        ``days``: the longest a meeting of parties in these zones can be on every one of them.
        """
        shortest = HOST.hours.minutes
        for day in days:
            start, end = self.host_span(day)
            for zone in zones:
                zone_start, zone_end = self.working_span(zone, day)
                start, end = max(start, zone_start), min(end, zone_end)
            shortest = min(shortest, max(0, end - start))
        return shortest

    def horizon_common_minutes(self, zones: Sequence[str]) -> int:
        """Return :meth:`common_minutes` over every usable day of the horizon (one day per
        stretch of days with the same clocks), kept per set of zones.
        """
        key = tuple(sorted(zones))
        known = self._horizon_common.get(key)
        if known is None:
            known = self._horizon_common[key] = self.common_minutes(key, self._clock_days())
        return known

    def _clock_days(self) -> list[date]:
        """One usable day for each stretch of days on which no zone's clock changes: the
        common hours of any zones are the same on every day of a stretch."""
        if self._clock_changes is None:
            days: list[date] = []
            previous: list[tuple[int, int]] = []
            for day in self.usable:
                spans = [self.working_span(zone, day) for zone in ZONES]
                if spans != previous:
                    days.append(day)
                    previous = spans
            self._clock_changes = days
        return self._clock_changes

    def offset_hours(self, zone: str) -> float:
        """Return the most hours between the host's clock and a zone's over the horizon: far
        zones (``FAR_OFFSET_HOURS``) join by video.
        """
        known = self._offsets.get(zone)
        if known is None:
            starts = [self.working_span(zone, day)[0] for day in self._clock_days()]
            known = max(abs(start - DEFAULTS.working_hours.start) for start in starts) / 60
            self._offsets[zone] = known
        return known
