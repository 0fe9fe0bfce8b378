"""The scenario: everything planner needs to know to plan (``planner.scenario/1``, SPEC 2).

:class:`Scenario` is the root of the frozen models of a scenario file: the settings
(:mod:`planner.models.settings`), the parties, rooms and interpreters
(:mod:`planner.models.resources`) and the cases, meetings and action days
(:mod:`planner.models.activities`), with the defaults of SPEC 2.8. Each model checks
its own invariants; the scenario checks what no part can see alone (SPEC 2.5): the
ids and codes it refers to (:func:`planner.models.references.reference_problems`, on
the plain data) and, on validated values, self-references, windows, cycles in
``after``, durations no window can hold and pins off the slot grid
(:func:`scenario_problems`). Every offender is named at once.

The names of the parts are importable from here too, as they always were.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

import networkx as nx
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from planner.models.activities import (
    ActionDay,
    Case,
    Meeting,
    Participant,
    Pin,
    Predecessor,
    Window,
)
from planner.models.catalogue import CATALOGUE
from planner.models.problems import Problem
from planner.models.references import reference_problems
from planner.models.resources import CountryEntry, Interpreter, Party, Room
from planner.models.settings import (
    CoordinationCentre,
    Defaults,
    Horizon,
    Host,
    Interpretation,
    Links,
    MoveWeights,
    Objective,
    UnscheduledWeights,
)
from planner.models.types import Duration, HourRange, format_duration
from planner.models.values import (
    BOOTHS,
    CENTRE,
    GRANULARITIES,
    SCHEMA,
    VIDEOCONFERENCE,
    Frozen,
    Priority,
    Unavailable,
)

__all__ = [
    "BOOTHS",
    "CENTRE",
    "LOCATED",
    "SCHEMA",
    "VIDEOCONFERENCE",
    "ActionDay",
    "Case",
    "CoordinationCentre",
    "CountryEntry",
    "Defaults",
    "Horizon",
    "Host",
    "Interpretation",
    "Interpreter",
    "Links",
    "Meeting",
    "MoveWeights",
    "Objective",
    "Participant",
    "Party",
    "Pin",
    "Predecessor",
    "Priority",
    "Room",
    "Scenario",
    "Unavailable",
    "UnscheduledWeights",
    "Window",
    "scenario_problems",
    "whole_scenario_problems",
]

LOCATED = "located"
"""Validation context key of the loader, which checks cross-references itself, every
problem with its line (:func:`planner.loading.parse_scenario`)."""


class Scenario(Frozen):
    """A whole scenario: validated as a whole, cross-references included.

    Every way to a scenario validates it whole: the loader (every problem located in
    the file), :meth:`model_validate` and :meth:`model_copy`, which builds a new scenario
    from the changed data, so that no lookup of the old one survives a change.

    The lookups below are computed once. The last five methods read a rule for the
    solver (a window, a cap, a team size, a zone); the independent checker reads the
    same rules from the data itself, never through them (``docs/architecture.md``).
    """

    schema_: Literal["planner.scenario/1"] = Field(
        alias="schema",
        description="The format of the file: always `planner.scenario/1`. Required.",
    )
    name: str = Field("", description="A name for people, shown on plans. Default empty.")
    host: Host = Field(
        Host(),
        description="The agency: `{country: NL, timezone: Europe/Amsterdam, hours: "
        '"08:00-19:00", holidays: auto}` by default.',
    )
    horizon: Horizon = Field(
        description="The host dates planned, `{start: YYYY-MM-DD, end: YYYY-MM-DD}`, both "
        "included, at most three years. Required."
    )
    granularity: Duration = Field(
        15,
        description="The slot size: meetings start on slot boundaries counted from 00:00 "
        "host time on the horizon's first date. One of `5m`, `10m`, `15m`, `30m`, `60m`; "
        "default `15m`.",
    )
    defaults: Defaults = Field(
        Defaults(),
        description="Working hours, stretch, desk capacity, room buffer and host staff "
        "that apply unless a party says otherwise.",
    )
    interpretation: Interpretation = Field(
        Interpretation(),
        description="When a meeting needs a team of two interpreters per language, and "
        "the default daily cap per interpreter.",
    )
    coordination_centre: CoordinationCentre = Field(
        CoordinationCentre(),
        description="The staff pool and set-up time of action days' centres.",
    )
    links: Links = Field(
        Links(),
        description="How linked cases are found and their activities planned together.",
    )
    objective: Objective = Field(
        Objective(), description="The integer weights of the objective's terms."
    )
    countries: list[CountryEntry] = Field(
        [],
        description="Overrides of catalogue parties (zone, hours, holidays, days away, "
        "desk capacity) and new parties. Default none.",
    )
    rooms: list[Room] = Field([], description="The agency's rooms. Default none.")
    interpreters: list[Interpreter] = Field(
        [], description="The agency's interpreters. Default none."
    )
    cases: list[Case] = Field([], description="The investigations. Default none.")
    meetings: list[Meeting] = Field(
        [], description="The coordination meetings to plan. Default none."
    )
    action_days: list[ActionDay] = Field([], description="The action days to plan. Default none.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("granularity")
    @classmethod
    def _supported_granularity(cls, minutes: int) -> int:
        """Refuse a slot size other than :data:`GRANULARITIES`."""
        if minutes not in GRANULARITIES:
            raise ValueError(
                f"granularity must be one of {', '.join(f'{g}m' for g in GRANULARITIES)}"
            )
        return minutes

    @model_validator(mode="after")
    def _references_hold(self, info: ValidationInfo) -> Scenario:
        """Check what the parts cannot see alone (:func:`whole_scenario_problems`), unless the
        loader does it itself, each problem with its line (:data:`LOCATED`).
        """
        if info.context and info.context.get(LOCATED):
            return self  # the loader checks them, each problem with its line
        problems = whole_scenario_problems(self)
        if problems:
            raise ValueError("; ".join(str(problem) for problem in problems))
        return self

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Scenario:
        """Return a changed scenario: the data with ``update`` applied, validated anew.

        Parameters
        ----------
        update
            Top-level keys and their new values, as a scenario file writes them.
        deep
            Ignored: the new scenario is built from plain data, sharing nothing.

        Raises
        ------
        pydantic.ValidationError
            When the changed scenario breaks a rule of SPEC 2.5.
        """
        data = self.model_dump(by_alias=True, exclude_defaults=True)
        data.update(update or {})
        return Scenario.model_validate(data)

    # ---- lookups, computed once --------------------------------------------------

    @cached_property
    def parties(self) -> dict[str, Party]:
        """Every party by code: the catalogue with the scenario's overrides and additions,
        each field defaulted as SPEC 2.8 says ("country")."""
        entries = {entry.code: entry for entry in self.countries}
        parties: dict[str, Party] = {}
        for code in sorted(set(CATALOGUE) | set(entries)):
            base = CATALOGUE.get(code)
            entry = entries.get(code)
            if base is None and (entry is None or entry.timezone is None):
                continue  # a new party without a zone is reported by the loader
            is_organisation = base.is_organisation if base else False
            holidays = entry.holidays if entry and entry.holidays else None
            parties[code] = Party(
                code=code,
                name=(entry and entry.name) or (base.name if base else code),
                timezone=(entry and entry.timezone) or (base.timezone if base else "UTC"),
                language=(entry and entry.language) or (base.language if base else "en"),
                working_hours=(entry and entry.working_hours) or self.defaults.working_hours,
                holidays=(holidays or ("none" if is_organisation else "auto")) == "auto",
                unavailable=tuple(entry.unavailable) if entry else (),
                desk_capacity=(entry and entry.desk_capacity) or self.defaults.desk_capacity,
                is_organisation=is_organisation,
            )
        return parties

    @cached_property
    def rooms_by_id(self) -> dict[str, Room]:
        """Every room by id."""
        return {room.id: room for room in self.rooms}

    @cached_property
    def interpreters_by_id(self) -> dict[str, Interpreter]:
        """Every interpreter by id."""
        return {interpreter.id: interpreter for interpreter in self.interpreters}

    @cached_property
    def cases_by_id(self) -> dict[str, Case]:
        """Every case by id."""
        return {case.id: case for case in self.cases}

    @cached_property
    def meetings_by_id(self) -> dict[str, Meeting]:
        """Every meeting by id."""
        return {meeting.id: meeting for meeting in self.meetings}

    @cached_property
    def action_days_by_id(self) -> dict[str, ActionDay]:
        """Every action day by id."""
        return {action_day.id: action_day for action_day in self.action_days}

    # ---- rule readings for the solver (the checker reads them itself) ------------

    def window_of(self, activity: Window) -> tuple[date, date]:
        """Return an activity's ``[earliest, latest]`` host dates clipped to the horizon
        (SPEC 2.1 "Time", 2.2)."""
        first = max(activity.earliest or self.horizon.start, self.horizon.start)
        last = min(activity.latest or self.horizon.end, self.horizon.end)
        return first, last

    def interpreter_max_per_day(self, interpreter: Interpreter) -> int:
        """Return an interpreter's cap of interpreting minutes per host date: their own,
        else ``interpretation.max_per_day`` (SPEC 2.1 "Interpreters")."""
        return interpreter.max_per_day or self.interpretation.max_per_day

    def interpreter_hours(self, interpreter: Interpreter) -> HourRange:
        """Return an interpreter's working hours in host time: their own, else the
        host's (SPEC 2.8 "interpreter")."""
        return interpreter.hours or self.host.hours

    def interpreters_needed(self, meeting: Meeting) -> int:
        """Return the interpreters per language a meeting needs: a team of two above
        ``solo_max`` (SPEC 2.1 "Interpreters")."""
        return 1 if meeting.duration <= self.interpretation.solo_max else 2

    def participant_timezone(self, participant: Participant) -> str:
        """Return the zone a participant's hours and dates are read in: its own, else its
        country's (SPEC 2.1 "Time zones")."""
        return participant.timezone or self.parties[participant.country].timezone


