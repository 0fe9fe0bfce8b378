"""Each rule family of SPEC 2.1 on a tiny scenario, solved for real.

Expected optima are derived in the comments. Every solve ends with the
independent checker accepting the plan (tests/solving.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from solving import hm, placed, reason_of, solve_checked

ROOMS = """
rooms:
  - {id: P1, capacity: 40, features: [videoconference, interpretation_booths]}
  - {id: M3, capacity: 12, features: [videoconference]}
"""


# ---- time: window, host hours, lateness ------------------------------------------------


def test_meeting_is_held_on_a_host_working_day_inside_its_window() -> None:
    # Window Thu 3 - Fri 4 Dec: nothing costs anything, so the objective is 0.
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: M1, case: C1, duration: 2h, earliest: 2026-12-03, latest: 2026-12-04,
     participants: [{country: NL}, {country: DE}]}
"""
    )
    meeting = placed(result, "M1")
    assert meeting.start.date() in (date(2026, 12, 3), date(2026, 12, 4))
    assert result.objective == 0 and result.status == "optimal"


def test_window_on_a_weekend_leaves_the_meeting_unscheduled() -> None:
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: M1, case: C1, duration: 2h, earliest: 2026-12-05, latest: 2026-12-06,
     participants: [{country: NL}]}
""",
        horizon="{start: 2026-11-30, end: 2026-12-06}",
    )
    rule, why = reason_of(result, "M1")
    assert rule == "holiday" and "Saturday" in why
    # a normal meeting left out costs its unscheduled weight, 100
    assert result.objective == result.terms["unscheduled"] == 100  # type: ignore[index]


def test_lateness_counts_days_after_the_preferred_date() -> None:
    # DE is unavailable on Mon 30 Nov and Tue 1 Dec, so the earliest date is Wed 2 Dec:
    # 2 days after the preferred Mon -> lateness 2 x 5 = 10.
    _, result = solve_checked(
        ROOMS
        + """
countries:
  - {code: DE, unavailable: [2026-11-30, 2026-12-01]}
meetings:
  - {id: M1, case: C1, duration: 2h, preferred: 2026-11-30,
     participants: [{country: NL}, {country: DE}]}
"""
    )
    assert placed(result, "M1").start.date() == date(2026, 12, 2)
    assert result.terms == {**dict.fromkeys(result.terms or {}, 0), "lateness": 10}
    assert result.objective == 10


# ---- time zones and stretch ---------------------------------------------------------------


def test_far_participant_moves_the_meeting_into_common_hours() -> None:
    # NL 09:00-17:00 CET and New York 09:00-17:00 EST (15:00-23:00 CET) overlap only
    # 15:00-17:00 CET, so a 2 h meeting starts at 15:00 host, 09:00 in New York.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, US]}]
meetings:
  - {id: M1, case: C1, duration: 2h,
     participants: [{country: NL}, {country: US, attendance: video}]}
"""
    )
    meeting = placed(result, "M1")
    assert hm(meeting.start) == "15:00"
    assert hm(meeting.local["US"].start) == "09:00"


def test_countries_without_common_hours_are_named() -> None:
    # Tbilisi 09:00-17:00 (UTC+4) is 06:00-14:00 CET; New York is 15:00-23:00 CET.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [GE, US]}]
meetings:
  - {id: M1, case: C1, duration: 1h,
     participants: [{country: GE, attendance: video}, {country: US, attendance: video}]}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "working_hours"
    assert "GE" in why and "US" in why


