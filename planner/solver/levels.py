"""The two levels of the objective in one CP-SAT model (SPEC 2.3, v1.2).

A model minimises ``Wp * placement + Wq * preference + dropped``, where ``dropped``
counts the published activities (a baseline's, :mod:`planner.solver.kept`) left out.
``Wq`` is larger than the most ``dropped`` can be, and ``Wp`` larger than the most
``Wq * preference + dropped`` can be (:func:`preference_ceiling`), so the model's
optimum is lexicographic: placement first, then preference, and among plans equal on
both, the one that keeps the most of the published plan (a re-plan never swaps a
published meeting for a new one of the same weight and cost). This is proven, not
tuned: the ceiling is a sum of the largest value each term can take, read from the
options. Without a baseline, ``Wq`` is 1.

A bound ``B`` of such a model's objective splits into a bound of each level
(:meth:`ObjectiveWeights.split_bound`): placement is at least ``floor(B / Wp)``; and a
plan whose placement is at most ``p`` has preference at least
``(B - Wp * p - most dropped) / Wq``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from planner.models.score import Score
from planner.solver.plan import costed_pairs, linked_cost, start_costs
from planner.solver.variables import Context


@dataclass(frozen=True)
class ObjectiveWeights:
    """The weights of one model's objective (see the module)."""

    placement: int
    preference: int
    most_dropped: int
    """The most published activities the model can leave out."""

    def decode(self, objective: int) -> tuple[Score, int]:
        """The score and the published activities dropped of a model's objective value
        (placement counted from the model's own activities)."""
        placement, rest = divmod(objective, self.placement)
        preference, dropped = divmod(rest, self.preference)
        return Score(placement, preference), dropped

    def split_bound(self, bound: int, placement: int) -> Score:
        """The least placement, and the least preference of a plan whose placement is
        at most ``placement``, from a bound ``bound`` of the objective."""
        rest = bound - self.placement * placement - self.most_dropped
        return Score(max(0, bound // self.placement), max(0, math.ceil(rest / self.preference)))


def objective_weights(context: Context) -> ObjectiveWeights:
    """The weights of this context's model: see the module."""
    most_dropped = len(kept_placeable(context))
    preference = most_dropped + 1
    placement = preference * preference_ceiling(context) + most_dropped + 1
    return ObjectiveWeights(placement, preference, most_dropped)


def kept_placeable(context: Context) -> list[str]:
    """The published activities (a baseline's) that this context's model places or
    leaves out: those it can drop."""
    return [a for a in [*context.meetings, *context.action_days] if a in context.kept]


def preference_ceiling(context: Context) -> int:
    """The most preference a plan of this context's model can cost: each placeable
    activity at its dearest start, every optional participant absent or stretched at
    the most, every move made, and each linked pair at its dates farthest apart."""
    objective = context.scenario.objective
    stretch = objective.stretch_per_15m if context.scenario.defaults.stretch else 0
    ceiling = 0
    dates: dict[str, list[date]] = {}
    for meeting_id, options in context.meetings.items():
        dearest_optional = sum(
            max(
                objective.optional_absent,
                stretch * max(optional.stretch_steps.values(), default=0),
            )
            for optional in options.optional
        )
        room_move = objective.move.room if meeting_id in context.kept else 0
        ceiling += max(start_costs(context, options).values()) + dearest_optional + room_move
        dates[meeting_id] = sorted(options.dates)
    for action_day_id, day_options in context.action_days.items():
        ceiling += objective.virtual_centre
        if action_day_id in context.kept:
            ceiling += objective.move.date + objective.move.room
        dates[action_day_id] = sorted(c.date for c in day_options.dates)
    for pair in costed_pairs(context):
        first, second = (dates[a] for a in pair)
        farthest = max((second[-1] - first[0]).days, (first[-1] - second[0]).days, 0)
        ceiling += linked_cost(context, pair, farthest)
    return ceiling
