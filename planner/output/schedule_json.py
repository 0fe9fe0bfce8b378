"""The ``planner.schedule/1`` JSON document of a plan (SPEC 2.6, 2.7.1).

The plan file format, written from a :class:`~planner.models.schedule.Result`: every
key of SPEC 2.6 in its order, times in ISO 8601 with their offset, and ``changes``
against a baseline when there is one. It imports only the models, so that the
workflows may use it too: :func:`planner.solve.solve` hands a plan to the checker as a
file would show it, and what-if writes and compares plan documents
(``docs/architecture.md``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from planner.models.schedule import Changes, LocalTimes, Result

SCHEMA = "planner.schedule/1"


def _time(moment: datetime) -> str:
    """Return an instant as the plan writes it: ISO 8601 with its offset."""
    return moment.isoformat()


def _local(times: dict[str, LocalTimes]) -> dict[str, dict[str, str]]:
    """Return each participant's local ``{start, end}``, keyed by party code."""
    return {code: {"start": _time(t.start), "end": _time(t.end)} for code, t in times.items()}


def scenario_digest(data: bytes) -> str:
    """The sha256 of a scenario file's bytes, as written in the schedule."""
    return hashlib.sha256(data).hexdigest()


def schedule_document(result: Result, scenario_name: str, scenario_sha256: str) -> dict[str, Any]:
    """Return the JSON document of a result, with every key of SPEC 2.6 in its order.

    Parameters
    ----------
    result
        The plan (or the infeasibility) to write.
    scenario_name
        The scenario's ``name``.
    scenario_sha256
        The sha256 of the scenario file's bytes (:func:`scenario_digest`); empty when the
        document is not written to a file.

    Returns
    -------
    dict
        ``schema``, ``scenario``, ``status``, ``objective``, ``bound``, ``terms``,
        ``solve_seconds``, ``meetings``, ``action_days``, ``unscheduled``, ``infeasible``,
        ``links``, and ``changes`` when the result has them.
    """
    return {
        "schema": SCHEMA,
        "scenario": {"name": scenario_name, "sha256": scenario_sha256},
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "score": None if result.score is None else result.score.as_dict(),
        "score_bound": None if result.score_bound is None else result.score_bound.as_dict(),
        "terms": result.terms,
        "solve_seconds": round(result.solve_seconds, 3),
        "meetings": [
            {
                "id": m.id,
                "case": m.case,
                "start": _time(m.start),
                "end": _time(m.end),
                "room": m.room,
                "interpreters": m.interpreters,
                "absent": m.absent,
                "local": _local(m.local),
            }
            for m in result.meetings
        ],
        "action_days": [
            {
                "id": a.id,
                "case": a.case,
                "date": a.date.isoformat(),
                "centre_open": _time(a.centre_open),
                "centre_close": _time(a.centre_close),
                "room": a.room,
                "operations": _local(a.operations),
            }
            for a in result.action_days
        ],
        "unscheduled": [
            {"id": u.id, "rule": u.rule, "reasons": u.reasons} for u in result.unscheduled
        ],
        "infeasible": [
            {"rule": i.rule, "activities": i.activities, "reason": i.reason}
            for i in result.infeasible
        ],
        "links": {
            "clusters": result.links.clusters,
            "suspected": [{"cases": s.cases, "why": s.why} for s in result.links.suspected],
        },
        **({"changes": changes_document(result.changes)} if result.changes else {}),
    }


def changes_document(changes: Changes) -> dict[str, Any]:
    """The ``changes`` object of SPEC 2.7.1 (with ``now`` for a re-plan)."""
    document: dict[str, Any] = {
        "baseline": {"sha256": changes.baseline_sha256, "objective": changes.baseline_objective},
    }
    if changes.now is not None:
        document["now"] = _time(changes.now)
    document |= {
        "frozen": changes.frozen,
        "moved": [
            {"id": m.id, "fields": m.fields, "from": m.before, "to": m.after} for m in changes.moved
        ],
        "new": changes.new,
        "dropped": [{"id": d.id, "rule": d.rule, "reasons": d.reasons} for d in changes.dropped],
        "cancelled": changes.cancelled,
        "conflicts": [
            {"id": c.id, "rule": c.rule, "reasons": c.reasons} for c in changes.conflicts
        ],
    }
    return document


def dumps(document: dict[str, Any]) -> str:
    """Stable JSON text: the same plan always gives the same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
