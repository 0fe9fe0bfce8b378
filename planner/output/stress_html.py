"""A robustness sweep as one self-contained HTML page (SPEC 2.7.6): styles inline, charts
as inline SVG, no request to any network.

The page shows what was stressed and how much the plan absorbs; a chart per kind of
disruption (how many re-plans moved nothing, 1 to 3 or 4 and more activities, found no
plan, and how many dropped one); the fragile activities with the resources that force
them, each linked to its place in the published plan's timeline (the timeline of
:mod:`planner.output.timeline`, for the days that hold a fragile activity, with the
fragile activities outlined); and every disruption with what its re-plan did. A partial
report (a sweep ended by a signal) says so at the top.
"""

from __future__ import annotations

from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.schedule import ActionDayPlacement, MeetingPlacement, Result
from planner.models.stress import KIND_TITLES, KindSummary, StressReport
from planner.output.stress_text import headline, outcome_line
from planner.output.timeline import STYLE as TIMELINE_STYLE
from planner.output.timeline import days

STYLE = """
.partial { background: #fde2e1; border: 2px solid #b3261e; padding: 6px 10px; font-weight: 600; }
.kinds { display: flex; flex-wrap: wrap; gap: 14px; }
.kind { border: 1px solid #ccc; padding: 6px 8px; width: 330px; }
.kind h3 { margin: 0 0 4px; }
.legend span { display: inline-block; margin-right: 8px; font-size: 11px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; }
td.num { text-align: right; }
tr.bad td { background: #fde2e1; }
"""

SEGMENTS = (
    ("moved none", "moved_none", "#5b9b4a"),
    ("moved 1-3", "moved_1_to_3", "#e6b422"),
    ("moved 4+", "moved_4_or_more", "#d9731f"),
    ("no plan", "no_plan", "#8a8a8a"),
)
"""The parts of a kind's chart: label, :class:`KindSummary` field, colour."""
DROPPED_COLOUR = "#b3261e"
CHART_WIDTH = 310


