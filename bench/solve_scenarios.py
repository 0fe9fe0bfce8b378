"""Time ``planner solve`` on every scenario file, as a user runs it (a whole process).

Prints a table of median wall times over several runs, with the status and
objective, and the solver's own ``solve_seconds``. Usage::

    python bench/solve_scenarios.py [--runs 5] [--workers 2] [scenarios/*.yaml]

Timings are medians: these machines are shared and noisy. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(scenario: Path, workers: int, output: Path) -> tuple[float, dict[str, object], int]:
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            str(scenario),
            "-o",
            str(output),
            "--workers",
            str(workers),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    document = json.loads(output.read_text()) if output.exists() else {}
    return elapsed, document, completed.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    files = arguments.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    print(f"planner solve, {arguments.runs} runs each, {arguments.workers} workers")
    print()
    print(
        "| scenario | activities | exit | status | objective | median command s | median solve s |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for scenario in files:
            walls, solves = [], []
            document: dict[str, object] = {}
            code = -1
            for run in range(arguments.runs):
                output = Path(folder) / f"{scenario.stem}-{run}.json"
                wall, document, code = run_once(scenario, arguments.workers, output)
                walls.append(wall)
                solves.append(float(document.get("solve_seconds", 0.0)))  # type: ignore[arg-type]
            meetings = document.get("meetings", [])
            action_days = document.get("action_days", [])
            unscheduled = document.get("unscheduled", [])
            count = sum(len(x) for x in (meetings, action_days, unscheduled))  # type: ignore[arg-type]
            print(
                f"| {scenario.relative_to(ROOT) if scenario.is_absolute() else scenario} "
                f"| {count} | {code} | {document.get('status')} | {document.get('objective')} "
                f"| {statistics.median(walls):.2f} | {statistics.median(solves):.2f} |"
            )


if __name__ == "__main__":
    main()
