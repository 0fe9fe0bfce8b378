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
    time_limit_option,
)
from planner.exits import EXIT_INVALID, whatif_exit
from planner.loading import load_baseline
from planner.models.problems import InputError
from planner.output.files import folder_problem, write_atomically
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
@baseline_option("A published plan: it is the base, and variants are solved against it.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=None,
    help="Plans solved at once, in parallel processes [default: the machine's cores].",
)
@time_limit_option("Seconds each plan's search may take.")
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
    help="Write NAME.yaml (the scenario with its change) and NAME.json (its plan) per plan "
    "into this folder (NAME: the change file's name; base for the base).",
)
@json_option("Print the comparison as JSON.")
@max_input_option
@no_traceback
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
        problem = folder_problem(Path(folder))
        if problem:
            fail(EXIT_INVALID, f"cannot write in {folder}: {problem}", as_json)
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    limit = max_bytes(max_input_mb)
    try:
        changes = [load_change(path, limit) for path in change_files]
        published = load_baseline(baseline, limit) if baseline else None
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
        for name, text in plan_files(comparison).items():
            write_atomically(Path(folder) / name, text)
    if as_json:
        click.echo(json.dumps(whatif_document(comparison), indent=2, ensure_ascii=False))
    else:
        print_whatif(stdout, comparison)
    sys.exit(whatif_exit(comparison))
