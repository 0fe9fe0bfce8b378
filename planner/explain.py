"""Explain (SPEC 2.7.1): why an activity cannot be placed, and what would let it in.

For an activity that no placement can hold at all, the rule and reason of its options
(the participants whose hours, days off or absences leave no common time, each with
its local hours; the rooms, interpreters or order that rule it out). For one that has
placements but is left out of the plan, the plan is held and every placement it could
take is tried: at each, the activities in its way are named — those holding the room,
the desks or the interpreters it would need, or ending too late or starting too soon
for its order — and the placements needing the fewest moves are told as sentences a
coordinator can act on ("Thu 03 Dec 10:00-12:00 in P2: move CM-0311-1 (it holds room
P2)"). For an infeasible scenario, the smallest set of critical or pinned activities
found that cannot all be held (see :func:`planner.solve.solve`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from planner.models.baseline import Baseline, baseline_from_data
from planner.models.explanation import Explained, Explanation, Way
from planner.models.scenario import Scenario
from planner.models.schedule import Result
from planner.output.schedule_json import schedule_document
from planner.solve import DEFAULT_TIME_LIMIT, IDLE_SECONDS, ProgressHandler, solve
from planner.solver import wording
from planner.solver.freeze import held as hold
from planner.solver.model import build_context
from planner.solver.occupancy import Occupancy, occupancy_of
from planner.solver.options import CentreDate, MeetingOptions
from planner.solver.plan import Plan, earliest_start, latest_end, meeting_date
from planner.solver.variables import Context

MAX_WAYS = 3
"""Placements told per activity: those needing the fewest moves."""
MAX_STARTS = 600
"""Starts tried per activity (spread over its window when it has more)."""


def explain(
    scenario: Scenario,
    activity_id: str | None = None,
    *,
    baseline: Baseline | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    stop_when_idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    on_progress: ProgressHandler | None = None,
) -> Explained:
    """Explain one activity, or every activity a solve leaves out (and an infeasibility).

    The plan held is ``baseline`` when given, else the scenario solved.

    Raises
    ------
    KeyError
        When the scenario has no activity ``activity_id``.
    """
    activities = [*scenario.meetings_by_id, *scenario.action_days_by_id]
    if activity_id is not None and activity_id not in activities:
        raise KeyError(activity_id)
    if baseline is None:
        result: Result = solve(
            scenario,
            time_limit=time_limit,
            stop_when_idle=stop_when_idle,
            gap=gap,
            workers=workers,
            seed=seed,
            on_progress=on_progress,
        )
        if not result.has_plan:
            return Explained([], [], result.infeasible)
        baseline, _ = baseline_from_data(schedule_document(result, scenario.name, ""), "")
        assert baseline is not None  # a plan of this scenario, just written
    context = build_context(scenario, baseline=baseline)
    held_context, plan = hold(context, baseline)
    used = occupancy_of(held_context, plan)
    asked = [activity_id] if activity_id else [a for a in activities if a not in plan]
    left_out = {entry.id: entry for entry in baseline.unscheduled}
    explanations = []
    for asked_id in asked:
        if asked_id in plan:
            continue
        blocked = context.blocked.get(asked_id)
        if blocked is not None:
            explanations.append(Explanation(asked_id, blocked.rule, blocked.reasons))
            continue
        ways = _ways(held_context, plan, used, asked_id)
        entry = left_out.get(asked_id)
        rule = entry.rule if entry else ("order" if not ways else "window")
        reasons = entry.reasons if entry else [way.sentence() for way in ways[:1]]
        explanations.append(Explanation(asked_id, rule, reasons, ways))
    placed = [a for a in asked if a in plan]
    return Explained(placed, explanations, [])


def _ways(context: Context, plan: Plan, used: Occupancy, activity_id: str) -> list[Way]:
    """The placements of a left-out activity needing the fewest moves, fewest first."""
    ready = earliest_start(context, plan, activity_id)
    if ready is None:
        return []
    due = latest_end(context, plan, activity_id)
    ways: list[tuple[int, int, Way]] = []
    if activity_id in context.meetings:
        options = context.meetings[activity_id]
        step = max(1, len(options.starts) // MAX_STARTS)
        for slot in options.starts[::step]:
            begin, end = used.meeting_span(options, slot)
            if begin < ready or end > due:
                continue
            people = _meeting_blockers(context, plan, used, options, slot, begin, end)
            when = f"{context.grid.at(begin):%a %d %b %H:%M}-{context.grid.at(end):%H:%M}"
            for room_class, allowed in options.rooms.items():
                if allowed is not None and slot not in allowed:
                    continue
                room = _room_blockers(context, plan, used, room_class, begin, end)
                blockers = list(dict.fromkeys([*room, *people]))
                ways.append((len(blockers), slot, _way(when, room_class, blockers)))
    else:
        for centre in context.action_days[activity_id].dates:
            if centre.open < ready or centre.close > due:
                continue
            people = _centre_blockers(context, plan, used, activity_id, centre)
            opens, closes = context.grid.at(centre.open), context.grid.at(centre.close)
            when = f"{centre.date:%a %d %b} {opens:%H:%M}-{closes:%H:%M}"
            choices: list[str | None] = [*centre.rooms, *([None] if centre.virtual else [])]
            for choice in choices:
                room = (
                    _room_blockers(context, plan, used, choice, centre.open, centre.close)
                    if choice
                    else []
                )
                blockers = list(dict.fromkeys([*room, *people]))
                order = (centre.date - context.scenario.horizon.start).days
                ways.append((len(blockers), order, _way(when, choice, blockers)))
    ways.sort(key=lambda item: (item[0], item[1]))
    told: list[Way] = []
    seen: set[tuple[str, ...]] = set()
    for _, _, way in ways:
        key = tuple(sorted(a for a, _ in way.blockers))
        if key in seen:
            continue
        seen.add(key)
        told.append(way)
        if len(told) == MAX_WAYS:
            break
    return told


def _way(when: str, room: str | None, blockers: list[tuple[str, str]]) -> Way:
    """A placement and what stands in its way, told as a sentence (worded in one place)."""
    return Way(when, room, blockers, wording.way(when, room, blockers))


def _to_move(used: Occupancy, plan: Plan, owners: list[str], fits: Callable[[], bool]) -> list[str]:
    """Of ``owners`` (in their order), the activities to move so that ``fits()``: taken
    out one by one until it does, then each put back that is not needed after all (so
    that no activity is named that could stay). ``used`` is left as it was."""
    taken: list[str] = []
    for owner in owners:
        if fits():
            break
        used.remove(owner, plan[owner])
        taken.append(owner)
    for owner in reversed(list(taken)):
        used.add(owner, plan[owner])
        if fits():
            taken.remove(owner)
        else:
            used.remove(owner, plan[owner])
    for owner in taken:
        used.add(owner, plan[owner])
    return taken


def _room_blockers(
    context: Context, plan: Plan, used: Occupancy, room_class: str, begin: int, end: int
) -> list[tuple[str, str]]:
    """The activities to move so that a room of the class is free for ``[begin, end)``
    (with its buffer)."""
    if used.room_fits(room_class, begin, end):
        return []
    owners = used.rooms[room_class].owners(begin - used.buffer, end + used.buffer)
    rooms = "/".join(context.room_classes[room_class])
    moves = _to_move(used, plan, owners, lambda: used.room_fits(room_class, begin, end))
    return [(owner, f"it holds room {rooms}") for owner in moves]


def _meeting_blockers(
    context: Context,
    plan: Plan,
    used: Occupancy,
    options: MeetingOptions,
    slot: int,
    begin: int,
    end: int,
) -> list[tuple[str, str]]:
    """The activities to move so that the meeting's desks and interpreters are free."""
    blockers = []
    for participant in options.meeting.required:
        desk = used.desks[participant.country]
        if not desk.fits(begin, end):
            fits = partial(desk.fits, begin, end)
            for owner in _to_move(used, plan, desk.owners(begin, end), fits):
                blockers.append((owner, f"it takes {participant.country}'s desk"))
    day = meeting_date(options, slot)
    for need in options.languages:
        if not need.required:
            continue
        candidates = [
            name
            for name, allowed in need.interpreters.items()
            if allowed is None or slot in allowed
        ]
        free = [name for name in candidates if used.interpreter_fits(name, begin, end, day)]
        if len(free) >= need.team:
            continue
        busy = sorted(
            (name for name in candidates if name not in free),
            key=lambda name: (len(used.interpreters[name].owners(begin, end)), name),
        )
        for name in busy[: need.team - len(free)]:
            for owner in used.interpreters[name].owners(begin, end):
                blockers.append((owner, f"it has interpreter {name}"))
    return blockers


def _centre_blockers(
    context: Context, plan: Plan, used: Occupancy, action_day_id: str, centre: CentreDate
) -> list[tuple[str, str]]:
    """The activities to move so that the centre's desks and staff are free that day."""
    action_day = context.action_days[action_day_id].action_day
    opens, closes = centre.open, centre.close
    blockers = []
    for code in action_day.countries:
        desk = used.desks[code]
        if not desk.fits(opens, closes):
            fits = partial(desk.fits, opens, closes)
            for owner in _to_move(used, plan, desk.owners(opens, closes), fits):
                blockers.append((owner, f"it takes {code}'s desk"))
    staff = action_day.staff
    if staff and not used.staff.fits(opens, closes, staff):
        fits = partial(used.staff.fits, opens, closes, staff)
        for owner in _to_move(used, plan, used.staff.owners(opens, closes), fits):
            blockers.append((owner, "its centre uses the staff"))
    return blockers
