"""Calendars as unavailable windows (SPEC 2.7.5): the fixtures of ``tests/data/calendars``
read into windows derived by hand, a plan that keeps clear of them and the checker's own
reading of them, and broken or hostile calendars refused at their line in bounded time.

Horizon of every scenario here: host dates Mon 2026-10-19 to Fri 2026-10-30, host zone
Europe/Amsterdam. Clocks go back on Sun 25 Oct 2026 in the EU and the UK: before it
Amsterdam is UTC+2, London and Lisbon UTC+1; after it UTC+1, UTC+0 and UTC+0.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from planner.check import check_schedule
from planner.check.calendars import busy_times
from planner.check.clock import clock, unavailable_span, zone
from planner.loading import load_scenario, parse_scenario, read_scenario_details, read_yaml
from planner.models import Scenario
from planner.models.problems import ScenarioError

FIXTURES = Path(__file__).parent / "data" / "calendars"
HORIZON = "{start: 2026-10-19, end: 2026-10-30}"


def scenario_file(folder: Path, body: str, name: str = "scenario.yaml") -> Path:
    """Write a scenario with the test horizon and a case C1 into ``folder``; copy the
    calendar fixtures beside it under ``calendars/`` (paths are relative to the file)."""
    shutil.copytree(FIXTURES, folder / "calendars", dirs_exist_ok=True)
    text = (
        f"schema: planner.scenario/1\nname: calendars\nhorizon: {HORIZON}\n"
        "cases: [{id: C1, crime: fraud, countries: [NL, DE, PT]}]\n" + dedent(body).strip() + "\n"
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def windows(entries: object) -> list[tuple[str, str | None]]:
    """Return ``unavailable`` entries as (date, hours) pairs in order."""
    return [(str(e.date), str(e.hours) if e.hours else None) for e in entries]  # type: ignore[attr-defined]


# ---- the fixtures, derived by hand ---------------------------------------------------------


def test_outlook_room_calendar(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        """
        rooms:
          - {id: P1, capacity: 10, unavailable: [2026-10-30],
             unavailable_ics: calendars/outlook-room-p1.ics}
        """,
    )
    loaded = read_scenario_details(path)
    room = loaded.scenario.rooms[0]
    # "W. Europe Standard Time" is Europe/Berlin (CLDR), whose clock is Amsterdam's.
    # Weekly Mon+Wed 10:00-12:00 since 7 Sep: Mon 19 Oct 10-12 (CEST); Wed 21 Oct is an
    # EXDATE; Mon 26 Oct is moved to Tue 27 Oct 14-16 (RECURRENCE-ID); Wed 28 Oct stays
    # at 10-12 wall time after the clock change (09:00Z, not 08:00Z). All-day Thu 22 Oct
    # is the whole date. The cancelled Fri 23 Oct and the free Thu 29 Oct are ignored;
    # the 2019 event is years away. The declared Fri 30 Oct comes first, as written.
    assert windows(room.unavailable) == [
        ("2026-10-30", None),
        ("2026-10-19", "10:00-12:00"),
        ("2026-10-22", None),
        ("2026-10-27", "14:00-16:00"),
        ("2026-10-28", "10:00-12:00"),
    ]
    # The path is kept, made absolute, so that a scenario written elsewhere still names it.
    assert room.unavailable_ics == [str(tmp_path / "calendars" / "outlook-room-p1.ics")]
    (summary,) = loaded.calendars
    assert (summary.owner, summary.file, summary.windows, summary.ignored) == (
        "room P1",
        "calendars/outlook-room-p1.ics",
        4,  # 19, 22, 27, 28 Oct
        2,  # cancelled 23 Oct, free 29 Oct
    )


def test_google_country_calendar_in_the_countrys_own_clock(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        "countries: [{code: PT, unavailable_ics: calendars/google-pt-closures.ics}]",
    )
    party = load_scenario(path).parties["PT"]
    # X-WR-TIMEZONE:Europe/Lisbon: the weekly series written at 08:00Z means 09:00
    # Lisbon every Tuesday, also after the clock change (09:00Z on 27 Oct, not 08:00Z).
    # Entries are in PT's own zone (Lisbon). The busy all-day Fri 23 Oct is a whole date;
    # the free all-day Mon 26 Oct is ignored; 29 Oct 14:00-15:30 Lisbon.
    assert windows(party.unavailable) == [
        ("2026-10-20", "09:00-10:00"),
        ("2026-10-23", None),
        ("2026-10-27", "09:00-10:00"),
        ("2026-10-29", "14:00-15:30"),
    ]


def test_exchange_roster_with_utc_floating_and_an_absence_over_midnight(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        """
        interpreters:
          - {id: anna, languages: [de, en], unavailable_ics: [calendars/roster-anna.ics]}
        """,
    )
    loaded = read_scenario_details(path)
    # In host time (Amsterdam): 12:00Z on 19 Oct is 14:00 CEST; the absence from Tue 20
    # Oct 17:00 London (BST, 16:00Z) to Wed 21 Oct 12:00 London (11:00Z) is 18:00 to 13:00
    # Amsterdam, cut at midnight; Thursday 08:00 London is 09:00 Amsterdam before the
    # change (07:00Z) and after it (08:00Z); the floating 15:00 on 30 Oct is host time.
    assert windows(loaded.scenario.interpreters[0].unavailable) == [
        ("2026-10-19", "14:00-15:00"),
        ("2026-10-20", "18:00-24:00"),
        ("2026-10-21", "00:00-13:00"),
        ("2026-10-22", "09:00-10:00"),
        ("2026-10-29", "09:00-10:00"),
        ("2026-10-30", "15:00-16:00"),
    ]
    # The absence over midnight is one window.
    assert [c.windows for c in loaded.calendars] == [5]


def test_a_scenario_written_from_a_loaded_one_reads_the_same_windows(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        "rooms: [{id: P1, capacity: 10, unavailable_ics: calendars/outlook-room-p1.ics}]",
    )
    first = load_scenario(path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = elsewhere / "written.yaml"
    data = first.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    again.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    second = load_scenario(again)
    # The windows are not added twice, and the absolute path still finds the calendar.
    assert second.rooms[0].unavailable == first.rooms[0].unavailable
    assert len(second.rooms[0].unavailable) == 4


def test_two_files_defining_one_zone_name_differently_keep_their_own(tmp_path: Path) -> None:
    def custom(offset: str) -> str:
        return (
            "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
            "VERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n"
            f"BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\n"
            f"TZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20261001T000000Z\r\n"
            'DTSTART;TZID="Customized Time Zone":20261020T100000\r\n'
            'DTEND;TZID="Customized Time Zone":20261020T110000\r\n'
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )

    (tmp_path / "plus3.ics").write_text(custom("+0300"), newline="")
    (tmp_path / "minus3.ics").write_text(custom("-0300"), newline="")
    path = scenario_file(
        tmp_path,
        """
        rooms:
          - {id: A, capacity: 10, unavailable_ics: plus3.ics}
          - {id: B, capacity: 10, unavailable_ics: minus3.ics}
        """,
    )
    scenario = load_scenario(path)
    # 10:00 at +03:00 is 07:00Z, 09:00 in Amsterdam (CEST); 10:00 at -03:00 is 13:00Z,
    # 15:00 in Amsterdam: each file's own definition, never the other's.
    assert windows(scenario.rooms[0].unavailable) == [("2026-10-20", "09:00-10:00")]
    assert windows(scenario.rooms[1].unavailable) == [("2026-10-20", "15:00-16:00")]


# ---- a plan keeps clear of busy windows, and the checker reads them itself ---------------

ONLY_ROOM_BUSY = """
rooms:
  - {id: P1, capacity: 10, unavailable: [{date: 2026-10-27, hours: "09:00-13:00"}],
     unavailable_ics: calendars/outlook-room-p1.ics}
