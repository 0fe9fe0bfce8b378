"""The country–case graph (SPEC 2.4): entities, clusters, suspected links and their files.

Overlaps are worked out in the comments as shared / all countries of the two
cases; a pair is suspected (same crime) when it shares >= 2 countries and the
overlap is >= 1/2.
"""

from __future__ import annotations

import json
import random
import re
from itertools import combinations
from pathlib import Path
from textwrap import dedent, indent
from typing import Any

import networkx as nx
import pytest

from planner.check import linked_clusters
from planner.check import normalise_entity as checker_normalise
from planner.links import (
    CaseGraph,
    build_case_graph,
    case_node,
    countries_most_involved,
    country_node,
    entity_node,
    normalise_entity,
)
from planner.loading import load_scenario, parse_scenario
from planner.models import Scenario
from planner.models.schedule import LinksSummary, SuspectedLink
from planner.output.files import write_atomically
from planner.output.graph import FULL_DRAWING_LIMIT, graphml_text, html_page

SCENARIOS = Path(__file__).parent.parent / "scenarios"


def scenario(cases: str, *, detect: str = "entities", suspected_max: int = 20) -> Scenario:
    """A scenario with only cases, from the YAML of its ``cases:`` list."""
    text = (
        "schema: planner.scenario/1\n"
        "name: links test\n"
        "horizon: {start: 2026-11-30, end: 2026-12-04}\n"
        f"links: {{detect: {detect}, suspected_max: {suspected_max}}}\n"
        "cases:\n" + indent(dedent(cases).strip("\n"), "  ") + "\n"
    )
    return parse_scenario(text)


def graph_of(cases: str, **settings: Any) -> CaseGraph:
    return build_case_graph(scenario(cases, **settings))


def pairs(case_graph: CaseGraph) -> list[tuple[str, ...]]:
    return [tuple(link.cases) for link in case_graph.suspected]


# ---- entities ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("iban:ES91 2100 0418 4502 0005 1332", "iban:es9121000418450200051332"),
        ("IBAN: es91-2100-0418-4502-0005-1332", "iban:es9121000418450200051332"),
        (" Iban :ES9121000418450200051332", "iban:es9121000418450200051332"),
        ("phone:+34 600-123-456", "phone:34600123456"),
        ("PHONE: +34 (600) 123.456", "phone:34600123456"),
        ("company:Acme Trading B.V.", "company:acmetradingbv"),
        ("Company: ACME trading BV", "company:acmetradingbv"),
        # Letters are kept as they are, not folded to ASCII.
        ("company:Müller & Söhne GmbH", "company:müllersöhnegmbh"),
        ("company:Acme_Trading", "company:acmetrading"),  # "_" is punctuation here
        ("url:https://pay.example/x", "url:httpspayexamplex"),  # only the first ":" splits
        ("Acme Trading BV", "acmetradingbv"),  # no kind: all value
        (":Acme Trading BV", "acmetradingbv"),  # an empty kind reads as none
    ],
)
def test_entities_are_compared_after_normalising_case_spaces_and_punctuation(
    written: str, normalised: str
) -> None:
    assert normalise_entity(written) == normalised


def test_entities_of_different_kinds_stay_apart() -> None:
    # Same digits, different kinds: an IBAN is not a phone number.
    assert normalise_entity("iban:123") != normalise_entity("phone:123")


def test_the_checker_reads_entities_alike() -> None:
    # The checker has its own copy (it imports nothing of the solver side); both
    # must put the same spellings together.
    spellings = [
        "iban:ES91 2100",
        "IBAN: es91-2100",
        "phone:+34 600",
        "Acme BV",
        ":acme bv",
        "company:Acme BV",
    ]
    for one, other in combinations(spellings, 2):
        assert (normalise_entity(one) == normalise_entity(other)) == (
            checker_normalise(one) == checker_normalise(other)
        ), (one, other)


# ---- the graph -----------------------------------------------------------------------

TWO_CASES_ONE_PHONE = """
- {id: EJ-0101, crime: drug_trafficking, countries: [NL, BE], entities: ["phone:+31 (6) 1234-5678"]}
- id: EJ-0207
  crime: money_laundering
  countries: [DE, PL]
  entities: ["PHONE: +31612345678", "iban:PL61 1090 1014"]
"""


