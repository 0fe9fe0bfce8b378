"""A baseline in the solver's terms: where each activity was, so that moving it costs.

SPEC 2.7: each activity that the baseline placed and that still exists costs the
``move`` weights for each changed field — its host date, its time of day (host clock)
and its room; an action day only its date and its room. An activity the baseline placed
that is now left out costs its ``unscheduled`` weight only (SPEC 2.3 v1.2): placement
comes first, so leaving a published activity out is never a cheap way around moving it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.solver.options import ActionDayOptions, MeetingOptions
from planner.timegrid import TimeGrid


@dataclass(frozen=True)
class Kept:
    """What a baseline gave one activity that still exists."""

    date: date
    """Its host date."""
    room: str | None
    """Its room; ``None``: a virtual centre."""
    clock: int | None
    """A meeting's start, in host clock minutes after midnight (``None``: an action day)."""
    same_clock: frozenset[int] = frozenset()
    """A meeting's allowed start slots at that time of day, on any date."""
    slot: int | None = None
    """A meeting's start slot when it is still one of its allowed starts."""
    absent: frozenset[str] = frozenset()
    """A meeting's optional participants (countries) the baseline left absent."""
    interpreters: frozenset[tuple[str, str]] = frozenset()
    """A meeting's interpreters in the baseline, as (language, interpreter)."""


def host_clock(moment: datetime, grid: TimeGrid) -> tuple[date, int]:
    """The host date and host clock minutes of an instant."""
    local = grid.at(grid.minute(moment))
    return local.date(), local.hour * 60 + local.minute


def kept_from(
    baseline: Baseline,
    scenario: Scenario,
    grid: TimeGrid,
    meetings: dict[str, MeetingOptions],
    action_days: dict[str, ActionDayOptions],
) -> dict[str, Kept]:
    """Each activity of the scenario that the baseline placed, and where it was."""
    kept: dict[str, Kept] = {}
    host_zone = scenario.host.timezone
    for entry in baseline.meetings:
        if entry.id not in scenario.meetings_by_id:
            continue  # cancelled
        day, clock = host_clock(entry.start, grid)
        options = meetings.get(entry.id)
        same_clock: set[int] = set()
        slot = None
        if options is not None:
            starts = set(options.starts)
            for each in options.dates:
                minute = grid.local_minute(each, clock, host_zone)
                if minute % grid.granularity == 0 and minute // grid.granularity in starts:
                    same_clock.add(minute // grid.granularity)
            minute = grid.minute(entry.start)
            if minute % grid.granularity == 0 and minute // grid.granularity in starts:
                slot = minute // grid.granularity
        interpreters = frozenset(
            (language, name) for language, team in entry.interpreters.items() for name in team
        )
        kept[entry.id] = Kept(
            day,
            entry.room,
            clock,
            frozenset(same_clock),
            slot,
            frozenset(entry.absent),
            interpreters,
        )
    for centre in baseline.action_days:
        if centre.id in scenario.action_days_by_id:
            kept[centre.id] = Kept(centre.date, centre.room, None)
    return kept
