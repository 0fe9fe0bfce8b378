"""Change files (SPEC 2.7, what-if): a scenario edited by id.

```yaml
remove: {rooms: [P1], meetings: [CM-0101-2]}
update: {interpreters: {anna: {unavailable: [2026-12-02]}},
         meetings: {CM-0412-1: {duration: 4h}}}
add: {meetings: [{id: CM-NEW-1, case: EJ-0412, duration: 2h, participants: [...]}]}
```

A change file is read like a scenario (the same YAML reader and input limits), and
every problem is reported at once, located in the change file: an unknown block or
key, an id the scenario does not have, and whatever the changed scenario breaks (an
update that breaks a rule is reported at the update's line; an entry left behind by a
removal, at the removal's line). :func:`apply_change` is the one way from a scenario
and a change to a changed scenario, validated whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from planner.loading import (
    DEFAULT_MAX_BYTES,
    LineMap,
    from_pydantic,
    read_text,
    read_yaml,
    validate_data,
    with_line,
)
from planner.models.catalogue import CATALOGUE
from planner.models.problems import InputError, Location, Problem, ScenarioError
from planner.models.scenario import Scenario

Block = Literal["rooms", "interpreters", "countries", "cases", "meetings", "action_days"]


class ChangeFile(BaseModel):
    """What a change file may say: ids to remove, fields to update by id, entries to add."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    remove: dict[Block, list[str]] = {}
    update: dict[Block, dict[str, dict[str, Any]]] = {}
    add: dict[Block, list[dict[str, Any]]] = {}


@dataclass(frozen=True)
class Change:
    """A change file as read: its name (the file's stem), where it came from, what it
    says and the line of each of its locations."""

    name: str
    source: str
    edits: ChangeFile
    lines: LineMap


def _key(block: str) -> str:
    """Return the key that identifies an entry of ``block``: ``code`` for countries, else ``id``."""
    return "code" if block == "countries" else "id"


def load_change(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Change:
    """Read a change file.

    Raises
    ------
    InputError
        With every problem of its form, each with its line.
    """
    path = Path(path)
    return parse_change(read_text(path, max_bytes, "change file"), str(path), path.stem)


def parse_change(text: str, source: str, name: str = "change") -> Change:
    """A change from its YAML text (see :func:`load_change`)."""
    data, lines, problems = read_yaml(text)
    if problems:
        raise InputError(problems, source)
    if data is None:
        data = {}
    try:
        edits = ChangeFile.model_validate(data)
    except ValidationError as error:
        located = [with_line(from_pydantic(entry), lines) for entry in error.errors()]
        raise InputError(located, source) from None
    return Change(name, source, edits, lines)


def merged(first: ChangeFile, second: ChangeFile) -> ChangeFile:
    """Return two changes as one: the second's removals, updates and additions after the
    first's (an update of the same entry merges its fields, the second's winning). The
    page's edits grow this way, one change at a time.
    """
    remove = {
        b: [*first.remove.get(b, []), *second.remove.get(b, [])]
        for b in {*first.remove, *second.remove}
    }
    update: dict[Any, dict[str, dict[str, Any]]] = {}
    for block in {*first.update, *second.update}:
        entries = {k: dict(v) for k, v in first.update.get(block, {}).items()}
        for identifier, fields in second.update.get(block, {}).items():
            entries[identifier] = {**entries.get(identifier, {}), **fields}
        update[block] = entries
    add = {b: [*first.add.get(b, []), *second.add.get(b, [])] for b in {*first.add, *second.add}}
    return ChangeFile.model_validate({"remove": remove, "update": update, "add": add})


def change_yaml(edits: ChangeFile) -> str:
    """Return a change as the text of a change file (``{}`` for no change), keys sorted so
    that the same change always gives the same text.
    """
    data = edits.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=True, allow_unicode=True) if data else "{}\n"


