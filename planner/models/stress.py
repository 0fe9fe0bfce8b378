"""What ``planner stress`` finds (SPEC 2.7.6): how a published plan absorbs random
disruptions, as plain data that :func:`planner.stress.stress` makes and the reports of
:mod:`planner.output.stress_json`, :mod:`planner.output.stress_html` and
:mod:`planner.output.stress_text` print.

A sweep draws disruptions (:class:`Disruption`, each a change file), re-plans each
against the published plan as ``planner replan`` does, checks the plan with the
independent checker (:class:`Outcome`), and sums them up per kind
(:class:`KindSummary`) and per activity (:class:`Fragile`) in a :class:`StressReport`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from planner.models.score import Score
from planner.models.violations import Violation

KINDS = ("room", "desk", "interpreter", "longer", "cancel", "urgent")
"""The kinds of disruption, in report order: a room closed one day, a country's desk
away one day, an interpreter absent one day, a meeting one hour longer, a meeting
cancelled, a new urgent meeting copied from a typical one."""

KIND_TITLES = {
    "room": "a room closed one day",
    "desk": "a country's desk away one day",
    "interpreter": "an interpreter absent one day",
    "longer": "a meeting one hour longer",
    "cancel": "a meeting cancelled",
    "urgent": "a new urgent meeting",
}
"""Each kind in words, for the reports."""

OutcomeStatus = Literal["optimal", "feasible", "infeasible", "unknown", "error"]
"""A re-plan's status (SPEC 2.6), or ``error``: no valid change could be drawn (exit 2),
or the re-plan itself failed (a bug, exit 1); the message is kept as the detail."""

CheckResult = Literal["ok", "violations", "no plan"]
"""The checker's verdict on a re-plan: no violation stands, some do, or there was no
plan to check (infeasible, none in time, an error)."""

MANY_MOVES = 4
"""From this many moved activities on, a disruption counts as "4+ moved"."""


@dataclass(frozen=True)
class Disruption:
    """One drawn disruption: a change file to the scenario, and the re-plan's seed."""

    index: int
    """Its place in the sweep, from 0: the same seed draws the same disruption here."""
    name: str
    """``d007-room``: the number from 1 and the kind; ``--changes DIR`` writes its change
    file as ``DIR/d007-room.yaml``."""
    kind: str
    """One of :data:`KINDS`."""
    what: str
    """In words: ``room P1 closed on 2026-12-01``."""
    resource: str
    """What it takes away or adds, as the fragile list names it: ``room P1``, ``desk ES``,
    ``interpreter anna``, ``meeting CM-0412-1``."""
    target: str
    """The published activity it was drawn from (the one it touches first)."""
    change: dict[str, Any]
    """The change file as data (SPEC 2.7 "Change files": ``remove``, ``update``, ``add``);
    :func:`planner.stress.draws.change_text` writes it as YAML."""
    seed: int
    """The re-plan's random seed, from the sweep's seed and :attr:`index`."""
    added: tuple[str, ...] = ()
    """The activities the change adds (an urgent meeting)."""


@dataclass(frozen=True)
class MovedActivity:
    """An activity the re-plan moved, with what changed: ``date``, ``time``, ``room``."""

    id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class DroppedActivity:
    """A published activity the re-plan left out, with the rule and reasons."""

    id: str
    rule: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """One disruption re-planned and checked."""

    disruption: Disruption
    status: OutcomeStatus
    exit_code: int
    """What ``planner replan`` exits with for this re-plan (README "Nightly job"): 0, 3,
    4, 5 or 6 (1 for an error)."""
    moved: tuple[MovedActivity, ...] = ()
    dropped: tuple[DroppedActivity, ...] = ()
    unplaced: tuple[str, ...] = ()
    """What the change adds that the re-plan leaves out (an urgent meeting that found no
    place)."""
    check: CheckResult = "no plan"
    violations: tuple[Violation, ...] = ()
    """The checker's violations that stand (none when ``check`` is ``ok``)."""
    score: Score | None = None
    plan_sha256: str | None = None
    """The sha256 of the re-plan's plan file without its ``solve_seconds``: equal digests
    are equal plans."""
    seconds: float = 0.0
    """The re-plan's own time."""
    detail: str = ""
    """Why there is no plan: the infeasibility, or the error."""

    @property
    def has_plan(self) -> bool:
        """Whether the re-plan found a plan."""
        return self.status in ("optimal", "feasible")

    @property
    def absorbed(self) -> bool:
        """Whether the plan absorbed the disruption: a plan was found that moves and drops
        nothing published, and places whatever the change adds."""
        return self.has_plan and not self.moved and not self.dropped and not self.unplaced


