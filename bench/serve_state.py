"""The page's state file on a year's session: writing a change, restarting, the year view.

For each scale asked (default 1 and 4), a generated year is solved once (``--solve``
seconds, stopping when idle for 5 s) and kept as the session's first plan, with
``--plans`` more plans beside it (copies of it, as re-solves would leave), so that the
state file is the size of a session after a day's work. Then:

- **state write per change**: ``--changes`` edits written one after another (a pin,
  then an unpin, of meetings in turn), each the state's own transaction, and the whole
  edit as the page makes it (the change validated against the year, then written);
  median and worst, in milliseconds;
- **restart to interactive**: ``planner serve YEAR --state STATE`` started ``--runs``
  times on that state (a resumed session: nothing solved at start), headless Chromium
  already open; seconds from the process start to the address printed, and to the page
  interactive (the latest plan's week, its year view, the comparison and what is
  published drawn: the page sets ``data-ready`` then);
- **year view**: the server's computation of the strips (Python, from the plan) and the
  page's render of them (the request and the DOM, measured by the page itself:
  ``#year[data-render-ms]``) after the restart.

Usage::

    python bench/serve_state.py [--scales 1 4] [--seed 7] [--solve 60] [--plans 8]
                                [--changes 200] [--runs 5]

Needs ``chromium`` and ``chromedriver``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from serve_page import browser, free_port

from planner.generate import generate_scenario, scenario_yaml
from planner.loading import read_scenario_file
from planner.output.schedule_json import dumps, schedule_document
from planner.serve import ScenarioIdentity, Session, State
from planner.serve.year import year_weeks
from planner.solve import solve

WAIT = 180.0


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} | {max(seconds) * 1000:.1f}"


def _s(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} | {max(seconds):.2f}"


def _session(folder: Path, scale: int, seed: int, solve_seconds: float, plans: int) -> dict:
    """Generate, solve and keep a year's session; return what it is made of."""
    path = folder / f"year{scale}.yaml"
    path.write_text(scenario_yaml(generate_scenario(year=2027, scale=scale, seed=seed)), "utf-8")
    scenario, raw = read_scenario_file(path)
    result = solve(scenario, time_limit=solve_seconds, stop_when_idle=5.0, seed=0)
    document = json.loads(dumps(schedule_document(result, scenario.name, "")))
    identity = ScenarioIdentity(str(path), scenario.name, hashlib.sha256(raw).hexdigest())
    state_path = folder / f"year{scale}.planner.db"
    session = Session(scenario, State.open(state_path, identity))
    for index in range(plans + 1):
        session.add_file_plan(f"v{index + 1}", document)
    return {
        "path": path,
        "state": state_path,
        "session": session,
        "document": document,
        "activities": len(scenario.meetings) + len(scenario.action_days),
        "placed": len(document["meetings"]) + len(document["action_days"]),
    }


def _changes(made: dict, count: int) -> tuple[list[float], list[float]]:
    """Seconds per state write, and per whole edit (validated, then written)."""
    session: Session = made["session"]
    meetings = made["document"]["meetings"]
    writes, edits = [], []
    for index in range(count):
        meeting = meetings[index // 2 % len(meetings)]
        if index % 2 == 0:
            text = (
                f"update: {{meetings: {{{meeting['id']}: {{pinned: "
                f"{{start: {meeting['start'][:16]}, room: {meeting['room']}}}}}}}}}"
            )
        else:
            text = f"update: {{meetings: {{{meeting['id']}: {{pinned: null}}}}}}"
        started = time.perf_counter()
        session.state.add_edit("change", text)
        writes.append(time.perf_counter() - started)
        if index < 20:  # the whole edit validates the year: a few are enough
            started = time.perf_counter()
            session.edit(text)
            edits.append(time.perf_counter() - started)
    return writes, edits


def _restarts(made: dict, runs: int, folder: Path) -> dict[str, list[float]]:
    """Seconds from starting the server to its address and to the page interactive, and
    the page's own year view render, per run."""
    found: dict[str, list[float]] = {"address": [], "interactive": [], "render": []}
    driver = browser(folder / f"profile-{made['path'].stem}")
    try:
        driver.get("about:blank")
        for _ in range(runs):
            port = free_port()
            command = [sys.executable, "-m", "planner", "serve", str(made["path"])]
            command += ["--port", str(port), "--state", str(made["state"])]
            started = time.perf_counter()
            server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            try:
                assert server.stdout is not None
                url = server.stdout.readline().split()[-1]
                found["address"].append(time.perf_counter() - started)
                driver.get(url)
                WebDriverWait(driver, WAIT, poll_frequency=0.02).until(
                    lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
                )
                found["interactive"].append(time.perf_counter() - started)
                year = driver.find_element(By.ID, "year").get_attribute("data-render-ms")
                found["render"].append(float(year) / 1000)
            finally:
                server.terminate()
                server.wait(timeout=60)
    finally:
        driver.quit()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--solve", type=float, default=60.0)
    parser.add_argument("--plans", type=int, default=8)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for scale in args.scales:
            made = _session(folder, scale, args.seed, args.solve, args.plans)
            writes, edits = _changes(made, args.changes)
            view = made["session"].plan(1)
            computed = []
            for _ in range(5):
                started = time.perf_counter()
                year_weeks(view.scenario, view.document)
                computed.append(time.perf_counter() - started)
            made["session"].close()
            size = made["state"].stat().st_size / 2**20
            restarts = _restarts(made, args.runs, folder)
            rows.append(
                (
                    f"scale {scale}: {made['activities']} activities, {made['placed']} placed; "
                    f"state {size:.1f} MB ({args.plans + 1} plans, {args.changes} edits)",
                    [
                        ("state write per change (one transaction), ms", _ms(writes)),
                        ("whole edit (validated against the year, written), ms", _ms(edits)),
                        ("restart: start to the address printed, s", _s(restarts["address"])),
                        ("restart: start to the page interactive, s", _s(restarts["interactive"])),
                        ("year view: strips computed (server), ms", _ms(computed)),
                        ("year view: request and render (page), ms", _ms(restarts["render"])),
                    ],
                )
            )
    for title, measures in rows:
        print(f"\n{title}\n")
        print("| measure | median | worst |")
        print("|---|---|---|")
        for name, value in measures:
            print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
