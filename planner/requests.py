"""Meeting requests from spreadsheets (SPEC 2.7.5, ``planner import``): one row per meeting,
read from an Excel workbook (``openpyxl``) or a CSV file (the standard library), merged
into a scenario by id and validated as a whole.

The columns (README "Meeting requests from a spreadsheet"), matched without regard to
case, spaces or underscores:

- ``id`` (required), ``case``, ``duration``, ``participants``, ``earliest``, ``latest``,
  ``preferred``, ``priority``, ``after``, ``working_language``, ``title``: the meeting's
  fields as a scenario writes them; an empty cell leaves the field as it is (a new
  meeting: its default);
- ``notes``, and the other columns of a plan's CSV export (``kind``, ``status``,
  ``date``, ``start``, ``end``, ``room``, ``interpreters``, ``local times``, ``rule``,
  ``reason``): ignored, so that a plan exported with ``-o plan.csv`` imports back; an
  action day's row of that export is skipped, and a placed meeting without a
  ``duration`` takes ``end - start``;
- any other column is an error (a misspelt ``durration`` would otherwise be lost).

``participants`` is one cell: parties separated by ``;``, each its code followed, in any
order, by ``xN`` (delegates), ``video`` or ``in person``, a language code (ISO 639-1)
and ``optional``, e.g. ``NL x2; DE de; ES es video; FR optional``. ``after`` is ids
separated by ``;``, each with an optional gap: ``CM-0388-1 1d; CM-0401-2``.

Cells are read as Excel stores them: a date cell is a date (a date and time at midnight
too), a number in ``duration`` is minutes, an Excel time (``02:00``) is hours and
minutes; text is read as a scenario file writes it. A CSV file is text throughout:
its dates are ``YYYY-MM-DD``, its durations minutes or ``1h30m``. A cell that starts with
``'`` before ``=``, ``+``, ``-`` or ``@`` (how the plan's export keeps a spreadsheet from
reading text as a formula) is read without the ``'``.

Every problem is found at once and located as ``sheet "requests", row 3, column
duration`` (a CSV file has no sheet): first the cells that cannot be read at all (the
row is merged without them), then what the merged scenario's validation says about
the meetings the rows made, each at the row and column it came from; a problem of the
``--into`` scenario itself is told at its place in that file before any row is read.
Nothing is merged, and nothing written, when there is one.

Limits (SPEC 2.7.4): the file's size (``--max-input-mb``), a workbook's unpacked size
(:data:`MAX_UNPACKED`, against zip bombs), :data:`MAX_ROWS` rows and
:data:`MAX_COLUMNS` columns, UTF-8 CSV without control characters.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from planner.loading import load_scenario, read_text, read_yaml, validate_data
from planner.models.limits import MEBIBYTE, control_character_in, raw_control_line
from planner.models.problems import InputError, Location, Problem
from planner.models.values import PRIORITIES, SCHEMA

MEETING_COLUMNS: tuple[str, ...] = ("id", "case", "duration", "participants", "earliest")
MEETING_COLUMNS += ("latest", "preferred", "priority", "after", "working_language", "title")
"""The columns read into a meeting, each named as the meeting's field."""

IGNORED_COLUMNS: tuple[str, ...] = ("notes", "kind", "status", "date", "start", "end")
IGNORED_COLUMNS += ("room", "interpreters", "local times", "rule", "reason")
"""Columns read past: notes, and what a plan's CSV export adds to a request."""

MAX_ROWS = 50_000
"""The most rows read from a sheet: far more meetings than a horizon of three years holds."""
MAX_COLUMNS = 64
"""The most columns read from a sheet."""
MAX_UNPACKED = 200 * MEBIBYTE
"""The most an Excel workbook (a zip of XML files) may unpack to: a small file that
unpacks to gigabytes is refused before it is read."""

_SPACES = re.compile(r"[\s_-]+")
_DELEGATES = re.compile(r"^[x×](\d+)$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_CLOCK_DURATION = re.compile(r"^(\d{1,2}):(\d{2})$")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@])")


