"""One disruption drawn, re-planned and checked, in whatever process runs it (SPEC 2.7.6).

:func:`replan_disruption` draws disruption ``i`` of the sweep (:mod:`planner.stress.draws`:
from the sweep's seed and ``i`` alone, so wherever it runs), applies its change file to
the scenario (:func:`planner.change.apply_change`), re-plans it against the published plan through
:func:`planner.solve.replan` — the code path of ``planner replan`` — with one search
worker and the disruption's own seed, and checks the plan with the independent checker
against the published plan (:func:`planner.check.verify`). What every re-plan of a
sweep shares (:class:`SweepJob`) is sent to each process once and read there once;
a task is only the disruption's number. Drawing in the processes spreads what a draw
costs (the changed scenario validated whole: seconds for a year of 4 times the agency's
work) over them, instead of holding every task back in the command.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.check import verify
from planner.exits import EXIT_INTERNAL, EXIT_INVALID, EXIT_NO_SOLUTION, plan_exit
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.problems import InputError
from planner.models.scenario import Scenario
from planner.models.schedule import Result
from planner.models.stress import Disruption, DroppedActivity, MovedActivity, Outcome
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import replan
from planner.stress.draws import Drawer, disruption_name, disruption_seed

REPLAN_WORKERS = 1
"""Search workers of each re-plan: one, so that a re-plan's seed decides its search and
the sweep's parallelism is in its processes (README "Robustness sweeps")."""


@dataclass(frozen=True)
class SweepJob:
    """What every re-plan of a sweep shares: the scenario as data, the published plan's
    text, the moment and the termination settings."""

    key: str
    """Names this job in each process's cache: the digests of what it holds."""
    scenario: dict[str, Any]
    """The scenario as data (``model_dump(by_alias=True, exclude_defaults=True)``)."""
    published: str
    """The published plan file's text."""
    now: datetime
    seed: int
    """The sweep's seed: disruption ``i`` is drawn from it and ``i``."""
    kinds: tuple[str, ...]
    """The kinds, taking turns: disruption ``i`` is of ``kinds[i % len(kinds)]``."""
    time_limit: float
    idle: float | None
    gap: float | None


@dataclass(frozen=True)
class _Prepared:
    """A job read once in a process: the scenario validated, the plan as a baseline and
    as the checker reads it, and what draws the disruptions."""

    scenario: Scenario
    baseline: Baseline
    document: dict[str, Any]
    published_bytes: bytes
    drawer: Drawer


_prepared: dict[str, _Prepared] = {}
"""The job of this process, read once (a process runs the re-plans of one sweep)."""


def sweep_job(
    scenario: Scenario,
    published: str,
    *,
    now: datetime,
    seed: int,
    kinds: Sequence[str],
    time_limit: float,
    idle: float | None,
    gap: float | None,
) -> SweepJob:
    """Return the shared part of a sweep's re-plans.

    Parameters
    ----------
    scenario
        The scenario the plan was published for (sent as data, validated once in each
        process).
    published
        The published plan file's text: each process reads it as a baseline, and the
        checker verifies each re-plan against these bytes.
    now
        The moment of every re-plan, as ``planner replan --now``.
    seed, kinds
        What the disruptions are drawn from.
    time_limit, idle, gap
        Every re-plan's termination, as ``planner replan`` takes it.
    """
    data = scenario.model_dump(by_alias=True, exclude_defaults=True)
    digest = hashlib.sha256()
    digest.update(json.dumps(data, sort_keys=True, default=str).encode("utf-8"))
    digest.update(published.encode("utf-8"))
    digest.update(f"{now.isoformat()}:{seed}:{','.join(kinds)}".encode())
    return SweepJob(
        digest.hexdigest(), data, published, now, seed, tuple(kinds), time_limit, idle, gap
    )


def _prepare(job: SweepJob) -> _Prepared:
    """Return the job as this process reads it, reading it only the first time."""
    found = _prepared.get(job.key)
    if found is None:
        raw = job.published.encode("utf-8")
        document = json.loads(job.published)
        baseline, problems = baseline_from_data(document, hashlib.sha256(raw).hexdigest())
        if baseline is None:
            raise InputError(problems, "published plan")
        scenario = Scenario.model_validate(job.scenario)
        drawer = Drawer(scenario, baseline, job.now)
        found = _Prepared(scenario, baseline, document, raw, drawer)
        _prepared.clear()
        _prepared[job.key] = found
    return found


