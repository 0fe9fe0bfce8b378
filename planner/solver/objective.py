"""The objective: the weighted penalty terms of SPEC 2.3 on two levels, minimised once."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.models.schedule import TERM_NAMES
from planner.models.score import PLACEMENT_TERMS
from planner.solver.levels import ObjectiveWeights
from planner.solver.variables import Penalties


def collect_terms(penalties: Penalties) -> dict[str, cp_model.LinearExprT]:
    """Sum the penalties of each term; every term of SPEC 2.3 is present (0 if none)."""
    grouped: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
    for name, expression in penalties:
        if name not in TERM_NAMES:
            raise ValueError(f"unknown objective term {name!r}")
        grouped[name].append(expression)
    return {name: sum(grouped[name]) if grouped[name] else 0 for name in TERM_NAMES}


def set_objective(
    model: cp_model.CpModel,
    terms: dict[str, cp_model.LinearExprT],
    dropped: cp_model.LinearExprT,
    weights: ObjectiveWeights,
) -> None:
    """Minimise placement, then preference, then the published activities ``dropped``
    (see :mod:`planner.solver.levels`)."""
    weighted = [
        (weights.placement if name in PLACEMENT_TERMS else weights.preference, terms[name])
        for name in TERM_NAMES
    ]
    model.minimize(sum([weight * term for weight, term in weighted] + [dropped]))
