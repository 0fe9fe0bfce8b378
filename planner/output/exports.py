"""Plans people can use (SPEC 2.7.2): CSV for spreadsheets, ICS for calendars, and the
format of each file written by its extension.

No export carries case entities (IBANs, phone numbers, companies): they name cases by
id only. The HTML timeline is in :mod:`planner.output.timeline`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.schedule import ActionDayPlacement, MeetingPlacement, Result
from planner.output.schedule_json import dumps, schedule_document
from planner.output.timeline import timeline_page

FORMATS = (".json", ".csv", ".ics", ".html")
"""The formats of ``-o``, by extension."""


def render(
    extension: str,
    scenario: Scenario,
    result: Result,
    digest: str,
    *,
    ics_for: str | None = None,
    baseline: Baseline | None = None,
) -> str:
    """Return the text of a plan in the format of ``extension`` (SPEC 2.7.2).

    Parameters
    ----------
    extension
        One of :data:`FORMATS`, lower case: ``.json`` (``planner.schedule/1``), ``.csv``,
        ``.ics`` or ``.html``.
    scenario
        The scenario the plan is of.
    result
        The plan.
    digest
        The sha256 of the scenario file, written in the JSON plan.
    ics_for
        In a calendar, only what this party, room or interpreter takes part in.
    baseline
        The published plan: a calendar raises the sequence of what moved and cancels
        what is gone.

    Returns
    -------
    str
        The whole file's text.
    """
    if extension == ".json":
        return dumps(schedule_document(result, scenario.name, digest))
    if extension == ".csv":
        return csv_text(scenario, result)
    if extension == ".ics":
        return ics_text(scenario, result, only=ics_for, baseline=baseline)
    return timeline_page(scenario, result)


# ---- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "kind",
    "case",
    "status",
    "date",
    "start",
    "end",
    "room",
    "interpreters",
    "participants",
    "local times",
    "rule",
    "reason",
)


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula is quoted."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def csv_text(scenario: Scenario, result: Result) -> str:
    """Return the plan as CSV: one row per activity, placed or not, in scenario order.

    Columns are :data:`CSV_COLUMNS`: host times, the room, interpreters by language,
    participants with attendance, each far participant's local times, and the rule and
    reason of an activity left out. UTF-8 with a byte order mark, so that spreadsheets
    open it as UTF-8; a cell that starts like a formula is quoted (:func:`_cell`).
    """
    meetings = {m.id: m for m in result.meetings}
    action_days = {a.id: a for a in result.action_days}
    left_out = {u.id: u for u in result.unscheduled}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    host = scenario.host.country
    for meeting in scenario.meetings:
        placed = meetings.get(meeting.id)
        people = "; ".join(
            f"{p.country} x{p.delegates} {p.attendance.replace('_', ' ')}"
            + (f" {p.language}" if p.language and p.language != meeting.working_language else "")
            + (" (optional)" if not p.required else "")
            + (" (absent)" if placed and p.country in placed.absent else "")
            for p in meeting.participants
        )
        row = [meeting.id, "meeting", meeting.case]
        if placed:
            local = "; ".join(
                f"{code} {t.start:%Y-%m-%d %H:%M}-{t.end:%H:%M} ({t.start:%z})"
                for code, t in placed.local.items()
                if code != host
            )
            teams = "; ".join(f"{k}: {', '.join(v)}" for k, v in placed.interpreters.items())
            row += [
                "placed",
                f"{placed.start:%Y-%m-%d}",
                placed.start.isoformat(),
                placed.end.isoformat(),
                placed.room,
                teams,
                people,
                local,
                "",
                "",
            ]
        else:
            row += _left_out_cells(left_out.get(meeting.id), people)
        writer.writerow([_cell(value) for value in row])
    for action_day in scenario.action_days:
        centre = action_days.get(action_day.id)
        countries = ", ".join(action_day.countries)
        row = [action_day.id, "action day", action_day.case]
        if centre:
            local = "; ".join(
                f"{code} {t.start:%Y-%m-%d %H:%M}-{t.end:%H:%M} ({t.start:%z})"
                for code, t in centre.operations.items()
            )
            row += [
                "placed",
                centre.date.isoformat(),
                centre.centre_open.isoformat(),
                centre.centre_close.isoformat(),
                centre.room or "virtual",
                "",
                countries,
                local,
                "",
                "",
            ]
        else:
            row += _left_out_cells(left_out.get(action_day.id), countries)
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + out.getvalue()


def _left_out_cells(entry: object, people: str) -> list[str]:
    """Return the cells of an activity's row from ``status`` on, when it is left out: its
    participants, the rule and the reasons (empty when the plan does not list it).
    """
    rule = getattr(entry, "rule", "")
    reasons = "; ".join(getattr(entry, "reasons", []))
    return ["unscheduled", "", "", "", "", "", people, "", rule, reasons]


# ---- ICS ------------------------------------------------------------------------------------

PRODID = "-//planner//coordination meetings and action days//EN"


def _uid(scenario: Scenario, activity_id: str) -> str:
    """A stable UID per activity: re-importing an updated plan updates its event."""
    agency = re.sub(r"[^A-Za-z0-9]+", "-", scenario.name).strip("-").lower() or "plan"
    return f"{activity_id}@{agency}.planner"


def takes_part(scenario: Scenario, who: str) -> Callable[[object], bool]:
    """Return whether a placement concerns ``who`` (``--ics-for``, need-to-know).

    ``who`` is a country or organisation code (a meeting it attends, an action day of
    it), a room, or an interpreter; the returned test takes a meeting or action-day
    placement.
    """

    def concerns(placement: object) -> bool:
        """Whether this placement concerns ``who``."""
        if isinstance(placement, MeetingPlacement):
            meeting = scenario.meetings_by_id[placement.id]
            attending = {
                p.country for p in meeting.participants if p.country not in placement.absent
            }
            working = {name for team in placement.interpreters.values() for name in team}
            return who in attending or who == placement.room or who in working
        if isinstance(placement, ActionDayPlacement):
            action_day = scenario.action_days_by_id[placement.id]
            return who in action_day.countries or who == placement.room
        return False

    return concerns


def ics_targets(scenario: Scenario) -> set[str]:
    """Return what ``--ics-for`` may name: the parties, rooms and interpreters of the
    scenario.
    """
    return set(scenario.parties) | set(scenario.rooms_by_id) | set(scenario.interpreters_by_id)


def ics_text(
    scenario: Scenario,
    result: Result,
    *,
    only: str | None = None,
    baseline: Baseline | None = None,
    now: datetime | None = None,
) -> str:
    """An RFC 5545 calendar: a VEVENT per meeting and per centre, times in their zone with
    its VTIMEZONE, a stable UID per activity, SEQUENCE raised for activities moved against
    a baseline, and dropped or cancelled ones as STATUS:CANCELLED; with ``only``, just
    what that party, room or interpreter takes part in (need-to-know)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    # a minute counter: each later revision of an activity carries a higher SEQUENCE
    revision = int(stamp.timestamp()) // 60
    moved = {m.id for m in result.changes.moved} if result.changes else set()
    concerns = takes_part(scenario, only) if only else (lambda _: True)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{scenario.name or 'plan'}" + (f" - {only}" if only else ""))
    for meeting in result.meetings:
        if not concerns(meeting):
            continue
        definition = scenario.meetings_by_id[meeting.id]
        event = _event(scenario, meeting.id, stamp, revision if meeting.id in moved else 0)
        event.add("summary", f"{meeting.id} ({meeting.case}): coordination meeting")
        event.add("dtstart", meeting.start)
        event.add("dtend", meeting.end)
        event.add("location", meeting.room)
        lines = [
            "Participants: "
            + ", ".join(
                f"{p.country} ({p.attendance.replace('_', ' ')})"
                + (" absent" if p.country in meeting.absent else "")
                for p in definition.participants
            )
        ]
        if meeting.interpreters:
            lines.append(
                "Interpreters: "
                + "; ".join(f"{k}: {', '.join(v)}" for k, v in meeting.interpreters.items())
            )
        lines += [
            f"{code}: {t.start:%H:%M}-{t.end:%H:%M} local ({t.start.tzname()})"
            for code, t in meeting.local.items()
        ]
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    for centre in result.action_days:
        if not concerns(centre):
            continue
        event = _event(scenario, centre.id, stamp, revision if centre.id in moved else 0)
        event.add("summary", f"{centre.id} ({centre.case}): coordination centre, action day")
        event.add("dtstart", centre.centre_open)
        event.add("dtend", centre.centre_close)
        event.add("location", centre.room or "virtual centre")
        event.add(
            "description",
            "\n".join(
                f"{code}: operation {t.start:%H:%M}-{t.end:%H:%M} local ({t.start.tzname()})"
                for code, t in centre.operations.items()
            ),
        )
        calendar.add_component(event)
    for event in _cancelled(scenario, result, baseline, stamp, revision, only):
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode("utf-8"))


