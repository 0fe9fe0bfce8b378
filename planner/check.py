"""The independent checker: re-verify a ``planner.schedule/1`` file against every hard rule.

It shares nothing with the solver or the time grid: plain Python over aware
datetimes and :mod:`zoneinfo`, so that a slip there cannot hide itself here.
Every instant is converted to UTC before two are subtracted or compared; local
clock times are read with ``fold=0``. The rules are read exactly as in
``docs/rules.md``. Where that page leaves the choice open, this module decides:

- A start off the slot grid is a ``window`` violation; an ``end`` that is not
  ``start + duration``, an unknown or missing room and a required participant
  listed as absent are ``schedule`` violations (the record itself is wrong).
- An optional participant listed as absent without any of the reasons (a)-(d)
  is a ``working_hours`` violation: reason (a) is the participant-hours rule,
  the one that would have had to block it.
- A room's unavailable window overlapping a meeting or centre is
  ``unavailable``; a wrong centre span, a centre room without the
  ``coordination_centre`` feature and a virtual centre where ``virtual: never``
  are ``centre``; unmet ``prepared_by`` is ``order``.
- Soft action-day link spread (``links.action_days: soft``) is charged on the
  same pairs that ``same_day`` would bind: different cases of one cluster whose
  clipped windows overlap.
- Resource checks use the centre span computed from the date, not the span the
  file states (a wrong stated span is reported once, as ``centre``).
- Top-level keys ``schema``, ``scenario``, ``status``, ``objective``, ``terms``,
  ``meetings``, ``action_days``, ``unscheduled`` and ``infeasible`` are required;
  a meeting needs ``id``, ``start``, ``end`` and ``room``, while
  ``interpreters``, ``absent`` and ``local`` default to empty (``local``, when
  given, must name the same instants in each participant's zone). Every time
  must be written in host time. ``status: unknown`` (SPEC 2.6) is checked like
  ``feasible``; ``links.clusters`` is not compared.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import networkx as nx

from planner.loading import DEFAULT_MAX_BYTES, read_json
from planner.models.catalogue import public_holidays
from planner.models.problems import InputError, Problem
from planner.models.scenario import (
    ActionDay,
    Meeting,
    Participant,
    Predecessor,
    Room,
    Scenario,
    Unavailable,
    Window,
)
from planner.models.schedule import RULES as RULE_NAMES
from planner.models.schedule import TERM_NAMES

SCHEDULE_SCHEMA = "planner.schedule/1"
RULES = frozenset(RULE_NAMES)
"""Rule names of SPEC 2.6 (the spec's vocabulary, shared with the plan's data model)."""
TERMS = TERM_NAMES
"""The objective terms of SPEC 2.3, in output order."""
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
_REQUIRED_KEYS = (
    "schema",
    "scenario",
    "status",
    "objective",
    "terms",
    "meetings",
    "action_days",
    "unscheduled",
    "infeasible",
)
_STRETCH_STEP_SECONDS = 15 * 60
_DAY = timedelta(days=1)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Violation:
    """One broken rule: its name, the activity id (``""`` when global) and what is wrong."""

    rule: str
    activity: str
    detail: str


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


# ---- time, in one place ------------------------------------------------------------


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _clock(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Return the UTC instant ``minutes`` after 00:00 on ``day`` by the wall clock of ``zone``."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _unavailable_span(entry: Unavailable, zone: ZoneInfo) -> tuple[datetime, datetime]:
    if entry.hours is None:
        return _clock(entry.date, 0, zone), _clock(entry.date, 24 * 60, zone)
    return _clock(entry.date, entry.hours.start, zone), _clock(entry.date, entry.hours.end, zone)


def _first_overlap(
    entries: Iterable[Unavailable], zone: ZoneInfo, start: datetime, end: datetime
) -> Unavailable | None:
    for entry in entries:
        away_from, away_to = _unavailable_span(entry, zone)
        if start < away_to and away_from < end:
            return entry
    return None


def _describe(entry: Unavailable) -> str:
    return f"{entry.date} {entry.hours}" if entry.hours else f"{entry.date} (all day)"


def _day_off(code: str, observes_holidays: bool, day: date) -> str | None:
    """Return why ``day`` is no working day of ``code`` (weekend, holiday name), or None."""
    if day.weekday() >= 5:
        return day.strftime("%A")
    if observes_holidays:
        return public_holidays(code, day.year).get(day)
    return None


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def _steps(outside: timedelta) -> int:
    seconds = max(0, int(outside.total_seconds()))
    return -(-seconds // _STRETCH_STEP_SECONDS)


def _is_rule(value: Any) -> bool:
    return isinstance(value, str) and value in RULES


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment


# ---- the schedule as read ----------------------------------------------------------


@dataclass(frozen=True)
class HeldMeeting:
    """A placed meeting: UTC instants, its host date, room and interpreters."""

    meeting: Meeting
    start: datetime
    end: datetime
    host_date: date
    room: Room | None
    interpreters: Mapping[str, tuple[str, ...]]
    absent: frozenset[str]

    @property
    def attending(self) -> list[Participant]:
        return [p for p in self.meeting.participants if p.required or p.country not in self.absent]


@dataclass(frozen=True)
class HeldActionDay:
    """A placed action day: its date and the centre span computed from that date."""

    action_day: ActionDay
    day: date
    open: datetime
    close: datetime
    room: Room | None
    virtual: bool
    stated_open: datetime | None
    stated_close: datetime | None


@dataclass(frozen=True)
class _Use:
    activity: str
    start: datetime
    end: datetime
    weight: int = 1


@dataclass
class Plan:
    """A schedule read against its scenario, with the lookups every rule needs."""

    scenario: Scenario
    meetings: dict[str, HeldMeeting] = field(default_factory=dict)
    action_days: dict[str, HeldActionDay] = field(default_factory=dict)
    listed_held: set[str] = field(default_factory=set)
    unscheduled: set[str] = field(default_factory=set)
    listings: Counter[str] = field(default_factory=Counter)

    @cached_property
    def host_zone(self) -> ZoneInfo:
        return _zone(self.scenario.host.timezone)

    def host_day_off(self, day: date) -> str | None:
        host = self.scenario.host
        return _day_off(host.country, host.holidays == "auto", day)

    def party_day_off(self, code: str, day: date) -> str | None:
        party = self.scenario.parties[code]
        return _day_off(code, party.holidays, day)

    @cached_property
    def desk_uses(self) -> dict[str, list[_Use]]:
        """Every party's activities: meetings it takes part in and centres that list it."""
        uses: dict[str, list[_Use]] = defaultdict(list)
        for held in self.meetings.values():
            for participant in held.attending:
                uses[participant.country].append(_Use(held.meeting.id, held.start, held.end))
        for centre in self.action_days.values():
            for code in centre.action_day.countries:
                uses[code].append(_Use(centre.action_day.id, centre.open, centre.close))
        return uses

    @cached_property
    def cluster_of_case(self) -> dict[str, int]:
        return {
            case: index
            for index, cluster in enumerate(linked_clusters(self.scenario))
            for case in cluster
        }