@pytest.mark.parametrize(
    ("stretch", "expected"),
    [
        # 1 h meeting between GE (ends 14:00 CET) and New York (starts 15:00 CET): at any
        # start s in 13:00..14:00 it is (s+60-14:00)/15 steps late for GE and
        # (15:00-s)/15 steps early for New York: 8 steps in all, x 3 = 24.
        ("1h", 24),
        # with 30 min of stretch the hours plus stretch, 06:00-14:30 and 14:30-23:00,
        # leave no hour in common: unscheduled, 100
        ("30m", 100),
    ],
)
def test_stretch_reaches_outside_working_hours_at_a_cost(stretch: str, expected: int) -> None:
    _, result = solve_checked(
        ROOMS
        + f"""
defaults: {{stretch: {stretch}}}
cases: [{{id: C1, crime: fraud, countries: [GE, US]}}]
meetings:
  - {{id: M1, case: C1, duration: 1h,
     participants: [{{country: GE, attendance: video}}, {{country: US, attendance: video}}]}}
"""
    )
    assert result.objective == expected
    if expected == 24:
        assert result.terms and result.terms["stretch"] == 24


# ---- national availability --------------------------------------------------------------


def test_public_holiday_of_a_participant_is_avoided() -> None:
    # Window Tue 1 - Wed 2 Dec; Tuesday is a Portuguese public holiday.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, PT]}]
meetings:
  - {id: M1, case: C1, duration: 2h, earliest: 2026-12-01, latest: 2026-12-02,
     participants: [{country: NL}, {country: PT, language: pt}]}
interpreters:
  - {id: joao, languages: [pt, en]}
  - {id: rita, languages: [pt, en]}
"""
    )
    assert placed(result, "M1").start.date() == date(2026, 12, 2)


def test_public_holiday_on_every_date_is_the_reason() -> None:
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, PT]}]
meetings:
  - {id: M1, case: C1, duration: 2h, earliest: 2026-12-01, latest: 2026-12-01,
     participants: [{country: NL}, {country: PT}]}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "holiday" and "Restoration of Independence" in why


def test_unavailable_hours_of_a_country_are_avoided() -> None:
    # DE is away 09:00-13:00 on the only date: a 3 h meeting must start at 13:00 or 14:00
    # (DE's hours end at 17:00).
    _, result = solve_checked(
        ROOMS
        + """
countries:
  - {code: DE, unavailable: [{date: 2026-12-02, hours: "09:00-13:00"}]}
meetings:
  - {id: M1, case: C1, duration: 3h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
"""
    )
    assert hm(placed(result, "M1").start) in ("13:00", "13:15", "13:30", "13:45", "14:00")


def test_unavailable_all_day_is_the_reason() -> None:
    _, result = solve_checked(
        ROOMS
        + """
countries:
  - {code: DE, unavailable: [2026-12-02]}
meetings:
  - {id: M1, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
"""
    )
    assert reason_of(result, "M1")[0] == "unavailable"


# ---- desks ------------------------------------------------------------------------------


DESK_MEETINGS = """
meetings:
  - {id: HIGH, case: C1, duration: 5h, priority: high, earliest: 2026-12-02,
     latest: 2026-12-02, participants: [{country: NL}, {country: DE}]}
  - {id: LOW, case: C1, duration: 5h, priority: low, earliest: 2026-12-02,
     latest: 2026-12-02, participants: [{country: NL}, {country: FR}]}
"""


def test_desk_capacity_one_keeps_the_more_important_meeting() -> None:
    # NL's desk takes one activity at a time; two 5 h meetings cannot both fit in NL's
    # 8 working hours of one day. The low one is left out: objective 10.
    _, result = solve_checked(ROOMS + "countries: [{code: NL, desk_capacity: 1}]\n" + DESK_MEETINGS)
    assert [m.id for m in result.meetings] == ["HIGH"]
    rule, why = reason_of(result, "LOW")
    assert rule == "desk_capacity" and "NL" in why
    assert result.objective == 10


def test_desk_capacity_two_holds_both_at_once() -> None:
    # With the default desk capacity 2 both run in parallel, in two rooms: objective 0.
    _, result = solve_checked(ROOMS + DESK_MEETINGS)
    assert {m.id for m in result.meetings} == {"HIGH", "LOW"}
    assert result.objective == 0


# ---- optional participants ----------------------------------------------------------------


def test_optional_participant_who_cannot_attend_is_absent_at_a_cost() -> None:
    # Optional Georgia (06:00-14:00 CET) cannot join a meeting that New York forces to
    # 15:00-17:00 CET: absent, 20.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, US, GE]}]
meetings:
  - {id: M1, case: C1, duration: 2h,
     participants: [{country: NL}, {country: US, attendance: video},
                    {country: GE, attendance: video, required: false}]}
"""
    )
    assert placed(result, "M1").absent == ["GE"]
    assert result.terms and result.terms["optional_absent"] == 20 and result.objective == 20


def test_optional_participant_who_can_attend_attends() -> None:
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE]}]
meetings:
  - {id: M1, case: C1, duration: 2h,
     participants: [{country: NL}, {country: DE}, {country: BE, required: false}]}
