"""The anytime search: a complete plan in a moment, then better plans until the time
limit or a proof.

1. The first plan is built first-fit (:mod:`planner.solver.construct`): in a moment
   whatever the scenario, so that no solve ends without a plan where a coordinator's
   spreadsheet would have one.
2. A small scenario (at most :data:`MAX_ONE_MODEL` placeable activities) is then one
   CP-SAT model, searched from that plan (hints) until the limit or a proof.
3. A larger one gets a proven lower bound from its blocks of time solved alone (when
   its horizon has several, :mod:`planner.solver.blocks`), then large-neighbourhood
   search from the best plan (:mod:`planner.solver.lns`): parts of the plan re-solved
   against the rest, each change kept when the whole plan gets better.

Every plan is filled (:mod:`planner.solver.fill`) and valued in plain Python
(:func:`planner.solver.plan.evaluate`). A plan that leaves out an activity that must be
held (pinned or critical) is worse than any plan that holds them all. In the
large-neighbourhood search, a plan that holds fewer activities than the first-fit plan
is worse than any that holds as many (SPEC §3: every activity that can be scheduled is,
never fewer than a greedy first-fit), even where leaving a low-priority one out would
cost less; the one CP-SAT model of a small scenario minimises the objective alone, so
that its proof of optimality holds.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from planner.solver import cp_model
from planner.solver.construct import construct, construct_from_baseline
from planner.solver.fill import fill_meetings
from planner.solver.lns import improve
from planner.solver.model import build_model
from planner.solver.occupancy import Occupancy
from planner.solver.parts import add_plan_hint
from planner.solver.plan import (
    Plan,
    activity_date,
    costed_pairs,
    evaluate,
    left_out_weight,
    link_cost,
    must_hold,
    own_cost,
    own_costs,
    read_plan,
    relaxation_bound,
)
from planner.solver.run import MIN_SOLVE_SECONDS, Interrupt, configured_solver
from planner.solver.variables import Context

LAST_PART_SECONDS = 0.05
"""The least a part is given when its model was built right at the deadline."""
MAX_ONE_MODEL = 150
"""Placeable activities up to which a scenario is searched as one CP-SAT model."""

Report = Callable[[int | None, int], None]
"""Told the objective of the best plan so far (``None`` before there is one) and the
proven bound, at each improvement of either."""


@dataclass(frozen=True)
class Outcome:
    """What a search found."""

    plan: Plan | None
    """The best plan that holds every activity that must be held; ``None`` without one."""
    bound: int
    """A proven lower bound on the objective of every plan."""
    infeasible: bool = False
    """The whole model was proven infeasible: no plan holds every activity that must be."""


class Search:
    """The state of a search: the best plan, its value, the bound and the clock."""

    def __init__(
        self,
        context: Context,
        deadline: float,
        workers: int | None,
        seed: int,
        interrupt: Interrupt,
        report: Report | None = None,
    ) -> None:
        self.context = context
        self.deadline = deadline
        self.workers = workers
        self.seed = seed
        self.interrupt = interrupt
        self._report = report
        self.must = {
            activity_id
            for activity_id in [*context.meetings, *context.action_days]
            if must_hold(context, activity_id)
        }
        self.plan: Plan = {}
        self.floor = 0
        """How many activities a plan must hold not to count as short (see the module)."""
        self.value: tuple[int, int, int] = (len(self.must) + 1, 0, 0)
        """Activities that must be held but are not, how many fewer than ``floor`` are
        held, then the objective: lower is better (no plan yet: worse than any)."""
        self.bound = relaxation_bound(context)
        # the best plan's occupancy, costs and dates, kept up to date change by change
        self.occupancy = Occupancy(context)
        self.costs = own_costs(context, {})
        self.pairs_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pair in costed_pairs(context):
            for activity_id in pair:
                self.pairs_of[activity_id].append(pair)
        self.links = dict.fromkeys(costed_pairs(context), 0)
        self.terms = evaluate(context, {})
        self.on_date: dict[date, set[str]] = defaultdict(set)

    # ---- the clock and the best plan ------------------------------------------------

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def run_part(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        """Solve a part within what is left before the deadline (building its model may
        have used some of the time the solver was given), ending early on a signal."""
        parameters = solver.parameters
        parameters.max_time_in_seconds = max(
            LAST_PART_SECONDS, min(parameters.max_time_in_seconds, self.left())
        )
        return self.interrupt.run(solver, model)

    @property
    def objective(self) -> int:
        return self.value[2]

    @property
    def spare(self) -> int:
        """How many activities the best plan holds beyond ``floor``."""
        return max(0, len(self.plan) - self.floor)

    @property
    def complete(self) -> bool:
        """Whether the best plan holds every activity that must be held."""
        return self.value[0] == 0

    def done(self) -> bool:
        """Time is up, a signal came, or the best plan is proven optimal."""
        return (
            self.interrupt.requested
            or self.left() < MIN_SOLVE_SECONDS
            or (self.complete and self.objective <= self.bound)
        )

    def offer(self, plan: Plan) -> bool:
        """Keep a plan (filled) when it is better than the best so far; say whether it was.

        Only what differs from the best plan is looked at: the activities that changed,
        the meetings around them that the fill pass may change, and their links.
        """
        context, current, occupancy = self.context, self.plan, self.occupancy
        changed = sorted(a for a in plan.keys() | current.keys() if plan.get(a) != current.get(a))
        if not changed and self.value[0] <= len(self.must):  # the same as the best plan
            return False
        for activity_id in changed:
            if activity_id in current:
                occupancy.remove(activity_id, current[activity_id])
        for activity_id in changed:
            if activity_id in plan:
                occupancy.add(activity_id, plan[activity_id])
        filled = dict(plan)
        touched = set(changed) | fill_meetings(
            context, filled, occupancy, self._around(changed, plan)
        )
        costs = {a: own_cost(context, a, filled.get(a)) for a in touched}
        links = {
            pair: link_cost(context, pair, filled)
            for a in touched
            for pair in self.pairs_of.get(a, ())
        }
        terms = dict(self.terms)
        for activity_id, cost in costs.items():
            for term, amount in self.costs[activity_id].items():
                terms[term] -= amount
            for term, amount in cost.items():
                terms[term] += amount
        terms["link_spread"] += sum(links.values()) - sum(self.links[pair] for pair in links)
        value = (
            len(self.must - filled.keys()),
            max(0, self.floor - len(filled)),
            sum(terms.values()),
        )
        if value >= self.value:
            for activity_id in touched:  # back to the best plan's occupancy
                if activity_id in filled:
                    occupancy.remove(activity_id, filled[activity_id])
            for activity_id in touched:
                if activity_id in current:
                    occupancy.add(activity_id, current[activity_id])
            return False
        for activity_id in changed:
            if activity_id in current:
                self.on_date[activity_date(context, activity_id, current)].discard(activity_id)
            if activity_id in filled:
                self.on_date[activity_date(context, activity_id, filled)].add(activity_id)
        self.plan, self.terms, self.value = filled, terms, value
        self.costs.update(costs)
        self.links.update(links)
        self.report()
        return True

    def _around(self, changed: list[str], plan: Plan) -> list[str]:
        """The held meetings whose optional participants' excuses a change may touch:
        those changed, and those within a day of where a changed activity was or is."""
        days: set[date] = set()
        for activity_id in changed:
            for where in (self.plan, plan):
                if activity_id in where:
                    day = activity_date(self.context, activity_id, where)
                    days.update(day + timedelta(days=k) for k in (-1, 0, 1))
        around = {a for day in days for a in self.on_date.get(day, ())} | set(changed)
        return sorted(a for a in around if a in plan and a in self.context.meetings)

    def raise_bound(self, bound: int) -> None:
        if bound > self.bound:
            self.bound = bound
            self.report()

    def report(self) -> None:
        self.tell(self.objective if self.complete else None)

    def tell(self, objective: int | None) -> None:
        """Report an objective (the best plan's, or a better one found in a model)."""
        if self._report is not None:
            self._report(objective, self.bound)

    # ---- the search -----------------------------------------------------------------

    def run(self) -> Outcome:
        """Search until the deadline, a signal or a proof; see the module."""
        self.offer(construct(self.context))
        if self.context.kept:  # re-planning: from the published plan where it still holds
            self.offer(construct_from_baseline(self.context))
        placeable = len(self.context.meetings) + len(self.context.action_days)
        if placeable <= MAX_ONE_MODEL:
            if self.whole_model() == cp_model.INFEASIBLE:
                return Outcome(None, self.bound, infeasible=True)
        else:
            self.floor = len(self.plan)
            improve(self)
        if not self.complete:
            return Outcome(None, self.bound)
        return Outcome(self.plan, min(self.bound, self.objective))

    def whole_model(self) -> int:
        """Search the whole model from the best plan; return CP-SAT's status."""
        if self.done():
            return int(cp_model.UNKNOWN)
        context = self.context
        planning = build_model(context)
        add_plan_hint(planning, self.plan)
        solver = configured_solver(self.left(), self.workers, self.seed)
        offset = left_out_weight(context)
        callback = _Improvements(self, offset)
        solver.best_bound_callback = callback.on_bound
        status = self.interrupt.run(solver, planning.model, callback)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            plan = read_plan(planning.variables, solver.value)
            model_objective = round(solver.objective_value) + offset
            evaluated = sum(evaluate(context, plan).values())
            if evaluated != model_objective:
                # the model and the evaluation disagree: a bug, never a plan to publish
                raise RuntimeError(
                    f"objective {model_objective} of the model differs from its "
                    f"evaluation {evaluated}"
                )
            self.offer(plan)
            proven = model_objective if status == cp_model.OPTIMAL else callback.bound(solver)
            self.raise_bound(proven)
        return int(status)


class _Improvements(cp_model.CpSolverSolutionCallback):
    """Reports each better plan and bound of the whole model as the search finds them.

    The plans reported are the model's; the fill pass may still lower their cost.
    """

    def __init__(self, search: Search, offset: int) -> None:
        super().__init__()
        self._search = search
        self._offset = offset

    def bound(self, solver: cp_model.CpSolver) -> int:
        """The proven bound of the whole objective, from the model's."""
        return math.ceil(solver.best_objective_bound - 1e-6) + self._offset

    def on_solution_callback(self) -> None:
        search = self._search
        objective = round(self.objective_value) + self._offset
        if not search.complete or objective < search.objective:
            search.tell(objective)

    def on_bound(self, bound: float) -> None:
        self._search.raise_bound(math.ceil(bound - 1e-6) + self._offset)
