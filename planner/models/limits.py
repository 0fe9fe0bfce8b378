"""Input limits (SPEC 2.7.4): how large, deep, long and printable anything planner reads may be.

Scenario files, change files and plans arrive by mail, from other tools and from
nightly jobs. Every limit that keeps such input from hanging, crashing or
misleading planner is here, in one place, so that the scenario models, the YAML
and JSON readers and the command line all apply the same ones. Each limit is far
beyond what a real agency needs and well inside what CP-SAT's 64-bit sums hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from planner.models.problems import Location

MEBIBYTE = 1024 * 1024

DEFAULT_MAX_INPUT_MB = 20.0
"""Largest input file read, in MiB (``--max-input-mb``): a scenario of eight times the
agency's year is about 2 MB."""

MAX_DEPTH = 16
"""Deepest nesting of mappings and lists. A scenario needs 5 levels
(``countries[0].unavailable[1].hours``), a plan 5 (``changes.moved[0].from.start``)."""

MAX_NUMBER_DIGITS = 15
"""Longest integer read. Integers this long are already refused by every range below;
far longer ones would cost time just to convert."""

FIRST_YEAR = 1970
LAST_YEAR = 2200
"""Dates and times outside these years are refused: no plan needs them, and date
arithmetic near year 9999 overflows."""

MAX_HORIZON_DAYS = 3 * 365 + 1
"""The longest horizon: three years."""

MINUTES_PER_DAY = 24 * 60

MAX_DURATION = MAX_HORIZON_DAYS * MINUTES_PER_DAY
"""The longest duration or gap of any kind, in minutes: the longest horizon."""

MAX_COUNT = 10_000
"""The most people, seats, staff or desk places any one number may count."""

MAX_WEIGHT = 1_000_000
"""The largest objective weight. With at most three years of lateness per activity and
the activities of a 20 MB file, the objective stays below 10^16, inside int64."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (C0, DEL, C1) and bidirectional overrides: none belongs in an id,
a name or a text, and printed they can retitle or clear a terminal or reorder a line."""

_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters written raw in a file (tab and line breaks are layout)."""


def describe_character(character: str) -> str:
    """Return a character that must not be printed as it is, named: ``U+001B``."""
    return f"U+{ord(character):04X}"


def raw_control_line(text: str) -> tuple[int, str] | None:
    """Return the 1-based line and name of the first raw control character (NUL included)."""
    found = _RAW_CONTROL.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, describe_character(found.group())


def control_character_in(text: str) -> str | None:
    """Return the name of the first control character in ``text``, or None."""
    found = _CONTROL.search(text)
    return describe_character(found.group()) if found else None


def printable(text: str) -> str:
    """Return ``text`` with every control character (and bidirectional override) written as
    a ``\\x1b``-style escape, so that printing it cannot retitle, clear or reorder a
    terminal (SPEC 2.7.4).
    """
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


_LEADING_YEAR = re.compile(r"^[0-9]{4,}(?=-[0-9]{2}-[0-9]{2})")


def text_problems(
    data: Any, location: Location = (), *, dates: bool = False
) -> Iterator[tuple[Location, str]]:
    """Every key or text in plain data that holds a control character, with its location.

    With ``dates``, also every text that starts with a date (``2026-12-01``,
    ``2026-12-01T15:00+01:00``) of a year outside :data:`FIRST_YEAR`-:data:`LAST_YEAR`:
    the scenario models check their own dates, a JSON file's are only texts.
    ``data`` must already be known to nest no deeper than :data:`MAX_DEPTH`.
    """
    if isinstance(data, str):
        character = control_character_in(data)
        if character:
            yield location, f"control character {character} is not allowed in text"
        year = _LEADING_YEAR.match(data) if dates else None
        if year and not FIRST_YEAR <= int(year.group()) <= LAST_YEAR:
            yield location, f"{data[:40]} is outside the years {FIRST_YEAR}-{LAST_YEAR}"
    elif isinstance(data, dict):
        for key, value in data.items():
            child = (*location, str(key))
            character = control_character_in(str(key))
            if character:
                yield child, f"control character {character} is not allowed in a key"
            yield from text_problems(value, child, dates=dates)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from text_problems(item, (*location, index), dates=dates)


def deeper_than(data: Any, limit: int = MAX_DEPTH) -> Location | None:
    """Return the location of a mapping or list nested deeper than ``limit``, or None.

    Iterative, so that any depth is measured without recursion.
    """
    pending: list[tuple[Any, Location]] = [(data, ())]
    while pending:
        value, location = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if len(location) >= limit:
            return location
        items = value.items() if isinstance(value, dict) else enumerate(value)
        pending.extend((item, (*location, key)) for key, item in items)
    return None


def check_year(day: date) -> date:
    """Return ``day`` when its year is one planner reads; raise ValueError otherwise."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return day