def replan_disruption(job: SweepJob, index: int) -> Outcome:
    """Draw disruption ``index`` of the sweep, re-plan it against the published plan and
    check the plan (see the module).

    Returns
    -------
    Outcome
        What the re-plan moved and dropped (SPEC 2.7.1 ``changes``), what the change adds
        that found no place, the exit code ``planner replan`` would give, and the
        checker's verdict. A disruption that cannot be drawn as a valid change is status
        ``error`` with exit 2, any other failure status ``error`` with exit 1: an
        outcome, never an exception, so that one bad re-plan does not end the sweep.
    """
    kind = job.kinds[index % len(job.kinds)]
    disruption = _undrawn(job, index, kind)
    try:
        prepared = _prepare(job)
        try:
            disruption, changed = prepared.drawer.draw(job.seed, index, kind)
        except InputError as error:
            return Outcome(disruption, "error", EXIT_INVALID, detail=str(error))
        started = time.monotonic()
        result = replan(
            changed,
            prepared.baseline,
            now=job.now,
            time_limit=job.time_limit,
            stop_when_idle=job.idle,
            gap=job.gap,
            workers=REPLAN_WORKERS,
            seed=disruption.seed,
        )
        return _outcome(prepared, changed, disruption, result, time.monotonic() - started)
    except Exception as error:  # a bug: reported with the disruption, the sweep goes on
        detail = f"{type(error).__name__}: {error}"
        return Outcome(disruption, "error", EXIT_INTERNAL, detail=detail)


def _undrawn(job: SweepJob, index: int, kind: str) -> Disruption:
    """Disruption ``index`` where none could be drawn: no change, its name and seed."""
    return Disruption(
        index=index,
        name=disruption_name(index, kind),
        kind=kind,
        what=f"no {kind} disruption drawn",
        resource="",
        target="",
        change={},
        seed=disruption_seed(job.seed, index),
    )


def _outcome(
    prepared: _Prepared, changed: Scenario, disruption: Disruption, result: Result, seconds: float
) -> Outcome:
    """The outcome of a re-plan: its changes, exit code and the checker's verdict."""
    if result.status == "unknown":
        return Outcome(
            disruption,
            "unknown",
            EXIT_NO_SOLUTION,
            seconds=seconds,
            detail="no plan within the time limit",
        )
    if result.status == "infeasible":
        return Outcome(
            disruption,
            "infeasible",
            plan_exit(result, replanning=True),
            seconds=seconds,
            detail="; ".join(entry.reason for entry in result.infeasible),
        )
    changes = result.changes
    moved = tuple(MovedActivity(m.id, tuple(m.fields)) for m in changes.moved) if changes else ()
    dropped = (
        tuple(DroppedActivity(d.id, d.rule, tuple(d.reasons)) for d in changes.dropped)
        if changes
        else ()
    )
    held = {m.id for m in result.meetings} | {a.id for a in result.action_days}
    # the plan as its file shows it, as ``planner check --baseline`` reads it
    document = json.loads(dumps(schedule_document(result, changed.name, "")))
    verdict = verify(
        changed,
        document,
        baseline=prepared.document,
        baseline_bytes=prepared.published_bytes,
    )
    return Outcome(
        disruption,
        result.status,
        plan_exit(result, replanning=True),
        moved=moved,
        dropped=dropped,
        unplaced=tuple(a for a in disruption.added if a not in held),
        check="ok" if verdict.valid else "violations",
        violations=tuple(verdict.violations),
        score=result.score,
        plan_sha256=plan_digest(document),
        seconds=seconds,
    )


def plan_digest(document: dict[str, Any]) -> str:
    """Return the sha256 of a plan document without its ``solve_seconds``: two plans with
    the same digest place everything alike."""
    timeless = {key: value for key, value in document.items() if key != "solve_seconds"}
    return hashlib.sha256(json.dumps(timeless, sort_keys=True).encode("utf-8")).hexdigest()
