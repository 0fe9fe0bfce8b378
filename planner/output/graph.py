"""The country–case graph as files: GraphML for graph tools, one HTML page for people.

Both return text (:func:`graph_file` picks one by the file's extension); the caller
writes it with :func:`planner.output.files.write_atomically`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from planner.links import CaseGraph, Node, case_node, country_node, entity_node

GRAPH_FORMATS = (".graphml", ".html")
"""The extensions ``planner links -o`` writes."""

FULL_DRAWING_LIMIT = 200
"""Graphs with more nodes are drawn as one small panel per cluster and suspected link."""
ENTITY_LABELS_LIMIT = 80
"""Entity labels are written on the drawing only when it has at most this many nodes."""
MAX_PANELS = 24
"""At most this many panels (a third of them kept for suspected links when there are some)."""
PANEL_CASES = 10
"""A larger cluster is drawn with this many of its cases, linked to one another."""
PANEL_COLUMNS, PANEL_HEIGHT, PANEL_LABEL_ROOM = 4, 230, 80
PANEL_ENTITY_LABELS_LIMIT = 8

LAYOUT_WEIGHTS = {"declared": 1.0, "entity": 1.0, "suspected": 0.5, "country": 0.1}
"""How strongly each kind of edge pulls its ends together in the layout: countries
are hubs of many cases and would otherwise pull every cluster into one knot."""

WIDTH, HEIGHT, MARGIN = 1000, 680, 40
LABEL_ROOM = 150
"""Room on the right for the labels written beside the nodes."""

CLUSTER_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
    "#d37295",
    "#499894",
)
UNCLUSTERED_COLOUR = "#c9ced6"
ENTITY_OUTLINE = "#b45309"


def node_id(node: Node) -> str:
    """The text id of a graph node in files: ``case:EJ-0412``, ``country:NL``, ``entity:…``."""
    kind, key = node
    return f"{kind}:{key}"


def node_cluster(case_graph: CaseGraph, node: Node) -> int:
    """The cluster index of a node, ``-1`` if none.

    A case has its own; an entity has its cases' cluster when they are all in
    the same one; a country has none (it usually serves many clusters).
    """
    kind, key = node
    if kind == "case":
        return case_graph.cluster_of.get(key, -1)
    if kind == "entity":
        found = {case_graph.cluster_of.get(case, -1) for case in case_graph.entity_cases[key]}
        return found.pop() if len(found) == 1 else -1
    return -1


def graphml_text(case_graph: CaseGraph) -> str:
    """Return the country–case graph as GraphML text.

    Parameters
    ----------
    case_graph
        The graph of :func:`planner.links.build_case_graph`.

    Returns
    -------
    str
        GraphML with node ids such as ``case:EJ-0412``; every node has
        ``kind`` (case, country, entity), ``label`` and ``cluster`` (``-1`` if
        none); cases also ``crime`` and ``title``, countries ``name``, entities
        ``normalised``. Every edge has a ``relation``: ``country``, ``entity``,
        ``declared``, or ``suspected`` (with its evidence in ``why``).
    """
    source = case_graph.graph
    export = nx.Graph(name=case_graph.scenario.name)
    for node, data in source.nodes(data=True):
        export.add_node(node_id(node), **data, cluster=node_cluster(case_graph, node))
    for first, second, data in source.edges(data=True):
        export.add_edge(node_id(first), node_id(second), **data)
    for link in case_graph.suspected:
        first, second = (node_id(case_node(case)) for case in link.cases)
        export.add_edge(first, second, relation="suspected", why=link.why)
    return "\n".join(nx.generate_graphml(export)) + "\n"


Edge = tuple[Node, Node, str, str]
"""``(first, second, relation, tooltip)``; relation as in the graph, or ``suspected``."""


@dataclass(frozen=True)
class _Panel:
    """One picture of the drawing: some nodes, the edges among them, and where they go."""

    caption: str
    box: tuple[float, float, float, float]
    """``(left, top, width, height)`` on the canvas."""
    nodes: list[Node]
    edges: list[Edge]
    positions: dict[Node, tuple[float, float]]
    """Canvas coordinates of each node."""
    entity_label_chars: int
    """Entity labels are written cut to this length; 0: only in the tooltip."""


@dataclass(frozen=True)
class _Drawing:
    """The whole picture: its size, its panels, and a note on what it leaves out."""

    width: int
    height: int
    panels: list[_Panel]
    note: str


def _edges_among(case_graph: CaseGraph, nodes: Iterable[Node]) -> list[Edge]:
    """Return the edges among ``nodes``: the graph's own (case–country, case–entity,
    declared) and the suspected links between two of the cases, with their evidence.
    """
    chosen = set(nodes)
    edges: list[Edge] = [
        (first, second, relation, "")
        for first, second, relation in case_graph.graph.subgraph(chosen).edges(data="relation")
    ]
    for evidence in case_graph.suspected_evidence:
        first, second = (case_node(case) for case in evidence.cases)
        if first in chosen and second in chosen:
            edges.append((first, second, "suspected", evidence.why))
    return edges


def _place(
    nodes: list[Node], edges: list[Edge], area: tuple[float, float, float, float]
) -> dict[Node, tuple[float, float]]:
    """Lay nodes out (spring layout, fixed seed) inside ``(left, top, width, height)``."""
    layout = nx.Graph()
    layout.add_nodes_from(nodes)
    layout.add_weighted_edges_from(
        (first, second, LAYOUT_WEIGHTS[relation]) for first, second, relation, _ in edges
    )
    raw = nx.spring_layout(layout, seed=7, weight="weight")
    xs = {node: float(raw[node][0]) for node in nodes}
    ys = {node: float(raw[node][1]) for node in nodes}
    low_x, low_y = min(xs.values()), min(ys.values())
    x_span = (max(xs.values()) - low_x) or 1.0
    y_span = (max(ys.values()) - low_y) or 1.0
    left, top, width, height = area
    return {
        node: (
            left + (xs[node] - low_x) / x_span * width,
            top + (ys[node] - low_y) / y_span * height,
        )
        for node in nodes
    }


def _whole_drawing(case_graph: CaseGraph) -> _Drawing:
    """Return the graph drawn whole, in one panel (a graph small enough to read)."""
    nodes = list(case_graph.graph.nodes)
    edges = _edges_among(case_graph, nodes)
    area = (MARGIN, MARGIN, WIDTH - 2 * MARGIN - LABEL_ROOM, HEIGHT - 2 * MARGIN)
    panel = _Panel(
        caption="",
        box=(0, 0, WIDTH, HEIGHT),
        nodes=nodes,
        edges=edges,
        positions=_place(nodes, edges, area) if nodes else {},
        entity_label_chars=28 if len(nodes) <= ENTITY_LABELS_LIMIT else 0,
    )
    return _Drawing(WIDTH, HEIGHT, [panel] if nodes else [], "")


def _linking_nodes(case_graph: CaseGraph, cases: list[str]) -> list[Node]:
    """A group of cases with the entities two of them share, and the countries half share."""
    chosen = set(cases)
    entities = {
        entity
        for case in cases
        for entity in case_graph.case_entities[case]
        if sum(holder in chosen for holder in case_graph.entity_cases[entity]) >= 2
    }
    country_count: dict[str, int] = {}
    for case in cases:
        for code in set(case_graph.scenario.cases_by_id[case].countries):
            country_count[code] = country_count.get(code, 0) + 1
    # In a big cluster nearly every country is shared by two cases; only the
    # common ones help the eye.
    enough = max(2, (len(cases) + 1) // 2)
    countries = sorted(code for code, count in country_count.items() if count >= enough)
    return (
        [case_node(case) for case in cases]
        + [entity_node(entity) for entity in sorted(entities)]
        + [country_node(code) for code in countries]
    )


def _connected_part(case_graph: CaseGraph, first: str, size: int) -> list[str]:
    """Up to ``size`` cases of a cluster, nearest first from ``first``, so they stay linked.

    Walks declared links and shared entities (breadth first); with ``detect:
    declared`` shared entities do not link, so only declared links are walked.
    """
    graph = case_graph.graph
    through_entities = case_graph.scenario.links.detect == "entities"
    found = [first]
    seen = {first}
    for case in found:  # grows while it is walked
        for neighbour in graph[case_node(case)]:
            if neighbour[0] == "case":
                reached = [neighbour[1]]
            elif neighbour[0] == "entity" and through_entities:
                reached = list(case_graph.entity_cases[neighbour[1]])
            else:
                continue
            for other in reached:
                if other not in seen and len(found) < size:
                    seen.add(other)
                    found.append(other)
        if len(found) >= size:
            break
    return sorted(found)


def _panel_drawing(case_graph: CaseGraph) -> _Drawing:
    """Small multiples: the largest clusters and the best suspected links, one panel each."""
    by_size = sorted(
        range(len(case_graph.clusters)),
        key=lambda index: (-len(case_graph.clusters[index]), case_graph.clusters[index][0]),
    )
    suspected = case_graph.suspected_evidence
    cluster_panels = min(len(by_size), MAX_PANELS - min(len(suspected), MAX_PANELS // 3))
    suspected_panels = min(len(suspected), MAX_PANELS - cluster_panels)
    groups: list[tuple[str, list[str]]] = []
    for index in by_size[:cluster_panels]:
        cases = case_graph.clusters[index]
        caption = f"Cluster {index + 1}: {len(cases)} cases"
        if len(cases) > PANEL_CASES:
            caption += f" ({PANEL_CASES} drawn)"
        groups.append((caption, _connected_part(case_graph, cases[0], PANEL_CASES)))
    for rank, evidence in enumerate(suspected[:suspected_panels], start=1):
        groups.append((f"Suspected #{rank}: {' – '.join(evidence.cases)}", list(evidence.cases)))

    rows = -(-len(groups) // PANEL_COLUMNS)
    cell_width, cell_height = WIDTH / PANEL_COLUMNS, PANEL_HEIGHT
    panels = []
    for position, (caption, cases) in enumerate(groups):
        row, column = divmod(position, PANEL_COLUMNS)
        left, top = column * cell_width, row * cell_height
        nodes = _linking_nodes(case_graph, cases)
        edges = _edges_among(case_graph, nodes)
        # Room for a country box's half width on the left, labels on the right.
        area = (left + 26, top + 44, cell_width - 42 - PANEL_LABEL_ROOM, cell_height - 64)
        panels.append(
            _Panel(
                caption=caption,
                box=(left, top, cell_width, cell_height),
                nodes=nodes,
                edges=edges,
                positions=_place(nodes, edges, area),
                entity_label_chars=14 if len(nodes) <= PANEL_ENTITY_LABELS_LIMIT else 0,
            )
        )
    graph = case_graph.graph
    note = (
        f"The graph has {graph.number_of_nodes()} nodes, too many to draw at once. Drawn "
        f"below, each on its own: the {cluster_panels} largest of "
        f"{len(case_graph.clusters)} clusters and the {suspected_panels} best of "
        f"{len(suspected)} suspected links, with the entities that two or more of their "
        "cases share and the countries that most of them share. Every cluster and "
        "suspected link is listed in the tables."
    )
    return _Drawing(WIDTH, int(rows * cell_height), panels, note)


def _drawing(case_graph: CaseGraph) -> _Drawing:
    """Return the drawing of the graph: whole up to ``FULL_DRAWING_LIMIT`` nodes, else one
    small panel per cluster and suspected link.
    """
    if case_graph.graph.number_of_nodes() <= FULL_DRAWING_LIMIT:
        return _whole_drawing(case_graph)
    return _panel_drawing(case_graph)


def _colour(index: int) -> str:
    """Return a cluster's colour (clusters past the palette reuse it; none: grey)."""
    return CLUSTER_COLOURS[index % len(CLUSTER_COLOURS)] if index >= 0 else UNCLUSTERED_COLOUR


