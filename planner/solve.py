"""The one entry point for planning: :func:`solve`. Every command calls it."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.changes import compare
from planner.check import check_schedule
from planner.links import build_case_graph
from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.schedule import RULES, Conflict, Infeasibility, Result, Unscheduled
from planner.models.score import Score
from planner.models.termination import DEFAULT_TIME_LIMIT, IDLE_SECONDS, Termination
from planner.output.schedule_json import schedule_document
from planner.solver import cp_model, wording
from planner.solver.bounds import Relaxation
from planner.solver.freeze import Frozen, freeze, verbatim_placements, verbatim_terms
from planner.solver.model import build_context, build_model
from planner.solver.occupancy import occupancy_of
from planner.solver.plan import Plan, evaluate, must_hold, placements
from planner.solver.reasons import action_day_contention, meeting_contention
from planner.solver.run import MIN_SOLVE_SECONDS, Interrupt, configured_solver
from planner.solver.search import run_search
from planner.solver.state import SearchState
from planner.solver.variables import Context


@dataclass(frozen=True)
class Progress:
    """The state of a running search: seconds so far, the best plan's score and the
    proven bound of both levels."""

    elapsed: float
    score: Score | None
    bound: Score | None
    best: Callable[[], Result] | None = None
    """The best plan so far as a result, built when called (a moment on a year: call it
    now and then, not at every report); ``None`` before there is one."""

    @property
    def objective(self) -> int | None:
        """The best plan's objective (both levels summed)."""
        return None if self.score is None else self.score.total


ProgressHandler = Callable[[Progress], None]


def solve(
    scenario: Scenario,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    stop_when_idle: float | None = None,
    gap: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    on_progress: ProgressHandler | None = None,
    stop_on_signals: bool = False,
    interrupt: Interrupt | None = None,
    log: Callable[[str], None] | None = None,
    baseline: Baseline | None = None,
    now: datetime | None = None,
) -> Result:
    """Plan a scenario: a complete plan in a moment, then better ones until the time limit,
    a termination setting or a proof (see :mod:`planner.solver.search`).

    Parameters
    ----------
    scenario
        A validated scenario.
    time_limit
        Seconds the whole solve may take, from building the options to the reasons of
        what is left out.
    stop_when_idle
        End the search when no better plan was found for this many seconds.
    gap
        End the search once placement is proven and the preference gap is at most this
        fraction (SPEC 2.3).
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
    baseline
        A published plan: moving what it placed costs the ``move`` weights, the search
        starts from it, and the result says what changed (SPEC 2.7).
    now
        With a baseline, re-plan at this moment: what the baseline started before it is
        kept exactly as it was, everything else starts at ``now`` or later.

    Returns
    -------
    Result
        ``optimal`` or ``feasible`` with the plan, ``infeasible`` with the reasons,
        or ``unknown`` when no plan was found in time.
    """
    started = time.monotonic()
    ends = started + time_limit
    termination = Termination(time_limit, stop_when_idle, gap)
    case_graph = build_case_graph(scenario)
    links = case_graph.links_summary()
    context = build_context(scenario, case_graph, baseline)
    frozen = Frozen({}, [])
    if baseline is not None and now is not None:
        context, frozen = freeze(context, baseline, now)

    def finished(result: Result, plan: Plan | None = None) -> Result:
        """The result as the caller sees it: links, the frozen activities kept verbatim
        added (their costs as constants), and the changes against the baseline."""
        result = replace(result, links=links)
        if frozen.verbatim and baseline is not None and plan is not None:
            meetings, action_days = verbatim_placements(context, baseline, frozen.verbatim)
            added = verbatim_terms(context, baseline, plan)
            terms = {name: value + added[name] for name, value in (result.terms or {}).items()}
            score = Score.of(terms)
            # what they cost whatever the plan (their links depend on it)
            fixed = Score.of({**added, "link_spread": 0})
            old = result.score_bound or Score(0, 0)
            bound = Score(old.placement + fixed.placement, old.preference + fixed.preference)
            result = replace(
                result,
                status="optimal" if score == bound else "feasible",
                objective=score.total,
                bound=bound.total,
                score=score,
                score_bound=bound,
                terms=terms,
                meetings=sorted([*result.meetings, *meetings], key=lambda m: (m.start, m.id)),
                action_days=sorted(
                    [*result.action_days, *action_days], key=lambda a: (a.centre_open, a.id)
                ),
            )
        if baseline is None:
            return result
        conflicts = _conflicts(scenario, result, frozen.ids) if result.has_plan else []
        changes = compare(
            scenario, baseline, result, frozen=frozen.ids, conflicts=conflicts, now=now
        )
        return replace(result, changes=changes)

    static = _static_infeasibility(context)
    if static:
        return finished(_infeasible(context, static, time.monotonic() - started))

    searching: list[SearchState] = []

    def best() -> Result:
        """The best plan so far, as the solve would return it now."""
        (search,) = searching
        plan, bound = search.plan, search.bound  # a plan offered later is a new dict
        return finished(plan_result(context, plan, bound, time.monotonic() - started), plan)

    def report(score: Score | None, bound: Score) -> None:
        """Tell the progress handler the best score and bound."""
        if on_progress is not None:
            has_plan = score is not None and searching and searching[0].complete
            progress = Progress(
                time.monotonic() - started, score, bound, best if has_plan else None
            )
            on_progress(progress)

    watching = nullcontext(interrupt) if interrupt else Interrupt(stop_on_signals)
    with watching as interrupt:
        interrupt.log = log or interrupt.log
        # the reasons of what is left out, or of an infeasibility, come after the search
        deadline = ends - min(FINISH_SECONDS, FINISH_SHARE * time_limit)
        search = SearchState(context, termination, deadline, workers, seed, interrupt, report)
        searching.append(search)
        outcome = run_search(search)
        if outcome.infeasible:
            limit = max(MIN_SOLVE_SECONDS, ends - time.monotonic())
            reasons = _explain_infeasibility(context, limit, interrupt)
            return finished(_infeasible(context, reasons, time.monotonic() - started))
    elapsed = time.monotonic() - started
    if outcome.plan is None:
        return Result(
            status="unknown", objective=None, bound=None, terms=None, solve_seconds=elapsed
        )
    return finished(plan_result(context, outcome.plan, outcome.bound, elapsed), outcome.plan)


