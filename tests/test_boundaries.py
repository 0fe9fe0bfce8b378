"""Every rule that compares, tried with the value on its boundary and one step past it.

A rule written with ``<`` where it means ``<=`` (or the other way round) holds on every
value but one: these scenarios are built so that the boundary value is the only place
an activity can take, so that the one comparison decides whether it is held. Each
expected outcome is derived in a comment; every solve ends with the independent checker
finding no violation (tests/solving.py), and every re-plan with its check against the
baseline too.

Winter offsets: Amsterdam, Berlin and Brussels UTC+1 (one clock with the host).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from solving import hm, make_scenario, placed, reason_of, solve_checked

from planner.check import accepted_conflicts, check_against_baseline, check_schedule
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.problems import ScenarioError
from planner.models.schedule import Result
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import replan, solve

HOST = ZoneInfo("Europe/Amsterdam")
ROOMS = """
rooms:
  - {id: P1, capacity: 40, features: [videoconference, interpretation_booths]}
  - {id: P2, capacity: 40, features: [videoconference, interpretation_booths]}
  - {id: P3, capacity: 40, features: [videoconference, interpretation_booths]}
"""


def held(result: Result) -> set[str]:
    return {a.id for a in [*result.meetings, *result.action_days]}


# ---- now: what starts at now may still be planned ------------------------------------------


def published(body: str) -> tuple[Baseline, bytes]:
    """A scenario solved and published: the plan a re-plan starts from, and its bytes."""
    scenario = make_scenario(body)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    text = dumps(schedule_document(result, scenario.name, "0" * 64)).encode()
    baseline, problems = baseline_from_data(json.loads(text), hashlib.sha256(text).hexdigest())
    assert baseline is not None, problems
    return baseline, text


def replanned(body: str, baseline: Baseline, text: bytes, now: datetime) -> Result:
    """A re-plan at ``now``, checked alone and against the baseline."""
    scenario = make_scenario(body)
    result = replan(scenario, baseline, now=now, time_limit=20, workers=1, seed=0)
    document = json.loads(dumps(schedule_document(result, scenario.name, "0" * 64)))
    found = check_schedule(scenario, document)
    found += check_against_baseline(scenario, document, json.loads(text), text)
    standing, _ = accepted_conflicts(document, found)
    assert standing == [], standing
    return result


# Published: M1 on Tue. Then M3 (3 h, Mon 30 Nov only) is added; NL and BE work
# 09:00-17:00, so on Monday M3 can start 09:00 ... 14:00 (14:00 + 3 h = 17:00).
NOW_BEFORE = """
rooms: [{id: P1, capacity: 20}]
meetings:
  - {id: M1, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-01,
     participants: [{country: NL}, {country: DE}]}
"""
NOW_AFTER = (
    NOW_BEFORE
    + """  - {id: M3, case: C1, duration: 3h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: BE}]}
"""
)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # now 14:00: the last start, 14:00 itself, is "now or later": M3 is held there
        ("14:00", "14:00"),
        # a minute later no start is left: M3 is left out, its window has passed
        ("14:01", None),
    ],
)
def test_a_new_meeting_may_start_exactly_at_now(now: str, expected: str | None) -> None:
    baseline, text = published(NOW_BEFORE)
    moment = datetime.fromisoformat(f"2026-11-30T{now}").replace(tzinfo=HOST)
    result = replanned(NOW_AFTER, baseline, text, moment)
    if expected:
        assert hm(placed(result, "M3").start) == expected
    else:
        rule, why = reason_of(result, "M3")
        assert rule == "window" and "has passed" in why


def test_the_checker_tries_a_left_out_meeting_from_now_on() -> None:
    # The re-plan at 14:01 leaves M3 out (its last start, 14:00, has passed) and the
    # checker agrees. The same plan stated as made at 14:00 leaves out a meeting that
    # still fits at 14:00 exactly (nothing else is held on Monday): a placement
    # violation naming that start, the first at or after now.
    baseline, text = published(NOW_BEFORE)
    scenario = make_scenario(NOW_AFTER)
    moment = datetime(2026, 11, 30, 14, 1, tzinfo=HOST)
    result = replanned(NOW_AFTER, baseline, text, moment)
    document = json.loads(dumps(schedule_document(result, scenario.name, "0" * 64)))
    assert document["changes"]["now"] == "2026-11-30T14:01:00+01:00"
    assert check_schedule(scenario, document) == []
    document["changes"]["now"] = "2026-11-30T14:00:00+01:00"
    assert [(v.rule, v.activity, v.detail) for v in check_schedule(scenario, document)] == [
        ("placement", "M3", "fits at 2026-11-30 14:00 in P1 as the plan stands, but is left out")
    ]


# AD1 (NL, DE; operations 06:00-16:00 local, 1 h set-up) on Mon 30 Nov only: its centre
# opens at 05:00 host time.
CENTRE_NOW = """
rooms: [{id: CC1, capacity: 20, features: [coordination_centre]}]
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], earliest: 2026-11-30, latest: 2026-11-30}
"""


@pytest.mark.parametrize(("now", "expected"), [("05:00", True), ("05:01", False)])
def test_a_new_centre_may_open_exactly_at_now(now: str, expected: bool) -> None:
    # Published before AD1 existed (nothing held); at 05:00 the centre can still open
    # at 05:00, at 05:01 it cannot open that day any more.
    baseline, text = published("rooms: [{id: CC1, capacity: 20, features: [coordination_centre]}]")
    moment = datetime.fromisoformat(f"2026-11-30T{now}").replace(tzinfo=HOST)
    result = replanned(CENTRE_NOW, baseline, text, moment)
    assert ("AD1" in held(result)) == expected
    if not expected:
        assert reason_of(result, "AD1")[0] == "window"


# ---- windows ---------------------------------------------------------------------------------

# A meeting longer than every window it could have is refused when the file is read
# (SPEC 2.5); one exactly as long as its window is valid, and held in it.

HOST_HOURS = (
    ROOMS
    + """
