"""What-if as people and programs read it (``planner whatif``, SPEC 2.7.1): one table,
a column per plan (placed, left out, objective and every term, virtual centres,
interpreter hours, moved and dropped against the base), then each variant's moved and
dropped activities.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from planner.models.comparison import WhatIf
from planner.models.schedule import TERM_NAMES
from planner.models.score import Score
from planner.output.schedule_json import changes_document


def figures(document: dict[str, Any]) -> dict[str, str]:
    """The headline figures of one plan document (``-`` where it has none)."""
    if document.get("status") in (None, "unknown"):
        return {"status": "no plan in time"}
    meetings, action_days = document.get("meetings", []), document.get("action_days", [])
    hours = sum(
        (datetime.fromisoformat(m["end"]) - datetime.fromisoformat(m["start"])).total_seconds()
        / 3600
        * sum(len(team) for team in m.get("interpreters", {}).values())
        for m in meetings
    )
    terms = document.get("terms") or {}
    return {
        "status": str(document.get("status")),
        "placed": str(len(meetings) + len(action_days)),
        # how many are left out; the "unscheduled" term below is what they cost
        "left out": str(len(document.get("unscheduled", []))),
        "score": _score(document.get("score")),
        "objective": str(document.get("objective")),
        **{name: str(terms.get(name, "-")) for name in TERM_NAMES},
        "virtual centres": str(sum(1 for a in action_days if a.get("room") is None)),
        "interpreter hours": f"{hours:g}",
    }


def _score(score: Any) -> str:
    """``placement 0 · preference 2790`` of a plan document's ``score`` (SPEC 2.3)."""
    if not isinstance(score, dict):
        return "-"
    return str(Score(score["placement"], score["preference"]))


def print_whatif(console: Console, comparison: WhatIf) -> None:
    """The side-by-side table, then each variant's moved and dropped activities."""
    table = Table(title="What if", title_justify="left")
    table.add_column("")
    for plan in comparison.plans:
        table.add_column(plan.name, justify="right", overflow="fold")
    columns = [figures(plan.document) for plan in comparison.plans]
    rows = list(dict.fromkeys(key for column in columns for key in column))
    for row in rows:
        table.add_row(row, *(column.get(row, "-") for column in columns))
    table.add_row(
        "moved against base",
        "-",
        *(str(len(p.against_base.moved)) if p.against_base else "-" for p in comparison.variants),
    )
    table.add_row(
        "dropped against base",
        "-",
        *(str(len(p.against_base.dropped)) if p.against_base else "-" for p in comparison.variants),
    )
    console.print(table)
    for plan in comparison.variants:
        changes = plan.against_base
        if changes is None or not (changes.moved or changes.dropped):
            continue
        detail = Table(title=f"{plan.name}: moved and dropped", title_justify="left")
        for column in ("activity", "what", "from", "to / why"):
            detail.add_column(column, overflow="fold")
        for moved in changes.moved:
            before = " ".join(str(v) for v in moved.before.values() if v is not None)
            after = " ".join(str(v) for v in moved.after.values() if v is not None)
            detail.add_row(moved.id, f"moved ({', '.join(moved.fields)})", before, after)
        for dropped in changes.dropped:
            detail.add_row(dropped.id, f"dropped ({dropped.rule})", "", "; ".join(dropped.reasons))
        console.print(detail)


def whatif_document(comparison: WhatIf) -> dict[str, Any]:
    """The comparison as JSON: every plan, its figures, and its changes against the base."""
    return {
        "plans": [
            {
                "name": plan.name,
                "figures": figures(plan.document),
                "plan": plan.document,
                **(
                    {"against_base": changes_document(plan.against_base)}
                    if plan.against_base
                    else {}
                ),
            }
            for plan in comparison.plans
        ]
    }
