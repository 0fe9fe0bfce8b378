"""The state of a search: the best plan, its score, the proven bounds and the clock.

Plans are compared by :class:`~planner.models.score.Score` (SPEC 2.3): placement, then
preference. A plan that leaves out an activity that must be held (pinned or critical)
is worse than any plan that holds them all. Every plan offered is filled
(:mod:`planner.solver.fill`) and valued in plain Python, only where it differs from the
best plan.

The bound of both levels is the best of its sources (see :meth:`SearchState.bound`):
the relaxation (:mod:`planner.solver.bounds`), the blocks solved alone
(:mod:`planner.solver.blocks`) and the whole model's own bound.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from planner.models.score import Score, preference_gap
from planner.models.termination import Termination
from planner.solver import cp_model
from planner.solver.bounds import Relaxation
from planner.solver.fill import fill_meetings
from planner.solver.levels import ObjectiveWeights, kept_placeable
from planner.solver.occupancy import Occupancy
from planner.solver.plan import (
    Plan,
    activity_date,
    costed_pairs,
    evaluate,
    link_cost,
    must_hold,
    own_cost,
    own_costs,
)
from planner.solver.run import MIN_SOLVE_SECONDS, Interrupt
from planner.solver.variables import Context

LAST_PART_SECONDS = 0.05
"""The least a part is given when its model was built right at the deadline."""

Report = Callable[[Score | None, Score], None]
"""Told the score of the best plan so far (``None`` before there is a complete one) and
the proven bound, at each improvement of either."""


class BoundSource:
    """Something that proves bounds: the least placement, and the least preference of
    a plan whose placement is at most a given one."""

    def bound(self, placement: int) -> Score:  # pragma: no cover - an interface
        """The bound of both levels for plans whose placement is at most ``placement``."""
        raise NotImplementedError


@dataclass
class ModelBound(BoundSource):
    """The bound of one CP-SAT model of every placeable activity (see
    :mod:`planner.solver.levels`); ``least`` is the placement no plan avoids (the
    activities with no placement, which are not in the model)."""

    objective_bound: int
    weights: ObjectiveWeights
    least: int

    def bound(self, placement: int) -> Score:
        """See :meth:`planner.solver.levels.ObjectiveWeights.split_bound`."""
        split = self.weights.split_bound(self.objective_bound, placement - self.least)
        return Score(split.placement + self.least, split.preference)


@dataclass
class RelaxationBound(BoundSource):
    """The relaxation of :mod:`planner.solver.bounds` as a bound source."""

    relaxation: Relaxation

    def bound(self, placement: int) -> Score:
        """The least placement, and the least preference of a plan leaving out no more
        weight than ``placement`` does beyond it."""
        least = self.relaxation.least_placement
        return Score(least, self.relaxation.preference(max(0, placement - least)))


class SearchState:
    """The best plan, its score, the bounds and the clock of one search."""

    def __init__(
        self,
        context: Context,
        termination: Termination,
        deadline: float,
        workers: int | None,
        seed: int,
        interrupt: Interrupt,
        report: Report | None = None,
    ) -> None:
        """A search of ``context`` that ends by ``deadline`` (a monotonic time) or a
        ``termination`` setting, with no plan yet and the relaxation as its first bound."""
        self.context = context
        self.termination = termination
        self.deadline = deadline
        self.workers = workers
        self.seed = seed
        self.interrupt = interrupt
        self._report = report
        self.started = time.monotonic()
        self.improved_at = self.started
        """When the best plan last got better (the idle stop counts from it)."""
        self.must = {
            activity_id
            for activity_id in [*context.meetings, *context.action_days]
            if must_hold(context, activity_id)
        }
        self.kept = set(kept_placeable(context))
        self.plan: Plan = {}
        self.value: tuple[int, Score, int] = (len(self.must) + 1, Score(0, 0), 0)
        """Activities that must be held but are not, the score, then the published
        activities left out (see :mod:`planner.solver.levels`): lower is better (no plan
        yet: worse than any)."""
        self.relaxation = Relaxation(context)
        self.sources: list[BoundSource] = [RelaxationBound(self.relaxation)]
        self._bound: tuple[int, Score] | None = None
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

    # ---- the clock ------------------------------------------------------------------

    def left(self) -> float:
        """Seconds left before the deadline."""
        return self.deadline - time.monotonic()

    def run_part(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        """Solve a part within what is left before the deadline (building its model may
        have used some of the time the solver was given), ending early on a signal."""
        parameters = solver.parameters
        parameters.max_time_in_seconds = max(
            LAST_PART_SECONDS, min(parameters.max_time_in_seconds, self.left())
        )
        return self.interrupt.run(solver, model)

    # ---- the best plan and the bound ------------------------------------------------

    @property
    def score(self) -> Score:
        """The best plan's score."""
        return self.value[1]

    @property
    def complete(self) -> bool:
        """Whether the best plan holds every activity that must be held."""
        return self.value[0] == 0

    @property
    def bound(self) -> Score:
        """The proven bound of both levels, for plans whose placement is at most the
        best plan's: each source's, the best of them on each level."""
        placement = self.score.placement if self.complete else self._most_placement()
        if self._bound is None or self._bound[0] != placement:
            found = [source.bound(placement) for source in self.sources]
            best = Score(
                max(b.placement for b in found),
                max(b.preference for b in found),
            )
            self._bound = (placement, best)
        return self._bound[1]

    def _most_placement(self) -> int:
        """Placement when every activity that may be left out is: before a complete
        plan, the bound holds for any plan."""
        scenario = self.context.scenario
        weights = scenario.objective.unscheduled
        return sum([weights.of(m.priority) for m in scenario.meetings]) + sum(
            [weights.of(a.priority) for a in scenario.action_days]
        )

    def add_source(self, source: BoundSource) -> None:
        """Take a new source of bounds into account (its bound may have risen)."""
        if source not in self.sources:
            self.sources.append(source)
        self.bound_changed()

    def bound_changed(self) -> None:
        """A source's bound rose: recompute and report."""
        self._bound = None
        self.report()

    def proven(self) -> bool:
        """Whether the best plan is proven optimal on both levels."""
        bound = self.bound
        return (
            self.complete
            and self.score.placement <= bound.placement
            and self.score.preference <= bound.preference
        )

    def gap(self) -> float:
        """The preference gap of the best plan (SPEC 2.3)."""
        return preference_gap(self.score, self.bound)

    def done(self) -> bool:
        """Time is up, a signal came, the best plan is proven optimal, or a termination
        setting is met (idle, gap)."""
        if self.interrupt.requested or self.left() < MIN_SOLVE_SECONDS:
            return True
        if not self.complete:
            return False
        return self.proven() or self.settled(self.improved_at, self.score)

    def settled(self, improved_at: float, score: Score) -> bool:
        """Whether a termination setting is met by a plan of ``score`` last improved at
        ``improved_at``: idle that long, or placement proven within the gap asked."""
        termination, bound = self.termination, self.bound
        if termination.idle is not None and time.monotonic() - improved_at >= termination.idle:
            return True
        return (
            termination.gap is not None
            and score.placement <= bound.placement
            and preference_gap(score, bound) <= termination.gap
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
            Score.of(terms),
            len(self.kept - filled.keys()),
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
        self.improved_at = time.monotonic()
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

    def report(self) -> None:
        """Tell the best plan's score and the bound."""
        self.tell(self.score if self.complete else None)

    def tell(self, score: Score | None) -> None:
        """Report a score (the best plan's, or a better one found in a model)."""
        if self._report is not None:
            self._report(score, self.bound)
