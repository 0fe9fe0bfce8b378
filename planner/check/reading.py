"""Reading a schedule file (SPEC 2.6, ``planner.schedule/1``) against its scenario.

:func:`load_schedule` reads the JSON within the input limits (SPEC 2.7.4);
:class:`ScheduleReader` turns it into the checker's :class:`~planner.check.plan.Plan`,
reporting whatever is malformed instead of raising: a start off the ISO format or not
in host time, an ``end`` that is not ``start + duration``, an unknown room or
interpreter, a required participant listed as absent, ``local`` times that are not the
same instants in each participant's zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from planner.check.clock import parse_instant, participant_zone
from planner.check.plan import HeldActionDay, HeldMeeting, Plan, centre_span
from planner.loading import DEFAULT_MAX_BYTES, read_json
from planner.models.problems import InputError, Problem
from planner.models.scenario import ActionDay, Meeting, Room, Scenario
from planner.models.schedule import RULES as RULE_NAMES
from planner.models.violations import Violation

Activity = TypeVar("Activity", Meeting, ActionDay)
Held = TypeVar("Held", HeldMeeting, HeldActionDay)

RULES = frozenset(RULE_NAMES)
"""Rule names of SPEC 2.6 (the spec's vocabulary, shared with the plan's data model)."""
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
"""A date as the schedule writes it: ``YYYY-MM-DD``, nothing else."""


def is_rule(value: Any) -> bool:
    """Return whether a JSON value is a rule name of SPEC 2.6."""
    return isinstance(value, str) and value in RULES


class ScheduleFileError(InputError):
    """A schedule file that cannot be read as a JSON object within the input limits."""


def load_schedule(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Read a schedule file.

    Parameters
    ----------
    path
        A ``planner.schedule/1`` JSON file.
    max_bytes
        The largest file read (SPEC 2.7.4).

    Returns
    -------
    dict
        The parsed JSON object, unchecked (see :func:`check_schedule`).

    Raises
    ------
    ScheduleFileError
        When the file cannot be read, breaks an input limit (size, nesting, numbers,
        control characters, years), is not UTF-8 JSON, or is not an object.
    """
    try:
        data = read_json(path, max_bytes, "schedule")
    except InputError as error:
        raise ScheduleFileError(error.problems, error.source) from None
    if not isinstance(data, dict):
        raise ScheduleFileError([Problem((), "a schedule must be a JSON object")], str(path))
    return data


