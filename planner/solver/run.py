"""Running CP-SAT: a configured solver, and searches that a signal can end."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from planner.solver import cp_model

MIN_SOLVE_SECONDS = 0.5
"""The least time a search is given, and all that one gets after a signal."""

Runner = Callable[[cp_model.CpSolver, cp_model.CpModel], int]
"""Solves a model with a solver and returns the status (:meth:`Interrupt.run`)."""


def configured_solver(time_limit: float, workers: int | None, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.1, time_limit)
    parameters.num_workers = max(1, workers or os.cpu_count() or 1)
    parameters.random_seed = seed
    parameters.catch_sigint_signal = False  # see Interrupt
    return solver


class Interrupt:
    """Ends the search on SIGINT or SIGTERM and keeps the best plan.

    Each solve runs in a worker thread so that the main thread receives the signal;
    the solve under way stops at once, and any later one gets a moment only, to
    finish the plan it is part of.
    """

    def __init__(self, active: bool) -> None:
        self.active = active and threading.current_thread() is threading.main_thread()
        self.requested = False
        self._solver: cp_model.CpSolver | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interrupt:
        if self.active:
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
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
            solver.parameters.max_time_in_seconds = min(
                solver.parameters.max_time_in_seconds, MIN_SOLVE_SECONDS
            )
        self._solver = solver
        if not self.active:
            return int(solver.solve(model, callback))
        outcome: list[int] = []
        worker = threading.Thread(target=lambda: outcome.append(int(solver.solve(model, callback))))
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
        return outcome[0]
