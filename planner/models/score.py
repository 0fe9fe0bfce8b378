"""The two levels on which plans are compared (SPEC 2.3, since v1.2).

Like a solver's hard/medium/soft score, a plan's value is a pair: first
**placement** (the ``unscheduled`` weights of what it leaves out), then
**preference** (every other term). A plan that holds more, by weight, is better
whatever its other costs. Every comparison, table and JSON field goes through
:class:`Score`, so that nobody sums or compares the levels by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PLACEMENT_TERMS = ("unscheduled",)
"""The objective terms of the placement level; every other term is preference."""


@dataclass(frozen=True, order=True)
class Score:
    """A plan's value on the two levels: lower is better, placement first."""

    placement: int
    """The ``unscheduled`` term: the weights of the activities left out."""
    preference: int
    """Every other term: lateness, stretch, absences, link spread, moves, virtual centres."""

    @classmethod
    def of(cls, terms: Mapping[str, int]) -> Score:
        """The score of a plan's objective terms (SPEC 2.3 names)."""
        placement = sum(terms.get(name, 0) for name in PLACEMENT_TERMS)
        preference = sum(value for name, value in terms.items() if name not in PLACEMENT_TERMS)
        return cls(placement, preference)

    @property
    def total(self) -> int:
        """Both levels summed: the ``objective`` of the schedule JSON."""
        return self.placement + self.preference

    def as_dict(self) -> dict[str, int]:
        """The ``score`` / ``score_bound`` object of the schedule JSON."""
        return {"placement": self.placement, "preference": self.preference}

    def __str__(self) -> str:
        return f"placement {self.placement} · preference {self.preference}"


def preference_gap(score: Score, bound: Score) -> float:
    """The gap reported everywhere (SPEC 2.3): ``(Q - Qb) / Q``, 0 when ``Q`` is 0."""
    if score.preference <= 0:
        return 0.0
    return max(0.0, (score.preference - bound.preference) / score.preference)


def describe_gap(score: Score, bound: Score) -> str:
    """``gap 2.1 % (placement proven)`` or ``gap 2.1 % (placement gap 100)``."""
    placement = (
        "placement proven"
        if score.placement <= bound.placement
        else f"placement gap {score.placement - bound.placement}"
    )
    return f"gap {100 * preference_gap(score, bound):.1f} % ({placement})"
