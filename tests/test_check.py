"""The independent checker: for every rule family a valid schedule and a hand-broken one.

Times are worked out by hand in the comments. In winter the host (Amsterdam)
is UTC+1, Lisbon UTC+0, New York UTC-5, Bogotá UTC-5 all year, Auckland UTC+13.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner.check
from planner.check import (
    TERMS,
    ScheduleFileError,
    Violation,
    check_schedule,
    linked_clusters,
    load_schedule,
    normalise_entity,
)
from planner.loading import load_scenario, parse_scenario
from planner.models import Scenario

DATA = Path(__file__).parent / "data"

COMMON = """
rooms:
  - {id: P1, capacity: 60, features: [videoconference, interpretation_booths]}
  - id: M3
    capacity: 6
    features: [videoconference]
    unavailable: [{date: 2026-12-01, hours: "08:00-12:00"}]
  - {id: M4, capacity: 20}
  - {id: CC1, capacity: 24, features: [coordination_centre]}
  - {id: CC2, capacity: 24, features: [coordination_centre]}
interpreters:
  - {id: anna, languages: [de, en, fr]}
  - {id: karl, languages: [de, en]}
  - {id: lucia, languages: [es, en]}
  - {id: joao, languages: [pt, en], max_per_day: 2h, hours: "09:00-17:00",
     unavailable: [2026-12-04]}
"""
CASES = """
cases:
  - {id: C1, crime: fraud, countries: [NL, DE, ES, PT, US, CO, FI]}
  - {id: C2, crime: fraud, countries: [NL, DE]}
"""
WEEK = "{start: 2026-11-30, end: 2026-12-04}"  # Mon..Fri; Tue 1 Dec is a holiday in PT


@cache
def scenario(body: str, horizon: str = WEEK) -> Scenario:
    body = dedent(body)
    cases = "" if "\ncases:" in "\n" + body else CASES
    header = f"schema: planner.scenario/1\nhorizon: {horizon}\n"
    return parse_scenario(header + dedent(COMMON) + cases + body)


def at(moment: str) -> str:
    """A winter host time: ``"2026-12-02 10:00"`` -> ``"2026-12-02T10:00:00+01:00"``."""
    return moment.replace(" ", "T") + ":00+01:00"


def meeting(
    identifier: str, start: str, end: str, room: str | None = "P1", **extra: Any
) -> dict[str, Any]:
    return {"id": identifier, "start": start, "end": end, "room": room, **extra}


def centre(
    identifier: str, day: str, opens: str, closes: str, room: str | None = "CC1"
) -> dict[str, Any]:
    return {
        "id": identifier,
        "date": day,
        "centre_open": opens,
        "centre_close": closes,
        "room": room,
    }


def unscheduled(identifier: str, rule: str = "window") -> dict[str, Any]:
    return {"id": identifier, "rule": rule, "reasons": ["no room for it"]}


def schedule(
    meetings: list[dict[str, Any]] | None = None,
    action_days: list[dict[str, Any]] | None = None,
    *,
    skipped: list[dict[str, Any]] | None = None,
    **terms: int,
) -> dict[str, Any]:
    all_terms = dict.fromkeys(TERMS, 0) | terms
    return {
        "schema": "planner.schedule/1",
        "scenario": {"name": "", "sha256": ""},
        "status": "feasible",
        "objective": sum(all_terms.values()),
        "bound": 0,
        "terms": all_terms,
        "solve_seconds": 0.1,
        "meetings": meetings or [],
        "action_days": action_days or [],
        "unscheduled": skipped or [],
        "infeasible": [],
        "links": {"clusters": [], "suspected": []},
    }


def found(
    plan: Scenario, file: dict[str, Any], *, placement: bool = False, **kwargs: Any
) -> set[tuple[str, str]]:
    """The rule and activity of each violation. The fixtures leave activities out by hand
    to test other rules, often where they would fit: placement (SPEC 2.3) is left aside
    unless asked for (its tests are under "placement")."""
    violations = check_schedule(plan, file, **kwargs)
    return {(v.rule, v.activity) for v in violations if placement or v.rule != "placement"}


def test_the_checker_shares_no_code_with_the_solver() -> None:
    tree = ast.parse(Path(planner.check.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and ("solver" in m or "timegrid" in m)}


# ---- the SPEC example, whole ---------------------------------------------------------

SPEC_SCENARIO = DATA / "spec_example.yaml"
SPEC_SCHEDULE = DATA / "check" / "spec_example.schedule.json"


@cache
def spec_scenario() -> Scenario:
    return load_scenario(SPEC_SCENARIO)


def spec_schedule() -> dict[str, Any]:
    # CM-0388-1 Mon 09:00-11:00 in P1 with es booths; CM-0412-1 pinned Tue 15:00-17:00 P1
    # (CO: 09:00-11:00 Bogotá; ES optional attends: 15:00 Madrid); the action day on Thu 3
    # Dec (prepared_by needs Wed 17:00): NL, DE, ES operate 06:00-16:00 CET, centre 05:00-16:00.
    file = load_schedule(SPEC_SCHEDULE)
    file["scenario"]["sha256"] = hashlib.sha256(SPEC_SCENARIO.read_bytes()).hexdigest()
    return file


def test_spec_example_schedule_holds() -> None:
    plan = spec_scenario()
    assert check_schedule(plan, spec_schedule(), SPEC_SCENARIO.read_bytes()) == []


def test_scenario_digest_must_match_the_file() -> None:
    plan = spec_scenario()
    assert found(plan, spec_schedule(), scenario_bytes=b"another file") == {("schedule", "")}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # 14:00 CET is 08:00 in Bogotá, before CO's hours; the pin says 15:00.
        (
            {
                "start": "2026-12-01T14:00:00+01:00",
                "end": "2026-12-01T16:00:00+01:00",
                "local": {},
            },
            {("working_hours", "CM-0412-1"), ("pin", "CM-0412-1")},
        ),
        ({"interpreters": {"de": ["anna", "karl"]}}, {("interpreter", "CM-0412-1")}),
    ],
)
def test_spec_example_broken(change: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    file = spec_schedule()
    file["meetings"][1].update(change)
    assert found(spec_scenario(), file) == expected


# ---- meeting time: slot, window, host hours, host working day -------------------------

TIME = """
countries: [{code: NL, working_hours: "07:00-22:00"}]
meetings:
  - {id: M1, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-03,
     participants: [{country: NL}]}
