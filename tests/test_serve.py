"""``planner serve``: the local page's API in-process (tokens, hosts, paths, every route)
and the loop "look, pin, re-solve, compare" in a real browser."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import headless_chromium
from serving import free_port
from starlette.testclient import TestClient

from planner.check import check_schedule
from planner.loading import load_scenario, read_scenario_file
from planner.output.schedule_json import dumps, schedule_document
from planner.serve import ScenarioIdentity, Session, Settings, State, create_app
from planner.solve import solve

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
TOKEN = "test-token-123"
PORT = 8765
CEILING = 120.0
"""Seconds after which waiting for a solve counts as a hang (not a speed claim)."""


@pytest.fixture(scope="module")
def published() -> dict[str, object]:
    scenario = load_scenario(WEEK)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document: dict[str, object] = json.loads(dumps(schedule_document(result, scenario.name, "")))
    return document


def open_session(folder: Path, fresh: bool = False) -> Session:
    """The session of the week kept in ``folder/week.planner.db``, publishing to
    ``folder/published.json``."""
    scenario, raw = read_scenario_file(WEEK)
    digest = hashlib.sha256(raw).hexdigest()
    identity = ScenarioIdentity(str(WEEK), scenario.name, digest)
    state = State.open(folder / "week.planner.db", identity, fresh)
    settings = Settings(
        time_limit=20, publish_path=folder / "published.json", scenario_digest=digest
    )
    return Session(scenario, state, settings)


@pytest.fixture
def session(tmp_path: Path, published: dict[str, object]) -> Iterator[Session]:
    opened = open_session(tmp_path)
    opened.add_file_plan("published", published)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    app = create_app(session, TOKEN, PORT)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as test_client:
        test_client.headers["X-Planner-Token"] = TOKEN
        yield test_client


def _wait_for_solve(client: TestClient) -> dict[str, object]:
    ends = time.monotonic() + CEILING
    while time.monotonic() < ends:
        state: dict[str, object] = client.get("/api/state").json()
        if not state["job"]["running"]:  # type: ignore[index]
            return state
        time.sleep(0.2)
    raise AssertionError("the solve did not end")


# ---- who may ask --------------------------------------------------------------------------


def test_no_token_wrong_token_and_foreign_hosts_are_refused(client: TestClient) -> None:
    bare = {"X-Planner-Token": ""}
    assert client.get("/api/state", headers=bare).status_code == 401
    assert client.get("/api/state", headers={"X-Planner-Token": "nope"}).status_code == 403
    assert client.get("/?token=nope", headers=bare).status_code == 403
    evil = {"Host": "evil.example:8765"}
    assert client.get("/api/state", headers=evil).status_code == 421
    assert client.get("/api/state", headers={"Host": "127.0.0.1:9999"}).status_code == 421


def test_the_first_visit_sets_a_cookie_that_later_gets_need(client: TestClient) -> None:
    page = client.get(f"/?token={TOKEN}", headers={"X-Planner-Token": ""})
    assert page.status_code == 200 and TOKEN in page.text
    assert page.cookies.get("planner_token") == TOKEN
    assert client.get("/api/state", headers={"X-Planner-Token": ""}).status_code == 200


def test_a_post_needs_the_token_header_not_only_the_cookie(client: TestClient) -> None:
    client.get(f"/?token={TOKEN}")
    refused = client.post(
        "/api/unpin", json={"activity": "CM-0412-1"}, headers={"X-Planner-Token": ""}
    )
    assert refused.status_code in (401, 403)
    assert client.get("/api/state").json()["changes"].strip() == "{}"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../app.py",
        "/assets/%2e%2e%2fapp.py",
        "/assets/..%2f..%2fpyproject.toml",
        "/assets/index.html",
        "/download/../../etc/passwd",
        "/download/1.yaml",
        "/download/7.json",
        "/download/x.json",
        "/api/plans/3/timeline",
        "/api/plans/3/year",
        "/scenarios/week.yaml",
    ],
)
def test_nothing_but_its_own_assets_and_plans_is_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


# ---- every route ----------------------------------------------------------------------------


def test_the_page_and_its_assets_ask_no_other_host(client: TestClient) -> None:
    for path in ("/", "/assets/app.js", "/assets/app.css"):
        response = client.get(path)
        assert response.status_code == 200
        assert "http://" not in response.text and "https://" not in response.text


def test_what_the_page_reads(client: TestClient) -> None:
    state = client.get("/api/state").json()
    assert [(p["id"], p["name"], p["origin"]) for p in state["plans"]] == [(1, "published", "file")]
    assert client.get("/api/plans/1/weeks").json() == ["2026-11-30"]
    timeline = client.get("/api/plans/1/timeline?week=2026-11-30").text
    assert 'data-activity="CM-0412-1"' in timeline
    assert client.get("/api/plans/1/timeline?week=someday").status_code == 400
    details = client.get("/api/plans/1/activities/CM-0412-1").json()
    assert details["placement"]["room"] and details["suggestions"]
    assert details["placement"]["local"]["CO"]["start"].endswith("-05:00")
    assert client.get("/api/plans/1/activities/CM-9").status_code == 404
    figures = client.get("/api/compare").json()["plans"][0]["figures"]
    assert figures["placed"] == "20"
    (week,) = client.get("/api/plans/1/year").json()
    assert week["week"] == "2026-11-30" and week["held"] == 20 and week["left_out"] == 0


@pytest.mark.parametrize("extension", ["json", "csv", "ics", "html"])
def test_saving_a_plan_in_each_format(client: TestClient, extension: str) -> None:
    response = client.get(f"/download/1.{extension}")
    assert response.status_code == 200 and response.text
    assert f'filename="published.{extension}"' in response.headers["content-disposition"]


def test_pin_change_and_their_change_file(client: TestClient) -> None:
    pinned = client.post(
        "/api/pin", json={"activity": "CM-0455-2", "start": "2026-12-02T14:00", "room": "P1"}
    )
    assert pinned.status_code == 200
    changed = client.post(
        "/api/change", json={"text": "update: {rooms: {M3: {unavailable: [2026-12-01]}}}"}
    )
    assert changed.status_code == 200
    text = client.get("/download/changes.yaml").text
    assert "CM-0455-2" in text and "M3" in text
    bad = client.post("/api/change", json={"text": "remove: {rooms: [P9]}"})
    assert bad.status_code == 400 and "P9" in " ".join(bad.json()["problems"])
    assert client.post("/api/unpin", json={"activity": "CM-0455-2"}).status_code == 200


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("solve", b"[1]"),
        ("solve", b"{bad"),
        ("solve", b'{"time_limit": "nan"}'),
        ("solve", b'{"time_limit": -5}'),
        ("pin", b'{"start": "2026-12-02T14:00"}'),
        ("pin", b'{"activity": "CM-9", "room": "P1"}'),
        ("pin", b'{"activity": "CM-0455-2"}'),
        ("pin", b'{"activity": "CM-0455-2", "date": "2026-02-30"}'),
        ("change", b'{"text": "update: {rooms: {M3: {capacity: many}}}"}'),
    ],
)
def test_a_bad_request_is_a_400_that_changes_nothing(
    client: TestClient, action: str, body: bytes
) -> None:
    response = client.post(f"/api/{action}", content=body)
    assert response.status_code == 400 and response.json()["error"]
    state = client.get("/api/state").json()
    assert state["changes"].strip() == "{}" and not state["job"]["running"]


def test_an_unknown_action_is_not_found(client: TestClient) -> None:
    assert client.post("/api/explode", json={}).status_code == 404


def test_a_busy_port_is_said_before_anything_is_solved() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "planner", "serve", str(WEEK), "--port", str(port)]
        ran = subprocess.run(command, capture_output=True, text=True, timeout=CEILING)
    assert ran.returncode == 2
    assert f"127.0.0.1:{port}" in ran.stderr and "Traceback" not in ran.stderr


def test_a_solve_runs_in_the_background_and_adds_a_plan(client: TestClient) -> None:
    # Pin CM-0455-2 elsewhere and re-solve against the published plan: the new plan holds
    # it where pinned, keeps every rule, and the comparison says it moved.
    client.post(
        "/api/pin", json={"activity": "CM-0455-2", "start": "2026-12-02T14:00", "room": "P1"}
    )
    assert client.post("/api/solve", json={"time_limit": 20}).status_code == 200
    again = client.post("/api/solve", json={"time_limit": 20})
    assert again.status_code in (200, 409)  # one solve at a time
    state = _wait_for_solve(client)
    assert [p["name"] for p in state["plans"]] == ["published", "v2"]
    assert state["job"]["status"] == "done" and state["plans"][1]["has_plan"]
    document = json.loads(client.get("/download/2.json").text)
    meeting = next(m for m in document["meetings"] if m["id"] == "CM-0455-2")
    assert meeting["start"].startswith("2026-12-02T14:00") and meeting["room"] == "P1"
    scenario = load_scenario(WEEK).model_copy(
        update={
            "meetings": [
                {
                    **m.model_dump(by_alias=True, exclude_defaults=True),
                    "pinned": {"start": "2026-12-02T14:00", "room": "P1"},
                }
                if m.id == "CM-0455-2"
                else m.model_dump(by_alias=True, exclude_defaults=True)
                for m in load_scenario(WEEK).meetings
            ]
        }
    )
    assert check_schedule(scenario, document) == []
    compared = client.get("/api/compare").json()
    assert [p["name"] for p in compared["plans"]] == ["published", "v2"]
    assert compared["latest"] == "v2"
    assert "CM-0455-2" in [m["id"] for m in compared["changes"]["moved"]]
    assert compared["plans"][1]["figures"]["moved against the plan before"] == str(
        len(compared["changes"]["moved"])
    )


# ---- in a real browser ------------------------------------------------------------------------


@pytest.mark.slow
def test_look_pin_resolve_compare_in_a_browser(tmp_path: Path) -> None:
    driver = headless_chromium(tmp_path / "profile", "1500,1100")
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner",
            "serve",
            str(WEEK),
            "--port",
            str(port),
            "--time-limit",
            "20",
            "--state",
            str(tmp_path / "week.planner.db"),
            "--publish",
            str(tmp_path / "published.json"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        wait = WebDriverWait(driver, CEILING, ignored_exceptions=[StaleElementReferenceException])
        driver.get(url)
        # the first plan (solved at start) shows up as a timeline
        box = wait.until(
            lambda d: d.find_elements(By.CSS_SELECTOR, '.box[data-activity="CM-0455-2"]')
        )[0]
        before = box.text
        box.click()
        pins = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#details button.pin"))
        other = next(p for p in pins if p.get_attribute("data-start")[11:16] not in before)
        target = other.get_attribute("data-start")[11:16]
        other.click()
        wait.until(lambda d: "CM-0455-2" in d.find_element(By.ID, "edits").text)
        driver.find_element(By.ID, "time-limit").clear()
        driver.find_element(By.ID, "time-limit").send_keys("20")
        driver.find_element(By.ID, "solve").click()
        # the new plan holds the meeting where it was pinned, and the comparison has it
        # (the page redraws the timeline and the comparison when the plan arrives: wait
        # for what the new plan shows, not for the first box found)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#plans option")) == 2)
        pinned = '.lane.tall .box[data-activity="CM-0455-2"]'
        wait.until(
            lambda d: any(target in box.text for box in d.find_elements(By.CSS_SELECTOR, pinned))
        )
        wait.until(
            lambda d: d.find_elements(By.CSS_SELECTOR, '#comparison li[data-moved="CM-0455-2"]')
        )
        header = driver.find_element(By.CSS_SELECTOR, "#comparison table tr").text
        assert "v1" in header and "v2" in header
        shot = tmp_path / "serve.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=30)
