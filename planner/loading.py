"""Reading scenario files: YAML in, a validated :class:`Scenario` or every problem out.

The YAML reader keeps the line of every key and list item so that each problem
can name its line. It reads YAML the way scenario authors mean it: ``10:00`` is
a time, not the base-60 integer 600; ``NO`` is Norway, not ``False``; dates stay
text until the models read them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import BaseModel, ValidationError

from planner.calendars import CALENDAR_BLOCKS, CalendarSummary, calendar_paths, with_calendars
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.limits import (
    DEFAULT_MAX_INPUT_MB,
    MAX_DEPTH,
    MAX_NUMBER_DIGITS,
    MEBIBYTE,
    deeper_than,
    raw_control_line,
    text_problems,
)
from planner.models.problems import InputError, Location, Problem, ScenarioError
from planner.models.references import reference_problems
from planner.models.scenario import LOCATED, Scenario, scenario_problems

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_KEPT_RESOLVERS = (_NULL, _STR)


class _Resolver(yaml.resolver.BaseResolver):
    """Plain YAML types without YAML 1.1's surprises: no base-60 numbers, no yes/no/on/off
    booleans, no timestamps, no merge keys (``<<`` is just a key)."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEPT_RESOLVERS]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF))$"),
    list("-+0123456789."),
)

_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when present: ten times faster than the pure-Python one."""

LineMap = dict[Location, int]

DEFAULT_MAX_BYTES = int(DEFAULT_MAX_INPUT_MB * MEBIBYTE)


class _Refused(Exception):
    """YAML that planner does not read: the problem, at a line."""

    def __init__(self, message: str, line: int | None) -> None:
        """Keep the problem: the message at its line (no location: the whole file)."""
        super().__init__(message)
        self.problem = Problem((), message, line)


def _line(event: yaml.Event) -> int:
    # the parser marks every event; 0-based
    """Return the 1-based line of a parser event."""
    return int(getattr(event.start_mark, "line", 0)) + 1


def _scalar(event: yaml.ScalarEvent, resolver: _Resolver) -> Any:
    """The value of a scalar: text, a number, true/false or null."""
    value = event.value
    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, value, event.implicit)
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag in (_INT, _FLOAT):
        digits = value.replace("_", "")
        if len(digits.lstrip("+-")) > MAX_NUMBER_DIGITS:
            raise _Refused(
                f"the number {value[:20]}... has more digits than any limit", _line(event)
            )
        try:
            return int(digits) if tag == _INT else float(digits)
        except ValueError:
            raise _Refused(f"{value!r} is not a number", _line(event)) from None
    raise _Refused(f"the YAML tag {tag} is not read here (write plain values)", _line(event))


class _Frame:
    """A mapping or list being read, with its location and, in a mapping, the pending key."""

    def __init__(self, container: dict[Any, Any] | list[Any], location: Location) -> None:
        """Start reading ``container`` at ``location``, with no key pending."""
        self.container = container
        self.location = location
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()


def read_yaml(text: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse YAML text into plain data, the line of every location, and problems found.

    Problems here are syntax errors, duplicate keys and what planner refuses to read
    (SPEC 2.7.4): anchors and aliases (a few lines of them can expand to gigabytes),
    nesting deeper than :data:`~planner.models.limits.MAX_DEPTH`, YAML tags, numbers
    with more digits than any limit, and control characters in keys and texts. The
    data is built straight from the parser's events, so that reading takes time and
    memory in proportion to the text.
    """
    lines: LineMap = {}
    problems: list[Problem] = []
    try:
        data = _build(text, lines, problems)
    except _Refused as refused:
        return None, {}, [refused.problem]
    except yaml.MarkedYAMLError as error:
        return None, {}, [_syntax_problem(error)]
    except yaml.YAMLError as error:
        return None, {}, [Problem((), f"YAML error: {error}")]
    for location, message in text_problems(data):
        problems.append(with_line(Problem(location, message), lines))
    return data, lines, problems


