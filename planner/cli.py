"""The ``planner`` command line: parse, call, print. No modelling happens here."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner import STARTED
from planner.change import load_change
from planner.check import (
    Violation,
    accepted_conflicts,
    check_against_baseline,
    check_schedule,
    load_schedule,
)
from planner.explain import explain as run_explain
from planner.generate import VARIANTS, describe, generate_scenario, scenario_yaml
from planner.links import build_case_graph
from planner.loading import (
    load_baseline,
    load_scenario,
    parse_json,
    parse_scenario,
    read_scenario_file,
    read_text,
)
from planner.models import Problem, Scenario, ScenarioError
from planner.models.baseline import Baseline
from planner.models.limits import DEFAULT_MAX_INPUT_MB, MEBIBYTE, printable
from planner.models.problems import InputError
from planner.models.schedule import Changes, Result
from planner.models.types import parse_datetime
from planner.output.changes_report import print_changes
from planner.output.explain_report import explained_document, print_explained
from planner.output.exports import FORMATS, ics_targets, render
from planner.output.files import writable_problem, write_atomically
from planner.output.graph import graphml_text, html_page
from planner.output.links_report import print_links_report
from planner.output.schedule_json import dumps, scenario_digest, schedule_document
from planner.output.suggest_report import print_suggestions, suggestions_document
from planner.output.timetable import print_timetable
from planner.output.whatif_report import print_whatif, whatif_document
from planner.solve import DEFAULT_TIME_LIMIT, Progress
from planner.solve import replan as run_replan
from planner.solve import solve as run_solve
from planner.solver.run import MIN_SOLVE_SECONDS, Interrupt, Interrupted
from planner.suggest import suggest as run_suggest
from planner.whatif import BASE
from planner.whatif import whatif as run_whatif

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_UNSCHEDULED = 3
EXIT_INFEASIBLE = 4
EXIT_NO_SOLUTION = 5

MAX_SEED = 2**31 - 1
"""CP-SAT's random seed is a 32-bit integer."""
MAX_WORKERS = 256
MAX_TIME_LIMIT = 7 * 24 * 3600.0
WRITE_SECONDS = 0.2
WRITE_SECONDS_PER_ACTIVITY = 0.001
"""Kept from a solve's time limit for writing and printing the plan: a moment, and a
millisecond per activity (the timetable of a year of 2,688 activities takes about 2 s
to print)."""
MAX_PROBLEMS_SHOWN = 200
"""Problems printed as text; ``--json`` lists every one."""

F = TypeVar("F", bound=Callable[..., Any])

