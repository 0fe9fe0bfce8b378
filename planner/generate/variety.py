"""Years unlike the calibrated one, for robustness benchmarks: the knobs of a
:class:`Variety` and the named :data:`VARIANTS`.

Each knob draws from a random stream of its own, derived from the seed, so that a
knob left at its default changes nothing and one turned on redraws nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

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

LINKED_CLUSTERS_PER_YEAR = 12
"""Estimate: networks a year, in the link-heavy year, that several national
investigations pursue at once (the calibrated year links pairs and triples that share
no party; these share countries)."""

LINKED_CLUSTER_SIZES = (3, 6)
"""Cases per network of the link-heavy year, fewest to most."""

LINKED_SHARED_COUNTRIES = 2
"""The countries of a network's first case that each of its other cases shares."""

LINKED_SPACING_WEEKS = (1, 3)
"""Weeks between one case of a network and the next, fewest to most: their meetings
lie weeks apart, each day beyond ``links.meetings_within`` costing ``link_spread``."""

SCARCE_INTERPRETERS_PER_LANGUAGE = 2
"""Interpreters per language in the year where interpretation binds: the team of two
that a meeting over ``solo_max`` needs, and no more (DOMAIN.md: "at least two
security-cleared interpreters per language"; fewer would leave such meetings no place)."""


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
    linked_clusters_per_year
        Networks a year (pro rata, at least one when positive) of
        ``LINKED_CLUSTER_SIZES`` cases that share an entity, a crime and
        ``LINKED_SHARED_COUNTRIES`` countries, placed ``LINKED_SPACING_WEEKS`` apart
        one after the other, so that their meetings cost link spread. At most one case
        of a network has an action day.
    interpreters_per_language
        Interpreters per language used, whatever the demand (at least 2, the team a
        meeting over ``solo_max`` needs); ``None`` keeps the calibrated pools (one per
        ``INTERPRETED_MEETINGS_PER_INTERPRETER`` interpreted meetings a year, at least two).
    """

    preferred_share: float | None = None
    pins_per_year: int = 0
    own_zone_share: float = 0.0
    multilingual_share: float = 0.0
    month_weights: tuple[float, ...] = EVEN_MONTHS
    weekend_action_days_per_year: int = 0
    critical_action_days_per_year: int = 0
    grow_desks: bool = True
    linked_clusters_per_year: int = 0
    interpreters_per_language: int | None = None

    def __post_init__(self) -> None:
        """Refuse impossible knobs: shares outside ``[0, 1]``, negative counts, pools too small
        for a team of two, month weights that are not 12 positive numbers.
        """
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
            "linked_clusters_per_year": self.linked_clusters_per_year,
        }
        for name, count in counts.items():
            if count < 0:
                raise ValueError(f"{name} must not be negative, not {count}")
        pool = self.interpreters_per_language
        if pool is not None and pool < SCARCE_INTERPRETERS_PER_LANGUAGE:
            raise ValueError(
                f"interpreters_per_language must be at least {SCARCE_INTERPRETERS_PER_LANGUAGE} "
                f"(a team of two for meetings over solo_max), not {pool}"
            )
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
    "linked": Variety(linked_clusters_per_year=LINKED_CLUSTERS_PER_YEAR),
    "scarce-interpreters": Variety(
        interpreters_per_language=SCARCE_INTERPRETERS_PER_LANGUAGE,
        multilingual_share=MULTILINGUAL_SHARE,
    ),
}
"""Named varieties: ``calibrated`` is the agency's year; ``varied`` departs from it in
every way at once; each of the others stresses one thing: ``pinned`` (many pins of the
three kinds), ``seasonal`` (a busy spring, quiet August and December), ``own-zones``
(delegations in zones of their own), ``multilingual`` (meetings in 2-4 interpretation
languages), ``tight-desks`` (desks stay at two activities at once whatever the
scale; the same as ``calibrated`` at scale 1), ``linked`` (networks of 3-6 linked
cases sharing countries, their meetings weeks apart: link spread) and
``scarce-interpreters`` (two interpreters per language and every case that can be
multilingual is: interpretation is the binding resource)."""


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
