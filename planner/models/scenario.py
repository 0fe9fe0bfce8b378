"""The scenario: everything planner needs to know to plan (``planner.scenario/1``).

Frozen pydantic models, one per block of the scenario file, with the defaults
of SPEC 2.8. Each model checks its own invariants; cross-references between
blocks (unknown ids, unknown codes, cycles) are checked by
:func:`planner.models.references.reference_problems`, which names every
offender at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner.models.catalogue import CATALOGUE, ISO_639_1, suggest_language
from planner.models.limits import MAX_COUNT, MAX_HORIZON_DAYS, MAX_WEIGHT
from planner.models.types import (
    Date,
    DateTime,
    DayDuration,
    Duration,
    HourRange,
    Hours,
    TimeOfDay,
)

SCHEMA = "planner.scenario/1"

Priority = Literal["critical", "high", "normal", "low"]
PRIORITIES: tuple[Priority, ...] = ("critical", "high", "normal", "low")

Crime = Literal[
    "fraud",
    "money_laundering",
    "corruption",
    "pif",
    "drug_trafficking",
    "thb",
    "cybercrime",
    "migrant_smuggling",
    "mocg",
    "terrorism",
    "core_international",
    "environmental",
    "ip_crime",
    "other",
]

Feature = Literal["videoconference", "interpretation_booths", "coordination_centre", "secure_line"]
VIDEOCONFERENCE: Feature = "videoconference"
BOOTHS: Feature = "interpretation_booths"
CENTRE: Feature = "coordination_centre"

GRANULARITIES = (5, 10, 15, 30, 60)


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Lisbon)"
        ) from None
    return name


def _check_language(code: str) -> str:
    if code not in ISO_639_1:
        hint = suggest_language(code)
        more = f"; did you mean {hint}?" if hint else ""
        raise ValueError(f"unknown language code {code!r} (ISO 639-1){more}")
    return code


def _check_identifier(text: str) -> str:
    if not text.strip():
        raise ValueError("an id must not be empty")
    return text


Timezone = Annotated[str, AfterValidator(_check_timezone)]
Language = Annotated[str, AfterValidator(_check_language)]
Identifier = Annotated[str, AfterValidator(_check_identifier)]
PositiveDuration = Annotated[DayDuration, Field(gt=0)]
"""A duration of more than nothing and at most a day: a meeting, an operation, a cap."""
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A number of people, seats, staff or places."""


