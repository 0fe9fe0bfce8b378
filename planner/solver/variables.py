"""The decision variables: one small container per activity.

Variables are created only for options that survived the filters of
:mod:`planner.solver.options`, so every literal here can be true. Names follow
``M{i}_...`` for meetings and ``A{i}_...`` for action days so that solver logs
are readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ortools.sat.python import cp_model

from planner.models.scenario import Scenario
from planner.solver.kept import Kept
from planner.solver.options import ActionDayOptions, Blocked, MeetingOptions
from planner.timegrid import TimeGrid

Literal = cp_model.IntVar


@dataclass(frozen=True)
class Follower:
    """An activity that must start ``gap`` after a meeting ends (``after``,
    ``prepared_by``)."""

    activity: str
    gap: int


@dataclass
class Context:
    """Everything constraint builders read: the scenario, its time grid, the options."""

    scenario: Scenario
    grid: TimeGrid
    meetings: dict[str, MeetingOptions]
    action_days: dict[str, ActionDayOptions]
    blocked: dict[str, Blocked]
    room_classes: dict[str, list[str]]
    """Interchangeable rooms, booked as one class (see :func:`room_classes`)."""
    cluster_of: dict[str, int] = field(default_factory=dict)
    """Linked investigations: the cluster index of each case in one (SPEC 2.4)."""
    fixed: set[str] = field(default_factory=set)
    """Activities held as an earlier part of a solve in blocks placed them (their
    options hold just that placement)."""
    frozen: set[str] = field(default_factory=set)
    """Activities a re-plan froze (see :mod:`planner.solver.freeze`): their ``after`` and
    ``prepared_by`` are history, not rules for the plan."""
    verbatim: set[str] = field(default_factory=set)
    """Frozen activities kept as the baseline wrote them and not modelled: neither in
    the plan nor left out, they cost nothing here."""
    kept: dict[str, Kept] = field(default_factory=dict)
    """Where a baseline had each activity that still exists: moving it costs (SPEC 2.7)."""
    held_elsewhere: dict[str, int] = field(default_factory=dict)
    """Meetings held outside this model, with their end minute: predecessors of
    activities in it."""
    explain: bool = False
    """Build for explaining infeasibility: critical and pinned activities are required
    through assumption literals instead of hard constraints."""
    assumptions: list[tuple[cp_model.IntVar, str, str]] = field(default_factory=list)
    """``(literal, rule, activity id)`` of each assumption made when explaining."""

    @cached_property
    def followers(self) -> dict[str, list[Follower]]:
        """By meeting, the activities of the scenario that follow it or that it prepares."""
        found: dict[str, list[Follower]] = {}
        for meeting in self.scenario.meetings:
            for predecessor in meeting.after:
                found.setdefault(predecessor.meeting, []).append(
                    Follower(meeting.id, predecessor.gap)
                )
        for action_day in self.scenario.action_days:
            for predecessor in action_day.prepared_by:
                found.setdefault(predecessor.meeting, []).append(
                    Follower(action_day.id, predecessor.gap)
                )
        return found


@dataclass
class MeetingVars:
    """The variables of one meeting: held or not, its start, date, room, who attends and
    which interpreters work."""

    options: MeetingOptions
    present: Literal
    start: cp_model.IntVar
    """Start slot."""
    start_minute: cp_model.LinearExpr
    """Start in minutes from the origin: ``granularity * start``."""
    interval: cp_model.IntervalVar
    """``[start, end)`` in minutes, present when the meeting is held."""
    on_date: dict[date, Literal]
    day: cp_model.IntVar
    """The held meeting's day number in the horizon (free when not held)."""
    room: dict[str, Literal]
    attend: dict[int, Literal]
    """Optional participants (by position) that can attend; the others never do."""
    interpreter: dict[tuple[str, str], Literal] = field(default_factory=dict)
    """``(language, interpreter id)`` assignments."""

    @property
    def end_minute(self) -> cp_model.LinearExpr:
        """The end in minutes from the origin: start plus the meeting's duration."""
        return self.start_minute + self.options.duration


