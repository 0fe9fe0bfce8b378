"""Starting ``planner serve`` (SPEC 2.7.3 v1.2): the address is printed once the server
accepts connections, so a script or a person who opens it at once is answered; ``--open``
opens it in the default browser. Real processes, as a user starts them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from serving import free_port

from planner.loading import load_scenario
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
CEILING = 120.0
"""Seconds after which a start counts as hung (not a speed claim)."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_scenario(WEEK)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    path = tmp_path_factory.mktemp("plan") / "published.json"
    path.write_text(dumps(schedule_document(result, scenario.name, "")))
    return path


@contextmanager
def serving(
    folder: Path, *arguments: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A server on a free port with its state in ``folder``; yields it and its address."""
    port = free_port()
    command = [sys.executable, "-m", "planner", "serve", str(WEEK), "--port", str(port)]
    command += ["--state", str(folder / "week.planner.db"), *arguments]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # blocks until the address is printed
        assert line.startswith("planner serve: http://127.0.0.1:"), server.stderr.read()  # type: ignore[union-attr]
        yield server, line.split()[-1]
    finally:
        server.terminate()
        server.wait(timeout=CEILING)


def test_every_start_answers_a_request_made_the_moment_the_address_is_printed(
    tmp_path: Path, plan_file: Path
) -> None:
    # 20 starts on one state (each a restart of the session); each time, the very first
    # thing after reading the address is a request, which must be answered, not refused
    answered = []
    for _ in range(20):
        with serving(tmp_path, "--plan", str(plan_file)) as (_, url):
            with urllib.request.urlopen(url.replace("/?", "/api/state?"), timeout=CEILING) as got:
                state = json.load(got)
            answered.append(got.status)
            assert [p["name"] for p in state["plans"]] == ["published"]
    assert answered == [200] * 20


def test_open_opens_the_printed_address_in_the_default_browser(
    tmp_path: Path, plan_file: Path
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    arguments = ("--plan", str(plan_file), "--open")
    with serving(tmp_path, *arguments, env={"BROWSER": f"{browser} %s"}) as (_, url):
        deadline = time.monotonic() + CEILING
        while not (opened.exists() and opened.read_text().strip()):
            assert time.monotonic() < deadline, "the browser was not opened"
            time.sleep(0.05)
        assert opened.read_text().strip() == url
