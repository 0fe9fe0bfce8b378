"""Solves in a worker process, so that the page stays responsive: progress and the plan
come back over a queue, and cancelling ends the search but keeps its best plan."""

from __future__ import annotations

import json
import multiprocessing
import queue
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

_CONTEXT = multiprocessing.get_context("spawn")
"""A fresh interpreter per solve: no thread of the server is copied into it."""


def _solve(
    scenario_data: dict[str, Any],
    baseline_document: dict[str, Any] | None,
    time_limit: float,
    seed: int,
    messages: Any,
) -> None:
    """The worker: solve, report each improvement, then send the plan document."""
    from planner.models.baseline import baseline_from_data
    from planner.models.scenario import Scenario
    from planner.output.schedule_json import dumps, schedule_document
    from planner.solve import Progress, solve

    scenario = Scenario.model_validate(scenario_data)
    baseline = baseline_from_data(baseline_document, "")[0] if baseline_document else None

    def report(progress: Progress) -> None:
        """Send an improvement of the plan or bound to the page."""
        bound = None if progress.bound is None else progress.bound.total
        messages.put(("progress", progress.elapsed, progress.objective, bound))

    result = solve(
        scenario,
        time_limit=time_limit,
        seed=seed,
        baseline=baseline,
        on_progress=report,
        stop_on_signals=True,  # cancelling sends SIGTERM: the best plan is kept
    )
    document = None
    if result.status != "unknown":
        document = json.loads(dumps(schedule_document(result, scenario.name, "")))
    messages.put(("done", document))


@dataclass
class Job:
    """One solve in a worker process, and what it has reported so far.

    Attributes
    ----------
    process, messages
        The worker and the queue it reports on.
    started, ended, elapsed
        When the job started and ended (monotonic clock), and the search's own seconds.
    objective, bound
        The best plan's objective and the proven bound, as last reported.
    finished, cancelled
        Whether the worker is done, and whether the page cancelled it.
    document
        The plan document the worker sent, until the session takes it in.
    """

    process: BaseProcess
    messages: Any
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    elapsed: float = 0.0
    objective: int | None = None
    bound: int | None = None
    finished: bool = False
    cancelled: bool = False
    document: dict[str, Any] | None = None

    @classmethod
    def start(
        cls,
        scenario_data: dict[str, Any],
        baseline_document: dict[str, Any] | None,
        time_limit: float,
        seed: int = 0,
    ) -> Job:
        """Start solving ``scenario_data`` (against ``baseline_document`` if given) in a fresh
        worker process, and return the job that follows it.
        """
        messages = _CONTEXT.Queue()
        process = _CONTEXT.Process(
            target=_solve,
            args=(scenario_data, baseline_document, time_limit, seed, messages),
            daemon=True,
        )
        process.start()
        return cls(process, messages)

    def poll(self) -> None:
        """Take in everything the worker has said."""
        ended = not self.process.is_alive()
        while not self.finished:
            try:
                # once the worker has ended, wait a moment for what its queue still carries
                message = self.messages.get(timeout=1.0) if ended else self.messages.get_nowait()
            except queue.Empty:
                self.finished = ended  # ended without a plan
                break
            if message[0] == "progress":
                _, self.elapsed, self.objective, self.bound = message
            else:
                self.document, self.finished = message[1], True

    def cancel(self) -> None:
        """End the search; the worker still sends the best plan it has."""
        if not self.finished and self.process.is_alive():
            self.process.terminate()
            self.cancelled = True

    def state(self) -> dict[str, Any]:
        """Running or not, seconds since the start (to the end), best objective and bound."""
        self.poll()
        if self.finished and self.ended is None:
            self.ended = time.monotonic()
        return {
            "running": not self.finished,
            "elapsed": round((self.ended or time.monotonic()) - self.started, 1),
            "objective": self.objective,
            "bound": self.bound,
            "cancelled": self.cancelled,
        }
