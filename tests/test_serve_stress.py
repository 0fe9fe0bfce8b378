"""The page shows the last robustness sweep of the published plan (SPEC 2.7.6, issue:
``planner stress`` keeps its report in the page's state file, by the published file's
sha256, and the page shows it while the file holds that plan)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import headless_chromium
from click.testing import CliRunner
from serving import free_port
from starlette.testclient import TestClient
from stressing import NOW_TEXT, WEEK, Published, publish_week

from planner.cli import main
from planner.loading import read_scenario_file
from planner.output.stress_json import read_stress_report
from planner.output.stress_text import headline
from planner.serve import ScenarioIdentity, Session, Settings, State, create_app

TOKEN = "test-token-123"
PORT = 8765


@pytest.fixture
def week(tmp_path: Path) -> Published:
    """The week solved and published to ``tmp_path/published.json``."""
    return publish_week(tmp_path)


@pytest.fixture
def page(tmp_path: Path, week: Published) -> Iterator[TestClient]:
    """The page of the week, its state in ``tmp_path/week.planner.db``, publishing to the
    file the week was published to."""
    scenario, raw = read_scenario_file(WEEK)
    digest = hashlib.sha256(raw).hexdigest()
    state = State.open(tmp_path / "week.planner.db", ScenarioIdentity(str(WEEK), "", digest))
    session = Session(scenario, state, Settings(publish_path=week.path, scenario_digest=digest))
    try:
        with TestClient(
            create_app(session, TOKEN, PORT), base_url=f"http://127.0.0.1:{PORT}"
        ) as client:
            client.headers["X-Planner-Token"] = TOKEN
            yield client
    finally:
        session.close()


def _stress(plan: Path, state: Path, report: Path) -> tuple[int, str]:
    """Run a sweep of 3 disruptions of ``plan`` as a coordinator would, one process."""
    arguments = ["stress", str(WEEK), "--plan", str(plan), "-n", "3", "--seed", "3"]
    arguments += ["--now", NOW_TEXT, "--jobs", "1", "--state", str(state), "-o", str(report)]
    result = CliRunner().invoke(main, arguments)
    return result.exit_code, result.output


def test_the_page_shows_the_last_sweep_of_the_plan_the_published_file_holds(
    page: TestClient, week: Published, tmp_path: Path
) -> None:
    assert page.get("/api/published").json()["stress"] is None
    assert page.get("/download/stress.html").status_code == 404
    code, output = _stress(week.path, tmp_path / "week.planner.db", tmp_path / "report.json")
    assert code == 0, output
    assert f"kept for the page in {tmp_path / 'week.planner.db'}" in output
    report = read_stress_report(tmp_path / "report.json")
    shown = page.get("/api/published").json()["stress"]
    assert shown["headline"] == headline(report)
    assert shown["complete"] is True
    assert [(k["kind"], k["disruptions"], k["moved_none"]) for k in shown["by_kind"]] == [
        (k.kind, k.disruptions, k.moved_none) for k in report.by_kind
    ]
    assert [f["id"] for f in shown["fragile"]] == [f.id for f in report.fragile][:10]
    assert report.fragile  # the week's room closure moves meetings: there is something to show
    whole = page.get("/download/stress.html")
    assert whole.status_code == 200
    for entry in report.fragile:
        assert f'data-activity="{entry.id}"' in whole.text  # its box in the report's timeline
    # The nightly job replaces the file by another plan: the sweep was of the plan before,
    # so the page no longer shows it (the same plan written otherwise is another file).
    week.path.write_text(week.text.replace("\n", "\n "), encoding="utf-8")
    assert page.get("/api/published").json()["stress"] is None
    assert page.get("/download/stress.html").status_code == 404


def test_a_sweep_without_a_state_file_makes_none_and_a_bad_one_keeps_the_report(
    week: Published, tmp_path: Path
) -> None:
    missing = tmp_path / "none.planner.db"
    code, output = _stress(week.path, missing, tmp_path / "report.json")
    assert code == 0, output
    assert not missing.exists()  # only the page makes a state file
    assert "kept for the page" not in output
    broken = tmp_path / "broken.planner.db"
    shutil.copyfile(WEEK, broken)  # a file that is not SQLite
    code, output = _stress(week.path, broken, tmp_path / "again.json")
    assert code == 0, output  # the sweep's own result, not the state file's
    assert "not kept for the page" in output and str(broken) in output
    assert read_stress_report(tmp_path / "again.json").complete
    assert broken.read_bytes() == WEEK.read_bytes()  # left as it was


@pytest.mark.slow
def test_the_sweep_is_drawn_on_the_page_in_a_browser(week: Published, tmp_path: Path) -> None:
    state = tmp_path / "week.planner.db"
    code, output = _stress(week.path, state, tmp_path / "report.json")
    assert code == 0, output
    assert not state.exists()  # no page yet: nothing kept...
    report = read_stress_report(tmp_path / "report.json")
    driver = headless_chromium(tmp_path / "profile", "1400,1000")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "planner", "serve", str(WEEK), "--plan", str(week.path)),
            *("--publish", str(week.path), "--state", str(state), "--port", str(free_port())),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        # ... until the page made its state file: the sweep kept now is the one shown
        code, output = _stress(week.path, state, tmp_path / "report.json")
        assert code == 0 and "kept for the page" in output, output
        driver.get(url)
        rows = WebDriverWait(driver, 60).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#stress tr[data-kind]")
        )
        assert [row.get_attribute("data-kind") for row in rows] == [k.kind for k in report.by_kind]
        for row, summary in zip(rows, report.by_kind, strict=True):
            # a bar per outcome present, its width its share of the row's disruptions
            widths = [
                float(bar.get_attribute("style").split("width:")[1].split("%")[0])
                for bar in row.find_elements(By.CSS_SELECTOR, ".bar")
            ]
            shares = [
                100 * count / summary.disruptions
                for count in (
                    summary.moved_none,
                    summary.moved_1_to_3,
                    summary.moved_4_or_more,
                    summary.dropped,
                    summary.no_plan,
                )
                if count
            ]
            assert widths == pytest.approx(shares, abs=0.06)
        fragile = driver.find_elements(By.CSS_SELECTOR, "#stress li[data-fragile]")
        assert [f.get_attribute("data-fragile") for f in fragile] == [f.id for f in report.fragile][
            :10
        ]
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=30)
