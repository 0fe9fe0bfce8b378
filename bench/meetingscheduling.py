"""Run the OptaPlanner/Timefold meeting-scheduling benchmark with planner, and score the
plans with that benchmark's own hard/medium/soft score.

The three ``.xlsx`` files (50, 100 and 200 meetings) are read in place; the 400- and
800-meeting sets are built from the 200-meeting file (see :func:`replicate`). Each
person becomes a party of their own with a desk of one, required attendances become
required participants and preferred ones optional participants, every meeting is
critical, and dataset day k becomes the k-th weekday of the horizon, its grains
15-minute slots from 08:00 on (the dataset's lunch hour has no grains, so it is left
out). Two encodings (:func:`scenario_data`):

- ``bench``: host and working hours 08:00-17:00 (36 slots, a full dataset day); rooms
  are closed after the last grain of a shorter day; the objective is only the optional
  participants who are absent (weight 1), no lateness.
- ``lateness``: host and working hours 08:00-18:00 (40 slots), every room closed from
  the end of each day's last grain to 18:00 (so 17:00-18:00 on full days); each meeting
  is preferred on the horizon's first date, with lateness 1 a day and absent optional
  participants at 1000 each (far above any lateness).

The plan is turned back into ``meeting -> (start grain, room)`` and scored by
:func:`score`, which shares nothing with planner. Usage::

    python bench/meetingscheduling.py [--limits 30 60] [--workers 2] [--runs 1] [--seed 0]
        [--encoding bench lateness] [--check] [--no-profile] [datasets...]

A dataset is an ``.xlsx`` path, the start of a file name in the data folder (``50``,
``100meetings``), or a replicated size (``400``, ``800``: any multiple of 200 from 400
on); by default all of 50, 100, 200, 400 and 800. With ``--runs N`` each dataset,
encoding and time limit is solved N times with seeds ``seed, seed+1, ...`` and the
table shows the median and the worst run. Timings are from a shared machine.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

from planner.models import Scenario
from planner.models.references import reference_problems
from planner.models.scenario import scenario_problems
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
ENCODINGS = ("bench", "lateness")
"""The ways of writing a dataset as a planner scenario (see :func:`scenario_data`)."""
LATENESS_DAY_END = 18 * 60
"""End of the host and working hours in the ``lateness`` encoding (08:00-18:00)."""
LATENESS_ABSENT = 1000
"""``optional_absent`` weight in the ``lateness`` encoding (lateness is 1 a day)."""
REPLICATED_FROM = "200"
"""The file the larger sets (400, 800, ... meetings) are built from."""


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


def replicate(dataset: Dataset, copies: int) -> Dataset:
    """A larger set of the same family: ``copies`` copies of every meeting, over
    ``copies`` times the days, with the same rooms and the same persons.

    The construction, deterministic and reproducible:

    - **Days**: the dataset's days repeated ``copies`` times in order (day
      ``c * len(days) + k`` has the grains of day ``k``, short last day included), so
      there are ``copies * grain_count`` grains. Labels continue the first day's date
      one calendar day at a time (``Sat 2022-01-01``, ``Sun 2022-01-02``, ...), as in
      the files.
    - **Rooms**: the same rooms (names, ids, capacities), so meetings per room-day stay
      those of the dataset.
    - **Persons**: shared; copy ``c`` of a meeting has the same required and preferred
      persons as the original, so each person has ``copies`` times the meetings over
      ``copies`` times the days (the files of the family keep 35-40 persons as they
      grow).
    - **Meetings**: copy ``c`` (0-based) of meeting ``i`` (0-based, file order) is
      meeting number ``c * len(meetings) + i + 1`` (ids ``M001``...), with the same
      duration and topic, the topic followed by `` #c+1`` for ``c > 0``.
    - **Stored plan**: copy ``c`` of a stored assignment is shifted by
      ``c * grain_count`` grains, rooms unchanged.

    Copy ``c`` placed as a plan of the dataset, ``c * grain_count`` grains later, only
    ever meets copy ``c`` in a room or a person's day, so every hard-feasible plan of
    the dataset gives one of the replica: it stays feasible.
    """
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")
    first = re.search(r"\d{4}-\d{2}-\d{2}", dataset.days[0].label) if dataset.days else None
    start = date.fromisoformat(first.group()) if first else None
    days = []
    for index in range(copies * len(dataset.days)):
        day = dataset.days[index % len(dataset.days)]
        if start is None:
            label = f"day {index + 1}"
        else:
            when = start + timedelta(days=index)
            label = f"{when:%a} {when.isoformat()}"
        days.append(Day(label, day.times))
    count = copies * len(dataset.meetings)
    width = len(str(count))
    meetings, assignment = [], {}
    for c in range(copies):
        for i, meeting in enumerate(dataset.meetings):
            number = c * len(dataset.meetings) + i + 1
            topic = meeting.topic if c == 0 else f"{meeting.topic} #{c + 1}"
            copy = replace(meeting, id=f"M{number:0{width}d}", topic=topic)
            meetings.append(copy)
            if meeting.id in dataset.assignment:
                grain, room = dataset.assignment[meeting.id]
                assignment[copy.id] = (grain + c * dataset.grain_count, room)
    return Dataset(
        f"{count}meetings-{copies * dataset.grain_count}timegrains-"
        f"{len(dataset.rooms)}rooms-x{copies}",
        tuple(days),
        dataset.rooms,
        dataset.persons,
        tuple(meetings),
        assignment,
        None,
    )


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


def scenario_data(
    dataset: Dataset, *, encoding: str = "bench", optional_absent: int | None = None
) -> dict[str, Any]:
    """The plain scenario data (``planner.scenario/1``) of a dataset.

    Parameters
    ----------
    dataset
        The dataset.
    encoding
        ``bench``: host and working hours 08:00-17:00, a full dataset day; rooms closed
        after the last grain of a shorter day; no lateness. ``lateness``: host and
        working hours 08:00-18:00, every room closed after the last grain of every day
        (host time); each meeting preferred on the horizon's first date, lateness 1 a
        day. In both, slot ``k`` of a date is grain ``k`` of its dataset day.
    optional_absent
        The weight of each absent optional participant; default 1 (``bench``) or
        :data:`LATENESS_ABSENT` (``lateness``).
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}: one of {', '.join(ENCODINGS)}")
    lateness = encoding == "lateness"
    day_end = LATENESS_DAY_END if lateness else DAY_START + GRAINS_PER_DAY * GRAIN_MINUTES
    hours = f"{_hhmm(DAY_START)}-{_hhmm(day_end)}"
    if any(DAY_START + len(day.times) * GRAIN_MINUTES > day_end for day in dataset.days):
        raise ValueError(f"a day has more grains than {hours} holds")
    if optional_absent is None:
        optional_absent = LATENESS_ABSENT if lateness else 1
    dates = weekdays(FIRST_MONDAY, len(dataset.days))
    code = {person.name: person.code for person in dataset.persons}
    # a slot past the day's last grain is no grain: no room is free in it
    closed = [
        {
            "date": day_date.isoformat(),
            "hours": f"{_hhmm(DAY_START + len(day.times) * GRAIN_MINUTES)}-{_hhmm(day_end)}",
        }
        for day, day_date in zip(dataset.days, dates, strict=True)
        if DAY_START + len(day.times) * GRAIN_MINUTES < day_end
    ]
    return {
        "schema": "planner.scenario/1",
        "name": f"meetingscheduling {dataset.name} ({encoding})",
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
            "lateness_per_day": 1 if lateness else 0,
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
                **({"preferred": dates[0].isoformat()} if lateness else {}),
                "participants": [
                    *({"country": code[name]} for name in meeting.required),
                    *({"country": code[name], "required": False} for name in meeting.preferred),
                ],
            }
            for meeting in dataset.meetings
        ],
    }


def to_scenario(
    dataset: Dataset, *, encoding: str = "bench", optional_absent: int | None = None
) -> Scenario:
    """The planner scenario of a dataset (see :func:`scenario_data`), validated as
    ``planner validate`` would.

    Raises
    ------
    ValueError
        With every problem, when the scenario is not valid.
    """
    data = scenario_data(dataset, encoding=encoding, optional_absent=optional_absent)
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
    encoding: str
    time_limit: float
    seed: int
    result: Result
    score: Score
    progress: list[Progress]
    violations: list[str] | None = None
    """What ``check_schedule`` found, when asked to check a plan."""

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
    dataset: Dataset,
    time_limit: float,
    workers: int,
    seed: int = 0,
    check: bool = False,
    encoding: str = "bench",
) -> Run:
    """Solve a dataset with planner in one encoding, and score the plan."""
    scenario = to_scenario(dataset, encoding=encoding)
    progress: list[Progress] = []
    result = solve(
        scenario, time_limit=time_limit, workers=workers, seed=seed, on_progress=progress.append
    )
    assignment = to_assignment(dataset, result) if result.has_plan else {}
    outcome = Run(dataset, encoding, time_limit, seed, result, score(dataset, assignment), progress)
    if check and result.has_plan:
        outcome.violations = check_plan(scenario, result)
    return outcome


def check_plan(scenario: Scenario, result: Result) -> list[str]:
    """The violations ``planner.check.check_schedule`` finds in a plan, as text."""
    from planner.check import check_schedule
    from planner.output.schedule_json import schedule_document

    document = schedule_document(result, scenario.name, "0" * 64)
    return [f"{v.rule} {v.activity}: {v.detail}" for v in check_schedule(scenario, document)]


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


# ---- choosing datasets ---------------------------------------------------------------


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


def replicated_copies(name: str, source_meetings: int = int(REPLICATED_FROM)) -> int | None:
    """The copies of the :data:`REPLICATED_FROM` file a dataset name asks for: ``400``
    is 2, ``800`` is 4; ``None`` for a name that is no multiple of it from two on."""
    if not name.isdigit() or int(name) % source_meetings:
        return None
    copies = int(name) // source_meetings
    return copies if copies >= 2 else None


def load_datasets(names: Sequence[str], folder: Path = DATA) -> list[Dataset]:
    """Read (or build) the datasets that arguments name: ``.xlsx`` paths, file-name
    prefixes, or replicated sizes (``400``, ``800``; see :func:`replicate`). Without
    names: every file of ``folder``, then 400 and 800 when the 200-meeting file is
    there."""
    if not names:
        files = [str(path) for path in find_datasets([], folder)]
        has_source = any(Path(f).name.startswith(REPLICATED_FROM) for f in files)
        names = [*files, *(("400", "800") if has_source else ())]
    read: dict[Path, Dataset] = {}

    def read_once(path: Path) -> Dataset:
        if path not in read:
            read[path] = read_dataset(path)
        return read[path]

    datasets = []
    for name in names:
        copies = replicated_copies(name)
        if copies is not None and not any(f.name.startswith(name) for f in folder.glob("*.xlsx")):
            source = read_once(find_datasets([REPLICATED_FROM], folder)[0])
            datasets.append(replicate(source, copies))
        else:
            datasets.append(read_once(find_datasets([name], folder)[0]))
    return datasets


# ---- reporting -----------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def spread(values: Sequence[int], *, worst: Callable[[Sequence[int]], int] = min) -> str:
    """One value, or the median and the worst of several (``-12 (worst -20)``)."""
    if len(values) == 1:
        return str(values[0])
    return f"{_number(statistics.median(values))} (worst {worst(values)})"


def _first_plan_cell(runs: Sequence[Run]) -> str:
    found = [outcome.first_plan for outcome in runs if outcome.first_plan is not None]
    return seconds_cell(found, len(runs))


def seconds_cell(found: Sequence[float], runs: int) -> str:
    """Seconds to a first plan over ``runs`` runs (``found`` of those that had one): one
    value, or the median and the worst (``none`` when a run had no plan)."""
    if not found:
        return "-"
    if runs == 1:
        return _seconds(found[0])
    worst = "none" if len(found) < runs else f"{max(found):.2f}"
    return f"{statistics.median(found):.2f} (worst {worst})"


def _check_cell(runs: Sequence[Run], checked: bool) -> str:
    if not checked:
        return "-"
    unchecked = sum(outcome.violations is None for outcome in runs)
    violations = sum(len(outcome.violations or ()) for outcome in runs)
    if not unchecked and not violations:
        return "ok"
    parts = [f"{violations} violation(s)"] if violations else []
    parts += [f"{unchecked} run(s) without plan"] if unchecked else []
    return ", ".join(parts)


def summary_row(runs: Sequence[Run], checked: bool = False) -> str:
    """The table row of the runs of one dataset, encoding and time limit."""
    first = runs[0]
    counted = Counter(outcome.result.status for outcome in runs)
    status = ", ".join(
        status if len(runs) == 1 else f"{status} x{count}" for status, count in counted.items()
    )
    scores = [outcome.score for outcome in runs]
    return (
        f"| {first.dataset.name} | {len(first.dataset.meetings)} | {first.encoding} "
        f"| {first.time_limit:g} | {len(runs)} | {status} "
        f"| {spread([s.hard for s in scores])} | {spread([s.medium for s in scores])} "
        f"| {spread([s.soft for s in scores])} "
        f"| {spread([s.unassigned for s in scores], worst=max)} "
        f"| {_first_plan_cell(runs)} | {_check_cell(runs, checked)} |"
    )


def plain_row(dataset: Dataset, limit: float, workers: int, seeds: Sequence[int]) -> str:
    """The summary row of the plain CP-SAT model (bench/peer_baseline.py) on one dataset,
    solved beside planner with the same limit, workers and seeds."""
    from peer_baseline import solve_baseline  # it reads datasets through this module

    outcomes = [solve_baseline(dataset, limit, workers, seed) for seed in seeds]
    scores = [outcome.score for outcome in outcomes]
    statuses = ", ".join(sorted({outcome.status.lower() for outcome in outcomes}))
    firsts = [o.first_solution for o in outcomes if o.first_solution is not None]
    first = seconds_cell(firsts, len(outcomes))
    return (
        f"| {dataset.name} | {len(dataset.meetings)} | plain CP-SAT model | {limit:g} "
        f"| {len(outcomes)} | {statuses} | {spread([s.hard for s in scores])} "
        f"| {spread([s.medium for s in scores])} | {spread([s.soft for s in scores])} "
        f"| {spread([s.unassigned for s in scores], worst=max)} | {first} | - |"
    )


SUMMARY_HEADER = (
    "| dataset | meetings | encoding | time limit s | runs | status | hard | medium | soft "
    "| unassigned | first plan s | check |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
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
        f"| {dataset.name} | {len(dataset.meetings)} | - | - | - | initial state{recorded} "
        f"| {initial.hard} | {initial.medium} | {initial.soft} | {initial.unassigned} | - | - |"
    )
    if dataset.assignment:
        stored = score(dataset, dataset.assignment)
        yield (
            f"| {dataset.name} | {len(dataset.meetings)} | - | - | - | plan stored in the file "
            f"| {stored.hard} | {stored.medium} | {stored.soft} | {stored.unassigned} | - | - |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("datasets", nargs="*", help="50, 100, 200, 400, 800 or .xlsx paths")
    parser.add_argument("--limits", nargs="+", type=float, default=[30.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="seed of the first run")
    parser.add_argument("--runs", type=int, default=1, help="runs (seeds) per cell")
    parser.add_argument("--encoding", nargs="+", choices=ENCODINGS, default=["bench"])
    parser.add_argument("--check", action="store_true", help="re-verify each plan")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also solve each dataset with the plain CP-SAT model of bench/peer_baseline.py, "
        "with the same limit, workers and seeds (the baseline the medium score is held to)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the model-build table")
    parser.add_argument("--data", type=Path, default=DATA)
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    datasets = load_datasets(arguments.datasets, arguments.data)
    seeds = range(arguments.seed, arguments.seed + arguments.runs)

    print(f"planner on the meeting-scheduling benchmark, {arguments.workers} workers, ")
    print(
        f"seeds {seeds.start}-{seeds.stop - 1}; score = the benchmark's hard/medium/soft; "
        "several runs: median (worst)"
    )
    print()
    print(SUMMARY_HEADER)
    runs: list[Run] = []
    for dataset in datasets:
        for row in reference_rows(dataset):
            print(row, flush=True)
        for encoding in arguments.encoding:
            for limit in arguments.limits:
                cell = [
                    run(dataset, limit, arguments.workers, seed, arguments.check, encoding)
                    for seed in seeds
                ]
                runs += cell
                print(summary_row(cell, arguments.check), flush=True)
        if arguments.plain:
            for limit in arguments.limits:
                print(plain_row(dataset, limit, arguments.workers, seeds), flush=True)

    print()
    print(
        "| dataset | encoding | time limit s | seed | planner objective | first plan s "
        "| last improvement s | solve s | plans found | absent preferred "
        "| medium terms (req+pref / pref+pref) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for outcome in runs:
        result, terms = outcome.result, outcome.score.terms
        objective = (
            "-" if result.objective is None else f"{result.objective} (bound {result.bound})"
        )
        absent = sum(len(m.absent) for m in result.meetings)
        print(
            f"| {outcome.dataset.name} | {outcome.encoding} | {outcome.time_limit:g} "
            f"| {outcome.seed} | {objective} | {_seconds(outcome.first_plan)} "
            f"| {_seconds(outcome.last_improvement)} | {result.solve_seconds:.2f} "
            f"| {len(outcome.plans)} | {absent} | {terms[MEDIUM[0]]} / {terms[MEDIUM[1]]} |"
        )

    print()
    print("Soft terms of each plan with the longest time limit:")
    for outcome in runs:
        if outcome.time_limit != max(arguments.limits):
            continue
        soft = ", ".join(f"{name} {outcome.score.terms[name]}" for name in SOFT)
        print(f"- {outcome.dataset.name} {outcome.encoding} seed {outcome.seed}: {soft}")

    if not arguments.no_profile:
        print()
        print("Model building, repeated apart from the runs (steps under 0.01 s that add")
        print("nothing are left out):")
        print()
        print("| dataset | encoding | step | seconds | new variables | new constraints |")
        print("|---|---|---|---|---|---|")
        for dataset in datasets:
            for encoding in arguments.encoding:
                steps = profile_build(to_scenario(dataset, encoding=encoding))
                label = f"{dataset.name} | {encoding}"
                for step in steps:
                    if step.seconds >= 0.01 or step.variables or step.constraints:
                        print(
                            f"| {label} | {step.name} | {step.seconds:.2f} | {step.variables} "
                            f"| {step.constraints} |"
                        )
                print(
                    f"| {label} | total | {sum(s.seconds for s in steps):.2f} "
                    f"| {sum(s.variables for s in steps)} | {sum(s.constraints for s in steps)} |"
                )

    failed = False
    if arguments.check:
        print()
        for outcome in runs:
            label = (
                f"{outcome.dataset.name} {outcome.encoding} {outcome.time_limit:g} s "
                f"seed {outcome.seed}"
            )
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
