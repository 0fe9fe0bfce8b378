"""Solves in a worker process, so that the page stays responsive.

The worker writes to the state file itself (:mod:`planner.serve.state`): its progress
and that it is alive every :data:`~planner.serve.state.HEARTBEAT_SECONDS`, then its plan
and how the solve ended, each in a transaction. The plan is written whatever ends the
solve: its time limit or idle stop (``done``), the coordinator's Cancel (``cancelled``),
or the server going away (``interrupted``): the worker runs in a session of its own (a
terminal's Ctrl-C or hang-up reaches the server only) and watches the server, so that a
server stopped or killed mid-solve finds the best plan of its solve in the state when it
starts again. A worker killed outright leaves its plan ``running`` and silent; the
server marks it ``interrupted`` (:meth:`~planner.serve.state.State.end_stale_solves`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from planner.output.whatif_report import figures
from planner.serve.state import HEARTBEAT_SECONDS, State

KEEP_BEST_SECONDS = 5.0
"""How often at most a running solve writes its best plan to the state (building the
plan of a year takes a moment)."""

_CONTEXT = multiprocessing.get_context("spawn")
"""A fresh interpreter per solve: no thread of the server is copied into it."""


@dataclass(frozen=True)
class SolveRequest:
    """What a worker solves and where it writes: the state file, its plan's id, the
    scenario's data, the plan to move little from (its document), and the termination."""

    state_path: str
    session_id: int
    plan_id: int
    scenario_data: dict[str, Any]
    baseline_document: dict[str, Any] | None
    time_limit: float
    stop_when_idle: float | None
    gap: float | None
    seed: int = 0


def _solve(request: SolveRequest) -> None:
    """The worker: solve, keep the state told, write the plan however the solve ends.

    Its own session first (``setsid``), then :class:`~planner.solver.run.Interrupt`
    watching SIGINT and SIGTERM, so that from then on a signal ends the search and
    keeps its best plan. A thread writes the latest progress every
    :data:`~planner.serve.state.HEARTBEAT_SECONDS` and, when the server has gone away,
    sends this process the SIGTERM that ends the search. However the search ends, the
    plan row gets its status (``done``; ``cancelled`` when the coordinator asked;
    ``interrupted`` on any other signal; ``failed`` on an error) and the best plan.
    """
    if hasattr(os, "setsid"):
        os.setsid()  # a terminal's Ctrl-C or hang-up is for the server, which tells us
    from planner.solver.run import Interrupt

    # SIGINT and SIGTERM end the search from here on, keeping its best plan
    with Interrupt(True) as interrupt:
        state = State.attach(request.state_path, request.session_id)
        latest: dict[str, Any] = {"elapsed": 0.0, "objective": None, "bound": None}
        writing = threading.Lock()
        done = threading.Event()

        def heartbeat() -> None:
            """Say the solve is alive, with its latest progress, and keep its best plan
            now and then (every :data:`KEEP_BEST_SECONDS` while it improves); stop it
            when the server is gone."""
            parent = multiprocessing.parent_process()
            kept_at = time.monotonic()
            while not done.wait(HEARTBEAT_SECONDS):
                if parent is not None and not parent.is_alive():
                    os.kill(os.getpid(), signal.SIGTERM)  # ends the search, keeps its plan
                    parent = None
                best = latest.pop("best", None)
                if best is not None and time.monotonic() - kept_at < KEEP_BEST_SECONDS:
                    latest["best"] = best  # not yet: keep it for a later beat
                    best = None
                with writing:
                    state.progress(request.plan_id, **_shown(latest))
                    if best is not None:
                        text = best()
                        state.keep_best(request.plan_id, text, figures_of(json.loads(text)))
                        kept_at = time.monotonic()

        watcher = threading.Thread(target=heartbeat, name="heartbeat", daemon=True)
        watcher.start()
        document, figures, failed = None, None, True
        try:
            document, figures = _search(request, interrupt, latest)
            failed = False
        finally:
            done.set()
            watcher.join()
            status = "failed" if failed and not interrupt.requested else "done"
            if interrupt.requested:
                cancelled = state.cancel_requested(request.plan_id)
                status = "cancelled" if cancelled else "interrupted"
            with writing:
                state.progress(request.plan_id, **_shown(latest))
                state.finish(request.plan_id, status, document, figures)
            state.close()