"""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-02 10:00", "2026-12-02 11:00", set()),
        ("2026-12-02 18:00", "2026-12-02 19:00", set()),  # ends exactly at host close
        ("2026-12-02 10:05", "2026-12-02 11:05", {("window", "M1")}),  # off the 15 min grid
        ("2026-11-30 10:00", "2026-11-30 11:00", {("window", "M1")}),  # before earliest
        ("2026-12-02 18:30", "2026-12-02 19:30", {("host_hours", "M1")}),
        ("2026-12-02 07:00", "2026-12-02 08:00", {("host_hours", "M1")}),
    ],
)
def test_meeting_time(start: str, end: str, expected: set[tuple[str, str]]) -> None:
    file = schedule([meeting("M1", at(start), at(end), "M4")])
    assert found(scenario(TIME), file) == expected


def test_host_holiday() -> None:
    # Mon 27 Apr 2026 is King's Day in NL (host) but a working day in DE.
    body = """
    meetings: [{id: M1, case: C1, duration: 1h, participants: [{country: DE}]}]
    """
    april = "{start: 2026-04-27, end: 2026-04-28}"
    file = schedule([meeting("M1", "2026-04-27T10:00:00+02:00", "2026-04-27T11:00:00+02:00", "M4")])
    assert found(scenario(body, april), file) == {("holiday", "M1")}
    no_host_holidays = "host: {holidays: none}\n" + dedent(body)
    assert check_schedule(scenario(no_host_holidays, april), file) == []


# ---- participants' hours, time zones, DST, holidays, unavailability -------------------


def test_bogota_is_six_hours_behind_in_winter() -> None:
    body = """
    meetings:
      - {id: M1, case: C1, duration: 2h,
         participants: [{country: NL}, {country: CO, attendance: video}]}
    """
    # 15:00 CET = 09:00 Bogotá (UTC-5): inside 09:00-17:00.
    good = schedule([meeting("M1", at("2026-12-02 15:00"), at("2026-12-02 17:00"))])
    assert check_schedule(scenario(body), good) == []
    # 14:00 CET = 08:00 Bogotá: before CO's hours.
    early = schedule([meeting("M1", at("2026-12-02 14:00"), at("2026-12-02 16:00"))])
    assert found(scenario(body), early) == {("working_hours", "M1")}


US_WEEKS = """
meetings:
  - {id: M1, case: C1, duration: 2h,
     participants: [{country: NL}, {country: US, attendance: video}]}
"""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # EU is on winter time since 25 Oct, New York only from 1 Nov: 5 h apart.
        # Tue 27 Oct 14:00 CET = 09:00 EDT.
        ("2026-10-27T14:00:00+01:00", "2026-10-27T16:00:00+01:00", set()),
        # Tue 27 Oct 13:00 CET = 08:00 EDT.
        ("2026-10-27T13:00:00+01:00", "2026-10-27T15:00:00+01:00", {("working_hours", "M1")}),
        # Tue 3 Nov, 6 h apart again: 14:00 CET = 08:00 EST, 15:00 CET = 09:00 EST.
        ("2026-11-03T14:00:00+01:00", "2026-11-03T16:00:00+01:00", {("working_hours", "M1")}),
        ("2026-11-03T15:00:00+01:00", "2026-11-03T17:00:00+01:00", set()),
    ],
)
def test_eu_us_daylight_saving_mismatch_week(
    start: str, end: str, expected: set[tuple[str, str]]
) -> None:
    plan = scenario(US_WEEKS, "{start: 2026-10-26, end: 2026-11-06}")
    assert found(plan, schedule([meeting("M1", start, end)])) == expected


def test_eu_autumn_change_night() -> None:
    plan = scenario(
        """
        meetings: [{id: M1, case: C1, duration: 1h, participants: [{country: NL}]}]
        """,
        "{start: 2026-10-23, end: 2026-10-30}",
    )
    # Mon 26 Oct 10:00 is CET (+01:00); the origin Fri 23 Oct 00:00 was CEST. Elapsed
    # minutes from the origin: 3 d + 1 h (the repeated hour) + 10 h, on the 15 min grid.
    good = schedule([meeting("M1", "2026-10-26T10:00:00+01:00", "2026-10-26T11:00:00+01:00")])
    assert check_schedule(plan, good) == []
    # The same instant written with the summer offset is not host time.
    stale = schedule([meeting("M1", "2026-10-26T11:00:00+02:00", "2026-10-26T12:00:00+02:00")])
    assert found(plan, stale) == {("schedule", "M1")}


def test_centre_over_the_repeated_hour() -> None:
    plan = scenario(
        """
        action_days:
          - {id: A1, case: C1, countries: [NL], local_start: "02:30", duration: 2h,
             weekend: true}
        """,
        "{start: 2026-10-23, end: 2026-10-30}",
    )
    # Sun 25 Oct: 02:30 happens twice in Amsterdam; fold=0 is the first, 02:30 CEST =
    # 00:30Z. Operations end 2 h later, 02:30Z = 03:30 CET; set-up opens at 23:30Z = 01:30 CEST.
    good = centre("A1", "2026-10-25", "2026-10-25T01:30:00+02:00", "2026-10-25T03:30:00+01:00")
    assert check_schedule(plan, schedule(action_days=[good])) == []
    # Clock arithmetic (02:30 + 2 h = 04:30) forgets the hour given back.
    naive = dict(good, centre_close="2026-10-25T04:30:00+01:00")
    assert found(plan, schedule(action_days=[naive])) == {("centre", "A1")}


def test_centre_spans_fi_pt_us_in_winter() -> None:
    plan = scenario(
        """
        action_days: [{id: A1, case: C1, countries: [FI, PT, US], staff: 3}]
        """
    )
    # SPEC 2.2: 06:00 in Helsinki is 04:00Z, 06:00 in New York 11:00Z ending 21:00Z;
    # with 1 h set-up the centre is 03:00Z-21:00Z = 04:00-22:00 CET.
    good = centre("A1", "2026-12-02", at("2026-12-02 04:00"), at("2026-12-02 22:00"))
    assert check_schedule(plan, schedule(action_days=[good])) == []
    late = dict(good, centre_open=at("2026-12-02 05:00"))
    assert found(plan, schedule(action_days=[late])) == {("centre", "A1")}


def test_far_zone_falls_on_another_local_date() -> None:
    plan = scenario(
        """
        countries:
          - {code: NL, working_hours: "08:00-19:00"}
          - {code: NZ, timezone: Pacific/Auckland, working_hours: "06:00-10:00"}
        cases: [{id: C1, crime: fraud, countries: [NL, NZ]}]
        meetings:
          - {id: M1, case: C1, duration: 1h,
             participants: [{country: NL}, {country: NZ, attendance: video}]}
        """
    )
    # Thu 3 Dec 18:00 CET = 17:00Z = Fri 4 Dec 06:00 in Auckland (UTC+13).
    local = {"NZ": {"start": "2026-12-04T06:00:00+13:00", "end": "2026-12-04T07:00:00+13:00"}}
    good = meeting("M1", at("2026-12-03 18:00"), at("2026-12-03 19:00"), local=local)
    assert check_schedule(plan, schedule([good])) == []
    # Fri 4 Dec 18:00 CET = Sat 5 Dec 06:00 in Auckland: a weekend there.
    saturday = meeting("M1", at("2026-12-04 18:00"), at("2026-12-04 19:00"))
    assert found(plan, schedule([saturday])) == {("holiday", "M1")}
    # The local times must be the same instants, written in the participant's zone.
    wrong_local = copy.deepcopy(good)
    wrong_local["local"]["NZ"]["start"] = "2026-12-03T06:00:00+13:00"
    assert found(plan, schedule([wrong_local])) == {("schedule", "M1")}


def test_portuguese_public_holiday() -> None:
    body = """
    meetings:
      - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: PT}]}
    """
    # Tue 1 Dec 2026 is Restoration of Independence Day in Portugal; Wed 2 Dec is not.
    # 10:00 CET = 09:00 Lisbon, inside PT's 09:00-17:00.
    holiday = schedule([meeting("M1", at("2026-12-01 10:00"), at("2026-12-01 11:00"))])
    assert found(scenario(body), holiday) == {("holiday", "M1")}
    workday = schedule([meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"))])
    assert check_schedule(scenario(body), workday) == []
    no_holidays = "countries: [{code: PT, holidays: none}]\n" + dedent(body)
    assert check_schedule(scenario(no_holidays), holiday) == []


STRETCH = """
defaults: {stretch: 30m}
countries: [{code: NL, working_hours: "08:00-18:00"}]
meetings:
  - {id: M1, case: C1, duration: 2h, participants: [{country: NL}, {country: ES}]}
