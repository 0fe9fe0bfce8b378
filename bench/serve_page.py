"""How fast the page of ``planner serve`` becomes usable for a year plan.

A generated year (scale 1: about 640 meetings and 32 action days) is solved once for
``--solve`` seconds and written as a plan; ``planner serve SCENARIO --plan PLAN`` is
started on it, and headless Chromium opens the page ``--runs`` times (a fresh profile
each time, so nothing is cached). For each run: the seconds from asking for the page
to the page being interactive (its first week drawn, the plans and the comparison
filled in: the page sets ``data-ready`` then), to the next week drawn after a click,
and to an activity's details (with its ``suggest`` alternatives) after a click.
Medians and the worst run are printed. Usage::

    python bench/serve_page.py [--variant calibrated] [--seed 7] [--runs 5] [--solve 60]

Needs ``chromium`` and ``chromedriver`` (Debian: ``apt-get install chromium
chromium-driver``). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from planner.generate import generate_scenario
from planner.loading import load_scenario
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve

WAIT = 120.0


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def browser(profile: Path) -> webdriver.Chrome:
    """Debian's headless Chromium with its own profile folder (no download)."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1500,1100",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def _one_run(url: str, folder: Path) -> tuple[float, float, float, int]:
    """Seconds to interactive, to the next week, to an activity's details; boxes shown."""
    driver = browser(folder)
    try:
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.02)
        asked = time.perf_counter()
        driver.get(url)
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        interactive = time.perf_counter() - asked
        boxes = len(driver.find_elements(By.CSS_SELECTOR, ".box"))
        label = driver.find_element(By.ID, "week").text
        asked = time.perf_counter()
        driver.find_element(By.ID, "next-week").click()
        wait.until(lambda d: d.find_element(By.ID, "week").text != label)
        next_week = time.perf_counter() - asked
        box = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".box[data-activity]"))[0]
        asked = time.perf_counter()
        box.click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#details h3"))
        details = time.perf_counter() - asked
        return interactive, next_week, details, boxes
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="calibrated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--solve", type=float, default=60.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        scenario_path = folder / "year.yaml"
        data = generate_scenario(year=2027, seed=args.seed, variant=args.variant)
        scenario_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        scenario = load_scenario(scenario_path)
        result = solve(scenario, time_limit=args.solve, seed=0)
        plan_path = folder / "year.json"
        plan_path.write_text(dumps(schedule_document(result, scenario.name, "")), "utf-8")
        activities = len(scenario.meetings) + len(scenario.action_days)

        port = free_port()
        command = ["planner", "serve", str(scenario_path), "--plan", str(plan_path)]
        server = subprocess.Popen(
            [sys.executable, "-m", *command, "--port", str(port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[-1]
            runs = [_one_run(url, folder / f"profile-{i}") for i in range(args.runs)]
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"{args.variant} seed {args.seed}: {activities} activities, {len(result.meetings)} "
        f"meetings and {len(result.action_days)} action days placed; "
        f"{runs[0][3]} boxes in the first week; {args.runs} runs"
    )
    print(f"{'seconds':<34}{'median':>8}{'worst':>8}")
    for column, name in enumerate(
        ("to interactive", "to the next week", "to an activity's details")
    ):
        values = [run[column] for run in runs]
        print(f"{name:<34}{statistics.median(values):>8.2f}{max(values):>8.2f}")


if __name__ == "__main__":
    main()
