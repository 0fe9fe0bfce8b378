"""A first plan in steps, for models whose optional participants hide it.

Proving that a full desk excuses an absent optional participant takes a witness
instant and a literal for each other activity of its party that could fill the desk
(docs/rules.md). With hundreds of optional participants these are most of the model,
and CP-SAT may find no first plan in the time given. Then the first plan is built in
two steps, and the whole model searched from it:

1. the timetable: the model in which those participants stay absent, without
   witnesses; its plan keeps every other rule;
2. the attendance: the whole model with that timetable fixed (which activities are
   held, when, on which date, in which room), deciding who attends and proving each
   excuse. A participant step 1 left absent can attend unless its desk is full, and
   then the full desk is its excuse, so step 2 finds a plan whenever step 1 did. It is
   small: each meeting has one start left;
3. the whole model, searched from that plan for the rest of the time; the plan of
   step 2 is the answer when this search finds nothing better (see :mod:`planner.solve`).
"""

from __future__ import annotations

import time
from dataclasses import replace

from planner.solver import cp_model
from planner.solver.model import PlanningModel, build_model
from planner.solver.parts import add_plan_hint, timetable_held
from planner.solver.plan import Plan, read_plan
from planner.solver.run import Interrupt, configured_solver
from planner.solver.variables import Context

STEPS_FROM = 400
"""Optional participants from which the first plan is built in steps: below, CP-SAT
finds one in the whole model within seconds (see BENCHMARKS.md, meeting scheduling)."""

STEP_SHARE = 0.8
"""Of the time left, the share each of the two steps may take at the most."""


def wants_steps(context: Context) -> bool:
    return sum(len(options.optional) for options in context.meetings.values()) >= STEPS_FROM


def first_plan_in_steps(
    planning: PlanningModel,
    deadline: float,
    workers: int | None,
    seed: int,
    interrupt: Interrupt,
) -> Plan | None:
    """Build a first plan of ``planning`` in steps and hint the model with it; ``None``
    (and no hint) when a step finds nothing in its time. The plan keeps every rule: step
    2 is the whole model, with fewer choices."""
    context = planning.context
    timetable = build_model(replace(context, timetable_first=True))
    solver = _first_solution_solver(deadline, workers, seed)
    if interrupt.run(solver, timetable.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    held = read_plan(timetable.variables, solver.value)
    attendance = build_model(timetable_held(context, held))
    solver = _first_solution_solver(deadline, workers, seed)
    if interrupt.run(solver, attendance.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan = read_plan(attendance.variables, solver.value)
    add_plan_hint(planning, plan)
    return plan


def _first_solution_solver(deadline: float, workers: int | None, seed: int) -> cp_model.CpSolver:
    solver = configured_solver(STEP_SHARE * (deadline - time.monotonic()), workers, seed)
    solver.parameters.stop_after_first_solution = True
    return solver