"""
    )
    assert placed(result, "M1").absent == []
    assert result.objective == 0


# ---- rooms --------------------------------------------------------------------------------


def test_room_capacity_counts_host_staff_and_every_in_person_delegate() -> None:
    # 2 host staff + 6 + 5 delegates = 13 seats; M3 has 12, so P1 (40) is the room.
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: M1, case: C1, duration: 1h,
     participants: [{country: NL, delegates: 6}, {country: DE, delegates: 5}]}
"""
    )
    assert placed(result, "M1").room == "P1"


def test_no_room_big_enough_is_the_reason() -> None:
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: M1, case: C1, duration: 1h,
     participants: [{country: NL, delegates: 30}, {country: DE, delegates: 20}]}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "room_capacity" and "52 seats" in why


def test_video_participant_needs_a_videoconference_room() -> None:
    _, result = solve_checked(
        """
rooms:
  - {id: PLAIN, capacity: 40}
meetings:
  - {id: M1, case: C1, duration: 1h,
     participants: [{country: NL}, {country: DE, attendance: video}]}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "room_feature" and "videoconference" in why


BUFFER_DAY = """
countries: [{code: NL, working_hours: "08:00-19:00"}]
cases: [{id: C1, crime: fraud, countries: [NL]}]
rooms: [{id: R, capacity: 10}]
meetings:
  - {id: A, case: C1, duration: 3h30m, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}]}
  - {id: B, case: C1, duration: 3h30m, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}]}
  - {id: C, case: C1, duration: 3h30m, earliest: 2026-12-02, latest: 2026-12-02,
     priority: low, participants: [{country: NL}]}
"""


def test_room_buffer_fits_exactly() -> None:
    # 3 x 3h30 + 2 buffers of 15 min = 11 h = host hours 08:00-19:00: all three fit.
    _, result = solve_checked("defaults: {room_buffer: 15m}\n" + BUFFER_DAY)
    starts = sorted(hm(m.start) for m in result.meetings)
    assert starts == ["08:00", "11:45", "15:30"]


def test_room_buffer_too_long_leaves_one_out() -> None:
    # With 30 min buffers 3 x 3h30 + 2 x 30 min = 11h30 > 11 h: the low one is out (10).
    _, result = solve_checked("defaults: {room_buffer: 30m}\n" + BUFFER_DAY)
    assert {m.id for m in result.meetings} == {"A", "B"}
    assert reason_of(result, "C")[0] == "room_conflict"
    assert result.objective == 10


# ---- interpreters -------------------------------------------------------------------------


def test_long_meeting_needs_a_team_of_two() -> None:
    # 2 h > solo_max 60 min: two de-en interpreters.
    _, result = solve_checked(
        ROOMS
        + """
interpreters:
  - {id: anna, languages: [de, en, fr]}
  - {id: karl, languages: [de, en]}
meetings:
  - {id: M1, case: C1, duration: 2h, participants: [{country: NL}, {country: DE, language: de}]}
"""
    )
    assert placed(result, "M1").interpreters == {"de": ["anna", "karl"]}


def test_one_interpreter_is_not_enough_for_a_long_meeting() -> None:
    _, result = solve_checked(
        ROOMS
        + """
