"""The scenarios shipped in ``scenarios/``: each validates and shows what it claims to show."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest

from planner.loading import load_scenario
from planner.models import ActionDay, Meeting, Scenario
from planner.models.catalogue import CATALOGUE
from planner.models.scenario import BOOTHS, CENTRE, VIDEOCONFERENCE
from planner.timegrid import TimeGrid, day_range

SCENARIOS = Path(__file__).parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))


@cache
def _load(name: str) -> tuple[Scenario, TimeGrid]:
    scenario = load_scenario(SCENARIOS / name)
    return scenario, TimeGrid(scenario)


def _starts(name: str, meeting_id: str) -> list[datetime]:
    scenario, grid = _load(name)
    meeting = scenario.meetings_by_id[meeting_id]
    return [grid.at(grid.slot_minute(slot)) for slot in grid.allowed_starts(meeting)]


def _start_dates(name: str, meeting_id: str) -> set[date]:
    return {start.date() for start in _starts(name, meeting_id)}


def _start_times(name: str, meeting_id: str) -> set[str]:
    return {f"{start:%H:%M}" for start in _starts(name, meeting_id)}


def _action_day_dates(scenario: Scenario, grid: TimeGrid, action_day: ActionDay) -> set[date]:
    """Dates an action day may take by the calendar rules (docs/rules.md, Action days)."""
    first, last = scenario.window_of(action_day)
    dates = set()
    for day in day_range(first, last):
        if action_day.weekend:
            dates.add(day)
            continue
        parties = [scenario.parties[code] for code in action_day.countries]
        if grid.host_day_off(day) is None and all(
            grid.party_day_off(party, day) is None
            and not any(u.date == day and u.hours is None for u in party.unavailable)
            for party in parties
        ):
            dates.add(day)
    return dates


def _normalised(entity: str) -> tuple[str, str]:
    """An entity as docs/rules.md compares it: kind lower-cased, value letters and digits."""
    kind, colon, value = entity.partition(":")
    if not colon:
        kind, value = "", entity
    return kind.strip().lower(), re.sub(r"[^0-9a-z]", "", value.lower())


def _entity_links(scenario: Scenario) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Pairs of cases that share a normalised entity, with what they share."""
    links = {}
    for one, other in combinations(scenario.cases, 2):
        shared = {_normalised(e) for e in one.entities} & {_normalised(e) for e in other.entities}
        if shared:
            links[(one.id, other.id)] = shared
    return links


def _needed_languages(meeting: Meeting) -> set[str]:
    return {
        p.language
        for p in meeting.participants
        if p.language is not None and p.language != meeting.working_language
    }


# ---- every file ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_scenario_validates(path: Path) -> None:
    scenario, _ = _load(path.name)  # raises ScenarioError listing every problem
    assert scenario.name
    assert scenario.meetings or scenario.action_days


# Scenarios meant to be solved with every activity placed.
PLACEABLE = ["week.yaml", "dst-mismatch.yaml", "far-zones.yaml", "linked-action-days.yaml"]


@pytest.mark.parametrize("name", PLACEABLE)
def test_each_activity_could_be_placed(name: str) -> None:
    # Necessary conditions checked one activity at a time (the solver checks the rest).
    scenario, grid = _load(name)
    for meeting in scenario.meetings:
        assert grid.allowed_starts(meeting), f"{meeting.id} has no possible start"
        in_person = scenario.defaults.host_staff + sum(
            p.delegates for p in meeting.participants if p.attendance == "in_person"
        )
        needs = set()
        if any(p.attendance == "video" for p in meeting.participants):
            needs.add(VIDEOCONFERENCE)
        if any(p.attendance == "in_person" and p.language for p in meeting.participants):
            needs.add(BOOTHS)
        assert any(
            room.capacity >= in_person and needs <= set(room.features) for room in scenario.rooms
        ), f"no room for {meeting.id}"
        for language in _needed_languages(meeting):
            able = [
                i
                for i in scenario.interpreters
                if {language, meeting.working_language} <= set(i.languages)
            ]
            assert len(able) >= scenario.interpreters_needed(meeting), (meeting.id, language)
    for action_day in scenario.action_days:
        assert _action_day_dates(scenario, grid, action_day), action_day.id
        assert action_day.virtual == "allowed" or any(
            CENTRE in room.features for room in scenario.rooms
        )