class ScheduleReader:
    """Turns the raw mapping of a schedule file into a :class:`~planner.check.plan.Plan`,
    reporting what is malformed as violations (rule ``schedule``, or the rule a gone room
    or interpreter breaks)."""

    def __init__(self, scenario: Scenario) -> None:
        """Start reading a schedule of ``scenario``: an empty plan, no problem yet."""
        self.scenario = scenario
        self.plan = Plan(scenario)
        self.problems: list[Violation] = []

    def bad(self, activity: str, detail: str, rule: str = "schedule") -> None:
        """Report something malformed about ``activity``, under ``rule``."""
        self.problems.append(Violation(rule, activity, detail))

    def entries(self, schedule: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """Return ``(id, entry)`` for each well-formed entry of a list, counting each listing."""
        raw = schedule.get(key, [])
        if not isinstance(raw, list):
            self.bad("", f"{key} must be a list")
            return []
        found = []
        for index, entry in enumerate(raw):
            identifier = entry.get("id") if isinstance(entry, Mapping) else None
            if not isinstance(identifier, str):
                self.bad("", f"{key}[{index}] must be an object with a text id")
                continue
            if not self.is_activity(identifier):
                self.bad(identifier, f"{key}[{index}]: unknown activity {identifier!r}")
                continue
            self.plan.listings[identifier] += 1
            found.append((identifier, entry))
        return found

    def is_activity(self, identifier: str) -> bool:
        """Whether ``identifier`` is a meeting or action day of the scenario."""
        scenario = self.scenario
        return identifier in scenario.meetings_by_id or identifier in scenario.action_days_by_id

    def instant(self, activity: str, entry: Mapping[str, Any], key: str) -> datetime | None:
        """Return the instant at ``entry[key]`` in UTC, or ``None`` when it is missing or not ISO
        8601 with an offset (reported); one not written in host time is reported too.
        """
        if key not in entry:
            self.bad(activity, f"missing {key}")
            return None
        moment = parse_instant(entry[key])
        if moment is None:
            self.bad(activity, f"{key} {entry[key]!r} is not an ISO 8601 time with an offset")
            return None
        if moment.utcoffset() != moment.astimezone(self.plan.host_zone).utcoffset():
            self.bad(activity, f"{key} {entry[key]} is not written in host time")
        return moment.astimezone(UTC)

    def room(self, activity: str, entry: Mapping[str, Any]) -> tuple[Room | None, bool]:
        """Return the room and whether none is given (``null``)."""
        if "room" not in entry:
            self.bad(activity, "missing room")
            return None, False
        room_id = entry["room"]
        if room_id is None:
            return None, True
        room = self.scenario.rooms_by_id.get(room_id) if isinstance(room_id, str) else None
        if room is None:
            # the rule a room that is gone breaks (a frozen activity may still be in it)
            self.bad(activity, f"unknown room {room_id!r}", "room_feature")
        return room, False

    def held(
        self,
        schedule: Mapping[str, Any],
        key: str,
        known: Mapping[str, Activity],
        misplaced: str,
        into: dict[str, Held],
        read: Callable[[Activity, Mapping[str, Any]], Held | None],
    ) -> None:
        """Read the placed activities listed under ``key`` into ``into``: each counted as
        listed, an activity of the other kind reported as ``misplaced``, the first entry
        of an id read with ``read`` (a later one only counts as a listing)."""
        for identifier, entry in self.entries(schedule, key):
            self.plan.listed_held.add(identifier)
            activity = known.get(identifier)
            if activity is None:
                self.bad(identifier, misplaced)
            elif identifier not in into:
                placed = read(activity, entry)
                if placed is not None:
                    into[identifier] = placed

    def read(self, schedule: Mapping[str, Any]) -> Plan:
        """Read a whole schedule: the placed meetings and action days, the activities left out
        (each with a rule name and reasons).

        Returns
        -------
        Plan
            The well-formed placements, with every listing counted; what is malformed is in
            :attr:`problems`.
        """
        scenario, plan = self.scenario, self.plan
        misplaced = "an action day is listed under meetings"
        self.held(
            schedule, "meetings", scenario.meetings_by_id, misplaced, plan.meetings, self.meeting
        )
        misplaced = "a meeting is listed under action_days"
        self.held(
            schedule,
            "action_days",
            scenario.action_days_by_id,
            misplaced,
            plan.action_days,
            self.action_day,
        )
        for identifier, entry in self.entries(schedule, "unscheduled"):
            self.plan.unscheduled.add(identifier)
            if not is_rule(entry.get("rule")):
                self.bad(identifier, f"unscheduled rule {entry.get('rule')!r} is not a rule name")
            reasons = entry.get("reasons")
            if not (
                isinstance(reasons, list)
                and reasons
                and all(isinstance(r, str) and r.strip() for r in reasons)
            ):
                self.bad(identifier, "unscheduled reasons must be a non-empty list of texts")
        return self.plan

    def meeting(self, meeting: Meeting, entry: Mapping[str, Any]) -> HeldMeeting | None:
        """Read one placed meeting: its case, start and end (``end - start`` the duration), room,
        interpreters, absentees and local times; ``None`` when a time cannot be read.
        """
        if "case" in entry and entry["case"] != meeting.case:
            self.bad(meeting.id, f"case {entry['case']!r} is not the meeting's {meeting.case!r}")
        start = self.instant(meeting.id, entry, "start")
        end = self.instant(meeting.id, entry, "end")
        room, no_room = self.room(meeting.id, entry)
        if no_room:
            self.bad(meeting.id, "a meeting needs a room")
        interpreters = self.interpreters(meeting, entry.get("interpreters", {}))
        absent = self.absent(meeting, entry.get("absent", []))
        if start is None or end is None:
            return None
        duration = timedelta(minutes=meeting.duration)
        if end - start != duration:
            self.bad(meeting.id, f"end - start is {end - start}, not the duration {duration}")
        self.local_times(meeting, entry.get("local", {}), start, start + duration)
        host_date = start.astimezone(self.plan.host_zone).date()
        return HeldMeeting(meeting, start, start + duration, host_date, room, interpreters, absent)

    def interpreters(self, meeting: Meeting, raw: Any) -> dict[str, tuple[str, ...]]:
        """Return a meeting's interpreter teams by language, reporting unknown ids."""
        if not isinstance(raw, Mapping):
            self.bad(meeting.id, "interpreters must map languages to lists of interpreter ids")
            return {}
        teams: dict[str, tuple[str, ...]] = {}
        for language, team in raw.items():
            if not (isinstance(team, list) and all(isinstance(i, str) for i in team)):
                self.bad(meeting.id, f"interpreters[{language!r}] must be a list of ids")
                continue
            for unknown in sorted(set(team) - set(self.scenario.interpreters_by_id)):
                self.bad(meeting.id, f"unknown interpreter {unknown!r}", "interpreter")
            teams[str(language)] = tuple(team)
        return teams

    def absent(self, meeting: Meeting, raw: Any) -> frozenset[str]:
        """Return a meeting's absent optional participants, reporting any code that is not an
        optional participant's.
        """
        if not (isinstance(raw, list) and all(isinstance(code, str) for code in raw)):
            self.bad(meeting.id, "absent must be a list of party codes")
            return frozenset()
        optional = {p.country for p in meeting.participants if not p.required}
        required = {p.country for p in meeting.participants if p.required}
        for code in raw:
            if code not in optional:
                what = "a required" if code in required else "no"
                self.bad(meeting.id, f"absent lists {code}, {what} participant")
        return frozenset(code for code in raw if code in optional)

    def local_times(self, meeting: Meeting, raw: Any, start: datetime, end: datetime) -> None:
        """Check a meeting's ``local`` times: each participant's start and end, the same
        instants written in its own zone.
        """
        if not isinstance(raw, Mapping):
            self.bad(meeting.id, "local must map party codes to {start, end}")
            return
        by_code = {p.country: p for p in meeting.participants}
        for code, times in raw.items():
            participant = by_code.get(code)
            if participant is None or not isinstance(times, Mapping):
                self.bad(meeting.id, f"local[{code!r}] is not a participant's {{start, end}}")
                continue
            zone = participant_zone(self.scenario, participant)
            for key, expected in (("start", start), ("end", end)):
                moment = parse_instant(times.get(key))
                if (
                    moment is None
                    or moment != expected
                    or (moment.utcoffset() != expected.astimezone(zone).utcoffset())
                ):
                    wanted = expected.astimezone(zone).isoformat()
                    self.bad(
                        meeting.id, f"local[{code!r}].{key} is {times.get(key)!r}, not {wanted}"
                    )

    def action_day(self, action_day: ActionDay, entry: Mapping[str, Any]) -> HeldActionDay | None:
        """Read one placed action day: its case, room (``null``: virtual), stated centre span and
        date; the centre span is computed from the date. ``None`` when the date is not a date.
        """
        if "case" in entry and entry["case"] != action_day.case:
            self.bad(action_day.id, f"case {entry['case']!r} is not {action_day.case!r}")
        room, virtual = self.room(action_day.id, entry)
        stated_open = self.instant(action_day.id, entry, "centre_open")
        stated_close = self.instant(action_day.id, entry, "centre_close")
        raw_date = entry.get("date")
        try:
            if not (isinstance(raw_date, str) and DATE.match(raw_date)):
                raise ValueError(raw_date)
            day = date.fromisoformat(raw_date)
        except ValueError:
            self.bad(action_day.id, f"date {entry.get('date')!r} is not a date YYYY-MM-DD")
            return None
        opens, closes = centre_span(self.scenario, action_day, day)
        return HeldActionDay(
            action_day, day, opens, closes, room, virtual, stated_open, stated_close
        )
