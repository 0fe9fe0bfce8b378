"""The anytime search: a complete plan in a moment, then better plans until the time
limit, a termination setting or a proof (SPEC §3).

1. The first plan is built first-fit, each activity at its cheapest place given what
   is placed (:mod:`planner.solver.construct`): in a moment whatever the scenario, so
   that no solve ends without a plan where a coordinator's spreadsheet would have one.
   A re-plan also starts from the published plan where it still holds.
2. The relaxation bound (:mod:`planner.solver.bounds`) is computed at once: a second
   or so, and it is what most of the gap is read against.
3. A small scenario (at most :data:`MAX_ONE_MODEL` placeable activities) is then one
   CP-SAT model, searched from that plan (hints) until the limit or a proof.
4. A larger one is improved by large-neighbourhood search (:mod:`planner.solver.lns`)
   from the first second; between its steps, blocks of time are solved alone for a
   proven bound (:mod:`planner.solver.blocks`), within :data:`BOUND_SHARE` of the time
   spent, so that proving never holds the plan back.
5. Finally every activity left out that fits as the plan stands is inserted: no plan
   leaves out something that fits (SPEC 2.3).

Plans are compared by placement, then preference (:class:`~planner.models.score.Score`):
every model minimises both levels lexicographically (:mod:`planner.solver.levels`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from planner.models.score import Score
from planner.solver import cp_model
from planner.solver.blocks import BlockBounds, has_blocks
from planner.solver.construct import construct, construct_from_baseline
from planner.solver.levels import ObjectiveWeights
from planner.solver.lns import Improver
from planner.solver.model import build_model
from planner.solver.parts import add_plan_hint
from planner.solver.plan import Plan, evaluate, read_plan
from planner.solver.run import configured_solver
from planner.solver.state import ModelBound, SearchState

MAX_ONE_MODEL = 150
"""Placeable activities up to which a scenario is searched as one CP-SAT model."""
BOUND_SHARE = 0.25
"""The most of the time spent that solving blocks alone (the bound) may take."""
RELAXATION_SHARE = 0.1
"""The most of the time limit that the relaxation's linked components may take."""
MIN_BLOCK_SECONDS = 1.0
"""The least one block solved alone is given."""
WATCH_SECONDS = 0.1
"""How often the termination settings are checked while the whole model is searched."""


@dataclass(frozen=True)
class Outcome:
    """What a search found."""

    plan: Plan | None
    """The best plan that holds every activity that must be held; ``None`` without one."""
    bound: Score
    """A proven bound of both levels (see :attr:`SearchState.bound`)."""
    infeasible: bool = False
    """The whole model was proven infeasible: no plan holds every activity that must be."""


def run_search(search: SearchState) -> Outcome:
    """Search until the deadline, a termination setting, a signal or a proof; see the
    module. The state holds the best plan and its valuation when it returns."""
    context, termination = search.context, search.termination
    search.offer(construct(context))
    if context.kept:  # re-planning: from the published plan where it still holds
        search.offer(construct_from_baseline(context))
    search.relaxation.compute_links(
        min(search.deadline, time.monotonic() + RELAXATION_SHARE * termination.time_limit)
    )
    search.bound_changed()
    placeable = len(context.meetings) + len(context.action_days)
    if placeable <= MAX_ONE_MODEL:
        if _whole_model(search) == cp_model.INFEASIBLE:
            return Outcome(None, search.bound, infeasible=True)
    else:
        _improve(search)
    search.offer(construct(context, search.plan))  # nothing that fits is left out
    if not search.complete:
        return Outcome(None, search.bound)
    return Outcome(search.plan, search.bound)


