"""The country–case graph (SPEC 2.4): linked investigations, clusters and suspected links.

:func:`build_case_graph` reads a scenario once and returns a :class:`CaseGraph`:
a networkx graph of case, country and entity nodes, the clusters of linked
cases that the solver plans together, and the suspected links that a
coordinator may want to look at. The reading of every rule is the one of
``docs/rules.md`` ("Links"); the checker (:mod:`planner.check`) reads them the
same way without importing this module.

Suspected links are found without looking at every pair of cases, so that a
year of ten thousand cases takes seconds: pairs sharing an entity come from an
entity -> cases index, and pairs with the same crime and similar countries
from a prefix-filtered index of distinct country sets (see
:func:`_similar_country_sets`).
"""

from __future__ import annotations

import heapq
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, groupby, pairwise, product
from typing import Any

import networkx as nx

from planner.models.scenario import Scenario
from planner.models.schedule import LinksSummary, SuspectedLink

Node = tuple[str, str]
"""A graph node: ``(kind, key)``, e.g. ``("case", "EJ-0412")`` or ``("country", "NL")``."""

# For str patterns \w is exactly str.isalnum() plus "_".
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")

MIN_SHARED_COUNTRIES = 2
"""Same-crime cases are suspected only when they share at least this many countries."""


def normalise_entity(text: str) -> str:
    """Return the form in which entity identifiers are compared.

    Parameters
    ----------
    text
        An entity as written in a scenario, ``kind:value`` or just a value.

    Returns
    -------
    str
        ``kind:value`` with the kind lower-cased and stripped, and the value
        lower-cased with everything but letters and digits removed. Without a
        ``:`` (or with an empty kind) the result is the value alone.

    Examples
    --------
    >>> normalise_entity("IBAN: es91-2100-0418-4502-0005-1332")
    'iban:es9121000418450200051332'
    >>> normalise_entity("phone:+34 600-123-456")
    'phone:34600123456'
    """
    kind, colon, value = text.partition(":")
    if not colon:
        kind, value = "", text
    kind = kind.strip().lower()
    value = _NOT_LETTER_OR_DIGIT.sub("", value.lower())
    # An empty kind reads like no kind, so ":acme" and "acme" stay one entity,
    # as they are for the checker.
    return f"{kind}:{value}" if kind else value


def case_node(case_id: str) -> Node:
    """The graph node of a case."""
    return ("case", case_id)


def country_node(code: str) -> Node:
    """The graph node of a country (or organisation)."""
    return ("country", code)


def entity_node(normalised: str) -> Node:
    """The graph node of an entity, keyed by its normalised form."""
    return ("entity", normalised)


@dataclass(frozen=True)
class SuspectedEvidence:
    """Why two cases that are not in one cluster may belong together.

    ``cases`` is the sorted pair; ``shared_entities`` holds normalised
    entities; ``crime`` is the crime when both cases have the same one;
    ``shared_countries`` and ``all_countries`` give the country overlap.
    """

    cases: tuple[str, str]
    shared_entities: tuple[str, ...]
    crime: str | None
    shared_countries: tuple[str, ...]
    all_countries: int

    @property
    def overlap(self) -> float:
        """Shared countries over all countries of the two cases."""
        return len(self.shared_countries) / self.all_countries if self.all_countries else 0.0

    @property
    def rank_key(self) -> tuple[int, float, int, str, str]:
        """Smaller ranks first: more shared entities, higher overlap, more shared countries, ids."""
        first, second = self.cases
        entities, countries = len(self.shared_entities), len(self.shared_countries)
        return (-entities, -self.overlap, -countries, first, second)

    @property
    def why(self) -> str:
        """The evidence in words, e.g. ``both fraud; share 3 of 4 countries (DE, ES, NL)``."""
        parts = []
        if self.shared_entities:
            parts.append(f"share {', '.join(self.shared_entities)} (declared links only)")
        if self.crime is not None:
            parts.append(f"both {self.crime}")
        if self.shared_countries:
            noun = "country" if self.all_countries == 1 else "countries"
            parts.append(
                f"share {len(self.shared_countries)} of {self.all_countries} {noun} "
                f"({', '.join(self.shared_countries)})"
            )
        return "; ".join(parts)

    def as_link(self) -> SuspectedLink:
        """The pair as the solver's result reports it."""
        return SuspectedLink(cases=list(self.cases), why=self.why)