def test_graph_has_case_country_and_entity_nodes_with_first_spelling_as_label() -> None:
    case_graph = graph_of(TWO_CASES_ONE_PHONE)
    graph = case_graph.graph
    # 2 cases + 4 countries + 2 entities (the phone once, written twice).
    assert graph.number_of_nodes() == 8
    phone = entity_node("phone:31612345678")
    assert graph.nodes[phone] == {
        "kind": "entity",
        "label": "phone:+31 (6) 1234-5678",
        "normalised": "phone:31612345678",
    }
    assert graph.nodes[country_node("NL")]["kind"] == "country"
    assert graph.nodes[case_node("EJ-0207")]["crime"] == "money_laundering"
    assert set(graph[phone]) == {case_node("EJ-0101"), case_node("EJ-0207")}
    assert graph.edges[case_node("EJ-0101"), country_node("BE")]["relation"] == "country"
    assert case_graph.shared_entities("EJ-0101", "EJ-0207") == ["phone:31612345678"]


def test_a_hidden_link_is_a_cluster_when_entities_are_detected() -> None:
    case_graph = graph_of(TWO_CASES_ONE_PHONE, detect="entities")
    assert case_graph.clusters == [["EJ-0101", "EJ-0207"]]
    assert case_graph.cluster_of == {"EJ-0101": 0, "EJ-0207": 0}
    # In one cluster, so not suspected; and no declared link holds it together.
    assert case_graph.suspected == []
    cluster = case_graph.summary()["clusters"][0]
    assert cluster["declared"] is False
    assert cluster["entities"] == ["phone:+31 (6) 1234-5678"]
    assert cluster["countries"] == ["BE", "DE", "NL", "PL"]


def test_a_hidden_link_is_suspected_when_only_declared_links_count() -> None:
    case_graph = graph_of(TWO_CASES_ONE_PHONE, detect="declared")
    assert case_graph.clusters == []
    assert case_graph.suspected == [
        SuspectedLink(
            cases=["EJ-0101", "EJ-0207"], why="share phone:31612345678 (declared links only)"
        )
    ]


@pytest.mark.parametrize("declaring", ["EJ-1", "EJ-2"])
def test_a_declared_link_counts_whichever_case_declares_it(declaring: str) -> None:
    other = "EJ-2" if declaring == "EJ-1" else "EJ-1"
    link = f", linked: [{other}]"
    cases = f"""
    - {{id: EJ-1, crime: fraud, countries: [NL, BE]{link if declaring == "EJ-1" else ""}}}
    - {{id: EJ-2, crime: thb, countries: [RO]{link if declaring == "EJ-2" else ""}}}
    - {{id: EJ-3, crime: fraud, countries: [RO]}}
    """
    case_graph = graph_of(cases, detect="declared")
    assert case_graph.clusters == [["EJ-1", "EJ-2"]]
    assert case_graph.summary()["clusters"][0]["declared"] is True
    edge = case_graph.graph.edges[case_node(declaring), case_node(other)]
    assert edge["relation"] == "declared"


def test_clusters_are_transitive_across_declared_links_and_entities() -> None:
    # A-B declared, B-C share a company (spelt differently): one cluster of three.
    cases = """
    - {id: EJ-A, crime: fraud, countries: [NL, DE], linked: [EJ-B]}
    - {id: EJ-B, crime: fraud, countries: [ES, PT], entities: ["company:Sol y Mar S.L."]}
    - {id: EJ-C, crime: cybercrime, countries: [IT, GR], entities: ["company:SOL Y MAR SL"]}
    - {id: EJ-D, crime: thb, countries: [FI]}
    """
    with_entities = graph_of(cases, detect="entities")
    assert with_entities.clusters == [["EJ-A", "EJ-B", "EJ-C"]]
    assert with_entities.summary()["clusters"][0]["declared"] is False
    declared_only = graph_of(cases, detect="declared")
    assert declared_only.clusters == [["EJ-A", "EJ-B"]]
    assert pairs(declared_only) == [("EJ-B", "EJ-C")]


