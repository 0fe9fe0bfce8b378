"""Run the OptaPlanner/Timefold meeting-scheduling benchmark with planner, and score the
plans with that benchmark's own hard/medium/soft score.

The three ``.xlsx`` files (50, 100 and 200 meetings) are read in place. Each person
becomes a party of their own with a desk of one, required attendances become required
participants and preferred ones optional participants, every meeting is critical, and
the dataset's time grains become 15-minute slots 08:00-17:00 on consecutive weekdays
(the dataset's lunch hour has no grains, so it is left out). The plan is turned back
into ``meeting -> (start grain, room)`` and scored by :func:`score`, which shares
nothing with planner. Usage::

    python bench/meetingscheduling.py [--limits 30 60] [--workers 2] [--check] [datasets...]

A dataset is an ``.xlsx`` path or the start of a file name in the data folder
(``50``, ``100meetings``). Timings are single runs on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

from planner.models import Scenario
from planner.models.references import reference_problems, scenario_problems
from planner.models.schedule import Result
from planner.solve import Progress, solve

DATA = Path(
    os.environ.get(
        "MEETINGSCHEDULING_DATA",
        Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "meetingscheduling",
    )
)
"""The datasets, read in place next to the repository (``../shared/bench-data``)."""
GRAIN_MINUTES = 15
DAY_START = 8 * 60
GRAINS_PER_DAY = 36
"""08:00-17:00 in 15-minute slots: the planner day that one dataset day becomes."""
FIRST_MONDAY = date(2027, 1, 4)
ZONE = "Europe/Amsterdam"
CASE = "MS"


# ---- the dataset -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    code: str
    """The planner party code (``P01``...)."""


@dataclass(frozen=True)
class Room:
    name: str
    id: str
    capacity: int


@dataclass(frozen=True)
class Meeting:
    id: str
    topic: str
    minutes: int
    required: tuple[str, ...]
    """Person names."""
    preferred: tuple[str, ...]

    @property
    def grains(self) -> int:
        return self.minutes // GRAIN_MINUTES

    @property
    def required_capacity(self) -> int:
        return len(self.required) + len(self.preferred)


@dataclass(frozen=True)
class Day:
    label: str
    """As written in the Days sheet, e.g. ``Wed 2022-01-05``."""
    times: tuple[str, ...]
    """The ``HH:MM`` start of each of the day's grains."""


@dataclass(frozen=True)
class Dataset:
    """One meeting-scheduling file: its days, rooms, persons and meetings.

    ``assignment`` is the plan stored in the file (empty in an unsolved file);
    ``recorded_score`` the score the file itself shows (Score view), if any.
    """

    name: str
    days: tuple[Day, ...]
    rooms: tuple[Room, ...]
    persons: tuple[Person, ...]
    meetings: tuple[Meeting, ...]
    assignment: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    recorded_score: str | None = None

    @property
    def grain_count(self) -> int:
        return sum(len(day.times) for day in self.days)

    @property
    def day_first_grain(self) -> tuple[int, ...]:
        return tuple(_first_grains(self.days))

    def day_of_grain(self, grain: int) -> int | None:
        """The dataset day holding a grain, ``None`` past the last grain."""
        if grain < 0 or grain >= self.grain_count:
            return None
        firsts = self.day_first_grain
        return max(k for k, first in enumerate(firsts) if first <= grain)

    def subset(self, count: int) -> Dataset:
        """The first ``count`` meetings (persons, rooms and days unchanged)."""
        kept = self.meetings[:count]
        ids = {m.id for m in kept}
        assignment = {k: v for k, v in self.assignment.items() if k in ids}
        return replace(self, meetings=kept, assignment=assignment, recorded_score=None)


def _minutes(value: Any) -> int:
    if isinstance(value, clock | datetime):
        return value.hour * 60 + value.minute
    hours, minutes = str(value).strip().split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _names(cell: Any) -> tuple[str, ...]:
    return tuple(name.strip() for name in str(cell or "").split(",") if name.strip())


def _rows(workbook: Any, sheet: str) -> list[dict[str, Any]]:
    """The rows of a sheet under its header row, keyed by column title."""
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header_at = 0
    if sheet == "Configuration":  # a title line and a blank line come first
        header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Constraint")
    header = [str(title) if title is not None else "" for title in rows[header_at]]
    return [
        dict(zip(header, row, strict=False))
        for row in rows[header_at + 1 :]
        if any(value not in (None, "") for value in row)
    ]


