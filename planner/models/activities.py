"""What is planned: cases, their coordination meetings and action days (SPEC 2 ``cases``,
``meetings``, ``action_days``; rules in 2.1-2.2, defaults in 2.8).

Each model checks its own invariants (a party listed once per meeting, a country once
per action day, a pin that pins something); references between them (a meeting's
case, an ``after`` meeting) are checked by the scenario as a whole.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from planner.models.types import Date, DateTime, Duration, TimeOfDay
from planner.models.values import (
    Count,
    Crime,
    Frozen,
    Identifier,
    Language,
    PositiveDuration,
    Priority,
    Timezone,
)


class Case(Frozen):
    """An investigation the agency coordinates: a node of the country–case graph (SPEC 2.4)."""

    id: Identifier = Field(description="The case's id, unique among cases. Required.")
    title: str | None = Field(None, description="A title for people. Default none.")
    crime: Crime = Field(
        description="The crime area: `fraud`, `money_laundering`, `corruption`, `pif`, "
        "`drug_trafficking`, `thb`, `cybercrime`, `migrant_smuggling`, `mocg`, `terrorism`, "
        "`core_international`, `environmental`, `ip_crime` or `other`. Required."
    )
    countries: list[str] = Field(
        min_length=1,
        description="The codes of the parties involved, at least one. Required.",
    )
    entities: list[str] = Field(
        [],
        description="Identifiers of the case, written `kind:value` (`iban:ES91 2100 0418`, "
        "`company:Acme Trading BV`); cases sharing one are linked (`links.detect: "
        "entities`), compared without case, spaces or punctuation. Default none.",
    )
    linked: list[str] = Field(
        [],
        description="Ids of cases declared linked to this one (either direction). Default none.",
    )

    @field_validator("entities")
    @classmethod
    def _entities_identify_something(cls, entities: list[str]) -> list[str]:
        """Refuse an entity without letters or digits: after normalising it would link every
        case that has one.
        """
        for entity in entities:
            value = entity.split(":", 1)[-1]
            if not any(character.isalnum() for character in value):
                raise ValueError(
                    f"entity {entity!r} has no letters or digits to compare "
                    "(write it as kind:value, e.g. iban:ES91 2100 0418)"
                )
        return entities


class Participant(Frozen):
    """A party invited to a meeting (SPEC 2.1 "Time zones", "Optional participants")."""

    country: str = Field(description="The party's code (a country or organisation). Required.")
    attendance: Literal["in_person", "video"] = Field(
        "in_person",
        description="`in_person` (seated in the room) or `video` (the room needs "
        "`videoconference`). Default `in_person`.",
    )
    delegates: Count = Field(
        1,
        ge=1,
        description="People the party sends; in person, each takes a seat. Default 1.",
    )
    language: Language | None = Field(
        None,
        description="The language the party speaks, ISO 639-1, when it is not the "
        "meeting's `working_language`: it then needs interpreters. Default: the working "
        "language.",
    )
    required: bool = Field(
        True,
        description="`false`: the party attends when it can; an absence costs "
        "`objective.optional_absent`. Default `true`.",
    )
    timezone: Timezone | None = Field(
        None,
        description="The IANA zone the delegation joins from, for its working hours and "
        "local dates. Default: its country's.",
    )


class Predecessor(Frozen):
    """An ``after`` or ``prepared_by`` entry: another meeting that must end ``gap`` before."""

    meeting: str = Field(description="The id of the meeting that comes first. Required.")
    gap: Duration = Field(
        0,
        description="The least time between that meeting's end and this activity's start "
        "(an action day: its centre's opening). A duration; default `0m`.",
    )


class Pin(Frozen):
    """What of a meeting is fixed before planning (SPEC 2.1 "Pinned"): any of its start,
    its host date and its room; at least one."""

    start: DateTime | None = Field(
        None,
        description="The start, ISO 8601 (`2026-12-01T15:00`; without an offset: host "
        "time), on a slot boundary. Default: not pinned.",
    )
    date: Date | None = Field(None, description="The host date, `YYYY-MM-DD`. Default: not pinned.")
    room: str | None = Field(None, description="The id of the room. Default: not pinned.")

    @model_validator(mode="after")
    def _something_pinned(self) -> Pin:
        """Refuse a pin that pins nothing."""
        if self.start is None and self.date is None and self.room is None:
            raise ValueError("pin at least one of start, date, room")
        return self


class Window(Frozen):
    """Fields shared by meetings and action days: the id, the case, the dates allowed."""

    id: Identifier = Field(
        description="The activity's id, unique among meetings and action days. Required."
    )
    case: str = Field(description="The id of the activity's case. Required.")
    title: str | None = Field(None, description="A title for people. Default none.")
    earliest: Date | None = Field(
        None,
        description="The first host date the activity may take, `YYYY-MM-DD`. Default: "
        "the horizon's start.",
    )
    latest: Date | None = Field(
        None,
        description="The last host date the activity may take (a meeting must end by the "
        "end of it), `YYYY-MM-DD`. Default: the horizon's end.",
    )


class Meeting(Window):
    """A coordination meeting: one block of time in one room (SPEC 2.1)."""

    duration: PositiveDuration = Field(
        description="How long the meeting lasts, at most a day (`2h`, `90m`). Required."
    )
    participants: list[Participant] = Field(
        min_length=1,
        description="The parties invited, each listed once (use `delegates` for more "
        "people). Required.",
    )
    working_language: Language = Field(
        "en",
        description="The language the meeting is held in, ISO 639-1. Default `en`.",
    )
    preferred: Date | None = Field(
        None,
        description="The host date the meeting would best take; each day later costs "
        "`objective.lateness_per_day`. Default none.",
    )
    priority: Priority = Field(
        "normal",
        description="`critical` (must be held), `high`, `normal` or `low`. Default `normal`.",
    )
    after: list[Predecessor] = Field(
        [],
        description="Meetings this one follows, each with its least gap; if one is not "
        "held, neither is this one. Default none.",
    )
    pinned: Pin | None = Field(
        None,
        description="The start, host date or room fixed before planning. Default: nothing pinned.",
    )

    @field_validator("participants")
    @classmethod
    def _one_entry_per_country(cls, participants: list[Participant]) -> list[Participant]:
        """Refuse a party listed twice (``delegates`` counts its people)."""
        seen: set[str] = set()
        for participant in participants:
            if participant.country in seen:
                raise ValueError(
                    f"{participant.country} is listed twice; list a party once "
                    "(use delegates for more people)"
                )
            seen.add(participant.country)
        return participants

    @property
    def required(self) -> list[Participant]:
        """The participants that must attend, in the order written."""
        return [p for p in self.participants if p.required]

    @property
    def optional(self) -> list[Participant]:
        """The participants that attend when they can (``required: false``), in order."""
        return [p for p in self.participants if not p.required]


class ActionDay(Window):
    """An action day: simultaneous operations in several countries, followed from a
    coordination centre at the agency (SPEC 2.2)."""

    countries: list[str] = Field(
        min_length=1,
        description="The codes of the parties that operate, each once. Required.",
    )
    local_start: TimeOfDay = Field(
        6 * 60,
        description='When operations start in each country, its local time, `"HH:MM"`. '
        'Default `"06:00"`.',
    )
    duration: PositiveDuration = Field(
        10 * 60,
        description="How long operations last in each country, elapsed time, at most a "
        "day. Default `10h`.",
    )
    staff: Count = Field(
        2,
        description="Agency staff the centre needs from `coordination_centre.staff`. Default 2.",
    )
    prepared_by: list[Predecessor] = Field(
        [],
        description="Meetings that must end, each at least its gap, before the centre "
        "opens; if one is not held, neither is the action day. Default none.",
    )
    virtual: Literal["allowed", "never"] = Field(
        "allowed",
        description="`allowed`: the centre may run without a room, at "
        "`objective.virtual_centre`; `never`: it needs a `coordination_centre` room. "
        "Default `allowed`.",
    )
    weekend: bool = Field(
        False,
        description="`true`: any date of the window will do, weekends and holidays "
        "included. Default `false`.",
    )
    priority: Priority = Field(
        "high",
        description="`critical` (must be held), `high`, `normal` or `low`. Default `high`.",
    )

    @field_validator("countries")
    @classmethod
    def _distinct(cls, countries: list[str]) -> list[str]:
        """Refuse a country listed twice."""
        if len(set(countries)) != len(countries):
            raise ValueError("a country is listed twice")
        return countries
