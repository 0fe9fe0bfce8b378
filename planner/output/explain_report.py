"""Explanations as people and programs read them (``planner explain``, SPEC 2.7.1): why
each activity is left out, what would let it in, and the must-hold activities that
cannot all be held.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from planner.models.explanation import Explained


def print_explained(console: Console, explained: Explained) -> None:
    """Every explanation: its rule and reasons, then the placements needing fewest moves."""
    for activity in explained.placed:
        console.print(f"{activity} is placed in the plan: nothing keeps it out.")
    if explained.infeasible:
        table = Table(title="Infeasible: these cannot all be held", title_justify="left")
        for column in ("rule", "activities", "why"):
            table.add_column(column, overflow="fold")
        for entry in explained.infeasible:
            table.add_row(entry.rule, ", ".join(entry.activities), entry.reason)
        console.print(table)
    for explanation in explained.explanations:
        table = Table(
            title=f"{explanation.activity}: not placed ({explanation.rule})",
            title_justify="left",
            show_header=False,
        )
        table.add_column("", overflow="fold")
        for reason in explanation.reasons:
            table.add_row(reason)
        if explanation.ways:
            table.add_row("To place it:")
            for number, way in enumerate(explanation.ways, start=1):
                table.add_row(f"  {number}. {way.sentence()}")
        console.print(table)
    if not (explained.placed or explained.explanations or explained.infeasible):
        console.print("Every activity is placed: nothing to explain.")


def explained_document(explained: Explained) -> dict[str, Any]:
    """Return the explanations as ``explain --json`` prints them: the activities asked about
    that are placed, each explanation (rule, reasons, and the placements needing the
    fewest moves, each with the activities to move and why, and its sentence), and the
    infeasible set.
    """
    return {
        "placed": explained.placed,
        "explanations": [
            {
                "activity": e.activity,
                "rule": e.rule,
                "reasons": e.reasons,
                "ways": [
                    {
                        "when": way.when,
                        "room": way.room,
                        "move": [{"activity": a, "because": what} for a, what in way.blockers],
                        "sentence": way.sentence(),
                    }
                    for way in e.ways
                ],
            }
            for e in explained.explanations
        ],
        "infeasible": [
            {"rule": i.rule, "activities": i.activities, "reason": i.reason}
            for i in explained.infeasible
        ],
    }