@dataclass(frozen=True)
class KindSummary:
    """The distribution of one kind's disruptions (SPEC 2.7.6): how many re-plans moved
    nothing, 1 to 3, or 4 or more activities; how many dropped one; how many found no
    plan; how many the plan absorbed."""

    kind: str
    disruptions: int
    moved_none: int
    """Re-plans with a plan that moved nothing."""
    moved_1_to_3: int
    moved_4_or_more: int
    """Re-plans that moved :data:`MANY_MOVES` or more activities."""
    dropped: int
    """Re-plans that dropped a published activity (whatever they moved)."""
    no_plan: int
    """Re-plans without a plan: infeasible, none in time, or an error."""
    absorbed: int
    """Re-plans that moved and dropped nothing and placed what the change adds."""


@dataclass(frozen=True)
class Forcing:
    """A resource whose disruptions moved or dropped an activity, and how often."""

    resource: str
    """:attr:`Disruption.resource`: ``room P1``, ``desk ES``, ``interpreter anna``..."""
    times: int


@dataclass(frozen=True)
class Fragile:
    """An activity that disruptions move or drop, and what forces it."""

    id: str
    moved: int
    """Disruptions that moved it."""
    dropped: int
    """Disruptions that dropped it."""
    forced_by: tuple[Forcing, ...]
    """The resources of those disruptions, most often first."""


@dataclass(frozen=True)
class StressReport:
    """A robustness sweep of a published plan (SPEC 2.7.6).

    ``outcomes`` holds the disruptions that finished, in the order drawn; an interrupted
    sweep is not ``complete`` and holds what finished before the signal.
    """

    scenario_name: str
    scenario_sha256: str
    plan_sha256: str
    """The sha256 of the published plan file stressed."""
    complete: bool
    """Whether every disruption asked for was re-planned (``False``: a partial report)."""
    interrupted: str | None
    """The signal that ended an incomplete sweep (``SIGINT``, ``SIGTERM``)."""
    now: datetime
    """The moment of every re-plan: what starts before it is frozen."""
    seed: int
    requested: int
    """Disruptions asked for (``-n``)."""
    kinds: tuple[str, ...]
    time_limit: float
    """Each re-plan's time limit, seconds."""
    idle: float | None
    """Each re-plan's idle stop, seconds."""
    gap: float | None
    """Each re-plan's gap stop, a fraction."""
    backend: str
    """Where the re-plans ran: ``pool of 2 processes``, ``ray local (2 CPUs)``..."""
    seconds: float
    """The sweep's wall time."""
    by_kind: tuple[KindSummary, ...]
    fragile: tuple[Fragile, ...]
    """The activities most often moved or dropped, most often first."""
    outcomes: tuple[Outcome, ...]

    @property
    def absorbed_share(self) -> float:
        """The share of finished disruptions the plan absorbed with no move (0 when none
        finished)."""
        if not self.outcomes:
            return 0.0
        return sum(outcome.absorbed for outcome in self.outcomes) / len(self.outcomes)

    @property
    def checked_ok(self) -> bool:
        """Whether no re-plan's plan breaks a rule by the independent checker."""
        return all(outcome.check != "violations" for outcome in self.outcomes)
