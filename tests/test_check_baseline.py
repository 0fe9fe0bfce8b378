"""``planner check --baseline``: a plan's account of what it changed, verified against the
published plan it was made from. Each test takes a right re-plan, alters it as a faulty
tool (or hand) might, and compares the violations found with what the alteration
breaks, derived in a comment.

The published plan: M1 Monday 09:00-10:00 in P1 (anna interprets de; BE may attend by
video, and does), M2 Tuesday 09:00 in P1, AD1 Wednesday in CC1. The re-plan at Monday
12:00 freezes M1 and changes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from solving import make_scenario, scenario_text

from planner.check import Violation, accepted_conflicts, check_against_baseline
from planner.cli import main
from planner.models import Scenario
from planner.models.baseline import baseline_from_data
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import replan, solve

BODY = """
rooms:
  - {id: P1, capacity: 20, features: [videoconference]}
  - {id: P2, capacity: 20, features: [videoconference]}
  - {id: CC1, capacity: 2, features: [coordination_centre]}
  - {id: CC2, capacity: 2, features: [coordination_centre]}
interpreters: [{id: anna, languages: [de, en]}, {id: karl, languages: [de, en]}]
meetings:
  - {id: M1, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE, language: de, attendance: video},
                    {country: BE, attendance: video, required: false}]}
  - {id: M2, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-02,
     participants: [{country: NL}, {country: DE}]}
action_days:
  - {id: AD1, case: C1, countries: [DE], earliest: 2026-12-02, latest: 2026-12-03}
