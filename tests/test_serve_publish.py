"""Publishing from the page (SPEC 2.7.3 v1.2): the file the nightly re-plan reads, checked
by ``planner check`` as a user would run it, and what the nightly job changed since."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from planner.loading import read_scenario_file
from planner.output.schedule_json import dumps, schedule_document
from planner.serve import ScenarioIdentity, Session, Settings, State, create_app
from planner.solve import solve

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
TOKEN = "publish-token"
PORT = 8766


@pytest.fixture(scope="module")
def week_plan() -> dict[str, object]:
    scenario, _ = read_scenario_file(WEEK)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document: dict[str, object] = json.loads(dumps(schedule_document(result, scenario.name, "")))
    return document


@pytest.fixture
def session(tmp_path: Path, week_plan: dict[str, object]) -> Iterator[Session]:
    scenario, raw = read_scenario_file(WEEK)
    digest = hashlib.sha256(raw).hexdigest()
    state = State.open(tmp_path / "week.planner.db", ScenarioIdentity(str(WEEK), "", digest))
    settings = Settings(publish_path=tmp_path / "published.json", scenario_digest=digest)
    opened = Session(scenario, state, settings)
    opened.add_file_plan("v1", week_plan)
    yield opened
    opened.close()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    with TestClient(create_app(session, TOKEN, PORT), base_url=f"http://127.0.0.1:{PORT}") as c:
        c.headers["X-Planner-Token"] = TOKEN
        yield c


def planner(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``planner`` as the nightly job would, in a process of its own."""
    command = [sys.executable, "-m", "planner", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.slow
def test_publish_writes_what_check_accepts_and_the_nightly_replan_reads(
    client: TestClient, tmp_path: Path
) -> None:
    published = tmp_path / "published.json"
    answer = client.post("/api/publish", json={"plan": 1})
    assert answer.status_code == 200, answer.text
    assert answer.json()["path"] == str(published) and published.exists()
    status = client.get("/api/published").json()
    assert [v["plan"] for v in status["versions"]] == ["v1"]
    assert status["file"]["same"] is True
    assert client.get("/api/state").json()["plans"][0]["published"] is True
    # the file names the scenario file's bytes, and every rule holds for it
    checked = planner("check", str(WEEK), str(published))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the nightly job re-plans from it (before the week starts: nothing frozen) and
    # replaces it; the page then shows what it changed since the version published
    sha256 = hashlib.sha256(published.read_bytes()).hexdigest()
    nightly = [
        "replan",
        str(WEEK),
        "--baseline",
        str(published),
        "--now",
        "2026-11-29T02:30",
        "-o",
        str(published),
        "--time-limit",
        "20",
        "--workers",
        "1",
    ]
    ran = planner(*nightly)
    assert ran.returncode == 0, ran.stderr
    replanned = json.loads(published.read_text())
    assert replanned["changes"]["baseline"]["sha256"] == sha256
    status = client.get("/api/published").json()
    found = status["file"]
    assert found["same"] is False and found["read_that_version"] is True
    assert found["changes"]["baseline"]["sha256"] == sha256
    assert found["changes"]["moved"] == replanned["changes"]["moved"]
    assert found["changes"]["dropped"] == []
    # taken in, the nightly plan is one of the page's plans
    taken = client.post("/api/take-published", json={})
    assert taken.status_code == 200
    names = [p["name"] for p in client.get("/api/state").json()["plans"]]
    assert names == ["v1", "published as found"]


def test_a_plan_that_breaks_the_scenario_file_is_not_published(
    client: TestClient, session: Session, tmp_path: Path, week_plan: dict[str, object]
) -> None:
    # a plan made with an edit the scenario file does not have: a meeting in a room that
    # is not in the file
    broken = json.loads(json.dumps(week_plan))
    broken["meetings"][0]["room"] = "P9"
    plan = session.add_file_plan("edited", broken)
    refused = client.post("/api/publish", json={"plan": plan})
    assert refused.status_code == 409
    problems = " ".join(refused.json()["problems"])
    assert "breaks rules" in problems and "P9" in problems
    assert not (tmp_path / "published.json").exists()
    assert client.get("/api/published").json()["versions"] == []
    assert client.post("/api/publish", json={"plan": 42}).status_code == 400
