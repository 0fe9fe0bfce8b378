"""Running CP-SAT: a configured solver, and searches that a signal can end.

Every CP-SAT search of a solve runs through :meth:`Interrupt.run`, so that SIGINT and
SIGTERM end the search under way and keep the best plan (SPEC 2.7): the first signal
stops the search, a second one stops at once (README "Commands").
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from planner.models.interruption import Interrupted
from planner.solver import cp_model

MIN_SOLVE_SECONDS = 0.5
"""The least time a search is given, and all that one gets after a signal."""

Runner = Callable[[cp_model.CpSolver, cp_model.CpModel], int]
"""Solves a model with a solver and returns the status (:meth:`Interrupt.run`)."""


def configured_solver(time_limit: float, workers: int | None, seed: int) -> cp_model.CpSolver:
    """A CP-SAT solver with a time limit, a number of workers (default: the cores) and
    a seed; signals are left to :class:`Interrupt`."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.1, time_limit)
    parameters.num_workers = max(1, workers or os.cpu_count() or 1)
    parameters.random_seed = seed
    parameters.catch_sigint_signal = False  # see Interrupt
    return solver


class Interrupt:
    """Ends the search on SIGINT or SIGTERM and keeps the best plan.

    The first signal is only noted: the search under way stops at once, a search not
    yet started is not started (:meth:`run` answers ``UNKNOWN``), and any later one
    gets a moment only, to finish the plan it is part of. Nothing else is cut short,
    so a plan being written is written whole. A second signal raises
    :class:`Interrupted` at once. Each solve runs in a worker thread so that the main
    thread receives the signals.
    """

    def __init__(self, active: bool, log: Callable[[str], None] | None = None) -> None:
        """Note which signal ended the search, or watch for signals (``active``, from the
        main thread only) and send CP-SAT's log lines to ``log``."""
        self.active = active and threading.current_thread() is threading.main_thread()
        self.log = log
        """Where every search run here writes CP-SAT's search log, line by line."""
        self.signum: int | None = None
        """The first signal received, if any."""
        self._searched = False
        self._solver: cp_model.CpSolver | None = None
        self._previous: dict[int, object] = {}

    @property
    def requested(self) -> bool:
        """Whether a signal has asked the search to stop."""
        return self.signum is not None

    def __enter__(self) -> Interrupt:
        if self.active:
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous = {}

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: note the first signal and stop the search under way; raise
        :class:`Interrupted` on a second."""
        if self.signum is not None:
            raise Interrupted(signum)
        self.signum = signum
        if self._solver is not None:
            self._solver.stop_search()

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> int:
        """Solve, ending early on a signal; return the status."""
        if self.requested:
            if not self._searched:
                return int(cp_model.UNKNOWN)
            solver.parameters.max_time_in_seconds = min(
                solver.parameters.max_time_in_seconds, MIN_SOLVE_SECONDS
            )
        self._searched = True
        self._solver = solver
        if self.log is not None:
            solver.parameters.log_search_progress = True
            solver.parameters.log_to_stdout = False
            solver.log_callback = self.log
        if not self.active:
            return int(solver.solve(model, callback))
        outcome: list[int] = []
        worker = threading.Thread(
            target=lambda: outcome.append(int(solver.solve(model, callback))), daemon=True
        )
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
        return outcome[0]
