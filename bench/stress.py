"""Robustness sweeps of a published year (SPEC 2.7.6, §3): how long ``planner stress``
takes on a local pool of 1 and 2 processes and on a local Ray with 2 workers, and what
one re-plan costs.

A calibrated year is generated (``planner generate --seed 7``), solved for ``--full``
seconds and published; then the same sweep — ``-n`` disruptions drawn with ``--seed``,
re-planned at ``--now`` with ``replan``'s default limit and idle stop, each plan
checked — runs once per backend of ``--runs`` (``jobs1``, ``jobs2``, ``ray2``). For each:
the sweep's wall time (Ray's start apart), each re-plan's own seconds (median and
worst), how many re-plans ended by proof (``optimal``) and how many gave the same plan
as the first run (by digest). Then, for the first run, the distribution per kind and
the share absorbed with no move. Usage::

    nice -n 10 python bench/stress.py [-n 200] [--seed 7] [--scale 1] [--full 60]
        [--now 2027-01-01T00:00] [--runs jobs1,jobs2,ray2] [--work DIR]

The year and its published plan are kept in ``--work`` (default: a folder in the
temporary directory) and reused by a later run with the same year; each run's report is
written there too (``stress-SEED-xSCALE-RUN.json``). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.generate import generate_scenario, scenario_yaml
from planner.loading import load_baseline, read_scenario_file
from planner.models.stress import StressReport
from planner.output.schedule_json import dumps, scenario_digest, schedule_document
from planner.output.stress_json import stress_json
from planner.solve import solve
from planner.stress import Backend, PoolBackend, RayBackend, stress


def published_year(work: Path, seed: int, scale: int, full: float) -> tuple[Path, Path]:
    """The generated year and its published plan, made once per ``work`` folder."""
    year = work / f"year-{seed}-x{scale}.yaml"
    plan = work / f"published-{seed}-x{scale}-{full:g}s.json"
    if not year.exists():
        year.write_text(scenario_yaml(generate_scenario(year=2027, seed=seed, scale=scale)))
    if not plan.exists():
        scenario, raw = read_scenario_file(year)
        started = time.monotonic()
        result = solve(scenario, time_limit=full, workers=2, seed=1)
        print(
            f"published plan: {result.status}, score {result.score}, "
            f"{time.monotonic() - started:.1f} s"
        )
        plan.write_text(dumps(schedule_document(result, scenario.name, scenario_digest(raw))))
    return year, plan


def backend_of(run: str) -> tuple[Backend, float]:
    """The backend of a run name and the seconds it took to start."""
    started = time.monotonic()
    if run.startswith("ray"):
        backend: Backend = RayBackend("local", int(run[3:]))
    else:
        backend = PoolBackend(int(run[4:]))
    return backend, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--full", type=float, default=60)
    parser.add_argument("--now", default="2027-01-01T00:00")
    parser.add_argument("--runs", default="jobs1,jobs2,ray2")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "stress")
    arguments = parser.parse_args()
    arguments.work.mkdir(parents=True, exist_ok=True)
    year, plan = published_year(arguments.work, arguments.seed, arguments.scale, arguments.full)
    scenario, raw = read_scenario_file(year)
    baseline = load_baseline(plan)
    text = plan.read_text(encoding="utf-8")
    now = datetime.fromisoformat(arguments.now).replace(tzinfo=ZoneInfo(scenario.host.timezone))
    activities = len(scenario.meetings) + len(scenario.action_days)
    print(
        f"year seed {arguments.seed}, scale {arguments.scale}: {activities} activities; "
        f"{arguments.n} disruptions (seed 1) re-planned at {now:%Y-%m-%d %H:%M}, replan's "
        "limit and idle stop, one worker each"
    )
    print()
    print(
        "| run | start s | sweep wall s | per disruption s | re-plan median s | re-plan worst s "
        "| ended by proof | same plan as the first run | checks ok |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    first: StressReport | None = None
    for run in arguments.runs.split(","):
        backend, start = backend_of(run)
        try:
            report = stress(
                scenario,
                baseline,
                text,
                now=now,
                count=arguments.n,
                seed=1,
                scenario_sha256=scenario_digest(raw),
                backend=backend,
            )
        finally:
            backend.close()
        name = f"stress-{arguments.seed}-x{arguments.scale}-{run}.json"
        (arguments.work / name).write_text(stress_json(report))
        first = first or report
        seconds = [o.seconds for o in report.outcomes]
        proven = sum(o.status == "optimal" for o in report.outcomes)
        same = sum(
            a.plan_sha256 == b.plan_sha256
            for a, b in zip(first.outcomes, report.outcomes, strict=True)
        )
        checked = sum(o.check == "ok" for o in report.outcomes)
        print(
            f"| {run} ({report.backend}) | {start:.1f} | {report.seconds:.1f} "
            f"| {report.seconds / len(report.outcomes):.2f} | {statistics.median(seconds):.2f} "
            f"| {max(seconds):.2f} | {proven}/{len(seconds)} | {same}/{len(seconds)} "
            f"| {checked}/{len(seconds)} |",
            flush=True,
        )
    assert first is not None
    print()
    print(f"first run, per kind (absorbed with no move: {100 * first.absorbed_share:.0f} %):")
    print()
    print("| kind | drawn | moved none | 1-3 | 4+ | dropped | no plan | absorbed |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in first.by_kind:
        print(
            f"| {kind.kind} | {kind.disruptions} | {kind.moved_none} | {kind.moved_1_to_3} "
            f"| {kind.moved_4_or_more} | {kind.dropped} | {kind.no_plan} | {kind.absorbed} |"
        )
    print()
    print("most often moved or dropped:", end=" ")
    print(
        "; ".join(
            f"{f.id} moved {f.moved}, dropped {f.dropped} "
            f"({', '.join(f'{x.resource} {x.times}' for x in f.forced_by[:2])})"
            for f in first.fragile[:5]
        )
    )


if __name__ == "__main__":
    main()