def _build(text: str, lines: LineMap, problems: list[Problem]) -> Any:
    """Return the plain data of YAML text, read from libyaml's parser events.

    Dates, times and numbers are read as a scenario means them (no YAML 1.1 base-60 or
    ``NO`` as false); the line of every location goes into ``lines``. Anchors, aliases,
    tags, more than one document and nesting deeper than :data:`MAX_DEPTH` are refused
    with their line (SPEC 2.7.4); what is refused goes into ``problems``.
    """
    resolver = _Resolver()
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def place(value: Any, event: yaml.Event) -> Location | None:
        """Put a value where it belongs; return its location (None for a key)."""
        nonlocal root
        if not stack:
            lines[()] = _line(event)
            root = value
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            location = (*frame.location, len(frame.container))
            frame.container.append(value)
            lines[location] = _line(event)
            return location
        if frame.key is _NO_KEY:
            if isinstance(value, dict | list):
                raise _Refused("a key must be plain text, not a mapping or a list", _line(event))
            frame.key, frame.key_line = value, _line(event)
            return None
        location = (*frame.location, str(frame.key))
        if frame.key in frame.container:
            problems.append(Problem(location, "key given twice", frame.key_line))
        frame.container[frame.key] = value
        lines[location] = frame.key_line
        frame.key = _NO_KEY
        return location

    for event in yaml.parse(text, Loader=_EventLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                f"aliases (*{event.anchor}) are not read: write the value out", _line(event)
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(f"anchors (&{anchor}) are not read: write the value out", _line(event))
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused("a file holds one YAML document only", _line(event))
        elif isinstance(event, yaml.ScalarEvent):
            place(_scalar(event, resolver), event)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if event.tag not in (None, "!", _SEQ, _MAP):
                raise _Refused(f"the YAML tag {event.tag} is not read here", _line(event))
            if len(stack) >= MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels", _line(event))
            container: dict[Any, Any] | list[Any] = (
                [] if isinstance(event, yaml.SequenceStartEvent) else {}
            )
            location = place(container, event)
            if location is None:  # pragma: no cover - place() refuses collections as keys
                raise _Refused("a key must be plain text", _line(event))
            stack.append(_Frame(container, location))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            stack.pop()
    return root


def _syntax_problem(error: yaml.MarkedYAMLError) -> Problem:
    """Return a YAML syntax error as a problem at its line; where the parser notices it only
    later (an unclosed quote), it also says where the trouble began.
    """
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    message = f"YAML syntax error: {error.problem or error.context}"
    context = error.context_mark
    if error.problem and error.context and context and mark and context.line != mark.line:
        # e.g. an unclosed quote is noticed only at the end of the file: say where it began
        message += f" ({error.context} at line {context.line + 1})"
    return Problem((), message, line)


def read_text(path: str | Path, max_bytes: int, what: str = "file") -> str:
    """Read a UTF-8 text file within the input limits (SPEC 2.7.4).

    Raises
    ------
    InputError
        When the file cannot be read, is larger than ``max_bytes``, is not UTF-8, or
        holds a raw control character (NUL included), each with its line.
    """
    path = Path(path)

    def refuse(message: str, line: int | None = None) -> NoReturn:
        """Raise the problem with the file, at ``line``."""
        raise InputError([Problem((), message, line)], str(path))

    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        refuse(f"cannot read the {what}: {error.strerror or error}")
    if len(raw) > max_bytes:
        refuse(
            f"the {what} is larger than the limit of {max_bytes / MEBIBYTE:g} MB (--max-input-mb)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        refuse(f"not UTF-8 text: {error.reason}", raw.count(b"\n", 0, error.start) + 1)
    control = raw_control_line(text)
    if control is not None:
        line, character = control
        refuse(f"control character {character} in the {what}", line)
    return text


def read_json(path: str | Path, max_bytes: int, what: str = "file") -> Any:
    """Read a JSON file within the input limits: size, depth, number sizes and no
    control characters in its texts (SPEC 2.7.4).

    Raises
    ------
    InputError
        With the location (path and line where known) of the first problem.
    """
    return parse_json(read_text(path, max_bytes, what), str(path))


def parse_json(text: str, source: str) -> Any:
    """Return parsed JSON text within the input limits (SPEC 2.7.4).

    Parameters
    ----------
    text
        The JSON text.
    source
        The file it came from, named in every problem.

    Raises
    ------
    InputError
        When the text is not JSON, nests deeper than ``MAX_DEPTH``, holds a number longer
        than any limit, ``NaN`` or ``Infinity``, a control character in a key or text, or
        a date of a year outside those planner reads; each problem located.
    """

    def refuse(message: str, location: Location = (), line: int | None = None) -> NoReturn:
        """Raise the problem with the source, at ``location`` and ``line``."""
        raise InputError([Problem(location, message, line)], source)

    try:
        data = json.loads(
            text, parse_int=_json_integer, parse_float=_json_float, parse_constant=_json_constant
        )
    except json.JSONDecodeError as error:
        refuse(f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno)
    except RecursionError:
        refuse(f"nested deeper than {MAX_DEPTH} levels")
    except ValueError as error:
        refuse(str(error))
    too_deep = deeper_than(data)
    if too_deep is not None:
        refuse(f"nested deeper than {MAX_DEPTH} levels", too_deep)
    for location, message in text_problems(data, dates=True):
        refuse(message, location)
    return data


def _json_integer(text: str) -> int:
    """Return a JSON integer, refused when longer than any limit could allow."""
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"the number {text[:20]}... has more digits than any limit")
    return int(text)


def _json_float(text: str) -> float:
    """Return a JSON number with a fraction, refused when too long or not finite."""
    if len(text) > 2 * MAX_NUMBER_DIGITS:
        raise ValueError(f"the number {text[:20]}... has more digits than any limit")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _json_constant(text: str) -> float:
    """Refuse ``NaN`` and ``Infinity``: not numbers JSON allows."""
    raise ValueError(f"{text} is not a number JSON allows")


def load_baseline(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Baseline:
    """Read a published plan (``planner.schedule/1``) to compare a new plan with.

    Raises
    ------
    InputError
        When the file breaks an input limit, is not JSON, or is not such a plan; each
        problem with its location.
    """
    text = read_text(path, max_bytes, "plan")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    baseline, problems = baseline_from_data(parse_json(text, str(path)), digest)
    if baseline is None:
        raise InputError(problems, str(path))
    return baseline


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario file read and validated, with what it was read from."""

    scenario: Scenario
    """The validated scenario, its calendars' busy windows merged into ``unavailable``."""
    data: bytes
    """The bytes of the file: a plan's ``sha256`` names exactly the bytes planned."""
    calendars: tuple[CalendarSummary, ...]
    """What each calendar named by ``unavailable_ics`` gave (SPEC 2.7.5)."""


def load_scenario(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Scenario:
    """Read and validate a scenario file.

    Raises
    ------
    ScenarioError
        With every problem found, each with its location and line.
    """
    return read_scenario_details(path, max_bytes).scenario


def read_scenario_file(
    path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Scenario, bytes]:
    """Read and validate a scenario file; return it with the bytes it was read from.

    The file is read once: a plan's ``sha256`` names exactly the bytes planned.

    Raises
    ------
    ScenarioError
        With every problem found, each with its location and line.
    """
    loaded = read_scenario_details(path, max_bytes)
    return loaded.scenario, loaded.data


def read_scenario_details(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedScenario:
    """Read and validate a scenario file and the calendars it names (relative to its folder,
    each within ``max_bytes``); return it with its bytes and what each calendar gave.

    Raises
    ------
    ScenarioError
        With every problem found, each with its location and line; a calendar's problem
        is located at its path in the scenario and names the calendar's own line.
    """
    try:
        text = read_text(path, max_bytes, "scenario")
    except InputError as error:
        raise ScenarioError(error.problems, error.source) from None
    base = Path(path).resolve().parent
    scenario, calendars = _parse(text, str(path), base, max_bytes)
    return LoadedScenario(scenario, text.encode("utf-8"), tuple(calendars))


def parse_scenario(
    text: str,
    source: str = "<scenario>",
    *,
    base: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Scenario:
    """Return a scenario validated from its YAML text (see :func:`load_scenario`).

    Parameters
    ----------
    text
        The scenario file's text.
    source
        The file it came from, named in the error.
    base
        The folder relative calendar paths are read from (default: the current folder).
    max_bytes
        The largest calendar file read.

    Raises
    ------
    ScenarioError
        With every problem found, each with its location and line, in the order of the
        file.
    """
    return _parse(text, source, base or Path.cwd(), max_bytes)[0]


def _parse(
    text: str, source: str, base: Path, max_bytes: int
) -> tuple[Scenario, list[CalendarSummary]]:
    """Parse, validate and read the calendars of a scenario's text (:func:`parse_scenario`)."""
    data, lines, problems = read_yaml(text)
    if problems:
        raise ScenarioError(problems, source)
    if not isinstance(data, dict):
        raise ScenarioError([Problem((), "a scenario must be a mapping of keys", 1)], source)
    scenario, problems = _validate(data, lines)
    if problems or scenario is None:
        raise ScenarioError(sorted(problems, key=_order), source)
    scenario, calendars, problems = _read_calendars(scenario, data, base, max_bytes)
    if problems:
        raise ScenarioError(sorted((with_line(p, lines) for p in problems), key=_order), source)
    return scenario, calendars


def _read_calendars(
    scenario: Scenario, data: dict[str, Any], base: Path, max_bytes: int
) -> tuple[Scenario, list[CalendarSummary], list[Problem]]:
    """Merge the busy windows of the calendars a valid scenario names (SPEC 2.7.5; see
    :mod:`planner.calendars`); a scenario without calendars is returned as it is."""
    named = any(
        calendar_paths(data, block, index)
        for block in CALENDAR_BLOCKS
        for index in range(len(data.get(block) or []))
    )
    if not named:
        return scenario, [], []
    return with_calendars(scenario, base, max_bytes)


def _order(problem: Problem) -> tuple[int, str]:
    """Sort key of problems: by line, then by path."""
    return (problem.line or 0, problem.path)


_LIST_BLOCKS = ("countries", "rooms", "interpreters", "cases", "meetings", "action_days")


def validate_data(
    data: dict[str, Any], base: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario's plain data (a change applied to a scenario, generated data),
    reading the calendars it names (relative ones from ``base``, default the current
    folder; a scenario read from a file names them by absolute path).

    Returns
    -------
    tuple of (Scenario or None, list of Problem)
        The scenario and no problem, or ``None`` and every problem, located by path
        (without lines), in order.
    """
    scenario, problems = _validate(data, {})
    if scenario is not None and not problems:
        scenario, _, problems = _read_calendars(scenario, data, base or Path.cwd(), max_bytes)
    return (scenario if not problems else None), sorted(problems, key=_order)


def _validate(data: dict[str, Any], lines: LineMap) -> tuple[Scenario | None, list[Problem]]:
    """Validate the data, reporting every problem at once.

    References are checked on the plain data. When some entries fail their own
    validation, they are set aside and the rest is validated again, so that the
    checks which need validated values still run on everything else.
    """
    problems = reference_problems(data)
    try:
        scenario = Scenario.model_validate(data, context={LOCATED: True})
    except ValidationError as error:
        problems += [from_pydantic(entry) for entry in error.errors()]
        pruned, kept = _without_failed_entries(data, error)
        try:
            partial = Scenario.model_validate(pruned, context={LOCATED: True})
        except ValidationError:
            return None, [with_line(p, lines) for p in problems]
        problems += [_relocated(p, kept) for p in scenario_problems(partial)]
        return None, [with_line(p, lines) for p in problems]
    problems += scenario_problems(scenario)
    return scenario, [with_line(p, lines) for p in problems]


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


def with_line(problem: Problem, lines: LineMap) -> Problem:
    """Return the problem with the line of its location, or of the nearest enclosing
    location that ``lines`` knows.
    """
    location = problem.location
    while location and location not in lines:
        location = location[:-1]
    return Problem(problem.location, problem.message, lines.get(location))


_TAG = re.compile(r"[\[\]\-, ]")


def from_pydantic(entry: Mapping[str, Any]) -> Problem:
    """Return one of pydantic's errors as a located problem in plain words: an unknown key
    with the closest allowed one (or the allowed keys), a missing key, the allowed
    values of a choice, a validator's own message.
    """
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
    """Return the pydantic model a field's annotation holds (through ``Annotated``, lists and
    unions), or ``None`` for a plain value.
    """
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
