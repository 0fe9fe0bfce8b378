"""Suggest (SPEC 2.7.1): the best places for one activity, everything else held.

The held plan is a published plan (the baseline) or, without one, the scenario solved.
Every other activity stays exactly where that plan has it; the activity asked about —
held there, or new — is taken out, and every placement it can take against the rest
is tried (each start with each free room, a free interpreter team per language, every
optional participant who can attend) and valued exactly: what the plan costs with it
there, and how each objective term changes. No search: an exact enumeration of one
activity's options, in well under a second for a year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from planner.models.baseline import Baseline, baseline_from_data
from planner.models.scenario import Scenario
from planner.models.schedule import TERM_NAMES, MeetingPlacement
from planner.models.suggestion import ClosedDate, Placement, Suggestion, Suggestions
from planner.output.schedule_json import schedule_document
from planner.solve import DEFAULT_TIME_LIMIT, IDLE_SECONDS, ProgressHandler, solve
from planner.solver.construct import placements
from planner.solver.freeze import held as hold
from planner.solver.model import build_context
from planner.solver.occupancy import occupancy_of
from planner.solver.options import MeetingOptions
from planner.solver.plan import (
    ActionDayAssignment,
    MeetingAssignment,
    Plan,
    activity_date,
    costed_pairs,
    evaluate,
    link_cost,
    meeting_date,
    own_cost,
)
from planner.solver.plan import placements as plan_placements
from planner.solver.reasons import action_day_contention, meeting_contention
from planner.solver.variables import Context
from planner.timegrid import day_range


def suggest(
    scenario: Scenario,
    activity_id: str,
    *,
    baseline: Baseline | None = None,
    count: int = 5,
    time_limit: float = DEFAULT_TIME_LIMIT,
    stop_when_idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    on_progress: ProgressHandler | None = None,
) -> Suggestions:
    """The ``count`` best distinct placements (start and room; an action day: date and
    room) of one activity against the held plan; see the module.

    Parameters
    ----------
    baseline
        The plan to hold; without one the scenario is solved first (``time_limit``,
        ``stop_when_idle``, ``gap``, ``workers``, ``seed`` and ``on_progress`` are for
        that solve, which stops when idle by default).

    Raises
    ------
    KeyError
        When the scenario has no activity ``activity_id``.
    """
    if activity_id not in scenario.meetings_by_id and activity_id not in scenario.action_days_by_id:
        raise KeyError(activity_id)
    published = baseline is not None
    if baseline is None:
        solved = solve(
            scenario,
            time_limit=time_limit,
            stop_when_idle=stop_when_idle,
            gap=gap,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
        )
        baseline, _ = baseline_from_data(schedule_document(solved, scenario.name, ""), "")
        assert baseline is not None  # a plan of this scenario, just written
    context = build_context(scenario, baseline=baseline)
    held_context, held = hold(context, baseline)
    current = held.pop(activity_id, None)
    # its own options again, and its moves counted against a published plan only
    kept = context.kept.get(activity_id) if published else None
    held_context = replace(
        held_context,
        meetings=_with(held_context.meetings, context.meetings, activity_id),
        action_days=_with(held_context.action_days, context.action_days, activity_id),
        fixed=held_context.fixed - {activity_id},
        kept={activity_id: kept} if kept else {},
    )
    cost = _cost_of(held_context, held, activity_id)
    before = cost(current)
    as_held = {**held, activity_id: current} if current else held
    held_objective = sum(evaluate(held_context, as_held).values())
    found = []
    if activity_id in held_context.meetings or activity_id in held_context.action_days:
        for assignment in placements(held_context, held, activity_id):
            after_terms = cost(assignment)
            changes = {term: after_terms[term] - before[term] for term in TERM_NAMES}
            # a class of interchangeable rooms holds none of the held plan's activities
            # (the rooms a baseline names are each a class of their own): each of its
            # rooms is a place of its own
            for room in _rooms(held_context, assignment):
                found.append((held_objective + sum(changes.values()), assignment, changes, room))
    found.sort(key=lambda item: (item[0], _order(held_context, activity_id, item[1], item[3])))
    suggestions = [
        Suggestion(
            _in_room(_placement(held_context, {**held, activity_id: a}, activity_id), room),
            total,
            changes,
        )
        for total, a, changes, room in found[:count]
    ]
    closed = []
    if len(found) < count:
        dates = {activity_date(held_context, activity_id, {activity_id: a}) for _, a, _, _ in found}
        closed = _closed_dates(context, held_context, held, activity_id, dates)
    now = _placement(held_context, {**held, activity_id: current}, activity_id) if current else None
    return Suggestions(activity_id, held_objective, now, suggestions, closed)


def _with(held: dict[str, Any], usual: dict[str, Any], activity_id: str) -> dict[str, Any]:
    """The held options with one activity's usual options (if it has any)."""
    if activity_id not in usual:
        return held
    return dict(sorted({**held, activity_id: usual[activity_id]}.items(), key=lambda i: i[1].index))


