"""Interpreters: teams per language, one assignment at a time, a daily cap."""

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
    at most ``max_per_day`` per host date."""
    scenario = context.scenario
    intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    # (interpreter, date) -> [(meeting, literals of its assignments)]
    by_day: dict[tuple[str, date], list[tuple[MeetingVars, list[cp_model.IntVar]]]] = defaultdict(
        list
    )
    for meeting in variables.meetings.values():
        i = meeting.options.index
        per_interpreter: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (language, interpreter_id), literal in meeting.interpreter.items():
            per_interpreter[interpreter_id].append(literal)
            intervals[interpreter_id].append(
                model.new_optional_fixed_size_interval_var(
                    meeting.start_minute,
                    meeting.options.duration,
                    literal,
                    f"M{i}_{language}_{interpreter_id}_work",
                )
            )
        for interpreter_id, literals in per_interpreter.items():
            for day in meeting.on_date:
                by_day[interpreter_id, day].append((meeting, literals))
    for interpreter_intervals in intervals.values():
        if len(interpreter_intervals) > 1:
            model.add_no_overlap(interpreter_intervals)
    for (interpreter_id, day), work in by_day.items():
        cap = scenario.interpreter_max_per_day(scenario.interpreters_by_id[interpreter_id])
        if sum(meeting.options.duration for meeting, _ in work) <= cap:
            continue
        minutes = []
        for meeting, literals in work:
            worked = model.new_bool_var(
                f"M{meeting.options.index}_{interpreter_id}_works_{day:%Y%m%d}"
            )
            for literal in literals:
                # assigned and on this date => counted on this date
                model.add_bool_or([worked, literal.Not(), meeting.on_date[day].Not()])
            minutes.append(meeting.options.duration * worked)
        model.add(sum(minutes) <= cap)
    return []
