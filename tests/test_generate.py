"""`planner generate`: realistic scenarios calibrated to DOMAIN.md, valid and placeable."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from planner.check import check_schedule
from planner.cli import main
from planner.generate import activity_counts, describe, generate_scenario, scenario_yaml
from planner.links import build_case_graph
from planner.loading import parse_scenario
from planner.models import Scenario
from planner.models.catalogue import CATALOGUE, EU_MEMBERS
from planner.output.schedule_json import schedule_document
from planner.solve import solve
from planner.solver.construct import construct
from planner.solver.model import build_context
from planner.timegrid import TimeGrid, day_range


@cache
def _generated(year: int = 2027, scale: float = 1, seed: int = 7, weeks: int | None = None) -> Any:
    return generate_scenario(year=year, scale=scale, seed=seed, weeks=weeks)


@cache
def _parsed(weeks: int | None, scale: float = 1, seed: int = 7) -> Scenario:
    return parse_scenario(scenario_yaml(_generated(scale=scale, seed=seed, weeks=weeks)))


def _countries(meeting: dict[str, Any]) -> list[str]:
    """The countries at a meeting's table (organisations such as Europol left out)."""
    return [
        p["country"] for p in meeting["participants"] if not CATALOGUE[p["country"]].is_organisation
    ]


# ---- validity and determinism ----------------------------------------------------------------


def test_four_weeks_validate_with_the_pro_rata_volume() -> None:
    scenario = _parsed(weeks=4)
    # 640 x 4 / 52 = 49.2 meetings; 32 x 4 / 52 = 2.5 action days, rounded half to even
    assert (len(scenario.meetings), len(scenario.action_days)) == (49, 2)
    assert scenario.horizon.start == date(2027, 1, 4)  # the first Monday of 2027
    assert scenario.horizon.end == date(2027, 1, 31)
    assert scenario.name == "Generated 4 weeks from 2027-01-04 (scale 1, seed 7)"


def test_the_same_arguments_give_the_same_text_and_another_seed_another() -> None:
    first = scenario_yaml(generate_scenario(year=2027, weeks=8, seed=7))
    again = scenario_yaml(generate_scenario(year=2027, weeks=8, seed=7))
    other = scenario_yaml(generate_scenario(year=2027, weeks=8, seed=8))
    assert first == again
    assert first != other


def test_the_text_does_not_depend_on_string_hashing() -> None:
    """Two interpreters with other hash seeds print the same file."""
    texts = set()
    for hash_seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", _PRINT_GENERATED],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        )
        texts.add(completed.stdout)
    assert len(texts) == 1


_PRINT_GENERATED = (
    "from planner.generate import generate_scenario, scenario_yaml\n"
    "print(scenario_yaml(generate_scenario(year=2027, weeks=6, seed=11)), end='')"
)


def test_plain_yaml_readers_read_the_file_as_written() -> None:
    """Dates, times and NO are quoted: even a YAML 1.1 reader gets strings back."""
    data = _generated(weeks=4)
    text = scenario_yaml(data)
    assert yaml.safe_load(text) == data
    assert 'local_start: "' in text
    assert 'earliest: "2027-' in text


def test_codes_that_yaml_reads_as_booleans_are_quoted() -> None:
    text = scenario_yaml({"countries": [{"code": "NO"}], "rooms": [{"id": "ON", "capacity": 1}]})
    assert '{code: "NO"}' in text
    assert yaml.safe_load(text)["rooms"][0]["id"] == "ON"


@pytest.mark.parametrize("weeks", [1, 2, 3, 13])
def test_short_horizons_validate(weeks: int) -> None:
    scenario = parse_scenario(scenario_yaml(_generated(weeks=weeks, seed=3)))
    assert scenario.horizon.days == 7 * weeks
    expected = activity_counts(scale=1, weeks=weeks)
    assert (len(scenario.meetings), len(scenario.action_days)) == expected


@pytest.mark.parametrize("bad", [{"scale": 0}, {"scale": -1}, {"weeks": 0}])
def test_impossible_arguments_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        generate_scenario(year=2027, **bad)


# ---- volumes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "weeks", "expected"),
    [
        (1, None, (640, 32)),
        (2, None, (1280, 64)),
        (0.5, None, (320, 16)),
        (1, 1, (12, 0)),  # no room for a preparatory meeting a week before
        (1, 2, (25, 1)),  # 32 x 2 / 52 = 1.2
        (1, 8, (98, 5)),
        (2, 13, (320, 16)),
        (0.1, 2, (2, 1)),  # at least one action day from two weeks on
    ],
)
def test_volumes_are_the_2024_figures_pro_rata(
    scale: float, weeks: int | None, expected: tuple[int, int]
) -> None:
    assert activity_counts(scale=scale, weeks=weeks) == expected