@dataclass(frozen=True)
class Request:
    """One row of meeting requests: the fields it gives, where it is, and the column of
    each field (to locate what validation finds)."""

    row: int
    fields: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)
    unread: frozenset[Location] = frozenset()
    """The cells of the row that could not be read (their problems are the sheet's)."""


@dataclass(frozen=True)
class RequestSheet:
    """The requests of one sheet or CSV file, the rows skipped (action days) and the cells
    that cannot be read (a row is merged without them, so that what they leave missing
    is not told twice)."""

    source: str
    sheet: str | None
    requests: list[Request]
    skipped: list[str]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    """A scenario with requests merged: its data, and the meetings added and updated."""

    data: dict[str, Any]
    added: list[str]
    updated: list[str]
    skipped: list[str]


def where(sheet: str | None, row: int, column: str | None = None) -> Location:
    """Return the location of a cell: ``sheet "requests", row 3, column duration``."""
    text = f'sheet "{sheet}", row {row}' if sheet is not None else f"row {row}"
    return (f"{text}, column {column}" if column else text,)


def read_requests(path: str | Path, sheet: str | None = None, *, max_bytes: int) -> RequestSheet:
    """Read meeting requests from an ``.xlsx`` workbook (its first sheet, or ``sheet``) or a
    ``.csv`` file (UTF-8 with or without a byte order mark, ``;`` or ``,``).

    Raises
    ------
    InputError
        When the file cannot be read as a table at all (its size, format, header row).
        A cell that cannot be read is not raised: it is in the sheet's ``problems``,
        told with the merge's (:func:`merge_requests`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise _file_problem(path, "requests are read from .xlsx or .csv files")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _file_problem(path, f"cannot read the file: {error.strerror or error}") from None
    if size > max_bytes:
        raise _file_problem(
            path, f"the file is larger than the limit of {max_bytes / MEBIBYTE:g} MB"
        )
    if suffix == ".csv":
        if sheet is not None:
            raise _file_problem(path, "--sheet is for workbooks; a CSV file has one table")
        rows, name = _csv_rows(path), None
    else:
        rows, name = _workbook_rows(path, sheet)
    return _requests(str(path), name, rows)


def _file_problem(path: Path, message: str, line: int | None = None) -> InputError:
    """Return the error of a requests file as a whole."""
    return InputError([Problem((), message, line)], str(path))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Yield a CSV file's rows with their numbers; the delimiter is ``;`` or ``,``, whichever
    the header uses more."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8 text ({error.reason}): save it as CSV UTF-8"
        raise _file_problem(path, message, line) from None
    control = raw_control_line(text)
    if control is not None:
        raise _file_problem(path, f"control character {control[1]} in the file", control[0])
    header = text.split("\n", 1)[0]
    delimiter = ";" if _unquoted_count(header, ";") > _unquoted_count(header, ",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, list(row)
    except csv.Error as error:
        raise _file_problem(path, f"not CSV: {error}", reader.line_num) from None


def _unquoted_count(line: str, character: str) -> int:
    """Return how often ``character`` occurs in a CSV line outside quotes."""
    count, quoted = 0, False
    for found in line:
        if found == '"':
            quoted = not quoted
        elif found == character and not quoted:
            count += 1
    return count


def _workbook_rows(path: Path, sheet: str | None) -> tuple[Iterator[tuple[int, list[Any]]], str]:
    """Return the rows (values as Excel stores them: dates as dates) of a workbook's sheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise _file_problem(path, f"not an Excel workbook (.xlsx): {error}") from None
    if unpacked > MAX_UNPACKED:
        limit = f"{MAX_UNPACKED / MEBIBYTE:g} MB"
        raise _file_problem(path, f"the workbook unpacks to more than {limit}")
    import openpyxl  # a few hundred milliseconds to import: only when a workbook is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise _file_problem(path, f"the workbook cannot be read: {error}") from None
    names = list(book.sheetnames)
    name = sheet if sheet is not None else (names[0] if names else None)
    if name is None or name not in names:
        listed = ", ".join(f'"{n}"' for n in names)
        raise _file_problem(path, f'no sheet "{sheet}" (the workbook has {listed})')

    def rows() -> Iterator[tuple[int, list[Any]]]:
        """Yield the sheet's rows, numbered as Excel shows them."""
        try:
            values = book[name].iter_rows(values_only=True, max_col=MAX_COLUMNS)
            for number, row in enumerate(values, start=1):
                yield number, list(row)
        finally:
            book.close()

    return rows(), name


