"""Lower bounds of both levels that hold for every plan, computed without a search.

**Placement.** Every activity that has a placement of its own can be held when nothing
competes with it, so the least placement is the weight of the activities that have
none (:attr:`Relaxation.least_placement`). Blocks solved alone
(:mod:`planner.solver.blocks`) prove more where activities crowd each other out.

**Preference.** SPEC 2.3 asks for a bound of the preference of every plan whose
placement is at most the best plan's. Such a plan leaves out activities weighing at
most ``slack`` (the best plan's placement above the least), so an activity heavier than
that, or one that must be held, is held in it. The relaxation drops every rule between
activities but their links:

- each activity costs at least its cheapest placement, optional participants counted
  (one who cannot make a start is absent there; one who can costs the lesser of the
  absence and its stretch);
- the activities of one linked component (pairs that cost ``link_spread``) together
  cost at least the optimum of a small CP-SAT model of their dates alone: each date
  at its cheapest, and the days between linked dates;
- leaving activities out saves at most what they cost, their component's link cost
  included: the most a plan can save within ``slack`` is a fractional knapsack.

Each part is valid on its own, so their sum is (each activity and each component is
counted once).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import networkx as nx

from planner.models.scenario import Priority
from planner.solver import cp_model
from planner.solver.plan import (
    costed_pairs,
    least_start_costs,
    meeting_date,
    must_hold,
    predecessors_of,
)
from planner.solver.run import configured_solver
from planner.solver.variables import Context

COMPONENT_SECONDS = 1.0
"""The most one linked component's model of dates is searched; its proven bound is
taken when it is not solved by then."""


@dataclass(frozen=True)
class _Item:
    """What leaving one activity out may save, and what it weighs."""

    saving: int
    weight: int


class Relaxation:
    """The relaxation bounds of a context (see the module)."""

    def __init__(self, context: Context) -> None:
        """Read each activity's cheapest cost by date, its weight, and the linked components
        (their link costs come later, :meth:`compute_links`)."""
        self.context = context
        scenario = context.scenario
        weights = scenario.objective.unscheduled
        self.least_placement: int = sum(
            [weights.of(_priority(context, activity_id)) for activity_id in context.blocked]
        )
        """Placement no plan avoids: the weights of the activities with no placement."""
        self.date_costs = date_costs(context)
        self.cheapest = {a: min(costs.values()) for a, costs in self.date_costs.items()}
        self.weight = {a: weights.of(_priority(context, a)) for a in self.date_costs}
        self.must = {a for a in self.date_costs if must_hold(context, a)}
        graph = nx.Graph()
        graph.add_edges_from(costed_pairs(context))
        self.components = [sorted(c) for c in nx.connected_components(graph)]
        self.component_of = {a: i for i, c in enumerate(self.components) for a in c}
        self._links: list[int] | None = None

    @property
    def computed(self) -> bool:
        """Whether the components' link costs have been computed."""
        return self._links is not None

    def compute_links(self, deadline: float) -> None:
        """Solve each component's model of dates (what its links cost at the least,
        above its activities' own cheapest), within ``deadline``; a component not
        reached counts nothing above its activities."""
        links = []
        for members in self.components:
            left = deadline - time.monotonic()
            if left <= 0.05:
                links.append(0)
                continue
            least = _component_bound(self.context, members, self.date_costs, min(left, 1.0))
            links.append(max(0, least - sum(self.cheapest[a] for a in members)))
        self._links = links

    def preference(self, slack: int, activities: Iterable[str] | None = None) -> int:
        """The least preference of the ``activities`` (default: all placeable ones) in a
        plan that leaves out at most ``slack`` of their weight (see the module)."""
        chosen = list(self.date_costs if activities is None else activities)
        links = self._links or [0] * len(self.components)
        components = {self.component_of[a] for a in chosen if a in self.component_of}
        total = sum(self.cheapest[a] for a in chosen) + sum(links[c] for c in components)
        items = [
            _Item(
                self.cheapest[a] + (links[self.component_of[a]] if a in self.component_of else 0),
                self.weight[a],
            )
            for a in chosen
            if a not in self.must
        ]
        return max(0, total - math.floor(_most_saved(items, slack)))


