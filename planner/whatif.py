"""What-if (SPEC 2.7.1): a base plan and variants of its scenario, solved alike, compared.

The base is the published plan when there is one, else the scenario solved. Since
v1.2 the base plan is every variant's baseline, whether it was given or solved: each
variant (the scenario with one change file applied, :mod:`planner.change`) is solved
against it with the same seed and termination, so that moving what the base placed
costs the ``move`` weights and each variant's ``changes`` account says what the change
forces — not another plan of equal cost found by a search from scratch. ``fresh``
solves the variants from scratch instead (the v1.1 way), and compares them with the
base afterwards.

A variant whose scenario is the base scenario (an empty change, or one that changes
nothing) is the base plan itself: nothing to solve, nothing moved.

Every plan's files are made here, before any variant is solved, so that they check:
``NAME.yaml`` is the scenario of the plan (the base's file as given, or a variant's
scenario written out), ``NAME.json`` its plan carrying the sha256 of that
``NAME.yaml``, and each variant's ``changes`` name the sha256 of ``base.json`` as its
baseline (``planner check DIR/NAME.yaml DIR/NAME.json --baseline DIR/base.json``
passes). Variants are solved in parallel processes; each is searched with the same
number of workers whatever the number of processes, so that ``jobs`` changes how long
the comparison takes, not what it finds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from planner.change import Change, apply_change
from planner.changes import compare
from planner.generate import scenario_yaml
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.comparison import BASE, ComparedPlan, WhatIf
from planner.models.problems import InputError, Problem
from planner.models.scenario import Scenario
from planner.models.schedule import Changes, Result
from planner.output.schedule_json import changes_document, dumps, schedule_document
from planner.solve import DEFAULT_TIME_LIMIT, IDLE_SECONDS, solve


def check_names(changes: Sequence[Change]) -> None:
    """Refuse change files that would write over each other under ``-o DIR``.

    Raises
    ------
    InputError
        When two change files have the same name (their file's stem), or one is named
        ``base``, the base plan's name; located in the change files.
    """
    names = [change.name for change in changes]
    if len(set(names)) < len(names) or BASE in names:
        raise InputError(
            [Problem((), f"change files need distinct names other than {BASE!r}")],
            ", ".join(change.source for change in changes),
        )


def variants_of(scenario: Scenario, changes: Sequence[Change]) -> list[tuple[str, Scenario]]:
    """Each change applied to the scenario (raises the first invalid change's
    :class:`~planner.models.problems.ScenarioError`, located in its file)."""
    return [(change.name, apply_change(scenario, change)) for change in changes]


@dataclass(frozen=True)
class Search:
    """How every plan of a comparison is searched: the same for each (SPEC 2.7.1)."""

    time_limit: float = DEFAULT_TIME_LIMIT
    """Seconds each plan's solve may take."""
    stop_when_idle: float | None = IDLE_SECONDS
    """End a plan's search when no better plan was found for this long (``None``: never)."""
    gap: float | None = None
    """End a plan's search once placement is proven and the preference gap is at most this."""
    workers: int = 1
    """Search workers of each plan, whatever the number of processes."""
    seed: int = 0
    """The random seed of every plan's search."""


def whatif(
    scenario: Scenario,
    changes: Sequence[Change],
    *,
    baseline: Baseline | None = None,
    baseline_document: dict[str, Any] | None = None,
    source: str | None = None,
    fresh: bool = False,
    jobs: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    stop_when_idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    workers: int = 1,
    seed: int = 0,
) -> WhatIf:
    """Solve the base and every variant alike, and compare them (see the module).

    Parameters
    ----------
    scenario
        The base scenario.
    changes
        One change file per variant, with distinct names other than ``base``.
    baseline, baseline_document
        The published plan, as read and as its file's JSON (``base.json`` is that
        document; without it, the baseline's own fields): it is the base. Without one,
        the scenario is solved for the base.
    source
        The scenario file's text: ``base.yaml`` is written as given (else the scenario
        is written out).
    fresh
        Solve the variants from scratch instead of against the base plan; they are
        compared with the base afterwards.
    jobs
        Plans solved at once, in processes (default: the machine's cores).
    time_limit, stop_when_idle, gap, workers, seed
        Each plan's search (:class:`Search`): the same for every plan, whatever ``jobs``.

    Returns
    -------
    WhatIf
        The base and one plan per variant, each variant with its moved and dropped
        activities against the base, each plan with the text of its ``NAME.yaml``.

    Raises
    ------
    InputError
        When change files share a name (:func:`check_names`), or a change breaks the
        scenario (located in its change file).
    """
    check_names(changes)
    variants = variants_of(scenario, changes)
    search = Search(time_limit, stop_when_idle, gap, workers, seed)
    base_text = source if source is not None else _scenario_text(scenario)
    base_digest = _digest(base_text)
    if baseline is not None:
        document = baseline_document or _baseline_document(baseline)
        base_document = {**document, "scenario": {"name": scenario.name, "sha256": base_digest}}
        found = True
    else:
        solved = _solve_one(_task(scenario, None, search))
        base_document = _document(scenario, solved, base_digest)
        found = solved.has_plan
    base = ComparedPlan(BASE, scenario, base_document, found, scenario_text=base_text)
    # the base plan as a baseline, named by the sha256 of base.json as written
    base_plan = None
    if found:
        base_plan, _ = baseline_from_data(base_document, _digest(dumps(base_document)))
    against = None if fresh or base_plan is None else (base_document, base_plan.sha256)
    texts = {name: _scenario_text(variant) for name, variant in variants}
    to_solve = [(name, variant) for name, variant in variants if variant != scenario]
    results = _solve_all([_task(variant, against, search) for _, variant in to_solve], jobs)
    solved_by_name = dict(zip((name for name, _ in to_solve), results, strict=True))
    plans = []
    for name, variant in variants:
        text = texts[name]
        result = solved_by_name.get(name)
        if result is None:  # the base scenario itself: the base plan, nothing moved
            plans.append(_unchanged(name, variant, base, base_plan, text))
            continue
        versus = result.changes
        if versus is None and result.has_plan and base_plan is not None:
            versus = compare(variant, base_plan, result)
        document = _document(variant, result, _digest(text))
        plans.append(ComparedPlan(name, variant, document, result.has_plan, versus, text))
    return WhatIf(base, plans)


def plan_files(comparison: WhatIf) -> dict[str, str]:
    """Return the files ``whatif -o DIR`` writes, by name: per plan, ``NAME.yaml`` (its
    scenario, the change applied) and ``NAME.json`` (its plan document, which carries
    the sha256 of that ``NAME.yaml``). A plan not found in time has no ``NAME.json``:
    a published plan is never replaced by an empty one."""
    files: dict[str, str] = {}
    for plan in comparison.plans:
        files[f"{plan.name}.yaml"] = plan.scenario_text or _scenario_text(plan.scenario)
        if plan.found:
            files[f"{plan.name}.json"] = dumps(plan.document)
    return files


_Against = tuple[dict[str, Any], str]
"""The base plan a variant is solved against: its document and its file's sha256."""
_Task = tuple[dict[str, Any], _Against | None, Search]
"""A plan to solve in a process: scenario data, the base plan to solve against, the
search."""


def _task(scenario: Scenario, against: _Against | None, search: Search) -> _Task:
    """Return the task of solving ``scenario`` (against the base plan when given)."""
    return scenario.model_dump(by_alias=True, exclude_defaults=True), against, search


def _solve_all(tasks: list[_Task], jobs: int | None) -> list[Result]:
    """Solve the tasks, in parallel processes when more than one may run at once."""
    processes = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if processes == 1:
        return [_solve_one(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return list(pool.map(_solve_one, tasks))


def _solve_one(task: _Task) -> Result:
    """Solve one plan of a comparison (in a worker process, or here for the base)."""
    data, against, search = task
    scenario = Scenario.model_validate(data)
    baseline = None if against is None else baseline_from_data(against[0], against[1])[0]
    return solve(
        scenario,
        time_limit=search.time_limit,
        stop_when_idle=search.stop_when_idle,
        gap=search.gap,
        workers=search.workers,
        seed=search.seed,
        baseline=baseline,
    )


def _unchanged(
    name: str, scenario: Scenario, base: ComparedPlan, base_plan: Baseline | None, text: str
) -> ComparedPlan:
    """A variant whose scenario is the base's: the base plan, with nothing moved."""
    document = {**base.document, "scenario": {"name": scenario.name, "sha256": _digest(text)}}
    versus = None
    if base_plan is not None:
        versus = Changes(base_plan.sha256, base_plan.objective)
        document["changes"] = changes_document(versus)
    return ComparedPlan(name, scenario, document, base.found, versus, text)


def _document(scenario: Scenario, result: Result, digest: str) -> dict[str, Any]:
    """Return the plan document of a result as read back from its JSON, carrying the
    sha256 of its scenario's file (``{"status": "unknown"}`` when no plan was found)."""
    if result.status == "unknown":
        return {"status": "unknown"}
    text = dumps(schedule_document(result, scenario.name, digest))
    document: dict[str, Any] = json.loads(text)
    return document


def _scenario_text(scenario: Scenario) -> str:
    """A scenario as the text of a scenario file."""
    return scenario_yaml(scenario.model_dump(by_alias=True, exclude_defaults=True, mode="json"))


def _digest(text: str) -> str:
    """The sha256 of a file written from ``text`` (UTF-8), as plans name their files."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _baseline_document(baseline: Baseline) -> dict[str, Any]:
    """Return a baseline as a plan document (without the file's sha256)."""
    document: dict[str, Any] = baseline.model_dump(by_alias=True, mode="json", exclude={"sha256"})
    return document