def _requests(
    source: str, sheet: str | None, rows: Iterator[tuple[int, list[Any]]]
) -> RequestSheet:
    """Read the header and every row into requests; raise every problem at once."""
    problems: list[Problem] = []
    header: dict[int, str] = {}
    requests: list[Request] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        if number > MAX_ROWS:
            problems.append(Problem(where(sheet, number), f"more than {MAX_ROWS} rows"))
            break
        if not header:
            if all(_blank(value) for value in row):
                continue
            header = _header(row, sheet, number, problems)
            if problems:
                break
            continue
        cells = {header[i]: value for i, value in enumerate(row) if i in header}
        if all(_blank(value) for value in cells.values()):
            continue
        if str(cells.get("kind") or "").strip().lower() == "action day":
            skipped.append(_text(cells.get("id")) or f"row {number}")
            continue
        request = _request(cells, sheet, number, problems)
        if request is None:
            continue
        identifier = request.fields["id"]
        if identifier in seen:
            message = f"id {identifier} is already on row {seen[identifier]}"
            problems.append(Problem(where(sheet, number, "id"), message))
            continue
        seen[identifier] = number
        requests.append(request)
    if not header and not problems:
        problems.append(Problem(where(sheet, 1), "no header row (the first row names the columns)"))
    if not header or (not requests and problems):
        raise InputError(problems, source)
    return RequestSheet(source, sheet, requests, skipped, problems)


def _blank(value: Any) -> bool:
    """Whether a cell is empty (nothing, or only spaces): an empty cell gives no value,
    so that an update leaves the field as the scenario has it."""
    return value is None or (isinstance(value, str) and not value.strip())


def _normalised(name: str) -> str:
    """Return a column name compared without case, spaces, ``_`` or ``-``: ``Working
    language``, ``working_language`` and ``WORKING-LANGUAGE`` are one column."""
    return _SPACES.sub(" ", name.strip().lower())


_KNOWN = {_normalised(name): name for name in (*MEETING_COLUMNS, *IGNORED_COLUMNS)}


def _header(
    row: list[Any], sheet: str | None, number: int, problems: list[Problem]
) -> dict[int, str]:
    """Return the known column of each position of the header row; report unknown, repeated
    and missing ones."""
    header: dict[int, str] = {}
    for index, value in enumerate(row):
        if _blank(value):
            continue
        written = str(value).strip()
        name = _KNOWN.get(_normalised(written))
        if name is None:
            close = difflib.get_close_matches(_normalised(written), list(_KNOWN), n=1, cutoff=0.6)
            hint = f"; did you mean {_KNOWN[close[0]]}?" if close else ""
            problems.append(
                Problem(where(sheet, number, written), f"unknown column {written!r}{hint}")
            )
        elif name in header.values():
            problems.append(Problem(where(sheet, number, written), f"column {name} is given twice"))
        else:
            header[index] = name
    if not problems and "id" not in header.values():
        problems.append(
            Problem(where(sheet, number), "no id column: every row needs its meeting's id")
        )
    return header