# ---- week.yaml -----------------------------------------------------------------------------

WEEK = "week.yaml"


def test_week_frame() -> None:
    scenario, grid = _load(WEEK)
    assert scenario.name == "Week 49 (30 Nov - 4 Dec 2026)"
    assert (scenario.horizon.start, scenario.horizon.end) == (date(2026, 11, 30), date(2026, 12, 4))
    assert [day.weekday() for day in grid.host_dates] == [0, 1, 2, 3, 4]
    assert len(scenario.meetings) >= 15
    assert len(scenario.action_days) >= 2


def test_week_rooms() -> None:
    scenario, _ = _load(WEEK)
    assert len(scenario.rooms) == 5
    centres = [room.id for room in scenario.rooms if CENTRE in room.features]
    assert centres == ["CC1"]
    booths = [room.id for room in scenario.rooms if BOOTHS in room.features]
    assert len(booths) >= 2


def test_week_interpreters() -> None:
    scenario, _ = _load(WEEK)
    assert len(scenario.interpreters) >= 10
    assert all("en" in interpreter.languages for interpreter in scenario.interpreters)
    languages = {lang for i in scenario.interpreters for lang in i.languages} - {"en"}
    assert len(languages) >= 8
    for language in languages:  # the agency's contract: at least two per language
        assert sum(language in i.languages for i in scenario.interpreters) >= 2, language
    assert sum(len(i.languages) >= 3 for i in scenario.interpreters) >= 3
    # every language a participant speaks is covered
    spoken = {lang for m in scenario.meetings for lang in _needed_languages(m)}
    assert spoken <= languages
    assert len(spoken) >= 6


def test_week_countries_reach_beyond_europe() -> None:
    scenario, _ = _load(WEEK)
    codes = {c for case in scenario.cases for c in case.countries}
    codes |= {p.country for m in scenario.meetings for p in m.participants}
    countries = {code for code in codes if not scenario.parties[code].is_organisation}
    assert len(countries) >= 12
    far = {code for code in countries if scenario.parties[code].timezone.startswith("America/")}
    assert far >= {"US", "CO", "BR"}
    assert all(code in CATALOGUE for code in codes)


def test_week_meeting_features() -> None:
    scenario, _ = _load(WEEK)
    meetings = scenario.meetings
    priorities = [m.priority for m in meetings]
    assert priorities.count("critical") == 1
    assert len(set(priorities)) >= 3
    assert sum(m.preferred is not None for m in meetings) >= 2
    assert sum(bool(m.after) for m in meetings) >= 3
    assert any(p.attendance == "video" for m in meetings for p in m.participants)
    assert sum(not p.required for m in meetings for p in m.participants) >= 1
    long_interpreted = [m.id for m in meetings if _needed_languages(m) and m.duration > 60]
    assert len(long_interpreted) >= 3  # these need a team of two per language
    assert all(60 <= m.duration <= 180 for m in meetings)
    assert all(re.fullmatch(r"CM-\d{4}-\d", m.id) for m in meetings)
    assert all(re.fullmatch(r"EJ-\d{4}", case.id) for case in scenario.cases)
    assert any(ad.prepared_by for ad in scenario.action_days)


def test_week_critical_meeting_is_easy_to_place() -> None:
    scenario, _ = _load(WEEK)
    (critical,) = [m for m in scenario.meetings if m.priority == "critical"]
    assert not _needed_languages(critical)
    assert len(_start_dates(WEEK, critical.id)) == 5
    assert len(_starts(WEEK, critical.id)) >= 5 * 20


def test_week_far_zones_need_afternoons() -> None:
    # CO (UTC-5) with NL: 15:00-17:00 CET, so the 2 h meeting starts at 15:00.
    assert _start_times(WEEK, "CM-0412-1") == {"15:00"}
    # US New York (UTC-5 in winter): 1h30m between 15:00 and 17:00.
    assert _start_times(WEEK, "CM-0455-1") == {"15:00", "15:15", "15:30"}
    # BR Sao Paulo (UTC-3): 13:00-21:00 CET; with NL, ES, PT 13:00-17:00: 2 h from 13:00-15:00.
    assert _start_times(WEEK, "CM-0388-1") == {
        "13:00",
        "13:15",
        "13:30",
        "13:45",
        "14:00",
        "14:15",
        "14:30",
        "14:45",
        "15:00",
    }


