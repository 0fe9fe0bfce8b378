"""The ``planner`` command line: parse, call, print. No modelling happens here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.table import Table

from planner.check import ScheduleFileError, check_schedule, load_schedule
from planner.generate import describe, generate_scenario, scenario_yaml
from planner.links import build_case_graph
from planner.loading import load_scenario, parse_scenario
from planner.models import Scenario, ScenarioError
from planner.output.files import write_atomically
from planner.output.graph import graphml_text, html_page
from planner.output.links_report import print_links_report
from planner.output.schedule_json import dumps, scenario_digest, schedule_document
from planner.output.timetable import print_timetable
from planner.solve import DEFAULT_TIME_LIMIT, Progress
from planner.solve import solve as run_solve

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


_FORMATS = (".json",)


def _check_format(output: str | None, formats: tuple[str, ...]) -> None:
    """Exit 2 before any work when the output file's extension is not supported."""
    if output and Path(output).suffix.lower() not in formats:
        stderr.print(f"[red]cannot write {output}:[/] supported formats are {', '.join(formats)}")
        sys.exit(EXIT_INVALID)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the plan to this file (.json: planner.schedule/1).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Seconds the search may take.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Search workers [default: all cores]. One worker and a seed make runs repeatable.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON instead of a table.")
@_no_traceback
def solve(
    scenario: str,
    output: str | None,
    time_limit: float,
    workers: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Plan every meeting and action day of a scenario.

    Exit 0 when every activity is scheduled, 3 when some are not, 4 when the
    scenario is infeasible, 5 when no plan was found in time (no file is
    written then), 2 on invalid input.
    """
    _check_format(output, _FORMATS)
    loaded = read_scenario(scenario, as_json)
    digest = scenario_digest(Path(scenario).read_bytes())
    if stderr.is_terminal and not as_json:
        with stderr.status("solving") as status:

            def show(progress: Progress) -> None:
                best = "none yet" if progress.objective is None else progress.objective
                status.update(
                    f"solving: {progress.elapsed:.1f} s, best {best}, bound {progress.bound}"
                )

            result = run_solve(
                loaded,
                time_limit=time_limit,
                workers=workers,
                seed=seed,
                on_progress=show,
                stop_on_signals=True,
            )
    else:
        result = run_solve(
            loaded, time_limit=time_limit, workers=workers, seed=seed, stop_on_signals=True
        )
    if result.status == "unknown":
        stderr.print(
            f"[red]no plan found within {time_limit:g} s[/]; nothing written "
            "(try a longer --time-limit)"
        )
        sys.exit(EXIT_NO_SOLUTION)
    document = schedule_document(result, loaded.name, digest)
    if output:
        write_atomically(output, dumps(document))
    if as_json:
        click.echo(dumps(document), nl=False)
    else:
        print_timetable(stdout, loaded, result)
        if output:
            stdout.print(f"plan written to {output}")
    if result.status == "infeasible":
        sys.exit(EXIT_INFEASIBLE)
    sys.exit(EXIT_UNSCHEDULED if result.unscheduled else EXIT_OK)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("schedule", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
@_no_traceback
def check(scenario: str, schedule: str, as_json: bool) -> None:
    """Verify a schedule against every hard rule, independently of the solver.

    Exit 0 when there is no violation, 3 when there are (each is listed), 2 on
    invalid input.
    """
    loaded = read_scenario(scenario, as_json)
    try:
        document = load_schedule(schedule)
    except ScheduleFileError as error:
        stderr.print(f"[red]{schedule}:[/] {error}")
        sys.exit(EXIT_INVALID)
    violations = check_schedule(loaded, document, Path(scenario).read_bytes())
    if as_json:
        click.echo(
            json.dumps(
                {
                    "valid": not violations,
                    "violations": [
                        {"rule": v.rule, "activity": v.activity, "detail": v.detail}
                        for v in violations
                    ],
                },
                indent=2,
            )
        )
    elif violations:
        table = Table(title=f"{len(violations)} violations", title_justify="left")
        for column in ("rule", "activity", "detail"):
            table.add_column(column, overflow="fold")
        for v in violations:
            table.add_row(v.rule, v.activity, v.detail)
        stdout.print(table)
    else:
        stdout.print(f"[green]{schedule}: every rule holds[/]")
    sys.exit(EXIT_UNSCHEDULED if violations else EXIT_OK)


_GRAPH_FORMATS = (".graphml", ".html")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the graph: .graphml (Gephi, yEd) or .html (a self-contained page).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_no_traceback
def links(scenario: str, output: str | None, as_json: bool) -> None:
    """Linked investigations: clusters, suspected links and the countries most involved."""
    _check_format(output, _GRAPH_FORMATS)
    loaded = read_scenario(scenario, as_json)
    case_graph = build_case_graph(loaded)
    if output:
        text = (
            graphml_text(case_graph)
            if Path(output).suffix.lower() == ".graphml"
            else html_page(case_graph, loaded.name or scenario)
        )
        write_atomically(output, text)
    if as_json:
        click.echo(case_graph.to_json())
        return
    print_links_report(stdout, case_graph)
    if output:
        stdout.print(f"graph written to {output}")


@main.command()
@click.option(
    "--year",
    type=click.IntRange(1970, 2100),
    default=2027,
    show_default=True,
    help="Calendar year to plan.",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Multiple of the agency's 2024 volume (640 meetings, 32 action days a year) "
    "and of its rooms, staff and interpreters.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@click.option(
    "--weeks",
    type=click.IntRange(min=1),
    default=None,
    help="Plan only this many weeks from the year's first Monday (volumes pro rata).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the scenario to this file [default: print it].",
)
@_no_traceback
def generate(year: int, scale: float, seed: int, weeks: int | None, output: str | None) -> None:
    """Generate a realistic scenario calibrated to the agency's 2024 figures.

    The same options always give the same file.
    """
    data = generate_scenario(year=year, scale=scale, seed=seed, weeks=weeks)
    text = scenario_yaml(data)
    try:
        parse_scenario(text, source="generated scenario")
    except ScenarioError as error:  # a generator bug: never hand out an invalid file
        stderr.print("[red]internal error:[/] the generated scenario is invalid")
        for problem in error.problems:
            stderr.print(f"  {problem}", markup=False)
        sys.exit(EXIT_INTERNAL)
    if output:
        write_atomically(output, text)
        stderr.print(f"{output}: {describe(data)}", markup=False)
    else:
        click.echo(text, nl=False)