def apply_change(scenario: Scenario, change: Change) -> Scenario:
    """Return the scenario with a change applied, validated whole (SPEC 2.7.1 "What-if").

    Removals first, then updates (merged into the entry; ``update`` of a catalogue
    country that the scenario does not list adds an override for it), then additions;
    the changed data is validated as a scenario is.

    Raises
    ------
    ScenarioError
        With every problem, located in the change file: an unknown id at its removal or
        update, an update that renames, and what the changed scenario breaks at the line
        that caused it (:func:`_relocated`).
    """
    data = scenario.model_dump(by_alias=True, exclude_defaults=True)
    problems: list[Problem] = []
    origin: dict[tuple[str, str], Location] = {}
    removed: list[tuple[Location, str]] = []
    edits = change.edits
    for block, ids in edits.remove.items():
        entries = data.setdefault(block, [])
        for index, identifier in enumerate(ids):
            position = _find(entries, block, identifier)
            if position is None:
                problems.append(Problem(("remove", block, index), _unknown(block, identifier)))
                continue
            del entries[position]
            removed.append((("remove", block, index), identifier))
    for block, updates in edits.update.items():
        entries = data.setdefault(block, [])
        for identifier, fields in updates.items():
            position = _find(entries, block, identifier)
            if position is None and block == "countries" and identifier in CATALOGUE:
                entries.append({"code": identifier})  # a catalogue party, now overridden
                position = len(entries) - 1
            if position is None:
                problems.append(Problem(("update", block, identifier), _unknown(block, identifier)))
                continue
            if _key(block) in fields and fields[_key(block)] != identifier:
                problems.append(
                    Problem(("update", block, identifier, _key(block)), "an update cannot rename")
                )
                continue
            entries[position] = {**entries[position], **fields}
            origin[block, identifier] = ("update", block, identifier)
    for block, additions in edits.add.items():
        entries = data.setdefault(block, [])
        for index, entry in enumerate(additions):
            entries.append(entry)
            origin[block, str(entry.get(_key(block)))] = ("add", block, index)
    # calendars a change file names are read from its own folder, as a scenario's are
    source = Path(change.source)
    changed, found = validate_data(data, source.parent if source.is_file() else None)
    if changed is not None and not problems:
        return changed
    problems += [_relocated(p, data, origin, removed) for p in found]
    raise ScenarioError([with_line(p, change.lines) for p in problems], change.source)


def _find(entries: list[dict[str, Any]], block: str, identifier: str) -> int | None:
    """Return the index of the entry of ``block`` with this id (or code), or ``None``."""
    key = _key(block)
    return next((i for i, entry in enumerate(entries) if str(entry.get(key)) == identifier), None)


def _unknown(block: str, identifier: str) -> str:
    """Return the message for an id the scenario has no entry of in ``block``."""
    what = {"countries": "country entry", "action_days": "action day"}.get(block, block[:-1])
    return f"unknown {what} {identifier!r}: the scenario has none"


def _relocated(
    problem: Problem,
    data: dict[str, Any],
    origin: dict[tuple[str, str], Location],
    removed: list[tuple[Location, str]],
) -> Problem:
    """A problem of the changed scenario, located where the change file caused it: the
    update or addition of its entry, else the removal of the id it names (a reference
    left behind), else the first removal, else where it is in the scenario."""
    location = problem.location
    if len(location) >= 2 and isinstance(location[1], int) and str(location[0]) in data:
        block, index = str(location[0]), location[1]
        entries = data[block]
        if index < len(entries):
            identifier = str(entries[index].get(_key(block)))
            if (block, identifier) in origin:
                return Problem((*origin[block, identifier], *location[2:]), problem.message)
    where = problem.path or "scenario"
    named = [at for at, identifier in removed if f"'{identifier}'" in problem.message]
    if named:
        return Problem(named[0], f"{where}: {problem.message}")
    if removed:
        return Problem(removed[0][0], f"{where}: {problem.message}")
    return Problem((), f"{where}: {problem.message}")
