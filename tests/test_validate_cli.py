"""``planner validate``: exit 0 on a good file, exit 2 with every problem on a bad one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
BROKEN = Path(__file__).parent / "data" / "broken.yaml"
BROKEN_COUNT = 14  # problems in tests/data/broken.yaml (see test_loading.py)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_there_are_scenarios() -> None:
    assert ROOT / "scenarios" / "week.yaml" in SCENARIOS
    assert len(SCENARIOS) >= 4


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_validate_accepts_every_scenario(path: Path) -> None:
    code, output = _run("validate", str(path))
    assert code == 0, output
    assert "valid" in output and "problem" not in output


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_validate_json_summary(path: Path) -> None:
    code, output = _run("validate", "--json", str(path))
    assert code == 0
    summary = json.loads(output)
    assert summary["valid"] is True
    assert summary["problems"] == []
    assert summary["file"] == str(path)
    assert summary["meetings"] >= 1
    assert isinstance(summary["rooms"], int) and summary["rooms"] >= 1


def test_validate_week_counts() -> None:
    code, output = _run("validate", "--json", str(ROOT / "scenarios" / "week.yaml"))
    assert code == 0
    summary = json.loads(output)
    assert summary["name"] == "Week 49 (30 Nov - 4 Dec 2026)"
    assert (summary["meetings"], summary["action_days"], summary["rooms"]) == (18, 2, 5)


def test_validate_lists_every_problem_and_exits_2() -> None:
    code, output = _run("validate", str(BROKEN))
    assert code == 2
    assert f"{BROKEN_COUNT} problems" in output
    assert "cases[0].countries[1] (line 15): unknown country or organisation code 'UK'" in output
    assert "did you mean GB?" in output
    assert "meetings[0].case (line 21)" in output
    assert "meetings[0].duration (line 22)" in output
    assert "granularty (line 4): unknown key 'granularty'; did you mean granularity?" in output
    assert "Traceback" not in output


def test_validate_json_lists_every_problem() -> None:
    code, output = _run("validate", "--json", str(BROKEN))
    assert code == 2
    report = json.loads(output)
    assert report["valid"] is False
    assert report["file"] == str(BROKEN)
    errors = report["problems"]
    assert len(errors) == BROKEN_COUNT
    assert all(set(error) == {"path", "line", "message"} for error in errors)
    assert all(isinstance(error["line"], int) for error in errors)
    assert errors[0] == {
        "path": "granularty",
        "line": 4,
        "message": "unknown key 'granularty'; did you mean granularity?",
    }
    by_path = {error["path"]: error for error in errors}
    assert by_path["meetings[3].after"]["message"].startswith("meetings wait for each other")
    assert by_path["action_days[0].prepared_by[0].meeting"]["line"] == 60


def test_validate_yaml_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: planner.scenario/1\nrooms:\n  - id: P1\n   capacity: 3\n")
    code, output = _run("validate", "--json", str(bad))
    assert code == 2
    (error,) = json.loads(output)["problems"]
    assert error["path"] == "" and error["line"] == 4
    assert error["message"].startswith("YAML syntax error")


def test_validate_missing_file(tmp_path: Path) -> None:
    code, output = _run("validate", str(tmp_path / "nowhere.yaml"))
    assert code == 2
    assert "cannot read" in output
    assert "Traceback" not in output


def test_validate_needs_a_file() -> None:
    code, _ = _run("validate")
    assert code == 2  # click's usage error


def _subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_validate_as_a_real_process() -> None:
    # One real run through ``python -m planner`` (slow: a fresh interpreter).
    bad = _subprocess("validate", "--json", str(BROKEN.relative_to(ROOT)))
    assert bad.returncode == 2, bad.stderr
    report = json.loads(bad.stdout)
    assert report["valid"] is False
    assert len(report["problems"]) == BROKEN_COUNT
    assert "Traceback" not in bad.stdout + bad.stderr