"""
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))

Plans = tuple[Scenario, dict[str, Any], bytes, dict[str, Any]]


@pytest.fixture(scope="module")
def plans() -> Plans:
    """The scenario, the published plan (document and bytes) and the re-plan."""
    scenario = make_scenario(BODY)
    published = dumps(schedule_document(solve(scenario, workers=1), scenario.name, "0" * 64))
    text = published.encode()
    baseline, _ = baseline_from_data(json.loads(text), hashlib.sha256(text).hexdigest())
    assert baseline is not None
    result = replan(scenario, baseline, now=NOW, time_limit=20, workers=1, seed=0)
    document = json.loads(dumps(schedule_document(result, scenario.name, "0" * 64)))
    held = {e["id"]: e for e in json.loads(text)["meetings"]}
    assert (held["M1"]["start"], held["M1"]["room"]) == ("2026-11-30T09:00:00+01:00", "P1")
    assert held["M1"]["interpreters"] == {"de": ["anna"]} and held["M1"]["absent"] == []
    assert (held["M2"]["start"], held["M2"]["room"]) == ("2026-12-01T09:00:00+01:00", "P1")
    assert document["changes"]["frozen"] == ["M1"] and document["changes"]["moved"] == []
    return scenario, json.loads(text), text, document


def entry(document: dict[str, Any], activity: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e for e in [*document["meetings"], *document["action_days"]] if e["id"] == activity
    )
    return found


def later(placed: dict[str, Any], delta: timedelta) -> None:
    for key in ("start", "end"):
        placed[key] = (datetime.fromisoformat(placed[key]) + delta).isoformat()


def found(plans: Plans, alter: Callable[[dict[str, Any]], None]) -> list[tuple[str, str, str]]:
    scenario, published, text, document = plans
    altered = copy.deepcopy(document)
    alter(altered)
    violations = check_against_baseline(scenario, altered, published, text)
    return [(v.rule, v.activity, v.detail) for v in violations]


def moved_m2_to_wednesday(document: dict[str, Any]) -> None:
    later(entry(document, "M2"), timedelta(days=1))


def test_the_re_plan_as_made_is_accounted_for(plans: Plans) -> None:
    assert found(plans, lambda d: None) == []


@pytest.mark.parametrize(
    ("alter", "expected"),
    [
        # no account at all
        (
            lambda d: d.pop("changes"),
            [("schedule", "", "a plan compared with a baseline needs changes {}")],
        ),
        # made from another published plan
        (
            lambda d: d["changes"]["baseline"].update(sha256="0" * 64),
            [("schedule", "", "changes.baseline.sha256 is not the baseline's")],
        ),
        # an entry that names nothing (before one that does: M1 is still listed frozen)
        (
            lambda d: d["changes"]["frozen"].insert(0, 5),
            [("schedule", "", "changes.frozen holds 5")],
        ),
        # the time of now, unreadable
        (
            lambda d: d["changes"].update(now="yesterday"),
            [("schedule", "", "changes.now is not an ISO 8601 time with an offset")],
        ),
    ],
    ids=["no changes", "another baseline", "not an id", "now unreadable"],
)
def test_an_account_that_cannot_be_read(
    plans: Plans, alter: Callable[[dict[str, Any]], None], expected: list[tuple[str, str, str]]
) -> None:
    assert found(plans, alter) == expected


def test_a_move_left_out_of_the_account(plans: Plans) -> None:
    # M2 a day later, nothing said: it moved (date, 50) while listed as unchanged, and
    # the moves term (0) is not the 50 it costs.
    assert found(plans, moved_m2_to_wednesday) == [
        ("schedule", "M2", "listed as unchanged in changes, but it is moved"),
        ("objective", "", "term moves is 0, recomputed 50"),
    ]


def test_a_move_told_with_the_wrong_fields(plans: Plans) -> None:
    def alter(document: dict[str, Any]) -> None:
        moved_m2_to_wednesday(document)
        document["terms"]["moves"] = 50
        document["changes"]["moved"] = [{"id": "M2", "fields": ["time"], "from": {}, "to": {}}]

    assert found(plans, alter) == [("schedule", "M2", "moved fields ['time'], but date changed")]


def test_an_action_day_moved_in_date_and_room(plans: Plans) -> None:
    # AD1 on Thursday in CC2: date and room (50 + 5); told with both fields it is right,
    # with the date alone it is not.
    def alter(fields: list[str]) -> Callable[[dict[str, Any]], None]:
        def move(document: dict[str, Any]) -> None:
            centre = entry(document, "AD1")
            centre.update(date="2026-12-03", room="CC2")
            later(
                centre | {"start": centre["centre_open"], "end": centre["centre_close"]},
                timedelta(0),
            )
            document["terms"]["moves"] = 55
            document["changes"]["moved"] = [{"id": "AD1", "fields": fields, "from": {}, "to": {}}]

        return move

    assert found(plans, alter(["date", "room"])) == []
    assert found(plans, alter(["date"])) == [
        ("schedule", "AD1", "moved fields ['date'], but date, room changed")
    ]


def test_an_activity_listed_twice(plans: Plans) -> None:
    # M2 is unchanged but listed as new and as cancelled.
    def alter(document: dict[str, Any]) -> None:
        document["changes"]["new"] = ["M2"]
        document["changes"]["cancelled"] = ["M2"]

    assert found(plans, alter) == [
        ("schedule", "M2", "listed more than once in changes: new, cancelled"),
        ("schedule", "M2", "listed as new in changes, but it is unchanged (not listed)"),
    ]


def test_a_drop_is_listed_and_costs_no_move(plans: Plans) -> None:
    # M2 and AD1 left out: dropped. A drop costs its unscheduled weight only (SPEC 2.3
    # v1.2), so moves stays 0; listed as such the account holds. Unlisted, each is named;
    # a moves term that charges the drops their fields, M2 date, time and room (65) and
    # AD1 date and room (55), is recomputed as 0.
    def alter(listed: bool, moves: int = 0) -> Callable[[dict[str, Any]], None]:
        def drop(document: dict[str, Any]) -> None:
            document["meetings"] = [m for m in document["meetings"] if m["id"] != "M2"]
            document["action_days"] = []
            document["terms"]["moves"] = moves
            if listed:
                document["changes"]["dropped"] = [
                    {"id": "AD1", "rule": "window", "reasons": ["-"]},
                    {"id": "M2", "rule": "window", "reasons": ["-"]},
                ]

        return drop

    assert found(plans, alter(True)) == []
    assert found(plans, alter(False)) == [
        ("schedule", "AD1", "listed as unchanged in changes, but it is dropped"),
        ("schedule", "M2", "listed as unchanged in changes, but it is dropped"),
    ]
    assert found(plans, alter(True, moves=65 + 55)) == [
        ("objective", "", "term moves is 120, recomputed 0")
    ]


@pytest.mark.parametrize(
    ("alter", "detail"),
    [
        # karl instead of anna: not kept exactly, though its date, time and room are
        (lambda m: m.update(interpreters={"de": ["karl"]}), "unchanged (not listed)"),
        # BE now absent
        (lambda m: m.update(absent=["BE"]), "unchanged (not listed)"),
        # an hour later, to 10:00, still before now
        (lambda m: later(m, timedelta(hours=1)), "moved"),
    ],
    ids=["interpreters", "absent", "time"],
)
def test_a_frozen_meeting_kept_otherwise_than_published(
    plans: Plans, alter: Callable[[dict[str, Any]], None], detail: str
) -> None:
    # M1 started before now (12:00) and is listed frozen: anything that differs from the
    # published M1 is both a false claim and a change of what had started.
    def change(document: dict[str, Any]) -> None:
        alter(entry(document, "M1"))
        if detail == "moved":
            document["terms"]["moves"] = 10

    assert found(plans, change) == [
        ("schedule", "M1", f"listed as frozen in changes, but it is {detail}"),
        (
            "schedule",
            "M1",
            "starts before now (2026-11-30 12:00) but is not kept frozen as in the baseline",
        ),
    ]


def test_what_started_before_now_must_be_listed_frozen(plans: Plans) -> None:
    # M1 kept exactly, but not listed as frozen: it started before now.
    assert found(plans, lambda d: d["changes"].update(frozen=[])) == [
        (
            "schedule",
            "M1",
            "starts before now (2026-11-30 12:00) but is not kept frozen as in the baseline",
        )
    ]


def test_what_starts_at_now_or_later_may_change(plans: Plans) -> None:
    # With now at Tuesday 09:00, M2 (Tuesday 09:00) has not started: moved a day later
    # and told so, the account holds; with now a minute later it had started.
    def alter(now: str) -> Callable[[dict[str, Any]], None]:
        def move(document: dict[str, Any]) -> None:
            moved_m2_to_wednesday(document)
            document["terms"]["moves"] = 50
            document["changes"]["now"] = now
            document["changes"]["moved"] = [{"id": "M2", "fields": ["date"], "from": {}, "to": {}}]

        return move

    assert found(plans, alter("2026-12-01T09:00:00+01:00")) == []
    assert found(plans, alter("2026-12-01T09:01:00+01:00")) == [
        (
            "schedule",
            "M2",
            "starts before now (2026-12-01 09:01) but is not kept frozen as in the baseline",
        )
    ]


def test_activities_gone_from_the_scenario_or_new_in_it(plans: Plans) -> None:
    # M2 cancelled (gone from the scenario, so from the plan) and M3 added and held.
    _, published, text, document = plans
    body = BODY.replace("  - {id: M2,", "  - {id: M3,")
    changed = make_scenario(body)
    altered = copy.deepcopy(document)
    entry(altered, "M2")["id"] = "M3"
    assert [
        (v.activity, v.detail) for v in check_against_baseline(changed, altered, published, text)
    ] == [
        ("M2", "listed as unchanged in changes, but it is cancelled"),
        ("M3", "listed as unchanged in changes, but it is new"),
    ]
    altered["changes"].update(cancelled=["M2"], new=["M3"])
    assert check_against_baseline(changed, altered, published, text) == []


def test_an_activity_the_published_plan_left_out(plans: Plans) -> None:
    # M9 needs a fr-en interpreter and there is none: the published plan leaves it out,
    # and so does the re-plan, which lists it nowhere (unchanged). Once M9 is gone from
    # the scenario it is cancelled (it was in the published plan, left out): a re-plan
    # that does not say so is wrong.
    body = BODY.replace(
        "action_days:\n",
        "  - {id: M9, case: C1, duration: 1h,\n"
        "     participants: [{country: NL}, {country: DE, language: fr}]}\n"
        "action_days:\n",
    )
    scenario = make_scenario(body)
    text = dumps(schedule_document(solve(scenario, workers=1), scenario.name, "0" * 64)).encode()
    published = json.loads(text)
    assert [u["id"] for u in published["unscheduled"]] == ["M9"]
    baseline, _ = baseline_from_data(published, hashlib.sha256(text).hexdigest())
    assert baseline is not None
    result = replan(scenario, baseline, now=NOW, time_limit=20, workers=1, seed=0)
    document = json.loads(dumps(schedule_document(result, scenario.name, "0" * 64)))
    assert [u["id"] for u in document["unscheduled"]] == ["M9"]
    assert check_against_baseline(scenario, document, published, text) == []
    without_m9 = plans[0]
    document["unscheduled"] = []
    assert [
        (v.activity, v.detail)
        for v in check_against_baseline(without_m9, document, published, text)
    ] == [("M9", "listed as unchanged in changes, but it is cancelled")]
    document["changes"]["cancelled"] = ["M9"]
    assert check_against_baseline(without_m9, document, published, text) == []


def centre_a_day_later(document: dict[str, Any]) -> None:
    """AD1 on the next day: its date and its centre's hours."""
    centre = entry(document, "AD1")
    centre["date"] = (date.fromisoformat(centre["date"]) + timedelta(days=1)).isoformat()
    for key in ("centre_open", "centre_close"):
        centre[key] = (datetime.fromisoformat(centre[key]) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("move", "moves"), [("date", 50), ("room", 5)])
