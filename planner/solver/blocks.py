"""Solving a long horizon in blocks of time, then improving across their seams.

One model of a whole year is too slow to search: every propagation runs over a
year of intervals. But no meeting's window is longer than a few weeks, so the
year falls apart into blocks of time by window start (:func:`block_days`). Blocks are
solved in order; activities already placed on the dates a block can reach take
part in its model exactly as placed (time, room class, interpreters, who attends).
Each activity goes to a block no earlier than those of the meetings it follows
or is prepared by, and the action days of one cluster of linked cases share
their block, so that ``same_day`` links are decided together.

Then the plan is improved where it costs most: a block and its neighbours are
freed and re-solved from the current plan (large-neighbourhood search), and the
change is kept when the whole plan gets better (see :mod:`planner.solve`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import networkx as nx

from planner.solver.parts import (
    DateRange,
    activity_window,
    dates_around,
    solve_part,
    sub_context,
)
from planner.solver.plan import (
    Plan,
    activity_date,
    evaluate,
    left_out_weight,
    link_costs,
    linked_action_day_pairs,
    linked_meeting_pairs,
    must_hold,
    own_costs,
    placeable_bound,
    relaxation_bound,
)
from planner.solver.run import MIN_SOLVE_SECONDS, Interrupt, configured_solver
from planner.solver.variables import Context

BLOCK_DAYS = 28
"""The longest block: activities whose windows start within it are solved together."""

ACTIVITIES_PER_BLOCK = 25
"""About how many activities one block's model holds: it is solved in about a second."""


def block_days(context: Context) -> int:
    """Block length: four weeks, shorter when the year is busier (two days at the least)."""
    placeable = len(context.meetings) + len(context.action_days)
    per_block = placeable * BLOCK_DAYS / context.scenario.horizon.days
    return max(2, min(BLOCK_DAYS, int(BLOCK_DAYS * ACTIVITIES_PER_BLOCK / max(per_block, 1))))


def block_of(context: Context, days: int) -> dict[str, int]:
    """The block of every placeable activity.

    Activities whose costs or order depend on each other (``after``, ``prepared_by``,
    linked cases) form one group and share a block: the block in which the first of
    them may start. Then no cost and no order crosses two blocks, which is what makes
    the blocks' own optima a lower bound for the whole (see :mod:`planner.solve`).
    """
    scenario = context.scenario
    start = scenario.horizon.start
    group = nx.Graph()
    group.add_nodes_from([*context.meetings, *context.action_days])
    for meeting_id, options in context.meetings.items():
        for predecessor in options.meeting.after:
            if predecessor.meeting in context.meetings:
                group.add_edge(meeting_id, predecessor.meeting)
    for action_day_id, day_options in context.action_days.items():
        for predecessor in day_options.action_day.prepared_by:
            if predecessor.meeting in context.meetings:
                group.add_edge(action_day_id, predecessor.meeting)
    group.add_edges_from(linked_action_day_pairs(context))
    group.add_edges_from(linked_meeting_pairs(context))
    blocks = {}
    for members in nx.connected_components(group):
        first = min(activity_window(context, a)[0] for a in members)
        for member in members:
            blocks[member] = (first - start).days // days
    return blocks


def in_blocks(context: Context) -> bool:
    """Whether a scenario is solved in blocks of time rather than as one model: a horizon
    longer than two blocks with more activities than one model searches quickly."""
    placeable = len(context.meetings) + len(context.action_days)
    return context.scenario.horizon.days > 2 * BLOCK_DAYS and placeable > MAX_ONE_MODEL


MAX_ONE_MODEL = 150
"""Placeable activities up to which a long horizon is still solved as one model."""


Report = Callable[[int | None, int], None]
"""Told the objective of the plan so far (``None`` before there is one) and the bound."""