interpreters: [{id: anna, languages: [de, en]}]
meetings:
  - {id: LONG, case: C1, duration: 2h, participants: [{country: NL}, {country: DE, language: de}]}
  - {id: SHORT, case: C1, duration: 1h, participants: [{country: NL}, {country: DE, language: de}]}
"""
    )
    rule, why = reason_of(result, "LONG")
    assert rule == "interpreter" and "needs 2 interpreters" in why
    assert placed(result, "SHORT").interpreters == {"de": ["anna"]}


def test_missing_language_pair_is_named() -> None:
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, MT]}]
interpreters: [{id: anna, languages: [de, en]}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: MT, language: mt}]}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "interpreter" and "mt and en" in why


def test_interpreter_daily_cap() -> None:
    # anna, the only de-en interpreter, may interpret 2 h a day. Three 1 h meetings on one
    # date each need one interpreter (1 h <= solo_max): only two fit, the low one is left
    # out at 10.
    _, result = solve_checked(
        ROOMS
        + """
interpreters: [{id: anna, languages: [de, en], max_per_day: 2h}]
meetings:
  - {id: A, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE, language: de, attendance: video}]}
  - {id: B, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE, language: de, attendance: video}]}
  - {id: C, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02, priority: low,
     participants: [{country: NL}, {country: DE, language: de, attendance: video}]}
"""
    )
    assert {m.id for m in result.meetings} == {"A", "B"}
    assert reason_of(result, "C")[0] == "interpreter"
    assert result.objective == 10


# ---- order, pins, critical ----------------------------------------------------------------


def test_after_keeps_the_gap() -> None:
    # B starts at least 1 day after A ends and both end by Tue 1 Dec: A is on Monday and
    # B on Tuesday, at least 24 h after A's end.
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: A, case: C1, duration: 1h, latest: 2026-12-01, participants: [{country: NL}]}
  - {id: B, case: C1, duration: 1h, latest: 2026-12-01, participants: [{country: NL}],
     after: [{meeting: A, gap: 1d}]}
"""
    )
    first, second = placed(result, "A"), placed(result, "B")
    assert (second.start - first.end).total_seconds() >= 24 * 3600
    assert second.start.date() == date(2026, 12, 1)


def test_successor_of_an_unschedulable_meeting_is_not_held() -> None:
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: A, case: C1, duration: 1h, participants: [{country: NL, delegates: 80}]}
  - {id: B, case: C1, duration: 1h, participants: [{country: NL}], after: [{meeting: A}]}
"""
    )
    rule, why = reason_of(result, "B")
    assert rule == "order" and "A" in why


def test_pins_hold_start_and_room() -> None:
    _, result = solve_checked(
        ROOMS
        + """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}],
     pinned: {start: 2026-12-03T10:30, room: P1}}
  - {id: M2, case: C1, duration: 1h, participants: [{country: NL}],
     pinned: {date: 2026-12-04}}
"""
    )
    first = placed(result, "M1")
    assert first.start.isoformat() == "2026-12-03T10:30:00+01:00" and first.room == "P1"
    assert placed(result, "M2").start.date() == date(2026, 12, 4)


def test_pin_outside_a_participants_hours_is_infeasible_with_the_rule() -> None:
    # 10:00 CET is 04:00 in New York.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, US]}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: US}],
     pinned: {start: 2026-12-03T10:00}}
"""
    )
    assert result.status == "infeasible"
    assert [(i.rule, i.activities) for i in result.infeasible] == [("working_hours", ["M1"])]


