"""Whole-scenario checks: ids, codes, cycles, windows and impossible durations.

:func:`reference_problems` reads the plain data of the file, so that an entry
which fails its own validation still has its references checked and every
mistake is reported at once. :func:`scenario_problems` checks what needs
validated values (cycles, durations, pins).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import networkx as nx

from planner.models.catalogue import CATALOGUE, holidays_supported, suggest_party
from planner.models.problems import Location, Problem
from planner.models.scenario import Scenario
from planner.models.types import format_duration

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
    hint = suggest_party(code, declared["parties"])
    more = f"; did you mean {hint}?" if hint else ""
    return Problem(location, f"unknown country or organisation code {code!r}{more}")


def whole_scenario_problems(scenario: Scenario) -> list[Problem]:
    """Every problem of a validated scenario that its parts cannot see alone: unknown
    ids and codes, duplicates, cycles, windows, impossible durations and pins."""
    data = scenario.model_dump(by_alias=True, exclude_defaults=True)
    return [*reference_problems(data), *scenario_problems(scenario)]


def scenario_problems(scenario: Scenario) -> list[Problem]:
    """Return the problems that need validated values: self-references, windows,
    cycles in ``after``, durations no window can hold, and unaligned pins."""
    return [
        *_self_references(scenario),
        *_window_order(scenario),
        *_after_cycles(scenario),
        *_impossible_durations(scenario),
        *_pin_alignment(scenario),
    ]


def _self_references(scenario: Scenario) -> list[Problem]:
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
