"""Constraint families, one module each, in the order the model adds them.

Every entry is ``add_<rule>(model, variables, context) -> penalties``; its
docstring opens with "Hard:" or "Soft:" and states the rule in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.solver.constraints.action_days import add_centre_rooms, add_centre_staff
from planner.solver.constraints.attendance import add_optional_attendance
from planner.solver.constraints.capacity import add_daily_capacity
from planner.solver.constraints.desks import add_desk_capacity
from planner.solver.constraints.interpreters import (
    add_interpreter_teams,
    add_interpreter_workload,
)
from planner.solver.constraints.links import add_linked_action_days, add_linked_meetings
from planner.solver.constraints.moves import add_moves
from planner.solver.constraints.order import add_meeting_order, add_preparation
from planner.solver.constraints.pins import add_pins
from planner.solver.constraints.rooms import add_meeting_rooms, add_room_conflicts
from planner.solver.constraints.stretch import add_stretch
from planner.solver.constraints.time import add_lateness, add_meeting_dates
from planner.solver.constraints.unscheduled import add_critical, add_unscheduled
from planner.solver.variables import Context, Penalties, Variables

ConstraintBuilder = Callable[[cp_model.CpModel, Variables, Context], Penalties]

CONSTRAINTS: tuple[ConstraintBuilder, ...] = (
    add_meeting_dates,
    add_optional_attendance,
    add_meeting_rooms,
    add_centre_rooms,
    add_room_conflicts,
    add_interpreter_teams,
    add_interpreter_workload,
    add_desk_capacity,
    add_centre_staff,
    add_daily_capacity,
    add_meeting_order,
    add_preparation,
    add_pins,
    add_critical,
    add_unscheduled,
    add_lateness,
    add_stretch,
    add_linked_action_days,
    add_linked_meetings,
    add_moves,
)
"""Every rule family of SPEC 2.1-2.3, hard rules first."""
