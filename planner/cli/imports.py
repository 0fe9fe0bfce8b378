"""``planner import``: meeting requests from a spreadsheet merged into a scenario (SPEC
2.7.5; the columns in :mod:`planner.requests` and the README).

The command parses, calls and prints:

1. the output path is checked before any work (a ``.yaml`` file in a folder that takes
   one, not one of the inputs);
2. :func:`planner.requests.read_requests` reads the sheet or CSV file, and
   :func:`planner.requests.merge_requests` merges its rows into the ``--into`` scenario
   (or a new one) and validates the result; every problem of either is told at once,
   at its sheet, row and column, and nothing is written (exit 2);
3. the merged data is written as a scenario file (:func:`planner.generate.scenario_yaml`,
   headed by where it came from), read back as ``planner validate`` would read it, and
   only then written, atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner.cli.console import say, stderr, stdout
from planner.cli.errors import fail, invalid, no_traceback
from planner.cli.inputs import check_outputs
from planner.cli.options import json_option, max_bytes, max_input_option
from planner.exits import EXIT_INTERNAL
from planner.generate import scenario_yaml
from planner.loading import parse_scenario
from planner.models.problems import InputError, ScenarioError
from planner.output.files import write_atomically
from planner.requests import Imported, merge_requests, read_requests


@click.command("import")
@click.argument("requests", type=click.Path(dir_okay=False))
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    help="The scenario to merge the requests into [default: a new scenario].",
)
@click.option("--sheet", help="The workbook's sheet to read [default: the first].")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="The scenario file to write (.yaml).",
)
@json_option("Print what was imported as JSON.")
@max_input_option
@no_traceback
def import_requests(
    requests: str,
    into: str | None,
    sheet: str | None,
    output: str,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Merge meeting requests from a spreadsheet (.xlsx or .csv) into a scenario.

    One row per meeting: new ids are added, existing meetings updated; the result is
    validated as a whole. Every problem is listed at once with its sheet, row and
    column, and nothing is written then (exit 2).
    """
    inputs = [requests, *([into] if into else [])]
    check_outputs([output], inputs, (".yaml", ".yml"), as_json)
    limit = max_bytes(max_input_mb)
    try:
        read = read_requests(requests, sheet, max_bytes=limit)
        imported = merge_requests(read, Path(into) if into else None, Path(output), limit)
    except InputError as error:
        invalid(error, as_json)
    text = _scenario_text(imported, requests, into)
    try:
        parse_scenario(text, output, base=Path(output).resolve().parent, max_bytes=limit)
    except ScenarioError as error:  # an importer bug: never write a file validate refuses
        fail(
            EXIT_INTERNAL,
            "internal error: the merged scenario does not read back",
            as_json,
            problems=error.problems,
        )
    write_atomically(output, text)
    summary = {
        "file": output,
        "added": imported.added,
        "updated": imported.updated,
        "skipped": imported.skipped,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    say(
        stdout,
        f"{output}: {len(imported.added)} meetings added, {len(imported.updated)} updated",
        "green",
    )
    if imported.skipped:
        say(stderr, f"skipped (action days are not requests): {', '.join(imported.skipped)}")


def _scenario_text(imported: Imported, requests: str, into: str | None) -> str:
    """Return the merged scenario as a scenario file, headed by where it came from.

    The generator's writer quotes what YAML 1.1 would misread and keeps short entries on
    one line; its own header (which names ``planner generate``) is replaced by one that
    names the requests and the scenario they were merged into.
    """
    body = scenario_yaml(imported.data)
    lines = body.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    origin = f"{into} with the requests of {requests}" if into else f"the requests of {requests}"
    name = imported.data.get("name") or "Scenario"
    header = f"# {name}\n# Written by `planner import` from {origin}.\n"
    if not into:
        header += (
            "# Cases are listed with crime `other` and their meetings' countries: check them.\n"
        )
    return header + "".join(lines)
