"""Reading scenario files: YAML in, a validated :class:`Scenario` or every problem out.

The YAML reader keeps the line of every key and list item so that each problem
can name its line. It reads YAML the way scenario authors mean it: ``10:00`` is
a time, not the base-60 integer 600; ``NO`` is Norway, not ``False``; dates stay
text until the models read them.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.models.problems import Location, Problem, ScenarioError
from planner.models.references import reference_problems, scenario_problems
from planner.models.scenario import Scenario

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _ScenarioYamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's surprises (base-60, yes/no/on/off, timestamps)."""


_ScenarioYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScenarioYamlLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_ScenarioYamlLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_ScenarioYamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF))$"),
    list("-+0123456789."),
)

LineMap = dict[Location, int]


def read_yaml(text: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse YAML text into plain data, the line of every location, and problems found.

    Problems here are syntax errors and duplicate keys.
    """
    loader = _ScenarioYamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = f"YAML syntax error: {error.problem or error.context}"
        context = error.context_mark
        if error.problem and error.context and context and mark and context.line != mark.line:
            # e.g. an unclosed quote is noticed only at the end of the file: say where it began
            message += f" ({error.context} at line {context.line + 1})"
        return None, {}, [Problem((), message, line)]
    except yaml.YAMLError as error:
        return None, {}, [Problem((), f"YAML error: {error}")]
    finally:
        loader.dispose()
    lines: LineMap = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems)
    return data, lines, problems


def _walk(node: yaml.Node, location: Location, lines: LineMap, problems: list[Problem]) -> None:
    lines.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*location, key)
            if key in seen:
                problems.append(Problem(child, "key given twice", key_node.start_mark.line + 1))
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*location, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, problems)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    ScenarioError
        With every problem found, each with its location and line.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(
            [Problem((), f"cannot read {path}: {error.strerror}")], str(path)
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError([Problem((), f"not UTF-8 text: {error}")], str(path)) from None
    return parse_scenario(text, source=str(path))


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario text; see :func:`load_scenario`."""
    data, lines, problems = read_yaml(text)
    if problems:
        raise ScenarioError(problems, source)
    if not isinstance(data, dict):
        raise ScenarioError([Problem((), "a scenario must be a mapping of keys", 1)], source)
    scenario, problems = _validate(data, lines)
    if problems or scenario is None:
        raise ScenarioError(sorted(problems, key=_order), source)
    return scenario


def _order(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, problem.path)


_LIST_BLOCKS = ("countries", "rooms", "interpreters", "cases", "meetings", "action_days")


def _validate(data: dict[str, Any], lines: LineMap) -> tuple[Scenario | None, list[Problem]]:
    """Validate the data, reporting every problem at once.

    References are checked on the plain data. When some entries fail their own
    validation, they are set aside and the rest is validated again, so that the
    checks which need validated values still run on everything else.
    """
    problems = reference_problems(data)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        problems += [_from_pydantic(entry) for entry in error.errors()]
        pruned, kept = _without_failed_entries(data, error)
        try:
            partial = Scenario.model_validate(pruned)
        except ValidationError:
            return None, [_with_line(p, lines) for p in problems]
        problems += [_relocated(p, kept) for p in scenario_problems(partial)]
        return None, [_with_line(p, lines) for p in problems]
    problems += scenario_problems(scenario)
    return scenario, [_with_line(p, lines) for p in problems]


def _without_failed_entries(
    data: dict[str, Any], error: ValidationError
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Drop list entries and optional top-level keys that failed; return kept indices."""
    failed_entries: dict[str, set[int]] = {}
    failed_keys: set[str] = set()
    for entry in error.errors():
        location = entry["loc"]
        if not location:
            continue
        head = str(location[0])
        if head in _LIST_BLOCKS and len(location) > 1 and isinstance(location[1], int):
            failed_entries.setdefault(head, set()).add(location[1])
        else:
            failed_keys.add(head)
    pruned = {key: value for key, value in data.items() if key not in failed_keys}
    kept: dict[str, list[int]] = {}
    for block, failed in failed_entries.items():
        items = data[block]
        kept[block] = [i for i in range(len(items)) if i not in failed]
        pruned[block] = [items[i] for i in kept[block]]
    return pruned, kept


def _relocated(problem: Problem, kept: dict[str, list[int]]) -> Problem:
    """Give a problem found in the set-aside data its location in the file."""
    location = problem.location
    if len(location) > 1 and isinstance(location[1], int) and str(location[0]) in kept:
        original = kept[str(location[0])][location[1]]
        location = (location[0], original, *location[2:])
    return Problem(location, problem.message)


def _with_line(problem: Problem, lines: LineMap) -> Problem:
    location = problem.location
    while location and location not in lines:
        location = location[:-1]
    return Problem(problem.location, problem.message, lines.get(location))


_TAG = re.compile(r"[\[\]\-, ]")


def _from_pydantic(entry: Mapping[str, Any]) -> Problem:
    kind = entry["type"]
    parts = tuple(entry["loc"])
    # The last part of an unknown key's location is the author's key, which may
    # well contain '-' or ' ' (``action-days``); only pydantic's own tags are dropped.
    last = parts[-1:] if kind == "extra_forbidden" else ()
    location: Location = tuple(
        part
        for part in parts[: len(parts) - len(last)]
        if isinstance(part, int) or not _TAG.search(str(part))
    ) + tuple(str(part) for part in last)
    message = str(entry["msg"])
    if kind == "extra_forbidden":
        key = str(location[-1]) if location else "?"
        allowed = _allowed_keys(location[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        message = f"unknown key {key!r}" + (f"; did you mean {close[0]}?" if close else "")
        if allowed and not close:
            message += f" (allowed: {', '.join(allowed)})"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "literal_error":
        message = f"{entry.get('input')!r} is not allowed; " + message[0].lower() + message[1:]
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return Problem(location, message)


def _allowed_keys(location: Location) -> list[str]:
    """Return the keys that the model at ``location`` accepts (empty when unknown)."""
    model: Any = Scenario
    for part in location:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in model.model_fields.items()}
        field = fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return sorted((f.alias or name) for name, f in model.model_fields.items())


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
