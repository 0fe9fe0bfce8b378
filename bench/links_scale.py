"""How long the country–case graph takes for a year of cases and for ten.

Generates synthetic scenarios (crimes weighted like the agency's 2024 meetings,
2-5 countries per case with the DOMAIN.md mix, about five entities per case of
which some are shared, written differently, and a few declared links), then
times :func:`planner.links.build_case_graph` (graph, clusters and suspected
links) and :meth:`CaseGraph.summary`, median of three runs.

Run: ``python bench/links_scale.py [--runs 3] [--seed 2026]``. It prints a
table; it asserts no wall times.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from planner.generate import CRIME_MIX
from planner.links import CaseGraph, build_case_graph
from planner.models.catalogue import CATALOGUE, EU_MEMBERS
from planner.models.scenario import Scenario

COUNTRIES_PER_CASE = {2: 55, 3: 25, 4: 12, 5: 8}
# Large member states take part in more cases; the rest of the EU share evenly.
BUSY_MEMBERS = {"DE": 12, "NL": 11, "ES": 9, "IT": 9, "FR": 8, "BE": 7, "PL": 5, "PT": 4}
THIRD_COUNTRIES = [
    code
    for code, party in CATALOGUE.items()
    if party.group in ("liaison", "agreement", "arrangement", "contact_point")
]
ENTITY_KINDS = ("iban", "phone", "company", "vessel", "wallet", "email")


@dataclass(frozen=True)
class Setting:
    name: str
    cases: int
    detect: str
    crowded: bool = False
    """Every fraud case involves NL (a huge (crime, country) bucket)."""


SETTINGS = (
    Setting("1k", 1_000, "entities"),
    Setting("1k declared", 1_000, "declared"),
    Setting("10k", 10_000, "entities"),
    Setting("10k declared", 10_000, "declared"),
    Setting("10k crowded NL fraud", 10_000, "declared", crowded=True),
)


def _spelling(kind: str, number: int, rng: random.Random) -> str:
    """One entity, written in one of several ways that normalise alike."""
    digits = f"{number:012d}"
    value = {
        "iban": f"NL{digits[:2]} BANK {digits[2:6]} {digits[6:]}",
        "phone": f"+31 ({digits[:2]}) {digits[2:6]}-{digits[6:]}",
        "company": f"Trading {digits} B.V.",
        "vessel": f"IMO {digits}",
        "wallet": f"bc1q{digits}x",
        "email": f"ops{digits}@example.org",
    }[kind]
    if rng.random() < 0.5:
        value = value.upper().replace(" ", "")
    return f"{kind.upper() if rng.random() < 0.3 else kind}: {value}"


def generate(setting: Setting, seed: int) -> Scenario:
    """Return a scenario of ``setting.cases`` cases and about five entities per case."""
    rng = random.Random(seed)
    crimes, crime_weights = zip(*CRIME_MIX.items(), strict=True)
    sizes, size_weights = zip(*COUNTRIES_PER_CASE.items(), strict=True)
    members = list(EU_MEMBERS)
    member_weights = [BUSY_MEMBERS.get(code, 2) for code in members]
    pool = [(rng.choice(ENTITY_KINDS), number) for number in range(setting.cases // 4)]
    fresh = len(pool)
    cases: list[dict[str, Any]] = []
    for index in range(setting.cases):
        crime = rng.choices(crimes, crime_weights)[0]
        size = rng.choices(sizes, size_weights)[0]
        countries: set[str] = {"NL"} if setting.crowded and crime == "fraud" else set()
        if rng.random() < 0.2:
            countries.add(rng.choice(THIRD_COUNTRIES))
        while len(countries) < size:
            countries.add(rng.choices(members, member_weights)[0])
        entities = []
        for _ in range(5):
            if rng.random() < 0.08:
                kind, number = rng.choice(pool)
            else:
                kind, number, fresh = rng.choice(ENTITY_KINDS), fresh, fresh + 1
            entities.append(_spelling(kind, number, rng))
        case: dict[str, Any] = {
            "id": f"EJ-{index:05d}",
            "crime": crime,
            "countries": sorted(countries),
            "entities": entities,
        }
        if index and rng.random() < 0.05:
            case["linked"] = [f"EJ-{rng.randrange(index):05d}"]
        cases.append(case)
    return Scenario.model_validate(
        {
            "schema": "planner.scenario/1",
            "name": f"links scale {setting.name}",
            "horizon": {"start": "2026-11-30", "end": "2026-12-04"},
            "links": {"detect": setting.detect},
            "cases": cases,
        }
    )


def _median_seconds(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, outcome = [], None
    for _ in range(runs):
        began = time.perf_counter()
        outcome = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()

    header = (
        f"{'setting':<22} {'cases':>6} {'entities':>8} {'edges':>7} {'clusters':>8} "
        f"{'in clus.':>8} {'examined':>8} {'ranked':>8} {'suspect':>7} "
        f"{'build s':>7} {'summary s':>9} {'total s':>7}"
    )
    print(header)
    print("-" * len(header))
    for setting in SETTINGS:
        scenario = generate(setting, arguments.seed)
        build_seconds, case_graph = _median_seconds(
            partial(build_case_graph, scenario), arguments.runs
        )
        assert isinstance(case_graph, CaseGraph)
        summary_seconds, _ = _median_seconds(case_graph.summary, arguments.runs)
        graph = case_graph.graph
        entities = sum(1 for _, kind in graph.nodes(data="kind") if kind == "entity")
        print(
            f"{setting.name:<22} {setting.cases:>6} {entities:>8} {graph.number_of_edges():>7} "
            f"{len(case_graph.clusters):>8} {len(case_graph.cluster_of):>8} "
            f"{case_graph.search.examined:>8} {case_graph.search.case_pairs_ranked:>8} "
            f"{len(case_graph.suspected):>7} {build_seconds:>7.2f} {summary_seconds:>9.2f} "
            f"{build_seconds + summary_seconds:>7.2f}"
        )


if __name__ == "__main__":
    main()
