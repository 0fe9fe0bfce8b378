"""A robustness sweep (SPEC 2.7.6): the drawn disruptions re-planned on a backend,
checked, and summed up in a :class:`~planner.models.stress.StressReport`.

The re-plans run on a :class:`~planner.stress.backends.Backend`, whose results come in
the order of the disruptions; each re-plan has one search worker and its disruption's
own seed (:func:`~planner.stress.draws.disruption_seed`), so the same seed gives the same
per-disruption results whatever the backend and the number of processes — exactly so
when each re-plan ends by proof; one that ends by its time limit or idle stop finds what
its time allowed, which the load of the machine can change (README "Robustness sweeps").
A signal (through an :class:`~planner.solver.run.Interrupt`) ends the sweep keeping what
finished: the report is then marked incomplete.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.stress import KINDS, Disruption, StressReport
from planner.solve import DEFAULT_TIME_LIMIT, IDLE_SECONDS
from planner.solver.run import Interrupt
from planner.stress.backends import Backend, PoolBackend
from planner.stress.draws import draw_disruptions
from planner.stress.replanning import replan_disruption, sweep_job
from planner.stress.summary import fragile_activities, summarise_kinds

DEFAULT_DISRUPTIONS = 200
"""Disruptions a sweep draws unless told (``-n``)."""

ProgressHandler = Callable[[int, int, float], None]
"""Called with disruptions done, their total and the seconds so far."""


def sweep(
    scenario: Scenario,
    baseline: Baseline,
    published: str,
    disruptions: Sequence[Disruption],
    *,
    now: datetime,
    seed: int,
    kinds: Sequence[str],
    scenario_sha256: str = "",
    time_limit: float = DEFAULT_TIME_LIMIT,
    idle: float | None = IDLE_SECONDS,
    gap: float | None = None,
    backend: Backend | None = None,
    interrupt: Interrupt | None = None,
    on_progress: ProgressHandler | None = None,
) -> StressReport:
    """Re-plan every disruption against the published plan, check each plan, and sum up.

    Parameters
    ----------
    scenario
        The scenario the plan was published for.
    baseline
        The published plan, read (:func:`planner.loading.load_baseline`).
    published
        The published plan file's text (the checker verifies each re-plan against it).
    disruptions
        Drawn by :func:`~planner.stress.draws.draw_disruptions` with ``seed`` and
        ``kinds``, at ``now``.
    now
        The moment of every re-plan, as ``planner replan --now``.
    seed, kinds
        What the disruptions were drawn with, for the report.
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
    """
    runner = backend or PoolBackend()
    job = sweep_job(scenario, published, now=now, time_limit=time_limit, idle=idle, gap=gap)
    started = time.monotonic()

    def done(count: int) -> None:
        """Report progress after each finished disruption."""
        if on_progress is not None:
            on_progress(count, len(disruptions), time.monotonic() - started)

    stop = (lambda: interrupt.requested) if interrupt is not None else None
    results = runner.map(replan_disruption, job, disruptions, on_done=done, stop=stop)
    outcomes = tuple(outcome for outcome in results if outcome is not None)
    signum = interrupt.signum if interrupt is not None else None
    return StressReport(
        scenario_name=scenario.name or "",
        scenario_sha256=scenario_sha256,
        plan_sha256=baseline.sha256,
        complete=len(outcomes) == len(disruptions) and signum is None,
        interrupted=signal.Signals(signum).name if signum is not None else None,
        now=now,
        seed=seed,
        requested=len(disruptions),
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
    """Draw ``count`` disruptions of ``kinds`` with ``seed`` and sweep them (see
    :func:`~planner.stress.draws.draw_disruptions` and :func:`sweep`).

    Raises
    ------
    InputError
        When a kind is unknown or cannot be drawn from the plan after ``now``.
    """
    disruptions = draw_disruptions(scenario, baseline, now, count=count, seed=seed, kinds=kinds)
    return sweep(
        scenario,
        baseline,
        published,
        disruptions,
        now=now,
        seed=seed,
        kinds=kinds,
        scenario_sha256=scenario_sha256,
        time_limit=time_limit,
        idle=idle,
        gap=gap,
        backend=backend,
        interrupt=interrupt,
        on_progress=on_progress,
    )
