"""A schedule as the checker reads it: held meetings and action days in UTC instants,
the centre spans computed from the dates, and the lookups every rule family needs.

The checker's :class:`Plan` is its own: it shares nothing with the solver's plan,
so that each rule is read twice, once here and once in ``planner/solver/``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from planner.check.clock import clock, day_off, zone
from planner.check.clusters import linked_clusters
from planner.models.scenario import ActionDay, Meeting, Participant, Room, Scenario


@dataclass(frozen=True)
class HeldMeeting:
    """A placed meeting: UTC instants, its host date, room, interpreters and absentees."""

    meeting: Meeting
    start: datetime
    end: datetime
    host_date: date
    room: Room | None
    interpreters: Mapping[str, tuple[str, ...]]
    """Interpreter ids by language, as the schedule lists them."""
    absent: frozenset[str]
    """Codes of the optional participants listed as absent."""

    @property
    def attending(self) -> list[Participant]:
        """The participants who take part: every required one, and the optional ones
        not listed as absent (SPEC 2.1 "Optional participants")."""
        return [p for p in self.meeting.participants if p.required or p.country not in self.absent]


@dataclass(frozen=True)
class HeldActionDay:
    """A placed action day: its date and the centre span computed from that date, with
    the span the file states (checked on its own, SPEC 2.2)."""

    action_day: ActionDay
    day: date
    open: datetime
    close: datetime
    room: Room | None
    virtual: bool
    """Whether the file gives no room (``null``): the centre runs virtually."""
    stated_open: datetime | None
    stated_close: datetime | None


@dataclass(frozen=True)
class Use:
    """One activity taking a resource (a desk, a room, the staff pool) for ``[start, end)``,
    ``weight`` units of it."""

    activity: str
    start: datetime
    end: datetime
    weight: int = 1


@dataclass
class Plan:
    """A schedule read against its scenario, with the lookups every rule needs."""

    scenario: Scenario
    meetings: dict[str, HeldMeeting] = field(default_factory=dict)
    """The well-formed placed meetings, by id."""
    action_days: dict[str, HeldActionDay] = field(default_factory=dict)
    """The well-formed placed action days, by id."""
    listed_held: set[str] = field(default_factory=set)
    """Every id listed under ``meetings`` or ``action_days``, well-formed or not."""
    unscheduled: set[str] = field(default_factory=set)
    """Every id listed under ``unscheduled``."""
    listings: Counter[str] = field(default_factory=Counter)
    """How often each activity is listed anywhere: once is right (SPEC 2.6)."""

    @cached_property
    def host_zone(self) -> ZoneInfo:
        """The host's zone: host time, in which host dates, rooms and interpreters are read."""
        return zone(self.scenario.host.timezone)

    def host_day_off(self, day: date) -> str | None:
        """Return why ``day`` is no host working day (weekend or, with ``holidays: auto``,
        a public holiday of the host country), or ``None``."""
        host = self.scenario.host
        return day_off(host.country, host.holidays == "auto", day)

    def party_day_off(self, code: str, day: date) -> str | None:
        """Return why the local date ``day`` is no working day of a party, or ``None``."""
        party = self.scenario.parties[code]
        return day_off(code, party.holidays, day)

    @cached_property
    def desk_uses(self) -> dict[str, list[Use]]:
        """Every party's activities: meetings it takes part in and centres that list it."""
        uses: dict[str, list[Use]] = defaultdict(list)
        for held in self.meetings.values():
            for participant in held.attending:
                uses[participant.country].append(Use(held.meeting.id, held.start, held.end))
        for centre in self.action_days.values():
            for code in centre.action_day.countries:
                uses[code].append(Use(centre.action_day.id, centre.open, centre.close))
        return uses

    @cached_property
    def cluster_of_case(self) -> dict[str, int]:
        """The index of each linked case's cluster (SPEC 2.4); unlinked cases are absent."""
        return {
            case: index
            for index, cluster in enumerate(linked_clusters(self.scenario))
            for case in cluster
        }


def centre_span(scenario: Scenario, action_day: ActionDay, day: date) -> tuple[datetime, datetime]:
    """Return the centre's ``[open, close)`` in UTC for an action day held on ``day``.

    Each country operates from ``local_start`` on its local date ``day`` for
    ``duration`` elapsed minutes; the centre opens ``setup`` before the first
    operation and closes when the last one ends (SPEC 2.2).
    """
    starts = [
        clock(day, action_day.local_start, zone(scenario.parties[code].timezone))
        for code in action_day.countries
    ]
    duration = timedelta(minutes=action_day.duration)
    setup = timedelta(minutes=scenario.coordination_centre.setup)
    return min(starts) - setup, max(starts) + duration


def overloads(uses: list[Use], limit: int) -> Iterator[tuple[Use, list[Use]]]:
    """Yield each use whose start lifts the total weight above ``limit``, with all open then.

    A sweep over start and end events; an end at the same instant as a start comes
    first, so that activities that touch (``end == start``) do not overlap.
    """
    events = sorted(
        [(u.start, 1, i) for i, u in enumerate(uses)] + [(u.end, 0, i) for i, u in enumerate(uses)]
    )
    open_uses: dict[int, Use] = {}
    for _, starts, index in events:
        if not starts:
            open_uses.pop(index, None)
            continue
        open_uses[index] = uses[index]
        if sum(u.weight for u in open_uses.values()) > limit:
            yield uses[index], list(open_uses.values())
