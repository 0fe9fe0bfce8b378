"""Scalar types of the scenario format: durations, times of day, hour ranges, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.models.limits import MAX_DURATION, MINUTES_PER_DAY
from planner.models.types import (
    HourRange,
    format_duration,
    format_time_of_day,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_hour_range,
    parse_time_of_day,
)

# ---- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        (90, 90),
        (0, 0),
        ("90m", 90),
        ("3h", 180),
        ("1h30m", 90),
        ("2d", 2 * 1440),  # 1d = 24 elapsed hours
        ("1d2h5m", 1440 + 125),
        ("0m", 0),
        (" 1h 30m ", 90),  # spaces are ignored
        ("150m", 150),  # minutes need not be below 60
    ],
)
def test_parse_duration_accepts_the_scenario_spellings(text: Any, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2x", "is not a duration"),
        ("", "is not a duration"),
        ("h", "is not a duration"),
        ("1.5h", "is not a duration"),
        ("30m1h", "is not a duration"),  # units in the wrong order
        ("1:30", "is not a duration"),  # base-60 is not a duration
        (1.5, "is not a duration"),
        (None, "is not a duration"),
        (True, "is not a duration"),  # YAML booleans are not 1 minute
        (-5, "negative"),
    ],
)
def test_parse_duration_rejects_other_spellings(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(value)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0m"),
        (45, "45m"),
        (60, "1h"),
        (90, "1h30m"),
        (1440, "1d"),
        (1500, "1d1h"),
        (2881, "2d1m"),
    ],
)
def test_format_duration_is_the_shortest_spelling(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


@given(st.integers(min_value=0, max_value=MAX_DURATION))
def test_duration_format_parse_round_trip(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


@given(
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
)
def test_any_written_duration_reads_back_to_its_canonical_form(
    days: int, hours: int, minutes: int
) -> None:
    # Every d/h/m combination (zero parts left out, as a person would write it).
    text = "".join(
        f"{value}{unit}" for value, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if value
    )
    total = days * 1440 + hours * 60 + minutes
    assert parse_duration(text or "0m") == total
    assert format_duration(parse_duration(text or "0m")) == (text or "0m")


# ---- times of day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"), [("00:00", 0), ("09:30", 570), ("9:30", 570), ("23:59", 1439)]
)
def test_parse_time_of_day(text: str, minutes: int) -> None:
    assert parse_time_of_day(text) == minutes


@pytest.mark.parametrize("value", ["24:00", "23:60", "7", "7h", "09:3", 600, None, "12:00:00"])
def test_parse_time_of_day_rejects(value: Any) -> None:
    # 600 is what YAML 1.1 would make of 10:00; the loader never produces it.
    with pytest.raises(ValueError, match="is not a time of day"):
        parse_time_of_day(value)


def test_midnight_at_the_end_of_a_range_is_24_00() -> None:
    assert parse_time_of_day("24:00", allow_24=True) == 1440
    with pytest.raises(ValueError):
        parse_time_of_day("24:15", allow_24=True)


@given(st.integers(min_value=0, max_value=MINUTES_PER_DAY - 1))
def test_time_of_day_round_trip(minutes: int) -> None:
    text = format_time_of_day(minutes)
    assert len(text) == 5 and text[2] == ":"
    assert parse_time_of_day(text) == minutes


# ---- hour ranges -----------------------------------------------------------------------


def test_parse_hour_range() -> None:
    hours = parse_hour_range("09:00-17:00")
    assert hours == HourRange(540, 1020)
    assert hours.minutes == 480
    assert str(hours) == "09:00-17:00"
    assert parse_hour_range("00:00-24:00").minutes == 1440
    assert parse_hour_range(hours) is hours


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("17:00-09:00", "must end after it starts"),
        ("09:00-09:00", "must end after it starts"),
        ("09:00", "is not an hour range"),
        ("9-17", "is not a time of day"),
        ("09:00-17:00-18:00", "is not an hour range"),
        (540, "is not an hour range"),
    ],
)
def test_parse_hour_range_rejects(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_hour_range(value)


@given(
    st.integers(min_value=0, max_value=MINUTES_PER_DAY - 1).flatmap(
        lambda start: st.tuples(
            st.just(start), st.integers(min_value=start + 1, max_value=MINUTES_PER_DAY)
        )
    )
)
def test_hour_range_round_trip(bounds: tuple[int, int]) -> None:
    hours = HourRange(*bounds)
    assert parse_hour_range(str(hours)) == hours


# ---- dates and datetimes ---------------------------------------------------------------


def test_parse_date() -> None:
    assert parse_date("2026-12-01") == date(2026, 12, 1)
    assert parse_date(date(2026, 12, 1)) == date(2026, 12, 1)
    for bad in ("2026-13-01", "01.12.2026", 20261201, datetime(2026, 12, 1)):
        with pytest.raises(ValueError, match="is not a date"):
            parse_date(bad)


def test_parse_datetime_keeps_an_offset_and_leaves_naive_ones_naive() -> None:
    naive = parse_datetime("2026-12-01T15:00")
    assert naive == datetime(2026, 12, 1, 15, 0) and naive.tzinfo is None
    aware = parse_datetime("2026-12-01T15:00+01:00")
    assert aware.utcoffset() == timedelta(hours=1)
    assert aware.astimezone(UTC).hour == 14
    with pytest.raises(ValueError, match="is not a date and time"):
        parse_datetime("2026-12-01")
