"""Why an activity that could be placed was left out: the contention that blocks it.

Static reasons (no placement at all) come from :mod:`planner.solver.options`.
Here, for an activity that has placements but is unscheduled in the final
plan, every placement it could take is tried against the plan, and the
resources that are full there (rooms, interpreters, desks, centre staff, a
predecessor) are counted. The rule that blocks most placements is named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from planner.models.scenario import ActionDay
from planner.models.schedule import ActionDayPlacement, MeetingPlacement, Unscheduled
from planner.solver.options import ActionDayOptions, CentreDate, MeetingOptions
from planner.solver.variables import Context
from planner.timegrid import Span

MAX_STARTS_TRIED = 2000


@dataclass
class Occupancy:
    """What the plan uses, in minutes from the origin."""

    rooms: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    interpreters: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    desks: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    staff: list[tuple[int, int, int]] = field(default_factory=list)
    held: dict[str, Span] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)
    """Dates of held action days."""


def occupancy(
    context: Context, meetings: list[MeetingPlacement], action_days: list[ActionDayPlacement]
) -> Occupancy:
    grid = context.grid
    used = Occupancy()
    for placement in meetings:
        span = (grid.minute(placement.start), grid.minute(placement.end))
        used.held[placement.id] = span
        used.rooms[placement.room].append(span)
        for names in placement.interpreters.values():
            for name in names:
                used.interpreters[name].append(span)
        for p in context.scenario.meetings_by_id[placement.id].participants:
            if p.country not in placement.absent:
                used.desks[p.country].append(span)
    for day in action_days:
        span = (grid.minute(day.centre_open), grid.minute(day.centre_close))
        used.held[day.id] = span
        used.dates[day.id] = day.date
        if day.room:
            used.rooms[day.room].append(span)
        action_day = context.scenario.action_days_by_id[day.id]
        for code in action_day.countries:
            used.desks[code].append(span)
        used.staff.append((*span, action_day.staff))
    return used


def _overlaps(spans: list[Span], start: int, end: int, buffer: int = 0) -> bool:
    return any(a < end + buffer and start < b + buffer for a, b in spans)


def _peak(spans: list[Span], start: int, end: int) -> int:
    """The most of ``spans`` that are active at one instant of ``[start, end)``."""
    inside = [(max(a, start), min(b, end)) for a, b in spans if a < end and start < b]
    events = sorted([(a, 1) for a, _ in inside] + [(b, -1) for _, b in inside])
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def _sample(starts: list[int]) -> list[int]:
    if len(starts) <= MAX_STARTS_TRIED:
        return starts
    step = len(starts) / MAX_STARTS_TRIED
    return [starts[int(i * step)] for i in range(MAX_STARTS_TRIED)]


def meeting_contention(context: Context, options: MeetingOptions, used: Occupancy) -> Unscheduled:
    """Why a placeable meeting is not in the plan."""
    scenario, grid = context.scenario, context.grid
    meeting = options.meeting
    for predecessor in meeting.after:
        if predecessor.meeting not in used.held:
            return Unscheduled(
                meeting.id, "order", [f"it must follow {predecessor.meeting}, which is not held"]
            )
    buffer = scenario.defaults.room_buffer
    blocked_by: Counter[str] = Counter()
    details: dict[str, Counter[str]] = defaultdict(Counter)
    starts = _sample(options.starts)
    free_at: int | None = None
    for slot in starts:
        begin = grid.slot_minute(slot)
        end = begin + options.duration
        rules = set()
        for predecessor in meeting.after:
            if begin < used.held[predecessor.meeting][1] + predecessor.gap:
                rules.add("order")
                details["order"][predecessor.meeting] += 1
        for p in meeting.required:
            capacity = scenario.parties[p.country].desk_capacity
            if _peak(used.desks[p.country], begin, end) >= capacity:
                rules.add("desk_capacity")
                details["desk_capacity"][p.country] += 1
        rooms = [
            room
            for room_class, allowed in options.rooms.items()
            if allowed is None or slot in allowed
            for room in context.room_classes[room_class]
        ]
        if all(_overlaps(used.rooms[r], begin, end, buffer) for r in rooms):
            rules.add("room_conflict")
            for r in rooms:
                details["room_conflict"][r] += 1
        day = grid.host_date(begin)
        for need in options.languages:
            if not need.required:
                continue
            free = 0
            for name, allowed in need.interpreters.items():
                if allowed is not None and slot not in allowed:
                    continue
                if _overlaps(used.interpreters[name], begin, end):
                    continue
                worked = sum(b - a for a, b in used.interpreters[name] if grid.host_date(a) == day)
                cap = scenario.interpreter_max_per_day(scenario.interpreters_by_id[name])
                if worked + options.duration <= cap:
                    free += 1
            if free < need.team:
                rules.add("interpreter")
                details["interpreter"][f"{need.language}-{meeting.working_language}"] += 1
        if not rules and free_at is None:
            free_at = begin
        blocked_by.update(rules)
    if free_at is not None:
        return Unscheduled(
            meeting.id,
            "window",
            [
                f"it fits at {grid.at(free_at):%Y-%m-%d %H:%M}, but the search did not place "
                "it: holding it there costs more than leaving it out, or the search ended "
                "first (try a longer --time-limit)"
            ],
        )
    return _summarise(meeting.id, blocked_by, details, len(starts))


_WHAT = {
    "room_conflict": "the suitable rooms are taken ({names})",
    "desk_capacity": "the national desk is full ({names})",
    "interpreter": "not enough interpreters are free ({names})",
    "order": "it would start too soon after {names}",
    "staff": "the centre staff pool is fully used",
    "centre": "the centre rooms are taken ({names})",
    "link_same_day": "linked action days ({names}) are held on another date",
}


def _summarise(
    activity: str, blocked_by: Counter[str], details: dict[str, Counter[str]], tried: int
) -> Unscheduled:
    ranked = blocked_by.most_common()
    reasons = []
    for rule, count in ranked:
        names = ", ".join(name for name, _ in details[rule].most_common(4))
        reasons.append(
            f"{_WHAT[rule].format(names=names)} at {count} of its {tried} possible placements"
        )
    return Unscheduled(activity, ranked[0][0], reasons)


def action_day_contention(
    context: Context, options: ActionDayOptions, used: Occupancy
) -> Unscheduled:
    """Why a placeable action day is not in the plan."""
    scenario = context.scenario
    action_day = options.action_day
    for predecessor in action_day.prepared_by:
        if predecessor.meeting not in used.held:
            return Unscheduled(
                action_day.id,
                "order",
                [f"its preparatory meeting {predecessor.meeting} is not held"],
            )
    buffer = scenario.defaults.room_buffer
    blocked_by: Counter[str] = Counter()
    details: dict[str, Counter[str]] = defaultdict(Counter)
    for centre in options.dates:
        rules = _centre_blockers(context, action_day, centre, used, buffer, details)
        blocked_by.update(rules)
        if not rules:
            return Unscheduled(
                action_day.id,
                "window",
                [
                    f"its centre fits on {centre.date}, but the search did not place it: "
                    "holding it costs more than leaving it out, or the search ended first "
                    "(try a longer --time-limit)"
                ],
            )
    return _summarise(action_day.id, blocked_by, details, len(options.dates))


def _centre_blockers(
    context: Context,
    action_day: ActionDay,
    centre: CentreDate,
    used: Occupancy,
    buffer: int,
    details: dict[str, Counter[str]],
) -> set[str]:
    scenario = context.scenario
    rules = set()
    for other_id in _linked_elsewhere(context, action_day, centre, used):
        rules.add("link_same_day")
        details["link_same_day"][other_id] += 1
    for predecessor in action_day.prepared_by:
        if used.held[predecessor.meeting][1] + predecessor.gap > centre.open:
            rules.add("order")
            details["order"][predecessor.meeting] += 1
    rooms = [room for room_class in centre.rooms for room in context.room_classes[room_class]]
    if not centre.virtual and all(
        _overlaps(used.rooms[r], centre.open, centre.close, buffer) for r in rooms
    ):
        rules.add("centre")
        for r in rooms:
            details["centre"][r] += 1
    pool = scenario.coordination_centre.staff
    busy = [(a, b) for a, b, staff in used.staff for _ in range(staff)]
    if _peak(busy, centre.open, centre.close) + action_day.staff > pool:
        rules.add("staff")
    for code in action_day.countries:
        if (
            _peak(used.desks[code], centre.open, centre.close)
            >= scenario.parties[code].desk_capacity
        ):
            rules.add("desk_capacity")
            details["desk_capacity"][code] += 1
    return rules


def _linked_elsewhere(
    context: Context, action_day: ActionDay, centre: CentreDate, used: Occupancy
) -> list[str]:
    """Held action days that must share this one's date (``same_day``) but are on another."""
    scenario = context.scenario
    cluster = context.cluster_of.get(action_day.case)
    if cluster is None or scenario.links.action_days != "same_day":
        return []
    first, last = scenario.window_of(action_day)
    others = []
    for other in scenario.action_days:
        if other.case == action_day.case or context.cluster_of.get(other.case) != cluster:
            continue
        other_first, other_last = scenario.window_of(other)
        overlapping = first <= other_last and other_first <= last
        if overlapping and used.dates.get(other.id, centre.date) != centre.date:
            others.append(other.id)
    return others
