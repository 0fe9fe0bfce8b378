"""``planner whatif``: the base plan and one variant per change file, solved alike and
compared side by side (SPEC 2.7.1 "What-if")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from planner.change import load_change
from planner.cli.console import stdout
from planner.cli.errors import fail, invalid, no_traceback
from planner.cli.inputs import read_scenario
from planner.cli.options import (
    MAX_WORKERS,
    baseline_option,
    json_option,
    max_bytes,
    max_input_option,
    seed_option,
    termination,
    termination_options,
    time_limit_option,
)
from planner.exits import EXIT_INVALID, whatif_exit
from planner.loading import parse_json, read_text
from planner.models.baseline import baseline_from_data
from planner.models.problems import InputError
from planner.models.termination import IDLE_SECONDS
from planner.output.files import writable_problem, write_atomically
from planner.output.schedule_json import scenario_digest
from planner.output.whatif_report import print_whatif, whatif_document
from planner.whatif import plan_files
from planner.whatif import whatif as run_whatif


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--change",
    "change_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="A change file (remove / update / add by id); one variant each; may be repeated.",
)
@baseline_option("A published plan: it is the base [default: the scenario solved].")
@click.option(
    "--fresh",
    is_flag=True,
    help="Solve the variants from scratch instead of against the base plan (then compare).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=None,
    help="Plans solved at once, in parallel processes [default: the machine's cores].",
)
@time_limit_option("Seconds each plan's search may take.")
@termination_options(idle=IDLE_SECONDS)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=1,
    show_default=True,
    help="Search workers of each plan (the same whatever --jobs: results do not depend on it).",
)
@seed_option("Random seed of every plan's search.")
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False),
    help="Write NAME.yaml (the scenario with its change) and NAME.json (its plan, naming "
    "NAME.yaml's sha256) per plan into this folder, made when missing (NAME: the change "
    "file's name; base for the base).",
)
@json_option("Print the comparison as JSON.")
@max_input_option
@no_traceback
def whatif(
    scenario: str,
    change_files: tuple[str, ...],
    baseline: str | None,
    fresh: bool,
    jobs: int | None,
    time_limit: float,
    stop_when_idle: float | None,
    gap_percent: float | None,
    workers: int,
    seed: int,
    folder: str | None,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Solve the base and each variant (the scenario with one change file) alike, and
    compare them side by side.

    The base plan is every variant's baseline: "moved" is what a change forces. Exit 0
    when every plan was found, 5 when some was not in time, 2 on invalid input.
    """
    made = _make_folder(Path(folder), as_json) if folder is not None else False
    loaded, source = read_scenario(scenario, as_json, max_input_mb)
    limit = max_bytes(max_input_mb)
    stop = termination(time_limit, stop_when_idle, gap_percent)
    try:
        changes = [load_change(path, limit) for path in change_files]
        published, document = None, None
        if baseline:
            text = read_text(baseline, limit, "plan")
            document = parse_json(text, baseline)
            published, problems = baseline_from_data(document, scenario_digest(text.encode()))
            if published is None:
                raise InputError(problems, baseline)
        comparison = run_whatif(
            loaded,
            changes,
            baseline=published,
            baseline_document=document,
            source=source.decode("utf-8"),
            fresh=fresh,
            jobs=jobs,
            time_limit=stop.time_limit,
            stop_when_idle=stop.idle,
            gap=stop.gap,
            workers=workers,
            seed=seed,
        )
    except InputError as error:
        if made and folder is not None:
            Path(folder).rmdir()  # made for this run, still empty: leave nothing behind
        invalid(error, as_json)
    if folder is not None:
        for name, text in plan_files(comparison).items():
            write_atomically(Path(folder) / name, text)
    if as_json:
        click.echo(json.dumps(whatif_document(comparison), indent=2, ensure_ascii=False))
    else:
        print_whatif(stdout, comparison)
    sys.exit(whatif_exit(comparison))


def _make_folder(folder: Path, as_json: bool) -> bool:
    """Make the ``-o`` folder when missing, before any work (SPEC 2.7.1 v1.2); return
    whether it was made now, so that a run that fails on its input leaves no empty
    folder behind. Its parents are not made: a mistyped path is said, not created.
    Exit 2 when it cannot be made or written in."""
    made = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        fail(EXIT_INVALID, f"cannot make the folder {folder}: {error.strerror or error}", as_json)
    problem = writable_problem(folder)
    if problem:
        fail(EXIT_INVALID, problem, as_json)
    return made