def _improve(search: SearchState) -> None:
    """Large-neighbourhood search, with blocks solved alone between its steps while
    their time stays within :data:`BOUND_SHARE` of the time spent."""
    context = search.context
    blocks = BlockBounds(context, search.relaxation) if has_blocks(context) else None
    if blocks is not None:
        search.add_source(blocks)
    improver = Improver(search, blocks)
    proving = 0.0
    while not search.done():
        spent = time.monotonic() - search.started
        # blocks alone rarely prove placement (what crowds an activity out of its
        # window is seldom all in one block): they are solved once it is proven
        proven = search.complete and search.score.placement <= search.bound.placement
        block = blocks.next_block() if blocks is not None and proven else None
        if block is not None and blocks is not None and proving <= BOUND_SHARE * spent:
            started = time.monotonic()
            seconds = max(MIN_BLOCK_SECONDS, min(search.left(), 0.05 * search.left()))
            blocks.solve(block, seconds, search.workers, search.seed, search.run_part)
            proving += time.monotonic() - started
            search.bound_changed()
        else:
            improver.next_step()


def _whole_model(search: SearchState) -> int:
    """Search the whole model from the best plan; return CP-SAT's status."""
    if search.done():
        return int(cp_model.UNKNOWN)
    context = search.context
    planning = build_model(context)
    add_plan_hint(planning, search.plan)
    solver = configured_solver(search.left(), search.workers, search.seed)
    least = search.relaxation.least_placement
    callback = _Improvements(search, planning.weights, least)
    solver.best_bound_callback = callback.on_bound
    watchdog = threading.Thread(target=callback.watch, args=(solver,), daemon=True)
    watchdog.start()
    try:
        status = search.interrupt.run(solver, planning.model, callback)
    finally:
        callback.finished.set()
        watchdog.join()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = read_plan(planning.variables, solver.value)
        found = callback.score_of(round(solver.objective_value))
        evaluated = Score.of(evaluate(context, plan))
        if evaluated != found:
            # the model and the evaluation disagree: a bug, never a plan to publish
            raise RuntimeError(f"the model's {found} differs from its evaluation {evaluated}")
        search.offer(plan)
        proven = round(solver.objective_value) if status == cp_model.OPTIMAL else None
        callback.on_bound(proven if proven is not None else solver.best_objective_bound)
    return int(status)


class _Improvements(cp_model.CpSolverSolutionCallback):
    """Reports each better plan and bound of the whole model as the search finds them.

    The plans reported are the model's; the fill pass may still lower their cost.
    """

    def __init__(self, search: SearchState, weights: ObjectiveWeights, least: int) -> None:
        """Report the model's plans and bounds to ``search``; ``least`` is the placement of
        the activities the model does not hold (they have no placement at all)."""
        super().__init__()
        self._search = search
        self._weights = weights
        self._least = least
        self._bound = ModelBound(0, weights, least)
        self._best: Score | None = search.score if search.complete else None
        self._improved_at = time.monotonic()
        self.finished = threading.Event()
        """Set when the model's search has ended."""

    def watch(self, solver: cp_model.CpSolver) -> None:
        """Stop the model's search once a termination setting is met (idle, gap): checked
        every :data:`WATCH_SECONDS` while the search runs."""
        while not self.finished.wait(WATCH_SECONDS):
            if self._best is not None and self._search.settled(self._improved_at, self._best):
                solver.stop_search()
                return

    def score_of(self, objective: int) -> Score:
        """The score of a plan of the model, from its objective value."""
        score, _ = self._weights.decode(objective)
        return Score(score.placement + self._least, score.preference)

    def on_solution_callback(self) -> None:
        """Report a better plan of the model (its score from the objective) and note when
        the model last improved (the idle stop)."""
        search = self._search
        score = self.score_of(round(self.objective_value))
        if self._best is None or score < self._best:
            self._best, self._improved_at = score, time.monotonic()
        if not search.complete or score < search.score:
            search.tell(score)

    def on_bound(self, bound: float) -> None:
        """Take a better proven bound of the model's objective as a bound source."""
        objective_bound = math.ceil(bound - 1e-6)
        if objective_bound > self._bound.objective_bound:
            self._bound.objective_bound = objective_bound
            self._search.add_source(self._bound)