def _day(row: Mapping[str, Any]) -> Day:
    """Grains every 15 minutes from Start to End, except the lunch hour (as the
    benchmark's own reader makes them)."""
    start, end = _minutes(row["Start"]), _minutes(row["End"])
    lunch = _minutes(row["Lunch hour start time"])
    times = tuple(_hhmm(t) for t in range(start, end, GRAIN_MINUTES) if not lunch <= t < lunch + 60)
    return Day(str(row["Day"]), times)


def read_dataset(path: str | Path) -> Dataset:
    """Read a meeting-scheduling ``.xlsx`` file in place.

    Raises
    ------
    ValueError
        On a feature the mapping to planner does not cover (speakers, durations off
        the 15-minute grain, unknown persons, a solved cell that names no grain).
    """
    import openpyxl  # a bench-only dependency (the `bench` extra)

    path = Path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "no default style": harmless
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        days = tuple(_day(row) for row in _rows(workbook, "Days"))
        rooms = tuple(
            Room(str(row["Name"]), re.sub(r"\W+", "", str(row["Name"])), int(row["Capacity"]))
            for row in _rows(workbook, "Rooms")
        )
        names = [str(row["Full name"]) for row in _rows(workbook, "Persons")]
        width = len(str(len(names)))
        persons = tuple(Person(name, f"P{i:0{width}d}") for i, name in enumerate(names, 1))
        meeting_rows = _rows(workbook, "Meetings")
        score_rows = list(workbook["Score view"].iter_rows(max_row=1, values_only=True))
    finally:
        workbook.close()
    known = set(names)
    width = len(str(len(meeting_rows)))
    meetings, assignment = [], {}
    grain_of = {
        (day.label, moment): first + i
        for day, first in zip(days, _first_grains(days), strict=True)
        for i, moment in enumerate(day.times)
    }
    room_of = {room.name: room.id for room in rooms}
    for i, row in enumerate(meeting_rows, 1):
        minutes = round(float(row["Duration"]))
        meeting = Meeting(
            f"M{i:0{width}d}",
            str(row["Topic"]),
            minutes,
            _names(row["Required attendance list"]),
            _names(row["Preferred attendance list"]),
        )
        if minutes <= 0 or minutes % GRAIN_MINUTES:
            raise ValueError(f"{meeting.topic}: {minutes} min is not whole time grains")
        if _names(row.get("Speakers")):
            raise ValueError(f"{meeting.topic}: speakers are not mapped")
        unknown = (set(meeting.required) | set(meeting.preferred)) - known
        if unknown:
            raise ValueError(f"{meeting.topic}: unknown persons {sorted(unknown)}")
        meetings.append(meeting)
        day, start, room = row.get("Day"), row.get("Starting time"), row.get("Room")
        if day and start and room:
            key = (str(day), _hhmm(_minutes(start)))
            if key not in grain_of or str(room) not in room_of:
                raise ValueError(f"{meeting.topic}: no grain or room for {day} {start} {room}")
            assignment[meeting.id] = (grain_of[key], room_of[str(room)])
    recorded = score_rows[0][1] if score_rows and len(score_rows[0]) > 1 else None
    return Dataset(
        path.stem,
        days,
        rooms,
        persons,
        tuple(meetings),
        assignment,
        str(recorded) if recorded else None,
    )


def _first_grains(days: Sequence[Day]) -> list[int]:
    firsts, grain = [], 0
    for day in days:
        firsts.append(grain)
        grain += len(day.times)
    return firsts


# ---- the benchmark's score -----------------------------------------------------------


Assignment = Mapping[str, tuple[int, str]]
"""Meeting id -> (start grain, room id); a meeting missing from it is unassigned."""


@dataclass(frozen=True)
class Score:
    """A hard/medium/soft score (penalties are negative) and the penalty of each rule.

    ``unassigned`` counts meetings without a grain and room. It is kept apart from
    ``hard``, as the benchmark keeps it apart (its ``init`` level, -2 per meeting:
    two planning variables each).
    """

    hard: int
    medium: int
    soft: int
    unassigned: int
    terms: dict[str, int]

    @property
    def init(self) -> int:
        return -2 * self.unassigned

    def __str__(self) -> str:
        init = f"{self.init}init/" if self.unassigned else ""
        return f"{init}{self.hard}hard/{self.medium}medium/{self.soft}soft"


