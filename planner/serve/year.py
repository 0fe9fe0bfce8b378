"""The year view of the page (SPEC 2.7.3 v1.2): one strip per week of a plan, to see
where the load is and which weeks leave work out, and to jump to a week.

Read from the plan document and its scenario, per week (Monday to Sunday, host dates):

- ``held``: meetings starting and action days taking place in the week;
- ``left_out``: activities left out, in the week of their preferred date (else of the
  first date of their window);
- ``desk_days_full``: country-days on which the country's desk attends as many
  activities at once as its ``desk_capacity`` at some moment (meetings its attending
  participants take part in, and action-day centres);
- ``room_days_full``: room-days on which the room is booked (uses and their
  ``room_buffer``) for at least :data:`ROOM_FULL` of the host's hours;
- ``interpreter_hours``: hours interpreted (each interpreter of each meeting);
- ``load``: the larger of the share of room time booked (rooms x host hours x weekdays
  of the week in the horizon) and the share of interpreting time used (interpreters x
  their daily cap x those weekdays), from 0 to 1: the strip's colour.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.models.scenario import Scenario

ROOM_FULL = 0.75
"""A room-day counts as at capacity from this share of the host's hours booked: what is
left is too little for most meetings."""


def monday_of(day: date) -> date:
    """The Monday of a date's week."""
    return day - timedelta(days=day.weekday())


def year_weeks(scenario: Scenario, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the year view of a plan: one entry per week of the horizon.

    Parameters
    ----------
    scenario
        The plan's scenario: who takes part in each activity, desk capacities, rooms,
        interpreters' daily caps, host hours and the horizon.
    document
        The ``planner.schedule/1`` document of the plan.

    Returns
    -------
    list of dict
        Per week from the Monday of the horizon's first week: ``week`` (its Monday),
        ``number`` (ISO week), ``held``, ``left_out``, ``desk_days_full``,
        ``room_days_full``, ``interpreter_hours`` and ``load`` (see the module).
    """
    zone = ZoneInfo(scenario.host.timezone)
    first, last = monday_of(scenario.horizon.start), monday_of(scenario.horizon.end)
    weeks: dict[date, dict[str, Any]] = {}
    monday = first
    while monday <= last:
        weeks[monday] = {
            "week": monday.isoformat(),
            "number": monday.isocalendar().week,
            "held": 0,
            "left_out": 0,
            "desk_days_full": 0,
            "room_days_full": 0,
            "interpreter_hours": 0.0,
            "load": 0.0,
        }
        monday += timedelta(days=7)

    def week_of(day: date) -> dict[str, Any]:
        """The entry of a date's week (clipped to the horizon)."""
        return weeks[min(max(monday_of(day), first), last)]

    uses = _uses(scenario, document, zone)
    for day, _ in uses.held:
        week_of(day)["held"] += 1
    for activity_id in (u["id"] for u in document.get("unscheduled", [])):
        week_of(_nominal_date(scenario, activity_id))["left_out"] += 1
    for day, minutes in uses.interpreting:
        week_of(day)["interpreter_hours"] += minutes / 60
    for _, day in _full_desks(scenario, uses.desks):
        week_of(day)["desk_days_full"] += 1
    host = scenario.host.hours
    for (_, day), minutes in _room_days(uses.rooms, scenario.defaults.room_buffer).items():
        if minutes >= ROOM_FULL * host.minutes:
            week_of(day)["room_days_full"] += 1
    booked: dict[date, float] = defaultdict(float)
    for (_, day), minutes in _room_days(uses.rooms, 0).items():
        booked[monday_of(day)] += min(minutes, host.minutes)
    daily_cap = [scenario.interpreter_max_per_day(i) for i in scenario.interpreters]
    for monday, entry in weeks.items():
        weekdays = _weekdays(scenario, monday)
        room_time = len(scenario.rooms) * host.minutes * weekdays
        interpreting_time = sum(daily_cap) * weekdays
        room_share = booked[monday] / room_time if room_time else 0.0
        interpreting = entry["interpreter_hours"] * 60
        interpreter_share = interpreting / interpreting_time if interpreting_time else 0.0
        entry["load"] = round(min(1.0, max(room_share, interpreter_share)), 3)
        entry["interpreter_hours"] = round(entry["interpreter_hours"], 2)
    return list(weeks.values())


class _Uses:
    """What a plan occupies, read once from its document: activities held by date, each
    interpreter's minutes by date, each desk's activities and each room's uses (host
    datetimes)."""

    def __init__(self) -> None:
        self.held: list[tuple[date, str]] = []
        self.interpreting: list[tuple[date, float]] = []
        self.desks: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.rooms: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)