def centre_span(scenario: Scenario, action_day: ActionDay, day: date) -> tuple[datetime, datetime]:
    """Return the centre's ``[open, close)`` in UTC for an action day held on ``day``.

    Each country operates from ``local_start`` on its local date ``day`` for
    ``duration`` elapsed minutes; the centre opens ``setup`` before the first
    operation and closes when the last one ends.
    """
    starts = [
        _clock(day, action_day.local_start, _zone(scenario.parties[code].timezone))
        for code in action_day.countries
    ]
    duration = timedelta(minutes=action_day.duration)
    setup = timedelta(minutes=scenario.coordination_centre.setup)
    return min(starts) - setup, max(starts) + duration


def normalise_entity(entity: str) -> str:
    """Return ``kind:value``: the kind lower-cased, the value only lower-case letters and digits."""
    kind, colon, value = entity.partition(":")
    if not colon:
        kind, value = "", entity
    return kind.strip().lower() + ":" + "".join(c for c in value.lower() if c.isalnum())


def linked_clusters(scenario: Scenario) -> list[set[str]]:
    """Return the clusters of linked cases (SPEC 2.4): components of two or more cases.

    Cases are linked when one declares the other, or, with ``links.detect:
    entities``, when they share a normalised entity.
    """
    graph = nx.Graph()
    graph.add_nodes_from(case.id for case in scenario.cases)
    for case in scenario.cases:
        graph.add_edges_from((case.id, other) for other in case.linked)
    if scenario.links.detect == "entities":
        holders: dict[str, list[str]] = defaultdict(list)
        for case in scenario.cases:
            for entity in {normalise_entity(e) for e in case.entities}:
                holders[entity].append(case.id)
        for cases in holders.values():
            graph.add_edges_from(pairwise(cases))
    return [set(c) for c in nx.connected_components(graph) if len(c) > 1]


# ---- reading the file --------------------------------------------------------------


