"""The one entry point for planning: :func:`solve`. Every command calls it."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import FrameType

from planner.links import CaseGraph, build_case_graph
from planner.models.scenario import Scenario
from planner.models.schedule import (
    Infeasibility,
    Result,
    Unscheduled,
)
from planner.solver import cp_model
from planner.solver.blocks import (
    BLOCK_DAYS,
    activity_window,
    block_days,
    block_of,
    dates_around,
    solve_part,
    sub_context,
)
from planner.solver.model import PlanningModel, build_context, build_model
from planner.solver.plan import (
    Plan,
    activity_date,
    evaluate,
    link_costs,
    own_costs,
    placeable_bound,
    placements,
    read_plan,
    relaxation_bound,
)
from planner.solver.reasons import action_day_contention, meeting_contention, occupancy
from planner.solver.variables import Context

DEFAULT_TIME_LIMIT = 60.0


@dataclass(frozen=True)
class Progress:
    """The state of a running search: seconds so far, best objective, proven bound."""

    elapsed: float
    objective: int | None
    bound: int | None


ProgressHandler = Callable[[Progress], None]


def solve(
    scenario: Scenario,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int | None = None,
    seed: int = 0,
    on_progress: ProgressHandler | None = None,
    stop_on_signals: bool = False,
) -> Result:
    """Plan a scenario.

    Parameters
    ----------
    scenario
        A validated scenario.
    time_limit
        Seconds the search may take.
    workers
        Parallel search workers (default: the machine's cores). With one worker and
        the same seed, the same scenario always gives the same plan.
    seed
        The random seed of the search.
    on_progress
        Called with a :class:`Progress` at each improvement of the plan or bound.
    stop_on_signals
        End the search on SIGINT or SIGTERM and keep the best plan found (only from
        the main thread).

    Returns
    -------
    Result
        ``optimal`` or ``feasible`` with the plan, ``infeasible`` with the reasons,
        or ``unknown`` when no plan was found in time.
    """
    started = time.monotonic()
    case_graph = build_case_graph(scenario)
    links = case_graph.links_summary()
    context = build_context(scenario, case_graph)
    static = _static_infeasibility(context)
    if static:
        return replace(_infeasible(context, static, time.monotonic() - started), links=links)
    with _Interrupt(stop_on_signals) as interrupt:
        if in_blocks(context):
            result = _solve_in_blocks(
                context, started + time_limit, workers, seed, on_progress, interrupt
            )
            if result is not None:
                return replace(result, solve_seconds=time.monotonic() - started, links=links)
        planning = build_model(context)
        left_out = _unscheduled_weight_of_blocked(context)
        solver = _configured_solver(time_limit - (time.monotonic() - started), workers, seed)
        callback = _ProgressCallback(on_progress, left_out, started) if on_progress else None
        if callback is not None:
            solver.best_bound_callback = callback.on_bound
        status = interrupt.run(solver, planning.model, callback)
    elapsed = time.monotonic() - started
    if status == cp_model.INFEASIBLE:
        reasons = _explain_infeasibility(scenario, case_graph, max(1.0, time_limit / 4))
        return replace(_infeasible(context, reasons, time.monotonic() - started), links=links)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(
            status="unknown", objective=None, bound=None, terms=None, solve_seconds=elapsed
        )
    return replace(_plan(planning, solver, status, elapsed), links=links)


def in_blocks(context: Context) -> bool:
    """Whether a scenario is solved in blocks of time rather than as one model: a horizon
    longer than two blocks with more activities than one model searches quickly."""
    placeable = len(context.meetings) + len(context.action_days)
    return context.scenario.horizon.days > 2 * BLOCK_DAYS and placeable > MAX_ONE_MODEL


MAX_ONE_MODEL = 150
"""Placeable activities up to which a long horizon is still solved as one model."""


def _solve_in_blocks(
    context: Context,
    deadline: float,
    workers: int | None,
    seed: int,
    on_progress: ProgressHandler | None,
    interrupt: _Interrupt,
) -> Result | None:
    """Solve a long horizon in blocks (:mod:`planner.solver.blocks`), in three passes.

    1. Each block alone, without the others: no cost or order crosses blocks, so the sum
       of the blocks' proven bounds is a lower bound for the whole plan.
    2. Block after block, each against the blocks before it (fixed), starting from the
       first pass's plans and kept near their dates: a plan that keeps every rule across
       blocks.
    3. While time lasts, the activity (or linked pair) that costs most above what it
       cost in its block alone is re-solved with every activity on the dates it could
       move to, from the current plan, keeping each change that makes the whole better.

    ``None`` when a block finds no plan: then the scenario is solved as one model.
    """
    started = time.monotonic()
    blocks = block_of(context, block_days(context))
    order = sorted(set(blocks.values()))
    members = {block: {a for a, b in blocks.items() if b == block} for block in order}
    bound = _unscheduled_weight_of_blocked(context)
    own_bound: dict[int, int] = {}
    alone: Plan = {}
    plan: Plan = {}

    sizes = {block: len(members[block]) for block in order}

    def budget(share: float, block: int) -> float:
        """A block's share of the time left, by its size among the blocks still to go."""
        left = deadline - time.monotonic()
        still = sum(sizes[b] for b in order[order.index(block) :])
        return max(MIN_PART_SECONDS, share * left * sizes[block] / still)

    def report(current: Plan | None) -> None:
        if on_progress is not None:
            objective = None if current is None else sum(evaluate(context, current).values())
            on_progress(Progress(time.monotonic() - started, objective, bound))

    for block in order:
        solver = _configured_solver(budget(BOUND_SHARE, block), workers, seed)
        part = solve_part(context, members[block], {}, solver, interrupt.run, {})
        alone.update(part.plan or {})
        # a part's own relaxation holds too, when the search proved less
        relaxed = placeable_bound(sub_context(context, members[block], {}))
        own_bound[block] = max(part.bound or 0, relaxed)
        bound += own_bound[block]
        report(None)
    bound = max(bound, relaxation_bound(context))
    for block in order:
        hint = {**alone, **plan}
        around = dates_around(context, alone, members[block])
        solved = None
        for attempt, keep_near in ((1, around), (2, None)):  # then anywhere in their windows
            solver = _configured_solver(attempt * budget(PLAN_SHARE, block), workers, seed)
            solved = solve_part(
                context, members[block], plan, solver, interrupt.run, hint, near=keep_near
            ).plan
            if solved is not None:
                break
        if solved is None:
            if any(_required(context, a) for a in members[block]):
                return None
            continue  # its activities stay out; the repair pass may still place them
        plan = solved
    objective = sum(evaluate(context, plan).values())
    report(plan)
    left_out = set(blocks) - plan.keys()
    if left_out and not interrupt.requested:
        # first, everything that the blocks left out, into the plan as it stands
        solver = _configured_solver(
            max(MIN_PART_SECONDS, deadline - time.monotonic()), workers, seed
        )
        solver.parameters.max_time_in_seconds = min(
            solver.parameters.max_time_in_seconds, MAX_INSERT_SECONDS
        )
        candidate = solve_part(context, left_out, plan, solver, interrupt.run, plan).plan
        if candidate is not None:
            value = sum(evaluate(context, candidate).values())
            if value < objective:
                plan, objective = candidate, value
                report(plan)
    alone_costs = _activity_costs(context, alone)
    tried: set[tuple[str, ...]] = set()
    widths = list(REPAIR_WIDTHS)
    improved_in_round = False
    while objective > bound and not interrupt.requested:
        left = deadline - time.monotonic()
        excess = {
            targets: cost - sum(alone_costs.get(a, 0) for a in targets)
            for targets, cost in _costs_by_target(context, plan).items()
            if targets not in tried and cost > sum(alone_costs.get(a, 0) for a in targets)
        }
        if left < MIN_PART_SECONDS:
            break
        if not excess:
            widths.pop(0)  # every target tried: let the others move further
            if not widths:
                if not improved_in_round:
                    break
                widths, improved_in_round = list(REPAIR_WIDTHS), False
            tried.clear()
            continue
        worst = max(excess, key=lambda targets: (excess[targets], targets))
        tried.add(worst)
        # first the target alone against the plan as it is, then with more around it
        free = _neighbourhood(context, plan, worst) if widths[0] else set(worst)
        around = dates_around(context, plan, free - set(worst), widths[0])
        solver = _configured_solver(min(left, MAX_REPAIR_SECONDS), workers, seed)
        candidate = solve_part(context, free, plan, solver, interrupt.run, plan, near=around).plan
        if candidate is None:
            continue
        value = sum(evaluate(context, candidate).values())
        if value < objective:
            plan, objective = candidate, value
            tried.clear()
            improved_in_round = True
            report(plan)
    terms = evaluate(context, plan)
    return _result(context, plan, terms, min(objective, bound), time.monotonic() - started)


def _costs_by_target(context: Context, plan: Plan) -> dict[tuple[str, ...], int]:
    """What a plan costs, by activity and by pair of linked activities."""
    costs: dict[tuple[str, ...], int] = {
        (activity,): sum(by_term.values()) for activity, by_term in own_costs(context, plan).items()
    }
    for pair, cost in link_costs(context, plan).items():
        costs[pair] = cost
    return costs


def _activity_costs(context: Context, plan: Plan) -> dict[str, int]:
    """What each activity costs in a plan, its links split with their partners."""
    costs: dict[str, int] = {}
    for targets, cost in _costs_by_target(context, plan).items():
        for activity in targets:
            costs[activity] = costs.get(activity, 0) + cost
    return costs


def _neighbourhood(context: Context, plan: Plan, targets: tuple[str, ...]) -> set[str]:
    """The activities to re-solve to lower the cost of ``targets``: them, and every held
    activity on the dates they could move to (from the start of their windows to their
    present dates)."""
    first = min(activity_window(context, a)[0] for a in targets)
    last = max(
        activity_date(context, a, plan) if a in plan else activity_window(context, a)[1]
        for a in targets
    )
    return set(targets) | {a for a in plan if first <= activity_date(context, a, plan) <= last}


BOUND_SHARE = 0.35
"""Of the time left, the share that solving the blocks alone (the bound) may use."""
PLAN_SHARE = 0.8
"""Of the time left after that, the share of the pass that builds the plan."""
MIN_PART_SECONDS = 0.5
MAX_REPAIR_SECONDS = 5.0
MAX_INSERT_SECONDS = 20.0
REPAIR_WIDTHS = (0, 3, 7, 28)
"""How many days the activities around a repaired one may move, widened in turn (0: they
stay as they are)."""


def _configured_solver(time_limit: float, workers: int | None, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.1, time_limit)
    parameters.num_workers = max(1, workers or os.cpu_count() or 1)
    parameters.random_seed = seed
    parameters.catch_sigint_signal = False  # signals are handled here; see _run
    return solver


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each better plan, and each better bound, as a :class:`Progress`."""

    def __init__(self, handler: ProgressHandler, offset: int, started: float) -> None:
        super().__init__()
        self._handler = handler
        self._offset = offset
        self._started = started
        self._objective: int | None = None
        self._bound: int | None = None

    def on_solution_callback(self) -> None:
        self._objective = round(self.objective_value) + self._offset
        self._report(self.best_objective_bound)

    def on_bound(self, bound: float) -> None:
        self._report(bound)

    def _report(self, bound: float) -> None:
        self._bound = math.ceil(bound - 1e-6) + self._offset
        self._handler(Progress(time.monotonic() - self._started, self._objective, self._bound))


class _Interrupt:
    """Ends the search on SIGINT or SIGTERM and keeps the best plan.

    Each solve runs in a worker thread so that the main thread receives the signal;
    the solve under way stops at once, and any later one gets a moment only, to
    finish the plan it is part of.
    """

    def __init__(self, active: bool) -> None:
        self.active = active and threading.current_thread() is threading.main_thread()
        self.requested = False
        self._solver: cp_model.CpSolver | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _Interrupt:
        if self.active:
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> int:
        """Solve, ending early on a signal; return the status."""
        if self.requested:
            solver.parameters.max_time_in_seconds = min(
                solver.parameters.max_time_in_seconds, MIN_PART_SECONDS
            )
        self._solver = solver
        if not self.active:
            return int(solver.solve(model, callback))
        outcome: list[int] = []
        worker = threading.Thread(target=lambda: outcome.append(int(solver.solve(model, callback))))
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
        return outcome[0]


def _unscheduled_weight_of_blocked(context: Context) -> int:
    weights = context.scenario.objective.unscheduled
    total = 0
    for activity_id in context.blocked:
        activity = (
            context.scenario.meetings_by_id.get(activity_id)
            or (context.scenario.action_days_by_id[activity_id])
        )
        total += weights.of(activity.priority)
    return total


def _plan(
    planning: PlanningModel,
    solver: cp_model.CpSolver,
    status: int,
    elapsed: float,
) -> Result:
    context = planning.context
    plan = read_plan(planning.variables, solver.value)
    terms = evaluate(context, plan)
    objective = sum(terms.values())
    left_out = _unscheduled_weight_of_blocked(context)
    if objective != round(solver.objective_value) + left_out:
        # the model and the evaluation disagree: a bug, never a plan to publish
        raise RuntimeError(
            f"objective {round(solver.objective_value) + left_out} of the model differs "
            f"from its evaluation {objective}"
        )
    if status == cp_model.OPTIMAL:
        bound = objective
    else:
        model_bound = math.ceil(solver.best_objective_bound - 1e-6) + left_out
        bound = min(objective, max(model_bound, relaxation_bound(context)))
    return _result(context, plan, terms, bound, elapsed)


def _result(
    context: Context, plan: Plan, terms: dict[str, int], bound: int, elapsed: float
) -> Result:
    """A result of a plan, with the reason for each activity left out."""
    meetings, action_days = placements(context, plan)
    used = occupancy(context, meetings, action_days)
    unscheduled = []
    for activity in [*context.scenario.meetings, *context.scenario.action_days]:
        if activity.id in plan:
            continue
        blocked = context.blocked.get(activity.id)
        if blocked is not None:
            unscheduled.append(Unscheduled(activity.id, blocked.rule, blocked.reasons))
        elif activity.id in context.meetings:
            unscheduled.append(meeting_contention(context, context.meetings[activity.id], used))
        else:
            unscheduled.append(
                action_day_contention(context, context.action_days[activity.id], used)
            )
    objective = sum(terms.values())
    return Result(
        status="optimal" if objective == bound else "feasible",
        objective=objective,
        bound=bound,
        terms=terms,
        solve_seconds=elapsed,
        meetings=meetings,
        action_days=action_days,
        unscheduled=unscheduled,
    )


# ---- infeasibility -------------------------------------------------------------------


def _required(context: Context, activity_id: str) -> str | None:
    """``"pin"`` or ``"critical"`` when an activity must be held, else ``None``."""
    meeting = context.scenario.meetings_by_id.get(activity_id)
    if meeting is not None and meeting.pinned is not None:
        return "pin"
    activity = meeting or context.scenario.action_days_by_id[activity_id]
    return "critical" if activity.priority == "critical" else None


def _static_infeasibility(context: Context) -> list[Infeasibility]:
    """Activities that must be held but have no placement at all."""
    found = []
    for activity_id, blocked in context.blocked.items():
        must = _required(context, activity_id)
        if must:
            kind = "pinned" if must == "pin" else "critical"
            found.append(
                Infeasibility(
                    blocked.rule,
                    [activity_id],
                    f"{kind} {activity_id} cannot be held: {'; '.join(blocked.reasons)}",
                )
            )
    return found


def _explain_infeasibility(
    scenario: Scenario, case_graph: CaseGraph, time_limit: float
) -> list[Infeasibility]:
    """Find a small set of critical or pinned activities that cannot all be held.

    The model is rebuilt with each 'must be held' as an assumption literal; CP-SAT
    returns assumptions sufficient for infeasibility.
    """
    context = build_context(scenario, case_graph)
    context.explain = True
    planning = build_model(context)
    planning.model.clear_objective()
    planning.model.add_assumptions([literal for literal, _, _ in context.assumptions])
    solver = _configured_solver(time_limit, 1, 0)
    status = solver.solve(planning.model)
    by_index = {literal.index: (rule, activity) for literal, rule, activity in context.assumptions}
    if status == cp_model.INFEASIBLE:
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    else:
        core = [(rule, activity) for _, rule, activity in context.assumptions]
    rule = "pin" if any(r == "pin" for r, _ in core) else "critical"
    activities = sorted({activity for _, activity in core})
    return [
        Infeasibility(
            rule,
            activities,
            f"{', '.join(activities)} must all be held, but cannot be together: they compete "
            "for the same rooms, interpreters, desks, staff or order",
        )
    ]


def _infeasible(context: Context, reasons: list[Infeasibility], elapsed: float) -> Result:
    scenario = context.scenario
    named = {activity: entry for entry in reasons for activity in entry.activities}
    unscheduled = []
    for activity in [*scenario.meetings, *scenario.action_days]:
        entry = named.get(activity.id)
        if entry:
            unscheduled.append(Unscheduled(activity.id, entry.rule, [entry.reason]))
        else:
            unscheduled.append(
                Unscheduled(
                    activity.id,
                    reasons[0].rule,
                    ["not planned: the scenario is infeasible (see infeasible)"],
                )
            )
    return Result(
        status="infeasible",
        objective=None,
        bound=None,
        terms=None,
        solve_seconds=elapsed,
        unscheduled=unscheduled,
        infeasible=reasons,
    )
