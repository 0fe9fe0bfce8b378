"""A proven lower bound for a long horizon: its blocks of time, each solved alone.

One model of a whole year is too slow to search, but no activity's window is longer
than a few weeks, so the year falls apart into blocks of time by window start
(:func:`block_days`). Activities whose costs or order depend on each other (``after``,
``prepared_by``, linked cases) share a block, so no cost and no order crosses two
blocks: each block's optimum alone, without the other blocks competing for rooms,
desks and interpreters, is a lower bound of what its activities cost in any plan, and
these bounds add up. The blocks' plans alone also show the search
(:mod:`planner.solver.lns`) where each block's activities would like to be.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import networkx as nx

from planner.solver.parts import activity_window, solve_part, sub_context
from planner.solver.plan import (
    Plan,
    link_costs,
    linked_action_day_pairs,
    linked_meeting_pairs,
    own_costs,
    placeable_bound,
)
from planner.solver.run import MIN_SOLVE_SECONDS, configured_solver
from planner.solver.variables import Context

if TYPE_CHECKING:
    from planner.solver.search import Search

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


def has_blocks(context: Context) -> bool:
    """Whether the horizon falls into more than one block."""
    return len(set(block_of(context, block_days(context)).values())) > 1


def blocks_alone(search: Search, share: float) -> tuple[dict[str, int], Plan, bool]:
    """Solve every block alone within ``share`` of the search's time left; raise the
    search's bound to the sum of the blocks' proven bounds.

    Each block first gets a part of the time by its size; the blocks not proven optimal
    then share what is left, widest gap first. Returns the block of every placeable
    activity, the blocks' plans alone (together, usually not one valid plan), and
    whether every block has one.
    """
    context = search.context
    blocks = block_of(context, block_days(context))
    order = sorted(set(blocks.values()))
    members = {block: {a for a, b in blocks.items() if b == block} for block in order}
    ends = time.monotonic() + share * search.left()
    base = search.bound - placeable_bound(context)  # what can never be placed
    # each block's own relaxation bound holds until its search proves more
    bounds = {block: placeable_bound(sub_context(context, members[block], {})) for block in order}
    solved: set[int] = set()
    alone: Plan = {}

    def budget(block: int) -> float:
        still = sum(len(members[b]) for b in order[order.index(block) :])
        left = ends - time.monotonic()
        return max(MIN_SOLVE_SECONDS, left * len(members[block]) / still)

    def solve_alone(block: int, limit: float, hint: Plan) -> int:
        solver = configured_solver(limit, search.workers, search.seed)
        part = solve_part(context, members[block], {}, solver, search.run_part, hint)
        if part.plan is not None:
            kept = {a: p for a, p in alone.items() if a not in members[block]}
            candidate = {**kept, **part.plan}
            if block not in solved or (
                _block_costs(context, blocks, candidate)[block]
                < _block_costs(context, blocks, alone)[block]
            ):
                alone.clear()
                alone.update(candidate)
        return part.bound or 0

    for block in order:
        if search.interrupt.requested or time.monotonic() >= ends:
            break
        bounds[block] = max(bounds[block], solve_alone(block, budget(block), {}))
        if members[block] & alone.keys():
            solved.add(block)
        search.raise_bound(base + sum(bounds.values()))
    costs = _block_costs(context, blocks, alone)
    unproven = sorted(
        (b for b in solved if costs[b] > bounds[b]), key=lambda b: (bounds[b] - costs[b], b)
    )
    for position, block in enumerate(unproven):
        limit = (ends - time.monotonic()) / (len(unproven) - position)
        if limit < MIN_SOLVE_SECONDS or search.interrupt.requested:
            break
        bounds[block] = max(bounds[block], solve_alone(block, limit, alone))
    search.raise_bound(base + sum(bounds.values()))
    return blocks, alone, len(solved) == len(order)


def _block_costs(context: Context, blocks: dict[str, int], plan: Plan) -> dict[int, int]:
    """What each block's activities cost in a plan (a link within its block)."""
    costs = dict.fromkeys(set(blocks.values()), 0)
    own = own_costs(context, plan)
    for activity, by_term in own.items():
        if activity in blocks:  # not those that can never be placed
            costs[blocks[activity]] += sum(by_term.values())
    for (first, _), cost in link_costs(context, plan).items():
        costs[blocks[first]] += cost
    return costs
