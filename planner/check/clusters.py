"""Clusters of linked cases, found by the checker itself (SPEC 2.4, docs/rules.md "Links").

Its own entity normalisation and its own graph: it shares nothing with
:mod:`planner.links`, which the solver and the reports use, so that a mistake in
one reading of "linked" shows up in the other.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import networkx as nx

from planner.models.scenario import Scenario


def normalise_entity(entity: str) -> str:
    """Return ``kind:value``: the kind lower-cased, the value only lower-case letters and
    digits (an entity without a ``:`` is all value)."""
    kind, colon, value = entity.partition(":")
    if not colon:
        kind, value = "", entity
    return kind.strip().lower() + ":" + "".join(c for c in value.lower() if c.isalnum())


def linked_clusters(scenario: Scenario) -> list[set[str]]:
    """Return the clusters of linked cases (SPEC 2.4): components of two or more cases.

    Cases are linked when one declares the other, or, with ``links.detect:
    entities``, when they share a normalised entity.
    """
    graph = nx.Graph()
    graph.add_nodes_from(case.id for case in scenario.cases)
    for case in scenario.cases:
        graph.add_edges_from((case.id, other) for other in case.linked)
    if scenario.links.detect == "entities":
        holders: dict[str, list[str]] = defaultdict(list)
        for case in scenario.cases:
            for entity in {normalise_entity(e) for e in case.entities}:
                holders[entity].append(case.id)
        for cases in holders.values():
            graph.add_edges_from(pairwise(cases))
    return [set(c) for c in nx.connected_components(graph) if len(c) > 1]
