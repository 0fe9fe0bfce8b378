"""Proven bounds for a long horizon: its blocks of time, each solved alone.

One model of a whole year is too slow to search, but no activity's window is longer
than a few weeks, so the year falls apart into blocks of time by window start
(:func:`block_days`). Activities whose costs or order depend on each other (``after``,
``prepared_by``, linked cases) share a block, so no cost and no order crosses two
blocks: each block's optimum alone, without the other blocks competing for rooms,
desks and interpreters, bounds what its activities cost in any plan, and the blocks'
bounds add up (:meth:`BlockBounds.bound`). The blocks' plans alone also show the
search (:mod:`planner.solver.lns`) where each block's activities would like to be.

Blocks are solved one at a time, between the steps of the search
(:mod:`planner.solver.search`), so that proving never holds the plan back.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from planner.models.score import Score
from planner.solver.bounds import Relaxation
from planner.solver.levels import ObjectiveWeights
from planner.solver.parts import activity_window, solve_part
from planner.solver.plan import (
    Plan,
    link_costs,
    linked_action_day_pairs,
    linked_meeting_pairs,
    own_costs,
)
from planner.solver.run import Runner, configured_solver
from planner.solver.state import BoundSource
from planner.solver.variables import Context

BLOCK_DAYS = 28
"""The longest block: activities whose windows start within it are solved together."""

ACTIVITIES_PER_BLOCK = 25
"""About how many activities one block's model holds: it is solved in about a second."""

MAX_TRIES = 3
"""How often one block is solved alone before it is left as it is."""


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
    the blocks' own optima a lower bound for the whole.
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


@dataclass(frozen=True)
class BlockProof:
    """What solving one block alone proved: a bound of its model's objective over the
    block's own placement and preference (see :mod:`planner.solver.levels`), and
    whether its plan alone reached it."""

    objective_bound: int
    weights: ObjectiveWeights
    optimal: bool

    @property
    def placement(self) -> int:
        """The least placement of the block's activities in any plan."""
        return self.weights.split_bound(self.objective_bound, 0).placement


class BlockBounds(BoundSource):
    """The blocks of a long horizon, the bounds proven by solving them alone, and
    their plans alone."""

    def __init__(self, context: Context, relaxation: Relaxation) -> None:
        """The blocks of a context, none solved yet; ``relaxation`` bounds each block
        until solving it proves more."""
        self.context = context
        self.relaxation = relaxation
        self.block_of = block_of(context, block_days(context))
        self.order = sorted(set(self.block_of.values()))
        self.members: dict[int, set[str]] = {block: set() for block in self.order}
        for activity_id, block in self.block_of.items():
            self.members[block].add(activity_id)
        self.proofs: dict[int, BlockProof] = {}
        self.tries = dict.fromkeys(self.order, 0)
        self.alone: Plan = {}
        """Each solved block's best plan alone (together, usually not one valid plan)."""
        self._alone_scores: dict[int, Score] = {}

    def next_block(self) -> int | None:
        """The block to solve next: those never solved in time order, then those not
        proven, the fewest tries and then the widest gap first; ``None`` when none is
        left."""
        unsolved = [b for b in self.order if b not in self.proofs and self.tries[b] < MAX_TRIES]
        if unsolved:
            return unsolved[0]
        open_blocks = [
            b for b in self.order if not self.proofs[b].optimal and self.tries[b] < MAX_TRIES
        ]
        if not open_blocks:
            return None
        return min(open_blocks, key=lambda b: (self.tries[b], -self._gap(b), b))

    def _gap(self, block: int) -> int:
        """How far a block's best plan alone is above its proven bound, in its model's
        objective (0 before it has one)."""
        proof = self.proofs[block]
        score = self._alone_scores.get(block)
        if score is None:
            return 0
        weights = proof.weights
        found = weights.placement * score.placement + weights.preference * score.preference
        return found - proof.objective_bound

    def solve(
        self, block: int, seconds: float, workers: int | None, seed: int, run: Runner
    ) -> None:
        """Solve one block alone for ``seconds``, from its best plan alone; keep what it
        proves and its plan when better."""
        self.tries[block] += 1
        members = self.members[block]
        solver = configured_solver(seconds, workers, seed)
        part = solve_part(self.context, members, {}, solver, run, self.alone)
        if part.plan is None or part.objective_bound is None:
            return
        proof = BlockProof(part.objective_bound, part.weights, part.optimal)
        previous = self.proofs.get(block)
        if previous is None or proof.objective_bound >= previous.objective_bound:
            self.proofs[block] = proof
        score = _score_of(self.context, members, part.plan)
        if block not in self._alone_scores or score < self._alone_scores[block]:
            self._alone_scores[block] = score
            for activity_id in members:
                self.alone.pop(activity_id, None)
            self.alone.update(part.plan)

    def bound(self, placement: int) -> Score:
        """The sum over blocks of what each proves (or the relaxation of its activities,
        when more): a plan whose placement is at most ``placement`` leaves each block no
        more than ``placement`` above the least of all blocks but its own."""
        least = self.relaxation.least_placement
        proven = {b: p.placement for b, p in self.proofs.items()}
        least_placeable = sum(proven.values())
        slack_beyond = max(0, placement - least - least_placeable)
        total_preference = 0
        for block in self.order:
            block_slack = slack_beyond + proven.get(block, 0)
            preference = self.relaxation.preference(block_slack, self.members[block])
            proof = self.proofs.get(block)
            if proof is not None:
                split = proof.weights.split_bound(proof.objective_bound, block_slack)
                preference = max(preference, split.preference)
            total_preference += preference
        return Score(least + least_placeable, total_preference)


def _score_of(context: Context, members: set[str], plan: Plan) -> Score:
    """What the ``members`` cost in ``plan`` (a link within the block)."""
    terms: dict[str, int] = {}
    for activity_id, by_term in own_costs(context, plan).items():
        if activity_id in members:
            for term, amount in by_term.items():
                terms[term] = terms.get(term, 0) + amount
    links = sum(cost for (first, _), cost in link_costs(context, plan).items() if first in members)
    terms["link_spread"] = terms.get("link_spread", 0) + links
    return Score.of(terms)