HARD = (
    "Room conflict",
    "Don't go in overtime",
    "Required attendance conflict",
    "Required room capacity",
    "Start and end on same day",
)
MEDIUM = ("Required and preferred attendance conflict", "Preferred attendance conflict")
SOFT = (
    "Do all meetings as soon as possible",
    "One TimeGrain break between two consecutive meetings",
    "Overlapping meetings",
    "Assign larger rooms first",
    "Room stability",
)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score(dataset: Dataset, assignment: Assignment) -> Score:
    """Score an assignment with the rules of Timefold's ``MeetingSchedulingConstraintProvider``.

    Overlap is the number of grains two meetings share; a meeting occupies grains
    ``[start, start + duration)`` and its last grain is ``start + duration - 1``.

    Hard: room conflicts (overlap of two meetings in one room); overtime (a meeting whose
    last grain does not exist costs that grain's index); required attendance conflicts
    (overlap, for each person required in both meetings); room capacity (required plus
    preferred attendees minus the room's capacity, 0 without a room); a meeting ending on
    another day than it starts (1). Medium: overlap for each person required in one
    meeting and preferred in the other, and for each person preferred in both. Soft: each
    meeting's last grain index; 100 per pair where one starts on the grain after the
    other's last; 10 x overlap of every two meetings; for each meeting, the capacity
    differences to every larger room; 1 per person, per two of their meetings in
    different rooms with the later starting at most 2 grains after the earlier ends.
    """
    meetings = {m.id: m for m in dataset.meetings}
    capacity = {room.id: room.capacity for room in dataset.rooms}
    span = {
        meeting_id: (grain, grain + meetings[meeting_id].grains)
        for meeting_id, (grain, _) in assignment.items()
    }
    room_of = {meeting_id: room for meeting_id, (_, room) in assignment.items()}
    placed = [m for m in dataset.meetings if m.id in span]
    terms = dict.fromkeys((*HARD, *MEDIUM, *SOFT), 0)

    for a, b in combinations(placed, 2):
        overlap = _overlap(span[a.id], span[b.id])
        if room_of[a.id] == room_of[b.id]:
            terms["Room conflict"] += overlap
        terms["Overlapping meetings"] += 10 * overlap
    for meeting in dataset.meetings:
        room_capacity = capacity[room_of[meeting.id]] if meeting.id in room_of else 0
        terms["Required room capacity"] += max(0, meeting.required_capacity - room_capacity)
    starts: dict[int, int] = defaultdict(int)
    for meeting in placed:
        starts[span[meeting.id][0]] += 1
    for meeting in placed:
        first, end = span[meeting.id]
        last = end - 1
        start_day, last_day = dataset.day_of_grain(first), dataset.day_of_grain(last)
        if last_day is None:
            terms["Don't go in overtime"] += last
        elif last_day != start_day:
            terms["Start and end on same day"] += 1
        terms["Do all meetings as soon as possible"] += last
        terms["One TimeGrain break between two consecutive meetings"] += 100 * starts[end]
        terms["Assign larger rooms first"] += sum(
            max(0, size - capacity[room_of[meeting.id]]) for size in capacity.values()
        )

    required: dict[str, list[str]] = defaultdict(list)
    preferred: dict[str, list[str]] = defaultdict(list)
    for meeting in placed:
        for person in meeting.required:
            required[person].append(meeting.id)
        for person in meeting.preferred:
            preferred[person].append(meeting.id)
    for person in {*required, *preferred}:
        mine_required, mine_preferred = required[person], preferred[person]
        for a_id, b_id in combinations(mine_required, 2):
            terms["Required attendance conflict"] += _overlap(span[a_id], span[b_id])
        for a_id in mine_required:
            for b_id in mine_preferred:
                terms["Required and preferred attendance conflict"] += _overlap(
                    span[a_id], span[b_id]
                )
        for a_id, b_id in combinations(mine_preferred, 2):
            terms["Preferred attendance conflict"] += _overlap(span[a_id], span[b_id])
        attended = [*mine_required, *mine_preferred]
        for a_id in attended:
            for b_id in attended:
                (a_start, a_end), (b_start, _) = span[a_id], span[b_id]
                close = b_start - a_end <= 2
                if a_id != b_id and a_start < b_start and close and room_of[a_id] != room_of[b_id]:
                    terms["Room stability"] += 1

    return Score(
        hard=-sum(terms[name] for name in HARD),
        medium=-sum(terms[name] for name in MEDIUM),
        soft=-sum(terms[name] for name in SOFT),
        unassigned=len(dataset.meetings) - len(placed),
        terms=terms,
    )


