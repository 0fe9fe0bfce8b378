"""Re-planning against a published plan: moves, frozen activities, the changes account,
and ``planner replan`` as a nightly job runs it. Every plan ends with the independent
checker, and every comparison with its independent check against the baseline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solving import make_scenario, scenario_text

from planner.check import accepted_conflicts, check_against_baseline, check_schedule
from planner.cli import main
from planner.generate import generate_scenario
from planner.loading import load_baseline
from planner.models import Scenario
from planner.models.schedule import Result
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import replan, solve
from planner.solver.construct import construct, construct_from_baseline
from planner.solver.model import build_context
from planner.solver.plan import evaluate

ROOT = Path(__file__).parent.parent


def publish(scenario: Scenario, folder: Path, name: str = "published.json") -> Path:
    """Solve a scenario and write its plan, as a nightly job publishes it."""
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert result.has_plan
    path = folder / name
    path.write_text(dumps(schedule_document(result, scenario.name, "0" * 64)))
    return path


def checked(scenario: Scenario, result: Result, baseline: Path) -> dict[str, Any]:
    """The plan's document, after the checker and the check against the baseline."""
    document = schedule_document(result, scenario.name, "0" * 64)
    published = json.loads(baseline.read_text())
    found = check_schedule(scenario, document)
    found += check_against_baseline(scenario, document, published, baseline.read_bytes())
    standing, _ = accepted_conflicts(document, found)
    assert standing == [], standing
    return document


def placed(result: Result, activity: str) -> Any:
    return next(p for p in [*result.meetings, *result.action_days] if p.id == activity)


# ---- an unchanged scenario ----------------------------------------------------------------


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(1, 50), hours=st.integers(0, 5 * 24))
def test_replanning_an_unchanged_week_moves_nothing(tmp_path: Path, seed: int, hours: int) -> None:
    # The published plan is optimal, so any move could only cost more: nothing moves,
    # nothing is dropped, the moves term is 0; what started before now is frozen as it
    # was, and every baseline activity is accounted for (the independent check).
    scenario = Scenario.model_validate(generate_scenario(year=2027, seed=seed, weeks=1))
    baseline_path = publish(scenario, tmp_path)
    baseline = load_baseline(baseline_path)
    assume_optimal = baseline.status == "optimal"
    now = datetime.fromisoformat(f"{scenario.horizon.start}T00:00") + timedelta(hours=hours)
    result = replan(scenario, baseline, now=now, time_limit=20, workers=1, seed=0)
    document = checked(scenario, result, baseline_path)
    changes = document["changes"]
    assert changes["dropped"] == [] and changes["cancelled"] == []
    if assume_optimal:
        assert changes["moved"] == [] and document["terms"]["moves"] == 0
        assert result.objective == baseline.objective
    published = {m.id: m for m in baseline.meetings}
    for activity in changes["frozen"]:
        if activity in published:
            assert placed(result, activity).start == published[activity].start


# ---- placement first: a change never drops a published activity that still fits ------


