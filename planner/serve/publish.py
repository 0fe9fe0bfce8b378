"""Publishing a plan from the page (SPEC 2.7.3 v1.2), and what the nightly job did since.

Publish writes the plan, atomically, where ``--publish`` says (default
``published.json`` beside the scenario): the file the nightly ``planner replan
SCENARIO --baseline published.json`` reads. The file is a plan of the scenario file as
it is (its name and the sha256 of its bytes in the header), checked by the independent
checker against that scenario before it is written: a plan made with page edits that
the scenario file does not have (a room removed, a meeting added) breaks its rules and
is refused, with the rules it breaks. The ``changes`` of the plan against the page's
plan before it are left out (they name no file); its ``moves`` term stays as solved.

Each version published is kept in the state with its time and the exact text written.
When the file no longer holds the last version published from the page (the nightly
job replaced it), the page is told what changed since: the ``changes`` of the file's
plan against that version (:func:`planner.changes.compare`), and whether the job read
that very version (its ``changes.baseline.sha256``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from planner.changes import compare
from planner.check import check_schedule
from planner.loading import parse_json, read_text
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.limits import DEFAULT_MAX_INPUT_MB, MEBIBYTE
from planner.models.problems import InputError, Problem
from planner.models.stress import StressReport
from planner.output.files import write_atomically
from planner.output.schedule_json import changes_document, dumps
from planner.output.stress_json import parse_stress_report
from planner.output.stress_text import headline
from planner.serve.session import Session
from planner.serve.views import result_of

MAX_BYTES = int(DEFAULT_MAX_INPUT_MB * MEBIBYTE)
"""The largest published file read back (the input limit of every command)."""


class PublishRefused(Exception):
    """A plan that cannot be published: the rules of the scenario file it breaks."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def publish(session: Session, plan_id: int) -> dict[str, Any]:
    """Publish plan ``plan_id`` (see the module); return the version's record.

    Raises
    ------
    KeyError
        When the session has no such plan.
    PublishRefused
        When there is no place to publish, or the plan breaks a rule of the scenario file.
    """
    path = session.settings.publish_path
    if path is None:
        raise PublishRefused(["no place to publish (--publish)"])
    view = session.plan(plan_id)
    if view is None:
        raise KeyError(f"no plan {plan_id}")
    scenario = {"name": session.base.name, "sha256": session.settings.scenario_digest}
    document = {
        key: scenario if key == "scenario" else value
        for key, value in view.document.items()
        if key != "changes"
    }
    violations = check_schedule(session.base, document)
    if violations:
        shown = [f"{v.rule}: {v.activity} {v.detail}".replace("  ", " ") for v in violations]
        raise PublishRefused(
            [
                f"plan {view.name} breaks rules of {session.base.name or 'the scenario'} "
                "as its file stands (apply the page's change file to it first):",
                *shown[:20],
            ]
        )
    text = dumps(document)
    write_atomically(path, text)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    version = session.state.add_publication(plan_id, str(path), sha256, text)
    return {"name": view.name, "published_at": version.published_at, "path": str(path)}


def published_state(session: Session) -> dict[str, Any]:
    """Where the page publishes, every version it published, and what the file holds now:
    the same version, or another plan (the nightly job's) with its changes since."""
    path = session.settings.publish_path
    names = {row.id: row.name for row in session.plans()}
    versions = [
        {"plan": names.get(p.plan_id, "?"), "plan_id": p.plan_id, "published_at": p.published_at}
        for p in session.state.publications()
    ]
    state: dict[str, Any] = {"path": None if path is None else str(path), "versions": versions}
    state["stress"] = None
    if path is None or not path.exists():
        return state | {"file": None}
    last = session.state.last_publication(str(path))
    try:
        document, sha256 = _read_published(path)
    except InputError as error:
        return state | {"file": {"problem": "; ".join(str(p) for p in error.problems)}}
    state["stress"] = _stress_summary(_stress_of(session, document, sha256))
    if last is not None and last[0].sha256 == sha256:
        return state | {"file": {"same": True, "published_at": last[0].published_at}}
    found: dict[str, Any] = {"same": False, "status": document.get("status")}
    found["objective"] = document.get("objective")
    if last is not None:
        publication, written = last
        found["since"] = publication.published_at
        stated = (document.get("changes") or {}).get("baseline") or {}
        found["read_that_version"] = stated.get("sha256") == publication.sha256
        baseline, _ = baseline_from_data(json.loads(written), publication.sha256)
        held, problems = baseline_from_data(document, sha256)
        if baseline is not None and held is not None:
            changes = compare(session.base, baseline, result_of(document))
            found["changes"] = changes_document(changes)
        else:
            found["problem"] = "; ".join(str(p) for p in problems) or "not a plan"
    return state | {"file": found}


FRAGILE_SHOWN = 10
"""The fragile activities the page lists (the HTML report has them all)."""


def _read_published(path: Path) -> tuple[Any, str]:
    """The published file's document and the sha256 of its bytes.

    Raises
    ------
    InputError
        When the file breaks an input limit or is not JSON.
    """
    text = read_text(path, MAX_BYTES, "plan")
    return parse_json(text, str(path)), hashlib.sha256(text.encode("utf-8")).hexdigest()


def last_stress(session: Session) -> tuple[StressReport, str, Baseline] | None:
    """The last robustness sweep (``planner stress``) of the plan the published file holds
    now, when one was kept in the state: the report, when it was kept, and that plan."""
    path = session.settings.publish_path
    if path is None or not path.exists():
        return None
    try:
        document, sha256 = _read_published(path)
    except InputError:
        return None
    return _stress_of(session, document, sha256)


def _stress_of(
    session: Session, document: Any, sha256: str
) -> tuple[StressReport, str, Baseline] | None:
    """The last sweep kept about the plan file of ``sha256`` (``document`` its content),
    when there is one and the file is a plan."""
    kept = session.state.last_report(sha256, "stress")
    if kept is None:
        return None
    plan, _ = baseline_from_data(document, sha256)
    if plan is None:
        return None
    made_at, report = kept
    return parse_stress_report(json.loads(report), "the state's stress report"), made_at, plan


def _stress_summary(found: tuple[StressReport, str, Baseline] | None) -> dict[str, Any] | None:
    """What the page shows of a sweep: its headline, the table per kind and the most
    fragile activities (``None``: no sweep)."""
    if found is None:
        return None
    report, made_at, _ = found
    return {
        "made_at": made_at,
        "headline": headline(report),
        "complete": report.complete,
        "by_kind": [asdict(summary) for summary in report.by_kind],
        "fragile": [
            {
                "id": entry.id,
                "moved": entry.moved,
                "dropped": entry.dropped,
                "forced_by": ", ".join(f"{f.resource} ({f.times})" for f in entry.forced_by),
            }
            for entry in report.fragile[:FRAGILE_SHOWN]
        ],
    }


def take_published(session: Session) -> int:
    """Take the plan the published file holds now (the nightly job's) into the session as a
    plan of its own; return its id.

    Raises
    ------
    InputError
        When there is no published file, or it is not a plan.
    """
    path = session.settings.publish_path
    if path is None or not path.exists():
        raise InputError([Problem((), "nothing is published yet")], str(path))
    document, _ = _read_published(path)
    plan, problems = baseline_from_data(document, "")
    if plan is None:
        raise InputError(problems, str(path))
    return session.add_file_plan(f"{Path(path).stem} as found", document)
