"""A plan as decisions: what each held activity was given, read from a solved model.

A :data:`Plan` maps each held activity to its assignment (start slot, room class,
interpreters, who attends; or an action day's date and room class). From it
come the placements that are printed and written (rooms assigned within their
class), the objective terms, evaluated here in plain Python so that plans
assembled from several solves are valued the same way as one solve, and a
lower bound that holds for every plan.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from typing import Any

from planner.models.scenario import Predecessor
from planner.models.schedule import (
    TERM_NAMES,
    ActionDayPlacement,
    LocalTimes,
    MeetingPlacement,
)
from planner.solver.options import MeetingOptions
from planner.solver.variables import Context, Variables

Value = Callable[[Any], int]
"""``solver.value``: the value of a variable or linear expression in the solution."""


@dataclass(frozen=True)
class MeetingAssignment:
    """What a held meeting was given: its start slot, room class, interpreters by
    language and the optional participants who attend."""

    slot: int
    room_class: str
    interpreters: dict[str, list[str]]
    attending: frozenset[int]
    """Positions of the optional participants who attend."""


@dataclass(frozen=True)
class ActionDayAssignment:
    """What a held action day was given: its date and the room class of its centre."""

    date: date
    room_class: str | None
    """``None``: a virtual centre."""


Plan = dict[str, MeetingAssignment | ActionDayAssignment]
"""The held activities and what each was given."""


def read_plan(variables: Variables, value: Value) -> Plan:
    """The plan of a solution."""
    plan: Plan = {}
    for meeting_id, meeting in variables.meetings.items():
        if not value(meeting.present):
            continue
        interpreters: dict[str, list[str]] = {}
        for (language, interpreter_id), literal in meeting.interpreter.items():
            if value(literal):
                interpreters.setdefault(language, []).append(interpreter_id)
        plan[meeting_id] = MeetingAssignment(
            slot=value(meeting.start),
            room_class=next(r for r, literal in meeting.room.items() if value(literal)),
            interpreters={k: sorted(v) for k, v in sorted(interpreters.items())},
            attending=frozenset(p for p, literal in meeting.attend.items() if value(literal)),
        )
    for action_day_id, action_day in variables.action_days.items():
        if not value(action_day.present):
            continue
        day = next(d for d, literal in action_day.on_date.items() if value(literal))
        room = next(
            (r for (d, r), literal in action_day.room.items() if d == day and value(literal)),
            None,
        )
        plan[action_day_id] = ActionDayAssignment(day, room)
    return plan


# ---- placements ----------------------------------------------------------------------


def placements(
    context: Context, plan: Plan
) -> tuple[list[MeetingPlacement], list[ActionDayPlacement]]:
    """The printed plan: times in host and local time, rooms assigned within classes."""
    grid, scenario = context.grid, context.scenario
    meetings = []
    action_days = []
    for activity_id, assignment in plan.items():
        if isinstance(assignment, MeetingAssignment):
            meeting = scenario.meetings_by_id[activity_id]
            begin = grid.slot_minute(assignment.slot)
            end = begin + meeting.duration
            meetings.append(
                MeetingPlacement(
                    id=activity_id,
                    case=meeting.case,
                    start=grid.at(begin),
                    end=grid.at(end),
                    room=assignment.room_class,
                    interpreters=assignment.interpreters,
                    absent=[
                        p.country
                        for position, p in enumerate(meeting.participants)
                        if not p.required and position not in assignment.attending
                    ],
                    local={
                        p.country: LocalTimes(
                            grid.at(begin, scenario.participant_timezone(p)),
                            grid.at(end, scenario.participant_timezone(p)),
                        )
                        for p in meeting.participants
                        if p.country != scenario.host.country
                    },
                )
            )
        else:
            action_day = scenario.action_days_by_id[activity_id]
            centre = next(
                c for c in context.action_days[activity_id].dates if c.date == assignment.date
            )
            action_days.append(
                ActionDayPlacement(
                    id=activity_id,
                    case=action_day.case,
                    date=centre.date,
                    centre_open=grid.at(centre.open),
                    centre_close=grid.at(centre.close),
                    room=assignment.room_class,
                    operations={
                        code: LocalTimes(
                            grid.at(begin, scenario.parties[code].timezone),
                            grid.at(end, scenario.parties[code].timezone),
                        )
                        for code, (begin, end) in centre.operations.items()
                    },
                )
            )
    meetings.sort(key=lambda p: (p.start, p.id))
    action_days.sort(key=lambda p: (p.centre_open, p.id))
    return assign_rooms(context, meetings, action_days)


def assign_rooms(
    context: Context,
    meetings: list[MeetingPlacement],
    action_days: list[ActionDayPlacement],
) -> tuple[list[MeetingPlacement], list[ActionDayPlacement]]:
    """Turn booked room classes into rooms.

    The model keeps at most as many uses of a class at once as it has rooms (each use
    lasting to its end plus the room buffer). Taking the uses by start time and giving
    each the first room that is free again is then always possible: intervals need
    no more rooms than the most that overlap.
    """
    grid = context.grid
    buffer = context.scenario.defaults.room_buffer
    uses: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for m in meetings:
        uses[m.room].append((grid.minute(m.start), grid.minute(m.end), m.id))
    for a in action_days:
        if a.room is not None:
            uses[a.room].append((grid.minute(a.centre_open), grid.minute(a.centre_close), a.id))
    room_of: dict[str, str] = {}
    for room_class, class_uses in uses.items():
        free_from = dict.fromkeys(context.room_classes[room_class], -(10**9))
        for begin, end, activity in sorted(class_uses):
            room = next(r for r, free in free_from.items() if free <= begin)
            room_of[activity] = room
            free_from[room] = end + buffer
    return (
        [replace(m, room=room_of[m.id]) for m in meetings],
        [replace(a, room=room_of[a.id]) if a.room is not None else a for a in action_days],
    )


# ---- objective ---------------------------------------------------------------------------


def evaluate(context: Context, plan: Plan) -> dict[str, int]:
    """The objective terms of SPEC 2.3 for a plan, exactly as the model counts them."""
    terms = dict.fromkeys(TERM_NAMES, 0)
    for cost in own_costs(context, plan).values():
        for term, value in cost.items():
            terms[term] += value
    terms["link_spread"] += sum(link_costs(context, plan).values())
    return terms


def own_costs(context: Context, plan: Plan) -> dict[str, dict[str, int]]:
    """What each activity costs by itself (all terms but links), by term; frozen
    activities kept verbatim (see :attr:`Context.verbatim`) cost nothing here."""
    scenario = context.scenario
    return {
        activity.id: own_cost(context, activity.id, plan.get(activity.id))
        for activity in [*scenario.meetings, *scenario.action_days]
        if activity.id not in context.verbatim
    }


def own_cost(
    context: Context, activity_id: str, assignment: MeetingAssignment | ActionDayAssignment | None
) -> dict[str, int]:
    """What one activity costs by itself given what it was given (``None``: left out):
    every term but links."""
    scenario = context.scenario
    weights = scenario.objective
    if assignment is None:  # a dropped published activity costs its weight only (SPEC 2.3)
        activity = (
            scenario.meetings_by_id.get(activity_id) or scenario.action_days_by_id[activity_id]
        )
        return {"unscheduled": weights.unscheduled.of(activity.priority)}
    moves = _moves(context, activity_id, assignment)
    if isinstance(assignment, ActionDayAssignment):
        virtual = assignment.room_class is None
        return {"virtual_centre": weights.virtual_centre if virtual else 0, "moves": moves}
    options = context.meetings[activity_id]
    steps = options.stretch_steps.get(assignment.slot, 0)
    absent = 0
    for optional in options.optional:
        if optional.index in assignment.attending:
            steps += optional.stretch_steps.get(assignment.slot, 0)
        else:
            absent += 1
    return {
        "lateness": _lateness(context, options, meeting_date(options, assignment.slot)),
        "stretch": weights.stretch_per_15m * steps if scenario.defaults.stretch else 0,
        "optional_absent": weights.optional_absent * absent,
        "moves": moves,
    }


def _moves(
    context: Context, activity_id: str, assignment: MeetingAssignment | ActionDayAssignment
) -> int:
    """What moving a held activity from where the baseline had it costs (see
    :mod:`planner.solver.kept`): each of date, time of day and room that changed."""
    kept = context.kept.get(activity_id)
    if kept is None:
        return 0
    move = context.scenario.objective.move
    if isinstance(assignment, ActionDayAssignment):
        day = assignment.date
        return move.date * (day != kept.date) + move.room * (assignment.room_class != kept.room)
    day = meeting_date(context.meetings[activity_id], assignment.slot)
    return (
        move.date * (day != kept.date)
        + move.time * (assignment.slot not in kept.same_clock)
        + move.room * (assignment.room_class != kept.room)
    )


def meeting_date(options: MeetingOptions, slot: int) -> date:
    """The host date of a meeting that starts at ``slot``."""
    return next(d for d, (low, high) in options.dates.items() if low <= slot <= high)


def _lateness(context: Context, options: MeetingOptions, day: date) -> int:
    """What a meeting held on ``day`` costs for being later than its ``preferred`` date."""
    preferred = options.meeting.preferred
    if preferred is None:
        return 0
    return context.scenario.objective.lateness_per_day * max(0, (day - preferred).days)


def predecessors_of(context: Context, activity_id: str) -> list[Predecessor]:
    """The meetings an activity follows (``after``) or is prepared by (``prepared_by``)."""
    meeting = context.scenario.meetings_by_id.get(activity_id)
    if meeting is not None:
        return meeting.after
    return context.scenario.action_days_by_id[activity_id].prepared_by


def held_span(context: Context, activity_id: str, plan: Plan) -> tuple[int, int]:
    """When a held activity takes place, in minutes: a meeting's ``[start, end)``, an
    action day's centre ``[open, close)``."""
    assignment = plan[activity_id]
    if isinstance(assignment, MeetingAssignment):
        begin = context.grid.slot_minute(assignment.slot)
        return begin, begin + context.meetings[activity_id].duration
    centre = next(c for c in context.action_days[activity_id].dates if c.date == assignment.date)
    return centre.open, centre.close


