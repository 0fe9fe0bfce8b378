"""Robustness: the anytime solver on generated years unlike the ones it was tuned on.

For every variant of ``planner generate`` (see ``--variant``), seed and scale, a year
is generated and solved by the real command, ``planner solve YEAR -o plan.json
--progress`` in its own process (so its wall time is the command's, model building and
writing included, and its peak memory its own); the plan is then verified by
``planner check``. For each run: activities placed against the first-fit plan alone
(what a coordinator's spreadsheet would place), the final gap to the proven bound, the
command's seconds to its first complete plan and to a 1 % gap, its wall time against
the limit, and its peak memory. The table gives, per variant and scale, the median and
the worst run. Usage::

    python bench/robustness.py [--variants calibrated varied tight-desks] [--seeds 1 2 3 4 5]
        [--scales 1 4] [--seconds-per-scale 60 20] [--workers 2] [--runs-json runs.json]

``--seconds-per-scale`` gives the time limit of scale 1 and the time per further unit
of scale (60 and 20: 60 s at scale 1, 120 s at scale 4). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from scaling import GAP, gap

ROOT = Path(__file__).resolve().parent.parent
_PROGRESS = re.compile(r"^solving: ([0-9.]+) s, best (\d+|none yet), bound (-?\d+|None)$")


def first_fit_placed(path: Path) -> tuple[int, int]:
    """Activities the first-fit plan alone places, and activities in all."""
    from planner.loading import load_scenario
    from planner.solver.construct import construct
    from planner.solver.model import build_context

    scenario = load_scenario(path)
    context = build_context(scenario)
    return len(construct(context)), len(scenario.meetings) + len(scenario.action_days)


def run_command(arguments: list[str], timeout: float) -> tuple[int, str, str, float, float]:
    """Run ``python -m planner ARGUMENTS``; exit code, output, errors, wall s, peak MB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "planner", *arguments], cwd=ROOT, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, process.kill)  # a hung run ends, and shows as such
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return (
            os.waitstatus_to_exitcode(status),
            out.read(),
            err.read(),
            wall,
            usage.ru_maxrss / 1024,
        )


def measure(variant: str, seed: int, scale: float, limit: float, workers: int) -> dict[str, Any]:
    """Generate one year, solve it with the command, check the plan; the measurements."""
    with tempfile.TemporaryDirectory() as folder:
        year, plan = Path(folder) / "year.yaml", Path(folder) / "plan.json"
        generated = [
            "generate",
            f"--variant={variant}",
            f"--seed={seed}",
            f"--scale={scale:g}",
            "-o",
            str(year),
        ]
        code, _, errors, _, _ = run_command(generated, 600)
        if code != 0:
            raise RuntimeError(errors)
        greedy, activities = first_fit_placed(year)
        solve = ["solve", str(year), "-o", str(plan), f"--time-limit={limit:g}", "--progress"]
        solve += [f"--workers={workers}", "--seed=1"]
        code, _, errors, wall, peak = run_command(solve, limit * 3 + 60)
        events = [_PROGRESS.match(line) for line in errors.splitlines()]
        progress = [
            (float(m[1]), None if m[2] == "none yet" else int(m[2]), int(m[3]))
            for m in events
            if m and m[3] != "None"
        ]
        first = next((t for t, objective, _ in progress if objective is not None), None)
        within = next(
            (t for t, o, b in progress if (g := gap(o, b)) is not None and g <= GAP), None
        )
        row: dict[str, Any] = {
            "variant": variant,
            "seed": seed,
            "scale": scale,
            "limit": limit,
            "exit": code,
            "activities": activities,
            "first_fit": greedy,
            "first_plan_s": first,
            "gap_1pct_s": within,
            "wall_s": round(wall, 2),
            "peak_mb": round(peak),
        }
        if plan.exists():
            document = json.loads(plan.read_text())
            row["placed"] = len(document["meetings"]) + len(document["action_days"])
            row["objective"], row["bound"] = document["objective"], document["bound"]
            row["gap"] = gap(document["objective"], document["bound"])
            checked, output, _, _, _ = run_command(["check", str(year), str(plan), "--json"], 600)
            row["violations"] = len(json.loads(output)["violations"]) if checked in (0, 3) else -1
        return row


def _median_worst(values: list[float], worst: Any = max) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({worst(values):.2f})"


def table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per variant and scale: medians, the worst run in brackets."""
    lines = [
        "| variant | scale | runs | limit s | placed - first-fit, worst | unplaced, worst "
        "| gap % median (worst) | first plan s median (worst) | 1 % gap s median (worst) "
        "| runs at 1 % | wall s worst | peak MB worst | checker violations |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, float], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["variant"], row["scale"]), []).append(row)
    for (variant, scale), runs in groups.items():
        solved = [r for r in runs if "placed" in r]
        gaps = [100 * r["gap"] for r in solved if r["gap"] is not None]
        firsts = [r["first_plan_s"] for r in runs if r["first_plan_s"] is not None]
        withins = [r["gap_1pct_s"] for r in runs if r["gap_1pct_s"] is not None]
        lines.append(
            f"| {variant} | {scale:g} | {len(runs)} | {runs[0]['limit']:g} "
            f"| {min((r['placed'] - r['first_fit'] for r in solved), default='-')} "
            f"| {max((r['activities'] - r['placed'] for r in solved), default='-')} "
            f"| {_median_worst(gaps)} | {_median_worst(firsts)} | {_median_worst(withins)} "
            f"| {len(withins)}/{len(runs)} | {max(r['wall_s'] for r in runs):.1f} "
            f"| {max(r['peak_mb'] for r in runs)} "
            f"| {sum(r.get('violations', 0) for r in runs)} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["calibrated", "varied", "tight-desks"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--scales", nargs="+", type=float, default=[1, 4])
    parser.add_argument("--seconds-per-scale", nargs=2, type=float, default=[60, 20])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs-json", type=Path, help="also write every run's figures here")
    arguments = parser.parse_args()
    first, more = arguments.seconds_per_scale
    rows = []
    print(f"{arguments.workers} workers, solve seed 1; per run: {' '.join(_COLUMNS)}", flush=True)
    for scale in arguments.scales:
        limit = first + more * (scale - 1)
        for variant in arguments.variants:
            for seed in arguments.seeds:
                row = measure(variant, seed, scale, limit, arguments.workers)
                rows.append(row)
                print(" ".join(str(row.get(c)) for c in _COLUMNS), flush=True)
                if arguments.runs_json:
                    arguments.runs_json.write_text(json.dumps(rows, indent=1))
    print()
    print("\n".join(table(rows)))


_COLUMNS = (
    "variant",
    "seed",
    "scale",
    "exit",
    "placed",
    "first_fit",
    "activities",
    "objective",
    "bound",
    "first_plan_s",
    "gap_1pct_s",
    "wall_s",
    "peak_mb",
    "violations",
)

if __name__ == "__main__":
    main()
