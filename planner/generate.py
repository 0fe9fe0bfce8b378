"""Realistic scenarios calibrated to the agency's published figures (DOMAIN.md).

:func:`generate_scenario` builds a year (or some weeks) of coordination meetings
and action days as plain data that :class:`planner.models.Scenario` accepts, and
:func:`scenario_yaml` writes it as a scenario file. The same arguments always
give the same text: every draw comes from a ``random.Random`` seeded from
``seed`` and every collection is walked in a fixed order.

The scenario is what coordinators would ask for, so nearly every activity can be
placed:

- every case is a chain of one to three meetings, each ``after`` the previous
  one, and maybe an action day ``prepared_by`` the last meeting; the windows
  leave room for the gaps whatever day the earlier activity takes;
- a meeting is never longer than the common working hours of its required
  participants on every day of its window (a far participant whose hours cannot
  meet the others' attends by video and is optional);
- every window holds several days on which all required parties work (public
  holidays and the desks' days off included);
- chains are placed where the expected load is lowest, so that the work is
  spread evenly over the year;
- linked action days whose windows overlap share at least three working days
  of all their countries, and their centres' staff fits the pool together;
- every language that a participant needs has at least two interpreters.

Years unlike the calibrated one, for robustness benchmarks, come from a
:class:`Variety` of knobs (pins, preferred dates, participants' own time zones,
meetings in several languages, seasons, weekend and critical action days, desks
that do not grow); :data:`VARIANTS` names a few. The calibrated draws come from
``random.Random(seed)``; each knob draws from a stream of its own, derived from
the seed, so that a knob left at its default changes nothing and one turned on
redraws nothing else. Working days, local hours and pins are read off the
project's own time grid (:class:`planner.timegrid.TimeGrid`) and catalogue.

Every figure is a named constant below, with its source: a DOMAIN.md fact, or
an estimate where DOMAIN.md gives none.
"""

from __future__ import annotations

import bisect
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from planner.links import normalise_entity
from planner.models.catalogue import CATALOGUE, EU_MEMBERS
from planner.models.scenario import (
    BOOTHS,
    CENTRE,
    SCHEMA,
    VIDEOCONFERENCE,
    Defaults,
    Host,
    Interpretation,
    Meeting,
    Objective,
    Room,
    Scenario,
)
from planner.models.types import format_duration, format_time_of_day
from planner.timegrid import Span, TimeGrid, day_range

# ---- calibration: DOMAIN.md ---------------------------------------------------------

MEETINGS_PER_YEAR = 640
"""Coordination meetings per year (DOMAIN.md "Volumes": 2024)."""

ACTION_DAYS_PER_YEAR = 32
"""Action days (coordination centres) per year (DOMAIN.md "Volumes": 2024, a record)."""

WEEKS_PER_YEAR = 52

CRIME_MIX: dict[str, float] = {
    # DOMAIN.md "Volumes": CMs in 2024 by crime type, and 2023 counts for the rest
    # (terrorism 22 + 45 % in 2024; intellectual property "more than doubled").
    "fraud": 152,
    "money_laundering": 138,
    "cybercrime": 121,
    "drug_trafficking": 110,
    "thb": 54,
    "mocg": 36,
    "terrorism": 32,
    "migrant_smuggling": 31,
    "core_international": 20,
    "pif": 16,
    "corruption": 13,
    "ip_crime": 8,
    "environmental": 6,
    "other": 25,  # estimate: cases that fit no listed type
}

ACTION_DAY_CRIME_MIX: dict[str, float] = {
    # DOMAIN.md: "More than half of the CCs concern economic crime; then drugs,
    # cybercrime, organised crime, migrant smuggling."
    "fraud": 22,
    "money_laundering": 20,
    "pif": 6,
    "corruption": 4,
    "drug_trafficking": 16,
    "cybercrime": 12,
    "mocg": 8,
    "migrant_smuggling": 6,
    "thb": 4,
    "terrorism": 2,
}

COUNTRIES_PER_MEETING: dict[int, float] = {
    # DOMAIN.md "Who sits at the table" (estimate): 2: 55 %, 3: 25 %, 4-5: 15 %, 6-10: 5 %.
    2: 55,
    3: 25,
    4: 9,
    5: 6,
    6: 1.6,
    7: 1.2,
    8: 1.0,
    9: 0.7,
    10: 0.5,
}

COUNTRIES_PER_ACTION_DAY: dict[tuple[int, int], float] = {
    # DOMAIN.md (estimate): 2-3: 30 %, 4-6: 45 %, 7-10: 20 %, 11-15: 5 %.
    (2, 3): 30,
    (4, 6): 45,
    (7, 10): 20,
    (11, 15): 5,
}

THIRD_COUNTRY_SHARE = 0.20
"""Meetings with a country outside the EU (DOMAIN.md: "about 20 % of CMs")."""

THIRD_COUNTRY_BIAS: dict[int, float] = {2: 0.85, 3: 1.0, 4: 1.25, 5: 1.25}
"""Estimate: larger cases reach outside the EU more often (6 countries or more: 2.0);
weighted by ``COUNTRIES_PER_MEETING`` the bias averages 1."""

EUROPOL_MEETING_SHARE = 121 / 640
"""DOMAIN.md: Europol joined 121 of the 640 CMs in 2024 ..."""

EUROPOL_ACTION_DAY_SHARE = 7 / 32
"""... and 7 of the 32 CCs."""

EU_DESK_WEIGHTS: dict[str, float] = {
    # Estimate: how often each national desk takes part in cases (the annual reports
    # rank DE, IT, ES, FR, NL among the most active); NL, the host, takes part often.
    "DE": 14, "NL": 14, "IT": 12, "ES": 11, "FR": 11, "BE": 8, "PL": 7, "RO": 7,
    "PT": 5, "SE": 5, "AT": 5, "CZ": 4, "HU": 4, "BG": 3, "GR": 3, "SK": 3, "LT": 3,
    "HR": 2, "SI": 2, "DK": 2, "FI": 2, "IE": 2, "LV": 2, "EE": 1.5, "LU": 1.5,
    "CY": 1, "MT": 1,
}  # fmt: skip

THIRD_COUNTRY_WEIGHTS: dict[str, float] = {
    # Estimate: liaison prosecutors first (DOMAIN.md), then working arrangements and
    # contact points, including the far zones of Latin America.
    "GB": 10, "CH": 8, "US": 8, "NO": 6, "UA": 6, "AL": 5, "RS": 5, "MD": 3, "GE": 3,
    "CO": 3, "BR": 3, "ME": 2, "MK": 2, "AR": 1.5, "IS": 1, "LI": 1, "AM": 1, "CL": 1,
    "PE": 1, "EC": 1, "BO": 0.5, "PA": 0.5, "CR": 0.5,
}  # fmt: skip

THIRD_COUNTRY_AFFINITY: dict[str, dict[str, float]] = {
    # Estimate: where each kind of crime leads outside the EU.
    "drug_trafficking": {"CO": 6, "BR": 4, "EC": 4, "PE": 2, "AL": 3},
    "cybercrime": {"US": 6, "UA": 4, "GB": 3},
    "migrant_smuggling": {"RS": 4, "AL": 3, "MK": 3, "GB": 3},
    "core_international": {"UA": 12, "GE": 2},
    "terrorism": {"GB": 3, "US": 3, "CH": 2},
    "thb": {"MD": 3, "UA": 2, "AL": 2},
}

MEETINGS_PER_CASE: dict[int, float] = {1: 35, 2: 37, 3: 28}
"""Estimate: 1-3 meetings per case, about 330 cases for 640 meetings."""

MEETING_DURATIONS: dict[int, float] = {
    # DOMAIN.md: "CMs typically 2-4 h, sometimes a full day" (5-6 h here, 5 %).
    90: 10, 120: 30, 150: 10, 180: 25, 210: 5, 240: 15, 300: 2.5, 360: 2.5,
}  # fmt: skip

WINDOW_WEEKS: dict[int, float] = {1: 30, 2: 35, 3: 20, 4: 15}
"""Estimate: a meeting's window (earliest..latest) is one to four weeks."""

PRIORITIES: dict[str, float] = {"normal": 84, "high": 10, "low": 6}
"""Estimate, for meetings that prepare no action day (those are all ``high``)."""
CRITICAL_SHARE = 0.01
"""About one meeting in a hundred must be held (estimate)."""

DELEGATES: dict[int, float] = {1: 35, 2: 40, 3: 17, 4: 8}
IN_PERSON_SHARE = 0.7
"""Estimate: most delegations travel to The Hague; the rest join by video."""

INTERPRETED_SHARE = 0.30
"""Estimate: delegations that do not speak English ask for interpretation this often."""

INTERPRETED_MEETINGS_PER_INTERPRETER = 25
"""Estimate: one interpreter per 25 interpreted meetings a year, at least two per
language (DOMAIN.md: "at least two security-cleared interpreters per language")."""

MEETING_ROOMS = ((60, True), (40, True), (24, False), (16, False), (12, False))
"""DOMAIN.md "Rooms": 4-6 meeting rooms, 2-3 with booths; (capacity, booths) per unit of scale."""

MEETING_ROOMS_PER_UNIT = 5
CENTRE_ROOMS_PER_UNIT = 1.5
"""DOMAIN.md: one or two dedicated CC rooms."""

CENTRE_STAFF_PER_UNIT = 6
DESK_CAPACITY_PER_UNIT = 2
"""A national desk follows two activities at once (SPEC's default); an agency with
several times the work has several times the desk staff, as it has the rooms."""
LINKED_CASE_SHARE = 0.10
"""Estimate: cases that share an entity with another case."""

JOINT_ACTION_DAY_SHARE = 0.20
"""Estimate: action days struck together with a linked case's on the same date."""

ACTION_DAY_GAP_DAYS = (7, 28)
"""DOMAIN.md: "The last preparatory CM is typically 1-4 weeks before the action day"."""

FOLLOW_UP_GAP_DAYS = (1, 7)
ACTION_DAY_WINDOW_DAYS = (7, 14)
ACTION_DAY_LOCAL_STARTS: dict[int, float] = {300: 10, 330: 10, 360: 50, 390: 15, 420: 15}
"""DOMAIN.md: operations from about 06:00 local ..."""

