"""What the local page (``planner serve``) answers, request by request, as its script and
a coordinator read it: an activity's details and alternatives, the weeks and the
timeline of one, plans compared, files saved, edits, solves started and cancelled, and
who is let in. The app is driven in-process with Starlette's test client, on a session
kept in a state file of its own (plan 1 is the published plan, as ``--plan`` makes it)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from serving import open_session, page_of
from starlette.testclient import TestClient

from planner.check import check_schedule
from planner.loading import parse_scenario
from planner.models import Scenario
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve

TOKEN = "page-token"
CEILING = 120.0
"""Seconds after which waiting for a solve to end counts as a hang (no speed claim)."""

# Two weeks. M1 (pinned to P1) and M2 on Monday 30 Nov, AD1 (DE) on Tuesday or
# Wednesday, M3 on Monday 7 Dec; M9 needs mt interpretation, and no room has booths: it
# is left out (normal, 100). A day of lateness costs 100 here.
TEXT = """schema: planner.scenario/1
name: "Week <49> & co"
horizon: {start: 2026-11-30, end: 2026-12-11}
objective: {lateness_per_day: 100}
rooms:
  - {id: P1, capacity: 20}
  - {id: CC1, capacity: 20, features: [coordination_centre]}
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE, MT]}]
meetings:
  - {id: M1, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     pinned: {room: P1}, participants: [{country: NL}, {country: DE}]}
  - {id: M2, case: C1, duration: 1h, preferred: 2026-11-30, latest: 2026-12-02,
     participants: [{country: NL}, {country: BE, attendance: video, required: false}]}
  - {id: M3, case: C1, duration: 1h, earliest: 2026-12-07, latest: 2026-12-07,
     participants: [{country: NL}, {country: BE}]}
  - {id: M9, case: C1, duration: 1h, participants: [{country: NL}, {country: MT, language: mt}]}
action_days:
  - {id: AD1, case: C1, countries: [DE], earliest: 2026-12-01, latest: 2026-12-02}