def _cost_of(
    context: Context, held: Plan, activity_id: str
) -> Callable[[MeetingAssignment | ActionDayAssignment | None], dict[str, int]]:
    """What the activity adds to each term, placed so (``None``: left out): its own
    costs, and its links to the held activities."""
    pairs = [pair for pair in costed_pairs(context) if activity_id in pair]

    def cost(assignment: MeetingAssignment | ActionDayAssignment | None) -> dict[str, int]:
        """What the activity adds to each term placed so (``None``: left out)."""
        terms = dict.fromkeys(TERM_NAMES, 0)
        terms.update(own_cost(context, activity_id, assignment))
        if assignment is not None:
            plan = {**held, activity_id: assignment}
            terms["link_spread"] += sum(link_cost(context, pair, plan) for pair in pairs)
        return terms

    return cost


def _rooms(
    context: Context, assignment: MeetingAssignment | ActionDayAssignment
) -> list[str | None]:
    """The rooms of an assignment's room class (``[None]``: a virtual centre)."""
    if assignment.room_class is None:
        return [None]
    return list(context.room_classes[assignment.room_class])


def _in_room(placement: Placement, room: str | None) -> Placement:
    """The placement in one room of its class."""
    if isinstance(placement, MeetingPlacement):
        assert room is not None  # a meeting is always in a room
        return replace(placement, room=room)
    return replace(placement, room=room)


def _order(
    context: Context,
    activity_id: str,
    assignment: MeetingAssignment | ActionDayAssignment,
    room: str | None,
) -> tuple[date, int, str]:
    """Sort key of equally costly placements: date, start slot, room."""
    if isinstance(assignment, MeetingAssignment):
        options = context.meetings[activity_id]
        return meeting_date(options, assignment.slot), assignment.slot, room or ""
    return assignment.date, 0, room or ""


def _placement(context: Context, plan: Plan, activity_id: str) -> Placement:
    """Return the placement of ``activity_id`` in ``plan``, as the result reports it."""
    meetings, action_days = plan_placements(context, {activity_id: plan[activity_id]})
    return (meetings or action_days)[0]


def _closed_dates(
    context: Context, held_context: Context, held: Plan, activity_id: str, open_dates: set[date]
) -> list[ClosedDate]:
    """Each date of the window without a placement, with the rule that closes it."""
    scenario, grid = context.scenario, context.grid
    activity = scenario.meetings_by_id.get(activity_id) or scenario.action_days_by_id[activity_id]
    first, last = scenario.window_of(activity)
    blocked = context.blocked.get(activity_id)
    used = occupancy_of(held_context, held)
    closed = []
    for day in day_range(first, last):
        if day in open_dates:
            continue
        off = grid.host_day_off(day)
        if blocked is not None:
            closed.append(ClosedDate(day, blocked.rule, "; ".join(blocked.reasons)))
        elif off:
            closed.append(ClosedDate(day, "holiday", f"the agency does not work: {off}"))
        elif activity_id in held_context.meetings:
            options: MeetingOptions = held_context.meetings[activity_id]
            if day not in options.dates:
                rule, reason = _static_reason(context, activity_id, day)
                closed.append(ClosedDate(day, rule, reason))
                continue
            low, high = options.dates[day]
            starts = [s for s in options.starts if low <= s <= high]
            why = meeting_contention(held_context, options, held, used, starts)
            closed.append(ClosedDate(day, why.rule, "; ".join(why.reasons)))
        else:
            day_options = held_context.action_days[activity_id]
            centres = [c for c in day_options.dates if c.date == day]
            if not centres:
                closed.append(ClosedDate(day, "holiday", "not a working day of every country"))
                continue
            why = action_day_contention(held_context, day_options, held, used, centres)
            closed.append(ClosedDate(day, why.rule, "; ".join(why.reasons)))
    return closed


def _static_reason(context: Context, activity_id: str, day: date) -> tuple[str, str]:
    """Why a meeting has no start at all on a date (its rule and reason): a day off or a
    day away of a required participant, else hours that do not meet."""
    scenario, grid = context.scenario, context.grid
    meeting = scenario.meetings_by_id[activity_id]
    for participant in meeting.required:
        party = scenario.parties[participant.country]
        off = grid.party_day_off(party, day)
        if off:
            return "holiday", f"{participant.country}: {off}"
        if any(u.date == day and u.hours is None for u in party.unavailable):
            return "unavailable", f"{participant.country} is unavailable all day"
    return (
        "working_hours",
        "its required participants share no working hours within the host's that day",
    )
