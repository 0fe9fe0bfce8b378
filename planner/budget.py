"""A command's time budget (README "The time limit"): the limit holds for the whole
command, so what importing and reading took comes off the search, and so does what
writing and printing the plan will take.

Every planning command (``solve``, ``replan``) asks :func:`search_seconds` for what
its search may take; the search itself keeps a moment for the reasons of what it
leaves out (:mod:`planner.solve`).
"""

from __future__ import annotations

import time

from planner import STARTED
from planner.solver.run import MIN_SOLVE_SECONDS

WRITE_SECONDS = 0.2
WRITE_SECONDS_PER_ACTIVITY = 0.001
"""Kept from a solve's time limit for writing and printing the plan: a moment, and a
millisecond per activity (the timetable of a year of 2,688 activities takes about 2 s
to print)."""


_command_started: float | None = None
"""When the command running now began: the first one of a process counts from when
planner was imported (importing is inside its time limit); one more run in the same
process (as tests run them) counts from when it was called."""


def command_begins() -> None:
    """Mark that a command begins now (the first of a process began at import)."""
    global _command_started
    _command_started = STARTED if _command_started is None else time.monotonic()


def command_seconds() -> float:
    """Return the seconds since the running command began: its time so far, as its
    limit counts it."""
    return time.monotonic() - (STARTED if _command_started is None else _command_started)


def writing_reserve(activities: int) -> float:
    """Return the seconds kept for writing and printing a plan of ``activities``."""
    return WRITE_SECONDS + WRITE_SECONDS_PER_ACTIVITY * activities


def search_seconds(time_limit: float, activities: int) -> float:
    """Return the seconds a command's search may take of its ``time_limit``.

    Parameters
    ----------
    time_limit
        The seconds the whole command may take (``--time-limit``).
    activities
        The meetings and action days of the scenario: their plan is written after.

    Returns
    -------
    float
        What is left of the limit after the command's time so far and the writing
        reserve, and never less than the shortest search CP-SAT is given.
    """
    left = time_limit - command_seconds() - writing_reserve(activities)
    return max(MIN_SOLVE_SECONDS, left)
