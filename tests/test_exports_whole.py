"""CSV and calendar exports read back whole, as a spreadsheet or a calendar client reads
them: every cell of every row, every property of every event, for a placed meeting with
interpreters, far and absent participants, a meeting left out, a centre in a room, a
virtual centre and an action day left out; then the need-to-know calendars and the
cancellations after a re-plan.

Monday 30 Nov 2026: CO (Bogota, UTC-5) works 09:00-17:00 local, 15:00-23:00 in The
Hague; NL and DE (UTC+1) 09:00-17:00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest
from solving import make_scenario

from planner.models import Scenario
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.schedule import Result
from planner.output.exports import csv_text, ics_text
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
REVISION = int(NOW.timestamp()) // 60
"""The SEQUENCE of what changed, written at NOW: a minute counter."""

# M1 (2 h, Monday only) can only be 15:00-17:00 host time: CO's 09:00 is the host's
# 15:00, NL's day ends at 17:00. It needs two de and two es interpreters (2 h > 60 min)
# and has them; BE (optional) is away on Monday, so absent. M9 needs mt: nobody knows it.
# AD1 (NL, DE) and AD2 (ES) on Tuesday, one centre room: AD1 may not run virtually, so
# it takes CC1 and AD2 runs virtually. PT is away on both dates of AD3.
BODY = """
rooms:
  - {id: P1, capacity: 20, features: [videoconference, interpretation_booths]}
  - {id: CC1, capacity: 2, features: [coordination_centre]}
interpreters:
  - {id: anna, languages: [de, en]}
  - {id: karl, languages: [de, en]}
  - {id: lucia, languages: [es, en]}
  - {id: marta, languages: [es, en]}
cases: [{id: C1, crime: fraud, countries: [NL, DE, CO, BE, ES, PT, MT]}]
countries:
  - {code: BE, unavailable: [2026-11-30]}
  - {code: PT, unavailable: [2026-12-02, 2026-12-03]}
meetings:
  - {id: M1, case: C1, duration: 2h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL, delegates: 2}, {country: DE, language: de},
                    {country: CO, attendance: video, language: es},
                    {country: BE, required: false}]}
  - {id: M9, case: C1, duration: 1h, participants: [{country: NL}, {country: MT, language: mt}]}
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], earliest: 2026-12-01, latest: 2026-12-01,
     virtual: never}
  - {id: AD2, case: C1, countries: [ES], earliest: 2026-12-01, latest: 2026-12-01}
  - {id: AD3, case: C1, countries: [PT], earliest: 2026-12-02, latest: 2026-12-03,
     priority: normal}