@pytest.mark.parametrize("scale", [1, 2])
def test_a_year_has_the_agency_volume_times_the_scale(scale: int) -> None:
    # how fast it is generated is measured in bench/scaling.py, not here
    data = generate_scenario(year=2027, scale=scale)
    assert (len(data["meetings"]), len(data["action_days"])) == (640 * scale, 32 * scale)


@pytest.mark.parametrize("scale", [0.5, 1, 2, 3])
def test_rooms_centres_and_staff_follow_the_scale(scale: float) -> None:
    data = generate_scenario(year=2027, scale=scale, weeks=2)
    centres = [r for r in data["rooms"] if "coordination_centre" in r["features"]]
    meeting_rooms = [r for r in data["rooms"] if "coordination_centre" not in r["features"]]
    assert len(meeting_rooms) == math.ceil(5 * scale)
    assert len(centres) == max(1, round(1.5 * scale))
    assert all("videoconference" in r["features"] for r in data["rooms"])
    assert all({"secure_line", "videoconference"} <= set(r["features"]) for r in centres)
    booths = [r for r in meeting_rooms if "interpretation_booths" in r["features"]]
    rooms = len(meeting_rooms)
    assert len(booths) == 2 * (rooms // 5) + min(2, rooms % 5)  # two in every five
    assert data["coordination_centre"]["staff"] == math.ceil(6 * scale)
    # desks grow with the agency: two activities at once per unit of scale, 2 at least
    desk = data.get("defaults", {}).get("desk_capacity", 2)
    assert desk == max(2, math.ceil(2 * scale))


# ---- calibration on a full year --------------------------------------------------------------


def test_countries_per_meeting_follow_domain() -> None:
    meetings = _generated()["meetings"]
    two = sum(1 for m in meetings if len(_countries(m)) == 2) / len(meetings)
    assert two == pytest.approx(0.55, abs=0.08)
    assert all(2 <= len(_countries(m)) <= 10 for m in meetings)


def test_about_a_fifth_of_meetings_include_a_third_country() -> None:
    meetings = _generated()["meetings"]
    third = sum(1 for m in meetings if any(c not in EU_MEMBERS for c in _countries(m)))
    assert third / len(meetings) == pytest.approx(0.20, abs=0.06)


def test_action_days_take_their_case_countries_and_more() -> None:
    data = _generated()
    cases = {case["id"]: case for case in data["cases"]}
    for action_day in data["action_days"]:
        countries = [c for c in action_day["countries"] if not CATALOGUE[c].is_organisation]
        case = cases[action_day["case"]]
        assert set(case["countries"]) - {"EUROPOL", "EPPO"} <= set(countries)
        assert 2 <= len(countries) <= 15
        assert "05:00" <= action_day["local_start"] <= "07:00"
        prepared = action_day["prepared_by"][0]
        assert prepared["meeting"].startswith(f"CM-{case['id'][3:]}-")
        assert 7 <= int(prepared["gap"].removesuffix("d")) <= 28


def test_every_language_used_has_two_interpreters_or_more() -> None:
    data = _generated()
    used = {p["language"] for m in data["meetings"] for p in m["participants"] if "language" in p}
    assert len(used) >= 15
    for language in sorted(used):
        pool = [i for i in data["interpreters"] if {language, "en"} <= set(i["languages"])]
        assert len(pool) >= 2, language


def test_about_one_case_in_ten_is_linked_and_some_action_days_strike_together() -> None:
    scenario = Scenario.model_validate(_generated())
    clusters = build_case_graph(scenario).clusters
    linked = sum(len(cluster) for cluster in clusters)
    assert len(clusters) >= 5
    assert linked / len(scenario.cases) == pytest.approx(0.10, abs=0.04)
    by_case = {action_day.case: action_day for action_day in scenario.action_days}
    joint = 0
    for cluster in clusters:
        action_days = [by_case[case] for case in cluster if case in by_case]
        if len(action_days) == 2:
            first, second = action_days
            assert first.earliest and first.latest and second.earliest and second.latest
            if max(first.earliest, second.earliest) <= min(first.latest, second.latest):
                joint += 1
                assert first.staff + second.staff <= scenario.coordination_centre.staff
    assert joint >= 2


def test_meetings_spread_evenly_over_the_year() -> None:
    meetings = _generated()["meetings"]
    by_month = [0] * 12
    for meeting in meetings:
        earliest = date.fromisoformat(meeting["earliest"])
        latest = date.fromisoformat(meeting["latest"])
        by_month[(earliest + (latest - earliest) / 2).month - 1] += 1
    # about 53 a month; December is shorter (no window after 22 December)
    assert all(40 <= count <= 70 for count in by_month[:11]), by_month
    assert all(not (date.fromisoformat(m["latest"]) >= date(2027, 12, 23)) for m in meetings), (
        "no window touches the winter break"
    )


# ---- nothing impossible is asked -----------------------------------------------------------


def test_every_activity_has_a_start_by_the_calendar_rules() -> None:
    """Time zones, holidays, desks' days off and host hours leave every meeting at least
    one start and every action day at least one date (docs/rules.md)."""
    scenario = _parsed(weeks=8)
    grid = TimeGrid(scenario)
    assert [m.id for m in scenario.meetings if not grid.allowed_starts(m)] == []
    for action_day in scenario.action_days:
        first, last = scenario.window_of(action_day)
        parties = [scenario.parties[code] for code in action_day.countries]
        dates = [
            day
            for day in day_range(first, last)
            if grid.host_day_off(day) is None
            and all(
                grid.party_day_off(party, day) is None
                and not any(u.date == day and u.hours is None for u in party.unavailable)
                for party in parties
            )
        ]
        assert dates, action_day.id


def test_far_participants_join_by_video_and_short() -> None:
    meetings = _generated()["meetings"]
    far = {"US", "CO", "BR", "AR", "CL", "PE", "EC", "PA", "BO", "CR", "GE", "AM"}
    with_far = [m for m in meetings if far & {p["country"] for p in m["participants"]}]
    assert with_far
    for meeting in with_far:
        for participant in meeting["participants"]:
            if participant["country"] in far:
                assert participant.get("attendance") == "video", meeting["id"]
        required = {p["country"] for p in meeting["participants"] if p.get("required", True)}
        if {"US", "CO"} & required and required - far:
            assert meeting["duration"] in ("30m", "45m", "1h", "1h15m", "1h30m", "1h45m", "2h")


def test_critical_meetings_are_eu_only_short_and_have_room() -> None:
    critical = [m for m in _generated()["meetings"] if m.get("priority") == "critical"]
    assert len(critical) == round(0.01 * 640)
    for meeting in critical:
        assert set(_countries(meeting)) <= set(EU_MEMBERS)
        window = date.fromisoformat(meeting["latest"]) - date.fromisoformat(meeting["earliest"])
        assert window >= timedelta(days=11)  # two weeks, snapped to working days
        assert meeting["duration"] in ("30m", "1h", "1h30m", "2h")
        assert "after" not in meeting


def test_a_small_generated_scenario_is_planned_and_checked() -> None:
    scenario = _parsed(weeks=2)
    # The generator's promise, read without any search (no time involved): the
    # first-fit plan alone places at least 95 % of the activities.
    context = build_context(scenario)
    activities = len(scenario.meetings) + len(scenario.action_days)
    assert len(construct(context)) >= 0.95 * activities
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document = schedule_document(result, scenario.name, "0" * 64)
    assert check_schedule(scenario, document) == []
    assert result.status in ("optimal", "feasible")


# ---- command line ----------------------------------------------------------------------------


def test_the_command_writes_a_file_that_validate_accepts(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "weeks.yaml"
    result = runner.invoke(main, ["generate", "--weeks", "3", "--seed", "5", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = generate_scenario(year=2027, seed=5, weeks=3)
    assert target.read_text(encoding="utf-8") == scenario_yaml(data)
    assert describe(data) in result.output  # the summary, on stderr
    validated = runner.invoke(main, ["validate", str(target)])
    assert validated.exit_code == 0, validated.output
    assert "valid" in validated.output


def test_without_output_the_scenario_is_printed() -> None:
    result = CliRunner().invoke(main, ["generate", "--weeks", "2", "--year", "2028"])
    assert result.exit_code == 0, result.output
    assert parse_scenario(result.stdout).horizon.start == date(2028, 1, 3)


@pytest.mark.parametrize("option", [["--scale", "0"], ["--weeks", "0"], ["--year", "x"]])
def test_bad_options_are_usage_errors(option: list[str]) -> None:
    result = CliRunner().invoke(main, ["generate", *option])
    assert result.exit_code == 2