ACTION_DAY_DURATIONS: dict[int, float] = {600: 40, 630: 10, 660: 25, 690: 5, 720: 20}
"""... for 10-12 h."""

WINTER_BREAK = ((12, 23), (1, 3))
"""No window touches 23 December - 3 January: the agency works, but cases do not meet."""

MIN_COMMON_MINUTES = 60
"""A far participant is required only when the meeting can still last this long."""

FAR_OFFSET_HOURS = 3
"""A party at least this far from the host's clock always joins by video."""

CANDIDATE_ANCHORS = 12
"""Start dates tried per case; the least loaded one wins."""

PREFERRED_CHANCE = 0.75
"""Estimate: about half the meetings prefer their earliest date; this is the chance
for those whose window allows it (see :func:`_may_prefer`)."""

LATENESS_BUDGET = 0.8
"""The share of a meeting's ``unscheduled`` weight that its lateness may reach."""

HOST = Host()
OBJECTIVE = Objective()
DEFAULTS = Defaults()
INTERPRETATION = Interpretation()

# ---- variety: years unlike the calibrated one ------------------------------------------

EVEN_MONTHS: tuple[float, ...] = (1.0,) * 12
"""The calibrated year: every month carries the same load."""

SEASONAL_MONTHS: tuple[float, ...] = (1.0, 1.0, 1.5, 1.5, 1.5, 1.0, 0.9, 0.35, 1.0, 1.0, 1.0, 0.5)
"""Estimate: relative load per month (January first) of a year with seasons: a busy
spring before the summer, a quiet August (holidays) and a quiet December (end of year;
no window touches the winter break anyway)."""

VARIED_PREFERRED_SHARE = 0.9
"""Estimate: in the varied year most meetings prefer a date."""

FIRST_VALID_PREFERRED_CHANCE = 0.6
"""Estimate: how often a preferred date is the first day the meeting can take; otherwise
it is another day of its window (within the lateness budget)."""

VARIED_PINS_PER_YEAR = 20
"""Estimate: meetings a year whose start, date or room is fixed before planning."""

PINNED_PINS_PER_YEAR = 40
"""Estimate: the pin-heavy year, twice the varied one's pins."""

PIN_KINDS: tuple[tuple[str, ...], ...] = (("start", "room"), ("room",), ("date",))
"""What a pin fixes, taken in turn: a start and a room, a room only, a date only."""

PIN_START_TARGETS: dict[int, float] = {570: 3, 600: 3, 660: 1, 840: 2}
"""DOMAIN.md "Rooms": many meetings start 09:30-10:00 so that same-day travellers can
arrive; estimate: others at 11:00 or after lunch, at 14:00. A pinned start is taken as
close to one of these (minutes after host midnight) as the meeting allows."""

OWN_ZONES: dict[str, dict[str, float]] = {
    # DOMAIN.md "Time" (US -5..-8 hours, Spain's Canaries on WET) and estimate: delegations
    # that join from their country's other zones, and how often each zone.
    "US": {"America/Chicago": 3, "America/Denver": 1, "America/Los_Angeles": 3},
    "BR": {"America/Manaus": 1},
    "ES": {"Atlantic/Canary": 1},
    "PT": {"Atlantic/Azores": 1, "Atlantic/Madeira": 1},
    "FR": {"America/Martinique": 1, "America/Cayenne": 1, "Indian/Reunion": 1},
}
"""Every zone here and in ``LIAISON_POSTS`` is within nine hours of the host's clock, so
that its working hours meet the host's on the same date, for an hour at least."""

LIAISON_POSTS: dict[str, float] = {
    # Estimate: where an EU member state's liaison officer joins from.
    "Asia/Tbilisi": 2,
    "Europe/Istanbul": 2,
    "Asia/Dubai": 2,
    "America/Bogota": 2,
    "Asia/Bangkok": 1,
}

VARIED_OWN_ZONE_SHARE = 0.12
"""Estimate: the chance that a delegation joins from a zone of its own, in the varied year."""

OWN_ZONES_OWN_ZONE_SHARE = 0.35
"""Estimate: the same chance in the year that stresses time zones."""

MAX_INTERPRETED_LANGUAGES = 4
"""A multilingual meeting needs 2-4 interpretation languages (SPEC 3, "Robust")."""

VARIED_MULTILINGUAL_SHARE = 0.5
"""Estimate: the chance that a case that could need several interpretation languages
does, in the varied year."""

MULTILINGUAL_SHARE = 1.0
"""The year that stresses interpretation: every case that can be multilingual is."""

VARIED_WEEKEND_ACTION_DAYS_PER_YEAR = 4
"""Estimate: action days a year that may fall on a weekend or holiday."""

VARIED_CRITICAL_ACTION_DAYS_PER_YEAR = 2
"""Estimate: action days a year that must be held."""


@dataclass(frozen=True)
class Variety:
    """How a generated year departs from the calibrated one.

    The defaults give the calibrated year itself, text for text; :data:`VARIANTS`
    names some departures. Each knob draws from a random stream of its own.

    Attributes
    ----------
    preferred_share
        The share of meetings that prefer a date; ``None`` keeps the calibrated rule
        (about half of them, on their earliest date). A preferred date is a day on
        which all required parties work, late enough that holding the meeting on its
        latest date costs at most ``LATENESS_BUDGET`` of leaving it out.
    pins_per_year
        Pinned meetings a year, pro rata for shorter horizons and at least one when
        positive; their kinds are taken in turn from ``PIN_KINDS``. Only meetings
        outside any ``after`` or ``prepared_by`` chain are pinned, each where the
        project's time grid allows it, with a room that fits, interpreters free and no
        two pinned meetings sharing a room at once or a party on a date. Fewer are
        pinned when fewer such meetings exist.
    own_zone_share
        The chance that a delegation joins from a zone other than its country's: one of
        ``OWN_ZONES`` for the countries listed there, a liaison post of
        ``LIAISON_POSTS`` for other EU desks. Far zones join by video, and are optional
        where their hours barely meet the others'.
    multilingual_share
        The chance that an interpreted case whose delegations speak two or more
        languages other than English has each of them interpreted (up to
        ``MAX_INTERPRETED_LANGUAGES``).
    month_weights
        Relative load of each month, January first: chains are placed where the load
        per weight is lowest.
    weekend_action_days_per_year
        Action days a year with ``weekend: true`` (pro rata, at least one when positive).
    critical_action_days_per_year
        Action days a year with ``priority: critical`` (pro rata, at least one when
        positive); unlinked ones that may run virtually are chosen first.
    grow_desks
        Whether the desks' capacity grows with the scale (2 per unit, as the rooms do)
        or stays at SPEC's default of 2.
    """

    preferred_share: float | None = None
    pins_per_year: int = 0
    own_zone_share: float = 0.0
    multilingual_share: float = 0.0
    month_weights: tuple[float, ...] = EVEN_MONTHS
    weekend_action_days_per_year: int = 0
    critical_action_days_per_year: int = 0
    grow_desks: bool = True

    def __post_init__(self) -> None:
        shares = {
            "own_zone_share": self.own_zone_share,
            "multilingual_share": self.multilingual_share,
        }
        if self.preferred_share is not None:
            shares["preferred_share"] = self.preferred_share
        for name, share in shares.items():
            if not 0 <= share <= 1:
                raise ValueError(f"{name} must lie between 0 and 1, not {share}")
        counts = {
            "pins_per_year": self.pins_per_year,
            "weekend_action_days_per_year": self.weekend_action_days_per_year,
            "critical_action_days_per_year": self.critical_action_days_per_year,
        }
        for name, count in counts.items():
            if count < 0:
                raise ValueError(f"{name} must not be negative, not {count}")
        if len(self.month_weights) != 12 or not all(w > 0 for w in self.month_weights):
            raise ValueError("month_weights must be 12 positive weights, January first")


VARIANTS: dict[str, Variety] = {
    "calibrated": Variety(),
    "varied": Variety(
        preferred_share=VARIED_PREFERRED_SHARE,
        pins_per_year=VARIED_PINS_PER_YEAR,
        own_zone_share=VARIED_OWN_ZONE_SHARE,
        multilingual_share=VARIED_MULTILINGUAL_SHARE,
        month_weights=SEASONAL_MONTHS,
        weekend_action_days_per_year=VARIED_WEEKEND_ACTION_DAYS_PER_YEAR,
        critical_action_days_per_year=VARIED_CRITICAL_ACTION_DAYS_PER_YEAR,
        grow_desks=False,
    ),
    "pinned": Variety(pins_per_year=PINNED_PINS_PER_YEAR),
    "seasonal": Variety(month_weights=SEASONAL_MONTHS),
    "own-zones": Variety(own_zone_share=OWN_ZONES_OWN_ZONE_SHARE),
    "multilingual": Variety(multilingual_share=MULTILINGUAL_SHARE),
    "tight-desks": Variety(grow_desks=False),
}
"""Named varieties: ``calibrated`` is the agency's year; ``varied`` departs from it in
every way at once; each of the others stresses one thing: ``pinned`` (many pins of the
three kinds), ``seasonal`` (a busy spring, quiet August and December), ``own-zones``
(delegations in zones of their own), ``multilingual`` (meetings in 2-4 interpretation
languages) and ``tight-desks`` (desks stay at two activities at once whatever the
scale; the same as ``calibrated`` at scale 1)."""


# ---- public API -------------------------------------------------------------------------


