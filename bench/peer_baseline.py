"""A plain CP-SAT model of the meeting-scheduling benchmark, the baseline planner is
compared against.

One start grain per meeting (only starts whose last grain is on the same dataset day);
one room per meeting among those that seat its required and preferred attendees, as
optional intervals with no overlap per room; no overlap per person over the meetings
they are required in and the ones they attend among those they are preferred in
(optional intervals). The objective weighs each missed preferred attendance
(a stand-in for the medium score) above every soft-ish term, the sum of the meetings'
last grains ("as soon as possible") and the seats of the larger rooms
("larger rooms first"): ``grain_count x missed + sum(last grains) + sum(larger seats)``.
Plans are scored with the benchmark's own :func:`meetingscheduling.score`; datasets are
read and built with the helpers of ``bench/meetingscheduling.py``. Usage::

    python bench/peer_baseline.py [--limit 60] [--workers 2] [--seed 0] [datasets...]

Datasets as in ``bench/meetingscheduling.py`` (default 50, 100, 200, 400, 800).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from meetingscheduling import DATA, Dataset, Score, load_datasets, score
from ortools.sat.python import cp_model

DEFAULT_DATASETS = ("50", "100", "200", "400", "800")


@dataclass(frozen=True)
class BaselineRun:
    dataset: Dataset
    time_limit: float
    status: str
    score: Score
    missed_preferred: int | None
    """Preferred attendances the plan leaves out (``None`` without a plan)."""
    first_solution: float | None
    """Seconds from the start of the search to its first solution."""
    seconds: float


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.started = time.monotonic()
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.monotonic() - self.started


def solve_baseline(
    dataset: Dataset, time_limit: float = 60.0, workers: int = 2, seed: int = 0
) -> BaselineRun:
    """Solve a dataset with the plain CP-SAT model and score the plan."""
    model = cp_model.CpModel()
    firsts = dataset.day_first_grain
    capacity = {room.id: room.capacity for room in dataset.rooms}
    in_room: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    of_person: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    starts: dict[str, cp_model.IntVar] = {}
    room_of: dict[tuple[str, str], cp_model.IntVar] = {}
    attends: list[cp_model.IntVar] = []
    soft: list[cp_model.LinearExprT] = []
    for meeting in dataset.meetings:
        # starts whose last grain is on the same day
        same_day = [
            [first, first + len(day.times) - meeting.grains]
            for day, first in zip(dataset.days, firsts, strict=True)
            if len(day.times) >= meeting.grains
        ]
        start = model.new_int_var_from_domain(
            cp_model.Domain.from_intervals(same_day), f"M{meeting.id}_start"
        )
        starts[meeting.id] = start
        interval = model.new_fixed_size_interval_var(start, meeting.grains, f"M{meeting.id}")
        # rooms that seat everyone; with none (no such meeting in the files), every room
        fitting = [r for r in dataset.rooms if r.capacity >= meeting.required_capacity]
        chosen = []
        for room in fitting or dataset.rooms:
            used = model.new_bool_var(f"A_{meeting.id}_{room.id}")
            room_of[meeting.id, room.id] = used
            chosen.append(used)
            in_room[room.id].append(
                model.new_optional_fixed_size_interval_var(
                    start, meeting.grains, used, f"M{meeting.id}_{room.id}"
                )
            )
            larger = sum(max(0, size - room.capacity) for size in capacity.values())
            soft.append(larger * used)
        model.add_exactly_one(chosen)
        for person in meeting.required:
            of_person[person].append(interval)
        for person in meeting.preferred:
            present = model.new_bool_var(f"P_{meeting.id}_{person}")
            attends.append(present)
            of_person[person].append(
                model.new_optional_fixed_size_interval_var(
                    start, meeting.grains, present, f"M{meeting.id}_{person}"
                )
            )
        soft.append(start + meeting.grains - 1)
    for intervals in (*in_room.values(), *of_person.values()):
        model.add_no_overlap(intervals)
    missed = len(attends) - cp_model.LinearExpr.sum(attends)
    model.minimize(dataset.grain_count * missed + cp_model.LinearExpr.sum(soft))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = _FirstSolution()
    status = solver.solve(model, callback)
    seconds = time.monotonic() - callback.started
    assignment: dict[str, tuple[int, str]] = {}
    missed_preferred = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (meeting_id, room_id), used in room_of.items():
            if solver.boolean_value(used):
                assignment[meeting_id] = (solver.value(starts[meeting_id]), room_id)
        missed_preferred = sum(not solver.boolean_value(present) for present in attends)
    return BaselineRun(
        dataset,
        time_limit,
        solver.status_name(status),
        score(dataset, assignment),
        missed_preferred,
        callback.first,
        seconds,
    )


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("datasets", nargs="*", help="50, 100, 200, 400, 800 or .xlsx paths")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per dataset")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA)
    arguments = parser.parse_args(argv)
    datasets = load_datasets(arguments.datasets or DEFAULT_DATASETS, arguments.data)

    print(f"plain CP-SAT baseline, {arguments.workers} workers, seed {arguments.seed}")
    print()
    print(
        "| dataset | meetings | time limit s | status | hard | medium | soft | unassigned "
        "| first solution s | solve s | missed preferred |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset in datasets:
        outcome = solve_baseline(dataset, arguments.limit, arguments.workers, arguments.seed)
        result = outcome.score
        missed = "-" if outcome.missed_preferred is None else outcome.missed_preferred
        print(
            f"| {dataset.name} | {len(dataset.meetings)} | {arguments.limit:g} "
            f"| {outcome.status} | {result.hard} | {result.medium} | {result.soft} "
            f"| {result.unassigned} | {_seconds(outcome.first_solution)} "
            f"| {outcome.seconds:.2f} | {missed} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