def solve_in_blocks(
    context: Context,
    deadline: float,
    workers: int | None,
    seed: int,
    interrupt: Interrupt,
    report: Report,
) -> tuple[Plan, int] | None:
    """Solve a long horizon in blocks, in four passes.

    1. Each block alone, without the others: no cost or order crosses blocks, so the sum
       of the blocks' proven bounds is a lower bound for the whole plan. Blocks not
       proven optimal get the time this pass has left, widest gap first.
    2. Block after block, each against the blocks before it (fixed), starting from the
       first pass's plans and kept near their dates: a plan that keeps every rule across
       blocks.
    3. Repair: what the blocks left out, inserted into the plan; then, in rounds, the
       activity (or linked pair) that costs most above what it cost in its block alone,
       re-solved alone, then with the activities on the dates it could move to.
    4. While time lasts, pairs of neighbouring blocks re-solved together.

    Each change is kept only when the whole plan gets better. Returns the plan and its
    proven lower bound, or ``None`` when a block with an activity that must be held
    finds no plan.
    """
    search = _BlockSearch(context, deadline, workers, seed, interrupt, report)
    search.bound_pass()
    if not search.plan_pass():
        return None
    search.insert_left_out()
    search.repair()
    search.sweep()
    return search.plan, min(search.objective, search.bound)


