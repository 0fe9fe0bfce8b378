"""Action days: a centre room or a virtual centre, and the centre staff pool (SPEC 2.2).

An action day has one literal per possible date; on the chosen date its centre takes
exactly one of the centre rooms free for the whole span, or runs virtually where
``virtual: allowed`` (the ``virtual_centre`` cost). The centre spans are fixed per
date (set-up before the first operation to the end of the last, in host minutes), so
each date's centre is an optional fixed-size interval, and the staff pool is one
cumulative over them. The checker's reading is ``planner/check/action_days.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables


def add_centre_rooms(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: a held action day's centre has one room with the ``coordination_centre``
    feature for its whole span, or runs virtually where ``virtual: allowed``.

    Soft: a virtual centre costs ``virtual_centre``.
    """
    weight = context.scenario.objective.virtual_centre
    penalties: Penalties = []
    for action_day in variables.action_days.values():
        for centre in action_day.options.dates:
            choices = [action_day.room[centre.date, r] for r in centre.rooms]
            virtual = action_day.virtual.get(centre.date)
            if virtual is not None:
                choices.append(virtual)
                if weight:
                    penalties.append(("virtual_centre", weight * virtual))
            model.add(sum(choices) == action_day.on_date[centre.date])
    return penalties


def add_centre_staff(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: at any moment the centres open (virtual ones too) need at most
    ``coordination_centre.staff`` agency staff together."""
    intervals: list[cp_model.IntervalVar] = []
    demands: list[int] = []
    for action_day in variables.action_days.values():
        staff = action_day.options.action_day.staff
        if staff:
            intervals.extend(action_day.centre.values())
            demands.extend([staff] * len(action_day.centre))
    if sum(demands) > context.scenario.coordination_centre.staff:
        model.add_cumulative(intervals, demands, context.scenario.coordination_centre.staff)
    return []