def test_an_action_day_listed_frozen_that_moved(plans: Plans, move: str, moves: int) -> None:
    # AD1 (Wednesday, CC1) has not started at now (Monday 12:00). Moved a day later (50)
    # or to CC2 (5), its move costed right, but listed as frozen: the account is false.
    def alter(document: dict[str, Any]) -> None:
        if move == "date":
            centre_a_day_later(document)
        else:
            entry(document, "AD1")["room"] = "CC2"
        document["terms"]["moves"] = moves
        document["changes"]["frozen"] = ["AD1", "M1"]

    assert found(plans, alter) == [
        ("schedule", "AD1", "listed as frozen in changes, but it is moved")
    ]


def test_an_action_day_that_had_started_is_kept(plans: Plans) -> None:
    # At Wednesday 12:00 AD1's centre (Wednesday from 05:00) has opened, and M1 and M2
    # have started: all three are frozen. AD1 moved to Thursday, told honestly as a date
    # move (50), is still a change of what had started.
    def alter(document: dict[str, Any]) -> None:
        centre_a_day_later(document)
        document["terms"]["moves"] = 50
        document["changes"].update(
            now="2026-12-02T12:00:00+01:00",
            frozen=["M1", "M2"],
            moved=[{"id": "AD1", "fields": ["date"], "from": {}, "to": {}}],
        )

    assert found(plans, alter) == [
        (
            "schedule",
            "AD1",
            "starts before now (2026-12-02 12:00) but is not kept frozen as in the baseline",
        )
    ]