"""


def test_stretch_is_allowed_and_charged() -> None:
    # 08:30 CET = 08:30 Madrid: 30 min before ES's 09:00, two started 15 min steps,
    # 2 x 3 = 6; NL's hours start at 08:00, so NL costs nothing.
    placed = [meeting("M1", at("2026-12-02 08:30"), at("2026-12-02 10:30"), "M4")]
    assert check_schedule(scenario(STRETCH), schedule(placed, stretch=6)) == []
    assert found(scenario(STRETCH), schedule(placed)) == {("objective", "")}
    # 08:15 is 45 min before ES's hours, beyond the 30 min stretch.
    too_early = [meeting("M1", at("2026-12-02 08:15"), at("2026-12-02 10:15"), "M4")]
    assert found(scenario(STRETCH), schedule(too_early)) == {("working_hours", "M1")}


UNAVAILABLE = """
countries:
  - code: PT
    unavailable: [2026-12-03, {date: 2026-12-02, hours: "13:00-17:00"}]  # Lisbon time
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: PT}]}
"""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 13:00-14:00 CET = 12:00-13:00 Lisbon: touches the window, does not overlap.
        ("2026-12-02 13:00", "2026-12-02 14:00", set()),
        # 14:00-15:00 CET = 13:00-14:00 Lisbon.
        ("2026-12-02 14:00", "2026-12-02 15:00", {("unavailable", "M1")}),
        ("2026-12-03 10:00", "2026-12-03 11:00", {("unavailable", "M1")}),  # all day
    ],
)
def test_party_unavailable(start: str, end: str, expected: set[tuple[str, str]]) -> None:
    assert found(scenario(UNAVAILABLE), schedule([meeting("M1", at(start), at(end))])) == expected


def test_unavailable_windows_are_read_in_the_partys_zone() -> None:
    # The PT delegate sits in the Azores (UTC-1): hours 09:00-17:00 there are
    # 11:00-19:00 CET. The party's window 13:00-17:00 stays in Lisbon time.
    body = UNAVAILABLE.replace("{country: PT}", "{country: PT, timezone: Atlantic/Azores}")
    # 14:00 CET = 13:00 Lisbon = 12:00 Azores: overlaps the Lisbon window.
    assert found(
        scenario(body), schedule([meeting("M1", at("2026-12-02 14:00"), at("2026-12-02 15:00"))])
    ) == {("unavailable", "M1")}
    # 12:00 CET = 10:00 Azores (in hours) = 11:00 Lisbon (free).
    free = schedule([meeting("M1", at("2026-12-02 12:00"), at("2026-12-02 13:00"))])
    assert check_schedule(scenario(body), free) == []
    # 10:00 CET = 08:00 Azores: before the delegate's hours.
    early = schedule([meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"))])
    assert found(scenario(body), early) == {("working_hours", "M1")}


# ---- optional participants -----------------------------------------------------------

OPTIONAL = """
countries: [{code: NL, working_hours: "08:00-19:00"}]
meetings:
  - id: M1
    case: C1
    duration: 1h
    participants:
      - {country: NL}
      - {country: CO, attendance: video, language: es}
      - {country: ES, attendance: video, language: es, required: false}
"""


def test_optional_participant_attends_when_it_can() -> None:
    # 15:00 CET = 09:00 Bogotá = 15:00 Madrid: both can attend; es needs 1 interpreter (1 h).
    teams = {"es": ["lucia"]}
    both = meeting("M1", at("2026-12-02 15:00"), at("2026-12-02 16:00"), interpreters=teams)
    assert check_schedule(scenario(OPTIONAL), schedule([both])) == []
    # Listing ES absent then has no reason: CO shares its language and its video link.
    dropped = dict(both, absent=["ES"])
    assert found(scenario(OPTIONAL), schedule([dropped], optional_absent=20)) == {
        ("working_hours", "M1")
    }


def test_optional_participant_outside_its_hours_is_absent() -> None:
    # 17:00 CET = 11:00 Bogotá but 17:00 Madrid, after ES's hours: ES may not attend.
    teams = {"es": ["lucia"]}
    late = meeting("M1", at("2026-12-02 17:00"), at("2026-12-02 18:00"), interpreters=teams)
    assert found(scenario(OPTIONAL), schedule([late])) == {("working_hours", "M1")}
    absent = dict(late, absent=["ES"])
    assert check_schedule(scenario(OPTIONAL), schedule([absent], optional_absent=20)) == []


@pytest.mark.parametrize(
    ("participant", "why"),
    [
        ("{country: DE, language: de, required: false}", "needs an interpreter team"),
        ("{country: DE, attendance: video, required: false}", "needs videoconference"),
    ],
)
def test_optional_absence_for_interpreters_or_room_features(participant: str, why: str) -> None:
    body = f"""
    meetings:
      - {{id: M1, case: C1, duration: 1h, participants: [{{country: NL}}, {participant}]}}
    """
    absent = meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"), "M4", absent=["DE"])
    assert check_schedule(scenario(body), schedule([absent], optional_absent=20)) == [], why


def test_optional_absence_for_a_full_desk() -> None:
    body = """
    countries: [{code: ES, desk_capacity: 1}]
    meetings:
      - {id: M0, case: C2, duration: 2h, participants: [{country: ES}]}
      - id: M1
        case: C1
        duration: 1h
        participants:
          - {country: NL}
          - {country: CO, attendance: video}
          - {country: ES, attendance: video, required: false}
    """
    # ES is busy in M0 15:00-17:00, so its desk (1) is full during M1 at 16:00.
    busy = meeting("M0", at("2026-12-02 15:00"), at("2026-12-02 17:00"), "M4")
    m1 = meeting("M1", at("2026-12-02 16:00"), at("2026-12-02 17:00"), absent=["ES"])
    assert check_schedule(scenario(body), schedule([busy, m1], optional_absent=20)) == []
    attending = dict(m1, absent=[])
    assert found(scenario(body), schedule([busy, attending])) == {("desk_capacity", "M1")}


# ---- desks ---------------------------------------------------------------------------

DESKS = """
countries: [{code: DE, desk_capacity: 1, working_hours: "08:00-19:00"}]
meetings:
  - {id: M1, case: C1, duration: 2h, participants: [{country: DE}]}
  - {id: M2, case: C2, duration: 1h, participants: [{country: DE}]}
action_days:
  - {id: A1, case: C2, countries: [DE], earliest: 2026-12-03, latest: 2026-12-03}