class _Reader:
    """Turns the raw mapping into a :class:`Plan`, reporting what is malformed."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.plan = Plan(scenario)
        self.problems: list[Violation] = []

    def bad(self, activity: str, detail: str, rule: str = "schedule") -> None:
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
        scenario = self.scenario
        return identifier in scenario.meetings_by_id or identifier in scenario.action_days_by_id

    def instant(self, activity: str, entry: Mapping[str, Any], key: str) -> datetime | None:
        if key not in entry:
            self.bad(activity, f"missing {key}")
            return None
        moment = _parse_instant(entry[key])
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

    def read(self, schedule: Mapping[str, Any]) -> Plan:
        for identifier, entry in self.entries(schedule, "meetings"):
            self.plan.listed_held.add(identifier)
            meeting = self.scenario.meetings_by_id.get(identifier)
            if meeting is None:
                self.bad(identifier, "an action day is listed under meetings")
            elif identifier not in self.plan.meetings:
                held = self.meeting(meeting, entry)
                if held is not None:
                    self.plan.meetings[identifier] = held
        for identifier, entry in self.entries(schedule, "action_days"):
            self.plan.listed_held.add(identifier)
            action_day = self.scenario.action_days_by_id.get(identifier)
            if action_day is None:
                self.bad(identifier, "a meeting is listed under action_days")
            elif identifier not in self.plan.action_days:
                centre = self.action_day(action_day, entry)
                if centre is not None:
                    self.plan.action_days[identifier] = centre
        for identifier, entry in self.entries(schedule, "unscheduled"):
            self.plan.unscheduled.add(identifier)
            if not _is_rule(entry.get("rule")):
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
        if not (isinstance(raw, list) and all(isinstance(code, str) for code in raw)):
            self.bad(meeting.id, "absent must be a list of party codes")
            return frozenset()
        optional = {p.country for p in meeting.optional}
        for code in raw:
            if code not in optional:
                what = "a required" if code in {p.country for p in meeting.required} else "no"
                self.bad(meeting.id, f"absent lists {code}, {what} participant")
        return frozenset(code for code in raw if code in optional)

    def local_times(self, meeting: Meeting, raw: Any, start: datetime, end: datetime) -> None:
        if not isinstance(raw, Mapping):
            self.bad(meeting.id, "local must map party codes to {start, end}")
            return
        by_code = {p.country: p for p in meeting.participants}
        for code, times in raw.items():
            participant = by_code.get(code)
            if participant is None or not isinstance(times, Mapping):
                self.bad(meeting.id, f"local[{code!r}] is not a participant's {{start, end}}")
                continue
            zone = _zone(self.scenario.participant_timezone(participant))
            for key, expected in (("start", start), ("end", end)):
                moment = _parse_instant(times.get(key))
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
        if "case" in entry and entry["case"] != action_day.case:
            self.bad(action_day.id, f"case {entry['case']!r} is not {action_day.case!r}")
        room, virtual = self.room(action_day.id, entry)
        stated_open = self.instant(action_day.id, entry, "centre_open")
        stated_close = self.instant(action_day.id, entry, "centre_close")
        raw_date = entry.get("date")
        try:
            if not (isinstance(raw_date, str) and _DATE.match(raw_date)):
                raise ValueError(raw_date)
            day = date.fromisoformat(raw_date)
        except ValueError:
            self.bad(action_day.id, f"date {entry.get('date')!r} is not a date YYYY-MM-DD")
            return None
        opens, closes = centre_span(self.scenario, action_day, day)
        return HeldActionDay(
            action_day, day, opens, closes, room, virtual, stated_open, stated_close
        )


# ---- hard rules, one function per family -------------------------------------------


def meeting_time(plan: Plan) -> Iterator[Violation]:
    """Hard: a meeting starts on a slot, in its window, within host hours of a host working day."""
    scenario = plan.scenario
    origin = _clock(scenario.horizon.start, 0, plan.host_zone)
    slot = timedelta(minutes=scenario.granularity)
    hours = scenario.host.hours
    for held in plan.meetings.values():
        identifier, day = held.meeting.id, held.host_date
        if (held.start - origin) % slot:
            yield Violation("window", identifier, f"start is not on a {slot} slot boundary")
        first, last = scenario.window_of(held.meeting)
        if not first <= day <= last:
            yield Violation("window", identifier, f"host date {day} is outside {first}..{last}")
        off = plan.host_day_off(day)
        if off:
            yield Violation("holiday", identifier, f"host date {day} is {off}")
        opens = _clock(day, hours.start, plan.host_zone)
        closes = _clock(day, hours.end, plan.host_zone)
        if held.start < opens or held.end > closes:
            span = f"{_local(held.start, plan.host_zone)}-{_local(held.end, plan.host_zone)}"
            yield Violation("host_hours", identifier, f"{span} is outside host hours {hours}")


def _attendance_problem(
    plan: Plan, participant: Participant, start: datetime, end: datetime
) -> tuple[str, str, int]:
    """Return ``(rule, detail, stretch steps)``; the rule is ``""`` when the participant can attend.

    The participant needs a local working day ``D`` of its party with the
    meeting inside ``D``'s hours widened by ``stretch``; of several such days
    the cheapest counts. Its party must not be away then either.
    """
    scenario = plan.scenario
    party = scenario.parties[participant.country]
    zone = _zone(scenario.participant_timezone(participant))
    stretch = timedelta(minutes=scenario.defaults.stretch)
    day = (end - stretch).astimezone(zone).date() - _DAY
    last = (start + stretch).astimezone(zone).date()
    best: int | None = None
    day_off = ""
    while day <= last:
        work_start = _clock(day, party.working_hours.start, zone)
        work_end = _clock(day, party.working_hours.end, zone)
        if work_start - stretch <= start and end <= work_end + stretch:
            off = plan.party_day_off(party.code, day)
            if off:
                day_off = day_off or f"local date {day} is {off} in {party.code}"
            else:
                steps = _steps(work_start - start) + _steps(end - work_end)
                best = steps if best is None else min(best, steps)
        day += _DAY
    code = participant.country
    if best is None and day_off:
        return "holiday", f"{code}: {day_off}", 0
    if best is None:
        span = f"{_local(start, zone)}-{end.astimezone(zone):%H:%M} {zone.key}"
        return "working_hours", f"{code}: {span} is outside hours {party.working_hours}", 0
    away = _first_overlap(party.unavailable, _zone(party.timezone), start, end)
    if away is not None:
        return "unavailable", f"{code} is unavailable {_describe(away)}", best
    return "", "", best


def participant_availability(plan: Plan) -> Iterator[Violation]:
    """Hard: an attending participant is within its hours (and stretch) on a local working day
    of its party, and its party is not away then."""
    for held in plan.meetings.values():
        for participant in held.attending:
            rule, detail, _ = _attendance_problem(plan, participant, held.start, held.end)
            if rule:
                yield Violation(rule, held.meeting.id, detail)


def _desk_full(plan: Plan, code: str, held: HeldMeeting) -> bool:
    others = [
        _Use(u.activity, max(u.start, held.start), min(u.end, held.end))
        for u in plan.desk_uses.get(code, [])
        if u.activity != held.meeting.id and u.start < held.end and held.start < u.end
    ]
    capacity = plan.scenario.parties[code].desk_capacity
    return any(True for _ in _overloads(others, capacity - 1))


def _absence_reason(plan: Plan, held: HeldMeeting, participant: Participant) -> str:
    meeting = held.meeting
    rule, detail, _ = _attendance_problem(plan, participant, held.start, held.end)
    if rule:
        return detail
    if _desk_full(plan, participant.country, held):
        return "desk full"
    others = [p for p in held.attending if p.country != participant.country]
    language = participant.language
    foreign = language is not None and language != meeting.working_language
    if foreign and all(p.language != language for p in others):
        return f"no other attending participant speaks {language}"
    if participant.attendance == "video" and all(p.attendance != "video" for p in others):
        return "no other attending participant is on video"
    if (
        participant.attendance == "in_person"
        and foreign
        and not any(
            p.attendance == "in_person" and p.language not in (None, meeting.working_language)
            for p in others
        )
    ):
        return "no other attending in-person participant needs booths"
    return ""


def optional_absences(plan: Plan) -> Iterator[Violation]:
    """Hard: an optional participant is absent only when attending would break a rule, or need
    an interpreter team or room feature the meeting would not otherwise need."""
    for held in plan.meetings.values():
        for participant in held.meeting.optional:
            if participant.country in held.absent and not _absence_reason(plan, held, participant):
                yield Violation(
                    "working_hours",
                    held.meeting.id,
                    f"optional {participant.country} is listed absent but could attend",
                )


def _overloads(uses: list[_Use], limit: int) -> Iterator[tuple[_Use, list[_Use]]]:
    """Yield each use whose start lifts the total weight above ``limit``, with all open then."""
    events = sorted(
        [(u.start, 1, i) for i, u in enumerate(uses)] + [(u.end, 0, i) for i, u in enumerate(uses)]
    )
    open_uses: dict[int, _Use] = {}
    for _, starts, index in events:
        if not starts:
            open_uses.pop(index, None)
            continue
        open_uses[index] = uses[index]
        if sum(u.weight for u in open_uses.values()) > limit:
            yield uses[index], list(open_uses.values())


def desks(plan: Plan) -> Iterator[Violation]:
    """Hard: at every instant a party takes part in at most its desk_capacity activities."""
    for code, uses in sorted(plan.desk_uses.items()):
        capacity = plan.scenario.parties[code].desk_capacity
        for use, open_uses in _overloads(uses, capacity):
            names = ", ".join(sorted(u.activity for u in open_uses))
            yield Violation(
                "desk_capacity", use.activity, f"{code} desk ({capacity}) is in {names} at once"
            )


def meeting_rooms(plan: Plan) -> Iterator[Violation]:
    """Hard: a meeting's room seats host staff and all in-person invitees and has the features
    its attending participants need."""
    scenario = plan.scenario
    for held in plan.meetings.values():
        meeting, room = held.meeting, held.room
        if room is None:
            continue
        in_person = [p for p in meeting.participants if p.attendance == "in_person"]
        seats = scenario.defaults.host_staff + sum(p.delegates for p in in_person)
        if room.capacity < seats:
            detail = f"room {room.id} seats {room.capacity}, {seats} are needed"
            yield Violation("room_capacity", meeting.id, detail)
        needed = set()
        if any(p.attendance == "video" for p in held.attending):
            needed.add("videoconference")
        if any(
            p.attendance == "in_person" and p.language not in (None, meeting.working_language)
            for p in held.attending
        ):
            needed.add("interpretation_booths")
        for feature in sorted(needed - set(room.features)):
            yield Violation("room_feature", meeting.id, f"room {room.id} has no {feature}")


def _room_uses(plan: Plan) -> dict[str, list[_Use]]:
    uses: dict[str, list[_Use]] = defaultdict(list)
    for held in plan.meetings.values():
        if held.room is not None:
            uses[held.room.id].append(_Use(held.meeting.id, held.start, held.end))
    for centre in plan.action_days.values():
        if centre.room is not None:
            uses[centre.room.id].append(_Use(centre.action_day.id, centre.open, centre.close))
    return uses


def room_unavailability(plan: Plan) -> Iterator[Violation]:
    """Hard: no meeting or centre uses a room during one of its unavailable windows (host time)."""
    for room_id, uses in sorted(_room_uses(plan).items()):
        room = plan.scenario.rooms_by_id[room_id]
        for use in uses:
            away = _first_overlap(room.unavailable, plan.host_zone, use.start, use.end)
            if away is not None:
                detail = f"room {room_id} is unavailable {_describe(away)}"
                yield Violation("unavailable", use.activity, detail)


def room_buffers(plan: Plan) -> Iterator[Violation]:
    """Hard: two uses of one room, meetings or centres, are at least room_buffer apart."""
    buffer = timedelta(minutes=plan.scenario.defaults.room_buffer)
    for room_id, uses in sorted(_room_uses(plan).items()):
        ordered = sorted(uses, key=lambda u: (u.start, u.end, u.activity))
        for later_index, later in enumerate(ordered):
            for earlier in ordered[:later_index]:
                if later.start < earlier.end + buffer:
                    detail = f"room {room_id} is still in use by {earlier.activity} (+{buffer})"
                    yield Violation("room_conflict", later.activity, detail)


def _languages_needed(held: HeldMeeting) -> set[str]:
    working = held.meeting.working_language
    return {p.language for p in held.attending if p.language and p.language != working}


def interpreter_teams(plan: Plan) -> Iterator[Violation]:
    """Hard: each needed language, and no other, has a team of the right size who know it and
    the working language."""
    scenario = plan.scenario
    for held in plan.meetings.values():
        meeting, teams = held.meeting, held.interpreters
        size = scenario.interpreters_needed(meeting)
        needed = _languages_needed(held)
        for language in sorted(needed - set(teams)):
            yield Violation("interpreter", meeting.id, f"no interpreters for {language}")
        for language in sorted(set(teams) - needed):
            yield Violation("interpreter", meeting.id, f"{language} is not needed")
        for language in sorted(needed & set(teams)):
            team = teams[language]
            if len(team) != size:
                detail = f"{language} has {len(team)} interpreters, {size} needed"
                yield Violation("interpreter", meeting.id, detail)
            for interpreter_id in team:
                interpreter = scenario.interpreters_by_id.get(interpreter_id)
                pair = {language, meeting.working_language}
                if interpreter is not None and not pair <= set(interpreter.languages):
                    detail = f"{interpreter_id} does not know both of {sorted(pair)}"
                    yield Violation("interpreter", meeting.id, detail)
        listed = Counter(i for team in teams.values() for i in team)
        for interpreter_id, count in sorted(listed.items()):
            if count > 1:
                detail = f"{interpreter_id} serves {count} languages or places at once"
                yield Violation("interpreter", meeting.id, detail)


def interpreter_availability(plan: Plan) -> Iterator[Violation]:
    """Hard: an interpreter serves one meeting at a time, within their hours on its host date,
    never when unavailable, and at most max_per_day per host date."""
    scenario = plan.scenario
    served: dict[str, list[HeldMeeting]] = defaultdict(list)
    for held in plan.meetings.values():
        for interpreter_id in {i for team in held.interpreters.values() for i in team}:
            if interpreter_id in scenario.interpreters_by_id:
                served[interpreter_id].append(held)
    for interpreter_id, meetings in sorted(served.items()):
        interpreter = scenario.interpreters_by_id[interpreter_id]
        hours = scenario.interpreter_hours(interpreter)
        cap = scenario.interpreter_max_per_day(interpreter)
        minutes_on: Counter[date] = Counter()
        meetings.sort(key=lambda h: (h.start, h.meeting.id))
        for index, held in enumerate(meetings):
            identifier = held.meeting.id
            for earlier in meetings[:index]:
                if held.start < earlier.end:
                    detail = f"{interpreter_id} is also in {earlier.meeting.id}"
                    yield Violation("interpreter", identifier, detail)
            day = held.host_date
            opens = _clock(day, hours.start, plan.host_zone)
            closes = _clock(day, hours.end, plan.host_zone)
            if held.start < opens or held.end > closes:
                yield Violation("interpreter", identifier, f"outside {interpreter_id}'s {hours}")
            away = _first_overlap(interpreter.unavailable, plan.host_zone, held.start, held.end)
            if away is not None:
                detail = f"{interpreter_id} is unavailable {_describe(away)}"
                yield Violation("interpreter", identifier, detail)
            minutes_on[day] += held.meeting.duration
            if minutes_on[day] > cap >= minutes_on[day] - held.meeting.duration:
                detail = f"{interpreter_id} interprets {minutes_on[day]} min on {day} (max {cap})"
                yield Violation("interpreter", identifier, detail)


def order(plan: Plan) -> Iterator[Violation]:
    """Hard: a held meeting or action day starts at least gap after each predecessor ends,
    and each predecessor is held."""
    activities: list[tuple[str, list[Predecessor], datetime]] = [
        (h.meeting.id, h.meeting.after, h.start) for h in plan.meetings.values()
    ]
    activities += [
        (c.action_day.id, c.action_day.prepared_by, c.open) for c in plan.action_days.values()
    ]
    for identifier, predecessors, start in activities:
        for predecessor in predecessors:
            other = predecessor.meeting
            if other not in plan.listed_held:
                yield Violation("order", identifier, f"predecessor {other} is not held")
                continue
            before = plan.meetings.get(other)
            gap = timedelta(minutes=predecessor.gap)
            if before is not None and start < before.end + gap:
                detail = f"starts {start - before.end} after {other} ends, gap {gap} needed"
                yield Violation("order", identifier, detail)


def pins(plan: Plan) -> Iterator[Violation]:
    """Hard: a pinned meeting is held at its pinned start, host date and room, where given."""
    for meeting in plan.scenario.meetings:
        pin = meeting.pinned
        if pin is None:
            continue
        if meeting.id not in plan.listed_held:
            yield Violation("pin", meeting.id, "a pinned meeting is not held")
            continue
        held = plan.meetings.get(meeting.id)
        if held is None:
            continue
        if pin.start is not None:
            pinned = pin.start if pin.start.tzinfo else pin.start.replace(tzinfo=plan.host_zone)
            if held.start != pinned:
                yield Violation("pin", meeting.id, f"start is not the pinned {pinned.isoformat()}")
        if pin.date is not None and held.host_date != pin.date:
            yield Violation("pin", meeting.id, f"host date {held.host_date} is not {pin.date}")
        if pin.room is not None and held.room is not None and held.room.id != pin.room:
            yield Violation("pin", meeting.id, f"room {held.room.id} is not the pinned {pin.room}")


def critical(plan: Plan) -> Iterator[Violation]:
    """Hard: every critical meeting and action day is held."""
    activities: list[Meeting | ActionDay] = [*plan.scenario.meetings, *plan.scenario.action_days]
    for activity in activities:
        if activity.priority == "critical" and activity.id not in plan.listed_held:
            yield Violation("critical", activity.id, "a critical activity is not held")


def action_day_dates(plan: Plan) -> Iterator[Violation]:
    """Hard: an action day's date is in its window and, unless weekend: true, a working day of
    the host and of each country, none of which is away all day."""
    scenario = plan.scenario
    for centre in plan.action_days.values():
        action_day, day = centre.action_day, centre.day
        first, last = scenario.window_of(action_day)
        if not first <= day <= last:
            yield Violation("window", action_day.id, f"date {day} is outside {first}..{last}")
        if action_day.weekend:
            continue
        off = plan.host_day_off(day)
        if off:
            yield Violation("holiday", action_day.id, f"{day} is {off} for the host")
        for code in action_day.countries:
            off = plan.party_day_off(code, day)
            if off:
                yield Violation("holiday", action_day.id, f"{day} is {off} in {code}")
            if any(e.hours is None and e.date == day for e in scenario.parties[code].unavailable):
                yield Violation("unavailable", action_day.id, f"{code} is unavailable on {day}")


def centres(plan: Plan) -> Iterator[Violation]:
    """Hard: a centre opens setup before the first operation, closes at the last one's end,
    and runs in a coordination-centre room, or virtually where allowed."""
    for centre in plan.action_days.values():
        action_day = centre.action_day
        for key, stated, expected in (
            ("centre_open", centre.stated_open, centre.open),
            ("centre_close", centre.stated_close, centre.close),
        ):
            if stated is not None and stated != expected:
                wanted = expected.astimezone(plan.host_zone).isoformat()
                yield Violation("centre", action_day.id, f"{key} should be {wanted}")
        if centre.virtual and action_day.virtual == "never":
            yield Violation("centre", action_day.id, "runs virtually but virtual: never")
        if centre.room is not None and "coordination_centre" not in centre.room.features:
            detail = f"room {centre.room.id} has no coordination_centre"
            yield Violation("centre", action_day.id, detail)


def centre_staff(plan: Plan) -> Iterator[Violation]:
    """Hard: at every instant the open centres, virtual ones too, need at most the staff pool."""
    pool = plan.scenario.coordination_centre.staff
    uses = [
        _Use(c.action_day.id, c.open, c.close, c.action_day.staff)
        for c in plan.action_days.values()
    ]
    for use, open_uses in _overloads(uses, pool):
        names = ", ".join(sorted(u.activity for u in open_uses))
        needed = sum(u.weight for u in open_uses)
        yield Violation("staff", use.activity, f"{names} need {needed} staff, pool {pool}")


def _windows_overlap(scenario: Scenario, first: Window, second: Window) -> bool:
    first_from, first_to = scenario.window_of(first)
    second_from, second_to = scenario.window_of(second)
    return first_from <= second_to and second_from <= first_to


def _linked_action_day_pairs(plan: Plan) -> Iterator[tuple[HeldActionDay, HeldActionDay]]:
    """Pairs of held action days of different cases in one cluster with overlapping windows."""
    cluster = plan.cluster_of_case
    held = sorted(plan.action_days.values(), key=lambda c: c.action_day.id)
    for first, second in combinations(held, 2):
        one, other = first.action_day, second.action_day
        if (
            one.case != other.case
            and one.case in cluster
            and cluster.get(other.case) == cluster[one.case]
            and _windows_overlap(plan.scenario, one, other)
        ):
            yield first, second


def linked_action_days(plan: Plan) -> Iterator[Violation]:
    """Hard: under links.action_days same_day, linked action days with overlapping windows
    share a date."""
    if plan.scenario.links.action_days != "same_day":
        return
    for first, second in _linked_action_day_pairs(plan):
        if first.day != second.day:
            detail = f"{second.day} is not the date {first.day} of linked {first.action_day.id}"
            yield Violation("link_same_day", second.action_day.id, detail)


HARD_RULES: tuple[Callable[[Plan], Iterable[Violation]], ...] = (
    meeting_time,
    participant_availability,
    optional_absences,
    desks,
    meeting_rooms,
    room_unavailability,
    room_buffers,
    interpreter_teams,
    interpreter_availability,
    order,
    pins,
    critical,
    action_day_dates,
    centres,
    centre_staff,
    linked_action_days,
)
"""Every hard-rule check, in reporting order."""


# ---- objective ---------------------------------------------------------------------


def _link_spread_days(plan: Plan) -> int:
    """Days apart beyond what SPEC 2.4 allows, over linked action days and meetings."""
    scenario, cluster = plan.scenario, plan.cluster_of_case
    days = 0
    if scenario.links.action_days == "soft":
        for one_day, other_day in _linked_action_day_pairs(plan):
            days += abs((one_day.day - other_day.day).days)
    within = scenario.links.meetings_within // (24 * 60)
    linked = sorted(
        (h for h in plan.meetings.values() if h.meeting.case in cluster), key=lambda h: h.meeting.id
    )
    for first, second in combinations(linked, 2):
        one, other = first.meeting, second.meeting
        if (
            one.case != other.case
            and cluster[one.case] == cluster[other.case]
            and {p.country for p in one.participants} & {p.country for p in other.participants}
        ):
            days += max(0, abs((first.host_date - second.host_date).days) - within)
    return days


def expected_terms(plan: Plan) -> dict[str, int]:
    """Recompute every objective term except ``moves`` (which needs the baseline)."""
    scenario, weights = plan.scenario, plan.scenario.objective
    activities: list[Meeting | ActionDay] = [*scenario.meetings, *scenario.action_days]
    unscheduled = sum(
        weights.unscheduled.of(a.priority) for a in activities if a.id in plan.unscheduled
    )
    lateness = stretch = absent = 0
    for held in plan.meetings.values():
        preferred = held.meeting.preferred
        if preferred is not None:
            lateness += max(0, (held.host_date - preferred).days)
        absent += len(held.absent)
        for participant in held.attending:
            stretch += _attendance_problem(plan, participant, held.start, held.end)[2]
    spread_days = _link_spread_days(plan)
    virtual = sum(1 for c in plan.action_days.values() if c.virtual)
    return {
        "unscheduled": unscheduled,
        "lateness": weights.lateness_per_day * lateness,
        "stretch": weights.stretch_per_15m * stretch,
        "optional_absent": weights.optional_absent * absent,
        "link_spread": weights.link_spread_per_day * spread_days,
        "virtual_centre": weights.virtual_centre * virtual,
    }


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _objective(plan: Plan, schedule: Mapping[str, Any]) -> Iterator[Violation]:
    terms = schedule.get("terms")
    if not isinstance(terms, Mapping):
        yield Violation("objective", "", "terms must be an object")
        return
    if set(terms) != set(TERMS):
        yield Violation("objective", "", f"terms must be exactly {', '.join(TERMS)}")
    values = {name: terms[name] for name in TERMS if name in terms}
    for name, value in values.items():
        if not (_is_int(value) and value >= 0):
            yield Violation(
                "objective", "", f"term {name} is {value!r}, not a non-negative integer"
            )
    objective = schedule.get("objective")
    if not _is_int(objective):
        yield Violation("objective", "", f"objective is {objective!r}, not an integer")
    elif all(_is_int(v) for v in values.values()) and objective != sum(values.values()):
        yield Violation("objective", "", f"objective {objective} is not the sum of its terms")
    bound = schedule.get("bound")
    bound_is_number = isinstance(bound, int | float) and not isinstance(bound, bool)
    if bound is not None and not (
        bound_is_number and (not isinstance(objective, int) or bound <= objective)
    ):
        yield Violation("objective", "", f"bound {bound!r} is not a number <= the objective")
    for name, expected in expected_terms(plan).items():
        if name in values and values[name] != expected:
            detail = f"term {name} is {values[name]!r}, recomputed {expected}"
            yield Violation("objective", "", detail)


# ---- the whole file ----------------------------------------------------------------


def _header(schedule: Mapping[str, Any], scenario_bytes: bytes | None) -> Iterator[Violation]:
    for key in _REQUIRED_KEYS:
        if key not in schedule:
            yield Violation("schedule", "", f"missing key {key!r}")
    if "schema" in schedule and schedule["schema"] != SCHEDULE_SCHEMA:
        yield Violation("schedule", "", f"schema {schedule['schema']!r} is not {SCHEDULE_SCHEMA}")
    if "status" in schedule and schedule["status"] not in STATUSES:
        yield Violation("schedule", "", f"status {schedule['status']!r} is not one of {STATUSES}")
    if scenario_bytes is not None:
        header = schedule.get("scenario")
        stated = header.get("sha256") if isinstance(header, Mapping) else None
        if stated != hashlib.sha256(scenario_bytes).hexdigest():
            yield Violation("schedule", "", "scenario.sha256 is not that of the scenario file")


def _accounting(plan: Plan) -> Iterator[Violation]:
    activities: list[Meeting | ActionDay] = [*plan.scenario.meetings, *plan.scenario.action_days]
    for activity in activities:
        count = plan.listings[activity.id]
        if count != 1:
            where = "appears nowhere" if count == 0 else f"appears {count} times"
            detail = f"{where}; every activity is listed once, placed or unscheduled"
            yield Violation("schedule", activity.id, detail)


def _infeasible_report(plan: Plan, schedule: Mapping[str, Any]) -> Iterator[Violation]:
    for key in ("objective", "bound"):
        if schedule.get(key) is not None:
            yield Violation("schedule", "", f"an infeasible schedule has {key} null")
    if plan.listed_held:
        yield Violation("schedule", "", "an infeasible schedule places nothing")
    entries = schedule.get("infeasible")
    if not isinstance(entries, list) or not entries:
        yield Violation("schedule", "", "infeasible must list why, as a non-empty list")
        return
    known = {a.id for a in [*plan.scenario.meetings, *plan.scenario.action_days]}
    for index, entry in enumerate(entries):
        activities = entry.get("activities") if isinstance(entry, Mapping) else None
        reason = entry.get("reason") if isinstance(entry, Mapping) else None
        if (
            not isinstance(entry, Mapping)
            or not _is_rule(entry.get("rule"))
            or not isinstance(activities, list)
            or not all(isinstance(a, str) and a in known for a in activities)
            or not (isinstance(reason, str) and reason.strip())
        ):
            detail = f"infeasible[{index}] needs a rule name, known activities and a reason"
            yield Violation("schedule", "", detail)


def check_schedule(
    scenario: Scenario, schedule: Mapping[str, Any], scenario_bytes: bytes | None = None
) -> list[Violation]:
    """Verify a schedule against every hard rule of its scenario.

    Parameters
    ----------
    scenario
        The validated scenario the schedule claims to plan.
    schedule
        A parsed ``planner.schedule/1`` file (see :func:`load_schedule`); it may
        be malformed, which is reported, never raised.
    scenario_bytes
        The scenario file's bytes; when given, ``scenario.sha256`` must match.

    Returns
    -------
    list of Violation
        Every violation found, without repeats; empty when the schedule holds.
        ``schedule`` names a malformed file or bad accounting, ``objective`` a
        term or sum that does not add up; the others are SPEC 2.6 rule names.
    """
    if not isinstance(schedule, Mapping):
        return [Violation("schedule", "", "a schedule must be a JSON object")]
    reader = _Reader(scenario)
    plan = reader.read(schedule)
    found = [*_header(schedule, scenario_bytes), *reader.problems, *_accounting(plan)]
    if schedule.get("status") == "infeasible":
        found += _infeasible_report(plan, schedule)
    else:
        if schedule.get("infeasible"):
            found.append(Violation("schedule", "", "a solved schedule has infeasible []"))
        for rule in HARD_RULES:
            found += rule(plan)
        found += _objective(plan, schedule)
    return list(dict.fromkeys(found))


# ---- against a baseline (SPEC 2.7.1) --------------------------------------------------

_CATEGORIES = ("frozen", "moved", "new", "dropped", "cancelled")


def _placed(document: Mapping[str, Any]) -> tuple[dict[str, Mapping[str, Any]], dict[str, Any]]:
    """The meetings and action days a plan document holds, by id (malformed entries left
    out: the plan's own check reports them)."""
    meetings = {
        e["id"]: e
        for e in document.get("meetings", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    action_days = {
        e["id"]: e
        for e in document.get("action_days", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    return meetings, action_days


def _fields_changed(
    before: Mapping[str, Any], after: Mapping[str, Any], zone: ZoneInfo, meeting: bool
) -> list[str] | None:
    """Which of date, time of day and room changed (host time); ``None`` if unreadable."""
    if meeting:
        start, new_start = _parse_instant(before.get("start")), _parse_instant(after.get("start"))
        if start is None or new_start is None:
            return None
        start, new_start = start.astimezone(zone), new_start.astimezone(zone)
        changed = [
            ("date", start.date() != new_start.date()),
            ("time", start.time() != new_start.time()),
        ]
    else:
        changed = [("date", before.get("date") != after.get("date"))]
    changed.append(("room", before.get("room") != after.get("room")))
    return [name for name, differs in changed if differs]


def _same_record(before: Mapping[str, Any], after: Mapping[str, Any], meeting: bool) -> bool:
    """Whether an activity is held exactly as before: times, room, interpreters, absent."""
    if not meeting:
        return all(before.get(k) == after.get(k) for k in ("date", "room"))
    instants = [_parse_instant(x.get(k)) for x in (before, after) for k in ("start", "end")]
    if None in instants:
        return False

    def teams(entry: Mapping[str, Any]) -> Any:
        raw = entry.get("interpreters") or {}
        return {k: sorted(v) for k, v in raw.items() if v} if isinstance(raw, Mapping) else raw

    return (
        instants[0] == instants[2]
        and instants[1] == instants[3]
        and before.get("room") == after.get("room")
        and teams(before) == teams(after)
        and sorted(before.get("absent") or []) == sorted(after.get("absent") or [])
    )


def check_against_baseline(
    scenario: Scenario,
    schedule: Mapping[str, Any],
    baseline: Mapping[str, Any],
    baseline_bytes: bytes,
) -> list[Violation]:
    """Verify a plan's ``changes`` and ``moves`` against the baseline it was made from.

    Every activity of the baseline must be accounted for exactly once (unchanged, or
    listed as frozen, moved, new, dropped or cancelled, as the two plans show); frozen
    activities are held exactly as in the baseline; with ``changes.now``, nothing that
    starts before it differs from the baseline; and the ``moves`` term is recomputed:
    per activity that the baseline held and the scenario still has, each changed host
    date, time of day and room at its ``move`` weight (an action day: date and room),
    all of them for one left out.
    """
    found: list[Violation] = []
    changes = schedule.get("changes")
    if not isinstance(changes, Mapping):
        return [Violation("schedule", "", "a plan compared with a baseline needs changes {}")]
    stated = changes.get("baseline")
    digest = hashlib.sha256(baseline_bytes).hexdigest()
    if not isinstance(stated, Mapping) or stated.get("sha256") != digest:
        found.append(Violation("schedule", "", "changes.baseline.sha256 is not the baseline's"))
    zone = _zone(scenario.host.timezone)
    weights = scenario.objective.move
    before_meetings, before_days = _placed(baseline)
    after_meetings, after_days = _placed(schedule)
    listed_left_out = {
        e["id"]
        for e in baseline.get("unscheduled", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    baseline_ids: set[str] = set(before_meetings) | set(before_days) | listed_left_out
    exists = set(scenario.meetings_by_id) | set(scenario.action_days_by_id)
    held_after: set[str] = set(after_meetings) | set(after_days)

    listed: dict[str, list[str]] = {}
    entries: dict[str, Mapping[str, Any]] = {}
    for group in _CATEGORIES:
        for entry in changes.get(group, []) or []:
            identifier = entry.get("id") if isinstance(entry, Mapping) else entry
            if not isinstance(identifier, str):
                found.append(Violation("schedule", "", f"changes.{group} holds {entry!r}"))
                continue
            listed.setdefault(identifier, []).append(group)
            if isinstance(entry, Mapping):
                entries[identifier] = entry
    for identifier, categories in listed.items():
        if len(categories) > 1:
            detail = f"listed more than once in changes: {', '.join(categories)}"
            found.append(Violation("schedule", identifier, detail))

    moves = 0
    for identifier in sorted(baseline_ids | held_after):
        meeting = identifier in before_meetings or identifier in scenario.meetings_by_id
        before = before_meetings.get(identifier) or before_days.get(identifier)
        after = after_meetings.get(identifier) or after_days.get(identifier)
        groups: list[str | None] = [*listed.get(identifier, []), None]
        category = groups[0]
        expected: str | None
        if identifier not in exists:
            expected = "cancelled"
        elif before is not None and after is None:
            expected = "dropped"
            moves += weights.date + weights.room + (weights.time if meeting else 0)
        elif before is None and after is not None:
            expected = "new"
        elif before is not None and after is not None:
            fields = _fields_changed(before, after, zone, meeting)
            if fields is None:
                continue  # unreadable times: the plan's own check reports them
            moves += sum(getattr(weights, name) for name in fields)
            expected = "moved" if fields else None
            if category == "frozen" and _same_record(before, after, meeting):
                expected = "frozen"
            elif category == "moved" and fields:
                stated_fields = entries.get(identifier, {}).get("fields")
                if sorted(stated_fields or []) != sorted(fields):
                    detail = f"moved fields {stated_fields!r}, but {', '.join(fields)} changed"
                    found.append(Violation("schedule", identifier, detail))
        else:
            expected = None  # left out in both
        if category != expected:
            what = expected or "unchanged (not listed)"
            detail = f"listed as {category or 'unchanged'} in changes, but it is {what}"
            found.append(Violation("schedule", identifier, detail))

    terms = schedule.get("terms")
    stated_moves = terms.get("moves") if isinstance(terms, Mapping) else None
    if stated_moves != moves:
        found.append(
            Violation("objective", "", f"term moves is {stated_moves!r}, recomputed {moves}")
        )
    now = _parse_instant(changes.get("now")) if changes.get("now") is not None else None
    if changes.get("now") is not None and now is None:
        found.append(
            Violation("schedule", "", "changes.now is not an ISO 8601 time with an offset")
        )
    if now is not None:
        found += _nothing_before_now_changed(
            before_meetings, before_days, after_meetings, after_days, listed, now, zone
        )
    return list(dict.fromkeys(found))


def _nothing_before_now_changed(
    before_meetings: dict[str, Mapping[str, Any]],
    before_days: dict[str, Mapping[str, Any]],
    after_meetings: dict[str, Mapping[str, Any]],
    after_days: dict[str, Mapping[str, Any]],
    listed: dict[str, list[str]],
    now: datetime,
    zone: ZoneInfo,
) -> Iterator[Violation]:
    """What starts before ``now`` in either plan is frozen: the same in both."""
    for identifier, meeting in [
        *((i, True) for i in {**before_meetings, **after_meetings}),
        *((i, False) for i in {**before_days, **after_days}),
    ]:
        before = (before_meetings if meeting else before_days).get(identifier)
        after = (after_meetings if meeting else after_days).get(identifier)
        key = "start" if meeting else "centre_open"
        starts = [_parse_instant(e.get(key)) for e in (before, after) if e is not None]
        if not any(start is not None and start < now for start in starts):
            continue
        frozen = "frozen" in listed.get(identifier, [])
        if (
            before is None
            or after is None
            or not _same_record(before, after, meeting)
            or not frozen
        ):
            detail = (
                f"starts before now ({now.astimezone(zone):%Y-%m-%d %H:%M}) but is not kept "
                "frozen as in the baseline"
            )
            yield Violation("schedule", identifier, detail)


def accepted_conflicts(
    schedule: Mapping[str, Any], violations: list[Violation]
) -> tuple[list[Violation], list[Violation]]:
    """Split violations into those that stand and those of frozen activities that the
    plan itself lists under ``changes.conflicts`` with the same rule (kept knowingly,
    SPEC 2.7.1)."""
    changes = schedule.get("changes")
    if not isinstance(changes, Mapping):
        return violations, []
    frozen = set(changes.get("frozen") or [])
    listed = {
        (entry.get("id"), entry.get("rule"))
        for entry in changes.get("conflicts") or []
        if isinstance(entry, Mapping)
    }
    standing: list[Violation] = []
    accepted: list[Violation] = []
    for violation in violations:
        known = violation.activity in frozen and (violation.activity, violation.rule) in listed
        (accepted if known else standing).append(violation)
    return standing, accepted
