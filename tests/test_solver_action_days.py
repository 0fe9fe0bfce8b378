"""Action days and coordination centres (SPEC 2.2), solved for real and checked.

Winter offsets: Amsterdam UTC+1, Helsinki UTC+2, Lisbon UTC+0, New York UTC-5.
"""

from __future__ import annotations

from datetime import date

from solving import hm, reason_of, solve_checked

from planner.models.schedule import ActionDayPlacement, Result

CENTRES = """
rooms:
  - {id: P1, capacity: 40, features: [videoconference]}
  - {id: CC1, capacity: 24, features: [coordination_centre, videoconference]}
cases:
  - {id: C1, crime: drug_trafficking, countries: [NL, DE, FI, PT, US]}
  - {id: C2, crime: fraud, countries: [NL, BE]}
"""


def centre(result: Result, action_day_id: str) -> ActionDayPlacement:
    return next(a for a in result.action_days if a.id == action_day_id)


def test_centre_span_covers_every_country_from_setup_to_the_last_end() -> None:
    # 06:00 local: Helsinki 05:00 CET, Lisbon 07:00 CET, New York 12:00 CET. The centre
    # opens 1 h before the earliest start, 04:00, and closes 10 h after the latest,
    # 22:00 CET.
    _, result = solve_checked(
        CENTRES
        + """
action_days:
  - {id: AD1, case: C1, countries: [FI, PT, US], earliest: 2026-12-02, latest: 2026-12-02}
"""
    )
    placed = centre(result, "AD1")
    assert placed.centre_open.isoformat() == "2026-12-02T04:00:00+01:00"
    assert placed.centre_close.isoformat() == "2026-12-02T22:00:00+01:00"
    assert placed.room == "CC1"
    assert {code: hm(t.start) for code, t in placed.operations.items()} == {
        "FI": "06:00",
        "PT": "06:00",
        "US": "06:00",
    }


TWO_ON_ONE_DAY = (
    CENTRES
    + """
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], earliest: 2026-12-02, latest: 2026-12-02}
  - {id: AD2, case: C2, countries: [NL, BE], earliest: 2026-12-02, latest: %s,
     virtual: %s}
"""
)


def test_second_centre_on_the_same_day_runs_virtually() -> None:
    # One centre room, two centres on Wed 2 Dec: one is virtual, costing 20.
    _, result = solve_checked(TWO_ON_ONE_DAY % ("2026-12-02", "allowed"))
    rooms = sorted(str(a.room) for a in result.action_days)
    assert rooms == ["CC1", "None"]
    assert result.terms and result.terms["virtual_centre"] == 20 and result.objective == 20


def test_never_virtual_moves_to_another_day() -> None:
    # AD2 may not run virtually and may use Thu 3 Dec: both get CC1, objective 0.
    _, result = solve_checked(TWO_ON_ONE_DAY % ("2026-12-03", "never"))
    assert centre(result, "AD1").room == "CC1" and centre(result, "AD1").date == date(2026, 12, 2)
    assert centre(result, "AD2").room == "CC1" and centre(result, "AD2").date == date(2026, 12, 3)
    assert result.objective == 0


def test_never_virtual_takes_the_room_and_the_other_goes_virtual() -> None:
    # AD2 may not run virtually: it gets CC1 and AD1 runs virtually, 20.
    _, result = solve_checked(TWO_ON_ONE_DAY % ("2026-12-02", "never"))
    assert centre(result, "AD2").room == "CC1" and centre(result, "AD1").room is None
    assert result.objective == 20


def test_never_virtual_without_a_free_room_is_unscheduled() -> None:
    # Both may not run virtually and there is one centre room on the only date: one is
    # left out at the unscheduled weight of an action day, high by default: 1000.
    _, result = solve_checked(
        (TWO_ON_ONE_DAY % ("2026-12-02", "never")).replace(
            "latest: 2026-12-02}", "latest: 2026-12-02, virtual: never}", 1
        )
    )
    assert len(result.action_days) == 1
    left_out = result.unscheduled[0].id
    assert reason_of(result, left_out)[0] == "centre"
    assert result.objective == 1000


def test_holiday_of_one_country_removes_a_date() -> None:
    # Tue 1 Dec is a public holiday in Portugal; the only other date is Wed 2 Dec.
    _, result = solve_checked(
        CENTRES
        + """
action_days:
  - {id: AD1, case: C1, countries: [NL, PT], earliest: 2026-12-01, latest: 2026-12-02}
"""
    )
    assert centre(result, "AD1").date == date(2026, 12, 2)


def test_holiday_on_every_date_is_the_reason() -> None:
    _, result = solve_checked(
        CENTRES
        + """
action_days:
  - {id: AD1, case: C1, countries: [NL, PT], earliest: 2026-12-01, latest: 2026-12-01}
"""
    )
    rule, why = reason_of(result, "AD1")
    assert rule == "holiday" and "PT" in why