def _event(scenario: Scenario, activity_id: str, stamp: datetime, sequence: int) -> Event:
    """Return a calendar event with the activity's stable UID, the time it was written and
    its sequence (raised when it moved against a baseline).
    """
    event = Event()
    event.add("uid", _uid(scenario, activity_id))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    return event


def _cancelled(
    scenario: Scenario,
    result: Result,
    baseline: Baseline | None,
    stamp: datetime,
    revision: int,
    only: str | None,
) -> Iterable[Event]:
    """Events for what a baseline held and the plan no longer holds (dropped or gone from
    the scenario): cancelled, at their baseline times."""
    if baseline is None or result.changes is None:
        return []
    gone = {d.id for d in result.changes.dropped} | set(result.changes.cancelled)
    host = ZoneInfo(scenario.host.timezone)
    events = []
    for meeting in baseline.meetings:
        if meeting.id not in gone:
            continue
        definition = scenario.meetings_by_id.get(meeting.id)
        # an absent participant never had the meeting in its calendar: nothing to cancel
        attending = {
            p.country
            for p in (definition.participants if definition else [])
            if p.country not in meeting.absent
        }
        if only and not (
            meeting.room == only
            or any(only in team for team in meeting.interpreters.values())
            or only in attending
        ):
            continue
        event = _event(scenario, meeting.id, stamp, revision)
        event.add("summary", f"{meeting.id}: cancelled")
        event.add("dtstart", meeting.start.astimezone(host))
        event.add("dtend", meeting.end.astimezone(host))
        event.add("status", "CANCELLED")
        events.append(event)
    for centre in baseline.action_days:
        if centre.id not in gone:
            continue
        definition_day = scenario.action_days_by_id.get(centre.id)
        if only and not (
            centre.room == only or (definition_day and only in definition_day.countries)
        ):
            continue
        event = _event(scenario, centre.id, stamp, revision)
        event.add("summary", f"{centre.id}: cancelled")
        event.add("dtstart", centre.centre_open.astimezone(host))
        event.add("dtend", centre.centre_close.astimezone(host))
        event.add("status", "CANCELLED")
        events.append(event)
    return events