class Frozen(BaseModel):
    """Base of every scenario model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _date_or_mapping(value: Any) -> Any:
    return {"date": value} if isinstance(value, str | date) else value


class Unavailable(Frozen):
    """A whole date, or some hours of a date, when a party, room or interpreter is away."""

    date: Date
    hours: Hours | None = None


UnavailableEntry = Annotated[Unavailable, BeforeValidator(_date_or_mapping)]


class Host(Frozen):
    country: str = "NL"
    timezone: Timezone = "Europe/Amsterdam"
    hours: Hours = HourRange(8 * 60, 19 * 60)
    holidays: Literal["auto", "none"] = "auto"


class Horizon(Frozen):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.days > MAX_HORIZON_DAYS:
            raise ValueError(
                f"{self.days} days from {self.start} to {self.end}: "
                f"a horizon is at most three years ({MAX_HORIZON_DAYS} days)"
            )
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Defaults(Frozen):
    working_hours: Hours = HourRange(9 * 60, 17 * 60)
    stretch: DayDuration = 0
    desk_capacity: Count = Field(2, ge=1)
    room_buffer: DayDuration = 15
    host_staff: Count = 2


class Interpretation(Frozen):
    solo_max: DayDuration = 60
    max_per_day: PositiveDuration = 6 * 60


class CoordinationCentre(Frozen):
    staff: Count = 6
    setup: DayDuration = 60


class Links(Frozen):
    detect: Literal["declared", "entities"] = "entities"
    action_days: Literal["same_day", "soft", "ignore"] = "same_day"
    meetings_within: Duration = 24 * 60
    suspected_max: Count = 20


Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT)]


class UnscheduledWeights(Frozen):
    critical: Weight = 0
    high: Weight = 1000
    normal: Weight = 100
    low: Weight = 10

    def of(self, priority: Priority) -> int:
        return int(getattr(self, priority))


class MoveWeights(Frozen):
    date: Weight = 50
    time: Weight = 10
    room: Weight = 5


class Objective(Frozen):
    unscheduled: UnscheduledWeights = UnscheduledWeights()
    lateness_per_day: Weight = 5
    stretch_per_15m: Weight = 3
    optional_absent: Weight = 20
    link_spread_per_day: Weight = 2
    move: MoveWeights = MoveWeights()
    virtual_centre: Weight = 20


class CountryEntry(Frozen):
    """An override of a catalogue party, or a new party (which then needs a timezone)."""

    code: Identifier
    name: str | None = None
    timezone: Timezone | None = None
    language: Language | None = None
    working_hours: Hours | None = None
    holidays: Literal["auto", "none"] | None = None
    unavailable: list[UnavailableEntry] = []
    desk_capacity: Count | None = Field(None, ge=1)


class Room(Frozen):
    id: Identifier
    capacity: Count
    features: list[Feature] = []
    unavailable: list[UnavailableEntry] = []


class Interpreter(Frozen):
    id: Identifier
    languages: list[Language] = Field(min_length=2)
    max_per_day: PositiveDuration | None = None
    hours: Hours | None = None
    unavailable: list[UnavailableEntry] = []

    @field_validator("languages")
    @classmethod
    def _distinct(cls, languages: list[str]) -> list[str]:
        if len(set(languages)) != len(languages):
            raise ValueError("a language is listed twice")
        return languages


class Case(Frozen):
    id: Identifier
    title: str | None = None
    crime: Crime
    countries: list[str] = Field(min_length=1)
    entities: list[str] = []
    linked: list[str] = []

    @field_validator("entities")
    @classmethod
    def _entities_identify_something(cls, entities: list[str]) -> list[str]:
        for entity in entities:
            value = entity.split(":", 1)[-1]
            if not any(character.isalnum() for character in value):
                raise ValueError(
                    f"entity {entity!r} has no letters or digits to compare "
                    "(write it as kind:value, e.g. iban:ES91 2100 0418)"
                )
        return entities


class Participant(Frozen):
    country: str
    attendance: Literal["in_person", "video"] = "in_person"
    delegates: Count = Field(1, ge=1)
    language: Language | None = None
    required: bool = True
    timezone: Timezone | None = None


class Predecessor(Frozen):
    """An ``after`` or ``prepared_by`` entry: another meeting that must end ``gap`` before."""

    meeting: str
    gap: Duration = 0


class Pin(Frozen):
    start: DateTime | None = None
    date: Date | None = None
    room: str | None = None

    @model_validator(mode="after")
    def _something_pinned(self) -> Pin:
        if self.start is None and self.date is None and self.room is None:
            raise ValueError("pin at least one of start, date, room")
        return self


class Window(Frozen):
    """Fields shared by meetings and action days."""

    id: Identifier
    case: str
    title: str | None = None
    earliest: Date | None = None
    latest: Date | None = None


class Meeting(Window):
    duration: PositiveDuration
    participants: list[Participant] = Field(min_length=1)
    working_language: Language = "en"
    preferred: Date | None = None
    priority: Priority = "normal"
    after: list[Predecessor] = []
    pinned: Pin | None = None

    @field_validator("participants")
    @classmethod
    def _one_entry_per_country(cls, participants: list[Participant]) -> list[Participant]:
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
        return [p for p in self.participants if p.required]

    @property
    def optional(self) -> list[Participant]:
        return [p for p in self.participants if not p.required]


class ActionDay(Window):
    countries: list[str] = Field(min_length=1)
    local_start: TimeOfDay = 6 * 60
    duration: PositiveDuration = 10 * 60
    staff: Count = 2
    prepared_by: list[Predecessor] = []
    virtual: Literal["allowed", "never"] = "allowed"
    weekend: bool = False
    priority: Priority = "high"

    @field_validator("countries")
    @classmethod
    def _distinct(cls, countries: list[str]) -> list[str]:
        if len(set(countries)) != len(countries):
            raise ValueError("a country is listed twice")
        return countries


class Party(Frozen):
    """A country or organisation as the scenario sees it: catalogue plus overrides."""

    code: str
    name: str
    timezone: str
    language: str
    working_hours: HourRange
    holidays: bool
    unavailable: tuple[Unavailable, ...]
    desk_capacity: int
    is_organisation: bool


LOCATED = "located"
"""Validation context key of the loader, which checks cross-references itself, every
problem with its line (:func:`planner.loading.parse_scenario`)."""


class Scenario(Frozen):
    """A whole scenario: validated as a whole, cross-references included.

    Every way to a scenario validates it whole: the loader (every problem located in
    the file), :meth:`model_validate` and :meth:`model_copy`, which builds a new scenario
    from the changed data, so that no lookup of the old one survives a change.
    """

    schema_: Literal["planner.scenario/1"] = Field(alias="schema")
    name: str = ""
    host: Host = Host()
    horizon: Horizon
    granularity: Duration = 15
    defaults: Defaults = Defaults()
    interpretation: Interpretation = Interpretation()
    coordination_centre: CoordinationCentre = CoordinationCentre()
    links: Links = Links()
    objective: Objective = Objective()
    countries: list[CountryEntry] = []
    rooms: list[Room] = []
    interpreters: list[Interpreter] = []
    cases: list[Case] = []
    meetings: list[Meeting] = []
    action_days: list[ActionDay] = []

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("granularity")
    @classmethod
    def _supported_granularity(cls, minutes: int) -> int:
        if minutes not in GRANULARITIES:
            raise ValueError(
                f"granularity must be one of {', '.join(f'{g}m' for g in GRANULARITIES)}"
            )
        return minutes

    @model_validator(mode="after")
    def _references_hold(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get(LOCATED):
            return self  # the loader checks them, each problem with its line
        # late import: the checks read the scenario model defined here
        from planner.models.references import whole_scenario_problems

        problems = whole_scenario_problems(self)
        if problems:
            raise ValueError("; ".join(str(problem) for problem in problems))
        return self

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Scenario:
        """A changed scenario: the data with ``update`` applied, validated anew."""
        data = self.model_dump(by_alias=True, exclude_defaults=True)
        data.update(update or {})
        return Scenario.model_validate(data)

    # ---- lookups, computed once --------------------------------------------------

    @cached_property
    def parties(self) -> dict[str, Party]:
        """Every party by code: the catalogue with the scenario's overrides and additions."""
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
        return {room.id: room for room in self.rooms}

    @cached_property
    def interpreters_by_id(self) -> dict[str, Interpreter]:
        return {interpreter.id: interpreter for interpreter in self.interpreters}

    @cached_property
    def cases_by_id(self) -> dict[str, Case]:
        return {case.id: case for case in self.cases}

    @cached_property
    def meetings_by_id(self) -> dict[str, Meeting]:
        return {meeting.id: meeting for meeting in self.meetings}

    @cached_property
    def action_days_by_id(self) -> dict[str, ActionDay]:
        return {action_day.id: action_day for action_day in self.action_days}

    def window_of(self, activity: Window) -> tuple[date, date]:
        """Return an activity's ``[earliest, latest]`` host dates clipped to the horizon."""
        first = max(activity.earliest or self.horizon.start, self.horizon.start)
        last = min(activity.latest or self.horizon.end, self.horizon.end)
        return first, last

    def interpreter_max_per_day(self, interpreter: Interpreter) -> int:
        return interpreter.max_per_day or self.interpretation.max_per_day

    def interpreter_hours(self, interpreter: Interpreter) -> HourRange:
        return interpreter.hours or self.host.hours

    def interpreters_needed(self, meeting: Meeting) -> int:
        """Interpreters per language: a team of two above ``solo_max``."""
        return 1 if meeting.duration <= self.interpretation.solo_max else 2

    def participant_timezone(self, participant: Participant) -> str:
        return participant.timezone or self.parties[participant.country].timezone
