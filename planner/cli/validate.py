"""``planner validate``: check a scenario file and print every problem with its location
(SPEC 2.5)."""

from __future__ import annotations

import json

import click

from planner.cli.console import stdout
from planner.cli.errors import invalid, no_traceback
from planner.cli.options import json_option, max_bytes, max_input_option
from planner.loading import read_scenario_details
from planner.models.problems import ScenarioError
from planner.output.validation_report import print_validation, validation_document


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@json_option("Print the result as JSON.")
@max_input_option
@no_traceback
def validate(scenario: str, as_json: bool, max_input_mb: float) -> None:
    """Check a scenario file and print every problem with its location.

    A valid file's summary says how many busy windows each calendar (unavailable_ics)
    gave in the horizon.

    Exit 0 when the file is valid, 2 otherwise.
    """
    try:
        loaded = read_scenario_details(scenario, max_bytes=max_bytes(max_input_mb))
    except ScenarioError as error:
        invalid(error, as_json, extra={"valid": False})
    summary = validation_document(scenario, loaded.scenario, loaded.calendars)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        print_validation(stdout, summary)
