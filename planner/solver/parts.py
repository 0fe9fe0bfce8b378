"""Parts of a plan: some activities re-solved against the others, held as they are.

A part is a model of the ``free`` activities in which the held activities they could
meet take part exactly as planned (:func:`sub_context`); :func:`solve_part` solves it
from a hint and merges what it finds into the plan. The search in blocks
(:mod:`planner.solver.blocks`) and the large-neighbourhood search (:mod:`planner.solver.lns`)
are built of such parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner.solver import cp_model
from planner.solver.levels import ObjectiveWeights
from planner.solver.model import PlanningModel, build_model
from planner.solver.options import ActionDayOptions, CentreDate, MeetingOptions
from planner.solver.plan import (
    ActionDayAssignment,
    MeetingAssignment,
    Plan,
    activity_date,
    meeting_date,
    read_plan,
)
from planner.solver.run import Runner
from planner.solver.variables import Context, Variables
from planner.timegrid import day_range

NEAR_DAYS = 3
"""When a plan is repaired, an activity that is not the target moves at most this many
days from where it is."""


def activity_window(context: Context, activity_id: str) -> tuple[date, date]:
    """The host dates an activity may take: its window clipped to the horizon."""
    scenario = context.scenario
    activity = scenario.meetings_by_id.get(activity_id) or scenario.action_days_by_id[activity_id]
    return scenario.window_of(activity)


DateRange = tuple[date, date]


def sub_context(
    context: Context, free: set[str], plan: Plan, near: dict[str, DateRange] | None = None
) -> Context:
    """A model of the ``free`` activities, with the held ones they could meet fixed.

    ``near`` keeps some free activities to a range of dates (a narrower search).
    Fixed join: held activities on the dates the free ones can take (a day more on each
    side, for centres that cross midnight), and held activities that depend on a free
    one (by ``after``, ``prepared_by`` or a ``same_day`` link), wherever they are. Every
    other held meeting is known by its end, for the order of the meetings after it.
    """
    near = near or {}
    reach: set[date] = set()
    ranges: dict[str, DateRange] = {}
    for activity_id in free:
        first, last = activity_window(context, activity_id)
        if activity_id in near:
            first, last = max(first, near[activity_id][0]), min(last, near[activity_id][1])
        ranges[activity_id] = (first, last)
        reach.update(day_range(first - timedelta(days=1), last + timedelta(days=1)))
    fixed = {
        activity_id
        for activity_id in plan
        if activity_id not in free
        and (
            activity_date(context, activity_id, plan) in reach
            or _depends_on(context, activity_id, free)
        )
    }
    meetings = {}
    action_days = {}
    for activity_id in free | fixed:
        assignment = plan.get(activity_id) if activity_id in fixed else None
        if activity_id in context.meetings:
            options = context.meetings[activity_id]
            if isinstance(assignment, MeetingAssignment):
                options = _pinned_meeting(options, assignment)
            elif activity_id in near:
                options = _meeting_between(options, *ranges[activity_id])
            meetings[activity_id] = options
        else:
            day_options = context.action_days[activity_id]
            if isinstance(assignment, ActionDayAssignment):
                day_options = action_day_on(day_options, assignment)
            elif activity_id in near:
                day_options = _action_day_between(day_options, *ranges[activity_id])
            action_days[activity_id] = day_options
    held_elsewhere = {
        meeting_id: context.grid.slot_minute(assignment.slot)
        + context.meetings[meeting_id].duration
        for meeting_id, assignment in plan.items()
        if isinstance(assignment, MeetingAssignment) and meeting_id not in meetings
    }
    return replace(
        context,
        meetings=dict(sorted(meetings.items(), key=lambda item: item[1].index)),
        action_days=dict(sorted(action_days.items(), key=lambda item: item[1].index)),
        fixed=fixed | (context.fixed & (free | fixed)),
        held_elsewhere=held_elsewhere,
        assumptions=[],
    )


def _depends_on(context: Context, activity_id: str, free: set[str]) -> bool:
    """Whether a held activity's rules involve a free one: it follows or is prepared by
    one, or shares a ``same_day`` link with one."""
    scenario = context.scenario
    meeting = scenario.meetings_by_id.get(activity_id)
    if meeting is not None:
        return any(p.meeting in free for p in meeting.after)
    action_day = scenario.action_days_by_id[activity_id]
    if any(p.meeting in free for p in action_day.prepared_by):
        return True
    cluster = context.cluster_of.get(action_day.case)
    return cluster is not None and any(
        context.cluster_of.get(scenario.action_days_by_id[other].case) == cluster
        for other in free
        if other in scenario.action_days_by_id
    )


def _meeting_between(options: MeetingOptions, first: date, last: date) -> MeetingOptions:
    """A meeting's options kept to dates in ``[first, last]`` (unchanged if none is)."""
    dates = {d: slots for d, slots in options.dates.items() if first <= d <= last}
    if not dates:
        return options
    starts = [s for s in options.starts if any(low <= s <= high for low, high in dates.values())]
    return with_starts(options, starts, dates)


