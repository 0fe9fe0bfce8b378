"""A plan: where and when every activity takes place, or why it does not (SPEC 2.6).

These are the results of :func:`planner.solve.solve`, plain frozen dataclasses with
times as aware datetimes in host time; :mod:`planner.output.schedule_json` writes
them as ``planner.schedule/1`` JSON, :mod:`planner.output.timetable` as a
timetable, and :mod:`planner.output.exports` as CSV, ICS and HTML. The rule names
(:data:`RULES`) and term names (:data:`TERM_NAMES`) are SPEC's vocabulary, shared by
the solver, the checker and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from planner.models.score import Score

Status = Literal["optimal", "feasible", "infeasible", "unknown"]

TERM_NAMES = (
    "unscheduled",
    "lateness",
    "stretch",
    "optional_absent",
    "link_spread",
    "moves",
    "virtual_centre",
)
"""The objective terms of SPEC 2.3, in report order."""

RULES = (
    "window",
    "host_hours",
    "working_hours",
    "holiday",
    "unavailable",
    "desk_capacity",
    "room_capacity",
    "room_feature",
    "room_conflict",
    "interpreter",
    "order",
    "pin",
    "critical",
    "centre",
    "staff",
    "link_same_day",
)
"""Rule names used to say why an activity is unscheduled or a scenario infeasible."""


@dataclass(frozen=True)
class LocalTimes:
    """A participant's view of a meeting, in its own time zone."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class MeetingPlacement:
    """A held meeting (SPEC 2.6 ``meetings``).

    Attributes
    ----------
    id, case
        The meeting's id and its case's id.
    start, end
        Host time, aware.
    room
        The room's id.
    interpreters
        Interpreter ids by language, for each language that needs interpretation.
    absent
        Codes of the optional participants who do not attend.
    local
        Each non-host participant's start and end in its own zone, by party code.
    """

    id: str
    case: str
    start: datetime
    end: datetime
    room: str
    interpreters: dict[str, list[str]]
    absent: list[str]
    local: dict[str, LocalTimes]


@dataclass(frozen=True)
class ActionDayPlacement:
    """A held action day (SPEC 2.6 ``action_days``).

    Attributes
    ----------
    id, case
        The action day's id and its case's id.
    date
        The host date of the operations.
    centre_open, centre_close
        The coordination centre's span, host time, aware.
    room
        The centre's room, or ``None`` for a virtual centre.
    """

    id: str
    case: str
    date: date
    centre_open: datetime
    centre_close: datetime
    room: str | None
    operations: dict[str, LocalTimes]
    """Each country's operation, in its local time."""


@dataclass(frozen=True)
class Unscheduled:
    """An activity left out, with the rule that keeps it out (one of :data:`RULES`) and the
    reasons a coordinator reads (SPEC 2.6 ``unscheduled``).
    """

    id: str
    rule: str
    reasons: list[str]


@dataclass(frozen=True)
class Infeasibility:
    """Why a scenario is infeasible: must-hold (critical or pinned) activities that cannot
    all be held, the rule, and the reason (SPEC 2.6 ``infeasible``).
    """

    rule: str
    activities: list[str]
    reason: str


@dataclass(frozen=True)
class SuspectedLink:
    """Two cases that may be linked, and the evidence (SPEC 2.4 suspected links)."""

    cases: list[str]
    why: str


@dataclass(frozen=True)
class LinksSummary:
    """The links a plan reports (SPEC 2.6 ``links``): the clusters of linked cases, and
    the suspected links, strongest first.
    """

    clusters: list[list[str]] = field(default_factory=list)
    suspected: list[SuspectedLink] = field(default_factory=list)


@dataclass(frozen=True)
class Moved:
    """An activity held in the baseline and now, with what changed (SPEC 2.7.1)."""

    id: str
    fields: list[str]
    """Of ``date``, ``time`` (of day, host clock) and ``room``."""
    before: dict[str, str | None]
    after: dict[str, str | None]
    """``start`` and ``room`` of a meeting, ``date`` and ``room`` of an action day."""


@dataclass(frozen=True)
class Conflict:
    """A rule that an activity kept as it was (frozen) now breaks."""

    id: str
    rule: str
    reasons: list[str]


@dataclass(frozen=True)
class Changes:
    """A plan compared with its baseline (SPEC 2.7.1): every activity of the baseline is
    unchanged (not listed), frozen, moved, newly placed, dropped or cancelled."""

    baseline_sha256: str
    baseline_objective: int | None
    frozen: list[str] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    dropped: list[Unscheduled] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    now: datetime | None = None
    """The moment of a re-plan: what started before it is frozen."""


@dataclass(frozen=True)
class Result:
    """The outcome of one solve."""

    status: Status
    objective: int | None
    bound: int | None
    terms: dict[str, int] | None
    solve_seconds: float
    meetings: list[MeetingPlacement] = field(default_factory=list)
    action_days: list[ActionDayPlacement] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    infeasible: list[Infeasibility] = field(default_factory=list)
    links: LinksSummary = field(default_factory=LinksSummary)
    changes: Changes | None = None
    """Against a baseline, when there was one."""
    score: Score | None = None
    """The plan's two levels (SPEC 2.3): ``objective`` is their sum."""
    score_bound: Score | None = None
    """The proven bound of each level: ``bound`` is their sum."""

    @property
    def has_plan(self) -> bool:
        """Whether the result holds a plan: ``optimal`` or ``feasible``."""
        return self.status in ("optimal", "feasible")