def test_cases_of_one_cluster_sharing_an_entity_are_not_suspected() -> None:
    cases = """
    - {id: EJ-1, crime: thb, countries: [NL], entities: ["phone:+31 6 1"], linked: [EJ-2]}
    - {id: EJ-2, crime: fraud, countries: [RO], entities: ["phone:31 61"]}
    """
    assert graph_of(cases, detect="declared").suspected == []


def test_a_pair_with_every_kind_of_evidence_is_suspected_once() -> None:
    cases = """
    - {id: EJ-1, crime: fraud, countries: [DE, NL], entities: ["iban:DE44 5001"]}
    - {id: EJ-2, crime: fraud, countries: [NL, DE], entities: ["iban:de4450 01"]}
    """
    assert graph_of(cases, detect="declared").suspected == [
        SuspectedLink(
            cases=["EJ-1", "EJ-2"],
            why="share iban:de445001 (declared links only); both fraud; "
            "share 2 of 2 countries (DE, NL)",
        )
    ]


def test_clusters_are_sorted_within_and_by_first_case() -> None:
    cases = """
    - {id: EJ-9, crime: fraud, countries: [NL], linked: [EJ-5]}
    - {id: EJ-5, crime: fraud, countries: [NL]}
    - {id: EJ-7, crime: fraud, countries: [NL], linked: [EJ-2]}
    - {id: EJ-2, crime: fraud, countries: [NL]}
    - {id: EJ-1, crime: fraud, countries: [NL]}
    """
    case_graph = graph_of(cases)
    assert case_graph.clusters == [["EJ-2", "EJ-7"], ["EJ-5", "EJ-9"]]
    assert case_graph.cluster_of == {"EJ-2": 0, "EJ-7": 0, "EJ-5": 1, "EJ-9": 1}


# ---- suspected links by crime and countries ----------------------------------------


def two_cases(first: str, second: str, *, linked: bool = False) -> str:
    """Cases EJ-1 and EJ-2 from ``"crime: C1 C2 ..."``; EJ-1 declares EJ-2 if ``linked``."""
    lines = []
    for index, (spec, declares) in enumerate(((first, linked), (second, False)), start=1):
        crime, codes = spec.split(":")
        countries = ", ".join(codes.split())
        link = ", linked: [EJ-2]" if declares else ""
        lines.append(f"- {{id: EJ-{index}, crime: {crime}, countries: [{countries}]{link}}}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        # 2 shared (DE, NL) of 3 countries: 2/3 >= 1/2.
        ("fraud: DE NL ES", "fraud: NL DE", "both fraud; share 2 of 3 countries (DE, NL)"),
        # 2 of 4: exactly one half is enough.
        ("fraud: DE NL ES", "fraud: DE NL FR", "both fraud; share 2 of 4 countries (DE, NL)"),
        # 3 of 4.
        ("pif: DE ES NL CO", "pif: NL ES DE", "both pif; share 3 of 4 countries (DE, ES, NL)"),
    ],
)
def test_same_crime_and_half_the_countries_is_a_suspected_link(
    first: str, second: str, why: str
) -> None:
    case_graph = graph_of(two_cases(first, second))
    assert case_graph.suspected == [SuspectedLink(cases=["EJ-1", "EJ-2"], why=why)]


@pytest.mark.parametrize(
    ("first", "second", "linked"),
    [
        # 2 of 5 countries: 0.4 < 1/2.
        ("fraud: DE NL ES", "fraud: DE NL FR IT", False),
        # Overlap 1, but one country in common is not enough.
        ("fraud: DE", "fraud: DE", False),
        # 1 of 2: one half, but still one country.
        ("fraud: DE", "fraud: DE NL", False),
        # Same countries, different crimes.
        ("fraud: DE NL", "money_laundering: DE NL", False),
        # Already in one cluster.
        ("fraud: DE NL", "fraud: DE NL", True),
    ],
)
def test_no_suspected_link_without_enough_evidence(first: str, second: str, linked: bool) -> None:
    assert graph_of(two_cases(first, second, linked=linked)).suspected == []