@dataclass(frozen=True)
class SearchStats:
    """How much work the suspected-link search did (for benchmarks)."""

    entity_pairs: int = 0
    """Pairs of cases in different clusters that share an entity."""
    country_set_pairs: int = 0
    """Pairs of distinct same-crime country sets whose overlap was computed."""
    case_pairs_ranked: int = 0
    """Same-crime case pairs that qualified and were ranked."""

    @property
    def examined(self) -> int:
        """Candidate pairs looked at one by one."""
        return self.entity_pairs + self.country_set_pairs


@dataclass(frozen=True)
class CaseGraph:
    """The country–case graph of a scenario, with its clusters and suspected links.

    Build it with :func:`build_case_graph`; it does not change afterwards.
    """

    scenario: Scenario = field(repr=False)
    graph: nx.Graph = field(repr=False)
    """``nx.Graph`` with ``(kind, key)`` nodes carrying ``kind`` and ``label``."""
    clusters: list[list[str]]
    """Connected sets of two or more linked cases; each sorted, sorted by first id."""
    cluster_of: dict[str, int]
    """Case id -> index in :attr:`clusters`, for clustered cases only."""
    declared_clusters: frozenset[int]
    """Indices of clusters held together by declared links alone."""
    entity_cases: dict[str, tuple[str, ...]] = field(repr=False)
    """Normalised entity -> the ids of the cases that list it, in scenario order."""
    case_entities: dict[str, frozenset[str]] = field(repr=False)
    """Case id -> its normalised entities."""
    suspected_evidence: list[SuspectedEvidence]
    """The best ``links.suspected_max`` suspected links, best first."""
    search: SearchStats = field(default_factory=SearchStats)

    @property
    def suspected(self) -> list[SuspectedLink]:
        """The suspected links as the solver's result reports them, best first."""
        return [evidence.as_link() for evidence in self.suspected_evidence]

    def shared_entities(self, case_a: str, case_b: str) -> list[str]:
        """Return the normalised entities that two cases both list, sorted."""
        return sorted(self.case_entities[case_a] & self.case_entities[case_b])

    def cluster_entities(self, index: int) -> list[str]:
        """Return the labels of entities listed by two or more cases of a cluster, sorted."""
        cases = set(self.clusters[index])
        shared = {
            entity
            for case in cases
            for entity in self.case_entities[case]
            if sum(holder in cases for holder in self.entity_cases[entity]) >= 2
        }
        return sorted(self.graph.nodes[entity_node(entity)]["label"] for entity in shared)

    def cluster_countries(self, index: int) -> list[str]:
        """Return every country of a cluster's cases, sorted."""
        cases = self.scenario.cases_by_id
        return sorted({code for case in self.clusters[index] for code in cases[case].countries})

    def countries_most_involved(self, n: int | None = 10) -> list[tuple[str, int]]:
        """Countries by number of cases; see :func:`countries_most_involved`."""
        return countries_most_involved(self.graph, n)

    def summary(self, *, countries: int | None = None) -> dict[str, Any]:
        """Return the ``planner links --json`` document.

        Parameters
        ----------
        countries
            List only this many of the most involved countries (default: all).

        Returns
        -------
        dict
            ``{"clusters": [...], "suspected": [...], "countries": [...]}`` with,
            per cluster, its cases, the labels of the entities shared inside it,
            its countries and whether declared links alone hold it together.
        """
        return {
            "clusters": [
                {
                    "cases": cases,
                    "entities": self.cluster_entities(index),
                    "countries": self.cluster_countries(index),
                    "declared": index in self.declared_clusters,
                }
                for index, cases in enumerate(self.clusters)
            ],
            "suspected": [
                {
                    "cases": list(evidence.cases),
                    "why": evidence.why,
                    "shared_entities": len(evidence.shared_entities),
                    "overlap": round(evidence.overlap, 3),
                    "shared_countries": len(evidence.shared_countries),
                }
                for evidence in self.suspected_evidence
            ],
            "countries": [
                {"code": code, "cases": count}
                for code, count in countries_most_involved(self.graph, countries)
            ],
        }

    def to_json(self, *, countries: int | None = None) -> str:
        """Return :meth:`summary` as indented JSON text."""
        return json.dumps(self.summary(countries=countries), indent=2, ensure_ascii=False)

    def links_summary(self) -> LinksSummary:
        """The clusters and suspected links for the solver's ``planner.schedule/1`` JSON."""
        return LinksSummary(
            clusters=[list(cases) for cases in self.clusters], suspected=self.suspected
        )


