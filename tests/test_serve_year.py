"""The page on a generated year, in real processes and a real browser (headless
Chromium, see ``browsing.py``): the year view, and a server killed during a re-solve
that comes back with its plans and pins (SPEC 2.7.3 v1.2)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from browsing import headless_chromium

from planner.generate import generate_scenario, scenario_yaml

ROOT = Path(__file__).parent.parent
CEILING = 180.0
"""Seconds after which waiting counts as a hang (not a speed claim)."""

pytestmark = pytest.mark.slow

T = TypeVar("T")


def until(condition: Callable[[], T | None], what: str, seconds: float = CEILING) -> T:
    """Poll ``condition`` until it gives something, within a deadline."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("year") / "year.yaml"
    path.write_text(scenario_yaml(generate_scenario(year=2027, seed=7)), encoding="utf-8")
    return path


class Server:
    """A ``planner serve`` process and its address."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self.base, self.token = url.split("/?token=")

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base + path, headers={"X-Planner-Token": self.token})
        with urllib.request.urlopen(request, timeout=CEILING) as answer:
            return json.load(answer)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"X-Planner-Token": self.token, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=CEILING) as answer:
            return json.load(answer)


@contextmanager
def serving(scenario: Path, state: Path, *arguments: str) -> Iterator[Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "planner", "serve", str(scenario), "--port", str(port)]
    command += ["--state", str(state), "--publish", str(state.with_suffix(".json")), *arguments]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("planner serve: "), process.communicate()[1]
        yield Server(process, line.split()[-1])
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=CEILING)


def test_the_year_view_of_a_generated_year(year: Path, tmp_path: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = headless_chromium(tmp_path / "profile", "1500,1100")
    limits = ("--time-limit", "20", "--stop-when-idle", "2")
    try:
        with serving(year, tmp_path / "year.planner.db", *limits) as server:
            until(lambda: not server.get("/api/state")["job"]["running"], "the first plan")
            plan = server.get("/api/state")["plans"][0]
            request = urllib.request.Request(
                f"{server.base}/download/{plan['id']}.json",
                headers={"X-Planner-Token": server.token},
            )
            with urllib.request.urlopen(request, timeout=CEILING) as answer:
                document = json.load(answer)
            wait = WebDriverWait(
                driver, CEILING, ignored_exceptions=[StaleElementReferenceException]
            )
            driver.get(server.url)
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
            cells = driver.find_elements(By.CSS_SELECTOR, "#year .week-cell")
            # one strip per week of 2027: Mondays from 28 Dec 2026 to 27 Dec 2027
            assert len(cells) == (date(2027, 12, 27) - date(2026, 12, 28)).days // 7 + 1 == 53
            assert all(c.is_displayed() and c.size["width"] >= 14 for c in cells)
            held = sum(int(c.get_attribute("data-held")) for c in cells)
            left_out = sum(int(c.get_attribute("data-left-out")) for c in cells)
            assert held == len(document["meetings"]) + len(document["action_days"])
            assert left_out == len(document["unscheduled"])
            colours = {c.value_of_css_property("background-color") for c in cells}
            assert len(colours) > 5  # coloured by load, not one colour
            assert "load" in cells[10].get_attribute("title")
            assert float(driver.find_element(By.ID, "year").get_attribute("data-render-ms")) > 0
            # a click opens that week's timeline
            target = next(c for c in cells[20:] if int(c.get_attribute("data-held")) > 0)
            monday = date.fromisoformat(target.get_attribute("data-week"))
            target.click()
            wait.until(lambda d: monday.isoformat() in d.find_element(By.ID, "week").text)
            days = {
                date.fromisoformat(s.get_attribute("data-day"))
                for s in driver.find_elements(By.CSS_SELECTOR, "#timeline section[data-day]")
            }
            assert days and all(monday <= day <= monday + timedelta(days=6) for day in days)
            assert driver.find_elements(By.CSS_SELECTOR, "#timeline .box[data-activity]")
            assert "current" in target.get_attribute("class")
    finally:
        driver.quit()


def test_a_server_killed_during_a_resolve_comes_back_with_its_plans_and_pins(
    year: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    state_file = tmp_path / "year.planner.db"
    # the first plan runs to its limit; the re-solve would run for minutes
    limits = ("--time-limit", "15", "--stop-when-idle", "600")
    with serving(year, state_file, *limits) as server:
        until(lambda: not server.get("/api/state")["job"]["running"], "the first plan")
        v1 = server.get("/api/state")["plans"][0]
        assert v1["has_plan"] and v1["name"] == "v1"
        request = urllib.request.Request(
            f"{server.base}/download/{v1['id']}.json", headers={"X-Planner-Token": server.token}
        )
        with urllib.request.urlopen(request, timeout=CEILING) as answer:
            meeting = next(m for m in json.load(answer)["meetings"] if m["room"] != "P2")
        pin = {"activity": meeting["id"], "start": meeting["start"][:16], "room": meeting["room"]}
        assert server.post("/api/pin", pin)["ok"]
        # without room P2 much moves: the re-solve runs for long
        assert server.post("/api/change", {"text": "remove: {rooms: [P2]}"})["ok"]
        assert server.post("/api/solve", {"time_limit": 600})["ok"]
        job = until(
            lambda: (j := server.get("/api/state")["job"])["running"] and j["objective"] and j,
            "the re-solve's first plan",
        )
        with sqlite3.connect(f"file:{state_file}?mode=ro", uri=True) as reader:
            (worker,) = reader.execute(
                "SELECT worker_pid FROM plans WHERE id = ?", (job["plan"],)
            ).fetchone()
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=CEILING)
    # the worker sees its server gone: it stops, writes its best plan and ends
    until(lambda: not _running(worker), "the orphaned worker to end", 60)

    driver = headless_chromium(tmp_path / "profile", "1500,1100")
    try:
        with serving(year, state_file) as server:
            state = server.get("/api/state")
            assert state["resumed"] and meeting["id"] in state["changes"]
            assert "P2" in state["changes"]
            plans = {p["name"]: p for p in state["plans"]}
            assert plans["v1"]["status"] == "done"
            assert plans["v2"]["status"] == "interrupted" and plans["v2"]["has_plan"]
            request = urllib.request.Request(
                f"{server.base}/download/{plans['v2']['id']}.json",
                headers={"X-Planner-Token": server.token},
            )
            with urllib.request.urlopen(request, timeout=CEILING) as answer:
                kept = json.load(answer)
            held = next(m for m in kept["meetings"] if m["id"] == meeting["id"])
            assert (held["start"], held["room"]) == (meeting["start"], meeting["room"])
            # and the coordinator sees it so
            driver.get(server.url)
            wait = WebDriverWait(driver, CEILING)
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
            options = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#plans option")]
            assert options[0] == "v1" and options[1].startswith("v2 (interrupted")
            assert meeting["id"] in driver.find_element(By.ID, "edits").text
            assert "interrupted" in driver.find_element(By.ID, "progress").text
            assert "session kept in" in driver.find_element(By.ID, "session").text
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .box"))
    finally:
        driver.quit()


def _running(pid: int) -> bool:
    """Whether a process runs (a zombie no longer does)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status
