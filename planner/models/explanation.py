"""What ``planner explain`` finds (SPEC 2.7.1 "Explain"): why activities are left out and
what would let them in, as plain data that :mod:`planner.output.explain_report` prints
and :func:`planner.explain.explain` makes."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.models.schedule import Infeasibility


@dataclass(frozen=True)
class Way:
    """A placement of a left-out activity and what stands in its way.

    Attributes
    ----------
    when
        The placement's date and host times, as people read them (``Thu 03 Dec
        10:00-12:00``).
    room
        The room (or class of identical rooms) it would take; ``None`` for a virtual
        centre.
    blockers
        ``(activity, what it holds)`` pairs: the activities to move to free it.
    text
        The whole placement told as one sentence a coordinator can act on.
    """

    when: str
    room: str | None
    blockers: list[tuple[str, str]]
    text: str

    def sentence(self) -> str:
        """Return the placement as a sentence: ``"Thu 03 Dec 10:00-12:00 in P2: move
        CM-0311-1 (it holds room P2)"``."""
        return self.text


@dataclass(frozen=True)
class Explanation:
    """Why one activity is not placed: its rule (SPEC 2.6 rule names), the reasons, and
    for an activity that has placements those needing the fewest moves."""

    activity: str
    rule: str
    reasons: list[str]
    ways: list[Way] = field(default_factory=list)
    """For an activity that has placements: those needing the fewest moves."""


@dataclass(frozen=True)
class Explained:
    """Everything an explain run found: what it was asked about that is placed, an
    explanation per activity left out, and the infeasible set, if any."""

    placed: list[str]
    """Activities asked about that the plan holds."""
    explanations: list[Explanation]
    """One per activity asked about that the plan leaves out."""
    infeasible: list[Infeasibility]
    """Must-hold activities that cannot all be held, when the scenario is infeasible."""