def _changed(data: dict[str, Any], published: dict[str, Any], kind: str, pick: int) -> Scenario:
    """The scenario data with one change of ``kind`` to the ``pick``-th published meeting
    (taken modulo their number): cancelled, copied as a new meeting, its room closed on
    its date, or one of its interpreters (or any) gone."""
    data = json.loads(json.dumps(data))
    meetings = published["meetings"]
    target = meetings[pick % len(meetings)]
    if kind == "cancel":
        data["meetings"] = [m for m in data["meetings"] if m["id"] != target["id"]]
        for other in data["meetings"]:
            other["after"] = [a for a in other.get("after", []) if a["meeting"] != target["id"]]
        for action_day in data.get("action_days", []):
            action_day["prepared_by"] = [
                p for p in action_day.get("prepared_by", []) if p["meeting"] != target["id"]
            ]
    elif kind == "add":
        entry = next(m for m in data["meetings"] if m["id"] == target["id"])
        data["meetings"].append({**entry, "id": f"{entry['id']}-X", "after": []})
    elif kind == "room closed":
        room = next(r for r in data["rooms"] if r["id"] == target["room"])
        room.setdefault("unavailable", []).append(target["start"][:10])
    else:
        working = [n for m in meetings for team in m["interpreters"].values() for n in team]
        gone = working[pick % len(working)] if working else data["interpreters"][0]["id"]
        data["interpreters"] = [i for i in data["interpreters"] if i["id"] != gone]
    return Scenario.model_validate(data)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(1, 40),
    kind=st.sampled_from(["cancel", "add", "room closed", "interpreter gone"]),
    pick=st.integers(0, 100),
)
def test_a_change_never_drops_a_published_activity_that_still_fits(
    tmp_path: Path, seed: int, kind: str, pick: int
) -> None:
    # Placement comes first (SPEC 2.3): a published activity left out after a change is
    # one that fits nowhere as the new plan stands. The checker tries each one left out
    # against the plan (a "placement" violation if it fits), and the changes account
    # lists each dropped one with its reason.
    data = generate_scenario(year=2027, seed=seed, weeks=1)
    scenario = Scenario.model_validate(data)
    baseline_path = publish(scenario, tmp_path)
    changed = _changed(data, json.loads(baseline_path.read_text()), kind, pick)
    now = datetime.fromisoformat(f"{scenario.horizon.start}T00:00")
    result = replan(changed, load_baseline(baseline_path), now=now, time_limit=20, workers=1)
    document = checked(changed, result, baseline_path)
    left_out = {u["id"] for u in document["unscheduled"]}
    dropped = {d["id"] for d in document["changes"]["dropped"]}
    assert dropped <= left_out
    assert all(d["reasons"] for d in document["changes"]["dropped"])


# ---- each kind of change ------------------------------------------------------------------

# M1 is held on Tue 1 Dec only; M2 prefers Mon 30 Nov (later days cost lateness) and
# must be held by Wed 2 Dec: in the published (optimal) plan they never meet.
WEEK = """
rooms:
  - {id: P1, capacity: 30, features: [videoconference, interpretation_booths]}
  - {id: P2, capacity: 30, features: [videoconference, interpretation_booths]}
interpreters:
  - {id: anna, languages: [de, en]}
  - {id: karl, languages: [de, en]}
  - {id: lena, languages: [de, en]}
meetings:
  - {id: M1, case: C1, duration: 2h, pinned: {room: P1}, earliest: 2026-12-01,
     latest: 2026-12-01, participants: [{country: NL}, {country: DE, language: de}]}
  - {id: M2, case: C1, duration: 1h, latest: 2026-12-02, preferred: 2026-11-30,
     participants: [{country: NL}, {country: BE}]}
"""


def _week(extra: str = "") -> Scenario:
    return make_scenario(WEEK.replace("pinned: {room: P1}, ", "") + extra)


def _replan_after(tmp_path: Path, changed: Scenario) -> tuple[Result, dict[str, Any]]:
    before = _week()
    baseline_path = publish(before, tmp_path)
    result = solve(changed, baseline=load_baseline(baseline_path), time_limit=20, workers=1, seed=0)
    return result, checked(changed, result, baseline_path)


def test_a_closed_room_moves_a_meeting_to_another_room_only(tmp_path: Path) -> None:
    # Whichever room M1 had in the published plan is closed on its date now: the
    # cheapest change is the other room at the same time (room 5), not another date (50)
    # or time (10).
    baseline_path = publish(_week(), tmp_path)
    m1 = next(m for m in load_baseline(baseline_path).meetings if m.id == "M1")
    room, day = m1.room, m1.start.date().isoformat()
    changed = make_scenario(
        WEEK.replace("pinned: {room: P1}, ", "").replace(
            f"{{id: {room}, capacity: 30, features: [videoconference, interpretation_booths]}}",
            f"{{id: {room}, capacity: 30, features: [videoconference, interpretation_booths], "
            f"unavailable: [{day}]}}",
        )
    )
    result = solve(changed, baseline=load_baseline(baseline_path), time_limit=20, workers=1, seed=0)
    document = checked(changed, result, baseline_path)
    assert [(m["id"], m["fields"]) for m in document["changes"]["moved"]] == [("M1", ["room"])]
    assert document["terms"]["moves"] == 5


def test_an_unavailable_country_moves_its_meeting_by_the_least(tmp_path: Path) -> None:
    # BE is away on Mon 30 Nov, M2's date: it moves to another date (50 and a day of
    # lateness), nothing else moves.
    changed = _week("countries: [{code: BE, unavailable: [2026-11-30]}]\n")
    result, document = _replan_after(tmp_path, changed)
    (moved,) = document["changes"]["moved"]
    assert moved["id"] == "M2" and "date" in moved["fields"]
    assert placed(result, "M2").start.date().isoformat() != "2026-11-30"


