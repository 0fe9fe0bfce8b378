"""``planner stress --ray``: each re-plan as a Ray task, on a Ray started in this test
module (once: starting Ray takes seconds), with the same results as the local pool for
the same seed. Skipped when Ray is not installed (``pip install "planner[ray]"``); CI
installs it and sets ``PLANNER_RAY_REQUIRED`` (``.ci/run``), so that there a missing Ray
fails instead."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stressing import NOW, NOW_TEXT, WEEK, Published, per_disruption, publish_week

from planner.cli import main
from planner.stress import PoolBackend, RayBackend, stress

try:
    import ray
except ImportError:
    WHY = 'Ray is not installed: pip install "planner[ray]"'
    if os.environ.get("PLANNER_RAY_REQUIRED"):
        raise ImportError(f"PLANNER_RAY_REQUIRED, but {WHY}") from None
    pytest.skip(WHY, allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """A local Ray of 2 CPUs for the whole module; every backend here joins it. Its
    workers import this module's tasks from the tests folder."""
    tests = {"env_vars": {"PYTHONPATH": str(Path(__file__).parent)}}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env=tests)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_week(tmp_path_factory.mktemp("published"))


def _wait_then_square(delays: list[float], index: int) -> int:
    """A task that ends after its delay: later tasks end first."""
    time.sleep(delays[index])
    return index * index


def test_ray_returns_results_in_the_order_of_the_tasks() -> None:
    # Task 0 sleeps longest; on 2 CPUs tasks 1 and 2 finish first, the order stays.
    done: list[int] = []
    backend = RayBackend("local")
    results = backend.map(_wait_then_square, [1.5, 0.0, 0.0], [0, 1, 2], on_done=done.append)
    backend.close()  # it joined the module's Ray: closing leaves it running
    assert ray.is_initialized()
    assert results == [0, 1, 4]
    assert done == [1, 2, 3]


def test_ray_gives_the_same_results_as_the_pool(week: Published) -> None:
    def run(backend: Any) -> Any:
        return stress(
            week.scenario, week.baseline, week.text, now=NOW, count=6, seed=3, backend=backend
        )

    on_ray = run(RayBackend("local"))
    on_pool = run(PoolBackend(2))
    assert per_disruption(on_ray) == per_disruption(on_pool)
    assert on_ray.backend == "ray local (2 CPUs)"
    assert {o.check for o in on_ray.outcomes} == {"ok"}
    # seed 3 closes room P2 on Monday first: nine activities move, on Ray as on the pool
    assert len(on_ray.outcomes[0].moved) == 9


def test_the_command_runs_on_ray(week: Published, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        [
            "stress", str(WEEK), "--plan", str(week.path), "-n", "2", "--seed", "3",
            "--now", NOW_TEXT, "--ray", "local", "-o", str(report),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(report.read_text())
    assert document["backend"] == "ray local (2 CPUs)"
    assert [len(o["moved"]) for o in document["outcomes"]] == [9, 2]