RANKED = """
- {id: A1, crime: thb, countries: [AT], entities: ["iban:AT11 2222", "phone:+43 1 555"]}
- {id: A2, crime: thb, countries: [BE], entities: ["IBAN:at112222", "PHONE: 431555"]}
- {id: B1, crime: terrorism, countries: [CY], entities: ["vessel:IMO 9"]}
- {id: B2, crime: environmental, countries: [CZ], entities: ["vessel:imo9"]}
- {id: C1, crime: ip_crime, countries: [EE], entities: ["wallet:bc1q-77"]}
- {id: C2, crime: other, countries: [EE], entities: ["wallet:BC1Q77"]}
- {id: D1, crime: fraud, countries: [DE, NL, ES]}
- {id: D2, crime: fraud, countries: [ES, NL, DE]}
- {id: E1, crime: cybercrime, countries: [FR, IT]}
- {id: E2, crime: cybercrime, countries: [IT, FR]}
- {id: F1, crime: money_laundering, countries: [PL, PT, RO]}
- {id: F2, crime: money_laundering, countries: [PL, PT, RO, SE]}
- {id: G1, crime: drug_trafficking, countries: [SK, SI, FI]}
- {id: G2, crime: drug_trafficking, countries: [SK, SI]}
- {id: H1, crime: mocg, countries: [HU, IE, LV]}
- {id: H2, crime: mocg, countries: [HU, IE, LT]}
- {id: K1, crime: corruption, countries: [GR, HR]}
- {id: K2, crime: corruption, countries: [HR, GR]}
"""
# With detect: declared every pair is suspected, and no two pairs mix:
#   A  2 shared entities                 -> first (most entities)
#   C  1 entity, overlap 1/1 (EE)        -> before B: same entities, higher overlap
#   B  1 entity, overlap 0/2
#   D  overlap 3/3, 3 shared countries   -> before E and K: same overlap, more countries
#   E  overlap 2/2, 2 shared
#   K  overlap 2/2, 2 shared             -> after E: equal but for ids
#   F  overlap 3/4
#   G  overlap 2/3
#   H  overlap 2/4
RANKED_ORDER = ["A", "C", "B", "D", "E", "K", "F", "G", "H"]


def test_suspected_links_are_ranked_entities_overlap_countries_then_ids() -> None:
    case_graph = graph_of(RANKED, detect="declared")
    assert pairs(case_graph) == [(f"{p}1", f"{p}2") for p in RANKED_ORDER]
    top = case_graph.summary()["suspected"][:4]
    assert [(s["shared_entities"], s["overlap"], s["shared_countries"]) for s in top] == [
        (2, 0.0, 0),
        (1, 1.0, 1),
        (1, 0.0, 0),
        (0, 1.0, 3),
    ]
    assert top[1]["why"] == "share wallet:bc1q77 (declared links only); share 1 of 1 country (EE)"


@pytest.mark.parametrize("limit", [0, 1, 4, 9, 50])
def test_only_the_best_suspected_max_links_are_kept(limit: int) -> None:
    case_graph = graph_of(RANKED, detect="declared", suspected_max=limit)
    # The best `limit` of the 9 ranked above, all 9 when fewer qualify.
    assert pairs(case_graph) == [(f"{p}1", f"{p}2") for p in RANKED_ORDER[:limit]]


def test_suspected_links_match_a_brute_force_reading_of_the_rules() -> None:
    # Every pair of cases, tested one by one: what the index-based search must find.
    for seed in range(16):
        generated = random_scenario(seed)
        case_graph = build_case_graph(generated)
        assert case_graph.suspected == brute_force_suspected(generated, case_graph), seed
        found = sorted(sorted(cluster) for cluster in linked_clusters(generated))
        assert case_graph.clusters == found, seed


def random_scenario(seed: int) -> Scenario:
    rng = random.Random(seed)
    countries = ["NL", "DE", "BE", "ES", "FR", "IT"]
    crimes = ["fraud", "money_laundering", "thb"]
    pool = [f"phone:+31 6 {n:04d}" for n in range(50)]
    cases = []
    for index in range(40):
        case: dict[str, Any] = {
            "id": f"EJ-{index:03d}",
            "crime": rng.choice(crimes),
            "countries": rng.sample(countries, rng.randint(1, 4)),
            "entities": [e.upper() if rng.random() < 0.5 else e for e in rng.sample(pool, 1)],
        }
        if index and rng.random() < 0.1:
            case["linked"] = [f"EJ-{rng.randrange(index):03d}"]
        cases.append(case)
    return Scenario.model_validate(
        {
            "schema": "planner.scenario/1",
            "horizon": {"start": "2026-11-30", "end": "2026-12-04"},
            "links": {
                "detect": rng.choice(["declared", "entities"]),
                "suspected_max": rng.choice([3, 15, 500]),
            },
            "cases": cases,
        }
    )


