"""Generated variants: years unlike the calibrated one, still valid and placeable."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.check import check_schedule, linked_clusters
from planner.generate import (
    VARIANTS,
    Variety,
    activity_counts,
    describe,
    generate_scenario,
    scenario_yaml,
)
from planner.loading import parse_scenario
from planner.models import Scenario
from planner.models.catalogue import CATALOGUE
from planner.output.schedule_json import schedule_document
from planner.solve import solve
from planner.timegrid import TimeGrid

YEAR = 2027
SEEDS = (1, 5)
SMALL_WEEKS = 6
HOST_ZONE = ZoneInfo("Europe/Amsterdam")
CROWDED = Variety(pins_per_year=2000)
"""Pins wherever they fit: on a short horizon every free meeting is tried, so that pins
crowd the same days and rooms."""


@cache
def _generated(
    variant: str | Variety, seed: int = 7, weeks: int | None = None, scale: float = 1
) -> dict[str, Any]:
    return generate_scenario(year=YEAR, scale=scale, seed=seed, weeks=weeks, variant=variant)


@cache
def _parsed(variant: str | Variety, seed: int = 7, weeks: int | None = None) -> Scenario:
    return parse_scenario(scenario_yaml(_generated(variant, seed, weeks)))


def _languages(meeting: dict[str, Any]) -> set[str]:
    return {p["language"] for p in meeting["participants"] if "language" in p}


def _pins(data: dict[str, Any]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(sorted(m["pinned"])) for m in data["meetings"] if "pinned" in m)


def _midpoint_month(meeting: dict[str, Any]) -> int:
    earliest = date.fromisoformat(meeting["earliest"])
    latest = date.fromisoformat(meeting["latest"])
    return (earliest + (latest - earliest) / 2).month


# ---- every variant: valid, placeable by the calendar rules, deterministic ---------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_validates_and_every_meeting_has_a_start(variant: str, seed: int) -> None:
    scenario = _parsed(variant, seed, SMALL_WEEKS)
    assert (len(scenario.meetings), len(scenario.action_days)) == activity_counts(
        scale=1, weeks=SMALL_WEEKS
    )
    grid = TimeGrid(scenario)
    assert [m.id for m in scenario.meetings if not grid.allowed_starts(m)] == []
    if variant != "calibrated":
        assert scenario.name.endswith(f"variant {variant})")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_same_seed_gives_the_same_text_and_another_seed_another(variant: str) -> None:
    first = scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=3, variant=variant))
    again = scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=3, variant=variant))
    other = scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=4, variant=variant))
    assert first == again
    assert first != other


def test_a_variant_does_not_depend_on_string_hashing() -> None:
    program = (
        "from planner.generate import generate_scenario, scenario_yaml\n"
        "print(scenario_yaml(generate_scenario(year=2027, weeks=8, seed=11, variant='varied')),"
        " end='')"
    )
    texts = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(texts) == 1


def test_calibrated_is_the_default_by_name_and_by_knobs() -> None:
    default = scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=3))
    assert scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=3, variant="calibrated")) == (
        default
    )
    assert scenario_yaml(generate_scenario(year=YEAR, weeks=4, seed=3, variant=Variety())) == (
        default
    )
    assert "variant" not in default


def test_a_knob_changes_only_what_it_is_about() -> None:
    """Pins draw from their own stream: the pinned year is the calibrated one plus pins."""
    calibrated = _generated("calibrated")
    pinned = _generated("pinned")
    unpinned = [{k: v for k, v in m.items() if k != "pinned"} for m in pinned["meetings"]]
    assert unpinned == calibrated["meetings"]
    assert pinned["action_days"] == calibrated["action_days"]
    assert pinned["interpreters"] == calibrated["interpreters"]


def test_an_unknown_variant_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match=r"unknown variant 'busy'.*calibrated, varied"):
        generate_scenario(year=YEAR, weeks=2, variant="busy")


@pytest.mark.parametrize(
    ("knobs", "message"),
    [
        ({"preferred_share": 1.5}, "preferred_share"),
        ({"own_zone_share": -0.1}, "own_zone_share"),
        ({"multilingual_share": 2.0}, "multilingual_share"),
        ({"pins_per_year": -1}, "pins_per_year"),
        ({"critical_action_days_per_year": -2}, "critical_action_days_per_year"),
        ({"month_weights": (1.0,) * 11}, "month_weights"),
        ({"month_weights": (0.0,) * 12}, "month_weights"),
        ({"linked_clusters_per_year": -3}, "linked_clusters_per_year"),
        ({"interpreters_per_language": 1}, "interpreters_per_language"),
    ],
)
def test_impossible_knobs_are_refused(knobs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Variety(**knobs)


def test_the_summary_counts_the_pins() -> None:
    assert describe(_generated("varied")).endswith(", 20 pinned meetings")
    assert "pinned" not in describe(_generated("calibrated"))


# ---- the knobs show ------------------------------------------------------------------------------


def test_most_meetings_of_the_varied_year_prefer_a_date_that_costs_little_to_miss() -> None:
    varied = _parsed("varied")
    grid = TimeGrid(varied)
    weights = varied.objective.unscheduled
    share = sum(1 for m in varied.meetings if m.preferred) / len(varied.meetings)
    calibrated = _parsed("calibrated")
    calibrated_share = sum(1 for m in calibrated.meetings if m.preferred) / len(calibrated.meetings)
    assert share >= 0.85
    assert calibrated_share < 0.6
    for meeting in varied.meetings:
        if meeting.preferred is None:
            continue
        assert meeting.earliest and meeting.latest
        assert meeting.earliest <= meeting.preferred <= meeting.latest, meeting.id
        # a working day of the agency and of every required participant
        assert grid.host_day_off(meeting.preferred) is None, meeting.id
        for participant in meeting.required:
            party = varied.parties[participant.country]
            assert grid.party_day_off(party, meeting.preferred) is None, meeting.id
        if meeting.priority != "critical":
            # held on its latest date, the lateness costs at most 0.8 of leaving it out
            lateness = varied.objective.lateness_per_day * (meeting.latest - meeting.preferred).days
            assert lateness <= 0.8 * weights.of(meeting.priority), meeting.id


@pytest.mark.parametrize(("variant", "expected"), [("varied", 20), ("pinned", 40)])
def test_pins_come_in_three_kinds(variant: str, expected: int) -> None:
    pins = _pins(_generated(variant))
    assert sum(pins.values()) == expected
    assert set(pins) == {("room", "start"), ("room",), ("date",)}
    assert min(pins.values()) >= expected // 3
    assert _pins(_generated("calibrated")) == Counter()


@pytest.mark.parametrize(
    ("variant", "weeks"), [("varied", None), ("pinned", None), (CROWDED, 1), (CROWDED, 3)]
)
def test_pins_can_be_held_and_do_not_collide(variant: str | Variety, weeks: int | None) -> None:
    scenario = _parsed(variant, 7, weeks)
    grid = TimeGrid(scenario)
    in_chains = {p.meeting for m in scenario.meetings for p in m.after}
    in_chains |= {p.meeting for a in scenario.action_days for p in a.prepared_by}
    parties_on: dict[date, list[set[str]]] = {}
    room_uses: dict[str, list[tuple[datetime, datetime]]] = {}
    for meeting in (m for m in scenario.meetings if m.pinned):
        pin = meeting.pinned
        assert pin is not None
        assert not meeting.after and meeting.id not in in_chains, meeting.id
        starts = {grid.slot_minute(slot) for slot in grid.allowed_starts(meeting)}
        parties = {p.country for p in meeting.participants}
        if pin.room is not None:
            room = scenario.rooms_by_id[pin.room]
            in_person = [p for p in meeting.participants if p.attendance == "in_person"]
            assert room.capacity >= scenario.defaults.host_staff + sum(
                p.delegates for p in in_person
            )
            if any(p.attendance == "video" for p in meeting.participants):
                assert "videoconference" in room.features
            if any(p.language for p in in_person):
                assert "interpretation_booths" in room.features
        if pin.start is not None:
            start = pin.start.replace(tzinfo=HOST_ZONE)
            assert start.minute % scenario.granularity == 0
            assert grid.minute(start) in starts, meeting.id
            day = start.date()
            end = start + timedelta(minutes=meeting.duration)
            buffer = timedelta(minutes=scenario.defaults.room_buffer)
            assert pin.room is not None
            for other_start, other_end in room_uses.get(pin.room, []):
                assert end + buffer <= other_start or other_end + buffer <= start, meeting.id
            room_uses.setdefault(pin.room, []).append((start, end))
        elif pin.date is not None:
            day = pin.date
            assert any(grid.host_date(minute) == day for minute in starts), meeting.id
        else:
            assert starts, meeting.id
            continue
        assert all(not parties & other for other in parties_on.get(day, [])), meeting.id
        parties_on.setdefault(day, []).append(parties)


def test_some_delegations_join_from_zones_of_their_own() -> None:
    def own_zones(variant: str) -> list[tuple[str, str]]:
        return [
            (p["country"], p["timezone"])
            for m in _generated(variant)["meetings"]
            for p in m["participants"]
            if "timezone" in p
        ]

    participants = sum(len(m["participants"]) for m in _generated("varied")["meetings"])
    varied = own_zones("varied")
    assert 0.05 <= len(varied) / participants <= 0.2
    assert len(own_zones("own-zones")) > 2 * len(varied)
    assert own_zones("calibrated") == []
    for code, zone in varied:
        ZoneInfo(zone)  # a real IANA name
        assert zone != CATALOGUE[code].timezone
    zones = {zone for _, zone in varied}
    assert {"America/Los_Angeles", "Asia/Tbilisi"} <= zones
    winter = datetime(YEAR, 1, 15, 12)
    for meeting in _generated("varied")["meetings"]:
        for participant in meeting["participants"]:
            zone = participant.get("timezone")
            if zone is None:
                continue
            local = winter.replace(tzinfo=ZoneInfo(zone)).utcoffset()
            host = winter.replace(tzinfo=HOST_ZONE).utcoffset()
            assert local is not None and host is not None
            if abs((local - host).total_seconds()) >= 3 * 3600:
                assert participant.get("attendance") == "video", meeting["id"]


@pytest.mark.parametrize("variant", ["varied", "multilingual"])
def test_many_interpreted_meetings_need_two_to_four_languages_and_have_the_interpreters(
    variant: str,
) -> None:
    def share(data: dict[str, Any]) -> float:
        interpreted = [m for m in data["meetings"] if _languages(m)]
        return sum(1 for m in interpreted if len(_languages(m)) >= 2) / len(interpreted)

    data = _generated(variant)
    assert share(data) > share(_generated("calibrated")) + 0.1
    several = [m for m in data["meetings"] if len(_languages(m)) >= 2]
    for meeting in several:
        working = meeting.get("working_language", "en")
        for language in _languages(meeting):
            able = [i for i in data["interpreters"] if {language, working} <= set(i["languages"])]
            assert len(able) >= 2, (meeting["id"], language)
    if variant == "multilingual":
        assert share(data) >= 0.8
        assert max(len(_languages(m)) for m in data["meetings"]) == 4


def test_a_seasonal_year_is_busy_in_spring_and_quiet_in_august_and_december() -> None:
    def by_month(variant: str) -> Counter[int]:
        return Counter(_midpoint_month(m) for m in _generated(variant)["meetings"])

    seasonal = by_month("seasonal")
    calibrated = by_month("calibrated")
    ordinary = [1, 2, 6, 9, 10, 11]  # months weighted as in the calibrated year
    typical = sum(seasonal[month] for month in ordinary) / len(ordinary)
    spring = (seasonal[3] + seasonal[4] + seasonal[5]) / 3
    assert spring >= 1.25 * typical
    assert seasonal[8] <= 0.6 * typical
    assert seasonal[12] <= 0.6 * typical
    assert calibrated[8] >= 0.9 * (calibrated[3] + calibrated[4] + calibrated[5]) / 3
    assert by_month("varied")[8] < calibrated[8]


@pytest.mark.parametrize(("weeks", "weekend", "critical"), [(None, 4, 2), (3, 1, 1)])
def test_the_varied_year_has_weekend_and_critical_action_days(
    weeks: int | None, weekend: int, critical: int
) -> None:
    action_days = _generated("varied", weeks=weeks)["action_days"]
    assert sum(1 for a in action_days if a.get("weekend")) == weekend
    assert sum(1 for a in action_days if a["priority"] == "critical") == critical
    for action_day in action_days:
        if action_day["priority"] == "critical":
            assert action_day["virtual"] == "allowed"
    calibrated = _generated("calibrated", weeks=weeks)["action_days"]
    assert not any(a.get("weekend") or a["priority"] == "critical" for a in calibrated)


@pytest.mark.parametrize(
    ("variant", "desks"), [("calibrated", 4), ("varied", 2), ("tight-desks", 2)]
)
def test_desks_grow_with_the_scale_only_in_the_calibrated_year(variant: str, desks: int) -> None:
    data = _generated(variant, weeks=2, scale=2)
    assert data.get("defaults", {}).get("desk_capacity", 2) == desks
    meeting_rooms = [r for r in data["rooms"] if "coordination_centre" not in r["features"]]
    assert len(meeting_rooms) == math.ceil(5 * 2)  # the rooms grow all the same
    assert data["coordination_centre"]["staff"] == 6 * 2


def _networks(scenario: Scenario) -> list[list[str]]:
    """Clusters of three cases or more whose cases all share a country with the first."""
    networks = []
    for cluster in linked_clusters(scenario):
        cases = sorted(cluster)
        first = set(scenario.cases_by_id[cases[0]].countries)
        if len(cases) >= 3 and all(
            first & set(scenario.cases_by_id[case].countries) for case in cases
        ):
            networks.append(cases)
    return networks


def test_the_linked_year_has_networks_of_cases_sharing_countries_weeks_apart() -> None:
    linked = _parsed("linked")
    networks = _networks(linked)
    # 12 networks of 3-6 cases a year, besides the calibrated pairs and triples
    assert len(networks) >= 12
    assert all(3 <= len(cases) <= 6 for cases in networks)
    assert _networks(_parsed("calibrated")) == []  # its triples share no party
    first_dates: dict[str, date] = {}
    for meeting in linked.meetings:
        assert meeting.earliest is not None
        first_dates[meeting.case] = min(first_dates.get(meeting.case, date.max), meeting.earliest)
    spread_out = 0
    for cases in networks:
        crimes = {linked.cases_by_id[case].crime for case in cases}
        assert len(crimes) == 1, cases  # the same network: the same crime
        dates = sorted(first_dates[case] for case in cases if case in first_dates)
        spread_out += (dates[-1] - dates[0]).days >= 14
    assert spread_out >= 0.8 * len(networks)  # their meetings lie weeks apart


def test_the_scarce_interpreters_year_has_two_interpreters_per_language_and_no_more() -> None:
    for scale in (1, 2):
        data = _generated("scarce-interpreters", weeks=8, scale=scale)
        needed = {language for m in data["meetings"] for language in _languages(m)}
        pools = Counter(i["languages"][0] for i in data["interpreters"])
        assert pools == dict.fromkeys(needed, 2)  # whatever the demand and the scale
        assert all(len(i["languages"]) == 2 for i in data["interpreters"])  # no third
    # the multilingual year's meetings, with the smallest pools that hold them
    scarce, multilingual = _generated("scarce-interpreters"), _generated("multilingual")
    assert scarce["meetings"] == multilingual["meetings"]
    assert scarce["action_days"] == multilingual["action_days"]
    assert len(scarce["interpreters"]) < len(multilingual["interpreters"])


# ---- solved for real -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "weeks", "kinds"),
    [
        ("varied", 3, 1),  # 20 pins a year over 3 weeks: one, with a start and a room
        ("pinned", 4, 3),  # 40 pins a year over 4 weeks: one of each kind
        (CROWDED, 1, 3),  # nearly every meeting of the week pinned
    ],
)
def test_a_small_variant_is_planned_with_its_pins_and_checked(
    variant: str | Variety, weeks: int, kinds: int
) -> None:
    scenario = _parsed(variant, 7, weeks)
    pinned = [m for m in scenario.meetings if m.pinned]
    pin_kinds = {tuple(sorted(m.pinned.model_dump(exclude_none=True))) for m in pinned if m.pinned}
    assert len(pin_kinds) == kinds
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document = schedule_document(result, scenario.name, "0" * 64)
    assert check_schedule(scenario, document) == []
    assert result.status in ("optimal", "feasible")
    activities = len(scenario.meetings) + len(scenario.action_days)
    assert 1 - len(result.unscheduled) / activities >= 0.95, result.unscheduled
    held = {entry["id"]: entry for entry in document["meetings"]}
    for meeting in pinned:
        pin = meeting.pinned
        assert pin is not None and meeting.id in held, meeting.id
        start = datetime.fromisoformat(held[meeting.id]["start"])
        if pin.start is not None:
            assert start == pin.start.replace(tzinfo=HOST_ZONE)
        if pin.date is not None:
            assert start.astimezone(HOST_ZONE).date() == pin.date
        if pin.room is not None:
            assert held[meeting.id]["room"] == pin.room
    critical = [
        a.id for a in [*scenario.meetings, *scenario.action_days] if a.priority == "critical"
    ]
    assert set(critical) <= set(held) | {entry["id"] for entry in document["action_days"]}


def test_a_small_linked_variant_is_planned_with_its_links_and_checked() -> None:
    scenario = _parsed("linked", 7, 6)
    assert _networks(scenario)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    document = schedule_document(result, scenario.name, "0" * 64)
    assert check_schedule(scenario, document) == []
    assert result.terms is not None and result.terms["link_spread"] > 0
    activities = len(scenario.meetings) + len(scenario.action_days)
    assert 1 - len(result.unscheduled) / activities >= 0.95, result.unscheduled