def countries_most_involved(graph: Any, n: int | None = 10) -> list[tuple[str, int]]:
    """Return countries by the number of cases they take part in.

    Parameters
    ----------
    graph
        The ``nx.Graph`` of a :class:`CaseGraph` (or the :class:`CaseGraph`).
    n
        How many to return; ``None`` for all.

    Returns
    -------
    list of (str, int)
        ``(code, number of cases)``, most cases first, then by code.
    """
    if isinstance(graph, CaseGraph):
        graph = graph.graph
    counts = [
        (node[1], sum(1 for neighbour in graph[node] if neighbour[0] == "case"))
        for node, kind in graph.nodes(data="kind")
        if kind == "country"
    ]
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return counts if n is None else counts[:n]


def build_case_graph(scenario: Scenario) -> CaseGraph:
    """Build the country–case graph of a scenario with its clusters and suspected links.

    Parameters
    ----------
    scenario
        A validated scenario (every declared link names a known case).

    Returns
    -------
    CaseGraph
        The graph; clusters of linked cases (declared, or sharing an entity
        when ``links.detect`` is ``entities``); the best
        ``links.suspected_max`` suspected links.
    """
    known = scenario.cases_by_id
    country_names: dict[str, str] = {}
    entity_labels: dict[str, str] = {}
    entity_cases: dict[str, list[str]] = defaultdict(list)
    case_entities: dict[str, frozenset[str]] = {}
    country_edges: list[tuple[Node, Node]] = []
    entity_edges: list[tuple[Node, Node]] = []
    declared_pairs: set[tuple[str, str]] = set()
    for case in scenario.cases:
        here = case_node(case.id)
        for code in dict.fromkeys(case.countries):
            if code not in country_names:
                party = scenario.parties.get(code)
                country_names[code] = party.name if party else code
            country_edges.append((here, country_node(code)))
        normalised_here: dict[str, str] = {}
        for text in case.entities:
            normalised_here.setdefault(normalise_entity(text), text.strip())
        for normalised, text in normalised_here.items():
            entity_labels.setdefault(normalised, text)
            entity_edges.append((here, entity_node(normalised)))
            entity_cases[normalised].append(case.id)
        case_entities[case.id] = frozenset(normalised_here)
        for other in case.linked:
            if other in known and other != case.id:
                declared_pairs.add((min(case.id, other), max(case.id, other)))

    graph = nx.Graph()
    graph.add_nodes_from(
        (
            case_node(case.id),
            {"kind": "case", "label": case.id, "title": case.title or "", "crime": case.crime},
        )
        for case in scenario.cases
    )
    graph.add_nodes_from(
        (country_node(code), {"kind": "country", "label": code, "name": name})
        for code, name in country_names.items()
    )
    graph.add_nodes_from(
        (entity_node(key), {"kind": "entity", "label": label, "normalised": key})
        for key, label in entity_labels.items()
    )
    graph.add_edges_from(country_edges, relation="country")
    graph.add_edges_from(entity_edges, relation="entity")
    graph.add_edges_from(
        ((case_node(a), case_node(b)) for a, b in sorted(declared_pairs)), relation="declared"
    )

    holders = {entity: tuple(cases) for entity, cases in entity_cases.items()}
    clusters, declared_clusters = _clusters(
        [case.id for case in scenario.cases],
        declared_pairs,
        holders if scenario.links.detect == "entities" else {},
    )
    cluster_of = {case: index for index, cases in enumerate(clusters) for case in cases}
    evidence, search = _suspected(scenario, holders, case_entities, cluster_of)
    return CaseGraph(
        scenario=scenario,
        graph=graph,
        clusters=clusters,
        cluster_of=cluster_of,
        declared_clusters=declared_clusters,
        entity_cases=holders,
        case_entities=case_entities,
        suspected_evidence=evidence,
        search=search,
    )


