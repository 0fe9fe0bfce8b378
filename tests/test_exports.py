"""Exports (SPEC 2.7.2): CSV, need-to-know calendars (ICS) and the HTML timeline."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.loading import load_baseline, load_scenario
from planner.models import Scenario
from planner.models.schedule import Result
from planner.output.exports import csv_text, ics_text
from planner.output.schedule_json import dumps, schedule_document
from planner.output.timeline import timeline_page
from planner.solve import solve

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"


@pytest.fixture(scope="module")
def week() -> tuple[Scenario, Result]:
    scenario = load_scenario(WEEK)
    return scenario, solve(scenario, time_limit=20, workers=1, seed=0)


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_csv_holds_every_activity_once_as_the_plan_has_it(week: tuple[Scenario, Result]) -> None:
    scenario, result = week
    text = csv_text(scenario, result)
    assert text.startswith("\ufeff")  # spreadsheets open it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    ids = [row["id"] for row in rows]
    assert sorted(ids) == sorted([*scenario.meetings_by_id, *scenario.action_days_by_id])
    by_id = {row["id"]: row for row in rows}
    for meeting in result.meetings:
        row = by_id[meeting.id]
        assert (row["status"], row["start"], row["room"]) == (
            "placed",
            meeting.start.isoformat(),
            meeting.room,
        )
    co = by_id["CM-0412-1"]["local times"]
    assert "CO " in co and "(-0500)" in co


def test_ics_has_an_event_per_activity_with_zones_and_stable_uids(
    week: tuple[Scenario, Result],
) -> None:
    scenario, result = week
    text = ics_text(scenario, result)
    calendar = icalendar.Calendar.from_ical(text)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = _events(text)
    assert len(events) == len(result.meetings) + len(result.action_days)
    first = next(e for e in events if str(e["UID"]).startswith("CM-0412-1@"))
    meeting = next(m for m in result.meetings if m.id == "CM-0412-1")
    assert first.decoded("DTSTART") == meeting.start
    assert first["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    # a second solve (another seed) keeps every activity's UID
    again = solve(scenario, time_limit=20, workers=1, seed=5)
    uids = {str(e["UID"]) for e in events}
    assert uids == {str(e["UID"]) for e in _events(ics_text(scenario, again))}


@pytest.mark.parametrize("who", ["CO", "P1", "lucia"])
def test_a_need_to_know_calendar_holds_exactly_what_it_concerns(
    week: tuple[Scenario, Result], who: str
) -> None:
    scenario, result = week
    expected = set()
    for m in result.meetings:
        definition = scenario.meetings_by_id[m.id]
        attending = {p.country for p in definition.participants if p.country not in m.absent}
        working = {name for team in m.interpreters.values() for name in team}
        if who in attending or who == m.room or who in working:
            expected.add(m.id)
    for a in result.action_days:
        if who in scenario.action_days_by_id[a.id].countries or who == a.room:
            expected.add(a.id)
    assert expected
    events = _events(ics_text(scenario, result, only=who))
    assert {str(e["UID"]).split("@")[0] for e in events} == expected


def test_moved_activities_raise_their_sequence_and_dropped_ones_are_cancelled(
    tmp_path: Path, week: tuple[Scenario, Result]
) -> None:
    scenario, result = week
    published = tmp_path / "published.json"
    published.write_text(dumps(schedule_document(result, scenario.name, "0" * 64)))
    # CO leaves the week: CM-0412-1 (CO required) is dropped, others may move
    changed = Scenario.model_validate(
        {
            **scenario.model_dump(by_alias=True),
            "countries": [
                *[c.model_dump() for c in scenario.countries],
                {
                    "code": "CO",
                    "unavailable": [
                        "2026-11-30",
                        "2026-12-01",
                        "2026-12-02",
                        "2026-12-03",
                        "2026-12-04",
                    ],
                },
            ],
        }
    )
    baseline = load_baseline(published)
    replanned = solve(changed, baseline=baseline, time_limit=20, workers=1, seed=0)
    assert replanned.changes is not None
    dropped = {d.id for d in replanned.changes.dropped}
    assert "CM-0412-1" in dropped
    events = {
        str(e["UID"]).split("@")[0]: e
        for e in _events(ics_text(changed, replanned, baseline=baseline))
    }
    assert events["CM-0412-1"]["STATUS"] == "CANCELLED"
    for moved in replanned.changes.moved:
        assert events[moved.id]["SEQUENCE"] > 0
    unchanged = {m.id for m in replanned.meetings} - {m.id for m in replanned.changes.moved}
    assert all(events[a]["SEQUENCE"] == 0 for a in unchanged)


def test_no_export_carries_a_case_entity(week: tuple[Scenario, Result]) -> None:
    scenario, result = week
    texts = [
        csv_text(scenario, result),
        ics_text(scenario, result),
        timeline_page(scenario, result),
    ]
    entities = [e.split(":", 1)[1] for case in scenario.cases for e in case.entities]
    assert entities
    for text in texts:
        flat = re.sub(r"[^a-z0-9]", "", text.lower())
        for entity in entities:
            assert entity not in text
            assert re.sub(r"[^a-z0-9]", "", entity.lower()) not in flat


def test_the_page_asks_no_host_for_anything(week: tuple[Scenario, Result]) -> None:
    page = timeline_page(*week)
    assert not re.search(r"(https?:)?//[a-z0-9]", page, re.IGNORECASE)
    assert not re.search(r"\b(src|href)\s*=", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page


def test_solve_writes_every_format_by_extension(tmp_path: Path) -> None:
    outputs = [tmp_path / f"week.{kind}" for kind in ("json", "csv", "ics", "html")]
    arguments = ["solve", str(WEEK), "--workers", "1"]
    for path in outputs:
        arguments += ["-o", str(path)]
    outcome = CliRunner().invoke(main, arguments)
    assert outcome.exit_code == 0, outcome.output
    assert all(path.stat().st_size > 0 for path in outputs)
    bad = CliRunner().invoke(
        main, ["solve", str(WEEK), "-o", str(tmp_path / "w.ics"), "--ics-for", "XX"]
    )
    assert bad.exit_code == 2 and "--ics-for XX" in bad.output