def stress_page(report: StressReport, scenario: Scenario, published: Baseline) -> str:
    """Return the whole page (see the module).

    Parameters
    ----------
    report
        The sweep, complete or partial.
    scenario
        The scenario stressed: the timeline draws its rooms, interpreters and countries.
    published
        The published plan: the fragile activities are shown where it holds them.
    """
    title = escape(f"Stress of {report.scenario_name or 'the plan'}")
    fragile_days = _fragile_days(report, scenario, published)
    outlined = "".join(
        f'.box[data-activity="{_css_string(entry.id)}"] {{ outline: 3px solid #b3261e; }}\n'
        for entry in report.fragile
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{TIMELINE_STYLE}{STYLE}{outlined}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    if not report.complete:
        parts.append(
            f'<p class="partial">Partial report: the sweep was interrupted '
            f"({escape(report.interrupted or 'stopped')}); {len(report.outcomes)} of "
            f"{report.requested} disruptions finished.</p>"
        )
    parts += [
        f"<p>{escape(headline(report))}</p>",
        _kinds(report),
        _fragile(report, fragile_days),
        _disruptions(report),
        _timeline(scenario, published, sorted(set(fragile_days.values()))),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _kinds(report: StressReport) -> str:
    """A chart per kind: one bar split by moves, a thinner one for drops."""
    legend = "".join(
        f'<span><i style="background:{colour}"></i>{label}</span>' for label, _, colour in SEGMENTS
    )
    legend += f'<span><i style="background:{DROPPED_COLOUR}"></i>dropped one</span>'
    cards = "".join(_kind_chart(summary) for summary in report.by_kind)
    return (
        f'<section><h2>Per kind of disruption</h2><p class="legend">{legend}</p>'
        f'<div class="kinds">{cards}</div></section>'
    )


def _kind_chart(summary: KindSummary) -> str:
    """One kind's card: its chart (inline SVG) and its figures."""
    total = max(summary.disruptions, 1)
    left = 0.0
    bars = []
    for label, field, colour in SEGMENTS:
        count = getattr(summary, field)
        width = CHART_WIDTH * count / total
        if count:
            bars.append(
                f'<rect x="{left:.1f}" y="0" width="{width:.1f}" height="18" fill="{colour}">'
                f"<title>{label}: {count}</title></rect>"
            )
        left += width
    dropped = CHART_WIDTH * summary.dropped / total
    bars.append(
        f'<rect x="0" y="22" width="{dropped:.1f}" height="6" fill="{DROPPED_COLOUR}">'
        f"<title>dropped one: {summary.dropped}</title></rect>"
    )
    figures = (
        f"{summary.disruptions} drawn: {summary.moved_none} moved nothing, "
        f"{summary.moved_1_to_3} moved 1-3, {summary.moved_4_or_more} moved 4+, "
        f"{summary.dropped} dropped one, {summary.no_plan} no plan; "
        f"{summary.absorbed} absorbed"
    )
    return (
        f'<div class="kind" data-kind="{escape(summary.kind)}">'
        f"<h3>{escape(KIND_TITLES.get(summary.kind, summary.kind))}</h3>"
        f'<svg width="{CHART_WIDTH}" height="30" role="img" '
        f'aria-label="{escape(figures)}">{"".join(bars)}</svg>'
        f"<div>{escape(figures)}</div></div>"
    )


def _fragile(report: StressReport, placed_on: dict[str, date]) -> str:
    """The fragile activities, each linked to its day in the timeline below."""
    if not report.fragile:
        return (
            "<section><h2>Fragile activities</h2>"
            "<p>No disruption moved or dropped anything.</p></section>"
        )
    rows = []
    for entry in report.fragile:
        day = placed_on.get(entry.id)
        name = escape(entry.id)
        link = f'<a href="#day-{day.isoformat()}">{name}</a>' if day else name
        forced = ", ".join(f"{escape(f.resource)} ({f.times})" for f in entry.forced_by)
        rows.append(
            f'<tr data-activity="{name}"><td>{link}</td><td class="num">{entry.moved}</td>'
            f'<td class="num">{entry.dropped}</td><td>{forced}</td></tr>'
        )
    return (
        "<section><h2>Fragile activities</h2><p>The published activities that disruptions "
        "move or drop most often, with the resources of those disruptions; each links to its "
        "place in the timeline below.</p><table><tr><th>activity</th><th>moved</th>"
        f"<th>dropped</th><th>forced by</th></tr>{''.join(rows)}</table></section>"
    )


def _disruptions(report: StressReport) -> str:
    """Every finished disruption: what it was and what its re-plan did."""
    rows = []
    for outcome in report.outcomes:
        disruption = outcome.disruption
        bad = outcome.check == "violations" or not outcome.has_plan
        rows.append(
            f'<tr{" class=bad" if bad else ""} data-disruption="{escape(disruption.name)}">'
            f"<td>{escape(disruption.name)}</td><td>{escape(disruption.kind)}</td>"
            f'<td class="num">{len(outcome.moved)}</td><td class="num">{len(outcome.dropped)}</td>'
            f'<td class="num">{outcome.exit_code}</td><td>{escape(outcome.check)}</td>'
            f'<td class="num">{disruption.seed}</td>'
            f"<td>{escape(outcome_line(outcome))}</td></tr>"
        )
    return (
        "<section><h2>Disruptions</h2><p>Each is a change file: replay one with "
        "<code>planner stress ... --changes DIR</code> and <code>planner whatif SCENARIO "
        "--change DIR/NAME.yaml --baseline PLAN --seed SEED</code> (README).</p>"
        "<table><tr><th>name</th><th>kind</th><th>moved</th><th>dropped</th><th>exit</th>"
        f"<th>check</th><th>seed</th><th>what happened</th></tr>{''.join(rows)}</table></section>"
    )


def _timeline(scenario: Scenario, published: Baseline, shown: list[date]) -> str:
    """The published plan's timeline of the given days, each day anchored ``day-DATE``."""
    if not shown:
        return ""
    plan = published_result(scenario, published)
    sections = "".join(
        f'<div id="day-{day.isoformat()}">{days(scenario, plan, day, day)}</div>' for day in shown
    )
    return (
        "<section><h2>Where the fragile activities are (published plan)</h2>"
        f"<p>Fragile activities are outlined.</p>{sections}</section>"
    )


def _fragile_days(report: StressReport, scenario: Scenario, published: Baseline) -> dict[str, date]:
    """The host date on which the published plan holds each fragile activity."""
    host = ZoneInfo(scenario.host.timezone)
    on: dict[str, date] = {}
    for meeting in published.meetings:
        on[meeting.id] = meeting.start.astimezone(host).date()
    for centre in published.action_days:
        on[centre.id] = centre.date
    return {entry.id: on[entry.id] for entry in report.fragile if entry.id in on}


def published_result(scenario: Scenario, published: Baseline) -> Result:
    """The published plan as the timeline draws it: its meetings and centres that the
    scenario still has (participants' local times are not drawn)."""
    meetings = [
        MeetingPlacement(
            m.id,
            scenario.meetings_by_id[m.id].case,
            m.start,
            m.end,
            m.room,
            m.interpreters,
            m.absent,
            {},
        )
        for m in published.meetings
        if m.id in scenario.meetings_by_id
    ]
    action_days = [
        ActionDayPlacement(
            a.id,
            scenario.action_days_by_id[a.id].case,
            a.date,
            a.centre_open,
            a.centre_close,
            a.room,
            {},
        )
        for a in published.action_days
        if a.id in scenario.action_days_by_id
    ]
    return Result(
        status=published.status,
        objective=published.objective,
        bound=None,
        terms=published.terms,
        solve_seconds=0.0,
        meetings=meetings,
        action_days=action_days,
    )


def _css_string(value: str) -> str:
    """``value`` for a CSS string in a ``<style>`` element: letters, digits, ``-`` and
    ``_`` as they are, every other character as a CSS escape (so no quote or ``<`` ends
    the string or the element)."""
    return "".join(
        c if (c.isascii() and c.isalnum()) or c in "-_" else f"\\{ord(c):x} " for c in value
    )