def _clusters(
    case_ids: list[str],
    declared_pairs: Iterable[tuple[str, str]],
    entity_cases: dict[str, tuple[str, ...]],
) -> tuple[list[list[str]], frozenset[int]]:
    """Return the clusters and the indices of those that declared links alone connect."""
    declared = nx.Graph()
    declared.add_nodes_from(case_ids)
    declared.add_edges_from(declared_pairs)
    linked = declared.copy()
    for cases in entity_cases.values():
        # A chain through the holders connects them as well as every pair would.
        linked.add_edges_from(pairwise(cases))
    clusters = sorted(sorted(c) for c in nx.connected_components(linked) if len(c) > 1)
    component_of = {
        case: index
        for index, component in enumerate(nx.connected_components(declared))
        for case in component
    }
    declared_only = frozenset(
        index
        for index, cases in enumerate(clusters)
        if len({component_of[case] for case in cases}) == 1
    )
    return clusters, declared_only


def _suspected(
    scenario: Scenario,
    entity_cases: dict[str, tuple[str, ...]],
    case_entities: dict[str, frozenset[str]],
    cluster_of: dict[str, int],
) -> tuple[list[SuspectedEvidence], SearchStats]:
    """Return the best ``links.suspected_max`` suspected links, best first."""
    limit = scenario.links.suspected_max
    cases = scenario.cases_by_id
    countries = {case.id: frozenset(case.countries) for case in scenario.cases}

    def in_one_cluster(a: str, b: str) -> bool:
        """Whether two cases are in one cluster already (not suspected, linked)."""
        index = cluster_of.get(a)
        return index is not None and index == cluster_of.get(b)

    def evidence(pair: tuple[str, str], shared_entities: tuple[str, ...]) -> SuspectedEvidence:
        """Return the evidence of a pair: shared entities, crime, countries."""
        a, b = pair
        crime = cases[a].crime if cases[a].crime == cases[b].crime else None
        return SuspectedEvidence(
            cases=pair,
            shared_entities=shared_entities,
            crime=crime,
            shared_countries=tuple(sorted(countries[a] & countries[b])),
            all_countries=len(countries[a] | countries[b]),
        )

    # With detect: entities every pair sharing an entity is in one cluster.
    entity_pairs: set[tuple[str, str]] = set()
    if scenario.links.detect == "declared":
        for holders in entity_cases.values():
            for a, b in combinations(sorted(holders), 2):
                if not in_one_cluster(a, b):
                    entity_pairs.add((a, b))
    best = heapq.nsmallest(
        limit,
        (
            evidence(pair, tuple(sorted(case_entities[pair[0]] & case_entities[pair[1]])))
            for pair in entity_pairs
        ),
        key=lambda found: found.rank_key,
    )

    # Same crime and similar countries: rank the qualifying pairs in tiers of
    # equal (overlap, shared countries), best tier first, and stop as soon as
    # the list is full. Cases with the same country set form one group, so a
    # thousand bilateral NL-DE fraud cases are one set, not half a million pairs.
    groups: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    for case in scenario.cases:
        groups[case.crime, countries[case.id]].append(case.id)
    sets_by_crime: dict[str, list[frozenset[str]]] = defaultdict(list)
    for crime, country_set in groups:
        sets_by_crime[crime].append(country_set)

    tiers: list[tuple[float, int, list[str], list[str] | None]] = []
    set_pairs = 0
    for crime, sets in sets_by_crime.items():
        similar, examined = _similar_country_sets(sets)
        set_pairs += examined
        for first, second, shared in similar:
            members = groups[crime, first]
            if second is None:
                tiers.append((1.0, shared, members, None))
            else:
                union = len(first) + len(second) - shared
                tiers.append((shared / union, shared, members, groups[crime, second]))
    tiers.sort(key=lambda tier: (-tier[0], -tier[1]))

    ranked = 0

    def tier_pairs(members: list[str], others: list[str] | None) -> Iterator[tuple[str, str]]:
        """Yield the pairs of a tier of equally similar country sets that are not linked
        already nor suspected by an entity, counting each one ranked.
        """
        nonlocal ranked
        pairs: Iterable[tuple[str, str]] = (
            combinations(members, 2) if others is None else product(members, others)
        )
        for a, b in pairs:
            pair = (a, b) if a < b else (b, a)
            if pair not in entity_pairs and not in_one_cluster(a, b):
                ranked += 1
                yield pair

    for _, tier in groupby(tiers, key=lambda tier: (tier[0], tier[1])):
        room = limit - len(best)
        if room <= 0:
            break
        # Within a tier every pair ranks equal but for its ids.
        chosen = heapq.nsmallest(
            room, (pair for *_, members, others in tier for pair in tier_pairs(members, others))
        )
        best.extend(evidence(pair, ()) for pair in chosen)
    stats = SearchStats(
        entity_pairs=len(entity_pairs), country_set_pairs=set_pairs, case_pairs_ranked=ranked
    )
    return best, stats