def earliest_start(context: Context, plan: Plan, activity_id: str) -> int | None:
    """The first minute an activity may start at: when every meeting it follows or is
    prepared by has ended, with its gap; ``None`` when one of them is not held."""
    ready = 0
    for predecessor in predecessors_of(context, activity_id):
        if predecessor.meeting not in plan:
            return None
        ready = max(ready, held_span(context, predecessor.meeting, plan)[1] + predecessor.gap)
    return ready


def latest_end(context: Context, plan: Plan, activity_id: str) -> int:
    """The last minute an activity may end at: before the held activities that follow it
    or that it prepares start, less their gaps (no limit without any)."""
    due = 10**12
    for follower in context.followers.get(activity_id, []):
        if follower.activity in plan:
            due = min(due, held_span(context, follower.activity, plan)[0] - follower.gap)
    return due


def activity_date(context: Context, activity_id: str, plan: Plan) -> date:
    """The host date of a held activity."""
    assignment = plan[activity_id]
    if isinstance(assignment, ActionDayAssignment):
        return assignment.date
    return meeting_date(context.meetings[activity_id], assignment.slot)


def link_costs(context: Context, plan: Plan) -> dict[tuple[str, str], int]:
    """What each pair of linked activities costs for the days between them."""
    return {pair: link_cost(context, pair, plan) for pair in costed_pairs(context)}