def _svg(case_graph: CaseGraph, drawing: _Drawing) -> str:
    """Return the SVG of a drawing: each panel's caption, edges, nodes and labels."""
    lines = [
        f'<svg class="graph" viewBox="0 0 {drawing.width} {drawing.height}" role="img" '
        f'aria-label="country–case graph">'
    ]
    # Countries first, so that cases and entities stay on top of the hubs.
    order = {"country": 0, "entity": 1, "case": 2}
    for panel in drawing.panels:
        positions = panel.positions
        lines.append('<g class="panel">')
        if panel.caption:
            left, top, width, height = panel.box
            lines.append(
                f'<rect class="frame" x="{left + 4:.1f}" y="{top + 4:.1f}" '
                f'width="{width - 8:.1f}" height="{height - 8:.1f}" rx="6"/>'
                f'<text class="caption" x="{left + 14:.1f}" y="{top + 24:.1f}">'
                f"{_text(panel.caption)}</text>"
            )
        for first, second, relation, tip in panel.edges:
            (x1, y1), (x2, y2) = positions[first], positions[second]
            title = f"<title>{_text(tip)}</title>" if tip else ""
            lines.append(
                f'<line class="edge {relation}" x1="{x1:.1f}" y1="{y1:.1f}" '
                f'x2="{x2:.1f}" y2="{y2:.1f}">{title}</line>'
            )
        for node in sorted(panel.nodes, key=lambda node: order[node[0]]):
            lines.append(_node_svg(case_graph, node, positions[node], panel.entity_label_chars))
        lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines)