PREPARED = (
    CENTRES
    + """
meetings:
  - {id: M0, case: C1, duration: 1h, latest: 2026-12-01, participants: [{country: NL}]}
  - {id: M1, case: C1, duration: 2h, earliest: 2026-12-01, latest: 2026-12-01,
     participants: [{country: NL}, {country: DE, delegates: %d}], after: [{meeting: M0}]}
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], earliest: 2026-12-02, latest: 2026-12-04,
     prepared_by: [{meeting: M1, gap: 1d}]}
"""
)


def test_preparatory_chain_comes_first() -> None:
    # M1 is on Tue 1 Dec and ends at 11:00 at the earliest (09:00 + 2 h); a day later is
    # Wed 2 Dec 11:00, after the Wednesday centre opens (05:00): the action day is on
    # Thu 3 Dec or later, and M0 precedes M1.
    _, result = solve_checked(PREPARED % 1)
    placed = {m.id: m for m in result.meetings}
    assert placed["M0"].end <= placed["M1"].start
    action_day = centre(result, "AD1")
    assert action_day.date >= date(2026, 12, 3)
    assert (action_day.centre_open - placed["M1"].end).total_seconds() >= 24 * 3600


def test_action_day_whose_preparatory_meeting_cannot_be_held_is_not_held() -> None:
    # 80 DE delegates fit in no room, so M1 and then AD1 are out.
    _, result = solve_checked(PREPARED % 80)
    assert reason_of(result, "M1")[0] == "room_capacity"
    rule, why = reason_of(result, "AD1")
    assert rule == "order" and "M1" in why


def test_centre_staff_pool_is_shared() -> None:
    # Pool of 4; two centres of 3 staff on the only date cannot both open. AD2 (normal)
    # gives way to AD1 (high): objective 100.
    _, result = solve_checked(
        CENTRES
        + """
coordination_centre: {staff: 4}
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], staff: 3, earliest: 2026-12-02, latest: 2026-12-02}
  - {id: AD2, case: C2, countries: [BE], staff: 3, priority: normal,
     earliest: 2026-12-02, latest: 2026-12-02}
"""
    )
    assert [a.id for a in result.action_days] == ["AD1"]
    assert reason_of(result, "AD2")[0] == "staff"
    assert result.objective == 100


def test_centre_occupies_the_desks_of_its_countries() -> None:
    # NL's desk takes one activity at a time and a 12 h operation holds it in the centre
    # 05:00-18:00 on the only date of the meeting, longer than NL's 09:00-17:00: the
    # meeting (low, 10) is left out.
    _, result = solve_checked(
        CENTRES
        + """
countries: [{code: NL, desk_capacity: 1}]
meetings:
  - {id: M1, case: C2, duration: 1h, priority: low, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: NL}, {country: BE}]}
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], duration: 12h,
     earliest: 2026-12-02, latest: 2026-12-02}
"""
    )
    rule, why = reason_of(result, "M1")
    assert rule == "desk_capacity" and "NL" in why
    assert result.objective == 10


def test_spans_follow_daylight_saving_inside_the_window() -> None:
    # Fri 23 Oct 2026: Amsterdam CEST (UTC+2), New York EDT (UTC-4): NL starts 06:00,
    # New York 06:00 EDT = 12:00 CEST; centre 05:00-22:00 CEST.
    # Mon 26 Oct: Amsterdam back on CET (UTC+1), New York still EDT: New York starts
    # 11:00 CET; centre 05:00-21:00 CET.
    body = """
rooms: [{id: CC1, capacity: 24, features: [coordination_centre]}]
cases: [{id: C1, crime: fraud, countries: [NL, US]}]
action_days:
  - {id: AD1, case: C1, countries: [NL, US], earliest: %s, latest: %s}
"""
    horizon = "{start: 2026-10-23, end: 2026-10-30}"
    _, before = solve_checked(body % ("2026-10-23", "2026-10-23"), horizon)
    _, after = solve_checked(body % ("2026-10-26", "2026-10-26"), horizon)
    first, second = centre(before, "AD1"), centre(after, "AD1")
    assert first.centre_open.isoformat() == "2026-10-23T05:00:00+02:00"
    assert first.centre_close.isoformat() == "2026-10-23T22:00:00+02:00"
    assert second.centre_open.isoformat() == "2026-10-26T05:00:00+01:00"
    assert second.centre_close.isoformat() == "2026-10-26T21:00:00+01:00"


def test_critical_action_day_without_a_date_is_infeasible() -> None:
    _, result = solve_checked(
        CENTRES
        + """
action_days:
  - {id: AD1, case: C1, countries: [NL, PT], priority: critical,
     earliest: 2026-12-01, latest: 2026-12-01}
"""
    )
    assert result.status == "infeasible"
    assert [(i.rule, i.activities) for i in result.infeasible] == [("holiday", ["AD1"])]
