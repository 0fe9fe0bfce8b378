"""Cases: how many meetings each has, its crime, its parties, links between cases, the
zones delegations join from, and who is required (DOMAIN.md volumes and mixes).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.generate.calibration import (
    ACTION_DAY_CRIME_MIX,
    COUNTRIES_PER_ACTION_DAY,
    COUNTRIES_PER_MEETING,
    CRIME_MIX,
    CRITICAL_SHARE,
    EU_DESK_WEIGHTS,
    EUROPOL_ACTION_DAY_SHARE,
    EUROPOL_MEETING_SHARE,
    HOST,
    JOINT_ACTION_DAY_SHARE,
    LINKED_CASE_SHARE,
    MEETINGS_PER_CASE,
    MIN_COMMON_MINUTES,
    THIRD_COUNTRY_AFFINITY,
    THIRD_COUNTRY_BIAS,
    THIRD_COUNTRY_SHARE,
    THIRD_COUNTRY_WEIGHTS,
)
from planner.generate.state import GeneratorState, draw, sample
from planner.generate.variety import (
    LIAISON_POSTS,
    LINKED_CLUSTER_SIZES,
    LINKED_SHARED_COUNTRIES,
    LINKED_SPACING_WEEKS,
    OWN_ZONES,
)
from planner.models.catalogue import EU_MEMBERS


@dataclass
class Case:
    """One investigation as the generator draws it, filled in step by step until it is
    written out: its parties, links, chain of meetings and action day.

    Attributes
    ----------
    index
        Its place in the order drawn (cases are numbered by date only at the end).
    countries, organisations
        Its parties: countries in the order written (the host first), then Europol or
        EPPO when they join.
    meetings
        How many meetings its chain has (1-3).
    cluster, joint_with, declared
        Its cluster of linked cases, the case whose action day it strikes with on the
        same date, and the cases it declares linked.
    required, optional
        Which parties must attend, and which attend when they can (far ones whose hours
        barely meet the others').
    windows, gaps, action_day_window, action_day_gap
        Its chain placed on the calendar: each meeting's window, the days between
        meetings, the action day's window and its gap after the last meeting.
    zones
        A party's own zone, where it joins from somewhere other than its country.
    """

    index: int
    crime: str
    countries: list[str]  # countries only, in the order written
    organisations: list[str]
    meetings: int
    has_action_day: bool = False
    critical: bool = False
    cluster: int | None = None
    joint_with: Case | None = None
    declared: list[Case] = field(default_factory=list)
    action_day_countries: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    windows: list[tuple[date, date]] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    action_day_window: tuple[date, date] | None = None
    action_day_gap: int = 0
    action_day_staff: int = 2
    identifier: str = ""
    entities: list[str] = field(default_factory=list)
    zones: dict[str, str] = field(default_factory=dict)  # a party's own zone, if not its country's
    spacing_days: int = 0
    """How many days after its cluster's first placed case this case's chain is placed
    (the link-heavy year's networks lie weeks apart; 0: near it)."""

    @property
    def parties(self) -> list[str]:
        """Every party of the case: its countries, then its organisations."""
        return [*self.countries, *self.organisations]

    @property
    def number(self) -> str:
        """The case's number, as its activities' ids carry it (``EJ-0412`` → ``0412``)."""
        return self.identifier.removeprefix("EJ-")


def draw_cases(state: GeneratorState) -> list[Case]:
    """Draw every case: its meetings (1-3), whether it has an action day, its crime,
    parties, links, time zones, who is required, and which must be held."""
    rng = state.rng
    cases: list[Case] = []
    remaining = state.meeting_count
    while remaining > 0:
        meetings = min(draw(rng, MEETINGS_PER_CASE), remaining)
        cases.append(Case(len(cases), "", [], [], meetings))
        remaining -= meetings
    # Action days go to cases with more meetings: they need preparing.
    weights = [{1: 1.0, 2: 3.0, 3: 4.0}[case.meetings] for case in cases]
    chosen: set[int] = set()
    while len(chosen) < min(state.action_day_count, len(cases)):
        chosen.add(rng.choices(range(len(cases)), weights=weights)[0])
    for index in sorted(chosen):
        cases[index].has_action_day = True
        cases[index].action_day_staff = min(rng.randint(2, 4), state.centre_staff)
    give_crimes(state, [case for case in cases if not case.has_action_day], CRIME_MIX)
    give_crimes(state, [case for case in cases if case.has_action_day], ACTION_DAY_CRIME_MIX)
    for case in cases:
        case.countries, case.organisations = draw_parties(state, case.crime)
    link_cases(state, cases)
    link_networks(state, cases)
    with_action_day = [case for case in cases if case.has_action_day]
    # Europol's share of action days is met exactly, first where it joins the meetings.
    europol = round(EUROPOL_ACTION_DAY_SHARE * len(with_action_day))
    ranked = sorted(
        with_action_day,
        key=lambda case: ("EUROPOL" not in case.organisations, rng.random()),
    )
    for case in cases:
        own_zones(state, case)
        attendance(state, case)
    for rank, case in enumerate(ranked):
        case.action_day_countries = action_day_countries(state, case, rank < europol)
    mark_critical(state, cases)
    return cases


def own_zones(state: GeneratorState, case: Case) -> None:
    """Let some delegations of a case join from a zone of their own
    (``Variety.own_zone_share``, its own stream): one of ``OWN_ZONES`` for the
    countries listed there, a liaison post for other EU desks.
    """
    share = state.variety.own_zone_share
    if not share:
        return
    rng = state.stream("own_zones")
    for code in case.countries:
        if code == HOST.country:
            continue
        zones = OWN_ZONES.get(code) or (LIAISON_POSTS if code in EU_MEMBERS else None)
        if zones and rng.random() < share:
            case.zones[code] = draw(rng, zones)


def zone_of(state: GeneratorState, case: Case, code: str) -> str:
    """Return the zone a case's party works in: its own, else its country's."""
    return case.zones.get(code) or state.calendar.zone(code)


def draw_parties(
    state: GeneratorState,
    crime: str,
    keep: Sequence[str] = (),
    avoid: Sequence[str] = (),
    rng: random.Random | None = None,
) -> tuple[list[str], list[str]]:
    """Draw a case's countries (keeping ``keep``, never ``avoid``) and organisations,
    from the calibrated stream unless a knob's ``rng`` is given."""
    if rng is None:
        rng = state.rng
    count = draw(rng, COUNTRIES_PER_MEETING)
    third_chance = THIRD_COUNTRY_SHARE * THIRD_COUNTRY_BIAS.get(count, 2.0)
    third = 0
    if rng.random() < third_chance:
        third = 2 if count >= 5 and rng.random() < 0.3 else 1
    third_weights = dict(THIRD_COUNTRY_WEIGHTS)
    for code, extra in THIRD_COUNTRY_AFFINITY.get(crime, {}).items():
        third_weights[code] = third_weights.get(code, 0) + extra
    kept = list(keep)
    skip = [*kept, *avoid]
    kept_third = [code for code in kept if code not in EU_MEMBERS]
    third_codes = kept_third + sample(rng, third_weights, third - len(kept_third), skip)
    eu_count = max(1, count - len(third_codes))
    kept_eu = [code for code in kept if code in EU_MEMBERS]
    eu_codes = kept_eu + sample(
        rng, EU_DESK_WEIGHTS, eu_count - len(kept_eu), [*skip, *third_codes]
    )
    countries = eu_codes + third_codes
    if HOST.country in countries:
        countries.remove(HOST.country)
        countries.insert(0, HOST.country)
    organisations = []
    if rng.random() < EUROPOL_MEETING_SHARE and "EUROPOL" not in avoid:
        organisations.append("EUROPOL")
    if crime == "pif" and rng.random() < 0.5 and "EPPO" not in avoid:
        organisations.append("EPPO")
    return countries, organisations


def link_cases(state: GeneratorState, cases: list[Case]) -> None:
    """Link about one case in ten to another (``LINKED_CASE_SHARE``): pairs whose action days
    are struck together on one date (``JOINT_ACTION_DAY_SHARE``), and pairs or triples
    with at most one action day, which share no party and are linked by an entity only.
    """
    rng = state.rng
    with_action_day = [case for case in cases if case.has_action_day]
    rng.shuffle(with_action_day)
    joint = round(len(with_action_day) * JOINT_ACTION_DAY_SHARE / 2)
    if len(with_action_day) >= 4:
        joint = max(1, joint)
    cluster = 0
    for first, second in zip(
        with_action_day[0 : 2 * joint : 2], with_action_day[1 : 2 * joint : 2], strict=True
    ):
        first.cluster = second.cluster = cluster
        second.joint_with = first
        # Struck on the same date: both centres' staff must fit the pool at once.
        second.action_day_staff = max(
            0, min(second.action_day_staff, state.centre_staff - first.action_day_staff)
        )
        resemble(state, second, first)
        cluster += 1
    target = round(LINKED_CASE_SHARE * len(cases)) - 2 * joint
    free = [case for case in cases if case.cluster is None]
    rng.shuffle(free)
    while target >= 2 and len(free) >= 2:
        size = 3 if target >= 3 and rng.random() < 0.2 else 2
        members = take_members(free, size)
        if len(members) < 2:
            break
        for member in members:
            member.cluster = cluster
        for position, member in enumerate(members[1:], start=1):
            hide(state, member, members[:position])
        if rng.random() < 0.3:
            members[1].declared.append(members[0])
        cluster += 1
        target -= len(members)


def take_members(free: list[Case], size: int) -> list[Case]:
    """Take up to ``size`` cases from ``free``, in order, for one cluster: at most one of
    them with an action day, so that no two action days of a cluster must share a date."""
    members: list[Case] = []
    for case in list(free):
        if len(members) == size:
            break
        if case.has_action_day and any(m.has_action_day for m in members):
            continue
        members.append(case)
        free.remove(case)
    return members


def link_networks(state: GeneratorState, cases: list[Case]) -> None:
    """Link more cases into networks of ``LINKED_CLUSTER_SIZES`` cases
    (``Variety.linked_clusters_per_year``): the same crime, an entity and
    ``LINKED_SHARED_COUNTRIES`` countries in common, each case placed weeks after the
    one before it, so that their meetings cost link spread (SPEC 2.4).

    Only cases no other link has taken join, at most one with an action day per
    network (no two action days of a network must share a date). Every draw comes from
    the knob's own stream.
    """
    count = state.per_horizon(state.variety.linked_clusters_per_year)
    if not count:
        return
    rng = state.stream("linked")
    cluster = 1 + max((case.cluster for case in cases if case.cluster is not None), default=-1)
    free = [case for case in cases if case.cluster is None]
    rng.shuffle(free)
    smallest, largest = LINKED_CLUSTER_SIZES
    for _ in range(count):
        members = take_members(free, rng.randint(smallest, largest))
        if len(members) < smallest:
            break
        # placed in the order of the cases: the first is where the others count from
        members.sort(key=lambda case: case.index)
        head, spacing = members[0], 0
        for member in members:
            member.cluster = cluster
            if member is head:
                continue
            spacing += 7 * rng.randint(*LINKED_SPACING_WEEKS)
            member.spacing_days = spacing
            member.crime = head.crime
            shared = head.countries[:LINKED_SHARED_COUNTRIES]
            member.countries, member.organisations = draw_parties(
                state, head.crime, keep=shared, rng=rng
            )
        state.networks.add(cluster)
        cluster += 1


def resemble(state: GeneratorState, case: Case, other: Case) -> None:
    """Make the partner of a joint action day look like the same network: often the same
    crime, and up to two countries in common.
    """
    if state.rng.random() < 0.6:
        case.crime = other.crime
    case.countries, case.organisations = draw_parties(state, case.crime, other.countries[:2])


def hide(state: GeneratorState, case: Case, others: Sequence[Case]) -> None:
    """Make a linked case another country's investigation of the same network: same
    crime often, no party in common, so that only a shared entity links them.

    Linked meetings that share a party cost ``link_spread`` per day apart; a case
    chain's last meeting could then cost more to hold than to leave out.
    """
    if state.rng.random() < 0.6 and not (case.has_action_day and others[0].crime == "other"):
        case.crime = others[0].crime
    avoid = sorted({code for other in others for code in other.parties})
    case.countries, case.organisations = draw_parties(state, case.crime, avoid=avoid)


def attendance(state: GeneratorState, case: Case) -> None:
    """Decide which of a case's parties are required: each, nearest clock first, while the
    required ones still share ``MIN_COMMON_MINUTES`` of working time on every day of the
    horizon; the others (and Europol, most often) are optional.
    """
    calendar = state.calendar
    europol_optional = state.rng.random() < 0.7
    ordered = sorted(
        case.parties, key=lambda code: calendar.offset_hours(zone_of(state, case, code))
    )
    required: list[str] = []
    optional: list[str] = []
    for code in ordered:
        zones = [zone_of(state, case, other) for other in [*required, code]]
        if code == "EUROPOL" and europol_optional:
            optional.append(code)
        elif not required or calendar.horizon_common_minutes(zones) >= MIN_COMMON_MINUTES:
            required.append(code)
        else:
            optional.append(code)
    case.required = [code for code in case.parties if code in required]
    case.optional = [code for code in case.parties if code in optional]


def give_crimes(state: GeneratorState, cases: list[Case], mix: dict[str, float]) -> None:
    """Give cases crimes so that their meetings follow ``mix`` closely: each case, in a
    shuffled order, draws from what is still missing of every crime's share.
    """
    total = sum(case.meetings for case in cases)
    weight = sum(mix.values())
    missing = {crime: share / weight * total for crime, share in mix.items()}
    order = list(cases)
    state.rng.shuffle(order)
    for case in order:
        open_shares = {crime: left for crime, left in missing.items() if left > 0}
        case.crime = draw(state.rng, open_shares or mix)
        missing[case.crime] -= case.meetings


def action_day_countries(state: GeneratorState, case: Case, with_europol: bool) -> list[str]:
    """Draw the countries of a case's action day: its own, and more by
    ``COUNTRIES_PER_ACTION_DAY`` (some outside the EU), with Europol when asked."""
    low, high = draw(state.rng, COUNTRIES_PER_ACTION_DAY)
    count = max(len(case.countries), state.rng.randint(low, high))
    extra = count - len(case.countries)
    third = sum(1 for _ in range(extra) if state.rng.random() < 0.15)
    more = sample(state.rng, THIRD_COUNTRY_WEIGHTS, third, case.countries)
    more += sample(state.rng, EU_DESK_WEIGHTS, extra - len(more), [*case.countries, *more])
    countries = case.countries + more
    if with_europol:
        countries.append("EUROPOL")
    return countries


def mark_critical(state: GeneratorState, cases: list[Case]) -> None:
    """Make about one meeting in a hundred critical (``CRITICAL_SHARE``): the first of a
    case with EU countries only, no optional party and no link.
    """
    count = round(CRITICAL_SHARE * state.meeting_count)
    eligible = [
        case
        for case in cases
        if not case.optional
        and case.cluster is None
        and all(code in EU_MEMBERS for code in case.countries)
    ]
    for case in state.rng.sample(eligible, min(count, len(eligible))):
        case.critical = True


def case_entry(state: GeneratorState, case: Case) -> dict[str, Any]:
    """Return a case as the scenario's ``cases:`` entry writes it."""
    entry: dict[str, Any] = {
        "id": case.identifier,
        "crime": case.crime,
        "countries": case.parties,
        "entities": case.entities,
    }
    if case.declared:
        entry["linked"] = [other.identifier for other in case.declared]
    return entry
