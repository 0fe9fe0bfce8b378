"""``planner generate``: a realistic scenario calibrated to the agency's figures, or a
variant of it (:mod:`planner.generate`); the same options always give the same file."""

from __future__ import annotations

import click

from planner.cli.console import say, stderr
from planner.cli.errors import fail, no_traceback
from planner.cli.inputs import check_outputs
from planner.exits import EXIT_INTERNAL
from planner.generate import VARIANTS, describe, generate_scenario, scenario_text
from planner.models.problems import ScenarioError
from planner.output.files import write_atomically


@click.command()
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
@no_traceback
def generate(
    year: int, scale: float, seed: int, weeks: int | None, output: str | None, variant: str
) -> None:
    """Generate a realistic scenario calibrated to the agency's 2024 figures.

    The same options always give the same file.
    """
    check_outputs([output] if output else [], [], (".yaml", ".yml"), False)
    data = generate_scenario(year=year, scale=scale, seed=seed, weeks=weeks, variant=variant)
    try:
        text = scenario_text(data)
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
