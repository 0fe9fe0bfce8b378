"""The values a scenario is written in: ids, codes, counts, weights, priorities, features.

Each is an ``Annotated`` type whose validator accepts exactly what SPEC 2 allows and
says what is wrong in a short message, which the loader locates in the file. The
base of every scenario model, :class:`Frozen`, and the away windows shared by
parties, rooms and interpreters (:class:`Unavailable`) are here too, so that each
block of the scenario (settings, resources, activities) builds on one vocabulary.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from planner.models.catalogue import ISO_639_1, suggest_language
from planner.models.limits import MAX_COUNT, MAX_WEIGHT
from planner.models.types import DATE_SCHEMA, Date, DayDuration, Hours

SCHEMA = "planner.scenario/1"
"""The ``schema`` every scenario file starts with (SPEC 2)."""

Priority = Literal["critical", "high", "normal", "low"]
"""How much holding an activity matters (SPEC 2.1 "Priority"): ``critical`` ones must be
held, the others cost their ``objective.unscheduled`` weight when left out."""
PRIORITIES: tuple[Priority, ...] = ("critical", "high", "normal", "low")
"""Every priority, most important first."""

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
"""The crime areas a case may concern (DOMAIN.md: ``pif`` is fraud against the EU's
budget, ``thb`` trafficking in human beings, ``mocg`` mobile organised crime groups)."""

Feature = Literal["videoconference", "interpretation_booths", "coordination_centre", "secure_line"]
"""What a room may offer (SPEC 2.1 "Rooms", 2.2)."""
VIDEOCONFERENCE: Feature = "videoconference"
"""Needed by a meeting with an attending participant on video."""
BOOTHS: Feature = "interpretation_booths"
"""Needed by a meeting with an attending in-person participant who needs interpretation."""
CENTRE: Feature = "coordination_centre"
"""Needed by the room of an action day's coordination centre."""

GRANULARITIES = (5, 10, 15, 30, 60)
"""The slot sizes a scenario may choose, in minutes (SPEC 2 ``granularity``)."""


def check_timezone(name: str) -> str:
    """Return ``name`` when it is an IANA time zone that :mod:`zoneinfo` knows.

    Raises
    ------
    ValueError
        Naming the zone and how to write one (``Europe/Lisbon``).
    """
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Lisbon)"
        ) from None
    return name


def check_language(code: str) -> str:
    """Return ``code`` when it is an ISO 639-1 language code.

    Raises
    ------
    ValueError
        Naming the code, with the closest known code when there is one (``eng`` → ``en``).
    """
    if code not in ISO_639_1:
        hint = suggest_language(code)
        more = f"; did you mean {hint}?" if hint else ""
        raise ValueError(f"unknown language code {code!r} (ISO 639-1){more}")
    return code


def check_identifier(text: str) -> str:
    """Return ``text`` when it is a usable id: not empty, not only spaces.

    Raises
    ------
    ValueError
        For an empty id.
    """
    if not text.strip():
        raise ValueError("an id must not be empty")
    return text


Timezone = Annotated[
    str,
    AfterValidator(check_timezone),
    WithJsonSchema({"type": "string", "examples": ["Europe/Lisbon", "America/New_York"]}),
]
"""An IANA time zone name, such as ``Europe/Lisbon``."""
Language = Annotated[
    str,
    AfterValidator(check_language),
    WithJsonSchema({"type": "string", "enum": sorted(ISO_639_1)}),
]
"""An ISO 639-1 language code, such as ``de``."""
Identifier = Annotated[
    str,
    AfterValidator(check_identifier),
    WithJsonSchema({"type": "string", "pattern": r"\S"}),
]
"""The id of a room, interpreter, case, meeting or action day: any non-empty text."""
PositiveDuration = Annotated[DayDuration, Field(gt=0)]
"""A duration of more than nothing and at most a day: a meeting, an operation, a cap."""
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A number of people, seats, staff or places."""
Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT)]
"""An integer weight of the objective (SPEC 2.3)."""


class Frozen(BaseModel):
    """Base of every scenario model: immutable, and unknown keys are errors (SPEC 2)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def whole_date_or_entry(value: Any) -> Any:
    """Read an ``unavailable`` entry written as a bare date as ``{date: ...}``."""
    return {"date": value} if isinstance(value, str | date) else value


class Unavailable(Frozen):
    """A whole date, or some hours of a date, when a party, room or interpreter is away.

    The hours are read in the clock of whoever is away: a party's in its country's zone,
    a room's and an interpreter's in host time (SPEC 2.1).
    """

    date: Date = Field(description="The date away, `YYYY-MM-DD` (a local date of whoever is away).")
    hours: Hours | None = Field(
        None,
        description='The hours away that date, `"HH:MM-HH:MM"`; the whole date when left out.',
    )


class _OrBareDate:
    """JSON Schema of an ``unavailable`` entry: the mapping, or a bare date standing for it."""

    @staticmethod
    def __get_pydantic_json_schema__(
        schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Return "a date, or the entry's own schema"."""
        return {"anyOf": [DATE_SCHEMA, handler(schema)]}


UnavailableEntry = Annotated[Unavailable, BeforeValidator(whole_date_or_entry), _OrBareDate()]
"""An ``unavailable`` list entry: ``2026-12-03`` or ``{date: 2026-12-02, hours: ...}``."""


def one_or_many(value: Any) -> Any:
    """Read a single text where a list is expected as a list of that one text."""
    return [value] if isinstance(value, str) else value


def check_calendar_path(path: str) -> str:
    """Return ``path`` when it can name a file: not empty, not only spaces.

    Raises
    ------
    ValueError
        For an empty path.
    """
    if not path.strip():
        raise ValueError("a calendar path must not be empty")
    return path


CalendarPath = Annotated[str, AfterValidator(check_calendar_path)]
"""The path of an iCalendar file (RFC 5545, ``.ics``)."""

CalendarPaths = Annotated[
    list[CalendarPath],
    BeforeValidator(one_or_many),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"\S"},
                {"type": "array", "items": {"type": "string", "pattern": r"\S"}},
            ]
        }
    ),
]
"""``unavailable_ics``: one calendar file or a list of them (SPEC 2.7.5)."""

CALENDARS_DESCRIPTION = (
    "iCalendar files (`.ics`, as Outlook, Exchange or Google export them) whose busy events "
    "are more `unavailable` windows: a path or a list, relative to the scenario file. "
    "Recurring events are expanded within the horizon, all-day events are whole dates, "
    "timed events keep their own zone; free (`TRANSP:TRANSPARENT`) and cancelled events "
    "are ignored. Default none."
)
"""The description of every ``unavailable_ics`` field."""