"""
# A1 on Thu 3 Dec: DE operates 06:00-16:00 CET, the centre is open 05:00-16:00.
A1_DEC_3 = centre("A1", "2026-12-03", at("2026-12-03 05:00"), at("2026-12-03 16:00"))


@pytest.mark.parametrize(
    ("m1", "m2", "expected"),
    [
        # M1 (2 h) and M2 (1 h) back to back on Wed: DE's single desk is never shared.
        (("2026-12-02 10:00", "2026-12-02 12:00"), ("2026-12-02 12:00", "2026-12-02 13:00"), set()),
        (
            ("2026-12-02 10:00", "2026-12-02 12:00"),
            ("2026-12-02 11:00", "2026-12-02 12:00"),
            {("desk_capacity", "M2")},
        ),
        # M1 on Thu as the centre closes at 16:00, then while it is still open.
        (("2026-12-03 16:00", "2026-12-03 18:00"), ("2026-12-02 10:00", "2026-12-02 11:00"), set()),
        (
            ("2026-12-03 15:00", "2026-12-03 17:00"),
            ("2026-12-02 10:00", "2026-12-02 11:00"),
            {("desk_capacity", "M1")},
        ),
    ],
)
def test_desk_capacity(
    m1: tuple[str, str], m2: tuple[str, str], expected: set[tuple[str, str]]
) -> None:
    placed = [
        meeting("M1", at(m1[0]), at(m1[1]), "P1"),
        meeting("M2", at(m2[0]), at(m2[1]), "M4"),
    ]
    assert found(scenario(DESKS), schedule(placed, [A1_DEC_3])) == expected


# ---- rooms ---------------------------------------------------------------------------

ROOMS = """
meetings:
  - id: M1
    case: C1
    duration: 1h
    participants:
      - {country: NL, delegates: 2}
      - {country: PT, delegates: 3, required: false}
  - {id: M2, case: C1, duration: 1h,
     participants: [{country: NL}, {country: CO, attendance: video}]}
  - {id: M3, case: C1, duration: 1h, participants: [{country: NL}, {country: DE, language: de}]}
"""


def rooms_schedule(m1: str = "M4", m2: str = "P1", m3: str = "P1") -> dict[str, Any]:
    # Tue 1 Dec: PT (optional, in person) is on a public holiday and absent.
    return schedule(
        [
            meeting("M1", at("2026-12-01 13:00"), at("2026-12-01 14:00"), m1, absent=["PT"]),
            meeting("M2", at("2026-12-01 15:00"), at("2026-12-01 16:00"), m2),
            meeting(
                "M3",
                at("2026-12-02 10:00"),
                at("2026-12-02 11:00"),
                m3,
                interpreters={"de": ["anna"]},
            ),
        ],
        optional_absent=20,
    )


@pytest.mark.parametrize(
    ("rooms", "expected"),
    [
        ({}, set()),
        # M3 seats 6; M1 needs 2 staff + 2 NL + 3 PT (absent, but invited) = 7.
        ({"m1": "M3"}, {("room_capacity", "M1")}),
        ({"m2": "M4"}, {("room_feature", "M2")}),  # CO on video
        ({"m3": "M4"}, {("room_feature", "M3")}),  # DE in person needs booths
    ],
)
def test_room_capacity_and_features(rooms: dict[str, str], expected: set[tuple[str, str]]) -> None:
    assert found(scenario(ROOMS), rooms_schedule(**rooms)) == expected


def test_room_unavailable_and_buffer() -> None:
    body = """
    meetings:
      - {id: M1, case: C1, duration: 1h, participants: [{country: NL}]}
      - {id: M2, case: C1, duration: 1h, participants: [{country: DE}]}
    """
    plan = scenario(body)
    # M3 is closed Tue 1 Dec 08:00-12:00 host time.
    free = meeting("M1", at("2026-12-01 12:00"), at("2026-12-01 13:00"), "M3")
    closed = meeting("M1", at("2026-12-01 11:00"), at("2026-12-01 12:00"), "M3")
    m2 = meeting("M2", at("2026-12-03 10:00"), at("2026-12-03 11:00"), "M3")
    assert check_schedule(plan, schedule([free, m2])) == []
    assert found(plan, schedule([closed, m2])) == {("unavailable", "M1")}
    # Two uses of P1 need 15 min between them.
    first = meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"))
    spaced = meeting("M2", at("2026-12-02 11:15"), at("2026-12-02 12:15"))
    assert check_schedule(plan, schedule([first, spaced])) == []
    touching = meeting("M2", at("2026-12-02 11:00"), at("2026-12-02 12:00"))
    assert found(plan, schedule([first, touching])) == {("room_conflict", "M2")}


def test_room_buffer_between_a_centre_and_a_meeting() -> None:
    body = """
    countries: [{code: NL, working_hours: "08:00-19:00"}]
    meetings: [{id: M1, case: C1, duration: 1h, participants: [{country: NL}]}]
    action_days: [{id: A1, case: C2, countries: [DE]}]
    """
    # A1 holds CC1 05:00-16:00 on Thu 3 Dec.
    after = meeting("M1", at("2026-12-03 16:15"), at("2026-12-03 17:15"), "CC1")
    assert check_schedule(scenario(body), schedule([after], [A1_DEC_3])) == []
    close = meeting("M1", at("2026-12-03 16:00"), at("2026-12-03 17:00"), "CC1")
    assert found(scenario(body), schedule([close], [A1_DEC_3])) == {("room_conflict", "M1")}


# ---- interpreters --------------------------------------------------------------------

INTERPRETERS = """
countries: [{code: NL, working_hours: "08:00-19:00"}]
meetings:
  - {id: M1, case: C1, duration: 2h, participants: [{country: NL}, {country: DE, language: de}]}
  - {id: M2, case: C2, duration: 1h,
     participants: [{country: NL}, {country: DE, attendance: video, language: de}]}
  - {id: T1, case: C1, duration: 1h, participants: [{country: NL}, {country: PT, language: pt}]}
  - {id: T2, case: C1, duration: 1h, participants: [{country: NL}, {country: PT, language: pt}]}
  - {id: T3, case: C1, duration: 1h, participants: [{country: NL}, {country: PT, language: pt}]}
