"""``planner links`` and the links in ``planner solve``'s plan."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner
from solving import solve_checked

from planner import cli
from planner.loading import load_scenario

WEEK = "scenarios/week.yaml"


def test_links_finds_the_entity_linked_pair_of_the_week() -> None:
    # EJ-0388 and EJ-0412 share one IBAN, written with and without spaces.
    outcome = CliRunner().invoke(cli.main, ["links", WEEK, "--json"])
    assert outcome.exit_code == 0
    report = json.loads(outcome.output)
    assert [c["cases"] for c in report["clusters"]] == [["EJ-0388", "EJ-0412"]]
    assert report["clusters"][0]["declared"] is False
    assert report["countries"][0]["code"] == "NL"


def test_links_writes_graphml_and_html(tmp_path: Path) -> None:
    graphml, page = tmp_path / "graph.graphml", tmp_path / "graph.html"
    for path in (graphml, page):
        outcome = CliRunner().invoke(cli.main, ["links", WEEK, "-o", str(path)])
        assert outcome.exit_code == 0 and "EJ-0412" in outcome.output
    graph = nx.read_graphml(graphml)
    clustered = {n for n, data in graph.nodes(data=True) if data["cluster"] >= 0}
    assert {"case:EJ-0388", "case:EJ-0412"} <= clustered
    html = page.read_text()
    assert "<svg" in html and "https://" not in html and "http://" not in html
    assert graphml.stat().st_mode & 0o044  # readable by others like any file (umask)


def test_links_rejects_an_unknown_graph_format(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(cli.main, ["links", WEEK, "-o", str(tmp_path / "g.png")])
    assert outcome.exit_code == 2 and ".graphml" in outcome.output


def test_week_places_the_linked_action_days_on_one_date() -> None:
    # The hidden link forces AD-0388 and AD-0412 onto one date; with one centre room,
    # one of them runs virtually: the optimum is 20 (virtual_centre), proven.
    scenario, result = solve_checked(load_scenario(WEEK))
    dates = {a.id: a.date for a in result.action_days}
    assert dates["AD-0388"] == dates["AD-0412"]
    assert result.status == "optimal" and result.objective == 20
    assert result.links.clusters == [["EJ-0388", "EJ-0412"]]
    assert scenario.links.action_days == "same_day"