def _action_day_between(options: ActionDayOptions, first: date, last: date) -> ActionDayOptions:
    """An action day's options kept to dates in ``[first, last]`` (unchanged if none is)."""
    dates = [c for c in options.dates if first <= c.date <= last]
    return replace(options, dates=dates) if dates else options


def _placed_meeting(options: MeetingOptions, assignment: MeetingAssignment) -> MeetingOptions:
    """A meeting's options kept to the start and room class the plan gave it."""
    slot = assignment.slot
    day = meeting_date(options, slot)
    return replace(
        with_starts(options, [slot], {day: (slot, slot)}),
        rooms={assignment.room_class: None},
        rooms_without={
            feature: classes & {assignment.room_class}
            for feature, classes in options.rooms_without.items()
        },
    )


def _pinned_meeting(options: MeetingOptions, assignment: MeetingAssignment) -> MeetingOptions:
    """A held meeting's options kept to exactly what the plan gave it: its start, room
    class, interpreters and the optional participants who attend."""
    pinned = _placed_meeting(options, assignment)
    return replace(
        pinned,
        optional=[
            replace(o, starts=o.starts if o.index in assignment.attending else set())
            for o in pinned.optional
        ],
        languages=[
            replace(
                need,
                interpreters=dict.fromkeys(assignment.interpreters.get(need.language, [])),
            )
            for need in pinned.languages
        ],
    )


def with_starts(
    options: MeetingOptions, starts: list[int], dates: dict[date, tuple[int, int]]
) -> MeetingOptions:
    """A meeting's options kept to some of its starts, everything else cut to match."""
    kept = set(starts)

    def cut(allowed: set[int] | None) -> set[int] | None:
        """A room's or interpreter's allowed starts kept to the kept starts (``None`` stays
        ``None`` when every kept start is allowed)."""
        return None if allowed is None or kept <= allowed else allowed & kept

    return replace(
        options,
        starts=starts,
        dates=dates,
        stretch_steps={s: v for s, v in options.stretch_steps.items() if s in kept},
        rooms={room: cut(allowed) for room, allowed in options.rooms.items()},
        optional=[
            replace(
                o,
                starts=o.starts & kept,
                stretch_steps={s: v for s, v in o.stretch_steps.items() if s in kept},
            )
            for o in options.optional
        ],
        languages=[
            replace(
                need,
                interpreters={
                    name: cut(allowed)
                    for name, allowed in need.interpreters.items()
                    if allowed is None or allowed & kept
                },
            )
            for need in options.languages
        ],
    )


def action_day_on(options: ActionDayOptions, assignment: ActionDayAssignment) -> ActionDayOptions:
    """An action day's options kept to the date and centre room (or virtual centre) a
    plan gave it."""
    centre: CentreDate = next(c for c in options.dates if c.date == assignment.date)
    rooms = [] if assignment.room_class is None else [assignment.room_class]
    return replace(
        options,
        dates=[replace(centre, rooms=rooms, virtual=assignment.room_class is None)],
    )