"""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return parse_scenario(TEXT)


@pytest.fixture(scope="module")
def published(scenario: Scenario) -> dict[str, Any]:
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document: dict[str, Any] = json.loads(dumps(schedule_document(result, scenario.name, "")))
    return document


@pytest.fixture
def page(tmp_path: Path, published: dict[str, Any]) -> Iterator[TestClient]:
    with page_of(open_session(tmp_path, TEXT, published), TOKEN) as client:
        yield client


def entry(document: dict[str, Any], activity: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e for e in [*document["meetings"], *document["action_days"]] if e["id"] == activity
    )
    return found


def wait_for_solve(page: TestClient) -> dict[str, Any]:
    ends = time.monotonic() + CEILING
    while time.monotonic() < ends:
        state: dict[str, Any] = page.get("/api/state").json()
        if not state["job"]["running"]:
            return state
        time.sleep(0.1)
    raise AssertionError("the solve did not end")


# ---- an activity -------------------------------------------------------------------------


def test_a_meeting_at_its_cheapest_place(page: TestClient, published: dict[str, Any]) -> None:
    # The published plan is optimal: M2 is at its cheapest place, the first alternative
    # is where it is (no change), and any other start moves its time against the plan
    # (10). Five alternatives are shown.
    details = page.get("/api/plans/1/activities/M2").json()
    placed = entry(published, "M2")
    assert {k: details[k] for k in ("id", "case", "kind", "placement", "left_out")} == {
        "id": "M2",
        "case": "C1",
        "kind": "meeting",
        "placement": placed,
        "left_out": None,
    }
    assert (details["pinned"], details["preferred"], details["window"]) == (
        False,
        "2026-11-30",
        ["2026-11-30", "2026-12-02"],
    )
    assert details["participants"] == [
        {"country": "NL", "attendance": "in_person", "required": True},
        {"country": "BE", "attendance": "video", "required": False},
    ]
    assert details["why"] == "it is at its cheapest place against the rest of the plan"
    suggestions = details["suggestions"]
    assert len(suggestions) == 5
    assert suggestions[0] == {
        "start": placed["start"],
        "date": placed["start"][:10],
        "room": placed["room"],
        "objective": published["objective"],
        "changes": {},
    }
    assert all(s["changes"] == {"moves": 10} for s in suggestions[1:])
    assert all(s["objective"] == published["objective"] + 10 for s in suggestions[1:])
    assert page.get("/api/plans/1/activities/M1").json()["pinned"] is True


def test_a_left_out_meeting_says_why_and_has_no_place(
    page: TestClient, published: dict[str, Any]
) -> None:
    details = page.get("/api/plans/1/activities/M9").json()
    (left_out,) = [u for u in published["unscheduled"] if u["id"] == "M9"]
    assert details["placement"] is None and details["left_out"] == left_out
    assert left_out["rule"] == "room_feature"
    assert (details["preferred"], details["window"]) == ("", ["2026-11-30", "2026-12-11"])
    assert details["why"] == "it has no other place against the rest of the plan"
    assert details["suggestions"] == []


def test_an_action_days_alternatives(page: TestClient, published: dict[str, Any]) -> None:
    # AD1 is where the plan has it; elsewhere: virtually that day (its room changes, 5, and
    # a virtual centre costs 20), in CC1 the other day (a date move, 50), or virtually
    # the other day (55 and 20).
    details = page.get("/api/plans/1/activities/AD1").json()
    placed = entry(published, "AD1")
    assert details["kind"] == "action day" and details["participants"] == []
    assert details["placement"] == placed and details["pinned"] is False
    other = "2026-12-02" if placed["date"] == "2026-12-01" else "2026-12-01"
    base = published["objective"]
    assert details["suggestions"] == [
        {"start": None, "date": placed["date"], "room": "CC1", "objective": base, "changes": {}},
        {
            "start": None,
            "date": placed["date"],
            "room": None,
            "objective": base + 25,
            "changes": {"moves": 5, "virtual_centre": 20},
        },
        {
            "start": None,
            "date": other,
            "room": "CC1",
            "objective": base + 50,
            "changes": {"moves": 50},
        },
        {
            "start": None,
            "date": other,
            "room": None,
            "objective": base + 75,
            "changes": {"moves": 55, "virtual_centre": 20},
        },
    ]


def test_a_meeting_published_where_it_costs_more_shows_the_cheaper_place(
    tmp_path: Path, published: dict[str, Any]
) -> None:
    # The published plan has M2 two days late (Wednesday, 200 of lateness). Back on
    # Monday at its first free start it saves 200 and costs a date move (50): the best
    # alternative is 150 cheaper, and the page says a cheaper place exists.
    late = json.loads(json.dumps(published))
    m2 = entry(late, "M2")

    def later(text: str) -> str:
        return (datetime.fromisoformat(text) + timedelta(days=2)).isoformat()

    m2["start"], m2["end"] = later(m2["start"]), later(m2["end"])
    for times in m2["local"].values():
        times["start"], times["end"] = later(times["start"]), later(times["end"])
    with page_of(open_session(tmp_path, TEXT, late), TOKEN) as client:
        details = client.get("/api/plans/1/activities/M2").json()
    assert details["why"] == (
        "a cheaper place exists against the rest of the plan (see the alternatives)"
    )
    best = details["suggestions"][0]
    assert best["date"] == "2026-11-30"
    assert best["changes"] == {"lateness": -200, "moves": 50}


def test_an_unknown_activity_or_plan_is_not_found(page: TestClient) -> None:
    # the session holds one plan, plan 1 (the published one)
    for path in ("/api/plans/1/activities/M7", "/api/plans/2/activities/M1"):
        assert page.get(path).status_code == 404
    for path in (
        "/api/plans/x/weeks",
        "/api/plans/-1/timeline",
        "/api/plans/0/timeline",
        "/download/2.json",
    ):
        assert page.get(path).status_code == 404


# ---- weeks, timeline, comparison, files ------------------------------------------------------


def test_the_weeks_and_the_timeline_of_one(page: TestClient) -> None:
    # Activities in the weeks of Mon 30 Nov and Mon 7 Dec. A week's timeline holds that
    # week's activities only (M3 is on the next Monday), then what is left out and the
    # objective; without a week, the first week with activities.
    assert page.get("/api/plans/1/weeks").json() == ["2026-11-30", "2026-12-07"]
    first = page.get("/api/plans/1/timeline").text
    assert first == page.get("/api/plans/1/timeline?week=2026-11-30").text
    boxes = {
        a
        for a in ("M1", "M2", "M3", "AD1")
        if f'class="box meeting" data-activity="{a}"' in first
        or f'class="box centre" data-activity="{a}"' in first
    }
    assert boxes == {"M1", "M2", "AD1"}
    assert '<tr data-activity="M9"><td>M9</td><td>room_feature</td>' in first
    assert "<tr><td>unscheduled</td><td>100</td></tr>" in first
    second = page.get("/api/plans/1/timeline?week=2026-12-07").text
    assert 'data-activity="M3"' in second and 'data-activity="M1"' not in second


def test_plans_compared_and_saved(page: TestClient, published: dict[str, Any]) -> None:
    # the published plan is compared; it was solved against nothing, so no changes
    compared = page.get("/api/compare").json()
    plans = compared["plans"]
    assert [(p["id"], p["name"]) for p in plans] == [(1, "published")]
    assert (compared["latest"], compared["changes"]) == ("published", None)
    figures = plans[0]["figures"]
    assert (figures["placed"], figures["left out"], figures["unscheduled"]) == ("4", "1", "100")
    saved = page.get("/download/1.json")
    assert saved.headers["content-disposition"] == 'attachment; filename="published.json"'
    assert saved.headers["content-type"] == "application/octet-stream"
    assert {k: v for k, v in json.loads(saved.text).items() if k != "scenario"} == {
        k: v for k, v in published.items() if k != "scenario"
    }
    csv = page.get("/download/1.csv").text
    assert csv.startswith("\ufeffid,kind,case,status") and "M9,meeting,C1,unscheduled" in csv
    assert "UID:M2@week-49-co.planner" in page.get("/download/1.ics").text
    assert "<title>Week &lt;49&gt; &amp; co</title>" in page.get("/download/1.html").text


# ---- edits and solves ----------------------------------------------------------------------


def test_pins_and_changes_make_one_change_file(page: TestClient) -> None:
    # Pinning M2's date, then its room, keeps the last pin; an edit adds to the file;
    # unpinning takes the pin away again; the file is saved as changes.yaml.
    assert page.post("/api/pin", json={"activity": "M2", "date": "2026-12-01"}).status_code == 200
    answer = page.post("/api/pin", json={"activity": "M2", "room": "P1"}).json()
    assert answer["ok"] is True
    assert "M2:\n      pinned:\n        room: P1\n" in answer["changes"]
    assert "2026-12-01" not in answer["changes"]
    page.post("/api/change", json={"text": "update: {rooms: {CC1: {capacity: 30}}}"})
    saved = page.get("/download/changes.yaml")
    assert saved.headers["content-disposition"] == 'attachment; filename="changes.yaml"'
    assert "CC1:\n      capacity: 30\n" in saved.text and "room: P1" in saved.text
    unpinned = page.post("/api/unpin", json={"activity": "M2"}).json()["changes"]
    assert "M2:\n      pinned: null\n" in unpinned
    assert page.get("/api/state").json()["changes"] == unpinned


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"activity": "AD1", "room": "CC1"}, "no meeting 'AD1'"),
        ({"activity": "M2"}, "pin at least one of start, date, room"),
    ],
)
def test_a_pin_the_page_cannot_make_is_refused(
    page: TestClient, body: dict[str, str], problem: str
) -> None:
    answer = page.post("/api/pin", json=body)
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid", "problems": [problem]}


def test_a_solve_at_a_time_with_its_time_limit_checked_then_cancelled(page: TestClient) -> None:
    # One solve runs (the session's own time limit, 30 s here, when none is given). While it
    # runs, another is refused (409) whatever its limit, if the limit itself is one the
    # page takes: 0.1 s to a day, bounds included; others are refused as bad (400)
    # before anything else. Cancelling ends it.
    assert page.post("/api/solve", json={"time_limit": ""}).json()["ok"] is True
    for limit, status in ((0.1, 409), (86400, 409), (0.09, 400), (86401, 400), ("inf", 400)):
        answer = page.post("/api/solve", json={"time_limit": limit})
        assert answer.status_code == status, limit
    assert "already running" in page.post("/api/solve", json={}).json()["error"]
    assert page.post("/api/cancel", json={}).status_code == 200
    state = wait_for_solve(page)
    assert state["job"]["cancelled"] is True and state["job"]["running"] is False


# ---- who is let in ---------------------------------------------------------------------------


def test_the_first_visit_with_the_token_sets_a_strict_cookie(page: TestClient) -> None:
    bare = {"X-Planner-Token": ""}
    first = page.get(f"/?token={TOKEN}", headers=bare)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    cookie = first.headers["set-cookie"]
    assert f"planner_token={TOKEN}" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert f'<meta name="token" content="{TOKEN}">' in first.text
    assert "<title>planner: Week &lt;49&gt; &amp; co</title>" in first.text
    assert "<h1>Week &lt;49&gt; &amp; co <small" in first.text
    assert "{{" not in first.text and ".box { position: absolute;" in first.text  # inline styles
    # with the cookie a read is let in, a change is not (it needs the header)
    assert page.get("/api/state", headers=bare).status_code == 200
    assert page.post("/api/unpin", json={"activity": "M2"}, headers=bare).status_code == 401
    wrong = {"X-Planner-Token": "not-it"}
    assert page.post("/api/unpin", json={"activity": "M2"}, headers=wrong).status_code == 403


def test_its_own_assets_with_their_types(page: TestClient) -> None:
    script = page.get("/assets/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert page.get("/assets/app.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    ("action", "body", "error"),
    [
        ("pin", b"[1]", "bad request: the body is not a JSON object"),
        ("pin", b'{"room": "P1"}', "bad request: 'activity'"),
        ("unpin", b"{}", "bad request: 'activity'"),
        (
            "solve",
            b'{"time_limit": "soon"}',
            "bad request: could not convert string to float: 'soon'",
        ),
    ],
)
def test_a_request_the_page_cannot_read_says_what_is_wrong(
    page: TestClient, action: str, body: bytes, error: str
) -> None:
    answer = page.post(f"/api/{action}", content=body)
    assert (answer.status_code, answer.json()) == (400, {"error": error})


def test_an_empty_post_body_is_an_empty_request(page: TestClient) -> None:
    # no body at all reads as {}: for a change, an empty change file, which changes nothing
    answer = page.post("/api/change", content=b"")
    assert answer.status_code == 200 and answer.json() == {"ok": True, "changes": "{}\n"}


@pytest.mark.slow
def test_the_address_is_printed_once_the_server_takes_connections(tmp_path: Path) -> None:
    # SPEC 2.7.3 (v1.2): a script or a browser that opens the printed address at once is
    # let in, never refused. With a published plan nothing is solved at start.
    scenario, plan = tmp_path / "week.yaml", tmp_path / "plan.json"
    scenario.write_text(TEXT)
    loaded = parse_scenario(TEXT)
    plan.write_text(dumps(schedule_document(solve(loaded, workers=1), loaded.name, "")))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "planner", "serve", str(scenario), "--plan", str(plan)]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        with socket.create_connection(("127.0.0.1", port), timeout=CEILING) as connection:
            connection.sendall(f"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            connection.sendall(f"X-Planner-Token: {url.split('=')[-1]}\r\n\r\n".encode())
            assert connection.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        server.terminate()
        server.wait(timeout=CEILING)


@pytest.mark.slow  # a solve in a process of its own
def test_a_session_without_a_published_plan_solves_its_first(
    tmp_path: Path, scenario: Scenario
) -> None:
    # Nothing published: no plan until the first solve, which is v1, held to the rules,
    # and compared with nothing (tests/test_serve.py solves a second one against the
    # first).
    with page_of(open_session(tmp_path, TEXT), TOKEN) as client:
        assert client.get("/api/state").json()["plans"] == []
        assert client.get("/api/compare").json() == {"plans": [], "latest": None, "changes": None}
        solving = client.post("/api/solve", json={"time_limit": 20})
        assert solving.status_code == 200 and solving.json()["plan"] == 1
        state = wait_for_solve(client)
        assert [(p["id"], p["name"], p["origin"]) for p in state["plans"]] == [(1, "v1", "solve")]
        assert state["job"]["status"] == "done" and state["job"]["cancelled"] is False
        v1 = json.loads(client.get("/download/1.json").text)
        assert check_schedule(scenario, v1) == []
        assert entry(v1, "M2")["start"].startswith("2026-11-30")  # its preferred date
        compared = client.get("/api/compare").json()
        assert [p["name"] for p in compared["plans"]] == ["v1"]
        assert compared["latest"] == "v1" and compared["changes"] is None


def test_a_plan_that_holds_nothing_still_has_a_page(tmp_path: Path) -> None:
    # Every activity left out: no week holds anything, and the timeline of the horizon's
    # first week says so.
    document = {
        "schema": "planner.schedule/1",
        "status": "feasible",
        "objective": 0,
        "bound": 0,
        "terms": {},
        "meetings": [],
        "action_days": [],
        "unscheduled": [{"id": "M1", "rule": "window", "reasons": ["-"]}],
    }
    with page_of(open_session(tmp_path, TEXT, document), TOKEN) as client:
        assert client.get("/api/plans/1/weeks").json() == []
        timeline = client.get("/api/plans/1/timeline").text
        assert "0 meetings and 0 action days placed, 1 left out" in timeline
        assert 'class="day"' not in timeline and '<tr data-activity="M1">' in timeline
