"""A robustness sweep as people read it in a terminal (``planner stress``, SPEC 2.7.6):
the headline (what was stressed, how much the plan absorbed), a table per kind, the
fragile activities with what forces them, then one line per disruption."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.models.limits import printable
from planner.models.stress import Outcome, StressReport

FRAGILE_PRINTED = 10
"""The fragile activities the terminal shows (the files list more)."""


def headline(report: StressReport) -> str:
    """One paragraph: the sweep, what finished, the share absorbed with no move."""
    finished = len(report.outcomes)
    state = (
        "complete"
        if report.complete
        else f"PARTIAL ({report.interrupted or 'stopped'}: {finished} of {report.requested} "
        "finished)"
    )
    return (
        f"Stress of {report.scenario_name or 'the plan'}: {finished} disruptions re-planned at "
        f"{report.now:%Y-%m-%d %H:%M}, seed {report.seed}, on {report.backend} in "
        f"{report.seconds:.1f} s; {state}. The plan absorbs "
        f"{100 * report.absorbed_share:.0f} % with no move."
    )


def print_stress(console: Console, report: StressReport) -> None:
    """The headline, the table per kind, the fragile activities and every disruption."""
    console.print(Text(printable(headline(report))))
    kinds = Table(title="Per kind of disruption (re-plans)", title_justify="left")
    for column in ("kind", "drawn", "moved none", "1-3", "4+", "dropped", "no plan", "absorbed"):
        kinds.add_column(column, justify="left" if column == "kind" else "right")
    for summary in report.by_kind:
        kinds.add_row(
            summary.kind,
            str(summary.disruptions),
            str(summary.moved_none),
            str(summary.moved_1_to_3),
            str(summary.moved_4_or_more),
            str(summary.dropped),
            str(summary.no_plan),
            str(summary.absorbed),
        )
    console.print(kinds)
    if report.fragile:
        fragile = Table(title="Most often moved or dropped", title_justify="left")
        for column in ("activity", "moved", "dropped", "forced by"):
            fragile.add_column(column, overflow="fold")
        for entry in report.fragile[:FRAGILE_PRINTED]:
            forced = ", ".join(f"{f.resource} ({f.times})" for f in entry.forced_by)
            fragile.add_row(
                printable(entry.id), str(entry.moved), str(entry.dropped), printable(forced)
            )
        console.print(fragile)
    else:
        console.print("Nothing was moved or dropped.")
    for outcome in report.outcomes:
        console.print(Text(printable(outcome_line(outcome))))
    if not report.checked_ok:
        bad = [o.disruption.name for o in report.outcomes if o.check == "violations"]
        console.print(Text(f"The checker found violations in: {', '.join(bad)}", style="red"))


def outcome_line(outcome: Outcome) -> str:
    """One disruption in a line: name, words, moves and drops, exit, check, seconds."""
    disruption = outcome.disruption
    if outcome.has_plan:
        moved = ", ".join(m.id for m in outcome.moved) or "-"
        dropped = ", ".join(d.id for d in outcome.dropped) or "-"
        what = f"moved {len(outcome.moved)} ({moved}); dropped {len(outcome.dropped)} ({dropped})"
        if outcome.unplaced:
            what += f"; not placed: {', '.join(outcome.unplaced)}"
    else:
        what = f"{outcome.status}: {outcome.detail}"
    return (
        f"{disruption.name}  {disruption.what}: {what}; exit {outcome.exit_code}, "
        f"check {outcome.check}, {outcome.seconds:.1f} s"
    )
