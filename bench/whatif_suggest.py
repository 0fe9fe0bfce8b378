"""What-if and suggest as a coordinator uses them: how long they take.

What-if: the base and 4 variants — a room closed on a day it is used, a meeting an
hour longer, a meeting cancelled, an interpreter gone — of ``scenarios/week.yaml`` and
of a generated quarter (13 weeks), solved with ``--jobs 1`` and ``--jobs 2`` (one
search worker per plan, ``--time-limit`` each); the wall time of the whole comparison,
median and worst of ``--runs``, and whether both give the same objectives (they
should: ``jobs`` changes how long, not what).

Suggest: a generated year solved for ``--year-solve`` seconds and held as published;
then ``--queries`` activities drawn at random, each asked for its 5 best places; the
seconds per query, median and worst. Every plan passes ``planner check``. Usage::

    python bench/whatif_suggest.py [--runs 3] [--time-limit 20] [--queries 20]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from planner.change import Change, parse_change
from planner.check import check_schedule
from planner.generate import generate_scenario
from planner.loading import load_scenario
from planner.models import Scenario
from planner.models.baseline import baseline_from_data
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve
from planner.suggest import suggest
from planner.whatif import whatif

ROOT = Path(__file__).parent.parent


def changes_of(scenario: Scenario, published: dict[str, Any]) -> list[Change]:
    """Four change files of the kinds a coordinator tries, on activities the plan holds."""
    held = published["meetings"]
    referenced = {p.meeting for m in scenario.meetings for p in m.after} | {
        p.meeting for a in scenario.action_days for p in a.prepared_by
    }
    in_room = next(m for m in held if m["room"])
    interpreted = next((m for m in held if m["interpreters"]), held[0])
    longer = scenario.meetings_by_id[held[1]["id"]]
    cancelled = next(m["id"] for m in held if m["id"] not in referenced)
    gone = next(iter(interpreted["interpreters"].values()), [None])[0]
    texts = {
        "room-closed": f"update: {{rooms: {{{in_room['room']}: "
        f"{{unavailable: [{in_room['start'][:10]}]}}}}}}",
        "longer": f"update: {{meetings: {{{longer.id}: {{duration: {longer.duration + 60}}}}}}}",
        "cancelled": f"remove: {{meetings: [{cancelled}]}}",
    }
    if gone:
        texts["interpreter-gone"] = f"remove: {{interpreters: [{gone}]}}"
    return [parse_change(text, name, name) for name, text in texts.items()]


def time_whatif(scenario: Scenario, label: str, runs: int, limit: float) -> list[str]:
    first = solve(scenario, time_limit=limit, workers=1, seed=0)
    published = json.loads(dumps(schedule_document(first, scenario.name, "")))
    changes = changes_of(scenario, published)
    rows = []
    objectives: dict[int, list[list[int | None]]] = {}
    for jobs in (1, 2):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            compared = whatif(scenario, changes, jobs=jobs, time_limit=limit, workers=1, seed=0)
            seconds.append(time.perf_counter() - started)
            for plan in compared.plans:
                if plan.found:
                    assert check_schedule(plan.scenario, plan.document) == [], plan.name
            objectives.setdefault(jobs, []).append(
                [plan.document.get("objective") for plan in compared.plans]
            )
        rows.append(
            f"| {label} | {1 + len(changes)} | {jobs} | {limit:.0f} | "
            f"{statistics.median(seconds):.1f} | {max(seconds):.1f} |"
        )
    same = all(o == objectives[1][0] for runs_of in objectives.values() for o in runs_of)
    rows.append(f"| {label}: same objectives with --jobs 1 and 2, every run | {same} |||||")
    return rows


def time_suggest(queries: int, year_solve: float) -> tuple[str, int]:
    scenario = Scenario.model_validate(generate_scenario(year=2027, seed=7))
    result = solve(scenario, time_limit=year_solve, seed=0)
    document = json.loads(dumps(schedule_document(result, scenario.name, "")))
    baseline, _ = baseline_from_data(document, "")
    assert baseline is not None
    rng = random.Random(1)
    ids = [m.id for m in scenario.meetings] + [a.id for a in scenario.action_days]
    seconds = []
    found = 0
    for activity in rng.sample(ids, queries):
        started = time.perf_counter()
        answer = suggest(scenario, activity, baseline=baseline, count=5)
        seconds.append(time.perf_counter() - started)
        found += len(answer.suggestions)
    row = (
        f"| year, {len(ids)} activities | {queries} | {statistics.median(seconds):.2f} | "
        f"{max(seconds):.2f} | {found / queries:.1f} |"
    )
    return row, len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--year-solve", type=float, default=60.0)
    args = parser.parse_args()

    week = load_scenario(ROOT / "scenarios" / "week.yaml")
    quarter = Scenario.model_validate(generate_scenario(year=2027, seed=7, weeks=13))
    print("| what-if on | plans | --jobs | limit s | wall s median | wall s worst |")
    print("|---|---|---|---|---|---|")
    for label, scenario in (("week.yaml", week), ("generated quarter", quarter)):
        for row in time_whatif(scenario, label, args.runs, args.time_limit):
            print(row, flush=True)
    print()
    print("| suggest on | queries | s per query median | worst | places found per query |")
    print("|---|---|---|---|---|")
    print(time_suggest(args.queries, args.year_solve)[0])


if __name__ == "__main__":
    main()