def test_week_has_a_holiday_of_a_participating_country() -> None:
    scenario, grid = _load(WEEK)
    holidays = {
        (p.country, day)
        for m in scenario.meetings
        for p in m.participants
        for day in grid.host_dates
        if day.weekday() < 5 and grid.party_day_off(scenario.parties[p.country], day)
    }
    assert ("PT", date(2026, 12, 1)) in holidays
    # every meeting with Portugal avoids Tuesday 1 December
    with_portugal = [
        m.id for m in scenario.meetings if any(p.country == "PT" for p in m.participants)
    ]
    assert with_portugal
    for meeting_id in with_portugal:
        assert date(2026, 12, 1) not in _start_dates(WEEK, meeting_id)
    # CM-0388-1 may end on 2 Dec at the latest: Monday or Wednesday only
    assert _start_dates(WEEK, "CM-0388-1") == {date(2026, 11, 30), date(2026, 12, 2)}
    # and Romania is off on Monday and Tuesday
    assert _start_dates(WEEK, "CM-0501-1") == {date(2026, 12, d) for d in (2, 3, 4)}


def test_week_cases_are_linked_only_through_a_shared_entity() -> None:
    scenario, grid = _load(WEEK)
    links = _entity_links(scenario)
    assert set(links) == {("EJ-0412", "EJ-0388")}
    assert links[("EJ-0412", "EJ-0388")] == {("iban", "es9121000418450200051332")}
    one, other = scenario.cases_by_id["EJ-0412"], scenario.cases_by_id["EJ-0388"]
    written = {e for e in one.entities if e.startswith("iban")}
    written |= {e for e in other.entities if e.startswith("iban")}
    assert len(written) == 2  # spelled differently in the two cases
    assert all(not case.linked for case in scenario.cases)  # no declared link anywhere
    assert scenario.links.detect == "entities" and scenario.links.action_days == "same_day"
    # each has an action day; their windows overlap, and they share possible dates
    (first,) = [ad for ad in scenario.action_days if ad.case == "EJ-0412"]
    (second,) = [ad for ad in scenario.action_days if ad.case == "EJ-0388"]
    (a_first, a_last), (b_first, b_last) = scenario.window_of(first), scenario.window_of(second)
    assert max(a_first, b_first) <= min(a_last, b_last)
    common = _action_day_dates(scenario, grid, first) & _action_day_dates(scenario, grid, second)
    assert common == {date(2026, 12, d) for d in (2, 3, 4)}
    # AD-0388 cannot be on Tuesday, Portugal's holiday
    assert date(2026, 12, 1) not in _action_day_dates(scenario, grid, second)
    # one centre room for two same-day centres: the one that may, runs virtually
    assert (first.virtual, second.virtual) == ("never", "allowed")


def test_week_action_day_centres() -> None:
    scenario, grid = _load(WEEK)
    setup = scenario.coordination_centre.setup
    spans = {}
    for action_day in scenario.action_days:
        starts = [
            grid.local_minute(date(2026, 12, 3), action_day.local_start, party.timezone)
            for party in (scenario.parties[c] for c in action_day.countries)
        ]
        opens = grid.at(min(starts) - setup)
        closes = grid.at(max(starts) + action_day.duration)
        spans[action_day.id] = (f"{opens:%H:%M}", f"{closes:%H:%M}")
    # 06:00 CET - 1 h setup; Sao Paulo's 06:00 is 10:00 CET, + 10 h = 20:00
    assert spans == {"AD-0412": ("05:00", "16:00"), "AD-0388": ("05:00", "20:00")}
    assert sum(ad.staff for ad in scenario.action_days) <= scenario.coordination_centre.staff