def _uses(scenario: Scenario, document: dict[str, Any], zone: ZoneInfo) -> _Uses:
    """Read what the plan document occupies (see :class:`_Uses`)."""
    uses = _Uses()
    for meeting in document.get("meetings", []):
        start = datetime.fromisoformat(meeting["start"]).astimezone(zone)
        end = datetime.fromisoformat(meeting["end"]).astimezone(zone)
        uses.held.append((start.date(), meeting["id"]))
        minutes = (end - start).total_seconds() / 60
        team = sum(len(names) for names in (meeting.get("interpreters") or {}).values())
        uses.interpreting.append((start.date(), minutes * team))
        if meeting.get("room"):
            uses.rooms[meeting["room"]].append((start, end))
        definition = scenario.meetings_by_id.get(meeting["id"])
        absent = set(meeting.get("absent") or [])
        for participant in definition.participants if definition else []:
            if participant.country not in absent:
                uses.desks[participant.country].append((start, end))
    for action_day in document.get("action_days", []):
        opens = datetime.fromisoformat(action_day["centre_open"]).astimezone(zone)
        closes = datetime.fromisoformat(action_day["centre_close"]).astimezone(zone)
        uses.held.append((date.fromisoformat(action_day["date"]), action_day["id"]))
        if action_day.get("room"):
            uses.rooms[action_day["room"]].append((opens, closes))
        centre = scenario.action_days_by_id.get(action_day["id"])
        for country in centre.countries if centre else []:
            uses.desks[country].append((opens, closes))
    return uses


def _full_desks(
    scenario: Scenario, desks: dict[str, list[tuple[datetime, datetime]]]
) -> set[tuple[str, date]]:
    """The country-days on which a desk attends its capacity of activities at once: a
    sweep over each country's starts and ends in time order, the host date of the
    moment it fills."""
    full: set[tuple[str, date]] = set()
    for country, spans in desks.items():
        party = scenario.parties.get(country)
        capacity = party.desk_capacity if party else scenario.defaults.desk_capacity
        # ends before starts at the same instant: back-to-back activities do not overlap
        events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
        attending = 0
        for moment, step in events:
            attending += step
            if step > 0 and attending >= capacity:
                full.add((country, moment.date()))
    return full


def _room_days(
    rooms: dict[str, list[tuple[datetime, datetime]]], buffer: int
) -> dict[tuple[str, date], float]:
    """Minutes booked per room and host date: each use (plus ``buffer`` minutes after it),
    the parts on each date."""
    booked: dict[tuple[str, date], float] = defaultdict(float)
    after = timedelta(minutes=buffer)
    for room, spans in rooms.items():
        for start, end in spans:
            moment, end = start, end + after
            while moment < end:
                midnight = datetime.combine(
                    moment.date() + timedelta(days=1), datetime.min.time(), moment.tzinfo
                )
                part_end = min(end, midnight)
                booked[room, moment.date()] += (part_end - moment).total_seconds() / 60
                moment = part_end
    return booked


def _nominal_date(scenario: Scenario, activity_id: str) -> date:
    """Where an activity left out is shown: its preferred date, else its window's first."""
    activity = scenario.meetings_by_id.get(activity_id) or scenario.action_days_by_id.get(
        activity_id
    )
    if activity is None:
        return scenario.horizon.start
    preferred = getattr(activity, "preferred", None)
    return preferred or scenario.window_of(activity)[0]


def _weekdays(scenario: Scenario, monday: date) -> int:
    """Monday to Friday of the week that lie in the horizon."""
    days = (monday + timedelta(days=k) for k in range(5))
    return sum(1 for day in days if scenario.horizon.start <= day <= scenario.horizon.end)