host: {country: NL, timezone: Europe/Amsterdam, hours: "09:00-17:00"}
countries: [{code: NL, working_hours: "08:00-18:00"}]
cases: [{id: C1, crime: fraud, countries: [NL]}]
meetings:
  - {id: M1, case: C1, duration: %s, participants: [{country: NL}]}
"""
)


def test_host_hours_hold_a_meeting_that_ends_at_their_end() -> None:
    # host hours 09:00-17:00 and NL's 08:00-18:00: an 8 h meeting fits only at 09:00,
    # ending exactly when the host's hours end; 15 minutes more fits no host day
    _, result = solve_checked(HOST_HOURS % "8h")
    assert hm(placed(result, "M1").start) == "09:00"
    with pytest.raises(ScenarioError, match="host hours 09:00-17:00 allow at most 8h"):
        make_scenario(HOST_HOURS % "8h15m")


WORKING_HOURS = (
    ROOMS
    + """
countries: [{code: DE, working_hours: "10:00-16:00"}]
meetings:
  - {id: M1, case: C1, duration: %s, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
"""
)


def test_working_hours_hold_a_meeting_that_fills_them() -> None:
    # DE works 10:00-16:00 (Berlin, the host's clock): a 6 h meeting is 10:00-16:00 at
    # no cost (NL works 09:00-17:00); a quarter more fits in no day of DE's
    _, result = solve_checked(WORKING_HOURS % "6h")
    assert hm(placed(result, "M1").start) == "10:00" and result.objective == 0
    with pytest.raises(ScenarioError, match="DE hours 10:00-16:00 allow at most 6h"):
        make_scenario(WORKING_HOURS % "6h15m")


def test_stretch_reaches_exactly_its_length() -> None:
    # stretch 30m around DE's 10:00-16:00: a 7 h meeting is 09:30-16:30, two started
    # quarters before DE's hours and two after, 4 x 3 = 12 (NL's 09:00-17:00 holds it);
    # 15 minutes more would need 45 minutes of stretch
    stretched = "defaults: {stretch: 30m}\n" + WORKING_HOURS
    _, result = solve_checked(stretched % "7h")
    assert hm(placed(result, "M1").start) == "09:30"
    assert result.objective == 12 and result.terms is not None and result.terms["stretch"] == 12
    with pytest.raises(ScenarioError, match="with 30m stretch allow at most 7h"):
        make_scenario(stretched % "7h15m")


@pytest.mark.parametrize("day", ["2026-11-30", "2026-12-01"])
def test_a_meeting_held_on_the_one_date_of_its_window_may_end_at_midnight(day: str) -> None:
    # earliest = latest = day: both ends of the window are that date. NL works 16:00-24:00
    # and the host 08:00-24:00, so an 8 h meeting is 16:00-24:00, ending exactly at the
    # end of its latest date (SPEC 2.1: it must END by the end of that date).
    _, result = solve_checked(
        ROOMS
        + f"""
host: {{country: NL, timezone: Europe/Amsterdam, hours: "08:00-24:00"}}
countries: [{{code: NL, working_hours: "16:00-24:00"}}]
cases: [{{id: C1, crime: fraud, countries: [NL]}}]
meetings:
  - {{id: M1, case: C1, duration: 8h, earliest: {day}, latest: {day},
     participants: [{{country: NL}}]}}
"""
    )
    meeting = placed(result, "M1")
    assert meeting.start.isoformat() == f"{day}T16:00:00+01:00"
    assert (meeting.end - meeting.start).total_seconds() == 8 * 3600


# ---- capacities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        # 2 host staff + 1 NL + 2 DE delegates in person + 1 BE (optional, in person: the
        # room is booked for everyone invited, SPEC 2.1) = 6 seats: a room of 6 holds it
        (6, True),
        # a room of 5 is one seat short
        (5, False),
    ],
)
def test_a_room_holds_exactly_its_capacity(seats: int, expected: bool) -> None:
    _, result = solve_checked(
        f"""
rooms: [{{id: R, capacity: {seats}}}]
meetings:
  - {{id: M1, case: C1, duration: 1h,
     participants: [{{country: NL}}, {{country: DE, delegates: 2}},
                    {{country: BE, required: false}}]}}
"""
    )
    assert ("M1" in held(result)) == expected
    if not expected:
        rule, why = reason_of(result, "M1")
        assert rule == "room_capacity" and "6 seats" in why


# Each meeting fills DE's whole day (09:00-17:00) on Wed 2 Dec, so all of them overlap;
# each has another partner, so that only DE's desk is shared.
DESK = (
    ROOMS
    + """
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE, FR]}]
meetings:
  - {id: A, case: C1, duration: 8h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
  - {id: B, case: C1, duration: 8h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: BE}, {country: DE}]}
  - {id: C, case: C1, duration: 8h, earliest: 2026-12-02, latest: 2026-12-02, priority: low,
     participants: [{country: FR}, {country: DE}]}