def generate_scenario(
    *,
    year: int,
    scale: float = 1,
    seed: int = 7,
    weeks: int | None = None,
    variant: str | Variety = "calibrated",
) -> dict[str, Any]:
    """Generate a realistic scenario calibrated to DOMAIN.md, or a variant of it.

    Parameters
    ----------
    year
        The calendar year planned.
    scale
        Multiple of the agency's 2024 volume (640 meetings, 32 action days a
        year) and of its rooms, centre staff and interpreters.
    seed
        Seed of the random generators used; the same arguments give the same
        scenario.
    weeks
        Plan only this many weeks from the first Monday of ``year`` (volumes pro
        rata) instead of the whole year.
    variant
        A name of :data:`VARIANTS` or a :class:`Variety`: how the year departs
        from the calibrated one. ``"calibrated"`` (the default) departs in nothing.

    Returns
    -------
    dict
        Plain data (str, int, bool, lists and dicts) that
        ``Scenario.model_validate`` accepts; write it with :func:`scenario_yaml`.

    Raises
    ------
    ValueError
        When ``scale`` or ``weeks`` is not positive, or ``variant`` names no variant.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    if weeks is not None and weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    variety = variety_of(variant)
    return _Generator(year=year, scale=scale, seed=seed, weeks=weeks, variety=variety).build()


def variety_of(variant: str | Variety) -> Variety:
    """The :class:`Variety` that a variant name of :data:`VARIANTS` stands for.

    Raises
    ------
    ValueError
        When the name is not one of :data:`VARIANTS`.
    """
    if isinstance(variant, Variety):
        return variant
    known = VARIANTS.get(variant)
    if known is None:
        names = ", ".join(VARIANTS)
        raise ValueError(f"unknown variant {variant!r}; choose one of {names}")
    return known


def variant_name(variety: Variety) -> str:
    """The name of a variety in :data:`VARIANTS`, or ``"custom"``."""
    return next((name for name, known in VARIANTS.items() if known == variety), "custom")


def scenario_yaml(data: dict[str, Any]) -> str:
    """Write generated scenario data as scenario-file text.

    Dates, times and codes that YAML 1.1 would misread (``NO``, ``06:00``) are
    quoted; short lists and entries are written inline. The same data always
    gives the same text.
    """
    body = yaml.dump(
        _styled(data),
        Dumper=_ScenarioDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,  # never fold a line: entries are kept short where it matters
        default_flow_style=False,
    )
    lines = body.splitlines()
    spaced: list[str] = []
    for line in lines:
        if spaced and _TOP_LEVEL_BLOCK.match(line):
            spaced.append("")
        spaced.append(line)
    header = (
        f"# {data.get('name', 'Generated scenario')}\n"
        "# Written by `planner generate`; calibrated to the agency's 2024 figures\n"
        "# (see planner/generate.py for every figure and its source).\n"
    )
    return header + "\n".join(spaced) + "\n"


def describe(data: dict[str, Any]) -> str:
    """One line: meetings, action days, cases, rooms and interpreters of generated data,
    and the pinned meetings if there are any."""
    pinned = sum(1 for meeting in data.get("meetings", []) if "pinned" in meeting)
    return (
        f"{len(data.get('meetings', []))} meetings, "
        f"{len(data.get('action_days', []))} action days, "
        f"{len(data.get('cases', []))} cases, {len(data.get('rooms', []))} rooms, "
        f"{len(data.get('interpreters', []))} interpreters"
        + (f", {pinned} pinned meetings" if pinned else "")
    )


def activity_counts(*, scale: float, weeks: int | None) -> tuple[int, int]:
    """Meetings and action days for a scale and horizon: the 2024 volumes pro rata.

    A horizon of one week has no action day: the last preparatory meeting comes at
    least a week before it (``ACTION_DAY_GAP_DAYS``). From two weeks on there is
    at least one, as long as there is a meeting to prepare it.
    """
    if weeks is None:
        meetings = round(MEETINGS_PER_YEAR * scale)
        return meetings, round(ACTION_DAYS_PER_YEAR * scale) if meetings else 0
    meetings = round(MEETINGS_PER_YEAR * scale * weeks / WEEKS_PER_YEAR)
    action_days = round(ACTION_DAYS_PER_YEAR * scale * weeks / WEEKS_PER_YEAR)
    if weeks < 2 or meetings == 0:
        return meetings, 0
    return meetings, max(1, action_days)


# ---- YAML ----------------------------------------------------------------------------

_TOP_LEVEL_BLOCK = re.compile(r"^(countries|rooms|interpreters|cases|meetings|action_days):")
_QUOTED = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?|\d{1,2}:\d{2}(?:-\d{1,2}:\d{2})?"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$"
)
_INLINE_WIDTH = 100
_INLINE_LISTS = ("after", "prepared_by", "unavailable")
_INLINE_ENTRIES = ("countries", "rooms", "interpreters", "participants")
_INLINE_BLOCKS = ("host", "horizon", "defaults", "coordination_centre", "links", "pinned")


class _Inline(list[Any]):
    """A list written on one line."""


class _InlineMap(dict[str, Any]):
    """A mapping written on one line."""


class _ScenarioDumper(yaml.SafeDumper):
    """Block style for the big blocks, inline for short entries, list items indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def _inline_length(value: Any) -> int:
    if isinstance(value, dict):
        return sum(len(str(k)) + 2 + _inline_length(v) for k, v in value.items()) + 2
    if isinstance(value, list):
        return sum(_inline_length(v) + 2 for v in value) + 2
    return len(str(value)) + 2