def test_a_longer_meeting_that_still_fits_stays(tmp_path: Path) -> None:
    # M2 grows from 1 h to 3 h; the day has room for it where it is: nothing moves.
    changed = make_scenario(
        WEEK.replace("pinned: {room: P1}, ", "").replace(
            "{id: M2, case: C1, duration: 1h", "{id: M2, case: C1, duration: 3h"
        )
    )
    _, document = _replan_after(tmp_path, changed)
    assert document["changes"]["moved"] == [] and document["terms"]["moves"] == 0


def test_a_cancelled_and_an_added_meeting_are_accounted_for(tmp_path: Path) -> None:
    changed = make_scenario(
        WEEK.replace("pinned: {room: P1}, ", "").split("  - {id: M2")[0]
        + "  - {id: M3, case: C1, duration: 1h, participants: [{country: NL}, {country: FR}]}\n"
    )
    _, document = _replan_after(tmp_path, changed)
    assert document["changes"]["cancelled"] == ["M2"]
    assert document["changes"]["new"] == ["M3"]


# X (fr) and Y (mt) are pinned at the same hour. Only anna speaks mt; anna and zoe both
# speak fr. Plain first-fit takes X first and gives it anna (equally versatile, first by
# name), and Y then has no mt interpreter: it is left out. The published plan has X with
# zoe and Y with anna.
INTERPRETED = """
rooms: [{id: P1, capacity: 30, features: [interpretation_booths]},
        {id: P2, capacity: 30, features: [interpretation_booths]}]
interpreters:
  - {id: anna, languages: [fr, mt, en]}
  - {id: zoe, languages: [fr, de, en]}
meetings:
  - {id: X, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00},
     participants: [{country: NL}, {country: FR, language: fr}]}
  - {id: Y, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00},
     participants: [{country: BE}, {country: MT, language: mt}]}
"""


def test_a_replan_starts_from_the_published_plan_where_it_still_holds(tmp_path: Path) -> None:
    scenario = make_scenario(INTERPRETED)
    baseline_path = publish(scenario, tmp_path)
    baseline = load_baseline(baseline_path)
    teams = {m.id: m.interpreters for m in baseline.meetings}
    assert teams == {"X": {"fr": ["zoe"]}, "Y": {"mt": ["anna"]}}
    context = build_context(scenario, baseline=baseline)
    assert set(construct(context)) == {"X"}  # plain first-fit: Y left out (see above)
    kept = construct_from_baseline(context)
    assert set(kept) == {"X", "Y"} and evaluate(context, kept)["moves"] == 0
    # and the re-plan holds every published activity where it was
    result = replan(scenario, baseline, now=datetime(2026, 11, 1), time_limit=20, workers=1)
    document = checked(scenario, result, baseline_path)
    assert document["changes"]["moved"] == [] and document["terms"]["moves"] == 0


def test_a_gone_interpreter_is_replaced_without_a_move(tmp_path: Path) -> None:
    # M1 (2 h, above solo_max) needs a team of two de-en interpreters out of three; one
    # of its team leaves the pool: the third takes over at the same time, which is not a
    # move (moves count date, time and room).
    baseline_path = publish(_week(), tmp_path)
    working = next(m for m in load_baseline(baseline_path).meetings if m.id == "M1")
    name = working.interpreters["de"][0]
    changed = make_scenario(
        WEEK.replace("pinned: {room: P1}, ", "").replace(
            f"  - {{id: {name}, languages: [de, en]}}\n", ""
        )
    )
    result = solve(changed, baseline=load_baseline(baseline_path), time_limit=20, workers=1, seed=0)
    document = checked(changed, result, baseline_path)
    assert document["changes"]["moved"] == []
    assert name not in placed(result, "M1").interpreters["de"]