def parse_score(text: str) -> dict[str, int]:
    """The levels of a score written like ``-100init/-539hard`` (absent levels are 0)."""
    levels = dict.fromkeys(("init", "hard", "medium", "soft"), 0)
    for number, level in re.findall(r"(-?\d+)(init|hard|medium|soft)", text):
        levels[level] = int(number)
    return levels


# ---- the mapping to planner ----------------------------------------------------------


def weekdays(first: date, count: int) -> list[date]:
    """``count`` Monday-to-Friday dates from ``first`` on."""
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def scenario_data(dataset: Dataset, *, optional_absent: int = 1) -> dict[str, Any]:
    """The plain scenario data (``planner.scenario/1``) of a dataset."""
    if any(len(day.times) > GRAINS_PER_DAY for day in dataset.days):
        raise ValueError(f"a day has more than {GRAINS_PER_DAY} grains: no 08:00-17:00 day")
    dates = weekdays(FIRST_MONDAY, len(dataset.days))
    code = {person.name: person.code for person in dataset.persons}
    hours = f"{_hhmm(DAY_START)}-{_hhmm(DAY_START + GRAINS_PER_DAY * GRAIN_MINUTES)}"
    # a short day (the last) ends at its last grain: no room is free after it
    closed = [
        {
            "date": day_date.isoformat(),
            "hours": f"{_hhmm(DAY_START + len(day.times) * GRAIN_MINUTES)}-{hours[-5:]}",
        }
        for day, day_date in zip(dataset.days, dates, strict=True)
        if len(day.times) < GRAINS_PER_DAY
    ]
    return {
        "schema": "planner.scenario/1",
        "name": f"meetingscheduling {dataset.name}",
        "host": {"country": "NL", "timezone": ZONE, "hours": hours, "holidays": "none"},
        "horizon": {"start": dates[0].isoformat(), "end": dates[-1].isoformat()},
        "granularity": GRAIN_MINUTES,
        "defaults": {
            "working_hours": hours,
            "stretch": 0,
            "desk_capacity": 1,
            "room_buffer": 0,
            "host_staff": 0,
        },
        "objective": {
            "optional_absent": optional_absent,
            "lateness_per_day": 0,
            "stretch_per_15m": 0,
        },
        "countries": [
            {
                "code": person.code,
                "name": person.name,
                "timezone": ZONE,
                "working_hours": hours,
                "holidays": "none",
                "desk_capacity": 1,
            }
            for person in dataset.persons
        ],
        "rooms": [
            {"id": room.id, "capacity": room.capacity, "unavailable": closed}
            for room in dataset.rooms
        ],
        "cases": [{"id": CASE, "crime": "other", "countries": [p.code for p in dataset.persons]}],
        "meetings": [
            {
                "id": meeting.id,
                "case": CASE,
                "title": meeting.topic,
                "duration": meeting.minutes,
                "priority": "critical",
                "participants": [
                    *({"country": code[name]} for name in meeting.required),
                    *({"country": code[name], "required": False} for name in meeting.preferred),
                ],
            }
            for meeting in dataset.meetings
        ],
    }


def to_scenario(dataset: Dataset, *, optional_absent: int = 1) -> Scenario:
    """The planner scenario of a dataset, validated as ``planner validate`` would.

    Raises
    ------
    ValueError
        With every problem, when the scenario is not valid.
    """
    data = scenario_data(dataset, optional_absent=optional_absent)
    problems = reference_problems(data)
    scenario = Scenario.model_validate(data)
    problems += scenario_problems(scenario)
    if problems:
        raise ValueError("; ".join(f"{p.path}: {p.message}" for p in problems))
    return scenario


def to_assignment(dataset: Dataset, result: Result) -> dict[str, tuple[int, str]]:
    """The start grain and room of each meeting planner placed (host time).

    Raises
    ------
    ValueError
        When a start is on no grain: not a horizon weekday, off the 15-minute grid, or
        past the day's grains.
    """
    dates = weekdays(FIRST_MONDAY, len(dataset.days))
    day_of = {day_date: k for k, day_date in enumerate(dates)}
    firsts = dataset.day_first_grain
    assignment = {}
    for placement in result.meetings:
        k = day_of.get(placement.start.date())
        slot, off_grid = divmod(
            placement.start.hour * 60 + placement.start.minute - DAY_START, GRAIN_MINUTES
        )
        if k is None or off_grid or not 0 <= slot < len(dataset.days[k].times):
            raise ValueError(f"{placement.id} starts at {placement.start}, on no grain")
        assignment[placement.id] = (firsts[k] + slot, placement.room)
    return assignment