def brute_force_suspected(generated: Scenario, case_graph: CaseGraph) -> list[SuspectedLink]:
    ranked = []
    for one, other in combinations(sorted(generated.cases, key=lambda c: c.id), 2):
        cluster = case_graph.cluster_of.get(one.id)
        if cluster is not None and cluster == case_graph.cluster_of.get(other.id):
            continue
        entities = sorted(
            {normalise_entity(e) for e in one.entities}
            & {normalise_entity(e) for e in other.entities}
        )
        if generated.links.detect == "entities":
            entities = []  # such a pair would be in one cluster
        shared = set(one.countries) & set(other.countries)
        union = set(one.countries) | set(other.countries)
        same_crime = one.crime == other.crime
        if not entities and not (same_crime and len(shared) >= 2 and 2 * len(shared) >= len(union)):
            continue
        parts = [f"share {', '.join(entities)} (declared links only)"] if entities else []
        parts += [f"both {one.crime}"] if same_crime else []
        if shared:
            noun = "country" if len(union) == 1 else "countries"
            parts.append(
                f"share {len(shared)} of {len(union)} {noun} ({', '.join(sorted(shared))})"
            )
        key = (-len(entities), -len(shared) / len(union), -len(shared), one.id, other.id)
        ranked.append((key, SuspectedLink(cases=[one.id, other.id], why="; ".join(parts))))
    ranked.sort(key=lambda item: item[0])
    return [link for _, link in ranked[: generated.links.suspected_max]]


# ---- reports -------------------------------------------------------------------------

INVOLVED = """
- {id: EJ-1, crime: fraud, countries: [NL, DE, ES]}
- {id: EJ-2, crime: thb, countries: [NL, DE]}
- {id: EJ-3, crime: pif, countries: [DE, NL, BE, ES]}
- {id: EJ-4, crime: mocg, countries: [PL]}
"""


def test_countries_most_involved_by_cases_then_code() -> None:
    case_graph = graph_of(INVOLVED)
    # DE and NL in 3 cases each (DE first by code), ES in 2, BE and PL in 1.
    expected = [("DE", 3), ("NL", 3), ("ES", 2), ("BE", 1), ("PL", 1)]
    assert countries_most_involved(case_graph.graph) == expected
    assert countries_most_involved(case_graph.graph, n=2) == expected[:2]
    assert case_graph.summary()["countries"][0] == {"code": "DE", "cases": 3}


def test_links_json_document() -> None:
    cases = """
    - {id: EJ-1, crime: fraud, countries: [NL, DE], entities: ["iban:NL91 ABNA"], linked: [EJ-2]}
    - {id: EJ-2, crime: fraud, countries: [BE], entities: ["IBAN:nl91abna"]}
    - {id: EJ-3, crime: thb, countries: [NL, DE, ES]}
    - {id: EJ-4, crime: thb, countries: [NL, DE]}
    """
    document = json.loads(graph_of(cases).to_json())
    # EJ-3/EJ-4: thb, 2 of 3 countries -> overlap 0.667.
    assert document == {
        "clusters": [
            {
                "cases": ["EJ-1", "EJ-2"],
                "entities": ["iban:NL91 ABNA"],
                "countries": ["BE", "DE", "NL"],
                "declared": True,
            }
        ],
        "suspected": [
            {
                "cases": ["EJ-3", "EJ-4"],
                "why": "both thb; share 2 of 3 countries (DE, NL)",
                "shared_entities": 0,
                "overlap": 0.667,
                "shared_countries": 2,
            }
        ],
        "countries": [
            {"code": "DE", "cases": 3},
            {"code": "NL", "cases": 3},
            {"code": "BE", "cases": 1},
            {"code": "ES", "cases": 1},
        ],
    }


def test_links_summary_for_the_schedule() -> None:
    summary = graph_of(TWO_CASES_ONE_PHONE, detect="declared").links_summary()
    assert isinstance(summary, LinksSummary)
    assert summary.clusters == []
    assert [link.cases for link in summary.suspected] == [["EJ-0101", "EJ-0207"]]
    assert graph_of(TWO_CASES_ONE_PHONE).links_summary().clusters == [["EJ-0101", "EJ-0207"]]


