"""The plan as one self-contained HTML page (SPEC 2.7.2): a timeline by day.

Each day shows its rooms as lanes with the meetings and centres they hold (virtual
centres in a lane of their own), the interpreters' bookings, and each country taking
part that day with its working hours shaded in host time; then the activities left out
with their reasons, and the objective terms. Styles are inline and the page asks the
network for nothing; it prints well (one day per page where it fits). Case entities are
never shown: cases appear by id. Boxes carry ``data-activity``, ``data-lane`` and
``data-day`` so that the page can be read by programs too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from html import escape, unescape
from zoneinfo import ZoneInfo

from planner.models.scenario import Scenario
from planner.models.schedule import TERM_NAMES, ActionDayPlacement, MeetingPlacement, Result

STYLE = """
body { font: 13px/1.35 system-ui, sans-serif; margin: 16px; color: #1a1a1a; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 18px 0 6px; border-bottom: 1px solid #999; }
h3 { font-size: 13px; margin: 8px 0 2px; color: #444; }
.lane { display: flex; align-items: stretch; min-height: 26px; border-top: 1px solid #ddd; }
.lane.tall { min-height: 58px; }
.label { width: 120px; flex: none; padding: 3px 6px; font-weight: 600; }
.track { position: relative; flex: 1; background: #fafafa; }
.hours { position: absolute; top: 0; bottom: 0; background: #dff0d8; }
.box { position: absolute; top: 2px; bottom: 2px; overflow: hidden; padding: 1px 3px;
       border-radius: 3px; background: #cfe0ff; border: 1px solid #4a78c2; font-size: 11px; }
.box.centre { background: #ffe1c4; border-color: #c2702a; }
.box .local { display: block; color: #333; font-size: 10px; }
.scale { position: relative; height: 16px; margin-left: 120px; font-size: 10px; color: #666; }
.scale span { position: absolute; transform: translateX(-50%); }
table { border-collapse: collapse; margin: 6px 0; }
td, th { border: 1px solid #bbb; padding: 2px 6px; text-align: left; vertical-align: top; }
@media print {
  body { margin: 0; font-size: 11px; }
  section.day { page-break-inside: avoid; }
  .track { background: none; }
  .box { border: 1px solid #000; }
}
"""


def _minutes(moment: datetime, day: date, host: ZoneInfo) -> int:
    """Minutes after 00:00 host time on ``day`` (negative before it, past 1440 after)."""
    midnight = datetime.combine(day, time(), tzinfo=host)
    return int((moment - midnight).total_seconds() // 60)


def _box(
    kind: str,
    activity: str,
    lane: str,
    day: date,
    begin: int,
    end: int,
    window: tuple[int, int],
    text: str,
) -> str:
    """Return one activity's box on a lane: placed from ``begin`` to ``end`` minutes of the
    day within ``window``, labelled, and tagged with ``data-activity``, ``data-lane`` and
    ``data-day`` for programs.
    """
    first, last = window
    left = max(begin, first)
    right = min(end, last)
    span = max(1, last - first)
    style = (
        f"left:{100 * (left - first) / span:.3f}%;width:{100 * max(right - left, 1) / span:.3f}%"
    )
    return (
        f'<div class="box {kind}" data-activity="{escape(activity)}" data-lane="{escape(lane)}" '
        f'data-day="{day.isoformat()}" style="{style}" title="{_plain(text)}">{text}</div>'
    )


def _plain(markup: str) -> str:
    """A box's text as a tooltip shows it: the words of its markup, without the tags."""
    return escape(" ".join(unescape(re.sub(r"<[^>]*>", " ", markup)).split()))


def timeline_page(scenario: Scenario, result: Result) -> str:
    """The whole page: see the module."""
    title = escape(scenario.name or "plan")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{title}</title><style>{STYLE}</style></head><body>",
            f"<h1>{title}</h1>",
            summary(scenario, result),
            days(scenario, result),
            left_out(result),
            terms(result),
            "</body></html>\n",
        ]
    )


def summary(scenario: Scenario, result: Result) -> str:
    """One paragraph: status, objective, what is placed and left out."""
    return (
        f"<p>{escape(result.status)}, objective {result.objective} (bound {result.bound}); "
        f"{len(result.meetings)} meetings and {len(result.action_days)} action days placed, "
        f"{len(result.unscheduled)} left out. Times are host time "
        f"({escape(scenario.host.timezone)}).</p>"
    )


def plan_days(scenario: Scenario, result: Result) -> list[date]:
    """The host dates on which the plan holds something."""
    host = ZoneInfo(scenario.host.timezone)
    held = {m.start.astimezone(host).date() for m in result.meetings}
    return sorted(held | {a.date for a in result.action_days})


def days(
    scenario: Scenario, result: Result, first: date | None = None, last: date | None = None
) -> str:
    """The timeline of every day from ``first`` to ``last`` (default: all) with activities."""
    host = ZoneInfo(scenario.host.timezone)
    by_day: dict[date, list[MeetingPlacement | ActionDayPlacement]] = defaultdict(list)
    for meeting in result.meetings:
        by_day[meeting.start.astimezone(host).date()].append(meeting)
    for centre in result.action_days:
        by_day[centre.date].append(centre)
    shown = [
        day
        for day in sorted(by_day)
        if (first is None or day >= first) and (last is None or day <= last)
    ]
    return "\n".join(_day(scenario, day, by_day[day], host) for day in shown)


def _day(
    scenario: Scenario, day: date, held: list[MeetingPlacement | ActionDayPlacement], host: ZoneInfo
) -> str:
    """Return one day's section: a time scale, a lane per room (virtual centres in a lane of
    their own), the interpreters' bookings, and each country taking part that day with its
    working hours shaded in host time.
    """
    spans = {
        a.id: (
            _minutes(a.start if isinstance(a, MeetingPlacement) else a.centre_open, day, host),
            _minutes(a.end if isinstance(a, MeetingPlacement) else a.centre_close, day, host),
        )
        for a in held
    }
    hours = scenario.host.hours
    first = min([hours.start, *(b for b, _ in spans.values())])
    last = max([hours.end, *(e for _, e in spans.values())])
    window = (max(0, first // 60 * 60), min(24 * 60, -(-last // 60) * 60))
    lines = [f'<section class="day" data-day="{day.isoformat()}"><h2>{day:%A %d %B %Y}</h2>']
    lines.append(_scale(window))
    lanes: dict[str, list[str]] = defaultdict(list)
    interpreters: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, list[str]] = defaultdict(list)
    for activity in sorted(held, key=lambda a: (spans[a.id], a.id)):
        begin, end = spans[activity.id]
        if isinstance(activity, MeetingPlacement):
            local = "".join(
                f'<span class="local">{escape(code)} {t.start:%H:%M}-{t.end:%H:%M} local</span>'
                for code, t in activity.local.items()
                if t.start.utcoffset() != activity.start.utcoffset()
            )
            start, end_time = activity.start.astimezone(host), activity.end.astimezone(host)
            text = f"{escape(activity.id)} {start:%H:%M}-{end_time:%H:%M}{local}"
            lanes[activity.room].append(
                _box("meeting", activity.id, activity.room, day, begin, end, window, text)
            )
            for names in activity.interpreters.values():
                for name in names:
                    interpreters[name].append(
                        _box(
                            "meeting",
                            activity.id,
                            f"interpreter:{name}",
                            day,
                            begin,
                            end,
                            window,
                            escape(activity.id),
                        )
                    )
            meeting = scenario.meetings_by_id[activity.id]
            for p in meeting.participants:
                if p.country not in activity.absent:
                    countries[p.country].append(
                        _box(
                            "meeting",
                            activity.id,
                            f"country:{p.country}",
                            day,
                            begin,
                            end,
                            window,
                            escape(activity.id),
                        )
                    )
        else:
            lane = activity.room or "virtual centres"
            operations = "".join(
                f'<span class="local">{escape(code)} {t.start:%H:%M} local</span>'
                for code, t in activity.operations.items()
            )
            opens, closes = activity.centre_open, activity.centre_close
            text = f"{escape(activity.id)} centre {opens:%H:%M}-{closes:%H:%M}{operations}"
            lanes[lane].append(_box("centre", activity.id, lane, day, begin, end, window, text))
            for code in scenario.action_days_by_id[activity.id].countries:
                countries[code].append(
                    _box(
                        "centre",
                        activity.id,
                        f"country:{code}",
                        day,
                        begin,
                        end,
                        window,
                        escape(activity.id),
                    )
                )
    lines.append("<h3>Rooms</h3>")
    for room in [*(r.id for r in scenario.rooms), "virtual centres"]:
        if room in lanes:
            lines.append(_lane(room, lanes[room], tall=True))
    if interpreters:
        lines.append("<h3>Interpreters</h3>")
        for name in sorted(interpreters):
            lines.append(_lane(name, interpreters[name]))
    lines.append("<h3>Countries (working hours shaded, host time)</h3>")
    for code in sorted(countries):
        lines.append(_lane(code, countries[code], _shaded_hours(scenario, code, day, host, window)))
    lines.append("</section>")
    return "\n".join(lines)


def _scale(window: tuple[int, int]) -> str:
    """Return the time scale of a day's ``window`` (minutes), a tick every two hours."""
    first, last = window
    ticks = "".join(
        f'<span style="left:{100 * (m - first) / (last - first):.3f}%">{m // 60:02d}:00</span>'
        for m in range(first, last + 1, 120)
    )
    return f'<div class="scale">{ticks}</div>'


def _lane(label: str, boxes: list[str], shade: str = "", tall: bool = False) -> str:
    """Return one lane: its label, the shaded hours (``shade``) and the boxes on it; a
    ``tall`` lane holds two lines per box.
    """
    kind = "lane tall" if tall else "lane"
    return (
        f'<div class="{kind}" data-lane="{escape(label)}">'
        f'<span class="label">{escape(label)}</span>'
        f'<div class="track">{shade}{"".join(boxes)}</div></div>'
    )


def _shaded_hours(
    scenario: Scenario, code: str, day: date, host: ZoneInfo, window: tuple[int, int]
) -> str:
    """The country's working hours on ``day`` (its local date), in host time."""
    party = scenario.parties[code]
    midnight = datetime.combine(day, time(), tzinfo=ZoneInfo(party.timezone))
    hours = party.working_hours
    # wall-clock arithmetic in the country's zone, then host time
    opens = _minutes((midnight + timedelta(minutes=hours.start)).astimezone(host), day, host)
    closes = _minutes((midnight + timedelta(minutes=hours.end)).astimezone(host), day, host)
    first, last = window
    left, right = max(opens, first), min(closes, last)
    if right <= left:
        return ""
    span = last - first
    return (
        f'<div class="hours" data-hours="{escape(code)}" '
        f'style="left:{100 * (left - first) / span:.3f}%;width:{100 * (right - left) / span:.3f}%">'
        "</div>"
    )


def left_out(result: Result) -> str:
    """The activities left out, with their rules and reasons."""
    if not result.unscheduled:
        return (
            '<section class="unscheduled"><h2>Left out</h2>'
            "<p>Nothing: every activity is placed.</p></section>"
        )
    rows = "".join(
        f'<tr data-activity="{escape(u.id)}"><td>{escape(u.id)}</td><td>{escape(u.rule)}</td>'
        f"<td>{'<br>'.join(escape(r) for r in u.reasons)}</td></tr>"
        for u in result.unscheduled
    )
    return (
        '<section class="unscheduled"><h2>Left out</h2><table><tr><th>activity</th><th>rule</th>'
        f"<th>why</th></tr>{rows}</table></section>"
    )


def terms(result: Result) -> str:
    """The objective terms and their sum."""
    values = result.terms or {}
    rows = "".join(f"<tr><td>{name}</td><td>{values.get(name, 0)}</td></tr>" for name in TERM_NAMES)
    return (
        f'<section class="terms"><h2>Objective</h2><table>{rows}'
        f"<tr><th>objective</th><th>{result.objective}</th></tr></table></section>"
    )