# ---- measuring -----------------------------------------------------------------------


@dataclass
class Run:
    dataset: Dataset
    time_limit: float
    result: Result
    score: Score
    progress: list[Progress]
    violations: list[str] | None = None

    @property
    def plans(self) -> list[Progress]:
        """The reports of better plans (``on_progress`` also reports better bounds,
        with no objective before the first plan and an unchanged one after)."""
        found: list[Progress] = []
        for report in self.progress:
            if report.objective is not None and (
                not found or report.objective != found[-1].objective
            ):
                found.append(report)
        return found

    @property
    def first_plan(self) -> float | None:
        plans = self.plans
        return plans[0].elapsed if plans else None

    @property
    def last_improvement(self) -> float | None:
        plans = self.plans
        return plans[-1].elapsed if plans else None


def run(
    dataset: Dataset, time_limit: float, workers: int, seed: int = 0, check: bool = False
) -> Run:
    """Solve a dataset with planner and score the plan."""
    scenario = to_scenario(dataset)
    progress: list[Progress] = []
    result = solve(
        scenario, time_limit=time_limit, workers=workers, seed=seed, on_progress=progress.append
    )
    assignment = to_assignment(dataset, result) if result.has_plan else {}
    outcome = Run(dataset, time_limit, result, score(dataset, assignment), progress)
    if check and result.has_plan:
        from planner.check import check_schedule
        from planner.output.schedule_json import schedule_document

        document = schedule_document(result, scenario.name, "0" * 64)
        outcome.violations = [
            f"{v.rule} {v.activity}: {v.detail}" for v in check_schedule(scenario, document)
        ]
    return outcome


class BuildStep(NamedTuple):
    name: str
    seconds: float
    variables: int
    """Variables the step added to the model."""
    constraints: int


def profile_build(scenario: Scenario) -> list[BuildStep]:
    """Build the model the way :func:`planner.solve.solve` does, timing each step."""
    from planner.solver import cp_model
    from planner.solver.constraints import CONSTRAINTS
    from planner.solver.model import build_context
    from planner.solver.variables import create_variables

    started = time.perf_counter()
    context = build_context(scenario)
    steps = [BuildStep("options (build_context)", time.perf_counter() - started, 0, 0)]
    model = cp_model.CpModel()
    proto = model.proto
    started = time.perf_counter()
    variables = create_variables(model, context)
    steps.append(BuildStep("variables", time.perf_counter() - started, len(proto.variables), 0))
    for add_rule in CONSTRAINTS:
        before = len(proto.variables), len(proto.constraints)
        started = time.perf_counter()
        add_rule(model, variables, context)
        steps.append(
            BuildStep(
                add_rule.__name__,
                time.perf_counter() - started,
                len(proto.variables) - before[0],
                len(proto.constraints) - before[1],
            )
        )
    return steps


# ---- reporting -----------------------------------------------------------------------


def _hard_cell(result_score: Score) -> str:
    if result_score.unassigned:
        return f"{result_score.hard} (+{result_score.unassigned} unassigned)"
    return str(result_score.hard)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table_row(outcome: Run) -> str:
    result, result_score = outcome.result, outcome.score
    reached = result_score.hard == 0 and result_score.unassigned == 0
    objective = "-" if result.objective is None else f"{result.objective} (bound {result.bound})"
    return (
        f"| {outcome.dataset.name} | {len(outcome.dataset.meetings)} | {outcome.time_limit:g} "
        f"| {result.status} | {_hard_cell(result_score)} | {result_score.medium} "
        f"| {result_score.soft} | {_seconds(outcome.first_plan if reached else None)} "
        f"| {objective} |"
    )


