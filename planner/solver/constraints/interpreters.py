"""Interpreters: teams per language, one assignment at a time, a daily cap (SPEC 2.1).

A literal per (language, candidate interpreter) of each meeting; a language that a
required participant speaks needs a full team whenever the meeting is held, one that
only optional participants speak whenever one of them attends. An interpreter serves
one language of one meeting at a time (a no-overlap over their assignments) and at
most ``max_per_day`` minutes per host date. The checker's reading is
``planner/check/interpreters.py``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from planner.solver.variables import Context, MeetingVars, Penalties, Variables


def _language_needed(
    model: cp_model.CpModel,
    meeting: MeetingVars,
    language: str,
    required: bool,
    optional: list[int],
) -> cp_model.IntVar | int:
    """The literal 'interpreting for ``language`` is needed', or a constant."""
    if required:
        return meeting.present
    attends = [meeting.attend[j] for j in optional if j in meeting.attend]
    if not attends:
        return 0
    if len(attends) == 1:
        return attends[0]
    needed = model.new_bool_var(f"M{meeting.options.index}_needs_{language}")
    model.add_max_equality(needed, attends)
    return needed


def add_interpreter_teams(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard: each language of an attending participant other than the working language
    has exactly its team (1, or 2 above ``solo_max``) of interpreters who know both, each
    inside their hours and clear of their unavailable windows."""
    for meeting in variables.meetings.values():
        for need in meeting.options.languages:
            needed = _language_needed(
                model, meeting, need.language, need.required, need.optional_indices
            )
            team = [meeting.interpreter[need.language, it] for it in need.interpreters]
            model.add(sum(team) == need.team * needed)
            for interpreter_id, starts in need.interpreters.items():
                if starts is not None:
                    model.add_linear_expression_in_domain(
                        meeting.start, cp_model.Domain.from_values(sorted(starts))
                    ).only_enforce_if(meeting.interpreter[need.language, interpreter_id])
    return []


def add_interpreter_workload(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard: an interpreter serves one language of one meeting at a time and interprets
    at most ``max_per_day`` per host date.

    The daily cap is a cumulative over days: each assignment is one day long, starts at
    the meeting's day number and weighs the meeting's duration.
    """
    scenario = context.scenario
    intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    days: dict[str, list[tuple[MeetingVars, cp_model.IntVar]]] = defaultdict(list)
    load: dict[tuple[str, date], int] = defaultdict(int)
    for meeting in variables.meetings.values():
        i = meeting.options.index
        for (language, interpreter_id), literal in meeting.interpreter.items():
            intervals[interpreter_id].append(
                model.new_optional_fixed_size_interval_var(
                    meeting.start_minute,
                    meeting.options.duration,
                    literal,
                    f"M{i}_{language}_{interpreter_id}_work",
                )
            )
            days[interpreter_id].append((meeting, literal))
            for day in meeting.on_date:
                load[interpreter_id, day] += meeting.options.duration
    for interpreter_intervals in intervals.values():
        if len(interpreter_intervals) > 1:
            model.add_no_overlap(interpreter_intervals)
    for interpreter_id, work in days.items():
        cap = scenario.interpreter_max_per_day(scenario.interpreters_by_id[interpreter_id])
        if all(load[interpreter_id, day] <= cap for meeting, _ in work for day in meeting.on_date):
            continue
        model.add_cumulative(
            [
                model.new_optional_fixed_size_interval_var(
                    meeting.day, 1, literal, f"M{meeting.options.index}_{interpreter_id}_day"
                )
                for meeting, literal in work
            ],
            [meeting.options.duration for meeting, _ in work],
            cap,
        )
    return []