def test_week_is_not_overloaded() -> None:
    # Loose capacity checks: the week must be easy to solve with everything placed.
    scenario, grid = _load(WEEK)
    host_minutes = scenario.host.hours.minutes * len(grid.host_spans)
    meeting_minutes = sum(m.duration + scenario.defaults.room_buffer for m in scenario.meetings)
    meeting_rooms = [room for room in scenario.rooms if CENTRE not in room.features]
    assert meeting_minutes <= 0.3 * host_minutes * len(meeting_rooms)
    for language in {lang for m in scenario.meetings for lang in _needed_languages(m)}:
        demand = sum(
            m.duration * scenario.interpreters_needed(m)
            for m in scenario.meetings
            if language in _needed_languages(m)
        )
        able = [i for i in scenario.interpreters if language in i.languages]
        supply = sum(scenario.interpreter_max_per_day(i) * len(grid.host_spans) for i in able)
        assert demand <= 0.3 * supply, language
    for code, party in scenario.parties.items():
        busy = sum(
            m.duration for m in scenario.meetings if any(p.country == code for p in m.participants)
        )
        assert busy <= 0.5 * party.desk_capacity * party.working_hours.minutes * 5, code


# ---- the small scenarios -----------------------------------------------------------------------


def test_dst_mismatch() -> None:
    scenario, grid = _load("dst-mismatch.yaml")
    assert (scenario.horizon.start, scenario.horizon.end) == (
        date(2026, 10, 26),
        date(2026, 10, 30),
    )
    # New York is on EDT (UTC-4), The Hague on CET (UTC+1): 14:00-17:00 CET overlap
    assert grid.at(0, "America/New_York").utcoffset() == timedelta(hours=-4)
    assert grid.at(0).utcoffset() == timedelta(hours=1)
    quarter_hours = {f"{h:02d}:{m:02d}" for h in (14, 15) for m in (0, 15, 30, 45)} | {"16:00"}
    assert _start_times("dst-mismatch.yaml", "CM-0310-1") == quarter_hours
    assert _start_times("dst-mismatch.yaml", "CM-0310-2") == {"14:00"}
    assert len(_start_dates("dst-mismatch.yaml", "CM-0310-2")) == 5


def test_far_zones() -> None:
    name = "far-zones.yaml"
    scenario, grid = _load(name)
    assert scenario.defaults.stretch == 180
    assert _start_times(name, "CM-0733-1") == {"15:00", "15:15", "15:30", "15:45", "16:00"}
    meeting = scenario.meetings_by_id["CM-0733-1"]
    zones = {p.country: scenario.participant_timezone(p) for p in meeting.participants}
    assert zones == {
        "NL": "Europe/Amsterdam",
        "GE": "Asia/Tbilisi",
        "CL": "America/Santiago",
        "US": "America/Los_Angeles",
    }
    # Wherever it starts, GE and Los Angeles are 5 h outside their hours together:
    # 20 started quarters (the file's comment); NL and CL are inside theirs.
    for start in _starts(name, "CM-0733-1"):
        minute = grid.minute(start)
        steps = {
            p.country: grid.stretch_steps(
                grid.participant_work_spans(p), minute, minute + meeting.duration
            )
            for p in meeting.participants
        }
        assert steps["NL"] == 0 and steps["CL"] == 0
        assert steps["GE"] is not None and steps["US"] is not None
        assert steps["GE"] + steps["US"] == 20
    # the action day's centre: Tbilisi 06:00 = 03:00 CET - 1 h; Bogota 06:00 + 10 h = 22:00
    (action_day,) = scenario.action_days
    day = date(2026, 12, 3)
    starts = [
        grid.local_minute(day, action_day.local_start, scenario.parties[c].timezone)
        for c in action_day.countries
    ]
    assert f"{grid.at(min(starts) - scenario.coordination_centre.setup):%H:%M}" == "02:00"
    assert f"{grid.at(max(starts) + action_day.duration):%H:%M}" == "22:00"


def test_linked_action_days() -> None:
    scenario, grid = _load("linked-action-days.yaml")
    assert set(_entity_links(scenario)) == {("EJ-0101", "EJ-0207")}
    assert all(not case.linked for case in scenario.cases)
    first, second, unlinked = (
        scenario.action_days_by_id[i] for i in ("AD-0101", "AD-0207", "AD-0300")
    )
    common = _action_day_dates(scenario, grid, first) & _action_day_dates(scenario, grid, second)
    assert common == {date(2026, 12, 3)}  # the only date both may take
    assert len(_action_day_dates(scenario, grid, unlinked)) == 5
    assert sum(CENTRE in room.features for room in scenario.rooms) == 2
