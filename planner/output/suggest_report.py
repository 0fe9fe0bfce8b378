"""Suggestions as people and programs read them (``planner suggest``, SPEC 2.7.1): one
row per place with its cost and what changes, then the dates closed to the activity
and why.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from planner.models.schedule import MeetingPlacement
from planner.models.suggestion import Placement, Suggestions


def _where(placement: Placement) -> dict[str, Any]:
    """Return where a placement puts the activity, as JSON: a meeting's start, end, room,
    interpreters and absentees; an action day's date, centre span and room.
    """
    if isinstance(placement, MeetingPlacement):
        return {
            "start": placement.start.isoformat(),
            "end": placement.end.isoformat(),
            "room": placement.room,
            "interpreters": placement.interpreters,
            "absent": placement.absent,
        }
    return {
        "date": placement.date.isoformat(),
        "centre_open": placement.centre_open.isoformat(),
        "centre_close": placement.centre_close.isoformat(),
        "room": placement.room,
    }


def print_suggestions(console: Console, found: Suggestions) -> None:
    """The suggestions, best first, then the dates closed to the activity."""
    now = f" (now: {_short(found.current)})" if found.current else " (not placed now)"
    table = Table(
        title=f"Best places for {found.activity}{now}; plan objective {found.held_objective}",
        title_justify="left",
    )
    for column in ("#", "when", "room", "interpreters", "absent", "objective", "changes"):
        table.add_column(column, overflow="fold")
    for rank, suggestion in enumerate(found.suggestions, start=1):
        placement = suggestion.placement
        changes = ", ".join(f"{k} {v:+d}" for k, v in suggestion.changes.items() if v)
        interpreters = (
            "; ".join(f"{k}: {', '.join(v)}" for k, v in placement.interpreters.items())
            if isinstance(placement, MeetingPlacement)
            else ""
        )
        absent = ", ".join(placement.absent) if isinstance(placement, MeetingPlacement) else ""
        table.add_row(
            str(rank),
            _short(placement),
            placement.room or "virtual",
            interpreters,
            absent,
            str(suggestion.objective),
            changes or "none",
        )
    console.print(table)
    if found.closed:
        closed = Table(title="Dates without a place", title_justify="left")
        for column in ("date", "rule", "why"):
            closed.add_column(column, overflow="fold")
        for day in found.closed:
            closed.add_row(f"{day.date:%a %Y-%m-%d}", day.rule, day.reason)
        console.print(closed)


def _short(placement: Placement) -> str:
    """Return a placement's date and host times on one line."""
    if isinstance(placement, MeetingPlacement):
        return f"{placement.start:%a %Y-%m-%d %H:%M}-{placement.end:%H:%M}"
    return (
        f"{placement.date:%a %Y-%m-%d} {placement.centre_open:%H:%M}-{placement.centre_close:%H:%M}"
    )


def suggestions_document(found: Suggestions) -> dict[str, Any]:
    """Return the suggestions as ``suggest --json`` prints them: the activity, the held
    plan's objective, where the activity is now, each suggestion (where, the plan's
    objective with it there, the change of each term) and the closed dates with their
    rules and reasons.
    """
    return {
        "activity": found.activity,
        "plan_objective": found.held_objective,
        "current": _where(found.current) if found.current else None,
        "suggestions": [
            {**_where(s.placement), "objective": s.objective, "changes": s.changes}
            for s in found.suggestions
        ],
        "closed_dates": [
            {"date": d.date.isoformat(), "rule": d.rule, "reason": d.reason} for d in found.closed
        ],
    }
