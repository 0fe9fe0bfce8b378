"""What-if (SPEC 2.7.1): a base plan and variants of its scenario, solved alike, compared.

The base is the published plan when there is one, else the scenario solved. Each
variant is the scenario with one change file applied (:mod:`planner.change`), solved
with the same seed, time limit and workers — against the published plan when there is
one, so that moving what it placed costs what it costs a nightly re-plan. Plans are
solved in parallel processes; each is searched with the same number of workers
whatever the number of processes, so that ``jobs`` changes how long the comparison
takes, not what it finds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from planner.change import Change, apply_change
from planner.changes import compare
from planner.generate import scenario_yaml
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.comparison import BASE, ComparedPlan, WhatIf
from planner.models.problems import InputError, Problem
from planner.models.scenario import Scenario
from planner.models.schedule import Result
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import DEFAULT_TIME_LIMIT, solve


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


def whatif(
    scenario: Scenario,
    changes: Sequence[Change],
    *,
    baseline: Baseline | None = None,
    jobs: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
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
    baseline
        The published plan: it is the base, and every variant is solved against it
        (move costs and the ``changes`` account). Without one, the scenario is solved
        for the base.
    jobs
        Plans solved at once, in processes (default: the machine's cores).
    time_limit, workers, seed
        Each plan's search: the same for every plan, whatever ``jobs``.

    Returns
    -------
    WhatIf
        The base and one plan per variant, each variant with its moved and dropped
        activities against the base.

    Raises
    ------
    InputError
        When change files share a name (:func:`check_names`), or a change breaks the
        scenario (located in its change file).
    """
    check_names(changes)
    variants = variants_of(scenario, changes)
    published = json.loads(dumps(_baseline_document(baseline))) if baseline else None

    def task(plan_of: Scenario, against: dict[str, Any] | None) -> _Task:
        """Return the task of solving ``plan_of`` against ``against`` in a process."""
        data = plan_of.model_dump(by_alias=True, exclude_defaults=True)
        return data, against, time_limit, workers, seed

    tasks = [task(variant, published) for _, variant in variants]
    if baseline is None:
        tasks.insert(0, task(scenario, None))
    processes = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if processes == 1:
        results = [_solve_one(task) for task in tasks]
    else:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            results = list(pool.map(_solve_one, tasks))
    if baseline is None:
        solved = results.pop(0)
        base_document = _document(scenario, solved)
        base_plan, _ = baseline_from_data(base_document, "")
    else:
        base_document, base_plan = published or {}, baseline
    base = ComparedPlan(BASE, scenario, base_document, base_document.get("status") != "unknown")
    plans = []
    for (name, variant), result in zip(variants, results, strict=True):
        against = None
        if result.has_plan and base_plan is not None:
            against = compare(variant, base_plan, result)
        plans.append(
            ComparedPlan(name, variant, _document(variant, result), result.has_plan, against)
        )
    return WhatIf(base, plans)


def plan_files(comparison: WhatIf) -> dict[str, str]:
    """Return the files ``whatif -o DIR`` writes, by name: per plan, ``NAME.yaml`` (its
    scenario, the change applied) and ``NAME.json`` (its plan document)."""
    files: dict[str, str] = {}
    for plan in comparison.plans:
        data = plan.scenario.model_dump(by_alias=True, exclude_defaults=True, mode="json")
        files[f"{plan.name}.yaml"] = scenario_yaml(data)
        files[f"{plan.name}.json"] = dumps(plan.document)
    return files


_Task = tuple[dict[str, Any], dict[str, Any] | None, float, int, int]
"""A plan to solve in a process: scenario data, published plan, time limit, workers, seed."""


def _solve_one(task: _Task) -> Result:
    """Solve one plan of a comparison (in a worker process)."""
    data, published, time_limit, workers, seed = task
    scenario = Scenario.model_validate(data)
    baseline = baseline_from_data(published, "")[0] if published is not None else None
    return solve(scenario, time_limit=time_limit, workers=workers, seed=seed, baseline=baseline)


def _document(scenario: Scenario, result: Result) -> dict[str, Any]:
    """Return the plan document of a result as read back from its JSON (``{"status":
    "unknown"}`` when no plan was found).
    """
    if result.status == "unknown":
        return {"status": "unknown"}
    document: dict[str, Any] = json.loads(dumps(schedule_document(result, scenario.name, "")))
    return document


def _baseline_document(baseline: Baseline) -> dict[str, Any]:
    """Return a baseline as a plan document (without the file's sha256)."""
    document: dict[str, Any] = baseline.model_dump(by_alias=True, mode="json", exclude={"sha256"})
    return document