def _request(
    cells: dict[str, Any], sheet: str | None, number: int, problems: list[Problem]
) -> Request | None:
    """Return one row's meeting fields, or ``None`` when a cell cannot be read (reported)."""
    fields: dict[str, Any] = {}
    columns: dict[str, str] = {}
    found = len(problems)
    for column in MEETING_COLUMNS:
        value = cells.get(column)
        if _blank(value):
            continue
        try:
            fields[column] = _READERS.get(column, _text)(value)
        except ValueError as error:
            problems.append(Problem(where(sheet, number, column), str(error)))
            continue
        columns[column] = column
    if "id" not in fields:
        if len(problems) == found:
            problems.append(Problem(where(sheet, number, "id"), "the meeting's id is missing"))
        return None
    if "duration" not in fields and not _blank(cells.get("start")) and not _blank(cells.get("end")):
        minutes = _minutes_between(cells["start"], cells["end"])
        if minutes is not None:
            fields["duration"], columns["duration"] = minutes, "start"
    unread = {p.location for p in problems[found:]}
    return Request(number, fields, columns, frozenset(unread))


def _text(value: Any) -> str:
    """Return a cell as text: a whole number without ``.0``, the export's formula guard (a
    leading ``'`` before ``=``, ``+``, ``-`` or ``@``) taken off; line breaks within a cell
    (Alt+Enter in Excel) are kept, other control characters refused."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _FORMULA_GUARD.sub("", str(value).strip().replace("\r\n", "\n"))
    character = control_character_in(text.replace("\n", " ").replace("\t", " "))
    if character:
        raise ValueError(f"control character {character} is not allowed")
    return text


def _duration(value: Any) -> Any:
    """Return a duration cell as the scenario reads it: whole minutes from a number, an
    Excel time (``01:30``) or interval, else the text (``90m``, ``1h30m``)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        if not float(value).is_integer() or value < 0:
            raise ValueError(f"{value!r} is not a whole number of minutes")
        return int(value)
    if isinstance(value, timedelta):
        return int(value.total_seconds() // 60)
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    text = _text(value)
    if text.isdigit():
        return int(text)  # a CSV cell of minutes
    clock = _CLOCK_DURATION.match(text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    return text


def _date(value: Any) -> str:
    """Return a date cell as ``YYYY-MM-DD``: an Excel date, or text written so.

    Text such as ``01/12/2026`` is refused: whether it is the first of December or the
    twelfth of January depends on the locale that wrote it.
    """
    if isinstance(value, datetime):
        if value.time() != time():
            raise ValueError(f"{value} is a date and time; the column takes a date")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        raise ValueError(f"{text!r} is not a date (a date cell, or text YYYY-MM-DD)")
    return text


def _priority(value: Any) -> str:
    """Return a priority cell: ``critical``, ``high``, ``normal`` or ``low``."""
    text = _text(value).lower()
    if text not in PRIORITIES:
        raise ValueError(f"{text!r} is not a priority ({', '.join(PRIORITIES)})")
    return text


def participants(value: Any) -> list[dict[str, Any]]:
    """Return a participants cell as the scenario's ``participants``.

    ``NL x2; DE de; ES es video; FR optional``: parties separated by ``;`` (or new
    lines), each its code and then, in any order, ``xN`` delegates, ``video`` or ``in
    person``, a language code, ``optional`` (or ``required``). A plan's CSV export writes
    ``NL x3 in person; ES x1 video es (optional) (absent)``: parentheses are read past,
    and ``absent`` (a fact of that plan, not of the request) is ignored.

    Raises
    ------
    ValueError
        Naming the party and the word that is not understood.
    """
    found: list[dict[str, Any]] = []
    for item in re.split(r"[;\n]", _text(value)):
        words = item.replace("(", " ").replace(")", " ").split()
        if not words:
            continue
        code, rest = words[0].upper(), [word.lower() for word in words[1:]]
        entry: dict[str, Any] = {"country": code}
        index = 0
        while index < len(rest):
            word = rest[index]
            delegates = _DELEGATES.match(word)
            if delegates:
                entry["delegates"] = int(delegates.group(1))
            elif word == "video":
                entry["attendance"] = "video"
            elif word in ("in_person", "in-person"):
                entry["attendance"] = "in_person"
            elif word == "in" and rest[index + 1 : index + 2] == ["person"]:
                entry["attendance"] = "in_person"
                index += 1
            elif word in ("optional", "required"):
                entry["required"] = word == "required"
            elif word == "absent":
                pass
            elif _LANGUAGE.match(word):
                entry["language"] = word
            else:
                raise ValueError(
                    f"{item.strip()!r}: {word!r} is not understood (write CODE [xN] [video] "
                    "[language] [optional], e.g. 'DE x2 de')"
                )
            index += 1
        found.append(entry)
    if not found:
        raise ValueError("no participant")
    return found


def predecessors(value: Any) -> list[dict[str, Any]]:
    """Return an ``after`` cell (``CM-1 1d; CM-2``) as the scenario's ``after`` entries."""
    found: list[dict[str, Any]] = []
    for item in re.split(r"[;\n]", _text(value)):
        words = item.split()
        if not words:
            continue
        if len(words) > 2:
            raise ValueError(f"{item.strip()!r}: write a meeting id and an optional gap (CM-1 1d)")
        found.append({"meeting": words[0], **({"gap": words[1]} if len(words) == 2 else {})})
    return found


_READERS = {
    "duration": _duration,
    "participants": participants,
    "earliest": _date,
    "latest": _date,
    "preferred": _date,
    "priority": _priority,
    "after": predecessors,
    "working_language": lambda value: _text(value).lower(),
}


def _minutes_between(start: Any, end: Any) -> int | None:
    """Return the minutes from a plan export's ``start`` to its ``end``, or ``None``."""
    try:
        first = start if isinstance(start, datetime) else datetime.fromisoformat(_text(start))
        last = end if isinstance(end, datetime) else datetime.fromisoformat(_text(end))
        minutes = (last - first).total_seconds() / 60
    except (TypeError, ValueError):
        return None
    return int(minutes) if minutes > 0 and minutes.is_integer() else None


# ---- merging into a scenario ----------------------------------------------------------------


def merge_requests(
    sheet: RequestSheet,
    into: Path | None,
    output: Path,
    max_bytes: int,
) -> Imported:
    """Merge requests into a scenario (``into``, else a new one) and validate the result.

    New ids are added, existing meetings updated field by field (an empty cell leaves a
    field as it is). Without ``into``, the new scenario's horizon spans the requests'
    dates and each case is listed with the countries of its meetings and crime
    ``other``. Relative calendar paths of ``into`` are rewritten for ``output``'s folder.

    Raises
    ------
    InputError
        Every problem at once: the scenario's own (named by their path in it), and those
        the requests cause, at their sheet, row and column.
    """
    data = _scenario_data(into, max_bytes) if into else _new_scenario(sheet)
    meetings: list[dict[str, Any]] = data.setdefault("meetings", [])
    index = {m.get("id"): i for i, m in enumerate(meetings) if isinstance(m, dict)}
    action_days = {a.get("id") for a in data.get("action_days", []) if isinstance(a, dict)}
    rows: dict[int, Request] = {}
    added: list[str] = []
    updated: list[str] = []
    problems: list[Problem] = list(sheet.problems)
    for request in sheet.requests:
        identifier = request.fields["id"]
        if identifier in action_days:
            message = f"{identifier} is an action day of the scenario, not a meeting"
            problems.append(Problem(where(sheet.sheet, request.row, "id"), message))
            continue
        if identifier in index:
            meetings[index[identifier]] = {**meetings[index[identifier]], **request.fields}
            updated.append(identifier)
        else:
            index[identifier] = len(meetings)
            meetings.append(dict(request.fields))
            added.append(identifier)
        rows[index[identifier]] = request
    if into is not None:
        _rebase_calendars(data, into.resolve().parent, output.resolve().parent)
    _, found = validate_data(data, output.resolve().parent, max_bytes)
    told = {problem.location for problem in problems}
    for problem in found:
        located = _at_row(problem, rows, sheet.sheet)
        if located.location not in told:  # a cell not read is not told again as missing
            told.add(located.location)
            problems.append(located)
    if problems:
        raise InputError(sorted(problems, key=_row_order), sheet.source)
    return Imported(data, added, updated, sheet.skipped)


def _row_order(problem: Problem) -> tuple[int, int]:
    """Sort key of problems: the scenario's own first, then by row, then by column."""
    text = problem.path
    found = re.search(r"row (\d+)", text)
    if found is None:
        return (0, 0)
    column = text.rsplit("column ", 1)[-1] if "column " in text else ""
    order = MEETING_COLUMNS.index(column) if column in MEETING_COLUMNS else len(MEETING_COLUMNS)
    return (int(found.group(1)), order)


def _scenario_data(path: Path, max_bytes: int) -> dict[str, Any]:
    """Return a scenario file's plain data (as written: nothing merged from calendars), once
    the scenario has validated as it is.

    Raises
    ------
    ScenarioError
        The scenario's own problems, each located in it.
    """
    load_scenario(path, max_bytes)
    text = read_text(path, max_bytes, "scenario")
    data, _, problems = read_yaml(text)
    if problems:
        raise InputError(problems, str(path))
    if not isinstance(data, dict):
        raise InputError([Problem((), "a scenario must be a mapping of keys", 1)], str(path))
    return data


def _new_scenario(sheet: RequestSheet) -> dict[str, Any]:
    """Return a new scenario for requests without one: the horizon from their dates, each
    case with its meetings' countries (crime ``other``, to be set by the coordinator).

    Raises
    ------
    InputError
        When no row gives a date to span a horizon with.
    """
    days = sorted(
        request.fields[key]
        for request in sheet.requests
        for key in ("earliest", "latest", "preferred")
        if key in request.fields
    )
    if not days:
        location = where(sheet.sheet, sheet.requests[0].row if sheet.requests else 1)
        message = (
            "no earliest, latest or preferred date to span a horizon: import --into a scenario"
        )
        raise InputError([Problem(location, message)], sheet.source)
    cases: dict[str, list[str]] = {}
    for request in sheet.requests:
        countries = cases.setdefault(str(request.fields.get("case", "")), [])
        for participant in request.fields.get("participants", []):
            if participant["country"] not in countries:
                countries.append(participant["country"])
    return {
        "schema": SCHEMA,
        "name": Path(sheet.source).stem,
        "horizon": {"start": days[0], "end": days[-1]},
        "cases": [
            {"id": case, "crime": "other", "countries": countries or ["NL"]}
            for case, countries in cases.items()
            if case
        ],
        "meetings": [],
    }


def _rebase_calendars(data: dict[str, Any], source: Path, target: Path) -> None:
    """Rewrite relative ``unavailable_ics`` paths, read from ``source``, for ``target``.

    Calendar paths are relative to the scenario file; the merged scenario is written to
    another file, possibly in another folder, whose calendars must be the same files.
    """
    if source == target:
        return
    for block in ("rooms", "interpreters", "countries"):
        for entry in data.get(block) or []:
            paths = entry.get("unavailable_ics") if isinstance(entry, dict) else None
            if isinstance(paths, str):
                paths = [paths]
            if not isinstance(paths, list):
                continue
            entry["unavailable_ics"] = [
                os.path.relpath(source / path, target)
                if isinstance(path, str) and not Path(path).is_absolute()
                else path
                for path in paths
            ]


def _at_row(problem: Problem, rows: dict[int, Request], sheet: str | None) -> Problem:
    """Return a validation problem of a meeting from the sheet at its row and column."""
    location = problem.location
    if len(location) >= 2 and location[0] == "meetings" and isinstance(location[1], int):
        request = rows.get(location[1])
        if request is not None:
            key = str(location[2]) if len(location) > 2 else None
            column = request.columns.get(key, key) if key else None
            return Problem(where(sheet, request.row, column), problem.message)
    return problem
