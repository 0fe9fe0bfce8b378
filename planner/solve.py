"""The one entry point for planning: :func:`solve`. Every command calls it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace

from planner.links import CaseGraph, build_case_graph
from planner.models.scenario import Scenario
from planner.models.schedule import (
    Infeasibility,
    Result,
    Unscheduled,
)
from planner.solver import cp_model
from planner.solver.blocks import in_blocks, solve_in_blocks
from planner.solver.model import PlanningModel, build_context, build_model
from planner.solver.plan import (
    Plan,
    evaluate,
    left_out_weight,
    must_hold,
    placements,
    read_plan,
    relaxation_bound,
)
from planner.solver.reasons import action_day_contention, meeting_contention, occupancy
from planner.solver.run import Interrupt, configured_solver
from planner.solver.steps import first_plan_in_steps, wants_steps
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
    interrupt: Interrupt | None = None,
    log: Callable[[str], None] | None = None,
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
    interrupt
        An :class:`~planner.solver.run.Interrupt` already watching for signals (a
        command that watches them from before loading to after writing); it replaces
        ``stop_on_signals``.
    log
        Called with each line of CP-SAT's search log (``planner solve --log``).

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
    watching = nullcontext(interrupt) if interrupt else Interrupt(stop_on_signals)
    with watching as interrupt:
        interrupt.log = log or interrupt.log
        if in_blocks(context):

            def report(objective: int | None, bound: int) -> None:
                if on_progress is not None:
                    on_progress(Progress(time.monotonic() - started, objective, bound))

            found = solve_in_blocks(context, started + time_limit, workers, seed, interrupt, report)
            if found is not None:
                plan, bound = found
                result = _result(
                    context, plan, evaluate(context, plan), bound, time.monotonic() - started
                )
                return replace(result, links=links)
        planning = build_model(context)
        first = None
        if wants_steps(context):
            first = first_plan_in_steps(planning, started + time_limit, workers, seed, interrupt)
            if first is not None and on_progress is not None:
                objective = sum(evaluate(context, first).values())
                on_progress(
                    Progress(time.monotonic() - started, objective, relaxation_bound(context))
                )
        left_out = left_out_weight(context)
        solver = configured_solver(time_limit - (time.monotonic() - started), workers, seed)
        callback = _ProgressCallback(on_progress, left_out, started) if on_progress else None
        if callback is not None:
            solver.best_bound_callback = callback.on_bound
        status = interrupt.run(solver, planning.model, callback)
    elapsed = time.monotonic() - started
    if status == cp_model.INFEASIBLE:
        reasons = _explain_infeasibility(scenario, case_graph, max(1.0, time_limit / 4))
        return replace(_infeasible(context, reasons, time.monotonic() - started), links=links)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if first is not None:  # the search found nothing better than the first plan
            terms = evaluate(context, first)
            bound = min(sum(terms.values()), relaxation_bound(context))
            return replace(_result(context, first, terms, bound, elapsed), links=links)
        return Result(
            status="unknown", objective=None, bound=None, terms=None, solve_seconds=elapsed
        )
    return replace(_plan(planning, solver, status, elapsed), links=links)


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
    left_out = left_out_weight(context)
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


def _static_infeasibility(context: Context) -> list[Infeasibility]:
    """Activities that must be held but have no placement at all."""
    found = []
    for activity_id, blocked in context.blocked.items():
        must = must_hold(context, activity_id)
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
    solver = configured_solver(time_limit, 1, 0)
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