def test_critical_meetings_that_cannot_all_be_held_are_named() -> None:
    # Two critical 6 h meetings, one room, one date: they cannot both be held.
    _, result = solve_checked(
        """
rooms: [{id: R, capacity: 10}]
countries: [{code: NL, working_hours: "08:00-19:00"}, {code: DE, working_hours: "08:00-19:00"}]
meetings:
  - {id: A, case: C1, duration: 6h, priority: critical, earliest: 2026-12-02,
     latest: 2026-12-02, participants: [{country: NL}]}
  - {id: B, case: C1, duration: 6h, priority: critical, earliest: 2026-12-02,
     latest: 2026-12-02, participants: [{country: DE}]}
  - {id: C, case: C1, duration: 1h, participants: [{country: DE}]}
"""
    )
    assert result.status == "infeasible"
    assert result.infeasible[0].rule == "critical"
    assert result.infeasible[0].activities == ["A", "B"]
    assert not result.meetings


def test_optional_participant_whose_desk_is_full_is_absent() -> None:
    # BE's desk takes one activity at a time. M1 (BE required) and M2 (BE optional) are
    # pinned to the same hour, so BE cannot attend M2: its desk is full. Absent, 20.
    _, result = solve_checked(
        ROOMS
        + """
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE]}]
countries: [{code: BE, desk_capacity: 1}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: BE}],
     pinned: {start: 2026-12-02T10:00}}
  - {id: M2, case: C1, duration: 1h,
     participants: [{country: DE}, {country: BE, required: false}],
     pinned: {start: 2026-12-02T10:00}}
"""
    )
    assert placed(result, "M2").absent == ["BE"]
    assert result.objective == 20


def test_identical_rooms_are_booked_as_a_class_and_assigned_after() -> None:
    # Three identical rooms, four meetings lasting all of the one date's 11 host hours:
    # three are held, each in its own room, and the low one is left out (10).
    meetings = "\n".join(
        f"  - {{id: M{i}, case: C1, duration: 11h, priority: {'low' if i == 3 else 'high'}, "
        "earliest: 2026-12-02, latest: 2026-12-02, "
        f"participants: [{{country: {code}}}]}}"
        for i, code in enumerate(["NL", "DE", "BE", "FR"])
    )
    _, result = solve_checked(
        f"""
countries:
{chr(10).join(f'  - {{code: {c}, working_hours: "08:00-19:00"}}' for c in ["NL", "DE", "BE", "FR"])}
rooms: [{{id: R1, capacity: 9}}, {{id: R2, capacity: 9}}, {{id: R3, capacity: 9}}]
meetings:
{meetings}
"""
    )
    assert sorted(m.room for m in result.meetings) == ["R1", "R2", "R3"]
    assert reason_of(result, "M3")[0] == "room_conflict"
    assert result.objective == 10


def test_a_busy_desk_over_many_dates_is_counted_once_per_activity() -> None:
    # PA's desk takes one activity at a time. Eight critical 1 h meetings of PA fill the
    # single daily hour of eight dates; X (critical, PA optional) can only be held with PA
    # absent because its desk is full: 20. Each A-meeting may fall on any of the eight
    # dates, so it must be weighed once, not once per date.
    meetings = "\n".join(
        f"  - {{id: A{k}, case: C, duration: 60, priority: critical, "
        "participants: [{country: PA}]}"
        for k in range(1, 9)
    )
    _, result = solve_checked(
        f"""
host: {{country: NL, timezone: Europe/Amsterdam, hours: "09:00-10:00", holidays: none}}
granularity: 60m
defaults: {{working_hours: "09:00-10:00", desk_capacity: 1, room_buffer: 0m, host_staff: 0}}
countries:
  - {{code: PA, timezone: Europe/Amsterdam, holidays: none}}
  - {{code: PB, timezone: Europe/Amsterdam, holidays: none}}
rooms: [{{id: R1, capacity: 5}}, {{id: R2, capacity: 5}}]
cases: [{{id: C, crime: other, countries: [PA, PB]}}]
meetings:
{meetings}
  - {{id: X, case: C, duration: 60, priority: critical,
     participants: [{{country: PB}}, {{country: PA, required: false}}]}}
""",
        horizon="{start: 2027-01-04, end: 2027-01-13}",
    )
    assert result.status == "optimal" and result.objective == 20
    assert placed(result, "X").absent == ["PA"]