# ---- what the parts cannot see alone (SPEC 2.5) ------------------------------------


def whole_scenario_problems(scenario: Scenario) -> list[Problem]:
    """Return every problem of a validated scenario that its parts cannot see alone.

    Returns
    -------
    list of Problem
        Unknown ids and codes and duplicates (:func:`reference_problems` on the dumped
        data), then :func:`scenario_problems`; empty when the scenario holds together.
    """
    data = scenario.model_dump(by_alias=True, exclude_defaults=True)
    return [*reference_problems(data), *scenario_problems(scenario)]


def scenario_problems(scenario: Scenario) -> list[Problem]:
    """Return the problems that need validated values (SPEC 2.5).

    Returns
    -------
    list of Problem
        Self-references, ``earliest`` after ``latest``, cycles in ``after``, durations
        no window can hold, and pins off their date or the slot grid, each located.
    """
    return [
        *_self_references(scenario),
        *_window_order(scenario),
        *_after_cycles(scenario),
        *_impossible_durations(scenario),
        *_pin_alignment(scenario),
    ]


def _self_references(scenario: Scenario) -> list[Problem]:
    """Return a case linked to itself and a meeting after itself."""
    problems = []
    for i, case in enumerate(scenario.cases):
        for j, other in enumerate(case.linked):
            if other == case.id:
                problems.append(Problem(("cases", i, "linked", j), "a case cannot link to itself"))
    for i, meeting in enumerate(scenario.meetings):
        for j, predecessor in enumerate(meeting.after):
            if predecessor.meeting == meeting.id:
                problems.append(
                    Problem(
                        ("meetings", i, "after", j, "meeting"), "a meeting cannot follow itself"
                    )
                )
    return problems


