"""A valid scenario's summary as people and programs read it (``planner validate``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from planner.calendars import CalendarSummary
from planner.models.limits import printable
from planner.models.problems import format_location
from planner.models.scenario import Scenario


def validation_document(
    path: str, scenario: Scenario, calendars: Sequence[CalendarSummary] = ()
) -> dict[str, Any]:
    """Return what ``validate --json`` prints for a valid file: ``valid``, the file, the
    scenario's name and how many meetings, action days, rooms, interpreters and cases it
    has, what each calendar gave (``calendars``: where the scenario names it, whose it
    is, the file, its busy ``windows`` in the horizon and the free or cancelled events
    it ``ignored`` there), and no problems."""
    return {
        "valid": True,
        "file": path,
        "name": scenario.name,
        "meetings": len(scenario.meetings),
        "action_days": len(scenario.action_days),
        "rooms": len(scenario.rooms),
        "interpreters": len(scenario.interpreters),
        "cases": len(scenario.cases),
        "calendars": [
            {
                "path": format_location(calendar.location),
                "owner": calendar.owner,
                "file": calendar.file,
                "windows": calendar.windows,
                "ignored": calendar.ignored,
            }
            for calendar in calendars
        ],
        "problems": [],
    }


def print_validation(console: Console, summary: dict[str, Any]) -> None:
    """Print one line: the file is valid, and what it holds; then a line per calendar with
    the busy windows it gave in the horizon."""
    line = Text(printable(f"{summary['file']}: valid"), style="green")
    line.append(
        " "
        + printable(
            f"— {summary['meetings']} meetings, {summary['action_days']} action days, "
            f"{summary['rooms']} rooms, {summary['interpreters']} interpreters, "
            f"{summary['cases']} cases"
        )
    )
    console.print(line)
    for calendar in summary.get("calendars", []):
        ignored = calendar["ignored"]
        note = f" ({ignored} free or cancelled ignored)" if ignored else ""
        windows = calendar["windows"]
        console.print(
            Text(
                printable(
                    f"  {calendar['owner']}: {calendar['file']}: {windows} busy "
                    f"window{'s' if windows != 1 else ''} in the horizon{note}"
                )
            )
        )
