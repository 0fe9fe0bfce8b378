"""``planner solve`` and ``planner replan``: plan a scenario, or re-plan it from a published
plan (SPEC 2.6, 2.7), write the plan and print its timetable.

Both read the scenario and baseline, search within what is left of the time limit
(:mod:`planner.budget`), and exit with the code of the outcome (:mod:`planner.exits`).
A signal is watched from before reading to after writing: before any plan exists it
exits 130 or 143 and writes nothing; after, the best plan is kept (README "Commands").
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from planner.budget import command_seconds, search_seconds
from planner.cli.console import say, stderr, stdout
from planner.cli.errors import fail, no_traceback
from planner.cli.inputs import check_outputs, read_baseline, read_scenario
from planner.cli.options import HostDateTime, baseline_option, search_options, termination
from planner.exits import (
    EXIT_CHANGES,
    EXIT_INVALID,
    EXIT_NO_SOLUTION,
    moves_too_many,
    plan_exit,
    publishes,
    signal_exit,
)
from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.schedule import Changes, Result
from planner.models.score import describe_gap
from planner.output.changes_report import print_changes
from planner.output.exports import FORMATS, ics_targets, render
from planner.output.files import write_atomically
from planner.output.schedule_json import dumps, scenario_digest, schedule_document
from planner.output.timetable import print_timetable
from planner.solve import IDLE_SECONDS, Progress
from planner.solve import replan as run_replan
from planner.solve import solve as run_solve
from planner.solver.run import Interrupt


@dataclass(frozen=True)
class PlanRequest:
    """What a planning command was asked: its files and search options."""

    scenario: str
    outputs: tuple[str, ...]
    ics_for: str | None
    time_limit: float
    stop_when_idle: float | None
    gap_percent: float | None
    workers: int | None
    seed: int
    as_json: bool
    log: bool
    progress: bool
    max_input_mb: float


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@baseline_option(
    "A published plan: moving what it placed costs the move weights, and the plan "
    "says what changed."
)
@search_options(idle=None)
@no_traceback
def solve(scenario: str, baseline: str | None, **options: Any) -> None:
    """Plan every meeting and action day of a scenario.

    Exit 0 when every activity is scheduled, 3 when some are not, 4 when the
    scenario is infeasible, 5 when no plan was found in time (no file is
    written then), 2 on invalid input, 130/143 when SIGINT/SIGTERM came before
    any plan existed.
    """
    plan_and_exit(PlanRequest(scenario, **options), baseline, replanning=False)


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@baseline_option("The published plan to re-plan from.", required=True)
@click.option(
    "--now",
    type=HostDateTime(),
    default=None,
    help="What starts before this moment is frozen [default: the current time; without "
    "an offset: host time].",
)
@click.option(
    "--max-moves",
    type=click.IntRange(min=0),
    default=None,
    help="Write nothing (exit 6) when the new plan would move more activities than this.",
)
@search_options(idle=IDLE_SECONDS)
@no_traceback
def replan(
    scenario: str, baseline: str, now: datetime | None, max_moves: int | None, **options: Any
) -> None:
    """Re-plan the rest of the horizon from a published plan, moving as little as possible.

    What started before --now is kept exactly. Exit codes as solve, and 6 when a
    baseline activity had to be dropped (the plan is written) or --max-moves would be
    passed (nothing is written); an infeasible scenario (4) and SIGINT/SIGTERM
    (130/143) write nothing.
    """
    plan_and_exit(
        PlanRequest(scenario, **options), baseline, replanning=True, now=now, max_moves=max_moves
    )


def plan_and_exit(
    run: PlanRequest,
    baseline_path: str | None,
    *,
    replanning: bool,
    now: datetime | None = None,
    max_moves: int | None = None,
) -> NoReturn:
    """Solve or re-plan, write and print the plan, and exit with its code."""
    as_json = run.as_json
    # a re-plan may replace the plan it starts from; the scenario is never overwritten
    check_outputs(run.outputs, [run.scenario], FORMATS, as_json)
    with Interrupt(active=True, log=_log_line if run.log else None) as interrupt:
        loaded, scenario_bytes = read_scenario(run.scenario, as_json, run.max_input_mb)
        digest = scenario_digest(scenario_bytes)
        if run.ics_for is not None and run.ics_for not in ics_targets(loaded):
            fail(
                EXIT_INVALID,
                f"--ics-for {run.ics_for}: no such party, room or interpreter in the scenario",
                as_json,
            )
        baseline = None
        if baseline_path:
            baseline = read_baseline(baseline_path, digest, as_json, run.max_input_mb)
        if interrupt.signum is not None:
            fail(signal_exit(interrupt.signum), "interrupted before the search", as_json)
        activities = len(loaded.meetings) + len(loaded.action_days)
        left = search_seconds(run.time_limit, activities)
        result = _solve_showing_progress(
            loaded, run, interrupt, left, baseline, now if replanning else None, replanning
        )
        if interrupt.signum is not None and (replanning or result.status == "unknown"):
            what = "the published plan is left as it was" if replanning else "nothing written"
            fail(signal_exit(interrupt.signum), f"interrupted; {what}", as_json)
        if result.status == "unknown":
            fail(
                EXIT_NO_SOLUTION,
                f"no plan found within {run.time_limit:g} s; nothing written "
                "(try a longer --time-limit)",
                as_json,
                extra={"status": "unknown"},
            )
        document = schedule_document(result, loaded.name, digest)
        changes = result.changes
        if changes is not None and max_moves is not None and moves_too_many(changes, max_moves):
            _too_many_moves(changes, document, max_moves, as_json)
        outputs = run.outputs if publishes(result, replanning) else ()
        for path in outputs:
            text = render(
                Path(path).suffix.lower(),
                loaded,
                result,
                digest,
                ics_for=run.ics_for,
                baseline=baseline,
            )
            write_atomically(path, text)
        if as_json:
            click.echo(dumps(document), nl=False)
        else:
            print_timetable(stdout, loaded, result)
            if changes is not None:
                print_changes(stdout, changes)
            for path in outputs:
                say(stdout, f"plan written to {path}")
            if run.outputs and not outputs:
                say(stdout, "infeasible: nothing written, the published plan is left as it was")
        if interrupt.signum is not None:
            say(stderr, "interrupted: the best plan found so far is kept", "yellow")
    sys.exit(plan_exit(result, replanning))


def _too_many_moves(
    changes: Changes, document: dict[str, Any], max_moves: int, as_json: bool
) -> NoReturn:
    """Exit 6 without writing: the plan would move more than ``--max-moves`` activities."""
    message = (
        f"the new plan would move {len(changes.moved)} activities (--max-moves "
        f"{max_moves}); nothing written"
    )
    if as_json:
        fail(EXIT_CHANGES, message, True, extra={"changes": document.get("changes")})
    print_changes(stdout, changes)
    fail(EXIT_CHANGES, message, False)


def progress_line(progress: Progress) -> str:
    """The progress line of a search: seconds, the best plan's score, the bound and the
    gap (SPEC 2.3), e.g. ``solving: 12.3 s, best placement 0 · preference 1241, bound
    placement 0 · preference 1129, gap 9.0 % (placement proven)``."""
    line = f"solving: {progress.elapsed:.1f} s, best {progress.score or 'none yet'}"
    if progress.bound is not None:
        line += f", bound {progress.bound}"
        if progress.score is not None:
            line += f", {describe_gap(progress.score, progress.bound)}"
    return line


def _log_line(line: str) -> None:
    """Print one line of CP-SAT's search log on stderr (``--log``)."""
    click.echo(line, err=True)