"""


def interpreters_schedule(**changes: dict[str, Any]) -> dict[str, Any]:
    # M1 (2 h, team of 2) Wed 10-12 in P1; M2 (1 h) Wed 14-15 in M3 on video;
    # the pt meetings T1-T3 on Thu 10, 13 and 15 h: joao interprets 2 h, his daily cap.
    placed = {
        "M1": meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 12:00"), "P1"),
        "M2": meeting("M2", at("2026-12-02 14:00"), at("2026-12-02 15:00"), "M3"),
        "T1": meeting("T1", at("2026-12-03 10:00"), at("2026-12-03 11:00"), "P1"),
        "T2": meeting("T2", at("2026-12-03 13:00"), at("2026-12-03 14:00"), "P1"),
    }
    teams = {"M1": {"de": ["anna", "karl"]}, "M2": {"de": ["karl"]}}
    teams |= {"T1": {"pt": ["joao"]}, "T2": {"pt": ["joao"]}}
    for identifier, entry in placed.items():
        entry["interpreters"] = teams[identifier]
        entry.update(changes.get(identifier, {}))
    extra = [{"id": "T3", "room": "P1", **changes["T3"]}] if "T3" in changes else []
    skipped = [] if extra else [unscheduled("T3", "interpreter")]
    return schedule([*placed.values(), *extra], skipped=skipped, unscheduled=0 if extra else 100)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"M1": {"interpreters": {"de": ["anna"]}}}, {("interpreter", "M1")}),  # team of 2
        ({"M1": {"interpreters": {"de": ["anna", "lucia"]}}}, {("interpreter", "M1")}),
        ({"M1": {"interpreters": {}}}, {("interpreter", "M1")}),
        (
            {"M1": {"interpreters": {"de": ["anna", "karl"], "es": ["lucia"]}}},
            {("interpreter", "M1")},  # es is not needed
        ),
        (
            {"M2": {"start": at("2026-12-02 11:00"), "end": at("2026-12-02 12:00")}},
            {("interpreter", "M2")},  # karl is still in M1
        ),
        (
            {"M1": {"interpreters": {"de": ["karl", "karl"]}}},
            {("interpreter", "M1")},  # one person, two seats
        ),
        (
            {"T2": {"start": at("2026-12-03 17:00"), "end": at("2026-12-03 18:00")}},
            {("interpreter", "T2")},  # joao works 09:00-17:00
        ),
        (
            {"T2": {"start": at("2026-12-04 10:00"), "end": at("2026-12-04 11:00")}},
            {("interpreter", "T2")},  # joao is away on Fri 4 Dec
        ),
        (
            {
                "T3": {
                    "start": at("2026-12-03 15:00"),
                    "end": at("2026-12-03 16:00"),
                    "interpreters": {"pt": ["joao"]},
                }
            },
            {("interpreter", "T3")},  # a third hour on Thu: over joao's 2 h
        ),
    ],
)
def test_interpreters(changes: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert found(scenario(INTERPRETERS), interpreters_schedule(**changes)) == expected


def test_interpreter_serves_one_language_at_a_time() -> None:
    body = """
    meetings:
      - {id: M1, case: C1, duration: 1h,
         participants: [{country: NL}, {country: DE, language: de}, {country: FR, language: fr}]}
    cases: [{id: C1, crime: fraud, countries: [NL, DE, FR]}]
    """
    teams = {"de": ["karl"], "fr": ["anna"]}
    good = meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"), interpreters=teams)
    assert check_schedule(scenario(body), schedule([good])) == []
    doubled = dict(good, interpreters={"de": ["anna"], "fr": ["anna"]})
    assert found(scenario(body), schedule([doubled])) == {("interpreter", "M1")}


# ---- order, pins, critical -----------------------------------------------------------

ORDER = """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}]}
  - {id: M2, case: C1, duration: 1h, participants: [{country: NL}], after: [{meeting: M1, gap: 1d}]}
action_days:
  - {id: A1, case: C1, countries: [DE], prepared_by: [{meeting: M1, gap: 1d}]}
"""


def test_order_and_prepared_by() -> None:
    # M1 ends Tue 11:00; M2 may start Wed 11:00; A1 must open after Wed 11:00,
    # so Thu 3 Dec (opens 05:00) and not Wed 2 Dec (opens 05:00, too early).
    m1 = meeting("M1", at("2026-12-01 10:00"), at("2026-12-01 11:00"))
    m2 = meeting("M2", at("2026-12-02 11:00"), at("2026-12-02 12:00"))
    a1 = centre("A1", "2026-12-03", at("2026-12-03 05:00"), at("2026-12-03 16:00"))
    assert check_schedule(scenario(ORDER), schedule([m1, m2], [a1])) == []
    early = dict(m2, start=at("2026-12-02 10:45"), end=at("2026-12-02 11:45"))
    assert found(scenario(ORDER), schedule([m1, early], [a1])) == {("order", "M2")}
    a1_wed = centre("A1", "2026-12-02", at("2026-12-02 05:00"), at("2026-12-02 16:00"))
    assert found(scenario(ORDER), schedule([m1, m2], [a1_wed])) == {("order", "A1")}
    # Without M1, neither may be held.
    orphans = schedule([m2], [a1], skipped=[unscheduled("M1")], unscheduled=100)
    assert found(scenario(ORDER), orphans) == {("order", "M2"), ("order", "A1")}


PINS = """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}],
     pinned: {start: 2026-12-02T10:00, room: P1}}
  - {id: M2, case: C1, duration: 1h, participants: [{country: NL}], pinned: {date: 2026-12-03}}
"""


@pytest.mark.parametrize(
    ("m1", "m2", "expected"),
    [
        ({}, {}, set()),
        ({"start": at("2026-12-02 10:15"), "end": at("2026-12-02 11:15")}, {}, {("pin", "M1")}),
        ({"room": "M4"}, {}, {("pin", "M1")}),
        ({}, {"start": at("2026-12-02 14:00"), "end": at("2026-12-02 15:00")}, {("pin", "M2")}),
    ],
)
def test_pins(m1: dict[str, Any], m2: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    # The naive pinned start is host time: 10:00 CET.
    placed = [
        meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00")) | m1,
        meeting("M2", at("2026-12-03 14:00"), at("2026-12-03 15:00")) | m2,
    ]
    assert found(scenario(PINS), schedule(placed)) == expected


def test_pinned_and_critical_activities_are_held() -> None:
    body = (
        PINS
        + """
  - {id: M3, case: C1, duration: 1h, participants: [{country: NL}], priority: critical}
  - {id: M4, case: C1, duration: 1h, participants: [{country: NL}], priority: low}