def _conflicts(scenario: Scenario, result: Result, frozen: list[str]) -> list[Conflict]:
    """The rules that frozen activities break, as the independent checker finds them."""
    if not frozen:
        return []
    document = schedule_document(result, scenario.name, "")
    found: dict[tuple[str, str], list[str]] = {}
    for violation in check_schedule(scenario, document, placement=False):
        if violation.activity in frozen and violation.rule in RULES:
            found.setdefault((violation.activity, violation.rule), []).append(
                f"frozen, but {violation.detail}"
            )
    return [Conflict(activity, rule, reasons) for (activity, rule), reasons in found.items()]


def replan(
    scenario: Scenario,
    baseline: Baseline,
    *,
    now: datetime | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    stop_when_idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    on_progress: ProgressHandler | None = None,
    interrupt: Interrupt | None = None,
    log: Callable[[str], None] | None = None,
) -> Result:
    """Re-plan the rest of the horizon from a published plan (SPEC 2.7, ``replan``).

    What the baseline started before ``now`` (default: the current time; a naive value
    is host time) is kept exactly as it was; everything else starts at ``now`` or later,
    moving as little as the ``move`` weights make worth it. The result's ``changes``
    account for every activity of the baseline. It stops when idle for
    ``stop_when_idle`` seconds (default :data:`IDLE_SECONDS`). See :func:`solve` for the
    other options.
    """
    host = ZoneInfo(scenario.host.timezone)
    moment = datetime.now(host) if now is None else now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=host)
    return solve(
        scenario,
        time_limit=time_limit,
        stop_when_idle=stop_when_idle,
        gap=gap,
        workers=workers,
        seed=seed,
        on_progress=on_progress,
        interrupt=interrupt,
        log=log,
        baseline=baseline,
        now=moment,
    )


FINISH_SECONDS = 1.0
FINISH_SHARE = 0.05
"""Of the time limit, what is kept for after the search (at most ``FINISH_SECONDS``)."""