def _solve_showing_progress(
    scenario: Scenario,
    run: PlanRequest,
    interrupt: Interrupt,
    time_limit: float,
    baseline: Baseline | None,
    now: datetime | None,
    replanning: bool,
) -> Result:
    """Solve or re-plan; show the search's progress on stderr: a line per improvement
    with ``--progress``, else a status line on a terminal."""

    def solve_with(show: Callable[[Progress], None] | None) -> Result:
        """Solve or re-plan, showing progress through ``show``."""
        stop = termination(time_limit, run.stop_when_idle, run.gap_percent)
        options: dict[str, Any] = {
            "time_limit": stop.time_limit,
            "stop_when_idle": stop.idle,
            "gap": stop.gap,
            "workers": run.workers,
            "seed": run.seed,
            "on_progress": show,
            "interrupt": interrupt,
        }
        if replanning and baseline is not None:
            return run_replan(scenario, baseline, now=now, **options)
        return run_solve(scenario, baseline=baseline, **options)

    def text(progress: Progress) -> str:
        """The progress line, with the command's own time."""
        return progress_line(replace(progress, elapsed=command_seconds()))

    if run.progress:
        shown: list[str] = []

        def echo(progress: Progress) -> None:
            """Print each line once: a bound and a plan may be reported at one moment."""
            line = text(progress)
            if not shown or line.partition(", ")[2] != shown[-1].partition(", ")[2]:
                click.echo(line, err=True)
                shown.append(line)

        return solve_with(echo)
    if not stderr.is_terminal or run.as_json or interrupt.log is not None:
        return solve_with(None)
    with stderr.status("solving") as status:
        return solve_with(lambda progress: status.update(text(progress)))