@dataclass
class ActionDayVars:
    """The variables of one action day: held or not, its date, its centre's room or a
    virtual centre."""

    options: ActionDayOptions
    present: Literal
    on_date: dict[date, Literal]
    day: cp_model.IntVar
    """The held action day's day number in the horizon (free when not held)."""
    centre: dict[date, cp_model.IntervalVar]
    """The centre span of each possible date, present when that date is chosen."""
    room: dict[tuple[date, str], Literal]
    virtual: dict[date, Literal]


@dataclass
class Variables:
    """The variables of every placeable activity of one model, by activity id."""

    meetings: dict[str, MeetingVars]
    action_days: dict[str, ActionDayVars]


def _date_literals(
    model: cp_model.CpModel, prefix: str, days: list[date], present: Literal
) -> dict[date, Literal]:
    """One literal per possible date, exactly one of them true when the activity is held
    (a single date is ``present`` itself)."""
    if len(days) == 1:
        return {days[0]: present}
    literals = {day: model.new_bool_var(f"{prefix}_on_{day:%Y%m%d}") for day in days}
    model.add_exactly_one([*literals.values(), present.Not()])
    return literals


def _day_number(
    model: cp_model.CpModel, context: Context, prefix: str, on_date: dict[date, Literal]
) -> cp_model.IntVar:
    """An integer equal to the chosen date's number in the horizon when held."""
    first = context.scenario.horizon.start
    numbers = {day: (day - first).days for day in on_date}
    day = model.new_int_var_from_domain(
        cp_model.Domain.from_values(sorted(numbers.values())), f"{prefix}_day"
    )
    for each, literal in on_date.items():
        model.add(day == numbers[each]).only_enforce_if(literal)
    return day


def create_variables(model: cp_model.CpModel, context: Context) -> Variables:
    """Create the variables of every placeable activity."""
    g = context.grid.granularity
    meetings = {}
    for meeting_id, options in context.meetings.items():
        i = options.index
        present = model.new_bool_var(f"M{i}_present")
        start = model.new_int_var_from_domain(
            cp_model.Domain.from_values(options.starts), f"M{i}_start"
        )
        start_minute = start * g
        interval = model.new_optional_fixed_size_interval_var(
            start_minute, options.duration, present, f"M{i}_interval"
        )
        on_date = _date_literals(model, f"M{i}", sorted(options.dates), present)
        day = _day_number(model, context, f"M{i}", on_date)
        room = {r: model.new_bool_var(f"M{i}_room_{r}") for r in options.rooms}
        attend = {
            o.index: model.new_bool_var(f"M{i}_attend_{o.participant.country}")
            for o in options.optional
            if o.starts
        }
        variables = MeetingVars(
            options, present, start, start_minute, interval, on_date, day, room, attend
        )
        for need in options.languages:
            for interpreter_id in need.interpreters:
                variables.interpreter[need.language, interpreter_id] = model.new_bool_var(
                    f"M{i}_{need.language}_{interpreter_id}"
                )
        meetings[meeting_id] = variables

    action_days = {}
    for action_day_id, day_options in context.action_days.items():
        i = day_options.index
        present = model.new_bool_var(f"A{i}_present")
        days = [c.date for c in day_options.dates]
        on_date = _date_literals(model, f"A{i}", days, present)
        day = _day_number(model, context, f"A{i}", on_date)
        centre = {
            c.date: model.new_optional_fixed_size_interval_var(
                c.open, c.close - c.open, on_date[c.date], f"A{i}_centre_{c.date:%Y%m%d}"
            )
            for c in day_options.dates
        }
        centre_room = {
            (c.date, r): model.new_bool_var(f"A{i}_{c.date:%Y%m%d}_room_{r}")
            for c in day_options.dates
            for r in c.rooms
        }
        virtual = {
            c.date: model.new_bool_var(f"A{i}_{c.date:%Y%m%d}_virtual")
            for c in day_options.dates
            if c.virtual
        }
        action_days[action_day_id] = ActionDayVars(
            day_options, present, on_date, day, centre, centre_room, virtual
        )
    return Variables(meetings, action_days)


Penalties = list[tuple[str, cp_model.LinearExprT]]
"""Named, weighted penalty expressions returned by soft rules (term name, expression)."""
