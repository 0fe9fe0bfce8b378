"""A robustness sweep as JSON (``planner.stress/1``), and read back (SPEC 2.7.6).

The document is the :class:`~planner.models.stress.StressReport` field by field
(``outcomes`` last: one per finished disruption, each with its ``disruption`` — kind,
words, resource, seed and change file text — and what its re-plan moved, dropped,
exited with and the checker found), after ``schema`` and two figures read from it:
``finished`` (disruptions re-planned) and ``absorbed_share``. A partial report (a
sweep ended by a signal) says ``"complete": false`` and the signal under
``interrupted``. :func:`read_stress_report` reads a report back, within the input
limits, so that another face (the local page) can show it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from planner.loading import DEFAULT_MAX_BYTES, from_pydantic, read_json
from planner.models.problems import InputError, Problem
from planner.models.stress import StressReport

SCHEMA = "planner.stress/1"

_REPORT = TypeAdapter(StressReport)


def stress_document(report: StressReport) -> dict[str, Any]:
    """Return the JSON document of a sweep (see the module)."""
    fields: dict[str, Any] = _REPORT.dump_python(report, mode="json")
    return {
        "schema": SCHEMA,
        "finished": len(report.outcomes),
        "absorbed_share": round(report.absorbed_share, 4),
        **fields,
    }


def stress_json(report: StressReport) -> str:
    """Return the report's JSON text, as ``-o REPORT.json`` and ``--json`` write it."""
    return json.dumps(stress_document(report), indent=2, ensure_ascii=False) + "\n"


def parse_stress_report(data: object, source: str = "") -> StressReport:
    """Return a sweep's report from its parsed JSON document.

    Raises
    ------
    InputError
        When the document is not a ``planner.stress/1`` report, with every problem
        located by its path in the document.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError([Problem(("schema",), f"not a stress report: schema must be {SCHEMA}")])
    try:
        return _REPORT.validate_python(data)
    except ValidationError as error:
        raise InputError([from_pydantic(entry) for entry in error.errors()], source) from None


def read_stress_report(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> StressReport:
    """Read a sweep's report file (``planner stress -o REPORT.json``).

    Raises
    ------
    InputError
        When the file breaks an input limit, is not JSON or is not such a report.
    """
    try:
        return parse_stress_report(read_json(path, max_bytes, "stress report"), str(path))
    except InputError as error:
        raise InputError(error.problems, str(path)) from None