def _similar_country_sets(
    sets: list[frozenset[str]],
) -> tuple[list[tuple[frozenset[str], frozenset[str] | None, int]], int]:
    """Return the pairs of distinct country sets whose cases may be suspected links.

    Two cases qualify when they share ``s >= 2`` countries and ``s / |A ∪ B| >=
    1/2``, i.e. ``3 s >= |A| + |B|``. Returns ``(A, B, s)`` for each qualifying
    pair of distinct sets, ``(A, None, |A|)`` for each set of two or more
    countries (its cases among themselves), and how many candidate pairs of
    sets were compared.

    Prefix filtering (as in set-similarity joins): with countries ordered rarest
    first, two sets that share at least ``t`` countries share one among the
    first ``|A| - t + 1`` of each. Both conditions give ``t = max(2, ceil(|A| /
    2))``, so a bilateral case is indexed under its rarer country only, and
    crowded countries such as NL rarely produce candidates.
    """
    frequency: dict[str, int] = defaultdict(int)
    for country_set in sets:
        for code in country_set:
            frequency[code] += 1
    index: dict[str, list[frozenset[str]]] = defaultdict(list)
    similar: list[tuple[frozenset[str], frozenset[str] | None, int]] = []
    examined = 0
    for country_set in sorted(sets, key=len):
        size = len(country_set)
        if size < MIN_SHARED_COUNTRIES:
            continue
        similar.append((country_set, None, size))
        ordered = sorted(country_set, key=lambda code: (frequency[code], code))
        needed = max(MIN_SHARED_COUNTRIES, -(-size // 2))
        candidates: set[frozenset[str]] = set()
        for code in ordered[: size - needed + 1]:
            # Sets arrive by size, so |B| <= |A|; 3 s >= |A| + |B| with s <= |B|
            # needs |A| <= 2 |B|.
            candidates.update(other for other in index[code] if 2 * len(other) >= size)
            index[code].append(country_set)
        examined += len(candidates)
        for other in candidates:
            shared = len(country_set & other)
            if shared >= MIN_SHARED_COUNTRIES and 3 * shared >= size + len(other):
                similar.append((country_set, other, shared))
    return similar, examined