def _node_svg(
    case_graph: CaseGraph, node: Node, position: tuple[float, float], entity_label_chars: int
) -> str:
    """Return one node's SVG: a case as a disc in its cluster's colour, a country as a
    square, an entity as a small outlined disc, each with its label where there is room.
    """
    kind, key = node
    data = case_graph.graph.nodes[node]
    x, y = position
    label = _text(data["label"])
    if kind == "case":
        case = case_graph.scenario.cases_by_id[key]
        cluster = case_graph.cluster_of.get(key, -1)
        tip = f"{case.id}{' — ' + case.title if case.title else ''} ({case.crime})"
        if cluster >= 0:
            tip += f", cluster {cluster + 1}"
        return (
            f'<g class="node case"><title>{_text(tip)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{_colour(cluster)}"/>'
            f'<text x="{x + 12:.1f}" y="{y + 4:.1f}">{label}</text></g>'
        )
    if kind == "country":
        tip = f"{key} {data['name']}: {sum(1 for _ in case_graph.graph[node])} case(s)"
        half = max(15, 4 * len(key) + 6)
        return (
            f'<g class="node country"><title>{_text(tip)}</title>'
            f'<rect x="{x - half:.1f}" y="{y - 10:.1f}" width="{2 * half}" height="20" rx="4"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{label}</text></g>'
        )
    cluster = node_cluster(case_graph, node)
    outline = _colour(cluster) if cluster >= 0 else ENTITY_OUTLINE
    points = f"{x:.1f},{y - 8:.1f} {x + 8:.1f},{y:.1f} {x:.1f},{y + 8:.1f} {x - 8:.1f},{y:.1f}"
    text = _text(_shorten(str(data["label"]), entity_label_chars)) if entity_label_chars else ""
    holders = ", ".join(case_graph.entity_cases[key])
    return (
        f'<g class="node entity"><title>{label} (cases {_text(holders)})</title>'
        f'<polygon points="{points}" stroke="{outline}"/>'
        + (f'<text class="small" x="{x + 10:.1f}" y="{y + 4:.1f}">{text}</text>' if text else "")
        + "</g>"
    )