"""
)


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [
        # DE's desk takes 3 at once: all three are held side by side
        (3, {"A", "B", "C"}),
        # a desk of 2 is reached exactly by A and B; C (low) is left out, 10
        (2, {"A", "B"}),
    ],
)
def test_a_desk_holds_exactly_its_capacity(capacity: int, expected: set[str]) -> None:
    _, result = solve_checked(DESK + f"countries: [{{code: DE, desk_capacity: {capacity}}}]\n")
    assert held(result) == expected
    if capacity == 2:
        assert reason_of(result, "C")[0] == "desk_capacity" and result.objective == 10


@pytest.mark.parametrize(
    ("pool", "expected"),
    [
        # two centres of 3 staff on the only date: a pool of 6 is reached exactly
        (6, {"AD1", "AD2"}),
        # a pool of 5 holds one of them; AD2 (normal) gives way to AD1 (high), 100
        (5, {"AD1"}),
    ],
)
def test_the_centre_staff_pool_holds_exactly_its_size(pool: int, expected: set[str]) -> None:
    _, result = solve_checked(
        f"""
rooms:
  - {{id: CC1, capacity: 24, features: [coordination_centre]}}
  - {{id: CC2, capacity: 24, features: [coordination_centre]}}
cases: [{{id: C1, crime: fraud, countries: [NL, DE]}}, {{id: C2, crime: thb, countries: [BE]}}]
coordination_centre: {{staff: {pool}}}
action_days:
  - {{id: AD1, case: C1, countries: [NL, DE], staff: 3, earliest: 2026-12-02, latest: 2026-12-02}}
  - {{id: AD2, case: C2, countries: [BE], staff: 3, priority: normal,
     earliest: 2026-12-02, latest: 2026-12-02}}
"""
    )
    assert held(result) == expected
    if pool == 5:
        assert reason_of(result, "AD2")[0] == "staff" and result.objective == 100


# ---- caps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # anna, the only de-en interpreter, may interpret 2 h a day; A (1 h) and B (1 h)
        # on Wed 2 Dec each need one interpreter (<= solo_max 60m): 2 h, the cap exactly
        ("1h", {"A", "B"}),
        # with B 1h15 (still one interpreter: solo_max is 90m here) the day would need
        # 2h15: B (low) is left out, 10
        ("1h15m", {"A"}),
    ],
)
def test_an_interpreter_works_exactly_their_daily_cap(second: str, expected: set[str]) -> None:
    _, result = solve_checked(
        ROOMS
        + f"""
interpretation: {{solo_max: 90m}}
interpreters: [{{id: anna, languages: [de, en], max_per_day: 2h}}]
meetings:
  - {{id: A, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{{country: NL}}, {{country: DE, language: de}}]}}
  - {{id: B, case: C1, duration: {second}, earliest: 2026-12-02, latest: 2026-12-02,
     priority: low, participants: [{{country: NL}}, {{country: DE, language: de}}]}}
