"""Helpers for the robustness-sweep tests: the example week published, and what a test
compares of two sweeps.

The week's re-plans end by proof (each is proven optimal in about a second), so two
sweeps with the same seed must agree exactly, plan for plan, whatever runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from planner.loading import load_baseline, load_scenario
from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.stress import StressReport
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
NOW = datetime(2026, 11, 29, tzinfo=ZoneInfo("Europe/Amsterdam"))
"""The Sunday before the week: nothing is frozen, everything can be disrupted."""
NOW_TEXT = "2026-11-29T00:00"

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Published:
    """The week and its published plan, as ``planner stress`` reads them."""

    scenario: Scenario
    baseline: Baseline
    text: str
    path: Path


def publish_week(folder: Path) -> Published:
    """Solve the week (one worker, seed 0: proven optimal) and publish its plan."""
    scenario = load_scenario(WEEK)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert result.status == "optimal"
    path = folder / "published.json"
    path.write_text(dumps(schedule_document(result, scenario.name, "0" * 64)))
    return Published(scenario, load_baseline(path), path.read_text(), path)


def per_disruption(report: StressReport) -> list[tuple[Any, ...]]:
    """What must be equal between two sweeps with the same seed: each disruption (its
    change and seed) and what its re-plan gave (status, exit, moves, drops, the plan
    itself by digest, the checker's verdict); not the seconds."""
    return [
        (
            o.disruption,
            o.status,
            o.exit_code,
            o.moved,
            o.dropped,
            o.unplaced,
            o.score,
            o.plan_sha256,
            o.check,
        )
        for o in report.outcomes
    ]


class SerialBackend:
    """The backend seam run in this process, one task after another: what a test can
    watch and patch."""

    description = "serial (tests)"

    def map(
        self,
        function: Callable[[S, T], R],
        shared: S,
        tasks: Sequence[T],
        *,
        on_done: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[R | None]:
        results: list[R | None] = []
        for task in tasks:
            results.append(function(shared, task))
            if on_done is not None:
                on_done(len(results))
        return results

    def close(self) -> None:
        pass
