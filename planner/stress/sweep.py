"""A robustness sweep (SPEC 2.7.6): disruptions drawn, re-planned and checked on a
backend, and summed up in a :class:`~planner.models.stress.StressReport`.

The tasks are the disruptions' numbers: each process draws the disruption it re-plans
(:mod:`planner.stress.replanning`), from the sweep's seed and the number alone, with one
search worker and the disruption's own seed
(:func:`~planner.stress.draws.disruption_seed`); the backend returns the outcomes in
the order of the numbers. So the same seed gives the same per-disruption results
whatever the backend and the number of processes — exactly so when each re-plan ends by
proof; one that ends by its time limit or idle stop finds what its time allowed, which
the load of the machine can change (README "Robustness sweeps"). A signal (through an
:class:`~planner.solver.run.Interrupt`) ends the sweep keeping what finished: the report
is then marked incomplete.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.stress import KINDS, StressReport
from planner.solve import DEFAULT_TIME_LIMIT, IDLE_SECONDS
from planner.solver.run import Interrupt
from planner.stress.backends import Backend, PoolBackend
from planner.stress.draws import check_kinds
from planner.stress.replanning import replan_disruption, sweep_job
from planner.stress.summary import fragile_activities, summarise_kinds

DEFAULT_DISRUPTIONS = 200
"""Disruptions a sweep draws unless told (``-n``)."""

ProgressHandler = Callable[[int, int, float], None]
"""Called with disruptions done, their total and the seconds so far."""


def stress(
    scenario: Scenario,
    baseline: Baseline,
    published: str,
    *,
    now: datetime,
    count: int = DEFAULT_DISRUPTIONS,
    seed: int = 0,
    kinds: Sequence[str] = KINDS,
    scenario_sha256: str = "",
    time_limit: float = DEFAULT_TIME_LIMIT,
    idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    backend: Backend | None = None,
    interrupt: Interrupt | None = None,
    on_progress: ProgressHandler | None = None,
) -> StressReport:
    """Draw ``count`` disruptions, re-plan each against the published plan as ``planner
    replan`` does, check each plan, and sum up.

    Parameters
    ----------
    scenario
        The scenario the plan was published for.
    baseline
        The published plan, read (:func:`planner.loading.load_baseline`).
    published
        The published plan file's text (the checker verifies each re-plan against it).
    now
        The moment of every re-plan, as ``planner replan --now``: what starts before it
        is frozen, and only what the plan holds from then on is disrupted.
    count, seed, kinds
        How many disruptions, the seed they are drawn from, and their kinds, taking
        turns (:mod:`planner.stress.draws`).
    scenario_sha256
        The scenario file's sha256, for the report.
    time_limit, idle, gap
        Each re-plan's termination (:func:`planner.solve.replan`'s defaults).
    backend
        Where the re-plans run (default: a pool of processes, one per core).
    interrupt
        Watches SIGINT and SIGTERM: after the first, the sweep ends keeping what
        finished.
    on_progress
        Called after each disruption finishes.

    Returns
    -------
    StressReport
        Every finished disruption in the order drawn, the distribution per kind, the
        fragile activities; ``complete`` unless a signal ended the sweep.

    Raises
    ------
    InputError
        When a kind is unknown or cannot be drawn from the plan after ``now``.
    """
    check_kinds(scenario, baseline, now, kinds)
    runner = backend or PoolBackend()
    job = sweep_job(
        scenario,
        published,
        now=now,
        seed=seed,
        kinds=kinds,
        time_limit=time_limit,
        idle=idle,
        gap=gap,
    )
    started = time.monotonic()

    def done(finished: int) -> None:
        """Report progress after each finished disruption."""
        if on_progress is not None:
            on_progress(finished, count, time.monotonic() - started)

    stop = (lambda: interrupt.requested) if interrupt is not None else None
    results = runner.map(replan_disruption, job, list(range(count)), on_done=done, stop=stop)
    outcomes = tuple(outcome for outcome in results if outcome is not None)
    signum = interrupt.signum if interrupt is not None else None
    return StressReport(
        scenario_name=scenario.name or "",
        scenario_sha256=scenario_sha256,
        plan_sha256=baseline.sha256,
        complete=len(outcomes) == count and signum is None,
        interrupted=signal.Signals(signum).name if signum is not None else None,
        now=now,
        seed=seed,
        requested=count,
        kinds=tuple(kinds),
        time_limit=time_limit,
        idle=idle,
        gap=gap,
        backend=runner.description,
        seconds=time.monotonic() - started,
        by_kind=summarise_kinds(outcomes, kinds),
        fragile=fragile_activities(outcomes),
        outcomes=outcomes,
    )
