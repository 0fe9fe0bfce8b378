"""How a command fails: one line and an exit code, as text on stderr or, with ``--json``,
as one JSON object on stdout (README "Commands"); never a traceback."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from types import FrameType
from typing import Any, NoReturn, TypeVar

import click

from planner.cli.console import say, stderr
from planner.exits import EXIT_INTERNAL, EXIT_INVALID, signal_exit
from planner.models.interruption import Interrupted
from planner.models.problems import InputError, Problem

MAX_PROBLEMS_SHOWN = 200
"""Problems printed as text; ``--json`` lists every one."""

F = TypeVar("F", bound=Callable[..., Any])


def fail(
    code: int,
    message: str,
    as_json: bool,
    *,
    source: str | None = None,
    problems: Sequence[Problem] = (),
    extra: dict[str, Any] | None = None,
) -> NoReturn:
    """Report an error and exit with ``code``.

    With ``as_json``, one JSON object on stdout: ``extra``'s keys, then ``error``,
    ``file`` and ``problems`` (each with ``path``, ``line`` and ``message``); else the
    message and the first ``MAX_PROBLEMS_SHOWN`` problems on stderr.
    """
    if as_json:
        document: dict[str, Any] = {**(extra or {}), "error": message, "file": source}
        document["problems"] = [problem.as_json() for problem in problems]
        click.echo(json.dumps(document, indent=2))
    else:
        say(stderr, f"{source}: {message}" if source else message, "red")
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            say(stderr, f"  {problem}")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            say(stderr, f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more (--json lists all)")
    sys.exit(code)


def invalid(error: InputError, as_json: bool, extra: dict[str, Any] | None = None) -> NoReturn:
    """Exit 2 listing every problem of an input file (SPEC 2.5)."""
    count = len(error.problems)
    fail(
        EXIT_INVALID,
        f"{count} problem{'s' if count != 1 else ''}",
        as_json,
        source=error.source,
        problems=error.problems,
        extra=extra,
    )


def no_traceback(command: F) -> F:
    """Turn any unexpected exception into a one-line message and exit code 1, and a
    signal outside a search into exit 130 or 143; both honour ``--json``."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        """Run the command; report what escapes it (see :func:`no_traceback`)."""
        as_json = bool(kwargs.get("as_json"))
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Interrupted as stopped:
            fail(signal_exit(stopped.signum), "interrupted", as_json)
        except BrokenPipeError:  # the reader went away (``planner solve ... | head``)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(signal_exit(signal.SIGPIPE))
        except KeyboardInterrupt:
            fail(signal_exit(signal.SIGINT), "interrupted", as_json)
        except Exception as error:  # the user gets a message, never a traceback
            fail(EXIT_INTERNAL, f"internal error: {type(error).__name__}: {error}", as_json)

    return wrapper  # type: ignore[return-value]


def terminate_as_interrupt(signum: int, frame: FrameType | None) -> None:
    """The SIGTERM handler outside a search: end the command as SIGINT does, by an
    exception, so that a file being written is cleaned up."""
    raise Interrupted(signum)