def _shorten(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: object) -> str:
    """Return a value as HTML text, escaped (quotes too)."""
    return html.escape(str(value), quote=True)


def _legend() -> str:
    """Return the legend of the drawing's shapes and lines."""
    items = (
        ('<circle cx="10" cy="10" r="7" fill="#4e79a7"/>', "case (colour: its cluster)"),
        (f'<circle cx="10" cy="10" r="7" fill="{UNCLUSTERED_COLOUR}"/>', "case in no cluster"),
        ('<rect class="country-shape" x="1" y="3" width="18" height="14" rx="3"/>', "country"),
        ('<polygon class="entity-shape" points="10,2 18,10 10,18 2,10"/>', "entity"),
        ('<line class="edge declared" x1="0" y1="10" x2="20" y2="10"/>', "declared link"),
        ('<line class="edge entity" x1="0" y1="10" x2="20" y2="10"/>', "case lists entity"),
        ('<line class="edge country" x1="0" y1="10" x2="20" y2="10"/>', "country takes part"),
        ('<line class="edge suspected" x1="0" y1="10" x2="20" y2="10"/>', "suspected link"),
    )
    entries = "".join(
        f'<li><svg viewBox="0 0 20 20" width="20" height="20">{shape}</svg> {_text(name)}</li>'
        for shape, name in items
    )
    return f'<ul class="legend">{entries}</ul>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Return an HTML table of ``headers`` and ``rows`` (cells already escaped)."""
    head = "".join(f"<th>{_text(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _clusters_section(case_graph: CaseGraph) -> str:
    """Return the section of clusters: each cluster's cases, the entities that link them
    (``declared`` when declared links alone hold it) and its countries.
    """
    if not case_graph.clusters:
        return "<h2>Clusters</h2><p>No linked cases.</p>"
    rows = []
    for index, cases in enumerate(case_graph.clusters):
        swatch = f'<span class="swatch" style="background:{_colour(index)}"></span>'
        how = (
            "declared links"
            if index in case_graph.declared_clusters
            else "shared entities (and declared links)"
        )
        rows.append(
            (
                f"{swatch}{index + 1}",
                _text(", ".join(cases)),
                _text(", ".join(case_graph.cluster_entities(index)) or "—"),
                _text(", ".join(case_graph.cluster_countries(index))),
                _text(how),
            )
        )
    table = _table(("#", "cases", "shared entities", "countries", "linked by"), rows)
    return f"<h2>Clusters ({len(case_graph.clusters)})</h2>{table}"


def _suspected_section(case_graph: CaseGraph) -> str:
    """Return the section of suspected links, the strongest first, each with its evidence."""
    if not case_graph.suspected_evidence:
        return "<h2>Suspected links</h2><p>None.</p>"
    rows = [
        (
            _text(" – ".join(evidence.cases)),
            _text(evidence.why),
            f"{evidence.overlap:.2f}",
        )
        for evidence in case_graph.suspected_evidence
    ]
    limit = case_graph.scenario.links.suspected_max
    table = _table(("cases", "evidence", "country overlap"), rows)
    return (
        f"<h2>Suspected links ({len(rows)})</h2>"
        f"<p>Pairs of cases in different clusters that may belong together, best first "
        f"(at most {limit}).</p>{table}"
    )


def _countries_section(case_graph: CaseGraph) -> str:
    """Return the section of the countries most involved, with their number of cases."""
    rows = [(_text(code), str(count)) for code, count in case_graph.countries_most_involved(10)]
    return "<h2>Countries most involved</h2>" + _table(("country", "cases"), rows)


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem;
       color: #1f2933; max-width: 1100px; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.meta, .note { color: #52606d; }
svg.graph { width: 100%; height: auto; border: 1px solid #d9dee4; background: #fbfcfd; }
.edge { stroke-linecap: round; }
.edge.country { stroke: #c5ccd4; stroke-width: 1; }
.edge.entity { stroke: #b45309; stroke-width: 1; stroke-dasharray: 3 3; }
.edge.declared { stroke: #1f2933; stroke-width: 2.5; }
.edge.suspected { stroke: #d64545; stroke-width: 2; stroke-dasharray: 1 5; }
.node text { font-size: 11px; fill: #1f2933; pointer-events: none; }
.node text.small { font-size: 9px; fill: #7c5e10; }
.node circle { stroke: #1f2933; stroke-width: 1; }
.node.country rect, .country-shape { fill: #dbeafe; stroke: #1d4ed8; stroke-width: 1; }
.node.entity polygon, .entity-shape { fill: #fde68a; stroke-width: 2; }
.entity-shape { stroke: #b45309; }
.node:hover circle, .node:hover rect, .node:hover polygon { stroke-width: 3; }
.node { cursor: default; }
.panel .frame { fill: none; stroke: #d9dee4; }
.panel text.caption { font-size: 12px; font-weight: 600; fill: #1f2933; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
ul.legend li { display: flex; align-items: center; gap: 0.3rem; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e4e7eb;
         vertical-align: top; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
          margin-right: 0.4rem; vertical-align: middle; }
"""


def html_page(case_graph: CaseGraph, title: str) -> str:
    """Return one self-contained HTML page that draws the country–case graph.

    Parameters
    ----------
    case_graph
        The graph of :func:`planner.links.build_case_graph`.
    title
        The page's title.

    Returns
    -------
    str
        HTML with inline CSS and an inline SVG drawing (cases as circles
        coloured by cluster, countries as boxes, entities as diamonds, declared
        and suspected links), a legend, and the lists of clusters, suspected
        links and the countries most involved. It loads nothing from anywhere.
        Graphs of more than ``FULL_DRAWING_LIMIT`` nodes are drawn around their
        clusters and suspected links only, as the page says.
    """
    drawing = _drawing(case_graph)
    graph = case_graph.graph
    counts = {kind: 0 for kind in ("case", "country", "entity")}
    for _, kind in graph.nodes(data="kind"):
        counts[kind] += 1
    detect = case_graph.scenario.links.detect
    meta = (
        f"{counts['case']} cases, {counts['country']} countries, {counts['entity']} entities; "
        f"{len(case_graph.clusters)} clusters; links found by "
        + ("declared links and shared entities" if detect == "entities" else "declared links only")
        + "."
    )
    picture = _svg(case_graph, drawing) if drawing.panels else "<p>No cases.</p>"
    note = f'<p class="note">{_text(drawing.note)}</p>' if drawing.note else ""
    return "\n".join(
        (
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_text(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{_text(title)}</h1>",
            f'<p class="meta">{_text(meta)}</p>',
            note,
            picture,
            _legend(),
            _clusters_section(case_graph),
            _suspected_section(case_graph),
            _countries_section(case_graph),
            "</body>",
            "</html>",
            "",
        )
    )


def graph_file(case_graph: CaseGraph, suffix: str, title: str) -> str:
    """Return the graph as the text of a file with extension ``suffix``: GraphML for
    ``.graphml``, else the HTML page titled ``title``."""
    if suffix.lower() == ".graphml":
        return graphml_text(case_graph)
    return html_page(case_graph, title)
