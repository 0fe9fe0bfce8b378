"""``planner solve`` and ``planner check`` as a user runs them: exit codes, files, JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from solving import scenario_text

from planner import cli
from planner.cli import planning
from planner.models.schedule import Result

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "tests" / "data" / "spec_example.yaml"

UNSCHEDULABLE = scenario_text(
    """
rooms: [{id: P1, capacity: 40, features: [videoconference]}]
cases: [{id: C1, crime: fraud, countries: [GE, US]}]
meetings:
  - {id: M1, case: C1, duration: 1h,
     participants: [{country: GE, attendance: video}, {country: US, attendance: video}]}
  - {id: M2, case: C1, duration: 1h, participants: [{country: US, attendance: video}]}
"""
)
INFEASIBLE = UNSCHEDULABLE.replace("duration: 1h,\n", "duration: 1h, priority: critical,\n", 1)


def run(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(cli.main, list(args))
    return outcome.exit_code, outcome.output


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_solve_writes_a_plan_that_check_accepts(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    code, output = run("solve", str(EXAMPLE), "-o", str(plan), "--workers", "1")
    assert code == 0, output
    document = json.loads(plan.read_text())
    assert document["schema"] == "planner.schedule/1"
    assert document["status"] == "optimal"
    assert document["objective"] == sum(document["terms"].values())
    assert "CM-0412-1" in output and "15:00-17:00" in output  # the pinned meeting
    code, output = run("check", str(EXAMPLE), str(plan))
    assert code == 0, output


def test_unscheduled_meeting_exits_3_and_names_both_countries(tmp_path: Path) -> None:
    scenario = write(tmp_path, UNSCHEDULABLE)
    plan = tmp_path / "plan.json"
    code, _ = run("solve", scenario, "-o", str(plan))
    assert code == 3
    entry = json.loads(plan.read_text())["unscheduled"][0]
    assert entry["id"] == "M1" and entry["rule"] == "working_hours"
    assert "GE" in entry["reasons"][0] and "US" in entry["reasons"][0]
    assert run("check", scenario, str(plan))[0] == 0


def test_infeasible_exits_4_and_still_writes_the_file(tmp_path: Path) -> None:
    scenario = write(tmp_path, INFEASIBLE)
    plan = tmp_path / "plan.json"
    code, _ = run("solve", scenario, "-o", str(plan))
    assert code == 4
    document = json.loads(plan.read_text())
    assert document["status"] == "infeasible" and document["meetings"] == []
    assert document["infeasible"][0]["activities"] == ["M1"]
    assert document["infeasible"][0]["rule"] == "working_hours"


def test_invalid_scenario_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    scenario = write(tmp_path, UNSCHEDULABLE.replace("country: GE", "country: UK"))
    plan = tmp_path / "plan.json"
    code, output = run("solve", scenario, "-o", str(plan))
    assert code == 2
    assert "did you mean GB" in output
    assert not plan.exists()


def test_unsupported_output_format_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("solve", str(EXAMPLE), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 2 and ".json" in output


def test_no_plan_in_time_exits_5_and_keeps_the_published_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("published")

    def nothing_found(*args: object, **kwargs: object) -> Result:
        return Result(status="unknown", objective=None, bound=None, terms=None, solve_seconds=1)

    monkeypatch.setattr(planning, "run_solve", nothing_found)
    code, output = run("solve", str(EXAMPLE), "-o", str(plan))
    assert code == 5 and "no plan found" in output
    assert plan.read_text() == "published"


def test_json_output_is_the_schedule(tmp_path: Path) -> None:
    code, output = run("solve", str(EXAMPLE), "--json", "--workers", "1")
    assert code == 0
    document = json.loads(output)
    assert {m["id"] for m in document["meetings"]} == {"CM-0388-1", "CM-0412-1"}
    assert document["action_days"][0]["room"] == "CC1"


def test_same_seed_and_one_worker_give_the_same_bytes(tmp_path: Path) -> None:
    texts = []
    for name in ("a.json", "b.json"):
        path = tmp_path / name
        code, _ = run(
            "solve", "scenarios/week.yaml", "-o", str(path), "--workers", "1", "--seed", "3"
        )
        assert code in (0, 3)
        document = json.loads(path.read_text())
        document.pop("solve_seconds")
        texts.append(json.dumps(document, sort_keys=True))
    assert texts[0] == texts[1]


def test_check_lists_a_violation_and_exits_nonzero(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert run("solve", str(EXAMPLE), "-o", str(plan), "--workers", "1")[0] == 0
    document = json.loads(plan.read_text())
    document["meetings"][0]["room"] = "CC1"  # a centre room without booths for es
    plan.write_text(json.dumps(document))
    code, output = run("check", str(EXAMPLE), str(plan), "--json")
    assert code == 3
    rules = {v["rule"] for v in json.loads(output)["violations"]}
    assert "room_feature" in rules


def test_check_refuses_a_plan_of_another_version_of_the_scenario_file(tmp_path: Path) -> None:
    # The plan names its scenario file by its sha256: once the file is edited (here only
    # a comment added, which changes no rule) the plan is of another file, and check says
    # so (exit 3) rather than passing a plan that no one made for this file.
    scenario = write(tmp_path, EXAMPLE.read_text())
    plan = tmp_path / "plan.json"
    assert run("solve", scenario, "-o", str(plan), "--workers", "1")[0] == 0
    assert run("check", scenario, str(plan))[0] == 0
    write(tmp_path, EXAMPLE.read_text() + "# edited after the plan was made\n")
    code, output = run("check", scenario, str(plan), "--json")
    assert code == 3, output
    assert [(v["rule"], v["activity"], v["detail"]) for v in json.loads(output)["violations"]] == [
        ("schedule", "", "scenario.sha256 is not that of the scenario file")
    ]


def test_check_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    plan = write(tmp_path, "{not json", "plan.json")
    code, output = run("check", str(EXAMPLE), plan)
    assert code == 2 and "plan.json" in output


@pytest.mark.slow
def test_real_subprocess_solves_and_checks_the_week(tmp_path: Path) -> None:
    plan = tmp_path / "week.json"
    solved = subprocess.run(
        [sys.executable, "-m", "planner", "solve", "scenarios/week.yaml", "-o", str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert solved.returncode in (0, 3), solved.stderr
    assert "Traceback" not in solved.stderr
    assert json.loads(plan.read_text())["status"] == "optimal"
    checked = subprocess.run(
        [sys.executable, "-m", "planner", "check", "scenarios/week.yaml", str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout


def crowded_week(path: Path) -> None:
    """Sixty long meetings for three rooms and a handful of desks: the search keeps
    improving for far longer than a test waits."""
    countries = ["NL", "DE", "FR", "BE", "ES", "IT", "PL", "AT"]
    meetings = []
    for i in range(60):
        people = [countries[i % 8], countries[(i * 3 + 1) % 8]]
        people = list(dict.fromkeys(people))
        duration = ["2h", "3h", "4h"][i % 3]
        priority = ["high", "normal", "low"][i % 3]
        listed = ", ".join(f"{{country: {code}}}" for code in people)
        meetings.append(
            f"  - {{id: M{i}, case: C1, duration: {duration}, priority: {priority}, "
            f"preferred: 2026-11-30, participants: [{listed}]}}"
        )
    path.write_text(
        scenario_text(
            "rooms: [{id: R1, capacity: 30}, {id: R2, capacity: 30}, {id: R3, capacity: 30}]\n"
            f"cases: [{{id: C1, crime: fraud, countries: [{', '.join(countries)}]}}]\n"
            "meetings:\n" + "\n".join(meetings)
        )
    )


def wait_for_first_plan(process: subprocess.Popen[str]) -> None:
    """Read the search log on stderr until CP-SAT reports its first solution (``#1``)."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("#1 "):
            return
    raise AssertionError("the search ended before its first plan")


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_search_and_keeps_the_best_plan(tmp_path: Path, signal_name: str) -> None:
    scenario, plan = tmp_path / "crowded.yaml", tmp_path / "plan.json"
    crowded_week(scenario)
    command = ["solve", str(scenario), "-o", str(plan), "--time-limit", "600", "--workers", "1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", *command, "--log"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_first_plan(process)
    process.send_signal(getattr(signal, signal_name))
    _, errors = process.communicate(timeout=120)
    assert process.returncode in (0, 3), errors
    document = json.loads(plan.read_text())
    # a time limit of 600 s and no proof: only the signal can have ended the search
    assert document["status"] == "feasible"
    assert "interrupted" in errors and "Traceback" not in errors
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crowded.yaml", "plan.json"]


def test_a_signal_after_the_search_still_writes_the_whole_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The signal arrives while the plan is being handed over: it is noted, and the plan
    # that exists is written whole, never cut.
    plan = tmp_path / "plan.json"
    solve = planning.run_solve

    def solve_then_signal(*args: object, **kwargs: object) -> Result:
        result = solve(*args, **kwargs)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGTERM)
        return result

    monkeypatch.setattr(planning, "run_solve", solve_then_signal)
    code, output = run("solve", str(EXAMPLE), "-o", str(plan), "--workers", "1")
    assert code == 0, output
    assert json.loads(plan.read_text())["status"] == "optimal"
    assert "interrupted" in output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json"]