"""
    )
    m1 = meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"))
    m3 = meeting("M3", at("2026-12-02 12:00"), at("2026-12-02 13:00"))
    dropped = [unscheduled("M2", "pin"), unscheduled("M4", "room_conflict")]
    # M4 is low (10); M2 normal (100).
    assert found(scenario(body), schedule([m1, m3], skipped=dropped, unscheduled=110)) == {
        ("pin", "M2")
    }
    held = meeting("M2", at("2026-12-03 14:00"), at("2026-12-03 15:00"))
    skipped = [unscheduled("M3", "critical"), unscheduled("M4", "room_conflict")]
    assert found(scenario(body), schedule([m1, held], skipped=skipped, unscheduled=10)) == {
        ("critical", "M3")
    }


# ---- placement (SPEC 2.3) --------------------------------------------------------------

PLACEMENT = """
countries: [{code: DE, desk_capacity: 1}]
meetings:
  - {id: M1, case: C2, duration: 2h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
  - {id: M2, case: C2, duration: 2h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
  - {id: L, case: C2, duration: 1h, priority: low, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
"""
"""DE's desk takes one activity at a time; M1, M2 and L may only be on Wed 2 Dec, within
DE's and NL's 09:00-17:00 (CET, as the host's)."""


def test_an_activity_left_out_that_fits_breaks_placement() -> None:
    # M1 09:00-11:00 in P1 holds DE's desk until 11:00 and P1 until 11:15 (room buffer).
    # M2 fits first at 11:00: not in P1 (buffer), in M3 (6 seats: 2 staff, NL, DE; no
    # feature needed; unavailable on Tue only). L (low, 10) fits too, after M2 would.
    m1 = meeting("M1", at("2026-12-02 09:00"), at("2026-12-02 11:00"))
    skipped = [unscheduled("M2", "desk_capacity"), unscheduled("L", "desk_capacity")]
    plan = schedule([m1], skipped=skipped, unscheduled=110)
    violations = check_schedule(scenario(PLACEMENT), plan)
    assert {(v.rule, v.activity) for v in violations} == {("placement", "M2"), ("placement", "L")}
    detail = next(v.detail for v in violations if v.activity == "M2")
    assert "2026-12-02 11:00 in M3" in detail
    # M1 and M2 held 09:00-13:00 and L 13:00-14:00: nothing is left out.
    m2 = meeting("M2", at("2026-12-02 11:00"), at("2026-12-02 13:00"), "M3")
    low = meeting("L", at("2026-12-02 13:00"), at("2026-12-02 14:00"))
    assert check_schedule(scenario(PLACEMENT), schedule([m1, m2, low])) == []


def test_a_priority_that_weighs_nothing_may_be_left_out_where_it_fits() -> None:
    # L's priority (low) weighs 0 here: leaving it out lowers no placement, so it may be
    # left out though it fits at 13:00 (after M1 09:00-11:00 and M2 11:00-13:00).
    body = PLACEMENT + "objective: {unscheduled: {low: 0}}\n"
    m1 = meeting("M1", at("2026-12-02 09:00"), at("2026-12-02 11:00"))
    m2 = meeting("M2", at("2026-12-02 11:00"), at("2026-12-02 13:00"), "M3")
    plan = schedule([m1, m2], skipped=[unscheduled("L", "desk_capacity")])
    assert check_schedule(scenario(body), plan) == []


def test_a_meeting_whose_desk_is_taken_all_day_does_not_fit() -> None:
    # M9 holds DE's one desk 09:00-17:00, all of DE's hours on Wed 2 Dec: M1 and M2
    # fit nowhere (their window is that day), so leaving them out is no violation.
    body = PLACEMENT.replace(
        "meetings:\n",
        "meetings:\n  - {id: M9, case: C2, duration: 8h, earliest: 2026-12-02, latest: "
        "2026-12-02, participants: [{country: NL}, {country: DE}]}\n",
    )
    m9 = meeting("M9", at("2026-12-02 09:00"), at("2026-12-02 17:00"))
    skipped = [unscheduled(m, "desk_capacity") for m in ("M1", "M2", "L")]
    plan = schedule([m9], skipped=skipped, unscheduled=210)
    assert check_schedule(scenario(body), plan) == []


def test_a_team_needs_distinct_interpreters_per_language() -> None:
    # M needs de (DE) and fr (FR) for 1 h, and DE works 10:00-11:00 only: M can only be
    # Wed 10:00-11:00, in P1 (the one room with booths). anna knows de and fr, karl de
    # only. With karl interpreting K then, anna can take one language only: M fits
    # nowhere. With K at 12:00 (DE cannot make it, so absent, no de needed), karl takes
    # de and anna fr: M fits.
    body = """
    countries: [{code: NL, working_hours: "08:00-19:00"}, {code: DE, working_hours: "10:00-11:00"}]
    cases: [{id: C1, crime: fraud, countries: [NL, DE, FR]}]
    meetings:
      - {id: M, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
         participants: [{country: DE, language: de}, {country: FR, language: fr}]}
      - {id: K, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
         participants: [{country: NL}, {country: DE, attendance: video, language: de,
                                        required: false}]}
    """
    left_out = [unscheduled("M", "interpreter")]
    k = meeting("K", at("2026-12-02 10:00"), at("2026-12-02 11:00"), "M3")
    busy = schedule([dict(k, interpreters={"de": ["karl"]})], skipped=left_out, unscheduled=100)
    assert found(scenario(body), busy, placement=True) == set()
    later = dict(k, start=at("2026-12-02 12:00"), end=at("2026-12-02 13:00"), absent=["DE"])
    free = schedule([later], skipped=left_out, unscheduled=100, optional_absent=20)
    assert found(scenario(body), free, placement=True) == {("placement", "M")}


def test_an_action_day_left_out_that_fits_breaks_placement() -> None:
    # A1 (DE, window Thu 3 Dec) opens 05:00 and closes 16:00 host; CC1 is free then.
    body = """
    countries: [{code: DE, desk_capacity: 1}]
    meetings: [{id: M1, case: C2, duration: 2h, earliest: 2026-12-03, latest: 2026-12-03,
                participants: [{country: NL}, {country: DE}]}]
    action_days: [{id: A1, case: C2, countries: [DE], earliest: 2026-12-03,
                   latest: 2026-12-03, virtual: never}]
    """
    skipped = [unscheduled("A1", "centre"), unscheduled("M1")]
    violations = found(scenario(body), schedule(skipped=skipped, unscheduled=1100), placement=True)
    assert violations == {("placement", "A1"), ("placement", "M1")}
    # M1 09:00-11:00 takes DE's one desk inside A1's span: A1 no longer fits.
    m1 = meeting("M1", at("2026-12-03 09:00"), at("2026-12-03 11:00"))
    plan = schedule([m1], skipped=[unscheduled("A1", "desk_capacity")], unscheduled=1000)
    assert found(scenario(body), plan, placement=True) == set()


# ---- action days ---------------------------------------------------------------------

ACTION_DAYS = """
countries:
  - code: PT
    unavailable: [2026-12-03, {date: 2026-12-02, hours: "13:00-17:00"}]
action_days:
  - {id: A1, case: C1, countries: [NL, PT], earliest: 2026-12-01}
"""
# NL operates 06:00-16:00 CET; PT 06:00-16:00 Lisbon = 07:00-17:00 CET; set-up 1 h.


def a1_on(day: str, room: str | None = "CC1") -> dict[str, Any]:
    return centre("A1", day, at(f"{day} 05:00"), at(f"{day} 17:00"), room)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # Wed 2 Dec: PT's afternoon window is not a whole day, so it does not block.
        (a1_on("2026-12-02"), set()),
        (a1_on("2026-11-30"), {("window", "A1")}),  # before earliest
        (a1_on("2026-12-01"), {("holiday", "A1")}),  # Restoration of Independence (PT)
        (a1_on("2026-12-03"), {("unavailable", "A1")}),  # PT away all day
        (a1_on("2026-12-02", "M4"), {("centre", "A1")}),  # no coordination_centre
        (a1_on("2026-12-02") | {"centre_close": at("2026-12-02 16:00")}, {("centre", "A1")}),
    ],
)
def test_action_day_dates_and_centre(entry: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert found(scenario(ACTION_DAYS), schedule(action_days=[entry])) == expected


def test_weekend_true_allows_any_date_in_the_window() -> None:
    body = ACTION_DAYS.replace("earliest: 2026-12-01}", "earliest: 2026-12-01, weekend: true}")
    assert check_schedule(scenario(body), schedule(action_days=[a1_on("2026-12-01")])) == []


def test_virtual_centre() -> None:
    virtual = schedule(action_days=[a1_on("2026-12-02", None)], virtual_centre=20)
    assert check_schedule(scenario(ACTION_DAYS), virtual) == []
    never = ACTION_DAYS.replace("earliest: 2026-12-01}", "earliest: 2026-12-01, virtual: never}")
    assert found(scenario(never), virtual) == {("centre", "A1")}


def test_centre_staff_pool() -> None:
    body = """
    coordination_centre: {staff: 5}
    action_days:
      - {id: A1, case: C1, countries: [NL], staff: 3}
      - {id: A2, case: C2, countries: [DE], staff: 2}
      - {id: A3, case: C2, countries: [DE], staff: 1}
    """

    # NL and DE both operate 06:00-16:00 CET: centres 05:00-16:00.
    def on(identifier: str, day: str, room: str | None) -> dict[str, Any]:
        return centre(identifier, day, at(f"{day} 05:00"), at(f"{day} 16:00"), room)

    # 3 + 2 = 5 staff on Wed (one centre virtual); A3 on Thu.
    wednesday = [on("A1", "2026-12-02", "CC1"), on("A2", "2026-12-02", None)]
    fits = [*wednesday, on("A3", "2026-12-03", "CC1")]
    assert check_schedule(scenario(body), schedule(action_days=fits, virtual_centre=20)) == []
    # A3 on Wed too: 3 + 2 + 1 = 6 > 5. (DE's desk holds A2 and A3: 2, its capacity.)
    crowded = [*wednesday, on("A3", "2026-12-02", "CC2")]
    assert found(scenario(body), schedule(action_days=crowded, virtual_centre=20)) == {
        ("staff", "A3")
    }


# ---- links between investigations ---------------------------------------------------


def test_entities_are_normalised() -> None:
    assert normalise_entity("IBAN: ES91 2100-0418") == "iban:es9121000418"
    assert normalise_entity(" Company :Acme Trading B.V.") == "company:acmetradingbv"
    assert normalise_entity("Acme") == ":acme"


LINKS = """
links: {{detect: {detect}, action_days: {mode}}}
cases:
  - {{id: C1, crime: fraud, countries: [NL, DE], entities: ["IBAN: ES91 2100-0418"]}}
  - {{id: C2, crime: drug_trafficking, countries: [NL, ES], entities: ["iban:es9121000418"]}}
  - {{id: C3, crime: cybercrime, countries: [NL, FR]}}
  - {{id: C4, crime: cybercrime, countries: [NL, FR], linked: [C3]}}
action_days:
  - {{id: A1, case: C1, countries: [NL], latest: {a1_latest}}}
  - {{id: A2, case: C2, countries: [NL], earliest: {a2_earliest}}}
  - {{id: A3, case: C3, countries: [FR]}}
  - {{id: A4, case: C4, countries: [FR]}}
"""


def links_scenario(
    detect: str = "entities",
    mode: str = "same_day",
    a1_latest: str = "2026-12-04",
    a2_earliest: str = "2026-11-30",
) -> Scenario:
    text = LINKS.format(detect=detect, mode=mode, a1_latest=a1_latest, a2_earliest=a2_earliest)
    return scenario(text)


def links_schedule(
    a2_day: str = "12-02", a4_day: str = "12-03", link_spread: int = 0
) -> dict[str, Any]:
    # A1 on Wed in CC1, A3 on Thu in CC1, A2 in CC2, A4 virtual. NL and FR both operate
    # 06:00-16:00 CET: centres 05:00-16:00. Staff 2 each, at most 3 a day: 6, the pool.
    def on(identifier: str, day: str, room: str | None) -> dict[str, Any]:
        day = f"2026-{day}"
        return centre(identifier, day, at(f"{day} 05:00"), at(f"{day} 16:00"), room)

    days = [on("A1", "12-02", "CC1"), on("A2", a2_day, "CC2"), on("A3", "12-03", "CC1")]
    centres = [*days, on("A4", a4_day, None)]
    return schedule(action_days=centres, virtual_centre=20, link_spread=link_spread)


def test_clusters_from_declared_links_and_shared_entities() -> None:
    # C1 and C2 share an IBAN once normalised; C4 declares C3.
    assert sorted(map(sorted, linked_clusters(links_scenario()))) == [["C1", "C2"], ["C3", "C4"]]
    assert linked_clusters(links_scenario("declared")) == [{"C3", "C4"}]


@pytest.mark.parametrize(
    ("plan", "file", "expected"),
    [
        (links_scenario(), links_schedule(), set()),
        (links_scenario(), links_schedule(a2_day="12-03"), {("link_same_day", "A2")}),
        (links_scenario(), links_schedule(a4_day="12-04"), {("link_same_day", "A4")}),
        # Linked only through the shared entity: not linked under detect: declared.
        (links_scenario("declared"), links_schedule(a2_day="12-03"), set()),
        # Windows Mon-Wed and Thu-Fri do not overlap: the dates may differ.
        (
            links_scenario(a1_latest="2026-12-02", a2_earliest="2026-12-03"),
            links_schedule(a2_day="12-03"),
            set(),
        ),
        # soft: A1/A2 and A3/A4 each 1 day apart at 2 per day.
        (links_scenario(mode="soft"), links_schedule("12-03", "12-04", link_spread=4), set()),
        (links_scenario(mode="soft"), links_schedule("12-03", "12-04"), {("objective", "")}),
        (links_scenario(mode="ignore"), links_schedule("12-03", "12-04"), set()),
    ],
)
def test_linked_action_days(
    plan: Scenario, file: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert found(plan, file) == expected


def test_link_spread_of_linked_meetings() -> None:
    body = """
    cases:
      - {id: C1, crime: fraud, countries: [NL, DE], linked: [C2]}
      - {id: C2, crime: fraud, countries: [NL, ES]}
    meetings:
      - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: DE}]}
      - {id: M2, case: C2, duration: 1h, participants: [{country: NL}, {country: ES}]}
    """
    # Mon and Thu are 3 days apart, 1 day is free (meetings_within): 2 x 2 = 4.
    placed = [
        meeting("M1", at("2026-11-30 10:00"), at("2026-11-30 11:00")),
        meeting("M2", at("2026-12-03 10:00"), at("2026-12-03 11:00")),
    ]
    assert check_schedule(scenario(body), schedule(placed, link_spread=4)) == []
    assert found(scenario(body), schedule(placed, link_spread=2)) == {("objective", "")}


# ---- objective accounting ------------------------------------------------------------

OBJECTIVE = """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}], preferred: 2026-12-01}
  - {id: M2, case: C1, duration: 1h, participants: [{country: NL}]}
action_days:
  - {id: A1, case: C1, countries: [NL]}
"""


def objective_schedule(**change: int) -> dict[str, Any]:
    # M1 held Thu 3 Dec, 2 days after its preferred date: 2 x 5 = 10. M2 (normal) and
    # A1 (high) unscheduled: 100 + 1000.
    held = [meeting("M1", at("2026-12-03 10:00"), at("2026-12-03 11:00"))]
    skipped = [unscheduled("M2"), unscheduled("A1", "staff")]
    file = schedule(held, skipped=skipped, unscheduled=1100, lateness=10)
    file["terms"].update(change)
    file["objective"] = sum(file["terms"].values())
    return file


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, set()),
        ({"moves": 30}, set()),  # moves need the baseline; any non-negative count is taken
        ({"lateness": 5}, {("objective", "")}),
        ({"unscheduled": 1000}, {("objective", "")}),
        ({"virtual_centre": 20}, {("objective", "")}),
        ({"moves": -1}, {("objective", "")}),
    ],
)
def test_objective_terms_are_recomputed(
    change: dict[str, int], expected: set[tuple[str, str]]
) -> None:
    assert found(scenario(OBJECTIVE), objective_schedule(**change)) == expected


@pytest.mark.parametrize(
    "breakage",
    [
        lambda file: file.update(objective=file["objective"] + 1),  # not the sum
        lambda file: file["terms"].pop("moves"),
        lambda file: file["terms"].update(extra=0),
        lambda file: file["terms"].update(stretch=1.5),
        lambda file: file.update(objective="1110"),
        lambda file: file.update(bound=2000),  # a bound above the objective
        lambda file: file.update(terms=[0] * 7),
    ],
)
def test_objective_accounting(breakage: Any) -> None:
    file = objective_schedule()
    breakage(file)
    assert {rule for rule, _ in found(scenario(OBJECTIVE), file)} == {"objective"}


# ---- malformed files: `schedule` violations, never an exception ----------------------

MALFORMED = """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: ES, required: false}]}
action_days:
  - {id: A1, case: C1, countries: [NL]}
"""


def well_formed() -> dict[str, Any]:
    m1 = meeting("M1", at("2026-12-02 10:00"), at("2026-12-02 11:00"), case="C1")
    a1 = centre("A1", "2026-12-03", at("2026-12-03 05:00"), at("2026-12-03 16:00"))
    return schedule([m1], [a1])


def test_well_formed_schedule_holds() -> None:
    assert check_schedule(scenario(MALFORMED), well_formed()) == []


def _set(path: str, value: Any) -> Any:
    def apply(file: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = file
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return apply


_DELETE = object()


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (_set("schema", "planner.schedule/2"), {("schedule", "")}),
        (_set("status", "solved"), {("schedule", "")}),
        (_set("infeasible", _DELETE), {("schedule", "")}),
        (_set("unscheduled", _DELETE), {("schedule", "")}),
        (_set("meetings", {"M1": {}}), {("schedule", ""), ("schedule", "M1")}),
        (_set("meetings.0", "M1"), {("schedule", ""), ("schedule", "M1")}),
        (_set("meetings.0.id", 7), {("schedule", ""), ("schedule", "M1")}),
        (_set("meetings.0.start", _DELETE), {("schedule", "M1")}),
        (_set("meetings.0.start", "next Wednesday"), {("schedule", "M1")}),
        (_set("meetings.0.start", "2026-12-02T10:00:00"), {("schedule", "M1")}),  # no offset
        (_set("meetings.0.start", 20261202), {("schedule", "M1")}),
        (_set("meetings.0.end", at("2026-12-02 11:30")), {("schedule", "M1")}),  # not 1 h
        # a room or interpreter not in the scenario breaks the rule that needs it (so a
        # frozen re-plan activity whose room or interpreter is gone lists it as a conflict)
        (_set("meetings.0.room", "Z9"), {("room_feature", "M1")}),
        (_set("meetings.0.room", None), {("schedule", "M1")}),
        (_set("meetings.0.case", "C2"), {("schedule", "M1")}),
        (_set("meetings.0.interpreters", ["anna"]), {("schedule", "M1")}),
        (_set("meetings.0.interpreters", {"es": "anna"}), {("schedule", "M1")}),
        (
            _set("meetings.0.interpreters", {"es": ["nobody"]}),
            {("interpreter", "M1")},
        ),
        (_set("meetings.0.absent", "ES"), {("schedule", "M1")}),
        (_set("meetings.0.absent", ["NL"]), {("schedule", "M1")}),  # NL is required
        (_set("meetings.0.local", {"FR": {}}), {("schedule", "M1")}),
        (_set("meetings.0.id", "M9"), {("schedule", "M9"), ("schedule", "M1")}),
        (_set("meetings.0.id", "A1"), {("schedule", "A1"), ("schedule", "M1")}),
        (_set("action_days.0.date", "3 Dec"), {("schedule", "A1")}),
        (_set("action_days.0.date", None), {("schedule", "A1")}),
        (_set("action_days.0.room", _DELETE), {("schedule", "A1")}),
        (_set("action_days.0.centre_open", "05:00"), {("schedule", "A1")}),
        (_set("unscheduled", [unscheduled("M1")]), {("schedule", "M1"), ("objective", "")}),
        (
            _set("unscheduled", [{"id": "M1", "rule": "bad", "reasons": []}]),
            {("schedule", "M1"), ("objective", "")},
        ),
    ],
)
def test_malformed_schedule(breakage: Any, expected: set[tuple[str, str]]) -> None:
    file = well_formed()
    breakage(file)
    assert found(scenario(MALFORMED), file) == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    found_paths = [prefix] if prefix else []
    for key, child in children:
        found_paths += _paths(child, (*prefix, key))
    return found_paths


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_damage_gives_violations_never_an_exception(data: st.DataObject) -> None:
    file = spec_schedule()
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(file)))
        parent: Any = file
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()):
            parent[path[-1]] = data.draw(JSON_VALUES)
        elif isinstance(parent, dict):
            del parent[path[-1]]
    violations = check_schedule(spec_scenario(), file)
    assert all(isinstance(v, Violation) for v in violations)


