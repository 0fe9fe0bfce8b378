"""The readable timetable of a plan: by day, host times, local times of far participants."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from planner.models.scenario import Scenario
from planner.models.schedule import TERM_NAMES, Result
from planner.models.score import describe_gap


def _clock(moment: datetime) -> str:
    """Return an instant's clock time, ``HH:MM``."""
    return f"{moment:%H:%M}"


def _span(start: datetime, end: datetime) -> str:
    """``15:00-17:00``, with the end's date when it is another day."""
    tail = _clock(end) if end.date() == start.date() else f"{end:%a %H:%M}"
    return f"{_clock(start)}-{tail}"


def kpis(scenario: Scenario, result: Result) -> dict[str, str]:
    """Return the headline figures of a plan, by name: meetings and action days placed,
    virtual centres, interpreter hours, optional participants absent.
    """
    interpreted = sum(
        (m.end - m.start).total_seconds() / 3600 * sum(len(v) for v in m.interpreters.values())
        for m in result.meetings
    )
    return {
        "meetings placed": f"{len(result.meetings)} of {len(scenario.meetings)}",
        "action days placed": f"{len(result.action_days)} of {len(scenario.action_days)}",
        "virtual centres": str(sum(1 for a in result.action_days if a.room is None)),
        "interpreter hours": f"{interpreted:g}",
        "optional participants absent": str(sum(len(m.absent) for m in result.meetings)),
    }


def render(scenario: Scenario, result: Result) -> RenderableType:
    """Return everything ``planner solve`` prints about a result: the headline, then, for a
    plan, a table per day and the objective with its figures; then the infeasible set or
    the activities left out, each with its rule and reasons.
    """
    parts: list[RenderableType] = [_headline(scenario, result)]
    if result.has_plan:
        parts.extend(_days(scenario, result))
        parts.append(_figures(scenario, result))
    if result.infeasible:
        table = Table(title="Infeasible", title_justify="left", show_lines=True)
        for column in ("rule", "activities", "reason"):
            table.add_column(column)
        for entry in result.infeasible:
            table.add_row(entry.rule, ", ".join(entry.activities), entry.reason)
        parts.append(table)
    elif result.unscheduled:
        table = Table(title="Unscheduled", title_justify="left", show_lines=True)
        for column in ("activity", "rule", "why"):
            table.add_column(column)
        for left_out in result.unscheduled:
            table.add_row(left_out.id, left_out.rule, "\n".join(left_out.reasons))
        parts.append(table)
    return Group(*parts)


def _headline(scenario: Scenario, result: Result) -> Text:
    """Return the first line: the scenario's name, status, score on both levels (SPEC
    2.3), the bound and gap, and seconds."""
    name = scenario.name or "scenario"
    text = Text(f"{name}: ", style="bold")
    text.append(result.status, style="green" if result.status == "optimal" else "yellow")
    score, bound = result.score, result.score_bound
    if score is not None and bound is not None:
        text.append(f", {score}, bound {bound}, {describe_gap(score, bound)}")
    elif result.objective is not None:
        text.append(f", objective {result.objective} (bound {result.bound})")
    text.append(f", {result.solve_seconds:.2f} s")
    return text


def _days(scenario: Scenario, result: Result) -> list[RenderableType]:
    """Return one table per host date: each meeting and centre in host time with its case,
    room, participants (local times of far ones, attendance, language, absence) and
    interpreters; centres with each country's operation start.
    """
    host = scenario.host.country
    rows: dict[date, list[tuple[datetime, list[str]]]] = defaultdict(list)
    for placement in result.meetings:
        meeting = scenario.meetings_by_id[placement.id]
        who = []
        for p in meeting.participants:
            label = p.country + (f" x{p.delegates}" if p.delegates > 1 else "")
            if p.attendance == "video":
                label += " video"
            if p.language and p.language != meeting.working_language:
                label += f" {p.language}"
            local = placement.local.get(p.country)
            if local and (local.start.utcoffset() != placement.start.utcoffset()):
                label += f" {_span(local.start, local.end)}"
            if p.country in placement.absent:
                label += " (absent)"
            who.append(label)
        interpreters = "; ".join(
            f"{language}: {', '.join(names)}" for language, names in placement.interpreters.items()
        )
        rows[placement.start.date()].append(
            (
                placement.start,
                [
                    _span(placement.start, placement.end),
                    placement.id,
                    placement.case,
                    placement.room,
                    ", ".join(who),
                    interpreters,
                ],
            )
        )
    for centre in result.action_days:
        operations = ", ".join(
            f"{code} {_clock(t.start)}" + ("" if code == host else " local")
            for code, t in centre.operations.items()
        )
        rows[centre.date].append(
            (
                centre.centre_open,
                [
                    _span(centre.centre_open, centre.centre_close),
                    f"{centre.id} (centre)",
                    centre.case,
                    centre.room or "virtual",
                    f"operations start: {operations}",
                    "",
                ],
            )
        )
    tables: list[RenderableType] = []
    for day in sorted(rows):
        table = Table(title=f"{day:%A %Y-%m-%d}", title_justify="left", expand=False)
        for column in ("host time", "activity", "case", "room", "participants", "interpreters"):
            table.add_column(column, overflow="fold")
        for _, cells in sorted(rows[day], key=lambda row: (row[0], row[1][1])):
            table.add_row(*cells)
        tables.append(table)
    return tables


def _figures(scenario: Scenario, result: Result) -> Table:
    """Return the table of the objective's terms, their sum, and the plan's :func:`kpis`."""
    table = Table(title="Objective and figures", title_justify="left", show_header=False)
    table.add_column("name")
    table.add_column("value", justify="right")
    for name in TERM_NAMES:
        table.add_row(name, str((result.terms or {}).get(name, 0)))
    if result.score is not None:
        table.add_row("placement", str(result.score.placement))
        table.add_row("preference", str(result.score.preference))
    table.add_row(Text("objective", style="bold"), Text(str(result.objective), style="bold"))
    for name, value in kpis(scenario, result).items():
        table.add_row(name, value)
    return table


def print_timetable(console: Console, scenario: Scenario, result: Result) -> None:
    """Print :func:`render` of a result on ``console``."""
    console.print(render(scenario, result))
