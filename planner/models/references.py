"""References between the blocks of a scenario: ids and codes (SPEC 2.5).

:func:`reference_problems` reads the plain data of the file, so that an entry
which fails its own validation still has its references checked and every
mistake is reported at once: duplicate ids, unknown ids (a meeting's case, an
``after`` meeting, a pinned room) and unknown country or organisation codes, with
the closest known code (``UK`` → ``GB``). What needs validated values (cycles,
durations, pins) is checked by :func:`planner.models.scenario.scenario_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planner.models.catalogue import CATALOGUE, holidays_supported, suggest_party
from planner.models.problems import Location, Problem

_ANY = object()

# Where the file refers to another entry, and to which block (``parties``: a code).
_REFERENCES: tuple[tuple[tuple[Any, ...], str], ...] = (
    (("cases", _ANY, "countries", _ANY), "parties"),
    (("cases", _ANY, "linked", _ANY), "cases"),
    (("meetings", _ANY, "case"), "cases"),
    (("meetings", _ANY, "participants", _ANY, "country"), "parties"),
    (("meetings", _ANY, "after", _ANY, "meeting"), "meetings"),
    (("meetings", _ANY, "pinned", "room"), "rooms"),
    (("action_days", _ANY, "case"), "cases"),
    (("action_days", _ANY, "countries", _ANY), "parties"),
    (("action_days", _ANY, "prepared_by", _ANY, "meeting"), "meetings"),
)
_WHAT = {"cases": "case", "meetings": "meeting", "rooms": "room"}
_ID_BLOCKS = {
    "rooms": "room id",
    "interpreters": "interpreter id",
    "cases": "case id",
    "meetings": "activity id",
    "action_days": "activity id",
}


def _values_at(
    data: Any, pattern: tuple[Any, ...], location: Location = ()
) -> Iterator[tuple[Location, Any]]:
    """Yield ``(location, value)`` for every value of plain data at ``pattern``: a path of
    keys, where ``_ANY`` stands for every index of a list.
    """
    if not pattern:
        yield location, data
        return
    head, rest = pattern[0], pattern[1:]
    if head is _ANY:
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _values_at(item, rest, (*location, index))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, (*location, head))


def _declared_ids(data: dict[str, Any], block: str) -> Iterator[tuple[Location, str]]:
    """Yield the location and id of every entry of ``block`` that has an id."""
    for location, value in _values_at(data, (block, _ANY, "id")):
        if isinstance(value, str | int):
            yield location, str(value)


def reference_problems(data: dict[str, Any]) -> list[Problem]:
    """Return duplicate ids, unknown ids and unknown codes in a scenario's plain data."""
    problems: list[Problem] = []
    declared: dict[str, set[str]] = {}
    first_use: dict[str, str] = {}
    for block, what in _ID_BLOCKS.items():
        declared[block] = set()
        for location, identifier in _declared_ids(data, block):
            key = f"{what}:{identifier}"
            if key in first_use:
                problems.append(
                    Problem(
                        location,
                        f"duplicate {what} {identifier!r} (already used in {first_use[key]})",
                    )
                )
            first_use.setdefault(key, block)
            declared[block].add(identifier)

    declared["parties"] = set(CATALOGUE)
    seen_codes: set[str] = set()
    for location, code in _values_at(data, ("countries", _ANY, "code")):
        code = str(code)
        if code in seen_codes:
            problems.append(Problem(location, f"duplicate country entry {code!r}"))
        seen_codes.add(code)
        entry = data["countries"][location[1]]
        if code in CATALOGUE or entry.get("timezone"):
            declared["parties"].add(code)
        else:
            hint = suggest_party(code, set(CATALOGUE))
            more = f"; did you mean {hint}?" if hint else ""
            problems.append(
                Problem(
                    location,
                    f"{code!r} is not in the catalogue: a new party needs a timezone{more}",
                )
            )

    host_country = (
        data.get("host", {}).get("country") if isinstance(data.get("host"), dict) else None
    )
    if host_country is not None and not (
        str(host_country) in declared["parties"] or holidays_supported(str(host_country))
    ):
        problems.append(_unknown_party(("host", "country"), str(host_country), declared))

    for pattern, block in _REFERENCES:
        for location, value in _values_at(data, pattern):
            if value is None or str(value) in declared[block]:
                continue
            if block == "parties":
                problems.append(_unknown_party(location, str(value), declared))
            else:
                problems.append(Problem(location, f"unknown {_WHAT[block]} {value!r}"))
    return problems


def _unknown_party(location: Location, code: str, declared: dict[str, set[str]]) -> Problem:
    """Return the problem of an unknown party code, with the closest known code."""
    hint = suggest_party(code, declared["parties"])
    more = f"; did you mean {hint}?" if hint else ""
    return Problem(location, f"unknown country or organisation code {code!r}{more}")
