"""Why an activity that could be placed was left out: the contention that blocks it.

Static reasons (no placement at all) come from :mod:`planner.solver.options`.
Here, for an activity that has placements but is unscheduled in the final
plan, every placement it could take is tried against the plan, and the
resources that are full there (rooms, interpreters, desks, centre staff, a
predecessor) are counted. The rule that blocks most placements is named.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.models.scenario import ActionDay
from planner.models.schedule import Unscheduled
from planner.solver import wording
from planner.solver.construct import distinct_teams
from planner.solver.occupancy import Occupancy
from planner.solver.options import ActionDayOptions, CentreDate, MeetingOptions
from planner.solver.plan import (
    ActionDayAssignment,
    Plan,
    held_span,
    meeting_date,
    predecessors_of,
)
from planner.solver.variables import Context

MAX_STARTS_TRIED = 2000


def _sample(starts: list[int]) -> list[int]:
    """At most :data:`MAX_STARTS_TRIED` starts, evenly spread: enough to name what blocks
    an activity with a year-long window, in bounded time."""
    if len(starts) <= MAX_STARTS_TRIED:
        return starts
    step = len(starts) / MAX_STARTS_TRIED
    return [starts[int(i * step)] for i in range(MAX_STARTS_TRIED)]


def _order_blockers(
    context: Context, plan: Plan, activity_id: str, begin: int, end: int
) -> list[str]:
    """The held activities whose order a placement ``[begin, end)`` breaks: meetings it
    would start too soon after, and activities it would end too late before."""
    found = [
        p.meeting
        for p in predecessors_of(context, activity_id)
        if begin < held_span(context, p.meeting, plan)[1] + p.gap
    ]
    found += [
        f.activity
        for f in context.followers.get(activity_id, [])
        if f.activity in plan and end > held_span(context, f.activity, plan)[0] - f.gap
    ]
    return found


def _missing_predecessor(context: Context, plan: Plan, activity_id: str) -> str | None:
    """A predecessor (``after`` or ``prepared_by``) the plan does not hold, or ``None``."""
    return next(
        (p.meeting for p in predecessors_of(context, activity_id) if p.meeting not in plan), None
    )


def meeting_contention(
    context: Context,
    options: MeetingOptions,
    plan: Plan,
    used: Occupancy,
    starts: list[int] | None = None,
) -> Unscheduled:
    """Why a placeable meeting is not in the plan (``used``: the plan's occupancy), at
    its ``starts`` (default: all)."""
    grid = context.grid
    meeting = options.meeting
    missing = _missing_predecessor(context, plan, meeting.id)
    if missing is not None:
        return Unscheduled(meeting.id, "order", [wording.missing_predecessor(missing)])
    blocked_by: Counter[str] = Counter()
    details: dict[str, Counter[str]] = defaultdict(Counter)
    starts = _sample(options.starts if starts is None else starts)
    free_at: int | None = None
    for slot in starts:
        begin, end = used.meeting_span(options, slot)
        rules = set()
        for other in _order_blockers(context, plan, meeting.id, begin, end):
            rules.add("order")
            details["order"][other] += 1
        for p in meeting.required:
            if not used.desk_fits(p.country, begin, end):
                rules.add("desk_capacity")
                details["desk_capacity"][p.country] += 1
        classes = [c for c, allowed in options.rooms.items() if allowed is None or slot in allowed]
        if not any(used.room_fits(room_class, begin, end) for room_class in classes):
            rules.add("room_conflict")
            for room_class in classes:
                for room in context.room_classes[room_class]:
                    details["room_conflict"][room] += 1
        day = meeting_date(options, slot)
        free = {
            need.language: [
                name
                for name, allowed in need.interpreters.items()
                if (allowed is None or slot in allowed)
                and used.interpreter_fits(name, begin, end, day)
            ]
            for need in options.languages
            if need.required
        }
        short = [n for n in options.languages if n.required and len(free[n.language]) < n.team]
        if not short and distinct_teams(options.languages, free, {}) is None:
            short = [n for n in options.languages if n.required]  # enough, but not apart
        for need in short:
            rules.add("interpreter")
            details["interpreter"][f"{need.language}-{meeting.working_language}"] += 1
        if not rules and free_at is None:
            free_at = begin
        blocked_by.update(sorted(rules))  # ties ranked by name, not by string hashing
    if free_at is not None:
        where = f"{grid.at(free_at):%Y-%m-%d %H:%M}"
        return Unscheduled(meeting.id, "window", [wording.fits_but_left_out(where)])
    return _summarise(meeting.id, blocked_by, details, len(starts))


def _summarise(
    activity: str, blocked_by: Counter[str], details: dict[str, Counter[str]], tried: int
) -> Unscheduled:
    """The unscheduled entry of an activity: the rule that blocks the most placements
    first, each rule with what stands in its way most often (up to four names)."""
    ranked = blocked_by.most_common()
    reasons = []
    for rule, count in ranked:
        names = [name for name, _ in details[rule].most_common(4)]
        reasons.append(wording.contention(rule, names, count, tried))
    return Unscheduled(activity, ranked[0][0], reasons)


def action_day_contention(
    context: Context,
    options: ActionDayOptions,
    plan: Plan,
    used: Occupancy,
    dates: list[CentreDate] | None = None,
) -> Unscheduled:
    """Why a placeable action day is not in the plan (``used``: the plan's occupancy), on
    its ``dates`` (default: all)."""
    action_day = options.action_day
    missing = _missing_predecessor(context, plan, action_day.id)
    if missing is not None:
        return Unscheduled(action_day.id, "order", [wording.missing_preparation(missing)])
    blocked_by: Counter[str] = Counter()
    details: dict[str, Counter[str]] = defaultdict(Counter)
    centres = options.dates if dates is None else dates
    for centre in centres:
        rules = _centre_blockers(context, action_day, centre, plan, used, details)
        blocked_by.update(sorted(rules))  # ties ranked by name, not by string hashing
        if not rules:
            where = f"{centre.date}"
            return Unscheduled(action_day.id, "window", [wording.fits_but_left_out(where)])
    return _summarise(action_day.id, blocked_by, details, len(centres))


def _centre_blockers(
    context: Context,
    action_day: ActionDay,
    centre: CentreDate,
    plan: Plan,
    used: Occupancy,
    details: dict[str, Counter[str]],
) -> set[str]:
    """The rules that block an action day's centre on one date against the plan: a linked
    action day on another date, the order of its preparation, its rooms taken, the
    staff pool or a country's desk full; what stands in the way is counted in
    ``details``."""
    rules = set()
    for other_id in _linked_elsewhere(context, action_day, centre, plan):
        rules.add("link_same_day")
        details["link_same_day"][other_id] += 1
    for other in _order_blockers(context, plan, action_day.id, centre.open, centre.close):
        rules.add("order")
        details["order"][other] += 1
    if not centre.virtual and not any(
        used.room_fits(room_class, centre.open, centre.close) for room_class in centre.rooms
    ):
        rules.add("centre")
        for room_class in centre.rooms:
            for room in context.room_classes[room_class]:
                details["centre"][room] += 1
    if action_day.staff and not used.staff.fits(centre.open, centre.close, action_day.staff):
        rules.add("staff")
    for code in action_day.countries:
        if not used.desk_fits(code, centre.open, centre.close):
            rules.add("desk_capacity")
            details["desk_capacity"][code] += 1
    return rules


def _linked_elsewhere(
    context: Context, action_day: ActionDay, centre: CentreDate, plan: Plan
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
        held = plan.get(other.id)
        if overlapping and isinstance(held, ActionDayAssignment) and held.date != centre.date:
            others.append(other.id)
    return others
