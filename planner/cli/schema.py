"""``planner schema``: the JSON Schema of scenario files (SPEC 2.7.5), for editors that
complete and check YAML (README "Editing scenarios")."""

from __future__ import annotations

import json

import click

from planner.cli.console import say, stderr
from planner.cli.errors import no_traceback
from planner.cli.inputs import check_outputs
from planner.models.schema import scenario_schema
from planner.output.files import write_atomically


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the schema to this file [default: print it].",
)
@no_traceback
def schema(output: str | None) -> None:
    """Print the JSON Schema of planner.scenario/1 scenario files.

    Every field is described; unknown keys are refused; durations, times, hour ranges
    and dates are checked as patterns. Point an editor at it with one comment line at
    the top of a scenario: # yaml-language-server: $schema=scenario.schema.json
    """
    check_outputs([output] if output else [], [], (".json",), False)
    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        write_atomically(output, text)
        say(stderr, f"{output}: the JSON Schema of planner.scenario/1")
    else:
        click.echo(text, nl=False)