# markup=False: text from a scenario, a plan or a path is printed as it is, never read as
# rich markup; styles are given as Text styles.
stdout = Console(highlight=False, soft_wrap=True, markup=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def say(console: Console, message: str, style: str | None = None, detail: str = "") -> None:
    """Print a message (and a plain detail after it) with control characters escaped."""
    text = Text(printable(message), style=style or "")
    if detail:
        text.append(" " + printable(detail))
    console.print(text)


def _exit_code_of(signum: int) -> int:
    """130 for SIGINT, 143 for SIGTERM: what a shell reports for a command they ended."""
    return 128 + signum


def fail(
    code: int,
    message: str,
    as_json: bool,
    *,
    source: str | None = None,
    problems: Sequence[Problem] = (),
    extra: dict[str, Any] | None = None,
) -> NoReturn:
    """Report an error and exit with ``code``: as one JSON object on stdout with ``--json``
    (``error`` and ``problems``), else as text on stderr."""
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


def _no_traceback(command: F) -> F:
    """Turn any unexpected exception into a one-line message and exit code 1, and a
    signal outside a search into exit 130 or 143; both honour ``--json``."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Interrupted as stopped:
            fail(_exit_code_of(stopped.signum), "interrupted", as_json)
        except BrokenPipeError:  # the reader went away (``planner solve ... | head``)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(_exit_code_of(signal.SIGPIPE))
        except KeyboardInterrupt:
            fail(_exit_code_of(signal.SIGINT), "interrupted", as_json)
        except Exception as error:  # the user gets a message, never a traceback
            fail(EXIT_INTERNAL, f"internal error: {type(error).__name__}: {error}", as_json)

    return wrapper  # type: ignore[return-value]


def _terminate_as_interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def invalid(error: InputError, as_json: bool, extra: dict[str, Any] | None = None) -> NoReturn:
    """Exit 2 listing every problem of an input file."""
    count = len(error.problems)
    fail(
        EXIT_INVALID,
        f"{count} problem{'s' if count != 1 else ''}",
        as_json,
        source=error.source,
        problems=error.problems,
        extra=extra,
    )


def read_scenario(path: str, as_json: bool, max_input_mb: float) -> tuple[Scenario, bytes]:
    """Load a scenario and the bytes it was read from, or exit 2 listing every problem."""
    try:
        return read_scenario_file(path, max_bytes=_max_bytes(max_input_mb))
    except ScenarioError as error:
        invalid(error, as_json)


def _max_bytes(max_input_mb: float) -> int:
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


class FiniteSeconds(click.FloatRange):
    """Seconds: a finite number within the range (not nan, not inf)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return seconds


def check_outputs(
    outputs: Sequence[str], inputs: Sequence[str], formats: Sequence[str], as_json: bool
) -> None:
    """Exit 2 before any work when an output cannot be written (SPEC 2.7.4): an
    unsupported extension, a missing or unwritable folder, a folder in its place, the
    same file twice, or one of the inputs (a plan never overwrites its scenario)."""
    seen: set[Path] = set()
    for output in outputs:
        target = Path(output)
        problem = output_problem(target, formats, seen, [Path(source) for source in inputs])
        if problem:
            fail(EXIT_INVALID, f"cannot write {output}: {problem}", as_json)
        seen.add(target.resolve())


def output_problem(
    target: Path, formats: Sequence[str], taken: set[Path], inputs: Sequence[Path]
) -> str | None:
    """Why ``target`` cannot be written, or None."""
    if target.suffix.lower() not in formats:
        return f"supported formats are {', '.join(formats)}"
    resolved = target.resolve()
    if resolved in taken:
        return "it is given twice"
    if any(resolved == source.resolve() for source in inputs):
        return "it is an input of this command"
    if target.is_dir():
        return "it is a folder"
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist"
    return writable_problem(target.parent)


_command_started: float | None = None
"""When the command running now began: the first one of a process counts from when
planner was imported (importing is inside its time limit); one more run in the same
process (as tests run them) counts from when it was called."""


def _since_started() -> float:
    return time.monotonic() - (STARTED if _command_started is None else _command_started)


class _Commands(click.Group):
    """The command group; with ``--json`` among the arguments, usage errors too are
    reported as one JSON object."""

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        global _command_started
        _command_started = STARTED if _command_started is None else time.monotonic()
        arguments = list(sys.argv[1:] if args is None else args)
        kwargs["standalone_mode"] = False
        try:
            return super().main(arguments, *pargs, **kwargs)
        except click.ClickException as error:
            if "--json" in arguments:
                fail(error.exit_code, error.format_message(), True)
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as abort:  # click's word for a KeyboardInterrupt outside a command
            cause = abort.__cause__ or abort.__context__
            signum = cause.signum if isinstance(cause, Interrupted) else signal.SIGINT
            fail(_exit_code_of(signum), "interrupted", "--json" in arguments)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planner")
def main() -> None:
    """Plan cross-border coordination meetings and action days."""
    # SIGTERM ends a command the way SIGINT does: by an exception, so that a file being
    # written is cleaned up, and with a message instead of silence.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@max_input_option
@_no_traceback
def validate(scenario: str, as_json: bool, max_input_mb: float) -> None:
    """Check a scenario file and print every problem with its location.

    Exit 0 when the file is valid, 2 otherwise.
    """
    try:
        loaded = load_scenario(scenario, max_bytes=_max_bytes(max_input_mb))
    except ScenarioError as error:
        invalid(error, as_json, extra={"valid": False})
    summary = {
        "valid": True,
        "file": scenario,
        "name": loaded.name,
        "meetings": len(loaded.meetings),
        "action_days": len(loaded.action_days),
        "rooms": len(loaded.rooms),
        "interpreters": len(loaded.interpreters),
        "cases": len(loaded.cases),
        "problems": [],
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        say(
            stdout,
            f"{scenario}: valid",
            "green",
            f"— {summary['meetings']} meetings, {summary['action_days']} action days, "
            f"{summary['rooms']} rooms, {summary['interpreters']} interpreters, "
            f"{summary['cases']} cases",
        )


EXIT_CHANGES = 6
"""``replan``: a baseline activity had to be dropped, or ``--max-moves`` would be passed."""


def search_options(command: F) -> F:
    """The options of every command that searches: limit, workers, seed, logs, JSON."""
    for option in reversed(
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
            click.option(
                "--time-limit",
                type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
                default=DEFAULT_TIME_LIMIT,
                show_default=True,
                help="Seconds the whole command may take.",
            ),
            click.option(
                "--workers",
                type=click.IntRange(min=1, max=MAX_WORKERS),
                default=None,
                help="Search workers [default: all cores]. One worker and a seed make runs "
                "repeatable.",
            ),
            click.option(
                "--seed",
                type=click.IntRange(min=0, max=MAX_SEED),
                default=0,
                show_default=True,
                help="Random seed of the search.",
            ),
            click.option(
                "--json", "as_json", is_flag=True, help="Print the plan as JSON instead of a table."
            ),
            click.option("--log", is_flag=True, help="Show CP-SAT's search log on stderr."),
            click.option(
                "--progress",
                is_flag=True,
                help="Print each better plan or bound on stderr, a line each (for logs; a "
                "terminal shows them anyway).",
            ),
            max_input_option,
        ]
    ):
        command = option(command)
    return command


@dataclass(frozen=True)
class _Run:
    """What a planning command was asked: its files and search options."""

    scenario: str
    outputs: tuple[str, ...]
    ics_for: str | None
    time_limit: float
    workers: int | None
    seed: int
    as_json: bool
    log: bool
    progress: bool
    max_input_mb: float


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="A published plan: moving what it placed costs the move weights, and the plan "
    "says what changed.",
)
@search_options
@_no_traceback
def solve(scenario: str, baseline: str | None, **options: Any) -> None:
    """Plan every meeting and action day of a scenario.

    Exit 0 when every activity is scheduled, 3 when some are not, 4 when the
    scenario is infeasible, 5 when no plan was found in time (no file is
    written then), 2 on invalid input, 130/143 when SIGINT/SIGTERM came before
    any plan existed.
    """
    _plan(_Run(scenario, **options), baseline, replanning=False)