class _BlockSearch:
    """The state of :func:`solve_in_blocks`: blocks, bounds, the plan and the clock."""

    def __init__(
        self,
        context: Context,
        deadline: float,
        workers: int | None,
        seed: int,
        interrupt: Interrupt,
        report: Report,
    ) -> None:
        self.context = context
        self.deadline = deadline
        self.workers = workers
        self.seed = seed
        self.interrupt = interrupt
        self.report = report
        self.blocks = block_of(context, block_days(context))
        self.order = sorted(set(self.blocks.values()))
        self.members = {
            block: {a for a, b in self.blocks.items() if b == block} for block in self.order
        }
        self.bound = left_out_weight(context)
        self.alone: Plan = {}
        self.plan: Plan = {}
        self.objective = 0

    # ---- time and parts -------------------------------------------------------------

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def budget(self, share: float, block: int) -> float:
        """A block's share of the time left, by its size among the blocks still to go."""
        still = sum(len(self.members[b]) for b in self.order[self.order.index(block) :])
        return max(MIN_SOLVE_SECONDS, share * self.left() * len(self.members[block]) / still)

    def solve(
        self, free: set[str], limit: float, near: dict[str, DateRange] | None = None
    ) -> Plan | None:
        """Re-solve ``free`` against the plan, from the plan; the new plan or ``None``."""
        solver = configured_solver(limit, self.workers, self.seed)
        return solve_part(
            self.context, free, self.plan, solver, self.interrupt.run, self.plan, near=near
        ).plan

    def keep_if_better(self, candidate: Plan | None) -> bool:
        if candidate is None:
            return False
        value = sum(evaluate(self.context, candidate).values())
        if value >= self.objective:
            return False
        self.plan, self.objective = candidate, value
        self.report(value, self.bound)
        return True

    def done(self) -> bool:
        return (
            self.objective <= self.bound
            or self.interrupt.requested
            or self.left() < MIN_SOLVE_SECONDS
        )

    # ---- the passes -----------------------------------------------------------------

    def bound_pass(self) -> None:
        context = self.context
        ends = time.monotonic() + BOUND_SHARE * self.left()
        bounds: dict[int, int] = {}
        for block in self.order:
            solver = configured_solver(self.budget(BOUND_SHARE, block), self.workers, self.seed)
            part = solve_part(context, self.members[block], {}, solver, self.interrupt.run, {})
            self.alone.update(part.plan or {})
            # a part's own relaxation holds too, when the search proved less
            relaxed = placeable_bound(sub_context(context, self.members[block], {}))
            bounds[block] = max(part.bound or 0, relaxed)
            self.report(None, self.bound + sum(bounds.values()))
        # blocks not proven optimal get the time the pass has left, widest gap first
        alone_costs = self._block_costs(self.alone)
        gaps = {b: alone_costs[b] - bounds[b] for b in self.order}
        unproven = sorted((b for b in self.order if gaps[b] > 0), key=lambda b: -gaps[b])
        for position, block in enumerate(unproven):
            limit = (ends - time.monotonic()) / (len(unproven) - position)
            if limit < MIN_SOLVE_SECONDS or self.interrupt.requested:
                break
            solver = configured_solver(limit, self.workers, self.seed)
            part = solve_part(
                context, self.members[block], {}, solver, self.interrupt.run, self.alone
            )
            if part.plan is not None:
                kept = {a: p for a, p in self.alone.items() if a not in self.members[block]}
                candidate = {**kept, **part.plan}
                if self._block_costs(candidate)[block] < self._block_costs(self.alone)[block]:
                    self.alone = candidate
            bounds[block] = max(bounds[block], part.bound or 0)
        self.bound = max(self.bound + sum(bounds.values()), relaxation_bound(context))
        self.report(None, self.bound)

    def _block_costs(self, plan: Plan) -> dict[int, int]:
        """What each block's activities cost in a plan (a link within its block)."""
        costs = dict.fromkeys(self.order, 0)
        for targets, cost in _costs_by_target(self.context, plan).items():
            if targets[0] in self.blocks:  # not those that can never be placed
                costs[self.blocks[targets[0]]] += cost
        return costs

    def plan_pass(self) -> bool:
        for block in self.order:
            members = self.members[block]
            hint = {**self.alone, **self.plan}
            around = dates_around(self.context, self.alone, members)
            solved = None
            for attempt, near in ((1, around), (2, None)):  # then anywhere in their windows
                solver = configured_solver(
                    attempt * self.budget(PLAN_SHARE, block), self.workers, self.seed
                )
                solved = solve_part(
                    self.context, members, self.plan, solver, self.interrupt.run, hint, near=near
                ).plan
                if solved is not None:
                    break
            if solved is None:
                if any(must_hold(self.context, a) for a in members):
                    return False
                continue  # its activities stay out; the repair may still place them
            self.plan = solved
        self.objective = sum(evaluate(self.context, self.plan).values())
        self.report(self.objective, self.bound)
        return True

    def insert_left_out(self) -> None:
        left_out = set(self.blocks) - self.plan.keys()
        if left_out and not self.done():
            self.keep_if_better(self.solve(left_out, min(self.left(), MAX_INSERT_SECONDS)))

    def repair(self) -> None:
        # like with like: an activity's own cost, a linked pair's link cost
        alone_costs = _costs_by_target(self.context, self.alone)
        tried: set[tuple[str, ...]] = set()
        widths = list(REPAIR_WIDTHS)
        improved_in_round = False
        while not self.done():
            excess = {
                targets: cost - alone_costs.get(targets, 0)
                for targets, cost in _costs_by_target(self.context, self.plan).items()
                if targets not in tried and cost > alone_costs.get(targets, 0)
            }
            if not excess:
                widths.pop(0)  # every target tried: let the others move further
                if not widths:
                    if not improved_in_round:
                        return
                    widths, improved_in_round = list(REPAIR_WIDTHS), False
                tried.clear()
                continue
            worst = max(excess, key=lambda targets: (excess[targets], targets))
            tried.add(worst)
            # first the target alone against the plan as it is, then with more around it
            free = _neighbourhood(self.context, self.plan, worst) if widths[0] else set(worst)
            around = dates_around(self.context, self.plan, free - set(worst), widths[0])
            if self.keep_if_better(self.solve(free, min(self.left(), MAX_REPAIR_SECONDS), around)):
                tried.clear()
                improved_in_round = True

    def sweep(self) -> None:
        """Pairs of neighbouring blocks re-solved together, those costing most above their
        blocks alone first, until a whole round brings nothing."""
        pairs = list(zip(self.order, self.order[1:], strict=False))
        untried = list(pairs)
        while untried and not self.done():
            excess = self._block_excess()
            first, second = max(
                untried, key=lambda pair: (excess[pair[0]] + excess[pair[1]], -pair[0])
            )
            untried.remove((first, second))
            free = self.members[first] | self.members[second]
            around = dates_around(self.context, self.plan, free, SWEEP_DAYS)
            if self.keep_if_better(self.solve(free, min(self.left(), MAX_REPAIR_SECONDS), around)):
                untried = list(pairs)

    def _block_excess(self) -> dict[int, int]:
        """By block, what its activities cost in the plan above what they cost alone."""
        alone = _activity_costs(self.context, self.alone)
        excess = dict.fromkeys(self.order, 0)
        for activity, cost in _activity_costs(self.context, self.plan).items():
            if activity in self.blocks:  # not those that can never be placed
                excess[self.blocks[activity]] += cost - alone.get(activity, 0)
        return excess


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
MAX_REPAIR_SECONDS = 5.0
MAX_INSERT_SECONDS = 20.0
REPAIR_WIDTHS = (0, 3, 7, 28)
"""How many days the activities around a repaired one may move, widened in turn (0: they
stay as they are)."""
SWEEP_DAYS = 7
"""How far the activities of two neighbouring blocks may move when swept together."""
