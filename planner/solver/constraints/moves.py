"""Moves: what changing a published plan costs (SPEC 2.7, see planner/solver/kept.py).

A held activity that the baseline placed pays ``move.date``, ``move.time`` (a meeting)
and ``move.room`` for each that changed; one left out pays its unscheduled weight only
(SPEC 2.3 v1.2). The time of day compares host clock times, so a meeting moved to
another date at the same hour pays the date only. The checker's reading is
``planner/check/baseline.py``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables


def add_moves(model: cp_model.CpModel, variables: Variables, context: Context) -> Penalties:
    """Soft: each activity a baseline placed that still exists costs ``move.date``,
    ``move.time`` and ``move.room`` for each of its host date, time of day and room that
    changed (an action day: date and room). An activity left out costs no move: its
    ``unscheduled`` weight only (SPEC 2.3)."""
    move = context.scenario.objective.move
    penalties: Penalties = []
    for meeting_id, meeting in variables.meetings.items():
        kept = context.kept.get(meeting_id)
        if kept is None:
            continue
        same_date = meeting.on_date.get(kept.date, 0)
        same_room = meeting.room.get(kept.room, 0) if kept.room is not None else 0
        on_time: cp_model.IntVar | int = 0
        if kept.same_clock:
            on_time = model.new_bool_var(f"M{meeting.options.index}_same_time")
            model.add_implication(on_time, meeting.present)
            model.add_linear_expression_in_domain(
                meeting.start, cp_model.Domain.from_values(sorted(kept.same_clock))
            ).only_enforce_if(on_time)
            other = [s for s in meeting.options.starts if s not in kept.same_clock]
            if other:  # held at another time of day: exactly then is it a move
                model.add_linear_expression_in_domain(
                    meeting.start, cp_model.Domain.from_values(other)
                ).only_enforce_if([meeting.present, on_time.Not()])
            else:
                model.add_implication(meeting.present, on_time)
        penalties.append(
            (
                "moves",
                move.date * (meeting.present - same_date)
                + move.time * (meeting.present - on_time)
                + move.room * (meeting.present - same_room),
            )
        )
    for action_day_id, action_day in variables.action_days.items():
        kept = context.kept.get(action_day_id)
        if kept is None:
            continue
        same_date = action_day.on_date.get(kept.date, 0)
        if kept.room is None:
            same_room = sum(action_day.virtual.values())
        else:
            same_room = sum(
                literal for (_, room), literal in action_day.room.items() if room == kept.room
            )
        present = action_day.present
        penalties.append(
            ("moves", move.date * (present - same_date) + move.room * (present - same_room))
        )
    return penalties