class HostDateTime(click.ParamType):
    """An ISO 8601 date and time; one without an offset is read in host time later."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return parse_datetime(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--baseline",
    required=True,
    type=click.Path(dir_okay=False),
    help="The published plan to re-plan from.",
)
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
@search_options
@_no_traceback
def replan(
    scenario: str, baseline: str, now: datetime | None, max_moves: int | None, **options: Any
) -> None:
    """Re-plan the rest of the horizon from a published plan, moving as little as possible.

    What started before --now is kept exactly. Exit codes as solve, and 6 when a
    baseline activity had to be dropped (the plan is written) or --max-moves would be
    passed (nothing is written); an infeasible scenario (4) and SIGINT/SIGTERM
    (130/143) write nothing.
    """
    _plan(_Run(scenario, **options), baseline, replanning=True, now=now, max_moves=max_moves)


def _plan(
    run: _Run,
    baseline_path: str | None,
    *,
    replanning: bool,
    now: datetime | None = None,
    max_moves: int | None = None,
) -> None:
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
        baseline = _read_baseline(baseline_path, digest, run) if baseline_path else None
        if interrupt.signum is not None:
            fail(_exit_code_of(interrupt.signum), "interrupted before the search", as_json)
        # the limit holds for the whole command: what importing and reading took, and
        # what writing will take, come off the search
        activities = len(loaded.meetings) + len(loaded.action_days)
        writing = WRITE_SECONDS + WRITE_SECONDS_PER_ACTIVITY * activities
        left = max(MIN_SOLVE_SECONDS, run.time_limit - _since_started() - writing)
        result = _solve_showing_progress(
            loaded, run, interrupt, left, baseline, now if replanning else None, replanning
        )
        if interrupt.signum is not None and (replanning or result.status == "unknown"):
            what = "the published plan is left as it was" if replanning else "nothing written"
            fail(_exit_code_of(interrupt.signum), f"interrupted; {what}", as_json)
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
        if changes and max_moves is not None and len(changes.moved) > max_moves:
            _too_many_moves(changes, document, max_moves, as_json)
        # an infeasible re-plan holds nothing: it never replaces a published plan
        outputs = () if replanning and result.status == "infeasible" else run.outputs
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
    if result.status == "infeasible":
        sys.exit(EXIT_INFEASIBLE)
    if replanning and changes is not None and changes.dropped:
        sys.exit(EXIT_CHANGES)
    sys.exit(EXIT_UNSCHEDULED if result.unscheduled else EXIT_OK)


def _optional_baseline(path: str | None, as_json: bool, max_input_mb: float) -> Baseline | None:
    """The baseline at ``path`` if one is given; exit 2 when it cannot be read."""
    if not path:
        return None
    try:
        return load_baseline(path, _max_bytes(max_input_mb))
    except InputError as error:
        invalid(error, as_json)


def _read_baseline(path: str, digest: str, run: _Run) -> Baseline:
    """Read a baseline or exit 2; say in one line when it planned another scenario."""
    try:
        baseline = load_baseline(path, max_bytes=_max_bytes(run.max_input_mb))
    except InputError as error:
        invalid(error, run.as_json)
    if baseline.scenario.sha256 != digest and not run.as_json:
        say(
            stderr,
            f"{path} was planned for another version of the scenario: what is gone from it "
            "counts as changed",
        )
    return baseline


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


def _log_line(line: str) -> None:
    click.echo(line, err=True)


def _solve_showing_progress(
    scenario: Scenario,
    run: _Run,
    interrupt: Interrupt,
    time_limit: float,
    baseline: Baseline | None,
    now: datetime | None,
    replanning: bool,
) -> Result:
    """Solve or re-plan; show the search's progress on stderr: a line per improvement
    with ``--progress``, else a status line on a terminal."""

    def text(progress: Progress) -> str:
        best = "none yet" if progress.objective is None else progress.objective
        since = _since_started()  # the command's time, as its limit counts it
        return f"solving: {since:.1f} s, best {best}, bound {progress.bound}"

    def solve_with(show: Callable[[Progress], None] | None) -> Result:
        options: dict[str, Any] = {
            "time_limit": time_limit,
            "workers": run.workers,
            "seed": run.seed,
            "on_progress": show,
            "interrupt": interrupt,
        }
        if replanning and baseline is not None:
            return run_replan(scenario, baseline, now=now, **options)
        return run_solve(scenario, baseline=baseline, **options)

    if run.progress:
        return solve_with(lambda progress: click.echo(text(progress), err=True))
    if not stderr.is_terminal or run.as_json or interrupt.log is not None:
        return solve_with(None)
    with stderr.status("solving") as status:
        return solve_with(lambda progress: status.update(text(progress)))


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("schedule", type=click.Path(dir_okay=False))
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan it was made from: also check its changes and its moves term.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
@max_input_option
@_no_traceback
def check(
    scenario: str, schedule: str, baseline: str | None, as_json: bool, max_input_mb: float
) -> None:
    """Verify a schedule against every hard rule, independently of the solver.

    With --baseline, also its changes against that plan: every baseline activity
    accounted for once, frozen ones unchanged, the moves term; a rule that a frozen
    activity breaks and the plan lists under changes.conflicts is shown as an accepted
    conflict. Exit 0 when there is no violation, 3 when there are (each is listed), 2
    on invalid input.
    """
    loaded, scenario_bytes = read_scenario(scenario, as_json, max_input_mb)
    max_bytes = _max_bytes(max_input_mb)
    try:
        document = load_schedule(schedule, max_bytes=max_bytes)
        if baseline is not None:
            baseline_text = read_text(baseline, max_bytes, "plan")
            published = parse_json(baseline_text, baseline)
    except InputError as error:
        invalid(error, as_json)
    violations = check_schedule(loaded, document, scenario_bytes)
    accepted: list[Violation] = []
    if baseline is not None:
        if not isinstance(published, dict):
            invalid(InputError([Problem((), "a plan must be a JSON object")], baseline), as_json)
        violations += check_against_baseline(
            loaded, document, published, baseline_text.encode("utf-8")
        )
        violations, accepted = accepted_conflicts(document, violations)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "valid": not violations,
                    "violations": [
                        {"rule": v.rule, "activity": v.activity, "detail": v.detail}
                        for v in violations
                    ],
                    "accepted_conflicts": [
                        {"rule": v.rule, "activity": v.activity, "detail": v.detail}
                        for v in accepted
                    ],
                },
                indent=2,
            )
        )
    else:
        for title, listed in (
            (f"{len(violations)} violations", violations),
            (f"{len(accepted)} accepted conflicts of frozen activities", accepted),
        ):
            if not listed:
                continue
            table = Table(title=title, title_justify="left")
            for column in ("rule", "activity", "detail"):
                table.add_column(column, overflow="fold")
            for v in listed:
                table.add_row(v.rule, printable(v.activity), printable(v.detail))
            stdout.print(table)
        if not violations:
            say(stdout, f"{schedule}: every rule holds", "green")
    sys.exit(EXIT_UNSCHEDULED if violations else EXIT_OK)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--change",
    "change_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="A change file (remove / update / add by id); one variant each; may be repeated.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="A published plan: it is the base, and variants are solved against it.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=None,
    help="Plans solved at once, in parallel processes [default: the machine's cores].",
)
@click.option(
    "--time-limit",
    type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Seconds each plan's search may take.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=1,
    show_default=True,
    help="Search workers of each plan (the same whatever --jobs: results do not depend on it).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=MAX_SEED),
    default=0,
    show_default=True,
    help="Random seed of every plan's search.",
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False),
    help="Write NAME.yaml (the scenario with its change) and NAME.json (its plan) per plan "
    "into this folder (NAME: the change file's name; base for the base).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@max_input_option
@_no_traceback
def whatif(
    scenario: str,
    change_files: tuple[str, ...],
    baseline: str | None,
    jobs: int | None,
    time_limit: float,
    workers: int,
    seed: int,
    folder: str | None,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Solve the base and each variant (the scenario with one change file) alike, and
    compare them side by side.

    Exit 0 when every plan was found, 5 when some was not in time, 2 on invalid input.
    """
    if folder is not None:
        problem = writable_problem(Path(folder)) if Path(folder).is_dir() else "no such folder"
        if problem:
            fail(EXIT_INVALID, f"cannot write in {folder}: {problem}", as_json)
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    max_bytes = _max_bytes(max_input_mb)
    try:
        changes = [load_change(path, max_bytes) for path in change_files]
        published = load_baseline(baseline, max_bytes) if baseline else None
        # the base written with -o is the published plan as it is, not what a comparison reads
        published_document = (
            parse_json(read_text(baseline, max_bytes, "plan"), baseline) if baseline else None
        )
        names = [change.name for change in changes]
        if len(set(names)) < len(names) or BASE in names:
            raise InputError(
                [Problem((), f"change files need distinct names other than {BASE!r}")],
                ", ".join(change_files),
            )
        comparison = run_whatif(
            loaded,
            changes,
            baseline=published,
            jobs=jobs,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
        )
    except InputError as error:
        invalid(error, as_json)
    if folder is not None:
        for plan in comparison.plans:
            data = plan.scenario.model_dump(by_alias=True, exclude_defaults=True, mode="json")
            text = scenario_yaml(data)
            write_atomically(Path(folder) / f"{plan.name}.yaml", text)
            if plan.name == BASE and isinstance(published_document, dict):
                document = dict(published_document)
            else:
                document = dict(plan.document)
            if isinstance(document.get("scenario"), dict):  # the plan of the file beside it
                digest = scenario_digest(text.encode("utf-8"))
                document["scenario"] = {**document["scenario"], "sha256": digest}
            write_atomically(Path(folder) / f"{plan.name}.json", dumps(document))
    if as_json:
        click.echo(json.dumps(whatif_document(comparison), indent=2, ensure_ascii=False))
    else:
        print_whatif(stdout, comparison)
    sys.exit(EXIT_OK if all(plan.found for plan in comparison.plans) else EXIT_NO_SOLUTION)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("activity")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan to hold [default: the scenario solved first].",
)
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1, max=1000),
    default=5,
    show_default=True,
    help="How many places to suggest.",
)
@click.option(
    "--time-limit",
    type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Seconds the first solve may take (without --baseline).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@max_input_option
@_no_traceback
def suggest(
    scenario: str,
    activity: str,
    baseline: str | None,
    count: int,
    time_limit: float,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """The best places for one activity (a new one too), every other activity held as
    in the baseline or as solved, each with what it costs and changes.

    Exit 0 with suggestions, 3 when the activity has no place at all, 2 on invalid input.
    """
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    published = _optional_baseline(baseline, as_json, max_input_mb)
    if activity not in loaded.meetings_by_id and activity not in loaded.action_days_by_id:
        fail(EXIT_INVALID, f"{scenario} has no meeting or action day {activity!r}", as_json)
    found = run_suggest(loaded, activity, baseline=published, count=count, time_limit=time_limit)
    if as_json:
        click.echo(json.dumps(suggestions_document(found), indent=2, ensure_ascii=False))
    else:
        print_suggestions(stdout, found)
    sys.exit(EXIT_OK if found.suggestions else EXIT_UNSCHEDULED)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("activity", required=False)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan to explain [default: the scenario solved first].",
)
@click.option(
    "--time-limit",
    type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Seconds the solve may take (without --baseline).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanations as JSON.")
@max_input_option
@_no_traceback
def explain(
    scenario: str,
    activity: str | None,
    baseline: str | None,
    time_limit: float,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Why an activity cannot be placed and what would let it in; without ACTIVITY,
    every activity a solve leaves out, and why the scenario is infeasible if it is.

    Exit 0, 4 when the scenario is infeasible, 2 on invalid input.
    """
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    published = _optional_baseline(baseline, as_json, max_input_mb)
    if (
        activity is not None
        and activity not in loaded.meetings_by_id
        and (activity not in loaded.action_days_by_id)
    ):
        fail(EXIT_INVALID, f"{scenario} has no meeting or action day {activity!r}", as_json)
    explained = run_explain(loaded, activity, baseline=published, time_limit=time_limit)
    if as_json:
        click.echo(json.dumps(explained_document(explained), indent=2, ensure_ascii=False))
    else:
        print_explained(stdout, explained)
    sys.exit(EXIT_INFEASIBLE if explained.infeasible else EXIT_OK)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    type=click.Path(dir_okay=False),
    help="A published plan to start from [default: the scenario solved at start].",
)
@click.option(
    "--port", type=click.IntRange(1024, 65535), default=8765, show_default=True, help="Port."
)
@click.option(
    "--time-limit",
    type=FiniteSeconds(min=0.1, max=MAX_TIME_LIMIT),
    default=30.0,
    show_default=True,
    help="Seconds each solve may take (the page can ask for others).",
)
@max_input_option
@_no_traceback
def serve(
    scenario: str, plan: str | None, port: int, time_limit: float, max_input_mb: float
) -> None:
    """A local web page: the plan as a timeline; pin, change, re-solve, compare, save.

    Bound to 127.0.0.1; open the printed address (it carries the token every request
    needs). Stop it with Ctrl-C.
    """
    import uvicorn

    from planner.serve import Session, create_app, new_token

    loaded, _ = read_scenario(scenario, False, max_input_mb)
    published = None
    if plan and _optional_baseline(plan, False, max_input_mb):  # a plan, within the limits
        published = parse_json(read_text(plan, _max_bytes(max_input_mb), "plan"), plan)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: after a restart
    try:
        listener.bind(("127.0.0.1", port))  # before anything else: a busy port is said at once
    except OSError as error:
        fail(EXIT_INVALID, f"cannot listen on 127.0.0.1:{port} ({error.strerror})", False)
    listener.listen()  # from now on a connection waits for the server, never is refused
    session = Session(loaded, published)
    session.time_limit = time_limit
    if published is None:
        session.solve()  # in the background: the page shows its progress
    token = new_token()
    say(stdout, f"planner serve: http://127.0.0.1:{port}/?token={token}", "bold")
    config = uvicorn.Config(create_app(session, token, port), log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])


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
@max_input_option
@_no_traceback
def links(scenario: str, output: str | None, as_json: bool, max_input_mb: float) -> None:
    """Linked investigations: clusters, suspected links and the countries most involved."""
    check_outputs([output] if output else [], [scenario], _GRAPH_FORMATS, as_json)
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
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
        say(stdout, f"graph written to {output}")


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
@click.option(
    "--seed", type=click.IntRange(min=0), default=7, show_default=True, help="Random seed."
)
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
@click.option(
    "--variant",
    type=click.Choice(sorted(VARIANTS)),
    default="calibrated",
    show_default=True,
    help="Kind of year: calibrated to the agency's figures, or unlike them in some way "
    "(varied: preferred dates, pins, own time zones, several interpretation languages, "
    "seasons, weekend and critical action days, desks that do not grow).",
)
@_no_traceback
def generate(
    year: int, scale: float, seed: int, weeks: int | None, output: str | None, variant: str
) -> None:
    """Generate a realistic scenario calibrated to the agency's 2024 figures.

    The same options always give the same file.
    """
    check_outputs([output] if output else [], [], (".yaml", ".yml"), False)
    data = generate_scenario(year=year, scale=scale, seed=seed, weeks=weeks, variant=variant)
    text = scenario_yaml(data)
    try:
        parse_scenario(text, source="generated scenario")
    except ScenarioError as error:  # a generator bug: never hand out an invalid file
        fail(
            EXIT_INTERNAL,
            "internal error: the generated scenario is invalid",
            False,
            problems=error.problems,
        )
    if output:
        write_atomically(output, text)
        say(stderr, f"{output}: {describe(data)}")
    else:
        click.echo(text, nl=False)
