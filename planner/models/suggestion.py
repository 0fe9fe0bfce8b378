"""What ``planner suggest`` finds (SPEC 2.7.1 "Suggest"): the best places for one
activity against a held plan, as plain data that :mod:`planner.output.suggest_report`
prints and :func:`planner.suggest.suggest` makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.models.schedule import ActionDayPlacement, MeetingPlacement

Placement = MeetingPlacement | ActionDayPlacement
"""Where an activity is held: a meeting's start, room and interpreters, or an action
day's date, centre and room."""


@dataclass(frozen=True)
class Suggestion:
    """One place for the activity: where, what the plan costs with it there, and how
    each objective term changes against the held plan (SPEC 2.3 term names)."""

    placement: Placement
    objective: int
    changes: dict[str, int]


@dataclass(frozen=True)
class ClosedDate:
    """A date of the activity's window on which it has no place, and the rule why
    (a SPEC 2.6 rule name and a reason a coordinator reads)."""

    date: date
    rule: str
    reason: str


@dataclass(frozen=True)
class Suggestions:
    """The best places found for one activity, best first, and the dates closed to it."""

    activity: str
    held_objective: int
    """The objective of the held plan, the activity where it is (or left out)."""
    current: Placement | None
    """Where the held plan has the activity (``None``: left out, or new)."""
    suggestions: list[Suggestion]
    closed: list[ClosedDate]
    """When there are fewer suggestions than asked: each other date, and why."""
