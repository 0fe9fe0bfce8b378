"""A valid scenario's summary as people and programs read it (``planner validate``)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from planner.models.limits import printable
from planner.models.scenario import Scenario


def validation_document(path: str, scenario: Scenario) -> dict[str, Any]:
    """Return what ``validate --json`` prints for a valid file: ``valid``, the file, the
    scenario's name and how many meetings, action days, rooms, interpreters and cases it
    has, and no problems."""
    return {
        "valid": True,
        "file": path,
        "name": scenario.name,
        "meetings": len(scenario.meetings),
        "action_days": len(scenario.action_days),
        "rooms": len(scenario.rooms),
        "interpreters": len(scenario.interpreters),
        "cases": len(scenario.cases),
        "problems": [],
    }


def print_validation(console: Console, summary: dict[str, Any]) -> None:
    """Print one line: the file is valid, and what it holds."""
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