def _window_order(scenario: Scenario) -> list[Problem]:
    """Return every activity whose ``latest`` comes before its ``earliest``."""
    problems = []
    blocks = (("meetings", scenario.meetings), ("action_days", scenario.action_days))
    for block, activities in blocks:
        for i, activity in enumerate(activities):
            if activity.earliest and activity.latest and activity.earliest > activity.latest:
                problems.append(
                    Problem(
                        (block, i, "latest"),
                        f"latest {activity.latest} is before earliest {activity.earliest}",
                    )
                )
    return problems


def _after_cycles(scenario: Scenario) -> list[Problem]:
    """Return every cycle of meetings that wait for each other through ``after``."""
    graph = nx.DiGraph()
    index = {meeting.id: i for i, meeting in enumerate(scenario.meetings)}
    for meeting in scenario.meetings:
        for predecessor in meeting.after:
            if predecessor.meeting in index and predecessor.meeting != meeting.id:
                graph.add_edge(predecessor.meeting, meeting.id)
    problems = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = sorted(component, key=index.__getitem__)
            problems.append(
                Problem(
                    ("meetings", index[cycle[0]], "after"),
                    "meetings wait for each other in a cycle: " + " -> ".join(cycle),
                )
            )
    return problems


def _impossible_durations(scenario: Scenario) -> list[Problem]:
    """Meetings longer than the host's hours, or than a required participant's working
    hours widened by the stretch on both sides: no placement could ever hold them."""
    problems = []
    host_hours = scenario.host.hours
    stretch = scenario.defaults.stretch
    widened = f" with {format_duration(stretch)} stretch" if stretch else ""
    for i, meeting in enumerate(scenario.meetings):
        limits = [(host_hours.minutes, f"host hours {host_hours}")]
        for participant in meeting.required:
            party = scenario.parties.get(participant.country)
            if party is not None:  # an unknown code is reported elsewhere
                hours = party.working_hours
                limits.append((hours.minutes + 2 * stretch, f"{party.code} hours {hours}{widened}"))
        longest, why = min(limits, key=lambda limit: limit[0])
        if meeting.duration > longest:
            problems.append(
                Problem(
                    ("meetings", i, "duration"),
                    f"{format_duration(meeting.duration)} is longer than any possible window: "
                    f"{why} allow at most {format_duration(longest)}",
                )
            )
    return problems


def _pin_alignment(scenario: Scenario) -> list[Problem]:
    """Return every pinned start off its pinned date (in host time) or off the slot grid."""
    problems = []
    host_zone = ZoneInfo(scenario.host.timezone)
    for i, meeting in enumerate(scenario.meetings):
        start = meeting.pinned.start if meeting.pinned else None
        if start is None:
            continue
        local = start.replace(tzinfo=host_zone) if start.tzinfo is None else start
        host_time = local.astimezone(host_zone)
        pinned_date = meeting.pinned.date if meeting.pinned else None
        if pinned_date is not None and host_time.date() != pinned_date:
            problems.append(
                Problem(
                    ("meetings", i, "pinned", "date"),
                    f"pinned start {start.isoformat()} is on host date {host_time.date()}, "
                    f"not on the pinned date {pinned_date}",
                )
            )
        minute = host_time.hour * 60 + host_time.minute
        if host_time.second or host_time.microsecond or minute % scenario.granularity:
            problems.append(
                Problem(
                    ("meetings", i, "pinned", "start"),
                    f"{start.isoformat()} is not on a {scenario.granularity}-minute slot boundary",
                )
            )
    return problems