def _search(
    request: SolveRequest, interrupt: Any, latest: dict[str, Any]
) -> tuple[str | None, dict[str, str] | None]:
    """Solve the request's scenario, updating ``latest`` at each improvement; return the
    plan's JSON text and its what-if figures (``None`` when no plan was found)."""
    from planner.models.baseline import baseline_from_data
    from planner.models.scenario import Scenario
    from planner.solve import Progress, solve

    scenario = Scenario.model_validate(request.scenario_data)
    baseline = None
    if request.baseline_document is not None:
        baseline = baseline_from_data(request.baseline_document, "")[0]

    def report(progress: Progress) -> None:
        """Keep the latest improvement of the plan or bound (and how to get the plan) for
        the heartbeat to write."""
        latest["elapsed"] = round(progress.elapsed, 2)
        latest["objective"] = progress.objective
        latest["bound"] = None if progress.bound is None else progress.bound.total
        best = progress.best
        if best is not None and progress.objective != latest.get("written"):
            latest["best"] = lambda: _document_text(best(), scenario.name)
            latest["written"] = progress.objective

    result = solve(
        scenario,
        time_limit=request.time_limit,
        stop_when_idle=request.stop_when_idle,
        gap=request.gap,
        seed=request.seed,
        baseline=baseline,
        on_progress=report,
        interrupt=interrupt,
    )
    latest["elapsed"] = round(result.solve_seconds, 2)
    if result.status == "unknown":
        return None, None
    latest["objective"], latest["bound"] = result.objective, result.bound
    text = _document_text(result, scenario.name)
    return text, figures_of(json.loads(text))


def _document_text(result: Any, name: str) -> str:
    """A result's plan as the JSON text the state keeps."""
    from planner.output.schedule_json import dumps, schedule_document

    return dumps(schedule_document(result, name, ""))


def _shown(latest: dict[str, Any]) -> dict[str, Any]:
    """What :meth:`State.progress` records of the latest progress."""
    return {key: latest[key] for key in ("elapsed", "objective", "bound")}


def figures_of(document: dict[str, Any]) -> dict[str, str]:
    """A plan's column of the page's comparison: the what-if figures, and what it moved
    and dropped against the plan it was solved from (``-`` for a plan read from a file)."""
    found = figures(document)
    changes = document.get("changes")
    for what in ("moved", "dropped"):
        found[f"{what} against the plan before"] = str(len(changes[what])) if changes else "-"
    return found


@dataclass
class Job:
    """The solve this server started: its worker process and its plan in the state."""

    process: BaseProcess
    plan_id: int
    started: float

    @classmethod
    def start(cls, request: SolveRequest) -> Job:
        """Start solving ``request`` in a fresh worker process (a spawned interpreter:
        nothing of the server's threads or event loop is copied into it).

        The process is daemonic: a server that exits normally sends it SIGTERM and waits
        for it, so that it writes its best plan first.
        """
        # daemonic: a server that exits stops it (SIGTERM), and it writes its best plan
        process = _CONTEXT.Process(target=_solve, args=(request,), daemon=True)
        process.start()
        return cls(process, request.plan_id, time.monotonic())

    @property
    def alive(self) -> bool:
        """Whether the worker still runs."""
        return self.process.is_alive()

    def stop(self) -> None:
        """End the search (SIGTERM, which the worker's search takes as "stop now and
        keep the best plan"); the worker still writes the best plan it has."""
        if self.process.is_alive() and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGTERM)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the worker to end; return whether it has."""
        self.process.join(seconds)
        return not self.process.is_alive()
