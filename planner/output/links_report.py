"""The readable report of ``planner links`` (SPEC 2.4): the clusters of linked
investigations with what links them, the suspected links with their evidence, and
the countries most involved.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from planner.links import CaseGraph


def print_links_report(console: Console, case_graph: CaseGraph, countries: int = 10) -> None:
    """Clusters with what links them, suspected links with their evidence, top countries."""
    summary = case_graph.summary(countries=countries)
    clusters = Table(title=f"Linked investigations: {len(summary['clusters'])} clusters")
    for column in ("cases", "linked by", "countries"):
        clusters.add_column(column, overflow="fold")
    for cluster in summary["clusters"]:
        linked_by = ", ".join(cluster["entities"]) or ""
        if cluster["declared"]:
            linked_by = "declared" + (f"; {linked_by}" if linked_by else "")
        clusters.add_row(", ".join(cluster["cases"]), linked_by, ", ".join(cluster["countries"]))
    console.print(clusters)
    suspected = Table(title=f"Suspected links: {len(summary['suspected'])} (advice only)")
    for column in ("cases", "evidence"):
        suspected.add_column(column, overflow="fold")
    for link in summary["suspected"]:
        suspected.add_row(" + ".join(link["cases"]), link["why"])
    console.print(suspected)
    involved = Table(title="Countries most involved")
    involved.add_column("country")
    involved.add_column("cases", justify="right")
    for entry in summary["countries"]:
        involved.add_row(entry["code"], str(entry["cases"]))
    console.print(involved)
