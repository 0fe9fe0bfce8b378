"""The HTML timeline in a real browser: what a person sees (headless Chromium).

The browser and when the test is skipped: see ``browsing.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import headless_chromium

from planner.loading import load_scenario
from planner.output.timeline import timeline_page
from planner.solve import solve

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    driver = headless_chromium(tmp_path_factory.mktemp("profile"), "1400,1000")
    try:
        yield driver
    finally:
        driver.quit()


def test_the_week_as_a_person_sees_it(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser  # a selenium WebDriver
    week = load_scenario(ROOT / "scenarios" / "week.yaml")
    # one more meeting that cannot be placed: Tbilisi and New York share no hour
    far_apart = {
        "id": "CM-FAR-1",
        "case": "EJ-0412",
        "duration": "1h",
        "participants": [
            {"country": "GE", "attendance": "video"},
            {"country": "US", "attendance": "video"},
        ],
    }
    meetings = [m.model_dump(by_alias=True, exclude_defaults=True) for m in week.meetings]
    scenario = week.model_copy(update={"meetings": [*meetings, far_apart]})
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert [u.id for u in result.unscheduled] == ["CM-FAR-1"]
    page = tmp_path / "week.html"
    page.write_text(timeline_page(scenario, result))
    driver.get(page.as_uri())  # type: ignore[attr-defined]
    # every placed activity: a visible box in its room's lane, in its day
    for meeting in result.meetings:
        day = meeting.start.date().isoformat()
        box = driver.find_element(  # type: ignore[attr-defined]
            By.CSS_SELECTOR,
            f'section[data-day="{day}"] .lane[data-lane="{meeting.room}"] '
            f'.box[data-activity="{meeting.id}"]',
        )
        assert box.is_displayed() and box.size["width"] > 0 and box.size["height"] > 0
    for centre in result.action_days:
        lane = centre.room or "virtual centres"
        box = driver.find_element(  # type: ignore[attr-defined]
            By.CSS_SELECTOR,
            f'section[data-day="{centre.date.isoformat()}"] .lane[data-lane="{lane}"] '
            f'.box[data-activity="{centre.id}"]',
        )
        assert box.is_displayed()
    # a far participant's local time, shown in its meeting's box
    far = driver.find_element(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, '.lane.tall .box[data-activity="CM-0412-1"]'
    )
    assert "CO 09:00-11:00 local" in far.text
    # the activity left out, with its reason, and the objective are on the page
    left_out = driver.find_element(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, 'section.unscheduled tr[data-activity="CM-FAR-1"]'
    )
    assert left_out.is_displayed() and "working_hours" in left_out.text
    terms = driver.find_element(By.CSS_SELECTOR, "section.terms")  # type: ignore[attr-defined]
    assert "virtual_centre" in terms.text
    shot = tmp_path / "week.png"
    driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000