def reference_rows(dataset: Dataset) -> Iterable[str]:
    """The file's own unsolved state, and its stored plan when it holds one."""
    initial = score(dataset, {})
    recorded = ""
    if dataset.recorded_score:
        levels = parse_score(dataset.recorded_score)
        mine = {"init": initial.init, "hard": initial.hard}
        mine |= {"medium": initial.medium, "soft": initial.soft}
        same = "same" if levels == mine else "differs"
        recorded = f" (file shows {dataset.recorded_score}: {same})"
    yield (
        f"| {dataset.name} | {len(dataset.meetings)} | - | initial state{recorded} "
        f"| {_hard_cell(initial)} | {initial.medium} | {initial.soft} | - | - |"
    )
    if dataset.assignment:
        stored = score(dataset, dataset.assignment)
        yield (
            f"| {dataset.name} | {len(dataset.meetings)} | - | plan stored in the file "
            f"| {_hard_cell(stored)} | {stored.medium} | {stored.soft} | - | - |"
        )


def find_datasets(names: Sequence[str], folder: Path = DATA) -> list[Path]:
    """Resolve dataset arguments: ``.xlsx`` paths, or name prefixes in ``folder``."""
    files = sorted(
        folder.glob("*.xlsx"),
        key=lambda p: [
            int(part) if part.isdigit() else part for part in re.split(r"(\d+)", p.name)
        ],
    )
    if not names:
        return files
    found = []
    for name in names:
        path = Path(name)
        if path.suffix == ".xlsx" and path.exists():
            found.append(path)
            continue
        matches = [f for f in files if f.name.startswith(name)]
        if len(matches) != 1:
            raise SystemExit(f"{name}: no single dataset in {folder} starts so")
        found.append(matches[0])
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*")
    parser.add_argument("--limits", nargs="+", type=float, default=[30.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="re-verify each plan")
    parser.add_argument("--data", type=Path, default=DATA)
    arguments = parser.parse_args(argv)
    datasets = [read_dataset(path) for path in find_datasets(arguments.datasets, arguments.data)]

    print(f"planner on the meeting-scheduling benchmark, {arguments.workers} workers, ")
    print(f"seed {arguments.seed}; score = the benchmark's hard/medium/soft")
    print()
    header = (
        "| dataset | meetings | time limit s | status | hard | medium | soft "
        "| time to hard 0 s | planner objective |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|---|---|")
    runs = []
    for dataset in datasets:
        for row in reference_rows(dataset):
            print(row, flush=True)
        for limit in arguments.limits:
            outcome = run(dataset, limit, arguments.workers, arguments.seed, arguments.check)
            runs.append(outcome)
            print(table_row(outcome), flush=True)

    print()
    print(
        "| dataset | time limit s | first plan s | last improvement s | solve s "
        "| plans found | absent preferred | medium terms (req+pref / pref+pref) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for outcome in runs:
        terms = outcome.score.terms
        absent = sum(len(m.absent) for m in outcome.result.meetings)
        print(
            f"| {outcome.dataset.name} | {outcome.time_limit:g} | {_seconds(outcome.first_plan)} "
            f"| {_seconds(outcome.last_improvement)} | {outcome.result.solve_seconds:.2f} "
            f"| {len(outcome.plans)} | {absent} "
            f"| {terms[MEDIUM[0]]} / {terms[MEDIUM[1]]} |"
        )

    print()
    print("Soft terms of each dataset's plan with the longest time limit:")
    for outcome in runs:
        if outcome.time_limit != max(arguments.limits):
            continue
        soft = ", ".join(f"{name} {outcome.score.terms[name]}" for name in SOFT)
        print(f"- {outcome.dataset.name}: {soft}")

    print()
    print("Model building, repeated apart from the runs (steps under 0.01 s that add")
    print("nothing are left out):")
    print()
    print("| dataset | step | seconds | new variables | new constraints |")
    print("|---|---|---|---|---|")
    for dataset in datasets:
        steps = profile_build(to_scenario(dataset))
        for step in steps:
            if step.seconds >= 0.01 or step.variables or step.constraints:
                print(
                    f"| {dataset.name} | {step.name} | {step.seconds:.2f} | {step.variables} "
                    f"| {step.constraints} |"
                )
        print(
            f"| {dataset.name} | total | {sum(s.seconds for s in steps):.2f} "
            f"| {sum(s.variables for s in steps)} | {sum(s.constraints for s in steps)} |"
        )

    failed = False
    if arguments.check:
        print()
        for outcome in runs:
            label = f"{outcome.dataset.name} {outcome.time_limit:g} s"
            if outcome.violations is None:
                print(f"- {label}: no plan to check")
                continue
            print(f"- {label}: {len(outcome.violations)} violation(s)")
            for violation in outcome.violations:
                print(f"  - {violation}")
            failed |= bool(outcome.violations)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
