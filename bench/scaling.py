"""How planner's time and quality grow with the size of a generated year.

For each scale (1 = the agency's 2024 year: 640 meetings, 32 action days), a
year is generated, its model built, and it is solved; the table reports model
build time, time to the first plan, time to a 1 % gap, the final gap and bound,
the share of activities placed (of all, and of those that can be placed at
all) and peak memory. Each size runs in its own process so that peak memory is
its own. Usage::

    python bench/scaling.py [--scales 1 2 4 8] [--seconds-per-scale 60] [--workers 2]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from planner.models.score import Score, preference_gap

ROOT = Path(__file__).resolve().parent.parent
GAP = 0.01


def gap(score: Score | None, bound: Score | None) -> float | None:
    """The preference gap of a plan to the proven bound (SPEC 2.3), ``None`` until the
    placement is proven (or without a plan)."""
    if score is None or bound is None or score.placement > bound.placement:
        return None
    return preference_gap(score, bound)


def measure(scale: float, time_limit: float, workers: int, seed: int, year: int) -> dict[str, Any]:
    """Generate, build and solve one year; return the measurements."""
    from planner.generate import generate_scenario
    from planner.models import Scenario
    from planner.solve import Progress, solve
    from planner.solver.model import build_context, build_model

    started = time.perf_counter()
    scenario = Scenario.model_validate(generate_scenario(year=year, scale=scale, seed=seed))
    generated = time.perf_counter() - started
    started = time.perf_counter()
    context = build_context(scenario)
    build_model(context)
    build = time.perf_counter() - started
    placeable = len(context.meetings) + len(context.action_days)
    del context

    events: list[Progress] = []
    result = solve(
        scenario, time_limit=time_limit, workers=workers, seed=0, on_progress=events.append
    )
    first_plan = next((e.elapsed for e in events if e.score is not None), None)
    within_gap = next(
        (e.elapsed for e in events if (g := gap(e.score, e.bound)) is not None and g <= GAP),
        None,
    )
    activities = len(scenario.meetings) + len(scenario.action_days)
    placed = len(result.meetings) + len(result.action_days)
    return {
        "scale": scale,
        "meetings": len(scenario.meetings),
        "action_days": len(scenario.action_days),
        "generate_s": round(generated, 2),
        "build_s": round(build, 2),
        "first_plan_s": None if first_plan is None else round(first_plan, 2),
        "gap_1pct_s": None if within_gap is None else round(within_gap, 2),
        "solve_s": round(result.solve_seconds, 2),
        "status": result.status,
        "score": str(result.score),
        "bound": str(result.score_bound),
        "gap": gap(result.score, result.score_bound),
        "placed": placed,
        "activities": activities,
        "placeable": placeable,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _cell(value: object, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[1, 2, 4, 8])
    parser.add_argument("--seconds-per-scale", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one is not None:
        row = measure(
            arguments.one, arguments.time_limit, arguments.workers, arguments.seed, arguments.year
        )
        print(json.dumps(row))
        return
    print(
        f"generated year {arguments.year}, seed {arguments.seed}, {arguments.workers} workers, "
        f"time limit {arguments.seconds_per_scale:g} s x scale"
    )
    print()
    print(
        "| scale | meetings | action days | generate s | build s | first plan s | 1 % gap s "
        "| limit s | status | score | bound | preference gap | placed | placed of placeable "
        "| peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for scale in arguments.scales:
        limit = arguments.seconds_per_scale * scale
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(scale),
                "--time-limit",
                str(limit),
                "--workers",
                str(arguments.workers),
                "--seed",
                str(arguments.seed),
                "--year",
                str(arguments.year),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        row = json.loads(completed.stdout.strip().splitlines()[-1])
        print(
            f"| {row['scale']:g} | {row['meetings']} | {row['action_days']} "
            f"| {_cell(row['generate_s'])} | {_cell(row['build_s'])} "
            f"| {_cell(row['first_plan_s'])} "
            f"| {_cell(row['gap_1pct_s'])} | {limit:g} | {row['status']} "
            f"| {_cell(row['score'])} | {_cell(row['bound'])} "
            f"| {_cell(None if row['gap'] is None else 100 * row['gap'])} % "
            f"| {row['placed']}/{row['activities']} "
            f"| {row['placed']}/{row['placeable']} | {row['peak_mb']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
