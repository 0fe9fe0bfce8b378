"""Scalar types of the scenario format: durations, dates, times of day, hour ranges.

Each type is an ``Annotated`` alias whose validator accepts exactly the spelling
the scenario format allows and raises a short message otherwise, so that the
loader can report it with its location.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from planner.models.limits import MAX_DURATION, MAX_NUMBER_DIGITS, MINUTES_PER_DAY, check_year

_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")


def parse_duration(value: Any) -> int:
    """Return a duration in minutes from ``90``, ``"90m"``, ``"3h"``, ``"1h30m"`` or ``"2d"``.

    ``1d`` is 24 elapsed hours.

    Raises
    ------
    ValueError
        When the value is not a non-negative duration.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (use minutes or e.g. '90m', '3h', '1h30m')")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"duration {value} is negative")
        return _at_most_the_longest(value, value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        match = _DURATION.match(text)
        if text and match and all(len(part or "") <= MAX_NUMBER_DIGITS for part in match.groups()):
            days, hours, minutes = (int(match.group(k) or 0) for k in "dhm")
            return _at_most_the_longest(days * MINUTES_PER_DAY + hours * 60 + minutes, value)
    raise ValueError(
        f"{value!r} is not a duration (use minutes or e.g. '90m', '3h', '1h30m', '2d')"
    )


def _at_most_the_longest(minutes: int, written: Any) -> int:
    """Return ``minutes`` when at most the longest horizon (SPEC 2.7.4); raise ValueError
    naming the duration as ``written`` otherwise.
    """
    if minutes > MAX_DURATION:
        raise ValueError(
            f"duration {written!r} is longer than {format_duration(MAX_DURATION)}, "
            "the longest horizon"
        )
    return minutes


def within_a_day(minutes: int) -> int:
    """Return ``minutes`` when at most one day; raise ValueError otherwise.

    For what happens within one day (a meeting, an operation, a buffer, a set-up).
    """
    if minutes > MINUTES_PER_DAY:
        raise ValueError(f"{format_duration(minutes)} is longer than a day (1d)")
    return minutes


def format_duration(minutes: int) -> str:
    """Return the shortest scenario spelling of a duration, e.g. ``"1h30m"``."""
    if minutes == 0:
        return "0m"
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts)


def parse_time_of_day(value: Any, *, allow_24: bool = False) -> int:
    """Return minutes after midnight from ``"HH:MM"``.

    ``24:00`` is accepted only where ``allow_24`` (the end of an hour range).
    """
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if match:
            hours, minutes = int(match.group("h")), int(match.group("m"))
            if minutes < 60 and (hours < 24 or (allow_24 and hours == 24 and minutes == 0)):
                return hours * 60 + minutes
    raise ValueError(f"{value!r} is not a time of day (use HH:MM, e.g. '09:30')")


def format_time_of_day(minutes: int) -> str:
    """Return ``"HH:MM"`` for minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class HourRange(NamedTuple):
    """A daily range of local clock time, in minutes after midnight: ``[start, end)``."""

    start: int
    end: int

    def __str__(self) -> str:
        """Return the range as a scenario writes it: ``09:00-17:00``."""
        return f"{format_time_of_day(self.start)}-{format_time_of_day(self.end)}"

    @property
    def minutes(self) -> int:
        """The range's length in minutes."""
        return self.end - self.start


def parse_hour_range(value: Any) -> HourRange:
    """Return an :class:`HourRange` from ``"HH:MM-HH:MM"`` (start before end)."""
    if isinstance(value, HourRange):
        return value
    if isinstance(value, str) and value.count("-") == 1:
        first, second = value.split("-")
        start = parse_time_of_day(first)
        end = parse_time_of_day(second, allow_24=True)
        if start >= end:
            raise ValueError(f"{value!r}: the range must end after it starts")
        return HourRange(start, end)
    raise ValueError(f"{value!r} is not an hour range (use 'HH:MM-HH:MM', e.g. '09:00-17:00')")


def parse_date(value: Any) -> date:
    """Return a date from ``YYYY-MM-DD`` (no other spelling)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return check_year(value)
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return check_year(day)
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")


def parse_datetime(value: Any) -> datetime:
    """Return a datetime from ISO 8601; without an offset it is read in host time later."""
    if isinstance(value, datetime):
        check_year(value.date())
        return value
    if isinstance(value, str) and ("T" in value.upper() or " " in value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            check_year(moment.date())
            return moment
    raise ValueError(f"{value!r} is not a date and time (use e.g. 2026-12-01T15:00)")


_CLOCK = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
DURATION_PATTERN = (
    r"^\s*(?=[0-9 ]*[0-9][0-9 ]*[dhm])"
    r"(?:[0-9][0-9 ]*d)? *(?:[0-9][0-9 ]*h)? *(?:[0-9][0-9 ]*m)?\s*$"
)
"""What a duration written as text looks like (``90m``, ``3h``, ``1h30m``, ``2d``): the
JSON Schema's reading of :func:`parse_duration`."""
TIME_PATTERN = rf"^\s*{_CLOCK}\s*$"
"""A time of day, ``HH:MM`` (:func:`parse_time_of_day`)."""
HOURS_PATTERN = rf"^\s*{_CLOCK}\s*-\s*(?:{_CLOCK}|24:00)\s*$"
"""An hour range, ``"HH:MM-HH:MM"`` (:func:`parse_hour_range`; it may end at ``24:00``)."""
DATE_PATTERN = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$"
"""A date, ``YYYY-MM-DD`` (:func:`parse_date`)."""
DATETIME_PATTERN = (
    r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\s*$"
)
"""An ISO 8601 date and time, with or without an offset (:func:`parse_datetime`)."""

DURATION_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "description": "minutes"},
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["90m", "2h", "1h30m", "1d"]},
    ]
}
"""The JSON Schema of a duration: whole minutes, or text such as ``1h30m``."""

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration),
    WithJsonSchema(DURATION_SCHEMA),
]
"""A duration in minutes."""

DayDuration = Annotated[Duration, AfterValidator(within_a_day)]
"""A duration in minutes of at most one day."""

TimeOfDay = Annotated[
    int,
    BeforeValidator(parse_time_of_day),
    PlainSerializer(format_time_of_day),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "examples": ["06:00"]}),
]
"""A local clock time in minutes after midnight."""

Hours = Annotated[
    HourRange,
    BeforeValidator(parse_hour_range),
    PlainSerializer(str),
    WithJsonSchema({"type": "string", "pattern": HOURS_PATTERN, "examples": ["09:00-17:00"]}),
]
"""A daily hour range such as ``09:00-17:00``."""

DATE_SCHEMA: dict[str, Any] = {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
"""The JSON Schema of a date, ``YYYY-MM-DD``."""

Date = Annotated[date, BeforeValidator(parse_date), WithJsonSchema(DATE_SCHEMA)]
"""A calendar date written ``YYYY-MM-DD``."""

DateTime = Annotated[
    datetime,
    BeforeValidator(parse_datetime),
    WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN}),
]
"""An ISO 8601 date and time; naive ones are host time."""