def costed_pairs(context: Context, also: Collection[str] = ()) -> list[tuple[str, str]]:
    """The pairs of activities whose days apart may cost ``link_spread``: linked meetings
    sharing a country, and linked action days when ``links.action_days: soft``; among
    the placeable activities and those of ``also``."""
    scenario = context.scenario
    if not scenario.objective.link_spread_per_day or not context.cluster_of:
        return []
    pairs = linked_meeting_pairs(context, also)
    if scenario.links.action_days == "soft":
        pairs += linked_action_day_pairs(context, also)
    return pairs


def link_cost(context: Context, pair: tuple[str, str], plan: Plan) -> int:
    """What a pair of :func:`costed_pairs` costs in a plan (nothing unless both are held)."""
    first, second = pair
    if first not in plan or second not in plan:
        return 0
    apart = abs((activity_date(context, first, plan) - activity_date(context, second, plan)).days)
    return linked_cost(context, pair, apart)


def linked_meeting_pairs(context: Context, also: Collection[str] = ()) -> list[tuple[str, str]]:
    """Pairs of placeable meetings (and those of ``also``) of different cases of one
    cluster that share a participating country: those whose distance in days may cost
    ``link_spread``."""
    scenario = context.scenario
    by_cluster: dict[int, list[str]] = defaultdict(list)
    extra = [a for a in also if a in scenario.meetings_by_id and a not in context.meetings]
    for meeting_id in [*context.meetings, *extra]:
        cluster = context.cluster_of.get(scenario.meetings_by_id[meeting_id].case)
        if cluster is not None:
            by_cluster[cluster].append(meeting_id)
    pairs = []
    for members in by_cluster.values():
        for first, second in combinations(members, 2):
            a, b = scenario.meetings_by_id[first], scenario.meetings_by_id[second]
            if a.case == b.case:
                continue
            if {p.country for p in a.participants} & {p.country for p in b.participants}:
                pairs.append((first, second))
    return pairs


