"""What every step of the generator shares: the options, the random streams, the
calendar and the load placed so far on each day.

The steps (resources, cases, placing, entities, activities, pins) are functions over
one :class:`GeneratorState`, called in a fixed order by
:func:`planner.generate.scenario.build`; the order of their draws is what makes the
same seed give the same file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.generate.calendar import Calendar, first_monday
from planner.generate.calibration import (
    CENTRE_STAFF_PER_UNIT,
    DESK_CAPACITY_PER_UNIT,
    activity_counts,
)
from planner.generate.variety import EVEN_MONTHS, Variety


@dataclass
class GeneratorState:
    """A scenario being generated: its options, random streams, calendar and day loads.

    Build one with :meth:`start`. Every calibrated draw comes from :attr:`rng`; each
    variety knob draws from a stream of its own (:meth:`stream`), so that a knob left at
    its default draws nothing and one turned on redraws nothing else.
    """

    rng: random.Random
    """The calibrated stream, seeded with ``seed``."""
    year: int
    scale: float
    seed: int
    weeks: int | None
    variety: Variety
    calendar: Calendar
    """The horizon: usable days, who works when, whose hours meet."""
    meeting_count: int
    action_day_count: int
    centre_staff: int
    """The coordination centres' staff pool (``coordination_centre.staff``)."""
    desk_capacity: int
    """Every national desk's capacity (``defaults.desk_capacity``)."""
    meeting_load: list[float]
    """Expected meetings on each usable day of the calendar, as chains are placed."""
    action_day_load: list[float]
    """Expected action days on each usable day of the calendar."""
    day_weights: list[float] | None
    """How much load each usable day takes relative to the others (``None``: the same)."""
    used_entities: set[str] = field(default_factory=set)
    """Normalised entities drawn so far: no two cases share one by chance."""
    networks: set[int] = field(default_factory=set)
    """The clusters of ``Variety.linked_clusters_per_year``: their shared entities are
    drawn from that knob's stream."""
    streams: dict[str, random.Random] = field(default_factory=dict)

    @classmethod
    def start(
        cls, *, year: int, scale: float, seed: int, weeks: int | None, variety: Variety
    ) -> GeneratorState:
        """Return the state before any draw: the horizon (the year, or ``weeks`` from its
        first Monday), the volumes pro rata, the agency's size at ``scale``."""
        if weeks is None:
            start, end = date(year, 1, 1), date(year, 12, 31)
        else:
            start = first_monday(year)
            end = start + timedelta(days=7 * weeks - 1)
        calendar = Calendar(start, end)
        meeting_count, action_day_count = activity_counts(scale=scale, weeks=weeks)
        desk_capacity = DESK_CAPACITY_PER_UNIT
        if variety.grow_desks:
            desk_capacity = max(desk_capacity, math.ceil(DESK_CAPACITY_PER_UNIT * scale))
        day_weights = None
        if variety.month_weights != EVEN_MONTHS:
            weights = variety.month_weights
            day_weights = [weights[day.month - 1] for day in calendar.usable]
        return cls(
            rng=random.Random(seed),
            year=year,
            scale=scale,
            seed=seed,
            weeks=weeks,
            variety=variety,
            calendar=calendar,
            meeting_count=meeting_count,
            action_day_count=action_day_count,
            centre_staff=math.ceil(CENTRE_STAFF_PER_UNIT * scale),
            desk_capacity=desk_capacity,
            meeting_load=[0.0] * len(calendar.usable),
            action_day_load=[0.0] * len(calendar.usable),
            day_weights=day_weights,
        )

    def stream(self, knob: str) -> random.Random:
        """Return the random stream of one variety knob: its own, so that a knob draws
        nothing from the calibrated stream or another knob's."""
        stream = self.streams.get(knob)
        if stream is None:
            stream = self.streams[knob] = random.Random(f"{self.seed}:{knob}")
        return stream

    def year_fraction(self) -> float:
        """Return the horizon's length as a share of a 365-day year."""
        return ((self.calendar.end - self.calendar.start).days + 1) / 365

    def per_horizon(self, per_year: int) -> int:
        """Return a yearly count pro rata for the horizon, rounded, at least one when the yearly
        count is positive.
        """
        if per_year <= 0:
            return 0
        return max(1, round(per_year * self.year_fraction()))

    def sample_days(self, count: int) -> list[date]:
        """Draw ``count`` distinct usable days (fewer when there are fewer), in order."""
        usable = self.calendar.usable
        if not usable:
            return []
        return sorted(self.rng.sample(usable, min(count, len(usable))))


def draw(rng: random.Random, weights: dict[Any, float]) -> Any:
    """Draw one key of ``weights`` (a key's chance is its weight over the sum)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def sample(
    rng: random.Random, weights: dict[str, float], count: int, exclude: Iterable[str] = ()
) -> list[str]:
    """Draw ``count`` distinct keys by weight, skipping ``exclude`` (fewer when the
    weights run out)."""
    chosen: list[str] = []
    skip = set(exclude)
    pool = {k: w for k, w in weights.items() if k not in skip}
    while pool and len(chosen) < count:
        key = draw(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen
