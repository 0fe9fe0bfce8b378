"""The meeting-scheduling benchmark adapter (``bench/meetingscheduling.py``): the reader,
the mapping to a planner scenario, the benchmark's own score, and one short real solve."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from planner.check import check_schedule
from planner.output.schedule_json import schedule_document
from planner.solve import solve


def _load_bench(name: str) -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up while decorating, and the baseline imports
    # `meetingscheduling` by name
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ms = _load_bench("meetingscheduling")
FIFTY = ms.DATA / "50meetings-160timegrains-5rooms.xlsx"
TWO_HUNDRED = ms.DATA / "200meetings-640timegrains-5rooms.xlsx"


@pytest.fixture(scope="module")
def fifty() -> Any:
    # reading needs openpyxl (the `bench` extra) and the data next to the repository;
    # the score and the mapping helpers are tested without either
    pytest.importorskip("openpyxl")
    if not FIFTY.exists():
        pytest.skip(f"benchmark data not found: {FIFTY}")
    return ms.read_dataset(FIFTY)


# ---- reader ------------------------------------------------------------------------


def test_reader_parses_the_50_meeting_file(fifty: Any) -> None:
    assert len(fifty.meetings) == 50
    assert [(r.id, r.capacity) for r in fifty.rooms] == [
        ("R1", 30),
        ("R2", 20),
        ("R3", 16),
        ("R4", 14),
        ("R5", 12),
    ]
    assert len(fifty.persons) == 40
    assert len({p.code for p in fifty.persons}) == 40
    # 4 days of 08:00-18:00 without the lunch hour (36 grains), then 08:00-12:00 (16)
    assert [len(day.times) for day in fifty.days] == [36, 36, 36, 36, 16]
    assert fifty.grain_count == 160
    assert fifty.days[0].times[15:17] == ("11:45", "13:00")
    assert fifty.day_of_grain(143) == 3
    assert fifty.day_of_grain(144) == 4
    assert fifty.day_of_grain(160) is None
    first = fifty.meetings[0]
    assert (first.topic, first.minutes, first.grains) == ("Strategize B2B", 45, 3)
    assert first.required == ("Dan Li", "Amy Jones")
    assert first.preferred == ("Hugo Rye", "Jay Watt", "Dan Poe")
    assert fifty.assignment == {}  # an unsolved file


def test_initial_state_scores_as_the_file_shows(fifty: Any) -> None:
    # the file's Score view: -100init/-539hard (no room: capacity 0 for every meeting)
    initial = ms.score(fifty, {})
    recorded = ms.parse_score(fifty.recorded_score)
    assert (initial.init, initial.hard, initial.medium, initial.soft) == (
        recorded["init"],
        recorded["hard"],
        recorded["medium"],
        recorded["soft"],
    )
    assert (initial.unassigned, initial.hard) == (50, -539)


# ---- mapping -----------------------------------------------------------------------


def test_mapping_gives_a_valid_scenario(fifty: Any) -> None:
    scenario = ms.to_scenario(fifty)
    assert (scenario.horizon.start, scenario.horizon.end) == (date(2027, 1, 4), date(2027, 1, 8))
    assert str(scenario.host.hours) == "08:00-17:00"
    assert scenario.host.holidays == "none"
    assert (scenario.defaults.host_staff, scenario.defaults.room_buffer) == (0, 0)
    assert scenario.objective.optional_absent > 0
    assert scenario.objective.lateness_per_day == scenario.objective.stretch_per_15m == 0
    code = {p.name: p.code for p in fifty.persons}
    party = scenario.parties[code["Amy Cole"]]
    assert (party.timezone, party.desk_capacity, party.holidays) == ("Europe/Amsterdam", 1, False)
    assert str(party.working_hours) == "08:00-17:00"
    first = scenario.meetings[0]
    assert [p.country for p in first.required] == [code["Dan Li"], code["Amy Jones"]]
    assert [p.country for p in first.optional] == [code[n] for n in fifty.meetings[0].preferred]
    assert all(p.attendance == "in_person" and p.delegates == 1 for p in first.participants)
    assert first.duration == 45
    assert {m.priority for m in scenario.meetings} == {"critical"}
    # the last day has grains 08:00-11:45 only: every room is closed from 12:00
    for room in scenario.rooms:
        assert [(u.date, str(u.hours)) for u in room.unavailable] == [
            (date(2027, 1, 8), "12:00-17:00")
        ]


def test_weekdays_skip_the_weekend() -> None:
    days = ms.weekdays(date(2027, 1, 4), 9)
    assert days[4:6] == [date(2027, 1, 8), date(2027, 1, 11)]
    assert days[-1] == date(2027, 1, 14)


# ---- the benchmark's score on tiny hand-made plans -------------------------------------


def _tiny(*meetings: Any) -> Any:
    """Two days of 4 grains (0-3 and 4-7); rooms R1 (3 seats) and R2 (2 seats)."""
    day = ("08:00", "08:15", "08:30", "08:45")
    return ms.Dataset(
        name="tiny",
        days=(ms.Day("Mon", day), ms.Day("Tue", day)),
        rooms=(ms.Room("R 1", "R1", 3), ms.Room("R 2", "R2", 2)),
        persons=tuple(ms.Person(n, f"P{i}") for i, n in enumerate(["ann", "bob", "cat", "dan"])),
        meetings=tuple(meetings),
    )


def _meeting(
    id: str, grains: int, required: tuple[str, ...], preferred: tuple[str, ...] = ()
) -> Any:
    return ms.Meeting(id, id, 15 * grains, required, preferred)


def _levels(score: Any) -> tuple[int, int, int, int]:
    return (score.hard, score.medium, score.soft, score.unassigned)


def test_score_room_and_required_attendance_conflicts() -> None:
    dataset = _tiny(_meeting("M1", 2, ("ann",)), _meeting("M2", 2, ("ann",)))
    result = ms.score(dataset, {"M1": (0, "R1"), "M2": (1, "R1")})
    # M1 [0,2) and M2 [1,3) share grain 1, in one room, and ann is required in both:
    #   hard = -(room conflict 1 + required attendance conflict 1) = -2
    # soft = -(last grains 1 + 2 = 3, + overlapping meetings 10 x 1 = 10) = -13
    #   (no back-to-back pair: nothing starts at 2 or 3; R1 is the largest room;
    #   ann stays in R1)
    assert _levels(result) == (-2, 0, -13, 0)
    assert result.terms["Room conflict"] == 1
    assert result.terms["Required attendance conflict"] == 1


def test_score_capacity_shortfall_day_crossing_and_larger_rooms() -> None:
    dataset = _tiny(_meeting("M1", 2, ("ann", "bob", "cat"), ("dan",)))
    result = ms.score(dataset, {"M1": (3, "R2")})
    # 4 attendees in R2 (2 seats): capacity shortfall 2; [3,5) starts on day 0 and its
    # last grain 4 is on day 1: 1.  hard = -(2 + 1) = -3
    # soft = -(last grain 4 + larger rooms: R1 has 3 - 2 = 1 more seat) = -5
    assert _levels(result) == (-3, 0, -5, 0)
    assert result.terms["Required room capacity"] == 2
    assert result.terms["Start and end on same day"] == 1
    assert result.terms["Assign larger rooms first"] == 1


def test_score_medium_back_to_back_and_room_stability() -> None:
    dataset = _tiny(
        _meeting("M1", 2, ("ann",), ("bob",)),
        _meeting("M2", 2, ("bob",), ("cat",)),
        _meeting("M3", 1, ("dan",), ("cat",)),
    )
    result = ms.score(dataset, {"M1": (0, "R1"), "M2": (1, "R2"), "M3": (2, "R1")})
    # M1 [0,2) R1, M2 [1,3) R2, M3 [2,3) R1: no room conflict (M1 ends when M3
    # starts), nobody required twice, every room seats its 2, all on day 0: hard 0.
    # medium = -(bob required in M2, preferred in M1, overlap 1
    #            + cat preferred in M2 and M3, overlap 1) = -2
    # soft = -(last grains 1 + 2 + 2 = 5
    #          + 100 for M3 starting right after M1 ends
    #          + overlapping meetings 10 x (M1/M2 1 + M2/M3 1) = 20
    #          + larger rooms: M2 in R2, R1 has 1 more seat = 1
    #          + room stability: bob M1 (R1) then M2 (R2), M2 starts 1 - 2 = -1 <= 2
    #            grains after M1 ends: 1; cat M2 (R2) then M3 (R1), 2 - 3 = -1: 1 = 2)
    #      = -128
    assert _levels(result) == (0, -2, -128, 0)
    assert result.terms["Required and preferred attendance conflict"] == 1
    assert result.terms["Preferred attendance conflict"] == 1
    assert result.terms["One TimeGrain break between two consecutive meetings"] == 100
    assert result.terms["Room stability"] == 2


def test_score_room_stability_window_is_two_grains() -> None:
    dataset = _tiny(_meeting("M1", 1, ("ann",)), _meeting("M2", 1, ("ann",)))
    # M1 [0,1) R1; M2 starting at 3 is 3 - 1 = 2 grains after: counts; at 4 (3 after,
    # and the next day) it does not
    near = ms.score(dataset, {"M1": (0, "R1"), "M2": (3, "R2")})
    far = ms.score(dataset, {"M1": (0, "R1"), "M2": (4, "R2")})
    assert (near.terms["Room stability"], far.terms["Room stability"]) == (1, 0)
    # soft near = -(last grains 0 + 3 + larger rooms 1 + stability 1) = -5
    assert _levels(near) == (0, 0, -5, 0)


def test_score_overtime_and_unassigned() -> None:
    dataset = _tiny(_meeting("M1", 2, ("ann",)), _meeting("M2", 1, ("bob", "cat", "dan")))
    result = ms.score(dataset, {"M1": (7, "R1")})
    # M1 [7,9): its last grain 8 does not exist: overtime costs 8 (no day-crossing,
    # as there is no grain 8). M2 is unassigned: counted apart (init -2), and its 3
    # attendees have no room (capacity 0): 3.  hard = -(8 + 3) = -11; soft = -8
    assert _levels(result) == (-11, 0, -8, 1)
    assert result.init == -2
    assert str(result) == "-2init/-11hard/0medium/-8soft"


# ---- a short real solve --------------------------------------------------------------


def test_planner_plan_of_eight_meetings_scores_hard_zero(fifty: Any) -> None:
    dataset = fifty.subset(8)
    scenario = ms.to_scenario(dataset)
    result = solve(scenario, time_limit=10, workers=1, seed=0)
    assert result.has_plan
    assignment = ms.to_assignment(dataset, result)
    assert set(assignment) == {m.id for m in dataset.meetings}
    scored = ms.score(dataset, assignment)
    assert (scored.hard, scored.unassigned) == (0, 0)
    document = schedule_document(result, scenario.name, "0" * 64)
    assert check_schedule(scenario, document) == []


# ---- the lateness encoding ------------------------------------------------------------


def _four_meetings() -> Any:
    return _tiny(
        _meeting("M1", 2, ("ann",), ("bob",)),
        _meeting("M2", 2, ("bob",), ("cat",)),
        _meeting("M3", 1, ("dan",), ("cat",)),
        _meeting("M4", 3, ("ann", "cat")),
    )


def test_lateness_encoding_closes_rooms_after_each_day_and_prefers_the_first_date() -> None:
    dataset = _four_meetings()
    scenario = ms.to_scenario(dataset, encoding="lateness")
    monday, tuesday = date(2027, 1, 4), date(2027, 1, 5)
    assert (scenario.horizon.start, scenario.horizon.end) == (monday, tuesday)
    assert str(scenario.host.hours) == "08:00-18:00"
    assert {str(party.working_hours) for party in scenario.parties.values()} == {"08:00-18:00"}
    assert {party.desk_capacity for party in scenario.parties.values()} == {1}
    assert (scenario.objective.lateness_per_day, scenario.objective.optional_absent) == (1, 1000)
    assert {(m.priority, m.preferred) for m in scenario.meetings} == {("critical", monday)}
    # each tiny day has 4 grains, 08:00-08:45: every room is closed from 09:00, each day
    for room in scenario.rooms:
        assert [(u.date, str(u.hours)) for u in room.unavailable] == [
            (monday, "09:00-18:00"),
            (tuesday, "09:00-18:00"),
        ]
    # the bench encoding of the same data: 08:00-17:00, no preferred date, no lateness
    bench = ms.to_scenario(dataset)
    assert str(bench.host.hours) == "08:00-17:00"
    assert {m.preferred for m in bench.meetings} == {None}
    assert bench.objective.lateness_per_day == 0
    assert [str(u.hours) for u in bench.rooms[0].unavailable] == ["09:00-17:00", "09:00-17:00"]
    with pytest.raises(ValueError, match="unknown encoding"):
        ms.to_scenario(dataset, encoding="fast")


def test_lateness_plan_of_four_meetings_maps_back_with_hard_zero() -> None:
    dataset = _four_meetings()
    scenario = ms.to_scenario(dataset, encoding="lateness")
    result = solve(scenario, time_limit=10, workers=1, seed=0)
    # ann is required in M1 (2 grains) and M4 (3): 5 grains do not fit Monday's 4, so
    # one of them is on Tuesday (lateness 1). The rest fits Monday with everyone:
    # M1 [0,2) and M3 [0,1) in different rooms, M2 [2,4) after M1 (bob), cat in M3
    # then M2.  Optimum = lateness 1, nobody absent.
    assert result.status == "optimal"
    assert result.objective == 1
    assert result.terms is not None
    assert (result.terms["lateness"], result.terms["optional_absent"]) == (1, 0)
    assignment = ms.to_assignment(dataset, result)
    assert set(assignment) == {"M1", "M2", "M3", "M4"}
    assert sorted(grain >= 4 for grain, _ in assignment.values()) == [False, False, False, True]
    scored = ms.score(dataset, assignment)
    # nobody absent and desks of one: no two meetings of one person overlap
    assert (scored.hard, scored.medium, scored.unassigned) == (0, 0, 0)
    assert ms.check_plan(scenario, result) == []
    document = schedule_document(result, scenario.name, "0" * 64)
    assert check_schedule(scenario, document) == []


# ---- the replicated sets -------------------------------------------------------------


def test_replicated_sizes_are_multiples_of_200() -> None:
    assert [ms.replicated_copies(n) for n in ("400", "800", "1200")] == [2, 4, 6]
    assert [ms.replicated_copies(n) for n in ("200", "50", "300", "400meetings")] == [None] * 4


def test_replicating_a_plan_keeps_it_feasible() -> None:
    dataset = replace(
        _four_meetings(), assignment={"M1": (0, "R1"), "M2": (2, "R1"), "M3": (0, "R2")}
    )
    dataset = replace(dataset, meetings=dataset.meetings[:3])
    assert _levels(ms.score(dataset, dataset.assignment))[:2] == (0, 0)
    tripled = ms.replicate(dataset, 3)
    assert [m.id for m in tripled.meetings] == [f"M{i}" for i in range(1, 10)]
    assert [m.topic for m in tripled.meetings[2:5]] == ["M3", "M1 #2", "M2 #2"]
    assert (len(tripled.days), tripled.grain_count) == (6, 24)
    # copy c of the stored plan is c x 8 grains later, in the same rooms
    assert tripled.assignment["M4"] == (8, "R1")
    assert tripled.assignment["M9"] == (16, "R2")
    scored = ms.score(tripled, tripled.assignment)
    assert (scored.hard, scored.medium, scored.unassigned) == (0, 0, 0)
    # the copies share persons: placing copy 2 on copy 1's grains breaks hard rules
    clash = {**tripled.assignment, "M4": (0, "R2")}
    assert ms.score(tripled, clash).hard < 0


@pytest.fixture(scope="module")
def two_hundred() -> Any:
    pytest.importorskip("openpyxl")
    if not TWO_HUNDRED.exists():
        pytest.skip(f"benchmark data not found: {TWO_HUNDRED}")
    return ms.read_dataset(TWO_HUNDRED)


def test_replicated_400_set_is_two_copies_over_twice_the_days(two_hundred: Any) -> None:
    (built,) = ms.load_datasets(["400"])
    assert built == ms.replicate(two_hundred, 2)
    assert built.name == "400meetings-1280timegrains-5rooms-x2"
    assert len(built.meetings) == 400
    assert len({m.id for m in built.meetings}) == 400
    assert built.rooms == two_hundred.rooms
    assert built.persons == two_hundred.persons
    known = {p.name for p in built.persons}
    assert all(set(m.required) | set(m.preferred) <= known for m in built.meetings)
    # 18 days (17 of 36 grains and one of 28) twice over: 1280 grains
    assert [len(d.times) for d in built.days] == [len(d.times) for d in two_hundred.days] * 2
    assert built.grain_count == 1280
    assert (built.days[18].label, built.days[-1].label) == ("Wed 2022-01-19", "Sat 2022-02-05")
    for original, copy in zip(two_hundred.meetings, built.meetings[200:], strict=True):
        assert (copy.minutes, copy.required, copy.preferred) == (
            original.minutes,
            original.required,
            original.preferred,
        )
    # meetings per room-day as in the 200 set
    per_room_day = len(built.meetings) / (len(built.rooms) * len(built.days))
    assert per_room_day == len(two_hundred.meetings) / (5 * len(two_hundred.days))
    for encoding in ms.ENCODINGS:
        scenario = ms.to_scenario(built, encoding=encoding)
        assert len(scenario.meetings) == 400
        assert {p.code for p in built.persons} <= set(scenario.parties)
        first, copy = scenario.meetings[0], scenario.meetings[200]
        assert [p.country for p in copy.participants] == [p.country for p in first.participants]
        assert scenario.horizon.end == ms.weekdays(date(2027, 1, 4), 36)[-1]


# ---- reporting -----------------------------------------------------------------------


def test_spread_gives_the_median_and_the_worst() -> None:
    assert ms.spread([-7]) == "-7"
    assert ms.spread([-3, -10, -4]) == "-4 (worst -10)"
    assert ms.spread([-3, -4]) == "-3.5 (worst -4)"
    assert ms.spread([0, 5, 1], worst=max) == "1 (worst 5)"


# ---- the plain CP-SAT baseline -------------------------------------------------------


def test_baseline_plan_of_four_meetings_has_hard_zero() -> None:
    baseline = _load_bench("peer_baseline")
    dataset = _four_meetings()
    outcome = baseline.solve_baseline(dataset, time_limit=5, workers=1)
    assert outcome.status == "OPTIMAL"
    assert (outcome.score.hard, outcome.score.unassigned) == (0, 0)
    # the same optimum as planner's: everyone attends, M1 or M4 on the second day
    assert (outcome.missed_preferred, outcome.score.medium) == (0, 0)
