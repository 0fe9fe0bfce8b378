"""``planner links``: linked investigations (SPEC 2.4): clusters, suspected links with
their evidence, the countries most involved, and the graph as a file."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.console import say, stdout
from planner.cli.errors import no_traceback
from planner.cli.inputs import check_outputs, read_scenario
from planner.cli.options import json_option, max_input_option
from planner.links import build_case_graph
from planner.output.files import write_atomically
from planner.output.graph import GRAPH_FORMATS, graph_file
from planner.output.links_report import print_links_report


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the graph: .graphml (Gephi, yEd) or .html (a self-contained page).",
)
@json_option("Print the report as JSON.")
@max_input_option
@no_traceback
def links(scenario: str, output: str | None, as_json: bool, max_input_mb: float) -> None:
    """Linked investigations: clusters, suspected links and the countries most involved."""
    check_outputs([output] if output else [], [scenario], GRAPH_FORMATS, as_json)
    loaded, _ = read_scenario(scenario, as_json, max_input_mb)
    case_graph = build_case_graph(loaded)
    if output:
        write_atomically(
            output, graph_file(case_graph, Path(output).suffix, loaded.name or scenario)
        )
    if as_json:
        click.echo(case_graph.to_json())
        return
    print_links_report(stdout, case_graph)
    if output:
        say(stdout, f"graph written to {output}")
