"""Building the CP-SAT model of a scenario (STYLE: one entry, one registry).

:func:`build_context` reads what every model of a scenario shares: its time grid,
the options of each activity (:mod:`planner.solver.options`), the clusters of linked
cases and, with a baseline, where each activity was (:mod:`planner.solver.kept`).
:func:`build_model` creates the variables (:mod:`planner.solver.variables`), adds each
constraint family of the registry (:mod:`planner.solver.constraints`) in order, and
sets the objective on its two levels (:mod:`planner.solver.objective`,
:mod:`planner.solver.levels`). A part of the search builds the same model over a
sub-context (:func:`planner.solver.parts.sub_context`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.links import CaseGraph, build_case_graph
from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.solver.constraints import CONSTRAINTS
from planner.solver.kept import kept_from
from planner.solver.levels import ObjectiveWeights, kept_placeable, objective_weights
from planner.solver.objective import collect_terms, set_objective
from planner.solver.options import build_options, room_classes
from planner.solver.variables import Context, Penalties, Variables, create_variables
from planner.timegrid import TimeGrid


@dataclass
class PlanningModel:
    """A built model with its variables and its objective terms."""

    model: cp_model.CpModel
    variables: Variables
    context: Context
    terms: dict[str, cp_model.LinearExprT]
    weights: ObjectiveWeights
    """The weights of the objective's levels (see :mod:`planner.solver.levels`)."""


def build_context(
    scenario: Scenario, case_graph: CaseGraph | None = None, baseline: Baseline | None = None
) -> Context:
    """Compute the time grid, every activity's options, the clusters of linked cases and,
    with a baseline, where each activity was (the rooms it names are then booked each
    on its own, so that a change of room is seen)."""
    grid = TimeGrid(scenario)
    keep = _baseline_rooms(baseline)
    meetings, action_days, blocked = build_options(scenario, grid, keep)
    case_graph = case_graph or build_case_graph(scenario)
    kept = kept_from(baseline, scenario, grid, meetings, action_days) if baseline else {}
    return Context(
        scenario,
        grid,
        meetings,
        action_days,
        blocked,
        room_classes(scenario, keep),
        dict(case_graph.cluster_of),
        kept=kept,
    )


def _baseline_rooms(baseline: Baseline | None) -> frozenset[str]:
    """The rooms a baseline names: booked each on its own, so that a change of room is
    seen (SPEC 2.7)."""
    if baseline is None:
        return frozenset()
    rooms = {m.room for m in baseline.meetings} | {a.room for a in baseline.action_days if a.room}
    return frozenset(rooms)


def build_model(context: Context) -> PlanningModel:
    """Create the variables, add every constraint family and set the objective."""
    model = cp_model.CpModel()
    variables = create_variables(model, context)
    penalties: Penalties = []
    for add_rule in CONSTRAINTS:
        penalties.extend(add_rule(model, variables, context))
    terms = collect_terms(penalties)
    weights = objective_weights(context)
    presence = {
        **{a: v.present for a, v in variables.meetings.items()},
        **{a: v.present for a, v in variables.action_days.items()},
    }
    dropped = sum(1 - presence[a] for a in kept_placeable(context))
    set_objective(model, terms, dropped, weights)
    return PlanningModel(model, variables, context, terms, weights)