def add_plan_hint(planning: PlanningModel, plan: Plan) -> None:
    """Hint the model towards a plan, so that its search starts from it."""
    for variable, value in plan_values(planning.variables, plan):
        planning.model.add_hint(variable, value)


def plan_values(variables: Variables, plan: Plan) -> list[tuple[cp_model.IntVar, int]]:
    """The values a plan gives the model's variables: which activities are held, their
    starts, dates and rooms, who attends and which interpreters work."""
    values: dict[int, tuple[cp_model.IntVar, int]] = {}

    def value(variable: cp_model.IntVar, of: int | bool) -> None:
        # one variable may stand for two things (a single date is 'held'): set it once
        """Record a variable's value once."""
        values.setdefault(variable.index, (variable, int(of)))

    for meeting_id, meeting in variables.meetings.items():
        assignment = plan.get(meeting_id)
        value(meeting.present, assignment is not None)
        if not isinstance(assignment, MeetingAssignment):
            continue
        value(meeting.start, assignment.slot)
        for room_class, literal in meeting.room.items():
            value(literal, room_class == assignment.room_class)
        for position, literal in meeting.attend.items():
            value(literal, position in assignment.attending)
        for (language, name), literal in meeting.interpreter.items():
            value(literal, name in assignment.interpreters.get(language, []))
    for action_day_id, action_day in variables.action_days.items():
        day_assignment = plan.get(action_day_id)
        value(action_day.present, day_assignment is not None)
        if not isinstance(day_assignment, ActionDayAssignment):
            continue
        for day, literal in action_day.on_date.items():
            value(literal, day == day_assignment.date)
        for (day, room_class), literal in action_day.room.items():
            value(literal, day == day_assignment.date and room_class == day_assignment.room_class)
        for day, literal in action_day.virtual.items():
            value(literal, day == day_assignment.date and day_assignment.room_class is None)
    return list(values.values())


@dataclass(frozen=True)
class PartResult:
    """What solving a part gave: the new plan, and what was proven of the part."""

    plan: Plan | None
    """``None`` when no solution was found."""
    objective_bound: int | None
    """A proven lower bound of the part's own objective (``None`` without one; see
    :mod:`planner.solver.levels`)."""
    weights: ObjectiveWeights
    """The weights of the levels in the part's objective."""
    optimal: bool = False
    """The part's search proved its plan optimal (or the part infeasible) in time."""


def solve_part(
    context: Context,
    free: set[str],
    plan: Plan,
    solver: cp_model.CpSolver,
    run: Runner,
    hint: Plan,
    *,
    near: dict[str, DateRange] | None = None,
) -> PartResult:
    """Solve the ``free`` activities against the plan, starting the search from ``hint``
    (``near``: keep some of them to ranges of dates, see :func:`sub_context`).

    With an empty plan the part is solved alone, and its bound is one of the whole's
    summands.
    """
    part = sub_context(context, free, plan, near)
    planning = build_model(part)
    add_plan_hint(planning, hint)
    status = run(solver, planning.model)
    weight = planning.weights
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PartResult(None, None, weight, optimal=status == cp_model.INFEASIBLE)
    optimal = status == cp_model.OPTIMAL
    bound = math.ceil((solver.objective_value if optimal else solver.best_objective_bound) - 1e-6)
    found = read_plan(planning.variables, solver.value)
    merged = {a: p for a, p in plan.items() if a not in free and a not in part.fixed}
    merged.update(found)
    return PartResult(merged, bound, weight, optimal)


def dates_around(
    context: Context, plan: Plan, activities: set[str], days: int = NEAR_DAYS
) -> dict[str, DateRange]:
    """Ranges of ``days`` around the dates the held ``activities`` have in ``plan``."""
    ranges = {}
    for activity_id in activities & plan.keys():
        day = activity_date(context, activity_id, plan)
        ranges[activity_id] = (day - timedelta(days=days), day + timedelta(days=days))
    return ranges