def test_graphml_file_reads_back_with_kinds_and_clusters(tmp_path: Path) -> None:
    case_graph = build_case_graph(load_scenario(SCENARIOS / "linked-action-days.yaml"))
    path = tmp_path / "graph.graphml"
    write_atomically(path, graphml_text(case_graph))
    read = nx.read_graphml(path)
    assert read.number_of_nodes() == case_graph.graph.number_of_nodes()
    kinds = {node: data["kind"] for node, data in read.nodes(data=True)}
    assert kinds["case:EJ-0101"] == "case"
    assert kinds["country:NL"] == "country"
    assert kinds["entity:phone:31612345678"] == "entity"
    # EJ-0101 and EJ-0207 share the phone: cluster 0; EJ-0300 is in none.
    assert read.nodes["case:EJ-0101"]["cluster"] == 0
    assert read.nodes["case:EJ-0207"]["cluster"] == 0
    assert read.nodes["case:EJ-0300"]["cluster"] == -1
    assert read.nodes["entity:phone:31612345678"]["cluster"] == 0
    assert read.nodes["country:NL"]["cluster"] == -1
    assert read.edges["case:EJ-0101", "entity:phone:31612345678"]["relation"] == "entity"


def test_graphml_carries_suspected_links_as_edges() -> None:
    case_graph = graph_of(TWO_CASES_ONE_PHONE, detect="declared")
    read = nx.parse_graphml(graphml_text(case_graph))
    edge = read.edges["case:EJ-0101", "case:EJ-0207"]
    assert edge["relation"] == "suspected"
    assert "phone:31612345678" in edge["why"]


EXTERNAL = re.compile(r"https?://|//cdn|<script[^>]*\bsrc|<link\b|\bsrc=|@import|url\(")


def assert_self_contained(page: str) -> None:
    assert EXTERNAL.search(page) is None, EXTERNAL.search(page)
    assert "<svg" in page


def test_html_page_is_self_contained_and_names_every_clustered_case() -> None:
    cases = (
        TWO_CASES_ONE_PHONE
        + """
- {id: EJ-0300, crime: fraud, countries: [NL, DE], linked: [EJ-0301]}
- {id: EJ-0301, crime: fraud, countries: [NL, DE, FR]}
"""
    )
    case_graph = graph_of(cases)
    page = html_page(case_graph, "Links <week 49> & more")
    assert_self_contained(page)
    assert "<title>Links &lt;week 49&gt; &amp; more</title>" in page
    assert len(case_graph.clusters) == 2
    for cluster in case_graph.clusters:
        assert ", ".join(cluster) in page  # the clusters table lists each one
    assert "phone:+31 (6) 1234-5678" in page
    assert page.count('class="node case"') == 4  # small graph: every case drawn


def test_html_page_of_a_large_graph_draws_the_clusters_and_says_so() -> None:
    # 90 cases with 2 entities each: 90 + 180 + countries > FULL_DRAWING_LIMIT nodes.
    lines = []
    for index in range(90):
        linked = f", linked: [EJ-{index - 1:03d}]" if index % 10 == 1 else ""
        lines.append(
            f"- {{id: EJ-{index:03d}, crime: fraud, countries: [NL, DE], "
            f'entities: ["iban:{index}", "phone:{index}"]{linked}}}'
        )
    case_graph = graph_of("\n".join(lines), detect="declared")
    assert case_graph.graph.number_of_nodes() > FULL_DRAWING_LIMIT
    page = html_page(case_graph, "Year")
    assert_self_contained(page)
    assert "too many to draw at once" in page
    # Nine declared pairs (EJ-000/001, EJ-010/011, ...), all drawn and listed.
    assert len(case_graph.clusters) == 9
    for cluster in case_graph.clusters:
        assert ", ".join(cluster) in page
        assert f"Cluster {case_graph.cluster_of[cluster[0]] + 1}: 2 cases" in page


def test_html_page_without_cases() -> None:
    page = html_page(build_case_graph(scenario("[]")), "Empty")
    assert EXTERNAL.search(page) is None
    assert "No cases." in page