def _styled(value: Any, key: str | None = None, entry_of: str | None = None) -> Any:
    """Mark which lists and mappings are written on one line."""
    if isinstance(value, list):
        items = [_styled(item, entry_of=key) for item in value]
        inline = all(_is_scalar(item) for item in value) or key in _INLINE_LISTS
        if inline and _inline_length(value) <= _INLINE_WIDTH:
            return _Inline(items)
        return items
    if isinstance(value, dict):
        fields = {k: _styled(v, k) for k, v in value.items()}
        flat = all(isinstance(v, _Inline | _InlineMap) or _is_scalar(v) for v in fields.values())
        short = _inline_length(value) <= _INLINE_WIDTH
        if flat and (
            key in _INLINE_BLOCKS
            or entry_of in _INLINE_LISTS
            or (entry_of in _INLINE_ENTRIES and short)
        ):
            return _InlineMap(fields)
        return fields
    return value


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _QUOTED.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(flow: bool) -> Any:
    def represent(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    return represent


def _represent_dict(flow: bool) -> Any:
    def represent(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    return represent


_ScenarioDumper.add_representer(str, _represent_str)
_ScenarioDumper.add_representer(list, _represent_list(False))
_ScenarioDumper.add_representer(_Inline, _represent_list(True))
_ScenarioDumper.add_representer(dict, _represent_dict(False))
_ScenarioDumper.add_representer(_InlineMap, _represent_dict(True))


# ---- the calendar ----------------------------------------------------------------------


def _first_monday(year: int) -> date:
    first = date(year, 1, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _in_winter_break(day: date) -> bool:
    (end_month, end_day), (start_month, start_day) = WINTER_BREAK
    return (day.month, day.day) >= (end_month, end_day) or (day.month, day.day) <= (
        start_month,
        start_day,
    )


_ZONES: tuple[str, ...] = tuple(
    sorted(
        {party.timezone for party in CATALOGUE.values()}
        | {zone for zones in OWN_ZONES.values() for zone in zones}
        | set(LIAISON_POSTS)
    )
)
"""Every zone a generated participant may work in."""


class _Calendar:
    """The horizon as the generator sees it, read off the project's time grid: the host
    days on which cases may meet, who works on which of them, and whose hours meet, all
    computed once and kept.

    Working hours are minutes after host midnight of a host date. A party's hours are
    those of its local date equal to the host date: in every zone of ``_ZONES`` that is
    the local date on which they meet the host's hours.
    """

    def __init__(self, start: date, end: date) -> None:
        self.start = start
        self.end = end
        self._masks: dict[str, int] = {}
        self._whole_days_off: dict[str, frozenset[date]] = {}
        self.set_countries([])
        grid = self.grid
        self.usable = [
            day
            for day in day_range(start, end)
            if grid.host_day_off(day) is None and not _in_winter_break(day)
        ]
        self.break_days = [day for day in day_range(start, end) if _in_winter_break(day)]
        self._spans: dict[tuple[str, date], tuple[int, int]] = {}
        self._host_spans: dict[date, tuple[int, int]] = {}
        self._horizon_common: dict[tuple[str, ...], int] = {}
        self._offsets: dict[str, float] = {}
        self._clock_changes: list[date] | None = None
        # Held so that every ``ZoneInfo(name)`` the grid asks for comes from zoneinfo's
        # cache instead of being read from disk again.
        self._zone_infos = [ZoneInfo(zone) for zone in _ZONES]

    def set_countries(self, countries: list[dict[str, Any]]) -> None:
        """Read the parties from the catalogue with these ``countries:`` entries (the
        desks' days away); call it before asking who works when."""
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
        """Whether the time grid finds a meeting a start (on a grid over its window only:
        the year's would read every party's hours on every date)."""
        first = date.fromisoformat(meeting["earliest"])
        last = date.fromisoformat(meeting["latest"])
        grid = TimeGrid(self._skeleton(first, last))
        return bool(grid.allowed_starts(Meeting.model_validate(meeting)))

    def zone(self, code: str) -> str:
        """A party's time zone, from the catalogue."""
        return self.scenario.parties[code].timezone

    def works(self, code: str, day: date) -> bool:
        """Whether a party's desk works on a date (weekday, no holiday, no day away)."""
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
        """Usable host days in ``[first, last]`` on which every party works."""
        low = bisect.bisect_left(self.usable, first)
        high = bisect.bisect_right(self.usable, last)
        if high <= low:
            return []
        mask = ((1 << (high - low)) - 1) << low
        for code in codes:
            mask &= self._working_mask(code)
        return [self.usable[i] for i in range(low, high) if mask >> i & 1]

    def snap_forward(self, day: date) -> date | None:
        index = bisect.bisect_left(self.usable, day)
        return self.usable[index] if index < len(self.usable) else None

    def snap_back(self, day: date) -> date | None:
        index = bisect.bisect_right(self.usable, day) - 1
        return self.usable[index] if index >= 0 else None

    def crosses_break(self, first: date, last: date) -> bool:
        index = bisect.bisect_left(self.break_days, first)
        return index < len(self.break_days) and self.break_days[index] <= last

    def working_span(self, zone: str, day: date) -> tuple[int, int]:
        """The default working hours in ``zone`` on ``day``, in minutes after host midnight."""
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
        """The host's hours on ``day``, in minutes after host midnight."""
        span = self._host_spans.get(day)
        if span is None:
            midnight = self.grid.day_start(day)
            start, end = self.grid.host_hours_span(day)
            span = self._host_spans[day] = (start - midnight, end - midnight)
        return span

    def common_minutes(self, zones: Sequence[str], days: Sequence[date]) -> int:
        """The shortest common working time in ``zones`` inside host hours over ``days``."""
        shortest = HOST.hours.minutes
        for day in days:
            start, end = self.host_span(day)
            for zone in zones:
                zone_start, zone_end = self.working_span(zone, day)
                start, end = max(start, zone_start), min(end, zone_end)
            shortest = min(shortest, max(0, end - start))
        return shortest

    def horizon_common_minutes(self, zones: Sequence[str]) -> int:
        """:meth:`common_minutes` over every usable day of the horizon."""
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
                spans = [self.working_span(zone, day) for zone in _ZONES]
                if spans != previous:
                    days.append(day)
                    previous = spans
            self._clock_changes = days
        return self._clock_changes

    def offset_hours(self, zone: str) -> float:
        """The most hours between the host's clock and a zone's over the horizon."""
        known = self._offsets.get(zone)
        if known is None:
            starts = [self.working_span(zone, day)[0] for day in self._clock_days()]
            known = max(abs(start - DEFAULTS.working_hours.start) for start in starts) / 60
            self._offsets[zone] = known
        return known


# ---- cases and their chains -----------------------------------------------------------------


@dataclass
class _Chain:
    """One case's activities as day offsets from its first meeting's earliest date."""

    windows: list[tuple[int, int]]
    gaps: list[int]  # days after the previous meeting, one per meeting (the first: 0)
    action_day: tuple[int, int] | None
    action_day_gap: int

    @property
    def span(self) -> int:
        return max(w[1] for w in [*self.windows, *([self.action_day] if self.action_day else [])])


@dataclass
class _Case:
    index: int
    crime: str
    countries: list[str]  # countries only, in the order written
    organisations: list[str]
    meetings: int
    has_action_day: bool = False
    critical: bool = False
    cluster: int | None = None
    joint_with: _Case | None = None
    declared: list[_Case] = field(default_factory=list)
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

    @property
    def parties(self) -> list[str]:
        return [*self.countries, *self.organisations]

    @property
    def number(self) -> str:
        return self.identifier.removeprefix("EJ-")


def _draw(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _sample(
    rng: random.Random, weights: dict[str, float], count: int, exclude: Iterable[str] = ()
) -> list[str]:
    """Draw ``count`` distinct keys by weight, skipping ``exclude``."""
    chosen: list[str] = []
    skip = set(exclude)
    pool = {k: w for k, w in weights.items() if k not in skip}
    while pool and len(chosen) < count:
        key = _draw(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen


class _Generator:
    def __init__(
        self, *, year: int, scale: float, seed: int, weeks: int | None, variety: Variety
    ) -> None:
        self.rng = random.Random(seed)
        self.year, self.scale, self.seed, self.weeks = year, scale, seed, weeks
        self.variety = variety
        self._streams: dict[str, random.Random] = {}
        if weeks is None:
            start, end = date(year, 1, 1), date(year, 12, 31)
        else:
            start = _first_monday(year)
            end = start + timedelta(days=7 * weeks - 1)
        self.calendar = _Calendar(start, end)
        self.meeting_count, self.action_day_count = activity_counts(scale=scale, weeks=weeks)
        self.centre_staff = math.ceil(CENTRE_STAFF_PER_UNIT * scale)
        self.desk_capacity = DESK_CAPACITY_PER_UNIT
        if variety.grow_desks:
            self.desk_capacity = max(self.desk_capacity, math.ceil(DESK_CAPACITY_PER_UNIT * scale))
        self.meeting_load = [0.0] * len(self.calendar.usable)
        self.action_day_load = [0.0] * len(self.calendar.usable)
        # How much load each usable day takes relative to the others (None: the same).
        self.day_weights: list[float] | None = None
        if variety.month_weights != EVEN_MONTHS:
            weights = variety.month_weights
            self.day_weights = [weights[day.month - 1] for day in self.calendar.usable]
        self.used_entities: set[str] = set()

    def _stream(self, knob: str) -> random.Random:
        """The random stream of one variety knob: its own, so that a knob draws nothing
        from the calibrated stream or another knob's."""
        stream = self._streams.get(knob)
        if stream is None:
            stream = self._streams[knob] = random.Random(f"{self.seed}:{knob}")
        return stream

    def _per_horizon(self, per_year: int) -> int:
        """A yearly count pro rata for the horizon, at least one when positive."""
        if per_year <= 0:
            return 0
        return max(1, round(per_year * self._year_fraction()))

    # ---- the whole scenario ------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        rooms = self._rooms()
        countries = self._desks_away()
        cases = self._cases()
        self._place_all(cases)
        cases.sort(key=lambda case: (case.windows[0][0], case.index))
        width = max(4, len(str(len(cases))))
        for number, case in enumerate(cases, start=1):
            case.identifier = f"EJ-{number:0{width}d}"
        self._entities(cases)
        meetings = [m for case in cases for m in self._meetings(case, rooms)]
        self._keep_a_start(countries, meetings)
        with_action_day = [case for case in cases if case.has_action_day]
        action_days = [self._action_day(case) for case in with_action_day]
        self._mark_action_days(with_action_day, action_days)
        calendar = self.calendar
        variant = variant_name(self.variety)
        about = f"scale {self.scale:g}, seed {self.seed}"
        if variant != "calibrated":
            about += f", variant {variant}"
        if self.weeks is None:
            name = f"Generated year {self.year} ({about})"
        else:
            name = (
                f"Generated {self.weeks} week{'s' if self.weeks != 1 else ''} from "
                f"{calendar.start} ({about})"
            )
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "name": name,
            "host": {
                "country": HOST.country,
                "timezone": HOST.timezone,
                "hours": str(HOST.hours),
                "holidays": HOST.holidays,
            },
            "horizon": {"start": calendar.start.isoformat(), "end": calendar.end.isoformat()},
            "granularity": "15m",
            **(
                {"defaults": {"desk_capacity": self.desk_capacity}}
                if self.desk_capacity != DESK_CAPACITY_PER_UNIT
                else {}
            ),
            "coordination_centre": {"staff": self.centre_staff, "setup": "1h"},
            "links": {"detect": "entities", "action_days": "same_day"},
            "countries": countries,
            "rooms": rooms,
            "interpreters": self._interpreters(meetings),
            "cases": [self._case_entry(case) for case in cases],
            "meetings": meetings,
            "action_days": action_days,
        }
        self._pin(data)
        return data

    # ---- resources -------------------------------------------------------------------

    def _rooms(self) -> list[dict[str, Any]]:
        rooms: list[dict[str, Any]] = []
        for index in range(math.ceil(MEETING_ROOMS_PER_UNIT * self.scale)):
            capacity, booths = MEETING_ROOMS[index % len(MEETING_ROOMS)]
            features = (
                ["videoconference", "interpretation_booths"] if booths else ["videoconference"]
            )
            room: dict[str, Any] = {
                "id": f"{'P' if booths else 'M'}{index + 1}",
                "capacity": capacity,
                "features": features,
            }
            rooms.append(room)
        # Booth maintenance: a morning a quarter in one of the booth rooms.
        maintenance = self._sample_days(max(1, round(4 * self._year_fraction())))
        if maintenance:
            rooms[0]["unavailable"] = [
                {"date": day.isoformat(), "hours": "08:00-12:00"} for day in maintenance
            ]
        for index in range(max(1, round(CENTRE_ROOMS_PER_UNIT * self.scale))):
            rooms.append(
                {
                    "id": f"CC{index + 1}",
                    "capacity": 24 if index % 2 == 0 else 16,
                    "features": ["coordination_centre", "secure_line", "videoconference"],
                }
            )
        return rooms

    def _keep_a_start(
        self, countries: list[dict[str, Any]], meetings: list[dict[str, Any]]
    ) -> None:
        """Call off a desk's afternoon away where it leaves a meeting no start.

        Chains are placed on whole working days; an afternoon away can take the only
        hours that far participants share with the others. The project's time grid
        decides whether a meeting still has a start.
        """
        afternoons = [
            (entry["code"], date.fromisoformat(away["date"]))
            for entry in countries
            for away in entry["unavailable"]
            if isinstance(away, dict)
        ]
        for meeting in meetings:
            first = date.fromisoformat(meeting["earliest"])
            last = date.fromisoformat(meeting["latest"])
            required = {p["country"] for p in meeting["participants"] if p.get("required", True)}
            touching = [
                (code, day) for code, day in afternoons if code in required and first <= day <= last
            ]
            if not touching:
                continue
            if self.calendar.has_a_start(meeting):
                continue
            for entry in countries:
                entry["unavailable"] = [
                    away
                    for away in entry["unavailable"]
                    if not isinstance(away, dict)
                    or (entry["code"], date.fromisoformat(away["date"])) not in touching
                ]
            afternoons = [afternoon for afternoon in afternoons if afternoon not in touching]
            self.calendar.set_countries(countries)

    def _year_fraction(self) -> float:
        return ((self.calendar.end - self.calendar.start).days + 1) / 365

    def _sample_days(self, count: int) -> list[date]:
        usable = self.calendar.usable
        if not usable:
            return []
        return sorted(self.rng.sample(usable, min(count, len(usable))))

    def _desks_away(self) -> list[dict[str, Any]]:
        """A few national desks away on some dates: a seminar, a strike, a training."""
        entries = []
        desks = _sample(self.rng, {k: v for k, v in EU_DESK_WEIGHTS.items() if k != "NL"}, 3)
        for code in sorted(desks):
            whole = self._sample_days(max(1, round(2 * self._year_fraction())))
            afternoon = self._sample_days(1)
            unavailable: list[Any] = [day.isoformat() for day in whole]
            unavailable += [
                {"date": day.isoformat(), "hours": "13:00-17:00"}
                for day in afternoon
                if day not in whole
            ]
            entries.append({"code": code, "unavailable": unavailable})
        self.calendar.set_countries(entries)
        return entries

    # ---- cases -------------------------------------------------------------------------

    def _cases(self) -> list[_Case]:
        rng = self.rng
        cases: list[_Case] = []
        remaining = self.meeting_count
        while remaining > 0:
            meetings = min(_draw(rng, MEETINGS_PER_CASE), remaining)
            cases.append(_Case(len(cases), "", [], [], meetings))
            remaining -= meetings
        # Action days go to cases with more meetings: they need preparing.
        weights = [{1: 1.0, 2: 3.0, 3: 4.0}[case.meetings] for case in cases]
        chosen: set[int] = set()
        while len(chosen) < min(self.action_day_count, len(cases)):
            chosen.add(rng.choices(range(len(cases)), weights=weights)[0])
        for index in sorted(chosen):
            cases[index].has_action_day = True
            cases[index].action_day_staff = min(rng.randint(2, 4), self.centre_staff)
        self._crimes([case for case in cases if not case.has_action_day], CRIME_MIX)
        self._crimes([case for case in cases if case.has_action_day], ACTION_DAY_CRIME_MIX)
        for case in cases:
            case.countries, case.organisations = self._parties(case.crime)
        self._clusters(cases)
        with_action_day = [case for case in cases if case.has_action_day]
        # Europol's share of action days is met exactly, first where it joins the meetings.
        europol = round(EUROPOL_ACTION_DAY_SHARE * len(with_action_day))
        ranked = sorted(
            with_action_day,
            key=lambda case: ("EUROPOL" not in case.organisations, rng.random()),
        )
        for case in cases:
            self._own_zones(case)
            self._attendance(case)
        for rank, case in enumerate(ranked):
            case.action_day_countries = self._action_day_countries(case, rank < europol)
        self._critical(cases)
        return cases

    def _own_zones(self, case: _Case) -> None:
        """Let some delegations join from a zone of their own (``Variety.own_zone_share``)."""
        share = self.variety.own_zone_share
        if not share:
            return
        rng = self._stream("own_zones")
        for code in case.countries:
            if code == HOST.country:
                continue
            zones = OWN_ZONES.get(code) or (LIAISON_POSTS if code in EU_MEMBERS else None)
            if zones and rng.random() < share:
                case.zones[code] = _draw(rng, zones)

    def _zone(self, case: _Case, code: str) -> str:
        """The zone a case's party works in: its own, else its country's."""
        return case.zones.get(code) or self.calendar.zone(code)

    def _parties(
        self, crime: str, keep: Sequence[str] = (), avoid: Sequence[str] = ()
    ) -> tuple[list[str], list[str]]:
        """Draw a case's countries (keeping ``keep``, never ``avoid``) and organisations."""
        rng = self.rng
        count = _draw(rng, COUNTRIES_PER_MEETING)
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
        third_codes = kept_third + _sample(rng, third_weights, third - len(kept_third), skip)
        eu_count = max(1, count - len(third_codes))
        kept_eu = [code for code in kept if code in EU_MEMBERS]
        eu_codes = kept_eu + _sample(
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

    def _clusters(self, cases: list[_Case]) -> None:
        """Link about one case in ten to another: pairs with action days struck together,
        and pairs or triples with at most one action day."""
        rng = self.rng
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
                0, min(second.action_day_staff, self.centre_staff - first.action_day_staff)
            )
            self._resemble(second, first)
            cluster += 1
        target = round(LINKED_CASE_SHARE * len(cases)) - 2 * joint
        free = [case for case in cases if case.cluster is None]
        rng.shuffle(free)
        while target >= 2 and len(free) >= 2:
            size = 3 if target >= 3 and rng.random() < 0.2 else 2
            members: list[_Case] = []
            for case in list(free):
                if len(members) == size:
                    break
                if case.has_action_day and any(m.has_action_day for m in members):
                    continue
                members.append(case)
                free.remove(case)
            if len(members) < 2:
                break
            for member in members:
                member.cluster = cluster
            for position, member in enumerate(members[1:], start=1):
                self._hide(member, members[:position])
            if rng.random() < 0.3:
                members[1].declared.append(members[0])
            cluster += 1
            target -= len(members)

    def _resemble(self, case: _Case, other: _Case) -> None:
        """Make the partner of a joint action day look like the same network: often the
        same crime, and up to two countries in common."""
        if self.rng.random() < 0.6:
            case.crime = other.crime
        case.countries, case.organisations = self._parties(case.crime, other.countries[:2])

    def _hide(self, case: _Case, others: Sequence[_Case]) -> None:
        """Make a linked case another country's investigation of the same network: same
        crime often, no party in common, so that only a shared entity links them.

        Linked meetings that share a party cost ``link_spread`` per day apart; a case
        chain's last meeting could then cost more to hold than to leave out.
        """
        if self.rng.random() < 0.6 and not (case.has_action_day and others[0].crime == "other"):
            case.crime = others[0].crime
        avoid = sorted({code for other in others for code in other.parties})
        case.countries, case.organisations = self._parties(case.crime, avoid=avoid)

    def _attendance(self, case: _Case) -> None:
        """Required and optional parties: far ones are required only while a meeting fits."""
        calendar = self.calendar
        europol_optional = self.rng.random() < 0.7
        ordered = sorted(
            case.parties, key=lambda code: calendar.offset_hours(self._zone(case, code))
        )
        required: list[str] = []
        optional: list[str] = []
        for code in ordered:
            zones = [self._zone(case, other) for other in [*required, code]]
            if code == "EUROPOL" and europol_optional:
                optional.append(code)
            elif not required or calendar.horizon_common_minutes(zones) >= MIN_COMMON_MINUTES:
                required.append(code)
            else:
                optional.append(code)
        case.required = [code for code in case.parties if code in required]
        case.optional = [code for code in case.parties if code in optional]

    def _crimes(self, cases: list[_Case], mix: dict[str, float]) -> None:
        """Give cases crimes so that their meetings follow ``mix`` closely: each case
        draws from what is still missing of every crime's share."""
        total = sum(case.meetings for case in cases)
        weight = sum(mix.values())
        missing = {crime: share / weight * total for crime, share in mix.items()}
        order = list(cases)
        self.rng.shuffle(order)
        for case in order:
            open_shares = {crime: left for crime, left in missing.items() if left > 0}
            case.crime = _draw(self.rng, open_shares or mix)
            missing[case.crime] -= case.meetings

    def _action_day_countries(self, case: _Case, with_europol: bool) -> list[str]:
        low, high = _draw(self.rng, COUNTRIES_PER_ACTION_DAY)
        count = max(len(case.countries), self.rng.randint(low, high))
        extra = count - len(case.countries)
        third = sum(1 for _ in range(extra) if self.rng.random() < 0.15)
        more = _sample(self.rng, THIRD_COUNTRY_WEIGHTS, third, case.countries)
        more += _sample(self.rng, EU_DESK_WEIGHTS, extra - len(more), [*case.countries, *more])
        countries = case.countries + more
        if with_europol:
            countries.append("EUROPOL")
        return countries

    def _critical(self, cases: list[_Case]) -> None:
        """About one meeting in a hundred must be held: the first of an EU-only case."""
        count = round(CRITICAL_SHARE * self.meeting_count)
        eligible = [
            case
            for case in cases
            if not case.optional
            and case.cluster is None
            and all(code in EU_MEMBERS for code in case.countries)
        ]
        for case in self.rng.sample(eligible, min(count, len(eligible))):
            case.critical = True

    # ---- placing the chains ------------------------------------------------------------

    def _place_all(self, cases: list[_Case]) -> None:
        """Place every case's chain; a chain too long for the horizon gives up a meeting
        (which becomes a case of its own), then its critical mark, then its action day."""
        queue = list(cases)
        position = 0
        while position < len(queue):
            case = queue[position]
            position += 1
            if case.joint_with is not None:
                continue  # placed with its partner
            partner = next((c for c in queue if c.joint_with is case), None)
            near = next(
                (
                    other.windows[0][0]
                    for other in queue
                    if case.cluster is not None and other.cluster == case.cluster and other.windows
                ),
                None,
            )
            while not self._place(case, near):
                if case.has_action_day and case.meetings == 1 and partner is not None:
                    partner.joint_with = None  # it keeps its own action day, on any date
                    partner.cluster = None
                    index = queue.index(partner)
                    if index < position:  # skipped already: place it later
                        queue.append(queue.pop(index))
                        position -= 1
                    partner = None
                self._shrink(case, queue)
            if partner is None:
                continue
            while not self._place_partner(partner, case):
                if partner.meetings == 1:
                    # Keep the link, not the same day: the partner's action day goes.
                    partner.joint_with = None
                    self._shrink(partner, queue)
                    while not self._place(partner):
                        self._shrink(partner, queue)
                    break
                self._shrink(partner, queue)
        cases[:] = queue

    def _shrink(self, case: _Case, queue: list[_Case]) -> None:
        if case.meetings > 1:
            case.meetings -= 1
            spare = _Case(len(queue), case.crime, list(case.countries), [], 1)
            spare.zones = dict(case.zones)
            self._attendance(spare)
            queue.append(spare)
        elif case.critical:
            case.critical = False
        elif case.has_action_day:
            case.has_action_day = False
        else:  # pragma: no cover - one meeting always finds a window of a few days
            raise RuntimeError(f"no window fits case {case.index}")

    def _draw_chain(self, case: _Case, squeeze: float) -> _Chain:
        rng = self.rng
        windows: list[tuple[int, int]] = []
        gaps: list[int] = []
        for position in range(case.meetings):
            width = 7 * _draw(rng, WINDOW_WEEKS)
            if case.has_action_day and position == case.meetings - 1:
                width = rng.randint(7, 10)
            if case.critical and position == 0:
                width = max(width, 14)
            width = max(3, round(width * squeeze))
            if position == 0:
                gaps.append(0)
                windows.append((0, width - 1))
                continue
            gap = max(1, round(rng.randint(*FOLLOW_UP_GAP_DAYS) * squeeze))
            spacing = round(rng.randint(0, 21) * squeeze)
            first_prev, last_prev = windows[-1]
            # Late enough that the meeting still has days left when the previous one
            # takes its last day.
            earliest = max(
                first_prev + gap + 1 + spacing,
                last_prev + gap + max(2, round(7 * squeeze)) - (width - 1),
            )
            gaps.append(gap)
            windows.append((earliest, earliest + width - 1))
        action_day = None
        action_day_gap = 0
        if case.has_action_day:
            action_day_gap = max(
                ACTION_DAY_GAP_DAYS[0], round(rng.randint(*ACTION_DAY_GAP_DAYS) * squeeze)
            )
            width = max(3, round(rng.randint(*ACTION_DAY_WINDOW_DAYS) * squeeze))
            first_last, last_last = windows[-1]
            earliest = max(
                first_last + action_day_gap + 1 + round(rng.randint(0, 3) * squeeze),
                last_last + action_day_gap + max(1, round(5 * squeeze)) - (width - 1),
            )
            action_day = (earliest, earliest + width - 1)
        return _Chain(windows, gaps, action_day, action_day_gap)

    def _dates(self, chain: _Chain, anchor: date) -> list[tuple[date, date]] | None:
        """The chain's windows from ``anchor`` on usable days, or ``None`` if one breaks."""
        calendar = self.calendar
        spans = [*chain.windows, *([chain.action_day] if chain.action_day else [])]
        dated: list[tuple[date, date]] = []
        for first, last in spans:
            earliest = calendar.snap_forward(anchor + timedelta(days=first))
            latest = calendar.snap_back(anchor + timedelta(days=last))
            if earliest is None or latest is None or latest < earliest:
                return None
            if calendar.crosses_break(earliest, latest):
                return None
            dated.append((earliest, latest))
        return dated

    def _feasible(
        self, case: _Case, chain: _Chain, dated: list[tuple[date, date]], minimum: int
    ) -> bool:
        """Whether every activity has days its parties work, in chain order with the gaps:
        the earliest possible day of each, then the next one at least a gap later."""
        calendar = self.calendar
        previous: date | None = None
        for position, (earliest, latest) in enumerate(dated[: case.meetings]):
            days = calendar.valid_days(case.required, earliest, latest)
            needed = max(minimum, 5) if case.critical and position == 0 else minimum
            if len(days) < needed:
                return False
            if previous is not None:
                days = [d for d in days if d > previous + timedelta(days=chain.gaps[position])]
            if not days:
                return False
            previous = days[0]
        if chain.action_day is not None:
            earliest, latest = dated[-1]
            days = calendar.valid_days(case.action_day_countries, earliest, latest)
            if len(days) < minimum:
                return False
            assert previous is not None
            days = [d for d in days if d > previous + timedelta(days=chain.action_day_gap)]
            if len(days) < min(minimum, 2):
                return False
        return True

    def _score(self, case: _Case, dated: list[tuple[date, date]]) -> float:
        """The mean load of the days of each window, per the days' weight in a year
        with seasons: the lowest score spreads the load in proportion to the weights."""
        score = 0.0
        weights = self.day_weights
        for position, (earliest, latest) in enumerate(dated):
            load = self.action_day_load if position >= case.meetings else self.meeting_load
            low = bisect.bisect_left(self.calendar.usable, earliest)
            high = bisect.bisect_right(self.calendar.usable, latest)
            if weights is None:
                score += sum(load[low:high]) / max(1, high - low)
            else:
                weighted = sum(load[i] / weights[i] for i in range(low, high))
                score += weighted / max(1, high - low)
        return score

    def _commit(self, case: _Case, chain: _Chain, dated: list[tuple[date, date]]) -> None:
        case.windows = dated[: case.meetings]
        case.gaps = chain.gaps
        if chain.action_day is not None:
            case.action_day_window = dated[-1]
            case.action_day_gap = chain.action_day_gap
        for position, (earliest, latest) in enumerate(dated):
            load = self.action_day_load if position >= case.meetings else self.meeting_load
            low = bisect.bisect_left(self.calendar.usable, earliest)
            high = bisect.bisect_right(self.calendar.usable, latest)
            for index in range(low, high):
                load[index] += 1 / max(1, high - low)

    def _squeezes(self) -> tuple[float, ...]:
        return (1.0, 0.8, 0.6, 0.45, 0.3, 0.2)

    def _place(self, case: _Case, near: date | None = None) -> bool:
        """Place a case's chain at the least loaded of some feasible start dates."""
        usable = self.calendar.usable
        for squeeze in self._squeezes():
            minimum = 3 if squeeze >= 0.6 else 1
            for _ in range(3):
                chain = self._draw_chain(case, squeeze)
                last_anchor = self.calendar.snap_back(usable[-1] - timedelta(days=chain.span))
                if last_anchor is None or last_anchor < usable[0]:
                    continue
                anchors = usable[: bisect.bisect_right(usable, last_anchor)]
                if near is not None:
                    close = [d for d in anchors if abs((d - near).days) <= 14]
                    anchors = close or anchors
                tried = self.rng.sample(anchors, min(CANDIDATE_ANCHORS, len(anchors)))
                best = self._best(case, chain, tried, minimum)
                if best is None:
                    skip = set(tried)
                    rest = [d for d in anchors if d not in skip]
                    self.rng.shuffle(rest)
                    best = self._best(case, chain, rest, minimum, first_only=True)
                if best is not None:
                    self._commit(case, chain, best)
                    return True
        return False

    def _best(
        self,
        case: _Case,
        chain: _Chain,
        anchors: Sequence[date],
        minimum: int,
        first_only: bool = False,
    ) -> list[tuple[date, date]] | None:
        best: list[tuple[date, date]] | None = None
        best_score = math.inf
        for anchor in anchors:
            dated = self._dates(chain, anchor)
            if dated is None or not self._feasible(case, chain, dated, minimum):
                continue
            if first_only:
                return dated
            score = self._score(case, dated)
            if score < best_score:
                best, best_score = dated, score
        return best

    def _place_partner(self, case: _Case, first: _Case) -> bool:
        """Place a linked case so that its action day's window shares at least three
        working days of both action days' countries with its partner's."""
        assert first.action_day_window is not None
        calendar = self.calendar
        target_first, target_last = first.action_day_window
        both = sorted({*case.action_day_countries, *first.action_day_countries})
        for squeeze in self._squeezes():
            minimum = 3 if squeeze >= 0.6 else 1
            for _ in range(6):
                chain = self._draw_chain(case, squeeze)
                assert chain.action_day is not None
                shift = self.rng.randint(-2, 2)
                anchor = target_first + timedelta(days=shift - chain.action_day[0])
                dated = self._dates(chain, anchor)
                if dated is None or not self._feasible(case, chain, dated, minimum):
                    continue
                ad_first, ad_last = dated[-1]
                shared = calendar.valid_days(
                    both, max(ad_first, target_first), min(ad_last, target_last)
                )
                if len(shared) < min(3, max(1, minimum)):
                    continue
                self._commit(case, chain, dated)
                return True
        return False

    # ---- entities and links ----------------------------------------------------------

    def _entities(self, cases: list[_Case]) -> None:
        for case in cases:
            for _ in range(self.rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
                case.entities.append(self._new_entity(case))
        clusters: dict[int, list[_Case]] = {}
        for case in cases:
            if case.cluster is not None:
                clusters.setdefault(case.cluster, []).append(case)
        for members in clusters.values():
            head = members[0]
            for member in members[1:]:
                shared = self.rng.choice(head.entities)
                member.entities.insert(0, _rewrite(self.rng, shared))

    def _new_entity(self, case: _Case) -> str:
        rng = self.rng
        while True:
            kind = _draw(rng, {"iban": 35, "phone": 25, "company": 25, "domain": 8, "wallet": 7})
            country = rng.choice(case.countries)
            if kind == "iban":
                code = country if country in EU_MEMBERS else rng.choice(["NL", "DE", "ES"])
                digits = "".join(rng.choice("0123456789") for _ in range(18))
                text = f"{code}{rng.randint(10, 99)}{digits}"
                value = " ".join(text[i : i + 4] for i in range(0, len(text), 4))
            elif kind == "phone":
                prefix = _DIALLING_CODES.get(country, "44")
                number = f"{rng.randint(600, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
                value = f"+{prefix} {number}"
            elif kind == "company":
                form = _LEGAL_FORMS.get(country, "Ltd")
                value = f"{rng.choice(_NAME_FIRST)} {rng.choice(_NAME_SECOND)} {form}"
            elif kind == "domain":
                value = f"{rng.choice(_NAME_FIRST).lower()}-{rng.choice(_DOMAIN_WORDS)}.example"
            else:
                alphabet = "023456789acdefghjklmnpqrstuvwxyz"
                value = "bc1q" + "".join(rng.choice(alphabet) for _ in range(38))
            entity = f"{kind}:{value}"
            key = normalise_entity(entity)
            if key not in self.used_entities:
                self.used_entities.add(key)
                return entity

    def _case_entry(self, case: _Case) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": case.identifier,
            "crime": case.crime,
            "countries": case.parties,
            "entities": case.entities,
        }
        if case.declared:
            entry["linked"] = [other.identifier for other in case.declared]
        return entry

    # ---- meetings ------------------------------------------------------------------

    def _meetings(self, case: _Case, rooms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        calendar = self.calendar
        languages = {
            code: CATALOGUE[code].language
            for code in case.countries
            if code != HOST.country
            and CATALOGUE[code].language != "en"
            and rng.random() < INTERPRETED_SHARE
        }
        if languages:
            languages = self._multilingual(case, languages)
        zones = {code: self._zone(case, code) for code in case.parties}
        far = {
            code for code in case.parties if calendar.offset_hours(zones[code]) >= FAR_OFFSET_HOURS
        }
        booth_capacity = _second_largest(
            r["capacity"] for r in rooms if "interpretation_booths" in r["features"]
        )
        any_capacity = _second_largest(
            r["capacity"] for r in rooms if "coordination_centre" not in r["features"]
        )
        meetings = []
        for position, (earliest, latest) in enumerate(case.windows):
            identifier = f"CM-{case.number}-{position + 1}"
            days = calendar.valid_days(case.required, earliest, latest)
            longest = calendar.common_minutes([zones[code] for code in case.required], days)
            duration = _draw(rng, MEETING_DURATIONS)
            if case.critical and position == 0:
                duration = min(duration, 120)
            if languages:
                duration = min(duration, INTERPRETATION.max_per_day)
            duration = max(30, min(duration, longest // 15 * 15))
            participants = []
            for code in case.parties:
                entry: dict[str, Any] = {"country": code}
                if code in case.zones:
                    entry["timezone"] = case.zones[code]
                video = code in far or rng.random() > (
                    0.9 if code == HOST.country else 0.6 if code == "EUROPOL" else IN_PERSON_SHARE
                )
                if video:
                    entry["attendance"] = "video"
                delegates = _draw(rng, DELEGATES)
                if delegates > 1:
                    entry["delegates"] = delegates
                if code in languages:
                    entry["language"] = languages[code]
                if code in case.optional:
                    entry["required"] = False
                participants.append(entry)
            _fit_room(participants, booth_capacity, any_capacity)
            meeting: dict[str, Any] = {"id": identifier, "case": case.identifier}
            if case.has_action_day and position == case.meetings - 1:
                meeting["title"] = "Preparation of the action day"
            meeting |= {
                "duration": format_duration(duration),
                "participants": participants,
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            }
            if case.critical and position == 0:
                priority = "critical"
            elif case.has_action_day and position == case.meetings - 1:
                priority = "high"
            else:
                priority = _draw(rng, PRIORITIES)
            prefers = (
                _may_prefer(priority, (latest - earliest).days) and rng.random() < PREFERRED_CHANCE
            )
            preferred = earliest if prefers else None
            if self.variety.preferred_share is not None:
                preferred = self._preferred(priority, days, latest)
            if preferred is not None:
                meeting["preferred"] = preferred.isoformat()
            if priority != "normal":
                meeting["priority"] = priority
            if position > 0:
                previous = f"CM-{case.number}-{position}"
                gap = format_duration(case.gaps[position] * 24 * 60)
                meeting["after"] = [{"meeting": previous, "gap": gap}]
            meetings.append(meeting)
        return meetings

    def _multilingual(self, case: _Case, languages: dict[str, str]) -> dict[str, str]:
        """Interpret every language of a case's delegations, up to
        ``MAX_INTERPRETED_LANGUAGES``, in a share of the cases that speak several
        (``Variety.multilingual_share``); else keep ``languages``."""
        share = self.variety.multilingual_share
        spoken = {
            code: CATALOGUE[code].language
            for code in case.countries
            if code != HOST.country and CATALOGUE[code].language != "en"
        }
        if not share or len(set(spoken.values())) < 2:
            return languages
        if self._stream("multilingual").random() >= share:
            return languages
        # The languages already drawn come first, then the others in the case's order.
        ordered = sorted(spoken, key=lambda code: code not in languages)
        chosen: dict[str, str] = {}
        for code in ordered:
            language = spoken[code]
            distinct = set(chosen.values())
            if language in distinct or len(distinct) < MAX_INTERPRETED_LANGUAGES:
                chosen[code] = language
        return {code: chosen[code] for code in case.countries if code in chosen}

    def _preferred(self, priority: str, days: Sequence[date], latest: date) -> date | None:
        """A preferred date for ``Variety.preferred_share`` of the meetings: one of the
        ``days`` it can take, late enough that it costs little to hold it on ``latest``."""
        share = self.variety.preferred_share
        rng = self._stream("preferred")
        if share is None or rng.random() >= share:
            return None
        if priority == "critical":
            eligible = list(days)
        else:
            weight = getattr(OBJECTIVE.unscheduled, priority)
            budget_days = int(LATENESS_BUDGET * weight / OBJECTIVE.lateness_per_day)
            eligible = [day for day in days if (latest - day).days <= budget_days]
        if not eligible:
            return None
        if rng.random() < FIRST_VALID_PREFERRED_CHANCE:
            return eligible[0]
        return rng.choice(eligible)

    # ---- action days --------------------------------------------------------------------

    def _action_day(self, case: _Case) -> dict[str, Any]:
        rng = self.rng
        assert case.action_day_window is not None
        earliest, latest = case.action_day_window
        # A centre that must have a room is never one of two struck on the same date.
        virtual = "never" if case.joint_with is None and rng.random() < 0.15 else "allowed"
        return {
            "id": f"AD-{case.number}",
            "case": case.identifier,
            "countries": case.action_day_countries,
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
            "local_start": format_time_of_day(_draw(rng, ACTION_DAY_LOCAL_STARTS)),
            "duration": format_duration(_draw(rng, ACTION_DAY_DURATIONS)),
            "staff": case.action_day_staff,
            "prepared_by": [
                {
                    "meeting": f"CM-{case.number}-{case.meetings}",
                    "gap": format_duration(case.action_day_gap * 24 * 60),
                }
            ],
            "virtual": virtual,
            "priority": "high",
        }

    def _mark_action_days(self, cases: list[_Case], action_days: list[dict[str, Any]]) -> None:
        """Make some action days critical and let some fall on a weekend
        (``Variety.critical_action_days_per_year``, ``weekend_action_days_per_year``).

        Critical ones are those of unlinked cases that may run virtually first: no
        partner on the same date, no room needed. Weekend ones are others where there
        are enough.
        """
        critical = min(self._per_horizon(self.variety.critical_action_days_per_year), len(cases))
        weekend = min(self._per_horizon(self.variety.weekend_action_days_per_year), len(cases))
        if not (critical or weekend):
            return
        rng = self._stream("action_days")
        order = list(range(len(cases)))
        rng.shuffle(order)
        order.sort(
            key=lambda i: (cases[i].cluster is not None, action_days[i]["virtual"] != "allowed")
        )
        for i in order[:critical]:
            action_days[i]["priority"] = "critical"
        # Weekend ones differ from the critical ones where there are enough action days.
        rest = order[critical:] + order[:critical]
        for i in rest[:weekend]:
            entry = action_days[i]
            # ``weekend`` is written before ``priority``, in SPEC's order of the keys.
            priority = entry.pop("priority")
            entry["weekend"] = True
            entry["priority"] = priority

    # ---- pins ---------------------------------------------------------------------------

    def _pin(self, data: dict[str, Any]) -> None:
        """Pin ``Variety.pins_per_year`` meetings (pro rata), each kind of ``PIN_KINDS``
        in turn, where the project's time grid and catalogue say that they can be held."""
        count = self._per_horizon(self.variety.pins_per_year)
        if not count:
            return
        rng = self._stream("pins")
        scenario = Scenario.model_validate(data)
        grid = TimeGrid(scenario)
        # Meetings in a chain are left free: a pin would fix their neighbours' dates too.
        chained = {p.meeting for m in scenario.meetings for p in m.after}
        chained |= {p.meeting for a in scenario.action_days for p in a.prepared_by}
        candidates = [
            index
            for index, meeting in enumerate(scenario.meetings)
            if not meeting.after and meeting.id not in chained and meeting.priority != "critical"
        ]
        rng.shuffle(candidates)
        book = _PinBook(scenario, grid)
        pinned = 0
        for index in candidates:
            if pinned == count:
                break
            kind = PIN_KINDS[pinned % len(PIN_KINDS)]
            pin = book.pin(scenario.meetings[index], kind, rng)
            if pin is not None:
                data["meetings"][index]["pinned"] = pin
                pinned += 1

    # ---- interpreters -------------------------------------------------------------------

    def _interpreters(self, meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """At least two interpreters per language used, one more per 25 interpreted
        meetings a year; some know a third language; a few are away some days."""
        rng = self.rng
        interpreted: Counter[str] = Counter()
        for meeting in meetings:
            for language in sorted(
                {p["language"] for p in meeting["participants"] if "language" in p}
            ):
                interpreted[language] += 1
        per_year = 1 / self._year_fraction()
        languages = sorted(interpreted)
        pools = {
            language: max(
                2,
                math.ceil(interpreted[language] * per_year / INTERPRETED_MEETINGS_PER_INTERPRETER),
            )
            for language in languages
        }
        interpreters: list[dict[str, Any]] = []
        for language in languages:
            pool = pools[language]
            others = [other for other in languages if other != language]
            # At most one interpreter of a language is away at a time, so that a team
            # of two full-time interpreters is always there.
            away = self._leave_weeks(pool - 2)
            taken = {day for week in away for day in week}
            part_timer = pool >= 4
            for number in range(1, pool + 1):
                known = [language, "en"]
                if others and rng.random() < 0.25:
                    known.append(rng.choices(others, weights=[interpreted[o] for o in others])[0])
                entry: dict[str, Any] = {"id": f"{language}-{number}", "languages": known}
                if part_timer and number == pool and rng.random() < 0.5:
                    entry["max_per_day"] = "4h"
                days_off = away[number - 1] if number - 1 < len(away) else []
                if not days_off and rng.random() < 0.15:
                    days_off = [d for d in self._sample_days(1) if d not in taken]
                    taken.update(days_off)
                if days_off:
                    entry["unavailable"] = [day.isoformat() for day in days_off]
                interpreters.append(entry)
        return interpreters

    def _leave_weeks(self, count: int) -> list[list[date]]:
        """Weeks of leave for ``count`` interpreters of one language, never two at once."""
        usable = self.calendar.usable
        mondays = sorted({day - timedelta(days=day.weekday()) for day in usable})
        summer = [monday for monday in mondays if monday.month in (7, 8)]
        choices = summer if len(summer) >= count else mondays
        weeks = sorted(self.rng.sample(choices, min(count, len(choices))))
        return [
            [day for day in usable if monday <= day < monday + timedelta(days=7)]
            for monday in weeks
        ]


@dataclass
class _Floating:
    """A pin that leaves the time open: the starts (minutes) and rooms it may still take,
    and whether it still needs interpreters (a date pin has its team booked for its date)."""

    meeting: Meeting
    starts: list[int]
    rooms: list[Room]
    needs_interpreters: bool


class _PinBook:
    """What the pinned meetings take, read off the project's time grid, and whether one
    more pin still fits.

    A pin fits when the meeting may start then by the grid's rules (window, host hours,
    every required participant's hours on a working day of theirs, days away), a room
    with the seats and features is free around it (room buffer included) and a team of
    interpreters per language is there. No two pinned meetings share a party on a host
    date, or an interpreter on a date, or a room at once; every pin that leaves its time
    open keeps a start with a room and interpreters free.
    """

    def __init__(self, scenario: Scenario, grid: TimeGrid) -> None:
        self.scenario = scenario
        self.grid = grid
        self.buffer = scenario.defaults.room_buffer
        self.parties_on: dict[date, set[str]] = {}
        self.interpreters_on: dict[date, set[str]] = {}
        self.room_uses: dict[str, list[Span]] = {room.id: [] for room in scenario.rooms}
        self.room_spans = {room.id: grid.room_spans(room) for room in scenario.rooms}
        self.interpreter_spans = {
            interpreter.id: grid.interpreter_spans(interpreter)
            for interpreter in scenario.interpreters
        }
        self.floating: list[_Floating] = []

    def pin(
        self, meeting: Meeting, kind: tuple[str, ...], rng: random.Random
    ) -> dict[str, str] | None:
        """Pin ``meeting`` as ``kind`` says (start and room, room, or date), or ``None``."""
        rooms = self._rooms(meeting)
        if not rooms:
            return None
        grid = self.grid
        by_date: dict[date, list[int]] = {}
        for slot in grid.allowed_starts(meeting):
            minute = grid.slot_minute(slot)
            by_date.setdefault(grid.host_date(minute), []).append(minute)
        if kind == ("room",):
            starts = [minute for minutes in by_date.values() for minute in minutes]
            fitting = [
                room for room in rooms if self._fits(_Floating(meeting, starts, [room], True))
            ]
            if not fitting:
                return None
            room = rng.choice(fitting)
            self.floating.append(_Floating(meeting, starts, [room], True))
            return {"room": room.id}
        parties = {participant.country for participant in meeting.participants}
        dates = [day for day in by_date if not self.parties_on.get(day, set()) & parties]
        rng.shuffle(dates)
        target = _draw(rng, PIN_START_TARGETS)
        for day in dates:
            midnight = grid.day_start(day)
            starts = sorted(by_date[day], key=lambda m: (abs(m - midnight - target), m))
            for start in starts:
                end = start + meeting.duration
                team = self._interpreters(meeting, day, start, end)
                free = [room for room in rooms if self._room_free(room, start, end)]
                if team is None or not free:
                    continue
                room = rng.choice(free)
                booked = (room, start, end) if "start" in kind else None
                if not self._book(day, parties, team, booked):
                    continue
                if booked is not None:
                    return {"start": grid.at(start).strftime("%Y-%m-%dT%H:%M"), "room": room.id}
                self.floating.append(_Floating(meeting, by_date[day], rooms, False))
                return {"date": day.isoformat()}
        return None

    def _book(
        self,
        day: date,
        parties: set[str],
        team: list[str],
        room_use: tuple[Room, int, int] | None,
    ) -> bool:
        """Book a pin's parties and interpreters on ``day`` and its room, if any, unless
        that leaves a pin with an open time nowhere to go."""
        interpreters = self.interpreters_on.setdefault(day, set())
        new_interpreters = [interpreter for interpreter in team if interpreter not in interpreters]
        interpreters.update(new_interpreters)
        if room_use is not None:
            room, start, end = room_use
            self.room_uses[room.id].append((start, end))
        if all(self._fits(pin) for pin in self.floating):
            self.parties_on.setdefault(day, set()).update(parties)
            return True
        interpreters.difference_update(new_interpreters)
        if room_use is not None:
            self.room_uses[room_use[0].id].pop()
        return False

    def _fits(self, pin: _Floating) -> bool:
        """Whether a pin with an open time has a start with a room (and interpreters)."""
        meeting = pin.meeting
        for start in pin.starts:
            end = start + meeting.duration
            if not any(self._room_free(room, start, end) for room in pin.rooms):
                continue
            if pin.needs_interpreters:
                day = self.grid.host_date(start)
                if self._interpreters(meeting, day, start, end) is None:
                    continue
            return True
        return False

    def _rooms(self, meeting: Meeting) -> list[Room]:
        """Meeting rooms (no centre's) with a seat for everyone invited in person and
        every feature that anyone invited needs."""
        in_person = [p for p in meeting.participants if p.attendance == "in_person"]
        seats = self.scenario.defaults.host_staff + sum(p.delegates for p in in_person)
        needs = set()
        if any(p.attendance == "video" for p in meeting.participants):
            needs.add(VIDEOCONFERENCE)
        if any(p.language and p.language != meeting.working_language for p in in_person):
            needs.add(BOOTHS)
        return [
            room
            for room in self.scenario.rooms
            if CENTRE not in room.features
            and room.capacity >= seats
            and needs <= set(room.features)
        ]

    def _room_free(self, room: Room, start: int, end: int) -> bool:
        """Whether ``room`` is open and unbooked from a buffer before ``start`` to one
        after ``end``."""
        buffer = self.buffer
        if not self.grid.fits(self.room_spans[room.id], start - buffer, end + buffer):
            return False
        return all(
            end + buffer <= used_start or used_end + buffer <= start
            for used_start, used_end in self.room_uses[room.id]
        )

    def _interpreters(self, meeting: Meeting, day: date, start: int, end: int) -> list[str] | None:
        """A team per interpretation language, free at ``[start, end)`` and of any other
        pinned meeting that date; ``None`` when a language has too few."""
        scenario = self.scenario
        working = meeting.working_language
        languages = sorted(
            {p.language for p in meeting.participants if p.language and p.language != working}
        )
        taken = self.interpreters_on.get(day, set())
        team: list[str] = []
        for language in languages:
            able = [
                interpreter.id
                for interpreter in scenario.interpreters
                if {language, working} <= set(interpreter.languages)
                and interpreter.id not in taken
                and interpreter.id not in team
                and scenario.interpreter_max_per_day(interpreter) >= meeting.duration
                and self.grid.fits(self.interpreter_spans[interpreter.id], start, end)
            ]
            needed = scenario.interpreters_needed(meeting)
            if len(able) < needed:
                return None
            team.extend(able[:needed])
        return team


def _may_prefer(priority: str, window_days: int) -> bool:
    """Whether a meeting may prefer its earliest date: held on its latest date, its
    lateness must still cost well below leaving it out, or the plan would drop it."""
    if priority == "critical":
        return True
    weight = getattr(OBJECTIVE.unscheduled, priority)
    return OBJECTIVE.lateness_per_day * window_days <= LATENESS_BUDGET * weight


def _second_largest(capacities: Iterable[int]) -> int:
    ordered = sorted(capacities, reverse=True)
    return ordered[1] if len(ordered) > 1 else ordered[0] if ordered else 0


def _fit_room(participants: list[dict[str, Any]], booths: int, any_room: int) -> None:
    """Send the largest delegations to video until the meeting fits two rooms or more."""

    def in_person() -> list[dict[str, Any]]:
        return [p for p in participants if p.get("attendance") != "video"]

    def fits() -> bool:
        present = in_person()
        seats = DEFAULTS.host_staff + sum(p.get("delegates", 1) for p in present)
        needs_booths = any("language" in p for p in present)
        return seats <= (booths if needs_booths else any_room)

    while not fits():
        largest = max(in_person(), key=lambda p: (p.get("delegates", 1), p["country"]))
        largest["attendance"] = "video"


def _rewrite(rng: random.Random, entity: str) -> str:
    """The same entity as another police force would write it: other spacing or case."""
    kind, _, value = entity.partition(":")
    compact = re.sub(r"[\s\-.]", "", value)
    variants = [
        f"{kind}:{compact.lower()}",
        f"{kind.upper()}: {value.upper()}",
        f"{kind}:{'-'.join(value.split())}",
    ]
    if kind == "company":
        variants = [f"{kind}:{value.upper()}", f"{kind}:{value.lower()}", f"{kind}: {value}"]
    choice = rng.choice(variants)
    if normalise_entity(choice) != normalise_entity(entity):  # pragma: no cover - by design
        raise AssertionError(f"{choice!r} does not read as {entity!r}")
    return choice


_DIALLING_CODES = {
    "NL": "31", "DE": "49", "BE": "32", "FR": "33", "ES": "34", "IT": "39", "PL": "48",
    "RO": "40", "PT": "351", "SE": "46", "AT": "43", "CZ": "420", "HU": "36", "BG": "359",
    "GR": "30", "SK": "421", "LT": "370", "HR": "385", "SI": "386", "DK": "45", "FI": "358",
    "IE": "353", "LV": "371", "EE": "372", "LU": "352", "CY": "357", "MT": "356",
    "GB": "44", "CH": "41", "US": "1", "NO": "47", "UA": "380", "AL": "355", "RS": "381",
    "CO": "57", "BR": "55", "GE": "995", "MD": "373",
}  # fmt: skip

_LEGAL_FORMS = {
    "NL": "BV", "BE": "BV", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SARL",
    "LU": "SARL", "ES": "SL", "IT": "Srl", "PT": "Lda", "PL": "Sp z o o", "RO": "SRL",
    "CZ": "s r o", "SK": "s r o", "SE": "AB", "DK": "ApS", "FI": "Oy", "GB": "Ltd",
    "IE": "Ltd", "CY": "Ltd", "MT": "Ltd", "US": "LLC",
}  # fmt: skip

_NAME_FIRST = (
    "Acme", "Nordic", "Iberia", "Danube", "Baltic", "Alpine", "Atlas", "Meridian", "Helix",
    "Orion", "Vega", "Polaris", "Aurora", "Zenith", "Cobalt", "Falcon", "Harbour", "Summit",
    "Lumen", "Vertex", "Sigma", "Pioneer", "Crescent", "Granite", "Silverline", "Bluewater",
)  # fmt: skip

_NAME_SECOND = (
    "Trading", "Logistics", "Holding", "Invest", "Consulting", "Import Export", "Shipping",
    "Finance", "Digital", "Energy", "Capital", "Solutions", "Freight", "Commodities",
)  # fmt: skip

_DOMAIN_WORDS = ("pay", "crypto", "invest", "shop", "market", "secure", "cloud", "trade")
