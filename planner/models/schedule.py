"""A plan: where and when every activity takes place, or why it does not.

These are the results of :func:`planner.solve.solve`; :mod:`planner.output`
writes them as ``planner.schedule/1`` JSON and as a timetable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

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
    id: str
    rule: str
    reasons: list[str]


@dataclass(frozen=True)
class Infeasibility:
    rule: str
    activities: list[str]
    reason: str


@dataclass(frozen=True)
class SuspectedLink:
    cases: list[str]
    why: str


@dataclass(frozen=True)
class LinksSummary:
    clusters: list[list[str]] = field(default_factory=list)
    suspected: list[SuspectedLink] = field(default_factory=list)


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

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "feasible")