def _most_saved(items: list[_Item], capacity: int) -> float:
    """The fractional knapsack: the most ``saving`` within ``capacity`` of weight."""
    saved = 0.0
    room = float(capacity)
    for item in sorted(
        items, key=lambda i: math.inf if i.weight == 0 else i.saving / i.weight, reverse=True
    ):
        if item.weight == 0:
            saved += item.saving
        elif room <= 0:
            break
        else:
            taken = min(1.0, room / item.weight)
            saved += taken * item.saving
            room -= taken * item.weight
    return saved


def date_costs(context: Context) -> dict[str, dict[date, int]]:
    """Every placeable activity's least own cost on each of its dates: a meeting's
    lateness, stretch and moves at its cheapest start that day, with its optional
    participants (absent where they cannot make the start, else the lesser of absence
    and stretch); an action day's virtual centre where no centre room is free, and the
    moves of its date."""
    objective = context.scenario.objective
    costs: dict[str, dict[date, int]] = {}
    for meeting_id, options in context.meetings.items():
        by_date: dict[date, int] = {}
        for slot, cost in least_start_costs(context, options).items():
            day = meeting_date(options, slot)
            if cost < by_date.get(day, math.inf):
                by_date[day] = cost
        costs[meeting_id] = by_date
    for action_day_id, day_options in context.action_days.items():
        kept = context.kept.get(action_day_id)
        by_date = {}
        for centre in day_options.dates:
            cost = 0 if centre.rooms else objective.virtual_centre
            if kept is not None:
                cost += objective.move.date * (centre.date != kept.date)
            by_date[centre.date] = cost
        costs[action_day_id] = by_date
    return costs


def _component_bound(
    context: Context, members: list[str], costs: dict[str, dict[date, int]], seconds: float
) -> int:
    """The least that a linked component's activities cost when all are held: each on
    one of its dates at that date's cheapest, plus the links between their dates; an
    activity that follows another is on the same date or later. A bound of CP-SAT's
    when the model is not solved in ``seconds``."""
    scenario = context.scenario
    model = cp_model.CpModel()
    first = scenario.horizon.start
    day = {}
    objective = []
    for activity_id in members:
        literals = {d: model.new_bool_var(f"{activity_id}_{d}") for d in costs[activity_id]}
        model.add_exactly_one(literals.values())
        numbers = [(d - first).days for d in literals]
        day[activity_id] = model.new_int_var(min(numbers), max(numbers), f"{activity_id}_day")
        model.add(day[activity_id] == sum((d - first).days * x for d, x in literals.items()))
        objective.append(sum(cost * literals[d] for d, cost in costs[activity_id].items()))
    inside = set(members)
    for activity_id in members:
        for predecessor in predecessors_of(context, activity_id):
            if predecessor.meeting in inside:
                model.add(day[activity_id] >= day[predecessor.meeting])
    per_day = scenario.objective.link_spread_per_day
    within = scenario.links.meetings_within // (24 * 60)
    for first_id, second_id in costed_pairs(context):
        if first_id not in inside or second_id not in inside:
            continue
        apart = model.new_int_var(0, scenario.horizon.days, f"{first_id}_{second_id}_apart")
        model.add_abs_equality(apart, day[first_id] - day[second_id])
        if first_id in scenario.action_days_by_id:  # soft action-day links: every day
            objective.append(per_day * apart)
        else:
            beyond = model.new_int_var(0, scenario.horizon.days, f"{first_id}_{second_id}_far")
            model.add(beyond >= apart - within)
            objective.append(per_day * beyond)
    model.minimize(sum(objective))
    solver = configured_solver(seconds, 1, 0)
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    if status == cp_model.FEASIBLE or status == cp_model.UNKNOWN:
        return max(0, math.ceil(solver.best_objective_bound - 1e-6))
    return 0


def _priority(context: Context, activity_id: str) -> Priority:
    """An activity's priority."""
    scenario = context.scenario
    activity = scenario.meetings_by_id.get(activity_id) or scenario.action_days_by_id[activity_id]
    return activity.priority
