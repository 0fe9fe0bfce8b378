"""Who and what the plan draws on: parties (countries and organisations), rooms and
interpreters (SPEC 2 ``countries``, ``rooms``, ``interpreters``; defaults in 2.8).

A :class:`CountryEntry` is what a scenario file says about a party; a :class:`Party`
is that party as the scenario sees it, the built-in catalogue merged with the entry
and the scenario's defaults (see :attr:`planner.models.scenario.Scenario.parties`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from planner.models.types import HourRange, Hours
from planner.models.values import (
    CALENDARS_DESCRIPTION,
    CalendarPaths,
    Count,
    Feature,
    Frozen,
    Identifier,
    Language,
    PositiveDuration,
    Timezone,
    Unavailable,
    UnavailableEntry,
)


class CountryEntry(Frozen):
    """An override of a catalogue party, or a new party (which then needs a timezone)."""

    code: Identifier = Field(
        description="The party's code: an ISO 3166-1 alpha-2 country code (`PT`), an "
        "organisation of the catalogue (`EUROPOL`) or a new party's own code. Required."
    )
    name: str | None = Field(None, description="The party's name. Default: the catalogue's.")
    timezone: Timezone | None = Field(
        None,
        description="The party's IANA time zone, in which its hours, dates and "
        "`unavailable` windows are read. Default: the catalogue's (its capital's); a new "
        "party must give one.",
    )
    language: Language | None = Field(
        None,
        description="The party's main language, ISO 639-1. Default: the catalogue's.",
    )
    working_hours: Hours | None = Field(
        None,
        description="The party's working hours, local time, Monday to Friday, "
        '`"HH:MM-HH:MM"`. Default: `defaults.working_hours`.',
    )
    holidays: Literal["auto", "none"] | None = Field(
        None,
        description="`auto`: the party does not work on its country's public holidays "
        "(the `holidays` library); `none`: it has none. Default `auto` for countries, "
        "`none` for organisations.",
    )
    unavailable: list[UnavailableEntry] = Field(
        [],
        description="Dates (`2026-12-03`) or hours of dates (`{date: 2026-12-02, hours: "
        '"13:00-17:00"}`) when the party takes part in nothing, in its own local time. '
        "Default none.",
    )
    unavailable_ics: CalendarPaths = Field([], description=CALENDARS_DESCRIPTION)
    desk_capacity: Count | None = Field(
        None,
        ge=1,
        description="How many activities the party's desk attends at once. Default: "
        "`defaults.desk_capacity`.",
    )


class Room(Frozen):
    """A room of the agency: meeting room or coordination-centre room (SPEC 2.1, 2.2)."""

    id: Identifier = Field(description="The room's id, unique among rooms. Required.")
    capacity: Count = Field(
        description="Seats: a meeting needs `defaults.host_staff` plus every in-person "
        "delegate invited. Required."
    )
    features: list[Feature] = Field(
        [],
        description="What the room offers: `videoconference`, `interpretation_booths`, "
        "`coordination_centre`, `secure_line`. Default none.",
    )
    unavailable: list[UnavailableEntry] = Field(
        [],
        description="Dates or hours of dates (host time) when the room cannot be used. "
        "Default none.",
    )
    unavailable_ics: CalendarPaths = Field([], description=CALENDARS_DESCRIPTION)


class Interpreter(Frozen):
    """An interpreter of the agency's pool (SPEC 2.1 "Interpreters")."""

    id: Identifier = Field(description="The interpreter's id, unique among interpreters. Required.")
    languages: list[Language] = Field(
        min_length=2,
        description="The languages the interpreter works in, ISO 639-1, at least two; "
        "they interpret between any two of them. Required.",
    )
    max_per_day: PositiveDuration | None = Field(
        None,
        description="Cap of interpreting time per host date. A duration; default "
        "`interpretation.max_per_day`.",
    )
    hours: Hours | None = Field(
        None,
        description='The hours the interpreter works, host time, `"HH:MM-HH:MM"`. '
        "Default: the host's `hours`.",
    )
    unavailable: list[UnavailableEntry] = Field(
        [],
        description="Dates or hours of dates (host time) when the interpreter is away. "
        "Default none.",
    )
    unavailable_ics: CalendarPaths = Field([], description=CALENDARS_DESCRIPTION)

    @field_validator("languages")
    @classmethod
    def _distinct(cls, languages: list[str]) -> list[str]:
        """Refuse a language listed twice."""
        if len(set(languages)) != len(languages):
            raise ValueError("a language is listed twice")
        return languages


class Party(Frozen):
    """A country or organisation as the scenario sees it: the catalogue, the scenario's
    ``countries`` entry and its defaults merged (SPEC 2.8, "country")."""

    code: str = Field(description="The party's code.")
    name: str = Field(description="The party's name.")
    timezone: str = Field(description="The party's IANA time zone.")
    language: str = Field(description="The party's main language, ISO 639-1.")
    working_hours: HourRange = Field(
        description="Working hours, minutes after local midnight, Monday to Friday."
    )
    holidays: bool = Field(description="Whether the party's public holidays are days off.")
    unavailable: tuple[Unavailable, ...] = Field(
        description="Dates or hours of dates away, in the party's zone."
    )
    desk_capacity: int = Field(description="Activities the party's desk attends at once.")
    is_organisation: bool = Field(
        description="An organisation (Europol, EPPO, OLAF) rather than a country."
    )