def test_a_meeting_that_had_started_is_not_dropped(plans: Plans) -> None:
    # M1 started before now (Monday 12:00): left out of the re-plan and listed as
    # dropped, the account of the drop is right, but what had started is kept.
    def alter(document: dict[str, Any]) -> None:
        document["meetings"] = [m for m in document["meetings"] if m["id"] != "M1"]
        document["changes"].update(
            frozen=[], dropped=[{"id": "M1", "rule": "unavailable", "reasons": ["-"]}]
        )

    assert found(plans, alter) == [
        (
            "schedule",
            "M1",
            "starts before now (2026-11-30 12:00) but is not kept frozen as in the baseline",
        )
    ]


def test_a_frozen_meetings_teams_are_compared_as_teams(plans: Plans) -> None:
    # M1 as published, its interpreters written with an empty team for another language:
    # the same teams (an empty team is no team), so still kept exactly.
    assert found(plans, lambda d: entry(d, "M1")["interpreters"].update(fr=[])) == []


def test_a_plan_with_parts_it_cannot_read_is_checked_without_a_crash(plans: Plans) -> None:
    # Parts that are not readable are the plan's own check's to report (planner check
    # runs both); the account of the rest is still checked:
    # - M1's start unreadable: it had started (Monday 09:00, before now) and is not seen
    #   kept; M2 listed as new though unchanged is still found, after M1;
    assert found(
        plans,
        lambda d: (entry(d, "M1").update(start="soon"), d["changes"].update(new=["M2"])),
    ) == [
        ("schedule", "M2", "listed as new in changes, but it is unchanged (not listed)"),
        (
            "schedule",
            "M1",
            "starts before now (2026-11-30 12:00) but is not kept frozen as in the baseline",
        ),
    ]
    # - entries that are not objects, in either plan, are passed over;
    scenario, published, text, document = plans
    odd = copy.deepcopy(published)
    odd["meetings"].append("M7")
    odd["action_days"].append(["AD7"])
    odd["unscheduled"].append("M8")
    altered = copy.deepcopy(document)
    altered["meetings"].append(7)
    altered["action_days"].append("AD7")
    assert check_against_baseline(scenario, altered, odd, text) == []
    # - terms that are not an object state no moves term;
    assert found(plans, lambda d: d.update(terms=None)) == [
        ("objective", "", "term moves is None, recomputed 0")
    ]

    # - a move listed by its bare id has no fields to compare.
    def bare(document: dict[str, Any]) -> None:
        moved_m2_to_wednesday(document)
        document["terms"]["moves"] = 50
        document["changes"]["moved"] = ["M2"]

    assert found(plans, bare) == [("schedule", "M2", "moved fields None, but date changed")]