def test_a_frozen_meeting_stays_even_where_the_scenario_now_forbids_it(tmp_path: Path) -> None:
    # M2 (Mon) started before now; BE and DE are now away all week. M2 is kept exactly and
    # listed under conflicts (unavailable); M1 (Tue, not started, DE required) cannot be
    # held any more: it is dropped, with its reason.
    baseline_path = publish(_week(), tmp_path)
    baseline = load_baseline(baseline_path)
    m2 = next(m for m in baseline.meetings if m.id == "M2")
    away = "[2026-11-30, 2026-12-01, 2026-12-02, 2026-12-03, 2026-12-04]"
    changed = _week(
        f"countries: [{{code: BE, unavailable: {away}}}, {{code: DE, unavailable: {away}}}]\n"
    )
    result = replan(
        changed, baseline, now=m2.start + timedelta(minutes=1), time_limit=20, workers=1, seed=0
    )
    document = checked(changed, result, baseline_path)
    changes = document["changes"]
    assert changes["frozen"] == ["M2"]
    assert placed(result, "M2").start == m2.start
    assert [(c["id"], c["rule"]) for c in changes["conflicts"]] == [("M2", "unavailable")]
    assert [d["id"] for d in changes["dropped"]] == ["M1"]


def test_a_frozen_meeting_whose_interpreter_is_gone_is_kept_as_written(tmp_path: Path) -> None:
    # M1 (Tue, 2 h: a team of two de-en interpreters) started before now; one of its team
    # has left the pool, so its placement cannot be modelled any more: it is kept as the
    # published plan wrote it (same start, room and interpreters), never left out or
    # moved, and the gone interpreter is a conflict of the frozen meeting, not a fault.
    # M1 now prefers Mon 30 Nov: held on Tue it costs one day of lateness, which the
    # plan's objective counts as the checker does (checked() recomputes every term).
    baseline_path = publish(_week(), tmp_path)
    baseline = load_baseline(baseline_path)
    m1 = next(m for m in baseline.meetings if m.id == "M1")
    gone = m1.interpreters["de"][0]
    week = _week()
    changed = week.model_copy(
        update={
            "interpreters": [i for i in week.interpreters if i.id != gone],
            "meetings": [
                m.model_copy(update={"preferred": date(2026, 11, 30)}) if m.id == "M1" else m
                for m in week.meetings
            ],
        }
    )
    result = replan(
        changed, baseline, now=m1.start + timedelta(minutes=1), time_limit=20, workers=1, seed=0
    )
    document = checked(changed, result, baseline_path)
    kept = placed(result, "M1")
    assert (kept.start, kept.room, kept.interpreters) == (m1.start, m1.room, m1.interpreters)
    assert "M1" in document["changes"]["frozen"] and result.unscheduled == []
    assert "M1" in [c["id"] for c in document["changes"]["conflicts"]]
    assert result.terms is not None
    assert result.terms["lateness"] == changed.objective.lateness_per_day


# ---- the command ---------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(main, list(args))
    return outcome.exit_code, outcome.output


