"""Where a sweep's re-plans run: one seam, two engines (STYLE "Optional engines behind
one seam").

A :class:`Backend` maps a function over tasks and returns the results in the order of
the tasks, whatever order they finish in, so that the backend never changes an answer.
What all tasks share is sent once (each pool process gets it when it starts; Ray keeps
one copy in its object store). The map watches a stop condition while it waits: when
it turns true, tasks not yet finished are abandoned (their places stay ``None``) and
the processes running them are ended.

- :class:`PoolBackend`: local processes (:mod:`concurrent.futures`), ``--jobs`` of them.
- :class:`RayBackend`: one Ray task per re-plan, on a running cluster (``auto`` or an
  address) or on a Ray started in this process (``local``). Ray is an optional extra
  (``pip install "planner[ray]"``) imported only here, when asked for.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

POLL_SECONDS = 0.2
"""How often a waiting map looks at its stop condition."""

RAY_INSTALL = 'pip install "planner[ray]"'
"""The line that installs Ray for ``--ray``."""


class BackendUnavailable(Exception):
    """A backend that cannot run here: Ray not installed, or no cluster at the address."""


class Backend(Protocol):
    """Runs a function over tasks (see the module)."""

    description: str
    """Where the tasks run, in words: ``pool of 2 processes``, ``ray local (2 CPUs)``."""

    def map(
        self,
        function: Callable[[S, T], R],
        shared: S,
        tasks: Sequence[T],
        *,
        on_done: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[R | None]:
        """Return ``function(shared, task)`` for each task, in the order of ``tasks``.

        Parameters
        ----------
        function
            A module-level function (it is sent to other processes by name).
        shared
            What every task needs, sent once.
        tasks
            One per result.
        on_done
            Called with the number of tasks finished so far, after each one.
        stop
            Asked while waiting: once true, unfinished tasks are abandoned and their
            places in the result stay ``None``.
        """
        ...

    def close(self) -> None:
        """Release the processes or the Ray connection this backend opened."""
        ...


# ---- the local process pool --------------------------------------------------------------

_shared: Any = None
"""What the tasks of this pool process share (set once, when the process starts)."""


def _start_pool_process(shared: Any) -> None:
    """Start a pool process: keep what the tasks share, leave SIGINT to the parent
    (Ctrl-C in a terminal reaches the whole process group; the parent decides) and let
    SIGTERM end the process (a forked process has the parent's handler, which would
    not)."""
    global _shared
    _shared = shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_in_pool(function: Callable[[Any, Any], Any], task: Any) -> Any:
    """Run one task in a pool process, with what the tasks share."""
    return function(_shared, task)


class PoolBackend:
    """Local processes: ``jobs`` tasks at a time (default: the machine's cores), started
    the platform's way (forked on Linux: the parent runs no other thread then)."""

    def __init__(self, jobs: int | None = None) -> None:
        """Keep the number of processes; each map starts and ends its own."""
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.description = f"pool of {self.jobs} process{'es' if self.jobs != 1 else ''}"

    def map(
        self,
        function: Callable[[S, T], R],
        shared: S,
        tasks: Sequence[T],
        *,
        on_done: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[R | None]:
        """See :meth:`Backend.map`."""
        results: list[R | None] = [None] * len(tasks)
        if not tasks:
            return results
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(tasks)),
            initializer=_start_pool_process,
            initargs=(shared,),
        )
        futures: dict[Future[R], int] = {
            pool.submit(_run_in_pool, function, task): index for index, task in enumerate(tasks)
        }
        pending = set(futures)
        finished = 0
        try:
            while pending:
                if stop is not None and stop():
                    break
                done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        results[futures[future]] = future.result()
                    except Exception:
                        if stop is not None and stop():
                            break  # a process the signal ended before it ignored SIGINT
                        raise
                    finished += 1
                    if on_done is not None:
                        on_done(finished)
        finally:
            if pending:
                _end_at_once(pool)
            pool.shutdown(wait=True, cancel_futures=True)
        return results

    def close(self) -> None:
        """Nothing to release: each map has its own processes."""


def _end_at_once(pool: ProcessPoolExecutor) -> None:
    """End a pool's processes now, with what they run (Python 3.14 has
    ``terminate_workers``; before it the executor's processes are reached directly)."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()


# ---- Ray -------------------------------------------------------------------------------


def _run_in_ray(function: Callable[[Any, Any], Any], shared: Any, task: Any) -> Any:
    """Run one task as a Ray task (Ray resolves ``shared`` from its object store)."""
    return function(shared, task)


class RayBackend:
    """One Ray task per re-plan (see the module).

    Parameters
    ----------
    address
        ``auto`` (a running cluster), ``local`` (start Ray in this process) or a
        cluster's address (``ray://head:10001``).
    jobs
        With ``local``: the CPUs the local Ray may use (default: the machine's cores).

    Raises
    ------
    BackendUnavailable
        When Ray is not installed (the message gives :data:`RAY_INSTALL`), or no cluster
        answers at ``address``.
    """

    def __init__(self, address: str, jobs: int | None = None) -> None:
        """Join the Ray of this process if there is one, else start or reach the one
        at ``address`` (see the class)."""
        try:
            import ray
        except ImportError:
            raise BackendUnavailable(
                f"--ray needs Ray, which is not installed: {RAY_INSTALL}"
            ) from None
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "logging_level": logging.WARNING,
            }
            if address == "local":
                options["num_cpus"] = max(1, jobs or os.cpu_count() or 1)
            else:
                options["address"] = address
            try:
                ray.init(**options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise BackendUnavailable(f"no Ray cluster at {address!r}: {error}") from None
            self._started = True
        cpus = ray.cluster_resources().get("CPU", 0)
        self.description = f"ray {address} ({cpus:g} CPUs)"

    def map(
        self,
        function: Callable[[S, T], R],
        shared: S,
        tasks: Sequence[T],
        *,
        on_done: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[R | None]:
        """See :meth:`Backend.map`."""
        ray = self._ray
        results: list[R | None] = [None] * len(tasks)
        if not tasks:
            return results
        remote = ray.remote(num_cpus=1, max_retries=0)(_run_in_ray)
        shared_ref = ray.put(shared)
        refs = [remote.remote(function, shared_ref, task) for task in tasks]
        index_of = {ref: index for index, ref in enumerate(refs)}
        pending = list(refs)
        finished = 0
        try:
            while pending:
                if stop is not None and stop():
                    break
                done, pending = ray.wait(pending, num_returns=1, timeout=POLL_SECONDS)
                for ref in done:
                    try:
                        results[index_of[ref]] = ray.get(ref)
                    except Exception:
                        if stop is not None and stop():
                            break  # a task the signal ended (Ctrl-C reaches Ray's workers too)
                        raise
                    finished += 1
                    if on_done is not None:
                        on_done(finished)
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
        return results

    def close(self) -> None:
        """Stop the Ray this backend started (a cluster it joined is left running)."""
        if self._started:
            self._ray.shutdown()
            self._started = False


def open_backend(jobs: int | None = None, ray_address: str | None = None) -> Backend:
    """Return the backend asked for: Ray at ``ray_address`` when given, else a local pool
    of ``jobs`` processes.

    Raises
    ------
    BackendUnavailable
        When Ray is asked for and cannot be used (see :class:`RayBackend`).
    """
    if ray_address is not None:
        return RayBackend(ray_address, jobs)
    return PoolBackend(jobs)
