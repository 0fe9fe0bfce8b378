"""The options that several commands share, declared once each: ``--time-limit``,
``--baseline``, ``--json``, ``--max-input-mb``, and the search options of ``solve`` and
``replan``. A command gives its own default and help text where the meaning differs
(what the limit is for, what the baseline is)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from planner.models.limits import DEFAULT_MAX_INPUT_MB, MEBIBYTE
from planner.models.termination import DEFAULT_TIME_LIMIT, Termination
from planner.models.types import parse_datetime

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

MAX_SEED = 2**31 - 1
"""CP-SAT's random seed is a 32-bit integer."""
MAX_WORKERS = 256
"""The most search workers or parallel plans asked for."""
MAX_TIME_LIMIT = 7 * 24 * 3600.0
"""The longest ``--time-limit``: a week."""


class FiniteSeconds(click.FloatRange):
    """Seconds: a finite number within the range (not nan, not inf)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return the seconds, or fail the usage for nan and infinities."""
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return seconds


class HostDateTime(click.ParamType):
    """An ISO 8601 date and time; one without an offset is read in host time later."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return the datetime (naive when written without an offset), or fail the usage."""
        if isinstance(value, datetime):
            return value
        try:
            return parse_datetime(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def max_bytes(max_input_mb: float) -> int:
    """Return ``--max-input-mb`` in bytes."""
    return int(max_input_mb * MEBIBYTE)


def max_input_option(command: F) -> F:
    """The ``--max-input-mb`` option of every command that reads files (SPEC 2.7.4)."""
    return click.option(
        "--max-input-mb",
        type=click.FloatRange(min=0.001, max=10_000),
        default=DEFAULT_MAX_INPUT_MB,
        show_default=True,
        help="Refuse input files larger than this many MB.",
    )(command)


def time_limit_option(help: str, default: float = DEFAULT_TIME_LIMIT) -> Decorator[Any]:
    """Return the ``--time-limit`` option: finite seconds from 0.1 to a week.

    Parameters
    ----------
    help
        What the limit is for in this command (the whole command, each plan's search...).
    default
        The default seconds (:data:`planner.solve.DEFAULT_TIME_LIMIT` unless the command
        says otherwise).
    """
    return click.option(
        "--time-limit",
        type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
        default=default,
        show_default=True,
        help=help,
    )


def termination_options(idle: float | None) -> Decorator[Any]:
    """Return the termination options beside ``--time-limit`` (SPEC §3 v1.2):
    ``--stop-when-idle S`` (default ``idle``: ``None`` runs to the limit) and ``--gap
    PCT``; :func:`termination` reads them with the limit.
    """
    default = "none: to the limit" if idle is None else f"{idle:g}"

    def add(command: F) -> F:
        """Add the options to a command."""
        command = click.option(
            "--gap",
            "gap_percent",
            type=FiniteSeconds(min=0, max=100),
            default=None,
            metavar="PCT",
            help="End the search once placement is proven and the preference gap is at most "
            "this many percent.",
        )(command)
        return click.option(
            "--stop-when-idle",
            type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
            default=idle,
            metavar="S",
            help=f"End the search when no better plan was found for S seconds [default: "
            f"{default}].",
        )(command)

    return add


def termination(
    time_limit: float, stop_when_idle: float | None, gap_percent: float | None
) -> Termination:
    """The :class:`Termination` of the options ``--time-limit``, ``--stop-when-idle`` and
    ``--gap``."""
    gap = None if gap_percent is None else gap_percent / 100
    return Termination(time_limit, stop_when_idle, gap)


def baseline_option(help: str, required: bool = False) -> Decorator[Any]:
    """Return the ``--baseline`` option: a published plan file (``planner.schedule/1``).

    Parameters
    ----------
    help
        What the baseline is in this command (the plan to move little from, to hold, to
        check against...).
    required
        Whether the command needs one (``replan`` does).
    """
    return click.option("--baseline", required=required, type=click.Path(dir_okay=False), help=help)


def json_option(help: str) -> Decorator[Any]:
    """Return the ``--json`` flag (the ``as_json`` parameter): print the result, and every
    error, usage errors included, as one JSON object on stdout.
    """
    return click.option("--json", "as_json", is_flag=True, help=help)


def seed_option(help: str) -> Decorator[Any]:
    """Return the ``--seed`` option of a search: CP-SAT's random seed (32 bits)."""
    return click.option(
        "--seed",
        type=click.IntRange(min=0, max=MAX_SEED),
        default=0,
        show_default=True,
        help=help,
    )


def search_options(idle: float | None) -> Decorator[Any]:
    """Return the options of every command that searches (``solve``, ``replan``): ``-o``
    (may be repeated), ``--ics-for``, ``--time-limit`` of the whole command,
    ``--stop-when-idle`` (default ``idle``) and ``--gap``, ``--workers``, ``--seed``,
    ``--json``, ``--log``, ``--progress`` and ``--max-input-mb``.
    """

    def add(command: F) -> F:
        """Add the options to a command."""
        for option in _search_options(idle):
            command = option(command)
        return command

    return add


def _search_options(idle: float | None) -> list[Decorator[Any]]:
    """The decorators of :func:`search_options`, innermost first."""
    return list(
        reversed(
            [
                click.option(
                    "-o",
                    "--output",
                    "outputs",
                    multiple=True,
                    type=click.Path(dir_okay=False),
                    help="Write the plan to this file; may be repeated, the extension picks the "
                    "format: .json (planner.schedule/1), .csv, .ics, .html.",
                ),
                click.option(
                    "--ics-for",
                    metavar="CODE|ROOM|INTERPRETER",
                    help="In .ics files, only what this party, room or interpreter takes part in.",
                ),
                time_limit_option("Seconds the whole command may take."),
                termination_options(idle),
                click.option(
                    "--workers",
                    type=click.IntRange(min=1, max=MAX_WORKERS),
                    default=None,
                    help="Search workers [default: all cores]. One worker and a seed make runs "
                    "repeatable.",
                ),
                seed_option("Random seed of the search."),
                json_option("Print the plan as JSON instead of a table."),
                click.option("--log", is_flag=True, help="Show CP-SAT's search log on stderr."),
                click.option(
                    "--progress",
                    is_flag=True,
                    help="Print each better plan or bound on stderr, a line each (for logs; a "
                    "terminal shows them anyway).",
                ),
                max_input_option,
            ]
        )
    )
