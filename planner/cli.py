"""The ``planner`` command line: parse, call, print. No modelling happens here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from planner.loading import load_scenario
from planner.models import Scenario, ScenarioError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_UNSCHEDULED = 3
EXIT_INFEASIBLE = 4
EXIT_NO_SOLUTION = 5

F = TypeVar("F", bound=Callable[..., Any])

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _no_traceback(command: F) -> F:
    """Turn any unexpected exception into a one-line message and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            stderr.print("interrupted")
            sys.exit(130)
        except Exception as error:  # the user gets a message, never a traceback
            stderr.print(f"[red]internal error:[/] {type(error).__name__}: {error}")
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _invalid(error: ScenarioError, as_json: bool, console: Console = stderr) -> NoReturn:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "valid": False,
                    "file": error.source,
                    "errors": [p.as_json() for p in error.problems],
                },
                indent=2,
            )
        )
    else:
        count = len(error.problems)
        console.print(f"[red]{error.source}: {count} problem{'s' if count != 1 else ''}[/]")
        for problem in error.problems:
            console.print(f"  {problem}", markup=False)
    sys.exit(EXIT_INVALID)


def read_scenario(path: str, as_json: bool, console: Console = stderr) -> Scenario:
    """Load a scenario or exit 2 listing every problem."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        _invalid(error, as_json, console)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planner")
def main() -> None:
    """Plan cross-border coordination meetings and action days."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_no_traceback
def validate(scenario: str, as_json: bool) -> None:
    """Check a scenario file and print every problem with its location.

    Exit 0 when the file is valid, 2 otherwise.
    """
    loaded = read_scenario(scenario, as_json, stdout)
    summary = {
        "valid": True,
        "file": scenario,
        "name": loaded.name,
        "meetings": len(loaded.meetings),
        "action_days": len(loaded.action_days),
        "rooms": len(loaded.rooms),
        "interpreters": len(loaded.interpreters),
        "cases": len(loaded.cases),
        "errors": [],
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        stdout.print(
            f"[green]{scenario}: valid[/] — {summary['meetings']} meetings, "
            f"{summary['action_days']} action days, {summary['rooms']} rooms, "
            f"{summary['interpreters']} interpreters, {summary['cases']} cases"
        )