"""
    )
    assert held(result) == expected
    if "B" not in expected:
        assert reason_of(result, "B")[0] == "interpreter" and result.objective == 10


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        # solo_max 60m: a meeting of exactly 60 minutes needs one interpreter, anna
        ("60m", {"de": ["anna"]}),
        # 75 minutes needs a team of two, and anna is the only one: left out
        ("75m", None),
    ],
)
def test_one_interpreter_serves_exactly_solo_max(
    duration: str, expected: dict[str, list[str]] | None
) -> None:
    _, result = solve_checked(
        ROOMS
        + f"""
interpreters: [{{id: anna, languages: [de, en]}}]
meetings:
  - {{id: M1, case: C1, duration: {duration},
     participants: [{{country: NL}}, {{country: DE, language: de}}]}}
"""
    )
    if expected:
        assert placed(result, "M1").interpreters == expected
    else:
        rule, why = reason_of(result, "M1")
        assert rule == "interpreter" and "needs 2 interpreters" in why


# ---- gaps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        # A is pinned Wed 09:00-10:00; B (6 h, Wed only, 09:00-17:00 hours) starts at
        # least `gap` after A ends: with 1h, at 11:00 exactly, ending 17:00
        ("1h", "11:00"),
        # with 1h15 B would start 11:15 and end 17:15, after NL's hours: not held
        ("1h15m", None),
    ],
)
def test_a_meeting_may_start_exactly_its_gap_after_the_one_before(
    gap: str, expected: str | None
) -> None:
    _, result = solve_checked(
        ROOMS
        + f"""
meetings:
  - {{id: A, case: C1, duration: 1h, pinned: {{start: 2026-12-02T09:00}},
     participants: [{{country: NL}}]}}
  - {{id: B, case: C1, duration: 6h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{{country: NL}}], after: [{{meeting: A, gap: {gap}}}]}}
"""
    )
    if expected:
        assert hm(placed(result, "B").start) == expected
    else:
        assert "B" not in held(result)


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        # M1 is pinned Mon 30 Nov 16:00-17:00. AD1 (NL, DE at 06:00 local, 1 h set-up)
        # opens at 05:00 host on Tue 1 Dec, its only date: 12 h after M1 ends, exactly
        ("12h", True),
        # a gap of 12h15 would need the centre to open at 05:15: not held
        ("12h15m", False),
    ],
)
def test_a_centre_may_open_exactly_its_gap_after_its_preparation(gap: str, expected: bool) -> None:
    _, result = solve_checked(
        f"""
rooms:
  - {{id: P1, capacity: 40}}
  - {{id: CC1, capacity: 24, features: [coordination_centre]}}
meetings:
  - {{id: M1, case: C1, duration: 1h, pinned: {{start: 2026-11-30T16:00}},
     participants: [{{country: NL}}, {{country: DE}}]}}
action_days:
  - {{id: AD1, case: C1, countries: [NL, DE], earliest: 2026-12-01, latest: 2026-12-01,
     prepared_by: [{{meeting: M1, gap: {gap}}}]}}
"""
    )
    assert ("AD1" in held(result)) == expected
    if expected:
        (centre,) = result.action_days
        assert centre.centre_open.isoformat() == "2026-12-01T05:00:00+01:00"
    else:
        assert reason_of(result, "AD1")[0] == "order"


@pytest.mark.parametrize(
    ("buffer", "expected"),
    [
        # AD1 (NL at 06:00 local for 10 h, may not run virtually) holds CC1, the only
        # room, 05:00-16:00 on Mon 30 Nov. M1 (45 min, Monday only, NL's hours end at
        # 17:00) can start 16:00 + buffer at the earliest: with 15m, 16:15, ending 17:00
        ("15m", "16:15"),
        # with a 30 min buffer it would end 17:15: M1 (normal) gives way, 100
        ("30m", None),
    ],
)
def test_a_room_is_used_again_exactly_its_buffer_after(buffer: str, expected: str | None) -> None:
    _, result = solve_checked(
        f"""
defaults: {{room_buffer: {buffer}}}
rooms: [{{id: CC1, capacity: 24, features: [coordination_centre]}}]
cases: [{{id: C1, crime: fraud, countries: [NL]}}]
meetings:
  - {{id: M1, case: C1, duration: 45m, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{{country: NL}}]}}
action_days:
  - {{id: AD1, case: C1, countries: [NL], earliest: 2026-11-30, latest: 2026-11-30,
     virtual: never}}
"""
    )
    assert "AD1" in held(result)
    if expected:
        assert hm(placed(result, "M1").start) == expected and placed(result, "M1").room == "CC1"
    else:
        assert reason_of(result, "M1")[0] == "room_conflict" and result.objective == 100
