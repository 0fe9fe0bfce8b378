"""``planner explain``: why an activity cannot be placed, what would let it in, and a
minimal set of must-hold activities that cannot all be held."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from solving import make_scenario, scenario_text

from planner.cli import main
from planner.explain import explain
from planner.solve import solve

# Monday 30 Nov 2026; NL, DE, FR, BE work 09:00-17:00 in one zone (CET).
WHOLE_DAY = "pinned: {start: 2026-11-30T09:00, room: P1}"


def _one(body: str, activity: str = "M2") -> tuple[str, list[str], list[str]]:
    (explanation,) = explain(make_scenario(body), activity, time_limit=20, workers=1).explanations
    return explanation.rule, explanation.reasons, [w.sentence() for w in explanation.ways]


def test_far_zones_name_each_participant_with_its_hours() -> None:
    # Tbilisi (UTC+4) and New York (UTC-5) share no hour of 09:00-17:00 local time.
    rule, reasons, ways = _one(
        """
        rooms: [{id: P1, capacity: 20, features: [videoconference]}]
        meetings:
          - {id: M2, case: C1, duration: 1h,
             participants: [{country: GE, attendance: video}, {country: US, attendance: video}]}
        """
    )
    assert rule == "working_hours" and ways == []
    assert "GE (09:00-17:00 Asia/Tbilisi)" in reasons[0]
    assert "US (09:00-17:00 America/New_York)" in reasons[0]


def test_a_holiday_names_the_holiday() -> None:
    # Tue 1 Dec is Restoration of Independence in Portugal, and M2's only date.
    rule, reasons, _ = _one(
        """
        rooms: [{id: P1, capacity: 20}]
        meetings:
          - {id: M2, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-01,
             participants: [{country: NL}, {country: PT}]}
        """
    )
    assert rule == "holiday" and "Restoration of Independence" in reasons[0]


def test_a_full_room_names_the_meeting_that_holds_it() -> None:
    # M1 (pinned) holds the only room all Monday; M2 can only be held on Monday, in working
    # hours 09:00-17:00: it fits only if M1 moves.
    rule, _, ways = _one(
        f"""
        rooms: [{{id: P1, capacity: 20}}]
        meetings:
          - {{id: M1, case: C1, duration: 8h, {WHOLE_DAY},
             participants: [{{country: FR}}, {{country: BE}}]}}
          - {{id: M2, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
             participants: [{{country: NL}}, {{country: DE}}]}}
        """
    )
    assert rule == "room_conflict"
    assert ways and ways[0].endswith("in P1: move M1 (it holds room P1)")


def test_a_full_desk_names_the_meeting_that_takes_it() -> None:
    # NL's desk takes one activity at a time and M1 (pinned, all Monday) takes it; M2 (DE
    # on video) has a room of its own, the only one with video: only NL's desk is in the
    # way.
    rule, _, ways = _one(
        f"""
        countries: [{{code: NL, desk_capacity: 1}}]
        rooms: [{{id: P1, capacity: 20}}, {{id: P2, capacity: 20, features: [videoconference]}}]
        meetings:
          - {{id: M1, case: C1, duration: 8h, {WHOLE_DAY},
             participants: [{{country: NL}}, {{country: FR}}]}}
          - {{id: M2, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
             participants: [{{country: NL}}, {{country: DE, attendance: video}}]}}
        """,
    )
    assert rule == "desk_capacity"
    assert ways[0].endswith("move M1 (it takes NL's desk)")


def test_a_busy_interpreter_names_where_the_interpreter_works() -> None:
    # lucia is the only es-en interpreter, working 09:00-10:00 only; M1 (pinned Monday
    # 09:00) has her; M2 needs es on Monday, so only at 09:00: M1 is in the way.
    rule, _, ways = _one(
        f"""
        rooms:
          - {{id: P1, capacity: 20, features: [interpretation_booths]}}
          - {{id: P2, capacity: 20, features: [interpretation_booths]}}
        interpreters: [{{id: lucia, languages: [es, en], hours: "09:00-10:00"}}]
        meetings:
          - {{id: M1, case: C1, duration: 1h, {WHOLE_DAY},
             participants: [{{country: FR}}, {{country: ES, language: es}}]}}
          - {{id: M2, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
             participants: [{{country: NL}}, {{country: ES, language: es}}]}}
        """,
    )
    assert rule == "interpreter"
    assert any("it has interpreter lucia" in way for way in ways)


def test_a_missing_interpreter_is_a_rule_of_its_own() -> None:
    rule, reasons, _ = _one(
        """
        rooms: [{id: P1, capacity: 20, features: [interpretation_booths]}]
        meetings:
          - {id: M2, case: C1, duration: 1h,
             participants: [{country: NL}, {country: MT, language: mt}]}
        """
    )
    assert rule == "interpreter" and "no interpreter knows both mt and en" in reasons[0]


def test_an_order_that_cannot_hold_names_the_meeting_first() -> None:
    # M1 is pinned on Friday at 09:00; M2 must start a day after M1 ends, by Friday.
    rule, reasons, _ = _one(
        """
        rooms: [{id: P1, capacity: 20}, {id: P2, capacity: 20}]
        meetings:
          - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-12-04T09:00},
             participants: [{country: NL}]}
          - {id: M2, case: C1, duration: 1h, after: [{meeting: M1, gap: 1d}],
             participants: [{country: NL}]}
        """
    )
    assert rule == "order" and "M1" in reasons[0]


CONFLICTING = """
rooms: [{id: P1, capacity: 20}]
meetings:
  - {id: A, case: C1, duration: 8h, priority: critical, earliest: 2026-11-30,
     latest: 2026-12-01, participants: [{country: NL}]}
  - {id: B, case: C1, duration: 8h, priority: critical, earliest: 2026-11-30,
     latest: 2026-12-01, participants: [{country: DE}]}
  - {id: C, case: C1, duration: 8h, priority: critical, earliest: 2026-11-30,
     latest: 2026-12-01, participants: [{country: FR}]}
  - {id: D, case: C1, duration: 1h, priority: critical, participants: [{country: BE}]}
"""


def test_the_infeasible_core_is_minimal() -> None:
    # One room, two days: A, B and C (8 h each, Mon-Tue) cannot all be held; D can.
    # The core is {A, B, C}: without any one of them the rest fits.
    scenario = make_scenario(CONFLICTING)
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    assert result.status == "infeasible"
    (core,) = result.infeasible
    assert core.activities == ["A", "B", "C"]
    for left_out in core.activities:
        relaxed = make_scenario(
            CONFLICTING.replace(
                f"{{id: {left_out}, case: C1, duration: 8h, priority: critical",
                f"{{id: {left_out}, case: C1, duration: 8h, priority: low",
            )
        )
        assert solve(relaxed, time_limit=20, workers=1, seed=0).status != "infeasible"
    assert "none of them can be left out" in core.reason


def test_explain_without_an_activity_covers_the_solve(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "conflicting.yaml"  # type: ignore[operator]
    path.write_text(scenario_text(CONFLICTING))
    outcome = CliRunner().invoke(main, ["explain", str(path), "--json", "--time-limit", "20"])
    assert outcome.exit_code == 4, outcome.output
    report = json.loads(outcome.stdout)
    assert report["infeasible"][0]["activities"] == ["A", "B", "C"]
    outcome = CliRunner().invoke(main, ["explain", str(path), "Z"])
    assert outcome.exit_code == 2
