"""``planner suggest`` and ``planner explain``: questions about where one activity could go
and why it is left out (SPEC 2.7.1 "Suggest", "Explain"), against a published plan or
the scenario solved."""

from __future__ import annotations

import json
import sys

import click

from planner.cli.console import stdout
from planner.cli.errors import no_traceback
from planner.cli.inputs import known_activity, optional_baseline, read_scenario
from planner.cli.options import (
    baseline_option,
    json_option,
    max_input_option,
    termination,
    termination_options,
    time_limit_option,
)
from planner.exits import explain_exit, suggest_exit
from planner.explain import explain as run_explain
from planner.models.termination import IDLE_SECONDS
from planner.output.explain_report import explained_document, print_explained
from planner.output.suggest_report import print_suggestions, suggestions_document
from planner.suggest import suggest as run_suggest


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("activity")
@baseline_option("The plan to hold [default: the scenario solved first].")
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1, max=1000),
    default=5,
    show_default=True,
    help="How many places to suggest.",
)
@time_limit_option("Seconds the first solve may take (without --baseline).")
@termination_options(idle=IDLE_SECONDS)
@json_option("Print the suggestions as JSON.")
@max_input_option
@no_traceback
def suggest(
    scenario: str,
    activity: str,
    baseline: str | None,
    count: int,
    time_limit: float,
    stop_when_idle: float | None,
    gap_percent: float | None,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """The best places for one activity (a new one too), every other activity held as
    in the baseline or as solved, each with what it costs and changes.

    Exit 0 with suggestions, 3 when the activity has no place at all, 2 on invalid input.
    """
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    published = optional_baseline(baseline, as_json, max_input_mb)
    known_activity(loaded, scenario, activity, as_json)
    stop = termination(time_limit, stop_when_idle, gap_percent)
    found = run_suggest(
        loaded,
        activity,
        baseline=published,
        count=count,
        time_limit=stop.time_limit,
        stop_when_idle=stop.idle,
        gap=stop.gap,
    )
    if as_json:
        click.echo(json.dumps(suggestions_document(found), indent=2, ensure_ascii=False))
    else:
        print_suggestions(stdout, found)
    sys.exit(suggest_exit(found))


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("activity", required=False)
@baseline_option("The plan to explain [default: the scenario solved first].")
@time_limit_option("Seconds the solve may take (without --baseline).")
@termination_options(idle=IDLE_SECONDS)
@json_option("Print the explanations as JSON.")
@max_input_option
@no_traceback
def explain(
    scenario: str,
    activity: str | None,
    baseline: str | None,
    time_limit: float,
    stop_when_idle: float | None,
    gap_percent: float | None,
    as_json: bool,
    max_input_mb: float,
) -> None:
    """Why an activity cannot be placed and what would let it in; without ACTIVITY,
    every activity a solve leaves out, and why the scenario is infeasible if it is.

    Exit 0, 4 when the scenario is infeasible, 2 on invalid input.
    """
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    published = optional_baseline(baseline, as_json, max_input_mb)
    known_activity(loaded, scenario, activity, as_json)
    stop = termination(time_limit, stop_when_idle, gap_percent)
    explained = run_explain(
        loaded,
        activity,
        baseline=published,
        time_limit=stop.time_limit,
        stop_when_idle=stop.idle,
        gap=stop.gap,
    )
    if as_json:
        click.echo(json.dumps(explained_document(explained), indent=2, ensure_ascii=False))
    else:
        print_explained(stdout, explained)
    sys.exit(explain_exit(explained))