def linked_action_day_pairs(context: Context, also: Collection[str] = ()) -> list[tuple[str, str]]:
    """Pairs of placeable action days (and those of ``also``) of different cases of one
    cluster whose windows overlap: those that ``same_day`` or ``soft`` links bind."""
    scenario = context.scenario
    extra = [a for a in also if a in scenario.action_days_by_id and a not in context.action_days]
    candidates = [scenario.action_days_by_id[a] for a in [*context.action_days, *extra]]
    pairs = []
    for first, second in combinations(candidates, 2):
        cluster = context.cluster_of.get(first.case)
        if cluster is None or first.case == second.case:
            continue
        if context.cluster_of.get(second.case) != cluster:
            continue
        a_first, a_last = scenario.window_of(first)
        b_first, b_last = scenario.window_of(second)
        if a_first <= b_last and b_first <= a_last:
            pairs.append((first.id, second.id))
    return pairs


# ---- rules between activities ----------------------------------------------------


def must_hold(context: Context, activity_id: str) -> str | None:
    """``"pin"`` or ``"critical"`` when an activity must be held, else ``None``: pinned
    and fixed (frozen by a re-plan) activities are held as they are."""
    meeting = context.scenario.meetings_by_id.get(activity_id)
    if (meeting is not None and meeting.pinned is not None) or activity_id in context.fixed:
        return "pin"
    activity = meeting or context.scenario.action_days_by_id[activity_id]
    return "critical" if activity.priority == "critical" else None


def linked_cost(context: Context, pair: tuple[str, str], apart: int) -> int:
    """What a pair of :func:`costed_pairs` costs when its dates are ``apart`` days apart."""
    weights, links = context.scenario.objective, context.scenario.links
    if pair[0] in context.scenario.action_days_by_id:  # soft action-day links: every day
        return weights.link_spread_per_day * apart
    return weights.link_spread_per_day * max(0, apart - links.meetings_within // (24 * 60))


def least_start_costs(context: Context, options: MeetingOptions) -> dict[int, int]:
    """What a held meeting costs by itself at least at each of its starts: its
    :func:`start_costs`, and each optional participant absent where it cannot make the
    start, else the lesser of its absence and its stretch."""
    objective = context.scenario.objective
    stretch = objective.stretch_per_15m if context.scenario.defaults.stretch else 0
    costs = start_costs(context, options)
    for optional in options.optional:
        for slot in costs:
            if slot in optional.starts:
                steps = optional.stretch_steps.get(slot, 0)
                costs[slot] += min(objective.optional_absent, stretch * steps)
            else:
                costs[slot] += objective.optional_absent
    return costs


def start_costs(context: Context, options: MeetingOptions) -> dict[int, int]:
    """What a held meeting costs by itself at each of its starts, whatever its room and
    whoever attends: its lateness, the stretch of its required participants, and the
    moves of its date and time of day from where a baseline had it."""
    scenario = context.scenario
    stretch = scenario.objective.stretch_per_15m if scenario.defaults.stretch else 0
    kept = context.kept.get(options.meeting.id)
    move = scenario.objective.move
    costs = {}
    for day, (low, high) in options.dates.items():
        late = _lateness(context, options, day)
        if kept is not None:
            late += move.date * (day != kept.date)
        first, last = bisect_left(options.starts, low), bisect_right(options.starts, high)
        for slot in options.starts[first:last]:
            costs[slot] = late + stretch * options.stretch_steps.get(slot, 0)
            if kept is not None:
                costs[slot] += move.time * (slot not in kept.same_clock)
    return costs