@pytest.mark.parametrize("file", [None, [], "schedule", 3])
def test_a_schedule_that_is_not_an_object(file: Any) -> None:
    assert check_schedule(scenario(MALFORMED), file) == [
        Violation("schedule", "", "a schedule must be a JSON object")
    ]


def test_an_activity_listed_twice_or_never() -> None:
    file = well_formed()
    file["unscheduled"] = [unscheduled("A1")]
    assert ("schedule", "A1") in found(scenario(MALFORMED), file)
    file = well_formed()
    file["action_days"] = []
    assert found(scenario(MALFORMED), file) == {("schedule", "A1")}


# ---- infeasible ----------------------------------------------------------------------


def infeasible() -> dict[str, Any]:
    return {
        "schema": "planner.schedule/1",
        "scenario": {"name": "", "sha256": ""},
        "status": "infeasible",
        "objective": None,
        "bound": None,
        "terms": None,
        "meetings": [],
        "action_days": [],
        "unscheduled": [unscheduled("M1", "critical"), unscheduled("A1", "critical")],
        "infeasible": [{"rule": "critical", "activities": ["M1"], "reason": "no room can hold M1"}],
    }


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (_set("status", "infeasible"), set()),
        (_set("infeasible", []), {("schedule", "")}),
        (
            _set("infeasible", [{"rule": "critical", "activities": ["M9"], "reason": "x"}]),
            {("schedule", "")},
        ),
        (_set("objective", 0), {("schedule", "")}),
        (_set("unscheduled", [unscheduled("M1", "critical")]), {("schedule", "A1")}),
    ],
)
def test_infeasible_schedule(breakage: Any, expected: set[tuple[str, str]]) -> None:
    file = infeasible()
    breakage(file)
    assert found(scenario(MALFORMED), file) == expected


def test_infeasible_schedule_places_nothing() -> None:
    file = infeasible()
    file["meetings"] = well_formed()["meetings"]
    file["unscheduled"] = file["unscheduled"][1:]
    assert found(scenario(MALFORMED), file) == {("schedule", "")}


# ---- loading -------------------------------------------------------------------------


def test_load_schedule(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(well_formed()))
    assert load_schedule(path) == well_formed()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"schema": ', "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b"\xff\xfe", "not UTF-8"),
        (None, "cannot read"),
    ],
)
def test_load_schedule_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ScheduleFileError, match=message):
        load_schedule(path)
