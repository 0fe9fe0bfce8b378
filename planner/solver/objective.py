"""The objective: the weighted penalty terms of SPEC 2.3, summed and minimised once."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from planner.models.schedule import TERM_NAMES
from planner.solver.variables import Penalties


def collect_terms(penalties: Penalties) -> dict[str, cp_model.LinearExprT]:
    """Sum the penalties of each term; every term of SPEC 2.3 is present (0 if none)."""
    grouped: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
    for name, expression in penalties:
        if name not in TERM_NAMES:
            raise ValueError(f"unknown objective term {name!r}")
        grouped[name].append(expression)
    return {name: sum(grouped[name]) if grouped[name] else 0 for name in TERM_NAMES}


def set_objective(model: cp_model.CpModel, terms: dict[str, cp_model.LinearExprT]) -> None:
    """Minimise the sum of all terms."""
    model.minimize(sum(terms.values()))
