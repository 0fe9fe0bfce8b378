"""``planner stress``: how a published plan absorbs random disruptions (SPEC 2.7.6).

Draws the disruptions and re-plans each on a local process pool or on Ray
(:mod:`planner.stress`), prints the report, writes it as JSON or HTML, and the change
file of each disruption with ``--changes DIR``. Progress (done/total, elapsed) goes to
stderr. SIGINT or SIGTERM ends the sweep keeping what finished: the partial report is
printed and written, marked as such, and the command exits 130 or 143.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from planner.cli.console import say, stderr, stdout
from planner.cli.errors import fail, invalid, no_traceback
from planner.cli.inputs import check_outputs, read_baseline, read_scenario
from planner.cli.options import (
    MAX_WORKERS,
    HostDateTime,
    json_option,
    max_input_option,
    seed_option,
    termination,
    termination_options,
    time_limit_option,
)
from planner.exits import EXIT_INVALID, stress_exit
from planner.models.problems import InputError
from planner.models.stress import KINDS
from planner.output.files import folder_problem, write_atomically
from planner.output.schedule_json import scenario_digest
from planner.output.stress_html import stress_page
from planner.output.stress_json import stress_json
from planner.output.stress_text import print_stress
from planner.serve.state import StateError, keep_report, state_path_of
from planner.solve import IDLE_SECONDS
from planner.solver.run import Interrupt
from planner.stress import DEFAULT_DISRUPTIONS, BackendUnavailable, open_backend
from planner.stress import stress as stress_plan
from planner.stress.draws import change_text, check_kinds
from planner.stress.sweep import ProgressHandler

FORMATS = (".json", ".html")
MAX_DISRUPTIONS = 100_000
"""The most disruptions one sweep draws."""


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    required=True,
    type=click.Path(dir_okay=False),
    help="The published plan to stress (planner.schedule/1).",
)
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1, max=MAX_DISRUPTIONS),
    default=DEFAULT_DISRUPTIONS,
    show_default=True,
    help="Disruptions to draw.",
)
@seed_option("Seed of the draws; each re-plan's seed follows from it and the disruption.")
@click.option(
    "--kinds",
    default=",".join(KINDS),
    show_default=True,
    help="Kinds of disruption, comma-separated, drawn in turn: room (closed a day), desk "
    "(a country away a day), interpreter (absent a day), longer (a meeting 1 h longer), "
    "cancel (a meeting cancelled), urgent (a new meeting like a published one).",
)
@click.option(
    "--now",
    type=HostDateTime(),
    default=None,
    help="The moment of every re-plan: what starts before it is frozen and not disrupted "
    "[default: the current time; without an offset: host time].",
)
@time_limit_option("Seconds each re-plan may take.")
@termination_options(IDLE_SECONDS)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=None,
    help="Re-plans at once in local processes [default: the machine's cores]; with --ray "
    "local, the CPUs of the local Ray.",
)
@click.option(
    "--ray",
    "ray_address",
    metavar="ADDRESS",
    default=None,
    help="Run each re-plan as a Ray task: auto (a running cluster), local (start Ray here) "
    'or a cluster address. Needs pip install "planner[ray]".',
)
@click.option(
    "--changes",
    "changes_folder",
    type=click.Path(file_okay=False),
    default=None,
    help="Write the change file of each disruption re-planned into this folder (NAME.yaml, "
    "NAME as in the report).",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Write the report; may be repeated, the extension picks the format: .json "
    "(planner.stress/1), .html (self-contained page).",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The page's state file, where the report is kept for the page to show beside the "
    "published plan [default: NAME.planner.db beside the scenario, when there is one].",
)
@json_option("Print the report as JSON instead of tables.")
@max_input_option
@no_traceback
def stress(
    scenario: str,
    plan: str,
    count: int,
    seed: int,
    kinds: str,
    now: datetime | None,
    time_limit: float,
    stop_when_idle: float | None,
    gap_percent: float | None,
    jobs: int | None,
    ray_address: str | None,
    changes_folder: str | None,
    outputs: tuple[str, ...],
    state_file: str | None,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Re-plan random disruptions of a published plan, each as planner replan would, and
    report how much it absorbs and which activities are fragile.

    Exit 0 when every disruption was re-planned and every plan passes the checker, 3
    when a re-plan's plan breaks a rule, 2 on invalid input (Ray asked for but not
    installed included), 130/143 on SIGINT/SIGTERM (the partial report is written).
    """
    check_outputs(outputs, [scenario, plan], FORMATS, as_json)
    if changes_folder is not None:
        problem = folder_problem(Path(changes_folder))
        if problem:
            fail(EXIT_INVALID, f"cannot write in {changes_folder}: {problem}", as_json)
    if jobs is not None and ray_address not in (None, "local"):
        fail(EXIT_INVALID, "--jobs sizes the local pool or --ray local, not a cluster", as_json)
    loaded, scenario_bytes = read_scenario(scenario, as_json, max_input_mb)
    digest = scenario_digest(scenario_bytes)
    baseline = read_baseline(plan, digest, as_json, max_input_mb)
    published = Path(plan).read_text(encoding="utf-8")
    if hashlib.sha256(published.encode("utf-8")).hexdigest() != baseline.sha256:
        fail(EXIT_INVALID, f"{plan} changed while it was read", as_json)
    host = ZoneInfo(loaded.host.timezone)
    moment = datetime.now(host) if now is None else now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=host)
    chosen = [kind.strip() for kind in kinds.split(",") if kind.strip()]
    try:
        check_kinds(loaded, baseline, moment, chosen)
    except InputError as error:
        invalid(InputError(error.problems, f"{plan} (--kinds {','.join(chosen)})"), as_json)
    try:
        backend = open_backend(jobs, ray_address)
    except BackendUnavailable as error:
        fail(EXIT_INVALID, str(error), as_json)
    stop = termination(time_limit, stop_when_idle, gap_percent)
    try:
        with Interrupt(active=True) as interrupt, _progress() as show:
            report = stress_plan(
                loaded,
                baseline,
                published,
                now=moment,
                count=count,
                seed=seed,
                kinds=chosen,
                scenario_sha256=digest,
                time_limit=stop.time_limit,
                idle=stop.idle,
                gap=stop.gap,
                backend=backend,
                interrupt=interrupt,
                on_progress=show,
            )
    finally:
        backend.close()
    if changes_folder is not None:
        for outcome in report.outcomes:
            disruption = outcome.disruption
            if disruption.change:
                target = Path(changes_folder) / f"{disruption.name}.yaml"
                write_atomically(target, change_text(disruption))
    for path in outputs:
        if Path(path).suffix.lower() == ".html":
            write_atomically(path, stress_page(report, loaded, baseline))
        else:
            write_atomically(path, stress_json(report))
    _keep_for_the_page(
        Path(state_file) if state_file else state_path_of(Path(scenario)),
        baseline.sha256,
        stress_json(report),
    )
    if as_json:
        click.echo(stress_json(report), nl=False)
    else:
        print_stress(stdout, report)
        for path in outputs:
            say(stdout, f"report written to {path}")
    if not report.complete:
        say(
            stderr, f"interrupted: a partial report of {len(report.outcomes)} disruptions", "yellow"
        )
    sys.exit(stress_exit(report))


def _keep_for_the_page(state: Path, plan_sha256: str, report: str) -> None:
    """Keep the report in the page's state file, when there is one, so that the page shows
    it beside the published plan (SPEC 2.7.6). The sweep is done and written: a state
    file that cannot take it is said on stderr, and the exit code stays the sweep's."""
    try:
        if keep_report(state, plan_sha256, "stress", report):
            say(stderr, f"kept for the page in {state}")
    except StateError as error:
        say(stderr, f"not kept for the page: {error}", "yellow")


@contextmanager
def _progress() -> Iterator[ProgressHandler]:
    """Show the sweep's progress on stderr (``stress: 12/200 done, 34.5 s``): one line
    rewritten in place on a terminal, else a line per finished disruption. Written from
    this thread only: the pool's processes are forked from it."""
    terminal = stderr.is_terminal

    def show(done: int, total: int, elapsed: float) -> None:
        """Print the progress line."""
        line = f"stress: {done}/{total} done, {elapsed:.1f} s"
        click.echo(f"\r{line}" if terminal else line, err=True, nl=not terminal)

    try:
        yield show
    finally:
        if terminal:
            click.echo("", err=True)