def test_a_frozen_activitys_listed_conflicts_are_accepted_the_others_stand(plans: Plans) -> None:
    _, _, _, document = plans
    altered = copy.deepcopy(document)
    altered["changes"]["conflicts"] = [{"id": "M1", "rule": "unavailable", "reasons": ["-"]}]
    violations = [
        Violation("unavailable", "M1", "DE is away"),  # frozen, listed: accepted
        Violation("room_conflict", "M1", "P1 is taken"),  # frozen, another rule: stands
        Violation("unavailable", "M2", "DE is away"),  # not frozen: stands
    ]
    standing, accepted = accepted_conflicts(altered, violations)
    assert accepted == violations[:1] and standing == violations[1:]
    assert accepted_conflicts({}, violations) == (violations, [])


def test_check_prints_the_accepted_conflicts_of_a_frozen_meeting(tmp_path: Path) -> None:
    # Published; then DE is away on Monday, after M1 started (re-plan at 12:00): M1 is
    # kept, with its conflict listed; check --baseline accepts it and says so.
    scenario = tmp_path / "week.yaml"
    scenario.write_text(scenario_text(BODY))
    published = tmp_path / "published.json"
    assert CliRunner().invoke(main, ["solve", str(scenario), "-o", str(published)]).exit_code == 0
    scenario.write_text(scenario_text(BODY + "countries: [{code: DE, unavailable: [2026-11-30]}]"))
    new = tmp_path / "new.json"
    outcome = CliRunner().invoke(
        main,
        [
            "replan",
            str(scenario),
            "--baseline",
            str(published),
            "--now",
            "2026-11-30T12:00",
            "-o",
            str(new),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    outcome = CliRunner().invoke(
        main, ["check", str(scenario), str(new), "--baseline", str(published), "--json"]
    )
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    assert report["valid"] is True and report["violations"] == []
    assert [(c["rule"], c["activity"]) for c in report["accepted_conflicts"]] == [
        ("unavailable", "M1")
    ]
