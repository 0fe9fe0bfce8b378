"""``planner check``: re-verify a plan against every hard rule and its objective with the
independent checker (:mod:`planner.check`), and against its baseline when given."""

from __future__ import annotations

import json
import sys

import click

from planner.check import load_schedule, verify
from planner.cli.console import stdout
from planner.cli.errors import invalid, no_traceback
from planner.cli.inputs import read_scenario
from planner.cli.options import baseline_option, json_option, max_bytes, max_input_option
from planner.exits import check_exit
from planner.loading import parse_json, read_text
from planner.models.problems import InputError, Problem
from planner.output.check_report import print_verdict, verdict_document


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("schedule", type=click.Path(dir_okay=False))
@baseline_option("The plan it was made from: also check its changes and its moves term.")
@json_option("Print the violations as JSON.")
@max_input_option
@no_traceback
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
    limit = max_bytes(max_input_mb)
    published: object = None
    baseline_text = ""
    try:
        document = load_schedule(schedule, max_bytes=limit)
        if baseline is not None:
            baseline_text = read_text(baseline, limit, "plan")
            published = parse_json(baseline_text, baseline)
    except InputError as error:
        invalid(error, as_json)
    if baseline is not None and not isinstance(published, dict):
        invalid(InputError([Problem((), "a plan must be a JSON object")], baseline), as_json)
    try:
        verdict = verify(
            loaded,
            document,
            scenario_bytes,
            baseline=published if isinstance(published, dict) else None,
            baseline_bytes=baseline_text.encode("utf-8"),
        )
    except InputError as error:  # a calendar the checker reads itself, gone or changed
        invalid(error, as_json)
    if as_json:
        click.echo(json.dumps(verdict_document(verdict), indent=2))
    else:
        print_verdict(stdout, verdict, schedule)
    sys.exit(check_exit(verdict))
