"""The checker's verdict as people and programs read it (``planner check``)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.models.limits import printable
from planner.models.violations import Verdict, Violation


def _entry(violation: Violation) -> dict[str, str]:
    """Return a violation as JSON: its rule, activity and detail."""
    return {"rule": violation.rule, "activity": violation.activity, "detail": violation.detail}


def verdict_document(verdict: Verdict) -> dict[str, Any]:
    """Return the verdict as ``check --json`` prints it: ``valid``, then every violation
    and every accepted conflict, each with its rule, activity and detail."""
    return {
        "valid": verdict.valid,
        "violations": [_entry(v) for v in verdict.violations],
        "accepted_conflicts": [_entry(v) for v in verdict.accepted],
    }


def print_verdict(console: Console, verdict: Verdict, schedule: str) -> None:
    """Print a table of the violations and one of the accepted conflicts (those that
    exist), or that every rule holds in ``schedule``."""
    for title, listed in (
        (f"{len(verdict.violations)} violations", verdict.violations),
        (f"{len(verdict.accepted)} accepted conflicts of frozen activities", verdict.accepted),
    ):
        if not listed:
            continue
        table = Table(title=title, title_justify="left")
        for column in ("rule", "activity", "detail"):
            table.add_column(column, overflow="fold")
        for v in listed:
            table.add_row(v.rule, printable(v.activity), printable(v.detail))
        console.print(table)
    if verdict.valid:
        console.print(Text(printable(f"{schedule}: every rule holds"), style="green"))