"""


@pytest.fixture(scope="module")
def week() -> tuple[Scenario, Result]:
    scenario = make_scenario(BODY)
    return scenario, solve(scenario, time_limit=20, workers=1, seed=0)


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def events(text: str) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def test_the_csv_row_by_row(week: tuple[Scenario, Result]) -> None:
    scenario, result = week
    assert rows(csv_text(scenario, result)) == [
        {
            "id": "M1",
            "kind": "meeting",
            "case": "C1",
            "status": "placed",
            "date": "2026-11-30",
            "start": "2026-11-30T15:00:00+01:00",
            "end": "2026-11-30T17:00:00+01:00",
            "room": "P1",
            "interpreters": "de: anna, karl; es: lucia, marta",
            # the working language (en) is not written; an absent participant says so
            "participants": "NL x2 in person; DE x1 in person de; CO x1 video es; "
            "BE x1 in person (optional) (absent)",
            # every participant but the host, in its own time and offset
            "local times": "DE 2026-11-30 15:00-17:00 (+0100); CO 2026-11-30 09:00-11:00 "
            "(-0500); BE 2026-11-30 15:00-17:00 (+0100)",
            "rule": "",
            "reason": "",
        },
        {
            "id": "M9",
            "kind": "meeting",
            "case": "C1",
            "status": "unscheduled",
            "date": "",
            "start": "",
            "end": "",
            "room": "",
            "interpreters": "",
            "participants": "NL x1 in person; MT x1 in person mt",
            "local times": "",
            "rule": "interpreter",
            "reason": "no interpreter knows both mt and en",
        },
        {
            "id": "AD1",
            "kind": "action day",
            "case": "C1",
            "status": "placed",
            "date": "2026-12-01",
            # operations at 06:00 local, the centre an hour before (set-up)
            "start": "2026-12-01T05:00:00+01:00",
            "end": "2026-12-01T16:00:00+01:00",
            "room": "CC1",
            "interpreters": "",
            "participants": "NL, DE",
            "local times": "NL 2026-12-01 06:00-16:00 (+0100); DE 2026-12-01 06:00-16:00 (+0100)",
            "rule": "",
            "reason": "",
        },
        {
            "id": "AD2",
            "kind": "action day",
            "case": "C1",
            "status": "placed",
            "date": "2026-12-01",
            "start": "2026-12-01T05:00:00+01:00",
            "end": "2026-12-01T16:00:00+01:00",
            "room": "virtual",
            "interpreters": "",
            "participants": "ES",
            "local times": "ES 2026-12-01 06:00-16:00 (+0100)",
            "rule": "",
            "reason": "",
        },
        {
            "id": "AD3",
            "kind": "action day",
            "case": "C1",
            "status": "unscheduled",
            "date": "",
            "start": "",
            "end": "",
            "room": "",
            "interpreters": "",
            "participants": "PT",
            "local times": "",
            "rule": "unavailable",
            "reason": "2026-12-02: PT unavailable; 2026-12-03: PT unavailable",
        },
    ]


def test_every_event_of_the_calendar(week: tuple[Scenario, Result]) -> None:
    scenario, result = week
    text = ics_text(scenario, result, now=NOW)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == "test" and str(calendar["METHOD"]) == "PUBLISH"
    found = events(text)
    assert sorted(found) == ["AD1@test.planner", "AD2@test.planner", "M1@test.planner"]
    meeting = found["M1@test.planner"]
    assert str(meeting["SUMMARY"]) == "M1 (C1): coordination meeting"
    assert meeting.decoded("DTSTART") == datetime.fromisoformat("2026-11-30T15:00:00+01:00")
    assert meeting.decoded("DTEND") == datetime.fromisoformat("2026-11-30T17:00:00+01:00")
    assert meeting.decoded("DTSTAMP") == NOW and meeting["SEQUENCE"] == 0
    assert str(meeting["LOCATION"]) == "P1"
    assert str(meeting["DESCRIPTION"]).split("\n") == [
        "Participants: NL (in person), DE (in person), CO (video), BE (in person) absent",
        "Interpreters: de: anna, karl; es: lucia, marta",
        "DE: 15:00-17:00 local (CET)",
        "CO: 09:00-11:00 local (-05)",
        "BE: 15:00-17:00 local (CET)",
    ]
    centre = found["AD1@test.planner"]
    assert str(centre["SUMMARY"]) == "AD1 (C1): coordination centre, action day"
    assert centre.decoded("DTSTART") == datetime.fromisoformat("2026-12-01T05:00:00+01:00")
    assert centre.decoded("DTEND") == datetime.fromisoformat("2026-12-01T16:00:00+01:00")
    assert str(centre["LOCATION"]) == "CC1"
    assert str(centre["DESCRIPTION"]).split("\n") == [
        "NL: operation 06:00-16:00 local (CET)",
        "DE: operation 06:00-16:00 local (CET)",
    ]
    assert str(found["AD2@test.planner"]["LOCATION"]) == "virtual centre"
    assert "STATUS" not in meeting and "STATUS" not in centre


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("NL", {"M1", "AD1"}),
        ("DE", {"M1", "AD1"}),
        ("CO", {"M1"}),
        ("BE", set()),  # invited to M1 but absent
        ("ES", {"AD2"}),
        ("PT", set()),  # AD3 is left out
        ("P1", {"M1"}),
        ("CC1", {"AD1"}),
        ("marta", {"M1"}),
    ],
)
def test_each_calendar_holds_what_its_owner_takes_part_in(
    week: tuple[Scenario, Result], who: str, expected: set[str]
) -> None:
    scenario, result = week
    text = ics_text(scenario, result, only=who, now=NOW)
    assert str(icalendar.Calendar.from_ical(text)["X-WR-CALNAME"]) == f"test - {who}"
    assert {uid.split("@")[0] for uid in events(text)} == expected


def published(scenario: Scenario, result: Result) -> Baseline:
    document = json.loads(dumps(schedule_document(result, scenario.name, "0" * 64)))
    baseline, problems = baseline_from_data(document, "")
    assert baseline is not None, problems
    return baseline


@pytest.fixture(scope="module")
def replanned(week: tuple[Scenario, Result]) -> tuple[Scenario, Result, Baseline]:
    # After publishing: NL is away on Tuesday, so AD1 is dropped; M1 is cancelled (gone
    # from the scenario); AD2 moves from its virtual centre into CC1, which AD1 leaves
    # free (a room move, 5, against a virtual centre, 20).
    scenario, result = week
    baseline = published(scenario, result)
    body = BODY.replace(
        "  - {code: BE,", "  - {code: NL, unavailable: [2026-12-01]}\n  - {code: BE,"
    )
    start = body.index("  - {id: M1,")
    body = body[:start] + body[body.index("  - {id: M9,") :]
    changed = make_scenario(body)
    return changed, solve(changed, baseline=baseline, time_limit=20, workers=1, seed=0), baseline


def test_what_a_re_plan_drops_or_cancels_is_a_cancelled_event_at_its_old_time(
    replanned: tuple[Scenario, Result, Baseline],
) -> None:
    scenario, result, baseline = replanned
    assert result.changes is not None
    assert [d.id for d in result.changes.dropped] == ["AD1"]
    assert result.changes.cancelled == ["M1"]
    found = events(ics_text(scenario, result, baseline=baseline, now=NOW))
    assert sorted(found) == ["AD1@test.planner", "AD2@test.planner", "M1@test.planner"]
    for activity, start, end in (
        ("AD1", "2026-12-01T05:00:00+01:00", "2026-12-01T16:00:00+01:00"),
        ("M1", "2026-11-30T15:00:00+01:00", "2026-11-30T17:00:00+01:00"),
    ):
        event = found[f"{activity}@test.planner"]
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]) == f"{activity}: cancelled"
        assert event.decoded("DTSTART") == datetime.fromisoformat(start)
        assert event.decoded("DTEND") == datetime.fromisoformat(end)
        assert event["SEQUENCE"] == REVISION  # replaces the event the clients have
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"  # in the host zone
    # without the published plan nothing is known to be cancelled: no such event
    alone = events(ics_text(scenario, result, now=NOW))
    assert sorted(alone) == ["AD2@test.planner"] and "STATUS" not in alone["AD2@test.planner"]
    moved = found["AD2@test.planner"]
    assert [m.id for m in result.changes.moved] == ["AD2"]
    assert "STATUS" not in moved and str(moved["LOCATION"]) == "CC1"
    assert moved["SEQUENCE"] == REVISION


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("CC1", {"AD1": "CANCELLED", "AD2": "None"}),  # its room, and AD2 now in it
        ("DE", {"AD1": "CANCELLED"}),  # a country of the action day
        ("P1", {"M1": "CANCELLED"}),  # the room of a meeting gone from the scenario
        ("anna", {"M1": "CANCELLED"}),  # one of its interpreters
        ("ES", {"AD2": "None"}),  # moved, nothing cancelled
        ("karl", {"M1": "CANCELLED"}),
        ("lucia", {"M1": "CANCELLED"}),
        ("MT", {}),
    ],
)
def test_a_cancellation_reaches_only_the_calendars_that_had_the_event(
    replanned: tuple[Scenario, Result, Baseline], who: str, expected: dict[str, str]
) -> None:
    scenario, result, baseline = replanned
    found = events(ics_text(scenario, result, only=who, baseline=baseline, now=NOW))
    status: dict[str, Any] = {uid.split("@")[0]: str(e.get("STATUS")) for uid, e in found.items()}
    assert status == expected


@pytest.mark.parametrize(
    ("name", "uid"),
    [
        ("Xmas week (draft)", "M1@xmas-week-draft.planner"),  # words joined by "-", lower case
        ("-- Week 49 --", "M1@week-49.planner"),  # no "-" at either end
        ("***", "M1@plan.planner"),  # a name of no letters or digits
    ],
)
def test_an_events_uid_names_the_plan_in_letters_and_digits(name: str, uid: str) -> None:
    scenario = make_scenario(
        "rooms: [{id: P1, capacity: 20}]\n"
        "meetings: [{id: M1, case: C1, duration: 1h, participants: [{country: NL}]}]\n"
    ).model_copy(update={"name": name})
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert sorted(events(ics_text(scenario, result, now=NOW))) == [uid]


def test_the_csv_of_an_infeasible_scenario_lists_every_activity_unplaced() -> None:
    # Two critical meetings that both need the one room all Monday: infeasible, nothing
    # placed, each row unscheduled with the rule and the reason that holds them both.
    scenario = make_scenario(
        "rooms: [{id: P1, capacity: 20}]\n"
        "meetings:\n"
        "  - {id: A, case: C1, duration: 8h, priority: critical, earliest: 2026-11-30,\n"
        "     latest: 2026-11-30, participants: [{country: NL}]}\n"
        "  - {id: B, case: C1, duration: 8h, priority: critical, earliest: 2026-11-30,\n"
        "     latest: 2026-11-30, participants: [{country: DE}]}\n"
    )
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert result.status == "infeasible"
    found = rows(csv_text(scenario, result))
    assert [(row["id"], row["status"], row["date"], row["rule"]) for row in found] == [
        ("A", "unscheduled", "", "critical"),
        ("B", "unscheduled", "", "critical"),
    ]
    assert all(row["reason"].startswith("A, B must all be held") for row in found)
