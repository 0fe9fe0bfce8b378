"""The readable account of a plan's changes against its baseline (SPEC 2.7.1): what
moved, was dropped, is new or cancelled, and the conflicts of frozen activities.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from planner.models.schedule import Changes


def print_changes(console: Console, changes: Changes) -> None:
    """One table of every baseline activity that is not unchanged, with what happened."""
    table = Table(title="Changes against the baseline", title_justify="left", show_lines=False)
    for column in ("activity", "what", "detail"):
        table.add_column(column, overflow="fold")
    for moved in changes.moved:
        before = ", ".join(f"{v}" for v in moved.before.values() if v is not None)
        after = ", ".join(f"{v}" for v in moved.after.values() if v is not None)
        table.add_row(moved.id, f"moved ({', '.join(moved.fields)})", f"{before} -> {after}")
    for dropped in changes.dropped:
        table.add_row(dropped.id, f"dropped ({dropped.rule})", "; ".join(dropped.reasons))
    for activity in changes.new:
        table.add_row(activity, "new", "")
    for activity in changes.cancelled:
        table.add_row(activity, "cancelled", "gone from the scenario")
    for conflict in changes.conflicts:
        table.add_row(
            conflict.id, f"frozen, conflict ({conflict.rule})", "; ".join(conflict.reasons)
        )
    frozen = f", {len(changes.frozen)} frozen" if changes.now is not None else ""
    console.print(table)
    console.print(
        f"{len(changes.moved)} moved, {len(changes.dropped)} dropped, {len(changes.new)} new, "
        f"{len(changes.cancelled)} cancelled{frozen}"
    )