def _files(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    scenario = tmp_path / "week.yaml"
    scenario.write_text(scenario_text(WEEK.replace("pinned: {room: P1}, ", "")))
    published = tmp_path / "published.json"
    code, output = _cli("solve", str(scenario), "-o", str(published), "--workers", "1")
    assert code == 0, output
    if extra:
        scenario.write_text(scenario_text(WEEK.replace("pinned: {room: P1}, ", "") + extra))
    return scenario, published


def test_replan_replaces_the_published_plan_and_check_accepts_it(tmp_path: Path) -> None:
    scenario, published = _files(tmp_path, "countries: [{code: BE, unavailable: [2026-11-30]}]\n")
    before = published.read_text()
    code, output = _cli(
        "replan",
        str(scenario),
        "--baseline",
        str(published),
        "--now",
        "2026-11-30T00:00",
        "-o",
        str(published),
        "--workers",
        "1",
    )
    assert code == 0, output
    assert published.read_text() != before
    assert "another version of the scenario" in output  # the scenario file changed
    (tmp_path / "before.json").write_text(before)
    code, output = _cli(
        "check", str(scenario), str(published), "--baseline", str(tmp_path / "before.json")
    )
    assert code == 0, output


def test_max_moves_writes_nothing_and_exits_6(tmp_path: Path) -> None:
    scenario, published = _files(tmp_path, "countries: [{code: BE, unavailable: [2026-11-30]}]\n")
    before = published.read_text()
    code, output = _cli(
        "replan",
        str(scenario),
        "--baseline",
        str(published),
        "--now",
        "2026-11-30T00:00",
        "--max-moves",
        "0",
        "-o",
        str(published),
        "--json",
    )
    assert code == 6
    report = json.loads(output)
    assert [m["id"] for m in report["changes"]["moved"]] == ["M2"]
    assert published.read_text() == before


def test_a_dropped_baseline_activity_exits_6(tmp_path: Path) -> None:
    # BE away all week: M2 cannot be held any more.
    away = ", ".join(f"2026-1{d}" for d in ("1-30", "2-01", "2-02", "2-03", "2-04"))
    scenario, published = _files(tmp_path, f"countries: [{{code: BE, unavailable: [{away}]}}]\n")
    new = tmp_path / "new.json"
    code, output = _cli(
        "replan",
        str(scenario),
        "--baseline",
        str(published),
        "--now",
        "2026-11-30T00:00",
        "-o",
        str(new),
        "--json",
    )
    assert code == 6, output
    (dropped,) = json.loads(new.read_text())["changes"]["dropped"]
    assert dropped["id"] == "M2" and dropped["rule"] == "unavailable" and dropped["reasons"]


def test_an_infeasible_replan_leaves_the_published_plan_as_it_was(tmp_path: Path) -> None:
    # M1 can only be held on Tue 1 Dec; now it is critical and DE is away that day: no
    # plan can hold it, so the scenario is infeasible (exit 4). A plan that holds nothing
    # never replaces the published one; the report says why.
    scenario, published = _files(tmp_path)
    before = published.read_text()
    changed = WEEK.replace("pinned: {room: P1}, ", "priority: critical, ")
    changed += "countries: [{code: DE, unavailable: [2026-12-01]}]\n"
    scenario.write_text(scenario_text(changed))
    arguments = ["--baseline", str(published), "--now", "2026-11-30T00:00", "-o", str(published)]
    code, output = _cli("replan", str(scenario), *arguments, "--json")
    assert code == 4, output
    assert published.read_text() == before
    report = json.loads(output)
    assert report["status"] == "infeasible" and report["meetings"] == []
    assert [entry["activities"] for entry in report["infeasible"]] == [["M1"]]
    code, output = _cli("replan", str(scenario), *arguments)
    assert code == 4 and "the published plan is left as it was" in output
    assert published.read_text() == before


@pytest.mark.parametrize(
    "content",
    ['{"schema": "planner.scenario/1"}', "[1, 2]", '{"schema": "planner.schedule/1", "status": 1}'],
)
def test_a_baseline_that_is_not_a_plan_is_refused(tmp_path: Path, content: str) -> None:
    scenario, _ = _files(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, output = _cli("replan", str(scenario), "--baseline", str(bad))
    assert code == 2 and "bad.json" in output


def test_check_finds_a_hidden_move_and_a_wrong_moves_term(tmp_path: Path) -> None:
    scenario, published = _files(tmp_path, "countries: [{code: BE, unavailable: [2026-11-30]}]\n")
    new = tmp_path / "new.json"
    _cli("solve", str(scenario), "--baseline", str(published), "-o", str(new), "--workers", "1")
    document = json.loads(new.read_text())
    assert document["changes"]["moved"]
    document["changes"]["moved"] = []
    document["terms"]["moves"] = 0
    new.write_text(json.dumps(document))
    code, output = _cli("check", str(scenario), str(new), "--baseline", str(published), "--json")
    assert code == 3
    violations = json.loads(output)["violations"]
    assert {v["rule"] for v in violations} >= {"schedule", "objective"}


@pytest.mark.slow
def test_sigterm_in_the_middle_of_a_replan_leaves_the_published_file(tmp_path: Path) -> None:
    # A scenario that keeps the search busy; the signal comes after its first plan.
    year = tmp_path / "year.yaml"
    generated = subprocess.run(
        [sys.executable, "-m", "planner", "generate", "--weeks", "12", "-o", str(year)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stderr
    published = tmp_path / "published.json"
    solved = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            str(year),
            "-o",
            str(published),
            "--time-limit",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert solved.returncode in (0, 3), solved.stderr
    before = published.read_bytes()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner",
            "replan",
            str(year),
            "--baseline",
            str(published),
            "--now",
            "2027-01-04T00:00",
            "-o",
            str(published),
            "--time-limit",
            "600",
            "--progress",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("solving:") and "best none" not in line:
            break
    os.kill(process.pid, signal.SIGTERM)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 143, errors
    assert published.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published.json", "year.yaml"]
