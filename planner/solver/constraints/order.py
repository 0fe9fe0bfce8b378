"""Order: meetings that must follow other meetings, and preparatory meetings (SPEC 2.1, 2.2).

A follower is held only if its predecessor is, and starts ``gap`` after the
predecessor's end (an action day: its centre opens then). Predecessors held outside a
part of the search are known by their end (:attr:`Context.held_elsewhere`). The
checker's reading is ``planner/check/order.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.models.scenario import Predecessor
from planner.solver.variables import Context, Penalties, Variables


def add_meeting_order(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: a meeting with ``after: [{meeting, gap}]`` is held only if the other is, and
    starts at least ``gap`` after the other ends."""
    for meeting_id, meeting in variables.meetings.items():
        if meeting_id in context.frozen:
            continue  # it has started: what it follows is history
        for predecessor in meeting.options.meeting.after:
            other = variables.meetings.get(predecessor.meeting)
            if other is None:
                _after_elsewhere(model, context, meeting.present, meeting.start_minute, predecessor)
                continue
            model.add_implication(meeting.present, other.present)
            model.add(meeting.start_minute >= other.end_minute + predecessor.gap).only_enforce_if(
                meeting.present
            )
    return []


def add_preparation(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Hard: an action day is held only if its ``prepared_by`` meetings are, and each ends
    at least ``gap`` before the centre opens."""
    for action_day_id, action_day in variables.action_days.items():
        if action_day_id in context.frozen:
            continue
        for predecessor in action_day.options.action_day.prepared_by:
            meeting = variables.meetings.get(predecessor.meeting)
            if meeting is None:
                for centre in action_day.options.dates:
                    _after_elsewhere(
                        model, context, action_day.on_date[centre.date], centre.open, predecessor
                    )
                continue
            model.add_implication(action_day.present, meeting.present)
            for centre in action_day.options.dates:
                model.add(meeting.end_minute + predecessor.gap <= centre.open).only_enforce_if(
                    action_day.on_date[centre.date]
                )
    return []


def _after_elsewhere(
    model: cp_model.CpModel,
    context: Context,
    held: cp_model.IntVar,
    start: cp_model.LinearExprT,
    predecessor: Predecessor,
) -> None:
    """Order against a meeting outside the model: held elsewhere (its end is known), or
    not held at all (then neither is the follower)."""
    end = context.held_elsewhere.get(predecessor.meeting)
    if end is None:
        model.add(held == 0)
    else:
        model.add(start >= end + predecessor.gap).only_enforce_if(held)