def plan_result(
    context: Context, plan: Plan, bound: Score | None = None, elapsed: float = 0.0
) -> Result:
    """The result of a plan: placements, objective terms, and the reason for each activity
    left out; ``optimal`` when its score reaches ``bound`` on both levels (default: the
    relaxation's bound without its linked components, which holds for every plan)."""
    terms = evaluate(context, plan)
    score = Score.of(terms)
    if bound is None:
        relaxation = Relaxation(context)
        least = relaxation.least_placement
        bound = Score(least, relaxation.preference(score.placement - least))
    meetings, action_days = placements(context, plan)
    used = occupancy_of(context, plan)
    unscheduled = []
    for activity in [*context.scenario.meetings, *context.scenario.action_days]:
        if activity.id in plan or activity.id in context.verbatim:
            continue
        blocked = context.blocked.get(activity.id)
        if blocked is not None:
            unscheduled.append(Unscheduled(activity.id, blocked.rule, blocked.reasons))
        elif activity.id in context.meetings:
            options = context.meetings[activity.id]
            unscheduled.append(meeting_contention(context, options, plan, used))
        else:
            day_options = context.action_days[activity.id]
            unscheduled.append(action_day_contention(context, day_options, plan, used))
    return Result(
        status="optimal" if score == bound else "feasible",
        objective=score.total,
        bound=bound.total,
        terms=terms,
        solve_seconds=elapsed,
        meetings=meetings,
        action_days=action_days,
        unscheduled=unscheduled,
        score=score,
        score_bound=bound,
    )


# ---- infeasibility -------------------------------------------------------------------


def _static_infeasibility(context: Context) -> list[Infeasibility]:
    """Activities that must be held but have no placement at all."""
    found = []
    for activity_id, blocked in context.blocked.items():
        must = must_hold(context, activity_id)
        if must:
            kind = "pinned" if must == "pin" else "critical"
            reason = wording.cannot_be_held(kind, activity_id, blocked.reasons)
            found.append(Infeasibility(blocked.rule, [activity_id], reason))
    return found


def _explain_infeasibility(
    context: Context, time_limit: float, interrupt: Interrupt
) -> list[Infeasibility]:
    """A set of critical or pinned activities that cannot all be held, as small as found.

    The model is built with each "must be held" as an assumption literal; CP-SAT returns
    assumptions sufficient for infeasibility, and a deletion filter then drops every
    member whose removal leaves the rest infeasible, so that (when every check ends in
    time) no member can be dropped: the set is minimal.
    """
    ends = time.monotonic() + time_limit
    context = replace(context, explain=True, assumptions=[])
    planning = build_model(context)
    model = planning.model
    model.clear_objective()
    literal_of = {activity: literal for literal, _, activity in context.assumptions}
    rule_of = {activity: rule for _, rule, activity in context.assumptions}

    def infeasible(members: list[str], share: float) -> cp_model.CpSolver | None:
        """The solver that proved ``members`` cannot all be held, else ``None``."""
        model.clear_assumptions()
        model.add_assumptions([literal_of[m] for m in members])
        solver = configured_solver(max(MIN_SOLVE_SECONDS, share * (ends - time.monotonic())), 1, 0)
        return solver if interrupt.run(solver, model) == cp_model.INFEASIBLE else None

    everything = sorted(literal_of)
    proof = infeasible(everything, 0.5)
    if proof is None:
        core, minimal = everything, False
    else:
        by_index = {literal_of[a].index: a for a in everything}
        core = sorted(by_index[i] for i in proof.sufficient_assumptions_for_infeasibility())
        minimal = True
        for member in list(core):
            rest = [m for m in core if m != member]
            if not rest:
                break
            if time.monotonic() + MIN_SOLVE_SECONDS > ends:
                minimal = False
                break
            if infeasible(rest, 1 / max(1, len(core))) is not None:
                core = rest
    rule = "pin" if any(rule_of[a] == "pin" for a in core) else "critical"
    return [Infeasibility(rule, core, wording.cannot_be_together(core, minimal))]


def _infeasible(context: Context, reasons: list[Infeasibility], elapsed: float) -> Result:
    """The result of an infeasible scenario (SPEC 2.6): no plan, every activity
    unscheduled, those of the infeasible set with its rule and reason, the others
    saying the scenario is infeasible; ``infeasible`` lists the set."""
    scenario = context.scenario
    named = {activity: entry for entry in reasons for activity in entry.activities}
    unscheduled = []
    for activity in [*scenario.meetings, *scenario.action_days]:
        entry = named.get(activity.id)
        if entry:
            unscheduled.append(Unscheduled(activity.id, entry.rule, [entry.reason]))
        else:
            unscheduled.append(
                Unscheduled(activity.id, reasons[0].rule, [wording.not_planned_infeasible()])
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