meetings:
  - {id: M1, case: C1, duration: 3h, participants: [{country: NL}, {country: DE}],
     earliest: 2026-10-27, latest: 2026-10-28, preferred: 2026-10-27}
"""
"""M1 (3 h, NL and DE work 09:00-17:00 in Amsterdam's clock) may take Tue 27 or Wed 28
Oct in P1, the only room. Without the calendar, Tuesday 13:00-17:00 is free and holds it
on its preferred day. The calendar makes P1 busy on Tuesday 14:00-16:00 (the moved
occurrence), which leaves no 3 hours that day, and on Wednesday 10:00-12:00: M1 must
take Wednesday and start between 12:00 and 14:00."""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the planner command as a user would."""
    command = [sys.executable, "-m", "planner", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_meeting_is_never_placed_in_a_busy_window(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, ONLY_ROOM_BUSY)
    plan = tmp_path / "plan.json"
    solved = run("solve", str(path), "-o", str(plan), "--time-limit", "20")
    assert solved.returncode == 0, solved.stderr
    (meeting,) = json.loads(plan.read_text())["meetings"]
    start = datetime.fromisoformat(meeting["start"])
    assert start.date().isoformat() == "2026-10-28"
    assert "12:00" <= start.strftime("%H:%M") <= "14:00"
    checked = run("check", str(path), str(plan))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def handmade_plan_inside_the_busy_window() -> dict[str, object]:
    """A plan of ONLY_ROOM_BUSY that holds M1 on Tuesday 13:00-16:00, across P1's busy
    14:00-16:00 (host time, CET after the clock change)."""
    return {
        "schema": "planner.schedule/1",
        "scenario": {"name": "calendars", "sha256": ""},
        "status": "feasible",
        "objective": 0,
        "bound": 0,
        "terms": {},
        "meetings": [
            {
                "id": "M1",
                "case": "C1",
                "start": "2026-10-27T13:00:00+01:00",
                "end": "2026-10-27T16:00:00+01:00",
                "room": "P1",
                "interpreters": {},
                "absent": [],
            }
        ],
        "action_days": [],
        "unscheduled": [],
        "infeasible": [],
    }


@pytest.mark.slow
def test_check_refuses_a_handmade_plan_inside_a_busy_window(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, ONLY_ROOM_BUSY)
    plan = tmp_path / "handmade.json"
    plan.write_text(json.dumps(handmade_plan_inside_the_busy_window()))
    checked = run("check", str(path), str(plan), "--json")
    assert checked.returncode == 3
    found = json.loads(checked.stdout)["violations"]
    busy = [v for v in found if v["rule"] == "unavailable" and "busy" in v["detail"]]
    assert busy and busy[0]["activity"] == "M1"
    assert "outlook-room-p1.ics" in busy[0]["detail"]


def test_the_checker_reads_the_calendar_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A loader that missed the calendar's windows (the scenario holds the path but not
    # the windows): the checker still finds M1 inside P1's busy time, by its own reading.
    scenario_file(tmp_path, ONLY_ROOM_BUSY)
    monkeypatch.chdir(tmp_path)
    data, _, problems = read_yaml((tmp_path / "scenario.yaml").read_text())
    assert problems == []
    data["rooms"][0]["unavailable"] = []
    without_windows = Scenario.model_validate(data)
    assert without_windows.rooms[0].unavailable == []
    found = check_schedule(without_windows, handmade_plan_inside_the_busy_window())
    busy = [v for v in found if v.rule == "unavailable" and v.activity == "M1"]
    # 13:00-16:00 CET overlaps the moved occurrence 14:00-16:00: nothing but the
    # calendar says so here.
    assert len(busy) == 1 and "busy" in busy[0].detail


# ---- the loader's windows and the checker's reading agree --------------------------------


@pytest.mark.parametrize(
    ("block", "entry", "fixture"),
    [
        ("rooms", "{id: P1, capacity: 10}", "outlook-room-p1.ics"),
        ("interpreters", "{id: anna, languages: [de, en]}", "roster-anna.ics"),
        ("countries", "{code: PT}", "google-pt-closures.ics"),
    ],
)
def test_the_loader_and_the_checker_read_the_same_busy_time(
    tmp_path: Path, block: str, entry: str, fixture: str
) -> None:
    body = f"{block}: [{entry[:-1]}, unavailable_ics: calendars/{fixture}}}]"
    scenario = load_scenario(scenario_file(tmp_path, body))
    owner = getattr(scenario, block)[0]
    code = getattr(owner, "code", None)
    away = zone(scenario.parties[code].timezone if code else scenario.host.timezone)
    horizon = (clock(date(2026, 10, 19), 0, away), clock(date(2026, 10, 31), 0, away))

    def clipped(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
        inside = [(max(s, horizon[0]), min(e, horizon[1])) for s, e in spans]
        return [span for span in inside if span[0] < span[1]]

    # The loader's entries, read as the checker reads every unavailable entry ...
    loaded = clipped(merged([unavailable_span(u, away) for u in owner.unavailable]))
    # ... and the checker's own reading of the file: the same instants (the fixtures'
    # times are whole minutes, so the loader's rounding changes nothing).
    checked = clipped([(b.start, b.end) for b in busy_times(scenario, owner.unavailable_ics, away)])
    assert loaded == checked
    assert len(checked) >= 4


def merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Join overlapping and touching spans."""
    joined: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


# ---- broken and hostile calendars ----------------------------------------------------------

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
EVENT = "BEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20261001T000000Z\r\n"


def refused(tmp_path: Path, calendar: bytes, **limits: int) -> ScenarioError:
    """Load a scenario whose room names ``bad.ics`` and return the error it raises."""
    (tmp_path / "bad.ics").write_bytes(calendar)
    path = scenario_file(tmp_path, "rooms: [{id: P1, capacity: 10, unavailable_ics: bad.ics}]")
    with pytest.raises(ScenarioError) as raised:
        read_scenario_details(path, **limits)
    return raised.value


HOSTILE = {
    # lines 1-3 the calendar's head, 4-6 the event's BEGIN, UID and DTSTAMP (HEAD, EVENT);
    # the VEVENT opened at line 4 is closed by END:VCALENDAR at line 8
    "unterminated event": (
        HEAD + EVENT + "DTSTART:20261020T100000Z\r\nEND:VCALENDAR\r\n",
        8,
        "END:VCALENDAR where END:VEVENT was expected",
    ),
    # a file cut short: the event begun at line 4 never ends
    "cut short": (HEAD + EVENT + "DTSTART:20261020T100000Z\r\n", 4, "BEGIN:VEVENT is never ended"),
    # every minute for 100 years from the horizon's first day: 14 days of margins and
    # horizon hold 20,160 minutes, more than the 10,000 occurrences a calendar may give
    "every minute for 100 years": (
        HEAD
        + EVENT
        + "DTSTART:20261019T000000Z\r\nDTEND:20261019T000100Z\r\n"
        + "RRULE:FREQ=MINUTELY;UNTIL=21261019T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        9,
        "more than 10,000",
    ),
    # every minute since 1926: some 52 million steps before the horizon is reached
    "every minute since 1926": (
        HEAD
        + EVENT
        + "DTSTART:19261019T000000Z\r\nDTEND:19261019T000100Z\r\n"
        + "RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        9,
        "steps from 1926-10-19",
    ),
    "NUL byte": (HEAD + EVENT + "SUMMARY:a\x00b\r\n", 7, "U+0000"),
    "zone nobody knows": (
        HEAD + EVENT + "DTSTART;TZID=Atlantis/Capital:20261020T100000\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        7,
        "unknown time zone 'Atlantis/Capital'",
    ),
    "start that is no date": (
        HEAD + EVENT + "DTSTART:2026garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        7,
        "DTSTART",
    ),
    "end before start": (
        HEAD + EVENT + "DTSTART:20261020T100000Z\r\nDTEND:20261020T090000Z\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        8,
        "before it starts",
    ),
    "not a calendar": ("<html><body>login required</body></html>\r\n", 1, "BEGIN:VCALENDAR"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", list(HOSTILE))
def test_broken_and_hostile_calendars_are_refused_at_their_line(tmp_path: Path, case: str) -> None:
    calendar, line, words = HOSTILE[case]
    error = refused(tmp_path, calendar.encode("utf-8"))
    (problem,) = error.problems
    assert problem.path == "rooms[0].unavailable_ics[0]"
    assert problem.message.startswith(f"bad.ics, line {line}: "), problem.message
    assert words in problem.message
    assert error.source.endswith("scenario.yaml")


@pytest.mark.timeout(60)
def test_a_calendar_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = (HEAD + EVENT * 1 + "SUMMARY:" + "x" * 70 + "\r\n").encode() * 40_000  # ~4 MB
    error = refused(tmp_path, huge, max_bytes=1024 * 1024)
    (problem,) = error.problems
    assert "larger than the limit of 1 MB" in problem.message


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_recurrence_that_never_occurs_again_is_cut(tmp_path: Path) -> None:
    # 30 February never comes: the recurrence library would walk day by day to the year
    # 9999 looking for it; the reading is stopped after its processor time.
    calendar = (
        HEAD
        + EVENT
        + "DTSTART:20261020T100000Z\r\nDTEND:20261020T110000Z\r\n"
        + "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    error = refused(tmp_path, calendar.encode())
    (problem,) = error.problems
    assert problem.message.startswith("bad.ics, line 9: ")
    assert "takes too long" in problem.message


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_validate_exits_2_naming_the_calendar_and_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.ics").write_bytes((HEAD + EVENT + "DTSTART:20261020T100000Z\r\n").encode())
    path = scenario_file(tmp_path, "rooms: [{id: P1, capacity: 10, unavailable_ics: bad.ics}]")
    checked = run("validate", str(path), "--json")
    assert checked.returncode == 2
    (problem,) = json.loads(checked.stdout)["problems"]
    assert problem["path"] == "rooms[0].unavailable_ics[0]"
    assert problem["line"] == 5  # schema, name, horizon, cases, then the rooms entry
    assert problem["message"] == "bad.ics, line 4: BEGIN:VEVENT is never ended (END:VEVENT missing)"


def test_a_missing_calendar_is_named(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "rooms: [{id: P1, capacity: 10, unavailable_ics: gone.ics}]")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    (problem,) = raised.value.problems
    assert problem.message.startswith("gone.ics: cannot read the calendar")


def test_a_scenario_read_from_text_reads_calendars_from_the_given_folder(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "calendars")
    text = (
        f"schema: planner.scenario/1\nhorizon: {HORIZON}\n"
        "rooms: [{id: P1, capacity: 10, unavailable_ics: calendars/outlook-room-p1.ics}]\n"
    )
    scenario = parse_scenario(text, base=tmp_path)
    assert len(scenario.rooms[0].unavailable) == 4


def test_a_change_file_reads_its_calendars_from_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A what-if change closes room P1 by its Outlook calendar, named relative to the
    # change file (in changes/), as a scenario's calendars are relative to the scenario.
    # Run from elsewhere, the change still finds it: P1 gets the four windows of
    # test_outlook_room_calendar.
    from planner.change import apply_change, load_change

    path = scenario_file(tmp_path, "rooms: [{id: P1, capacity: 10}]")
    folder = tmp_path / "changes"
    folder.mkdir()
    shutil.copy(FIXTURES / "outlook-room-p1.ics", folder / "p1.ics")
    change = folder / "close-p1.yaml"
    change.write_text("update: {rooms: {P1: {unavailable_ics: p1.ics}}}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    changed = apply_change(load_scenario(path), load_change(change))
    assert windows(changed.rooms[0].unavailable) == [
        ("2026-10-19", "10:00-12:00"),
        ("2026-10-22", None),
        ("2026-10-27", "14:00-16:00"),
        ("2026-10-28", "10:00-12:00"),
    ]
