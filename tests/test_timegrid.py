"""The time grid: minutes from the origin, local times, and the allowed start slots.

Host time is Europe/Amsterdam throughout: CET (UTC+1) in winter, CEST (UTC+2) in
summer. Expected values are worked out in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loading import parse_scenario
from planner.models.catalogue import public_holidays
from planner.models.scenario import Scenario
from planner.timegrid import (
    TimeGrid,
    WorkSpan,
    covered_by_at_least,
    day_range,
    intersect_ranges,
    start_ranges,
    subtract,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEK_49 = "{start: 2026-11-30, end: 2026-12-04}"  # Monday to Friday, no Dutch holiday


def _scenario(horizon: str = WEEK_49, body: str = "") -> Scenario:
    return parse_scenario(f"schema: planner.scenario/1\nhorizon: {horizon}\n{body}")


def _meeting_scenario(
    participants: str, duration: str = "1h", horizon: str = WEEK_49, extra: str = ""
) -> Scenario:
    """One case and one meeting ``CM-1`` with the given participants (a YAML flow list)."""
    return _scenario(
        horizon,
        extra + "cases: [{id: EJ-1, crime: fraud, countries: [NL]}]\n"
        f"meetings: [{{id: CM-1, case: EJ-1, duration: {duration}, "
        f"participants: {participants}}}]\n",
    )


def _starts(grid: TimeGrid) -> list[datetime]:
    """The allowed starts of ``CM-1`` as host datetimes."""
    meeting = grid.scenario.meetings_by_id["CM-1"]
    return [grid.at(grid.slot_minute(slot)) for slot in grid.allowed_starts(meeting)]


def _by_date(starts: list[datetime]) -> dict[date, list[str]]:
    result: dict[date, list[str]] = {}
    for moment in starts:
        result.setdefault(moment.date(), []).append(f"{moment:%H:%M}")
    return result


def _clock(first: str, last: str, step: int = 15) -> list[str]:
    """Clock times from ``first`` to ``last`` inclusive, every ``step`` minutes."""
    start = datetime.strptime(first, "%H:%M")
    end = datetime.strptime(last, "%H:%M")
    times = []
    while start <= end:
        times.append(f"{start:%H:%M}")
        start += timedelta(minutes=step)
    return times


# ---- conversions -----------------------------------------------------------------------


def test_origin_is_midnight_host_time_on_the_first_date() -> None:
    grid = TimeGrid(_scenario())
    assert grid.minute(datetime(2026, 11, 30, 0, 0)) == 0  # naive: host time
    assert grid.minute(datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == 0  # CET = UTC+1
    assert grid.at(0) == datetime(2026, 11, 30, 0, 0, tzinfo=AMSTERDAM)
    assert grid.at(0).utcoffset() == timedelta(hours=1)
    # Tue 1 Dec 15:00 CET: one day (1440) and 15 hours (900) after the origin
    assert grid.minute(datetime(2026, 12, 1, 15, 0)) == 2340
    assert grid.minute(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("America/Bogota"))) == 2340
    assert grid.minute(datetime(2026, 11, 30, 0, 0, 59)) == 0  # rounded down
    assert grid.minute(datetime(2026, 11, 29, 23, 59, 30)) == -1
    assert grid.end_minute == 5 * 1440
    assert grid.slot_minute(4) == 60
    assert grid.host_date(1439) == date(2026, 11, 30)
    assert grid.host_date(1440) == date(2026, 12, 1)
    assert grid.host_dates == [date(2026, 11, 30) + timedelta(days=n) for n in range(5)]


ZONES = [
    "Europe/Amsterdam",
    "Europe/Lisbon",
    "Europe/Bucharest",
    "America/New_York",
    "America/Los_Angeles",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Santiago",
    "Asia/Tbilisi",
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
    "UTC",
]

aware_minutes = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([ZoneInfo(zone) for zone in ZONES]),
    allow_imaginary=False,
).map(lambda moment: moment.replace(second=0, microsecond=0))


WEEK_49_GRID = TimeGrid(_scenario())


@settings(max_examples=200)
@given(aware_minutes)
def test_at_inverts_minute_for_aware_datetimes(moment: datetime) -> None:
    grid = WEEK_49_GRID
    minute = grid.minute(moment)
    back = grid.at(minute)
    assert back.astimezone(UTC) == moment.astimezone(UTC)  # the same instant
    assert back.tzinfo is AMSTERDAM
    local = grid.at(minute, moment.tzinfo)  # type: ignore[arg-type]
    # and the same wall clock and offset in the datetime's own zone (folds included)
    assert local.replace(tzinfo=None) == moment.replace(tzinfo=None)
    assert local.utcoffset() == moment.utcoffset()


@settings(max_examples=300)
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    st.integers(min_value=0, max_value=1440),
    st.sampled_from(ZONES),
)
def test_local_minute_agrees_with_zoneinfo(day: date, clock: int, zone: str) -> None:
    grid = WEEK_49_GRID
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, time()) + timedelta(minutes=clock)  # naive wall clock
    # UTC = wall clock - offset (the offset zoneinfo gives that wall clock, fold=0)
    offset = tz.utcoffset(wall)
    assert offset is not None
    origin_utc = datetime(2026, 11, 30) - timedelta(hours=1)  # 00:00 CET
    expected = (wall - offset - origin_utc) // timedelta(minutes=1)
    minute = grid.local_minute(day, clock, zone)
    assert minute == expected
    back = grid.at(minute, zone).replace(tzinfo=None)
    if back == wall:
        return
    # only a wall clock in a spring-forward gap does not exist; it is read with fold=0
    # (the offset before the change), so it lands after the gap
    assert (back - wall) == (tz.utcoffset(back) or timedelta()) - offset > timedelta()


# ---- zones around the world --------------------------------------------------------------


def test_dst_mismatch_week_gives_three_hours_with_new_york() -> None:
    # 26-30 Oct 2026: Europe has left summer time (CET, UTC+1 since 25 Oct), the US has
    # not (EDT, UTC-4 until 1 Nov): New York 09:00-17:00 = 14:00-22:00 CET. With Dutch
    # hours 09:00-17:00 the overlap is 14:00-17:00: a 1 h meeting starts 14:00 ... 16:00.
    horizon = "{start: 2026-10-26, end: 2026-10-30}"
    participants = "[{country: NL}, {country: US, attendance: video}]"
    grid = TimeGrid(_meeting_scenario(participants, "1h", horizon))
    by_date = _by_date(_starts(grid))
    assert list(by_date) == [date(2026, 10, 26) + timedelta(days=n) for n in range(5)]
    assert all(times == _clock("14:00", "16:00") for times in by_date.values())
    # a 3 h meeting fits exactly once a day: 14:00-17:00
    grid = TimeGrid(_meeting_scenario(participants, "3h", horizon))
    assert {f"{start:%H:%M}" for start in _starts(grid)} == {"14:00"}
    assert len(_starts(grid)) == 5


def test_usual_winter_overlap_with_new_york_is_two_hours() -> None:
    # Week 49: New York is EST (UTC-5): 09:00-17:00 = 15:00-23:00 CET; overlap 15:00-17:00.
    participants = "[{country: NL}, {country: US, attendance: video}]"
    grid = TimeGrid(_meeting_scenario(participants, "1h"))
    by_date = _by_date(_starts(grid))
    assert len(by_date) == 5
    assert all(times == _clock("15:00", "16:00") for times in by_date.values())
    assert _starts(TimeGrid(_meeting_scenario(participants, "3h"))) == []


def test_chile_is_on_summer_time_in_december() -> None:
    # America/Santiago: UTC-3 in December (southern summer), UTC-4 in July.
    grid = TimeGrid(_scenario())
    december = grid.local_minute(date(2026, 12, 1), 9 * 60, "America/Santiago")
    assert grid.at(december) == datetime(2026, 12, 1, 13, 0, tzinfo=AMSTERDAM)  # 4 h apart
    assert grid.at(december, "America/Santiago").utcoffset() == timedelta(hours=-3)
    july = grid.local_minute(date(2026, 7, 1), 9 * 60, "America/Santiago")
    # 09:00 UTC-4 = 13:00 UTC = 15:00 CEST: 6 h apart in July
    assert grid.at(july) == datetime(2026, 7, 1, 15, 0, tzinfo=AMSTERDAM)
    # A meeting with Chile in week 49: 13:00-17:00 CET, so a 1 h meeting starts 13:00-16:00.
    by_date = _by_date(_starts(TimeGrid(_meeting_scenario("[{country: NL}, {country: CL}]"))))
    assert all(times == _clock("13:00", "16:00") for times in by_date.values())


@pytest.mark.parametrize(
    ("zone", "hours"),
    [("Asia/Tbilisi", 4), ("America/Bogota", -5), ("America/Sao_Paulo", -3)],
)
def test_zones_without_daylight_saving(zone: str, hours: int) -> None:
    grid = TimeGrid(_scenario())
    for day in (date(2026, 1, 15), date(2026, 4, 15), date(2026, 7, 15), date(2026, 11, 2)):
        noon = grid.local_minute(day, 12 * 60, zone)
        assert grid.at(noon, zone).utcoffset() == timedelta(hours=hours)


def test_georgia_works_in_the_host_morning() -> None:
    # Tbilisi 09:00-17:00 (UTC+4) = 06:00-14:00 CET on Monday 30 Nov.
    grid = TimeGrid(_scenario())
    spans = grid.party_work_spans(grid.scenario.parties["GE"])
    monday = next(span for span in spans if span.local_date == date(2026, 11, 30))
    assert (monday.start, monday.end) == (6 * 60, 14 * 60)
    assert (monday.work_start, monday.work_end) == (monday.start, monday.end)  # no stretch


def test_a_slot_can_fall_on_another_local_date_in_a_far_zone() -> None:
    grid = TimeGrid(_scenario())
    monday_8 = grid.minute(datetime(2026, 11, 30, 8, 0))
    assert monday_8 == 480
    assert grid.host_date(monday_8) == date(2026, 11, 30)
    # 08:00 CET Monday is 23:00 PST on Sunday in Los Angeles (UTC-8) ...
    assert grid.at(monday_8, "America/Los_Angeles") == datetime(
        2026, 11, 29, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles")
    )
    # ... and 22:00 CET on Friday is already 01:00 on Saturday in Tbilisi (UTC+4).
    friday_22 = grid.minute(datetime(2026, 12, 4, 22, 0))
    assert grid.at(friday_22, "Asia/Tbilisi") == datetime(
        2026, 12, 5, 1, 0, tzinfo=ZoneInfo("Asia/Tbilisi")
    )
    # A delegation in Los Angeles works 09:00-17:00 PST = 18:00-02:00 CET: its Friday
    # ends on Saturday 02:00 in The Hague, 2 h after the horizon.
    scenario = _meeting_scenario("[{country: US, timezone: America/Los_Angeles}]")
    grid = TimeGrid(scenario)
    spans = grid.participant_work_spans(scenario.meetings[0].participants[0])
    friday = next(span for span in spans if span.local_date == date(2026, 12, 4))
    assert (friday.start, friday.end) == (4 * 1440 + 18 * 60, 5 * 1440 + 2 * 60)
    assert grid.host_date(friday.end) == date(2026, 12, 5)
    # Sunday 29 Nov in Los Angeles is a weekend day: no span for it
    assert all(span.local_date.weekday() < 5 for span in spans)


# ---- clock changes inside the horizon -------------------------------------------------------


def test_eu_autumn_change_night_makes_a_25_hour_host_date() -> None:
    # Sunday 25 Oct 2026, 03:00 CEST becomes 02:00 CET.
    grid = TimeGrid(_scenario("{start: 2026-10-24, end: 2026-10-30}"))
    assert grid.day_start(date(2026, 10, 25)) == 1440
    assert grid.day_start(date(2026, 10, 26)) - grid.day_start(date(2026, 10, 25)) == 1500
    assert grid.day_start(date(2026, 10, 27)) - grid.day_start(date(2026, 10, 26)) == 1440
    assert grid.end_minute == 7 * 1440 + 60
    # host hours of Monday 26 Oct: 08:00 and 19:00 CET
    monday = 1440 + 1500
    assert grid.host_hours_span(date(2026, 10, 26)) == (monday + 480, monday + 1140)
    assert grid.at(monday) == datetime(2026, 10, 26, 0, 0, tzinfo=AMSTERDAM)
    # 02:30 happens twice that night; it is read with fold=0, the first time (CEST):
    # 00:30 UTC, 90 minutes before 03:00 CET (02:00 UTC).
    first_0230 = grid.local_minute(date(2026, 10, 25), 150, AMSTERDAM)
    assert first_0230 == 1440 + 150
    assert grid.local_minute(date(2026, 10, 25), 180, AMSTERDAM) - first_0230 == 90
    # Only the weekdays carry host hours.
    assert len(grid.host_spans) == 5


def test_eu_spring_change_makes_a_23_hour_host_date() -> None:
    # Sunday 29 Mar 2026, 02:00 CET becomes 03:00 CEST.
    grid = TimeGrid(_scenario("{start: 2026-03-28, end: 2026-04-03}"))
    assert grid.day_start(date(2026, 3, 30)) - grid.day_start(date(2026, 3, 29)) == 1380
    # 02:30 does not exist that night: read with fold=0 (CET) it is 01:30 UTC = 03:30 CEST
    assert grid.at(grid.local_minute(date(2026, 3, 29), 150, AMSTERDAM)).hour == 3


def test_meetings_keep_their_length_across_the_change() -> None:
    # 1 h meetings NL + US in the week of 2 Nov (US back on EST on 1 Nov): 15:00-16:00 again.
    horizon = "{start: 2026-10-29, end: 2026-11-03}"
    participants = "[{country: NL}, {country: US, attendance: video}]"
    by_date = _by_date(_starts(TimeGrid(_meeting_scenario(participants, "1h", horizon))))
    assert by_date[date(2026, 10, 29)] == _clock("14:00", "16:00")  # EDT: 5 h apart
    assert by_date[date(2026, 11, 2)] == _clock("15:00", "16:00")  # EST: 6 h apart
    assert date(2026, 10, 31) not in by_date and date(2026, 11, 1) not in by_date


# ---- weekends, holidays, unavailable windows --------------------------------------------------


def test_portuguese_holiday_removes_tuesday() -> None:
    # PT 09:00-17:00 Lisbon (UTC+0) = 10:00-18:00 CET; with NL: 10:00-17:00, starts 10:00-16:00.
    # Tue 1 Dec is Restoration of Independence Day in Portugal.
    by_date = _by_date(_starts(TimeGrid(_meeting_scenario("[{country: NL}, {country: PT}]"))))
    assert list(by_date) == [
        date(2026, 11, 30),
        date(2026, 12, 2),
        date(2026, 12, 3),
        date(2026, 12, 4),
    ]
    assert all(times == _clock("10:00", "16:00") for times in by_date.values())
    grid = TimeGrid(_scenario())
    assert grid.party_day_off(grid.scenario.parties["PT"], date(2026, 12, 1)) == (
        "Restoration of Independence Day (PT public holiday)"
    )


def test_romanian_holidays_remove_monday_and_tuesday() -> None:
    # RO 09:00-17:00 Bucharest (UTC+2) = 08:00-16:00 CET; with NL: starts 09:00-15:00.
    by_date = _by_date(_starts(TimeGrid(_meeting_scenario("[{country: NL}, {country: RO}]"))))
    assert list(by_date) == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    assert all(times == _clock("09:00", "15:00") for times in by_date.values())


def test_holidays_none_keeps_the_day() -> None:
    scenario = _meeting_scenario(
        "[{country: PT}]", extra="countries: [{code: PT, holidays: none}]\n"
    )
    assert date(2026, 12, 1) in _by_date(_starts(TimeGrid(scenario)))


def test_us_thanksgiving_and_the_weekend() -> None:
    # Thu 26 Nov 2026 is Thanksgiving; the horizon runs Fri 20 Nov to Mon 30 Nov.
    horizon = "{start: 2026-11-20, end: 2026-11-30}"
    by_date = _by_date(_starts(TimeGrid(_meeting_scenario("[{country: US}]", "1h", horizon))))
    assert list(by_date) == [
        date(2026, 11, 20),
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]


def test_host_holidays_and_weekends() -> None:
    # 21-31 Dec 2026: Christmas Day (Fri 25) and Second Day of Christmas (Sat 26).
    horizon = "{start: 2026-12-21, end: 2026-12-31}"
    grid = TimeGrid(_scenario(horizon))
    working = [day for day in grid.host_dates if grid.host_day_off(day) is None]
    assert working == [date(2026, 12, d) for d in (21, 22, 23, 24, 28, 29, 30, 31)]
    assert grid.host_day_off(date(2026, 12, 25)) == "Christmas Day (NL public holiday)"
    assert grid.host_day_off(date(2026, 12, 27)) == "Sunday (weekend)"
    assert len(grid.host_spans) == 8
    # host holidays: none -> the agency works on every weekday
    grid = TimeGrid(_scenario(horizon, "host: {holidays: none}\n"))
    assert grid.host_day_off(date(2026, 12, 25)) is None
    assert len(grid.host_spans) == 9
    # a meeting with only an organisation still keeps to host working days
    starts = _starts(TimeGrid(_meeting_scenario("[{country: EUROPOL}]", "1h", horizon)))
    assert date(2026, 12, 25) not in _by_date(starts)


def test_party_unavailable_windows_are_read_in_the_partys_zone() -> None:
    # PT away Wed 2 Dec 13:00-17:00 Lisbon = 14:00-18:00 CET, and all of Thu 3 Dec.
    extra = (
        "countries:\n  - code: PT\n"
        '    unavailable: [2026-12-03, {date: 2026-12-02, hours: "13:00-17:00"}]\n'
    )
    scenario = _meeting_scenario("[{country: NL}, {country: PT}]", extra=extra)
    grid = TimeGrid(scenario)
    holes = grid.unavailable_spans(scenario.parties["PT"].unavailable, "Europe/Lisbon")
    # Wed 14:00 CET = 2*1440 + 840; Thu 00:00 Lisbon = Thu 01:00 CET = 3*1440 + 60
    assert holes == [(2 * 1440 + 840, 2 * 1440 + 1080), (3 * 1440 + 60, 4 * 1440 + 60)]
    by_date = _by_date(_starts(grid))
    assert by_date[date(2026, 12, 2)] == _clock("10:00", "13:00")  # must end by 14:00 CET
    assert date(2026, 12, 3) not in by_date
    assert by_date[date(2026, 12, 4)] == _clock("10:00", "16:00")


def test_participant_zone_does_not_move_its_countrys_unavailable_window() -> None:
    # The US is away on Mon 30 Nov (a whole day in New York). A US participant sitting
    # in Los Angeles still cannot attend from Mon 06:00 CET (00:00 New York) to
    # Tue 06:00 CET, although Monday's Los Angeles hours end at Tue 02:00 CET.
    extra = "countries: [{code: US, unavailable: [2026-11-30]}]\n"
    scenario = _meeting_scenario(
        "[{country: US, timezone: America/Los_Angeles}]", "1h", extra=extra
    )
    grid = TimeGrid(scenario)
    by_date = _by_date(_starts(grid))
    assert date(2026, 11, 30) not in by_date
    # Tue 1 Dec: LA hours 18:00-02:00 CET, host hours end at 19:00: starts 18:00 only
    assert by_date[date(2026, 12, 1)] == ["18:00"]


def test_room_spans_leave_out_unavailable_hours() -> None:
    scenario = _scenario(
        body="rooms:\n  - id: M3\n    capacity: 12\n"
        '    unavailable: [{date: 2026-12-01, hours: "08:00-12:00"}, 2026-12-03]\n'
    )
    grid = TimeGrid(scenario)
    spans = grid.room_spans(scenario.rooms[0])
    day = 1440
    assert spans == [
        (-day, day + 480),
        (day + 720, 3 * day),
        (4 * day, 5 * day + 2 * day),
    ]
    assert grid.fits(spans, day + 720, day + 780)
    assert not grid.fits(spans, day + 660, day + 780)


def test_interpreter_spans() -> None:
    scenario = _scenario(
        body="interpreters:\n"
        "  - {id: anna, languages: [de, en]}\n"
        "  - {id: joao, languages: [pt, en], unavailable: [2026-12-04]}\n"
        '  - {id: rosa, languages: [es, en], hours: "09:00-13:00",\n'
        '     unavailable: [{date: 2026-12-02, hours: "10:00-11:00"}]}\n'
    )
    grid = TimeGrid(scenario)
    anna, joao, rosa = scenario.interpreters
    # default hours are the host's, 08:00-19:00, on each host working day
    assert grid.interpreter_spans(anna) == [(d * 1440 + 480, d * 1440 + 1140) for d in range(5)]
    assert grid.interpreter_spans(joao) == [(d * 1440 + 480, d * 1440 + 1140) for d in range(4)]
    wednesday = 2 * 1440
    assert grid.interpreter_spans(rosa) == [
        (0 * 1440 + 540, 0 * 1440 + 780),
        (1 * 1440 + 540, 1 * 1440 + 780),
        (wednesday + 540, wednesday + 600),
        (wednesday + 660, wednesday + 780),
        (3 * 1440 + 540, 3 * 1440 + 780),
        (4 * 1440 + 540, 4 * 1440 + 780),
    ]


def test_meeting_window_and_host_hours() -> None:
    # EUROPOL works 07:00-20:00 here: the host's 08:00-19:00 is the tighter bound.
    scenario = _scenario(
        body='countries: [{code: EUROPOL, working_hours: "07:00-20:00"}]\n'
        "cases: [{id: EJ-1, crime: fraud, countries: [NL]}]\n"
        "meetings: [{id: CM-1, case: EJ-1, duration: 11h, earliest: 2026-12-02,\n"
        "            latest: 2026-12-03, participants: [{country: EUROPOL}]}]\n"
    )
    grid = TimeGrid(scenario)
    meeting = scenario.meetings[0]
    assert grid.window_spans(meeting) == [
        (2 * 1440 + 480, 2 * 1440 + 1140),
        (3 * 1440 + 480, 3 * 1440 + 1140),
    ]
    # 11 h fills the host day exactly: one start a day, at 08:00 (slot = minute / 15).
    assert grid.allowed_starts(meeting) == [(2 * 1440 + 480) // 15, (3 * 1440 + 480) // 15]
    # with a 10 h meeting the start may move by an hour: 08:00 ... 09:00
    assert grid.starts_in(start_ranges(grid.window_spans(meeting), 600)) == [
        *range((2 * 1440 + 480) // 15, (2 * 1440 + 540) // 15 + 1),
        *range((3 * 1440 + 480) // 15, (3 * 1440 + 540) // 15 + 1),
    ]


# ---- stretch -----------------------------------------------------------------------------------


def test_stretch_steps_are_started_quarters_outside_the_hours() -> None:
    span = WorkSpan(
        start=480, end=1080, work_start=540, work_end=1020, local_date=date(2026, 12, 1)
    )
    assert span.stretch_steps(540, 1020) == 0
    assert span.stretch_steps(500, 560) == 3  # 40 min before: 3 started quarters
    assert span.stretch_steps(1000, 1080) == 4  # 60 min after: 4
    assert span.stretch_steps(530, 1030) == 2  # 10 min before and 10 after: 1 + 1


def test_participant_spans_reach_stretch_beyond_the_hours() -> None:
    scenario = _meeting_scenario("[{country: NL}]", extra="defaults: {stretch: 1h}\n")
    grid = TimeGrid(scenario)
    spans = grid.participant_work_spans(scenario.meetings[0].participants[0])
    monday = spans[0]
    assert monday.local_date == date(2026, 11, 30)
    assert (monday.start, monday.end, monday.work_start, monday.work_end) == (480, 1080, 540, 1020)
    assert grid.stretch_steps(spans, 480, 540) == 4
    assert grid.stretch_steps(spans, 600, 660) == 0
    assert grid.stretch_steps(spans, 420, 480) is None  # beyond the stretch
    # host hours 08:00-19:00 and NL 08:00-18:00 with stretch: a 1 h meeting 08:00-17:00
    assert _by_date(_starts(grid))[date(2026, 11, 30)] == _clock("08:00", "17:00")


# ---- the range helpers -----------------------------------------------------------------------


def test_subtract() -> None:
    assert subtract([(0, 100)], [(10, 20), (50, 60)]) == [(0, 10), (20, 50), (60, 100)]
    assert subtract([(0, 100)], [(0, 100)]) == []
    assert subtract([(0, 100)], [(100, 200)]) == [(0, 100)]  # half-open: touching is fine
    assert subtract([(0, 10), (20, 30)], [(5, 25)]) == [(0, 5), (25, 30)]


def test_start_ranges_and_intersections() -> None:
    # a 30-minute block fits in [0, 100) starting 0..70, in [90, 200) starting 90..170;
    # a block starting at 75 would end at 105, inside neither span
    assert start_ranges([(90, 200), (0, 100)], 30) == [(0, 70), (90, 170)]
    # overlapping spans merge: [0, 100) and [50, 200) give starts 0..70 and 50..170
    assert start_ranges([(50, 200), (0, 100)], 30) == [(0, 170)]
    assert start_ranges([(0, 20)], 30) == []
    assert start_ranges([(0, 30)], 30) == [(0, 0)]
    assert intersect_ranges([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert intersect_ranges([(0, 10)], [(11, 20)]) == []
    assert list(day_range(date(2026, 12, 30), date(2027, 1, 2)))[-1] == date(2027, 1, 2)


# ---- allowed starts against a slot-by-slot check written with zoneinfo alone ------------------

HORIZON_STARTS = [
    date(2026, 3, 23),  # EU spring change on Sun 29 Mar
    date(2026, 3, 2),  # US spring change on Sun 8 Mar
    date(2026, 10, 19),  # EU autumn change on Sun 25 Oct
    date(2026, 10, 28),  # US autumn change on Sun 1 Nov
    date(2026, 11, 30),  # week 49
    date(2026, 12, 21),  # Christmas
]
PARTIES = ["NL", "PT", "RO", "DE", "US", "CO", "CL", "GE", "BR", "UA", "EUROPOL"]


def _brute_force_starts(scenario: Scenario, grid: TimeGrid) -> list[int]:
    """Slots at which CM-1 may start, checked one by one with zoneinfo datetimes."""
    meeting = scenario.meetings[0]
    origin = datetime.combine(scenario.horizon.start, time(), AMSTERDAM)
    hours = scenario.host.hours
    slots: list[int] = []
    slot = 0
    while True:
        start = (
            origin.astimezone(UTC) + timedelta(minutes=slot * scenario.granularity)
        ).astimezone(AMSTERDAM)
        if start.date() > scenario.horizon.end:
            return slots
        end = start + timedelta(minutes=meeting.duration)
        host_day = start.date()
        ok = (
            host_day.weekday() < 5
            and host_day not in public_holidays("NL", host_day.year)
            and datetime.combine(host_day, time(), AMSTERDAM) + timedelta(minutes=hours.start)
            <= start
            and end <= datetime.combine(host_day, time(), AMSTERDAM) + timedelta(minutes=hours.end)
        )
        for participant in meeting.participants:
            party = scenario.parties[participant.country]
            zone = ZoneInfo(scenario.participant_timezone(participant))
            local_day = start.astimezone(zone).date()
            ok = ok and any(
                day.weekday() < 5
                and (not party.holidays or day not in public_holidays(party.code, day.year))
                and datetime.combine(day, time(), zone)
                + timedelta(minutes=party.working_hours.start)
                <= start
                and end
                <= datetime.combine(day, time(), zone) + timedelta(minutes=party.working_hours.end)
                for day in (local_day - timedelta(days=1), local_day)
            )
        if ok:
            slots.append(slot)
        slot += 1


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(HORIZON_STARTS),
    st.lists(st.sampled_from(PARTIES), min_size=1, max_size=3, unique=True),
    st.sampled_from([15, 60, 90, 180, 300]),
    st.sampled_from([15, 30, 60]),
    st.booleans(),
)
def test_allowed_starts_match_a_slot_by_slot_check(
    first: date, codes: list[str], duration: int, granularity: int, in_los_angeles: bool
) -> None:
    participants = ", ".join(
        f"{{country: {code}"
        + (", timezone: America/Los_Angeles" if code == "US" and in_los_angeles else "")
        + "}"
        for code in codes
    )
    last = first + timedelta(days=7)
    scenario = _meeting_scenario(
        f"[{participants}]",
        f"{duration}m",
        f"{{start: {first}, end: {last}}}",
        extra=f"granularity: {granularity}m\n",
    )
    grid = TimeGrid(scenario)
    assert grid.allowed_starts(scenario.meetings[0]) == _brute_force_starts(scenario, grid)


def test_ranges_covered_by_at_least_a_count() -> None:
    # two of three interpreters are free only where (0,10) and (5,20) overlap: 5..10
    assert covered_by_at_least([[(0, 10)], [(5, 20)], [(8, 9)]], 2) == [(5, 10)]
    assert covered_by_at_least([[(0, 10)]], 2) == []
    # touching ranges of one list still count once each
    assert covered_by_at_least([[(0, 9), (10, 20)], [(5, 15)]], 2) == [(5, 9), (10, 15)]


def test_count_slots_matches_the_slots_listed() -> None:
    grid = TimeGrid(_scenario())
    ranges = [(7, 44), (60, 60), (61, 74)]  # minutes, inclusive; 15-minute slots
    assert grid.count_slots(ranges) == len(grid.starts_in(ranges)) == 3  # 15, 30, 60
