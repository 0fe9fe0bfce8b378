"""``planner explain`` for an activity left out: the placements that need the fewest
moves, told as a coordinator acts on them. Every way told must let the activity in once
its moves are made, so each scenario is built to have one right answer, derived in a
comment; the whole list of ways is compared, not only its first sentence.

Monday 30 Nov and Wednesday 2 Dec 2026; NL, DE, FR, BE, PL work 09:00-17:00 in one zone
with the host (UTC+1).
"""

from __future__ import annotations

import json

import pytest
from solving import make_scenario

from planner.explain import Explanation, explain
from planner.models.baseline import baseline_from_data
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve


def explained(body: str, activity: str) -> Explanation:
    (explanation,) = explain(make_scenario(body), activity, time_limit=20, workers=1).explanations
    return explanation


def ways(body: str, activity: str) -> list[str]:
    return [way.sentence() for way in explained(body, activity).ways]


def test_every_meeting_holding_the_room_is_named() -> None:
    # P1 is the only room: M1 holds it 09:00-10:00 and M3 12:00-13:00. M2 (7 h, Monday
    # only) can start 09:00 to 10:00, and every such placement overlaps both: moving M1
    # alone would not free the room. One way, at the earliest start.
    body = """
rooms: [{id: P1, capacity: 20}]
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: FR}]}
  - {id: M3, case: C1, duration: 1h, pinned: {start: 2026-11-30T12:00, room: P1},
     participants: [{country: BE}]}
  - {id: M2, case: C1, duration: 7h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE}]}
"""
    explanation = explained(body, "M2")
    assert explanation.rule == "room_conflict"
    assert explanation.reasons == [
        "the suitable rooms are taken (P1) at 5 of its 5 possible placements"
    ]
    assert [w.sentence() for w in explanation.ways] == [
        "Mon 30 Nov 09:00-16:00 in P1: move M1 (it holds room P1) and M3 (it holds room P1)"
    ]


def test_the_room_buffer_alone_can_stand_in_the_way() -> None:
    # M2 follows M1 (gap 0) and lasts 6h55, so it can only start when M1 ends, 10:00
    # (10:15 would end 17:10, after NL's hours). Then P1 is still M1's for its 15 min
    # buffer: moving M1 frees it.
    body = """
rooms: [{id: P1, capacity: 20}]
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: FR}]}
  - {id: M2, case: C1, duration: 6h55m, earliest: 2026-11-30, latest: 2026-11-30,
     after: [{meeting: M1, gap: 0m}], participants: [{country: NL}, {country: DE}]}
"""
    assert ways(body, "M2") == ["Mon 30 Nov 10:00-16:55 in P1: move M1 (it holds room P1)"]


# NL's desk takes two activities at once. M1 (09:00-10:00) is in P1, M3 and M4 (both
# 12:00-13:00) in P2 and P3, each with NL; P4 is free. M2 (7 h, Monday only, NL and DE)
# overlaps all three wherever it starts (09:00 to 10:00).
DESK = """
rooms:
  - {id: P1, capacity: 20}
  - {id: P2, capacity: 20}
  - {id: P3, capacity: 20}
  - {id: P4, capacity: 20}
cases: [{id: C1, crime: fraud, countries: [NL, DE, FR, BE, PL]}]
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: NL}, {country: FR}]}
  - {id: M3, case: C1, duration: 1h, pinned: {start: 2026-11-30T12:00, room: P2},
     participants: [{country: NL}, {country: BE}]}
  - {id: M4, case: C1, duration: 1h, pinned: {start: 2026-11-30T12:00, room: P3},
     participants: [{country: NL}, {country: PL}]}
  - {id: M2, case: C1, duration: 7h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE}]}
"""


def test_a_full_desk_names_what_fills_it_when_it_is_full() -> None:
    # NL's desk is full only 12:00-13:00 (M3 and M4); at 09:00 M1 leaves a place. So one
    # of M3 and M4 must move (the first by id), never M1. By fewest moves: 09:00 in P4,
    # moving M3; then, with two moves each, 09:00 in P1 (M1 holds it) and in P2 (M3
    # holds it and NL's desk); 09:00 in P3 is a fourth set of moves, and three are told.
    assert ways(DESK, "M2") == [
        "Mon 30 Nov 09:00-16:00 in P4: move M3 (it takes NL's desk)",
        "Mon 30 Nov 09:00-16:00 in P1: move M1 (it holds room P1) and M3 (it takes NL's desk)",
        "Mon 30 Nov 09:00-16:00 in P2: move M3 (it holds room P2) and M3 (it takes NL's desk)",
    ]
    assert explained(DESK, "M2").rule == "desk_capacity"


def test_the_interpreter_with_the_fewest_meetings_in_the_way_is_named() -> None:
    # anna (de, fr), karl (de, pl) and lena (de) work 09:00-11:00; M2 (2 h: a team of two
    # de-en interpreters) can only be 09:00-11:00. lena is free; anna, the only fr one,
    # has M1 (09:00-10:00); karl, the only pl one, has M3 (09:00-10:00) and M4
    # (10:00-11:00). One more interpreter is needed: anna, whose one meeting is the
    # fewest moves (P4 is the free room).
    body = """
rooms:
  - {id: P1, capacity: 20, features: [videoconference]}
  - {id: P2, capacity: 20, features: [videoconference]}
  - {id: P3, capacity: 20, features: [videoconference]}
  - {id: P4, capacity: 20, features: [videoconference]}
interpreters:
  - {id: anna, languages: [de, en, fr], hours: "09:00-11:00"}
  - {id: karl, languages: [de, en, pl], hours: "09:00-11:00"}
  - {id: lena, languages: [de, en], hours: "09:00-11:00"}
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: NL}, {country: FR, language: fr, attendance: video}]}
  - {id: M3, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P2},
     participants: [{country: BE}, {country: PL, language: pl, attendance: video}]}
  - {id: M4, case: C1, duration: 1h, pinned: {start: 2026-11-30T10:00, room: P3},
     participants: [{country: BE}, {country: PL, language: pl, attendance: video}]}
  - {id: M2, case: C1, duration: 2h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE, language: de, attendance: video}]}
"""
    explanation = explained(body, "M2")
    assert explanation.rule == "interpreter"
    assert [w.sentence() for w in explanation.ways] == [
        "Mon 30 Nov 09:00-11:00 in P4: move M1 (it has interpreter anna)",
        "Mon 30 Nov 09:00-11:00 in P1: move M1 (it holds room P1) and M1 (it has interpreter anna)",
        "Mon 30 Nov 09:00-11:00 in P2: move M3 (it holds room P2) and M1 (it has interpreter anna)",
    ]


# AD0 (BE, high, 3 staff) and AD1 (DE, normal, 1 staff) can only be held on Wednesday;
# the centres' staff pool is 3 and there is one centre room.
CENTRES = """
rooms: [{id: CC1, capacity: 20, features: [coordination_centre]}]
cases: [{id: C1, crime: fraud, countries: [BE, DE]}]
coordination_centre: {staff: 3}
action_days:
  - {id: AD0, case: C1, countries: [BE], staff: 3, earliest: 2026-12-02, latest: 2026-12-02}
  - {id: AD1, case: C1, countries: [DE], staff: 1, priority: normal, %s
     earliest: 2026-12-02, latest: 2026-12-02}
"""


def test_a_centre_names_the_centre_that_takes_the_staff() -> None:
    # AD0 takes all 3 staff 05:00-16:00, and CC1. AD1 may run virtually: then only AD0's
    # staff is in the way (one move), in CC1 its room as well.
    explanation = explained(CENTRES % "", "AD1")
    assert explanation.rule == "staff"
    assert [w.sentence() for w in explanation.ways] == [
        "Wed 02 Dec 05:00-16:00 (virtual centre): move AD0 (its centre uses the staff)",
        "Wed 02 Dec 05:00-16:00 in CC1: move AD0 (it holds room CC1) and AD0 "
        "(its centre uses the staff)",
    ]


def test_a_centre_names_what_takes_its_countrys_desk() -> None:
    # DE's desk takes one activity at a time and M1 (DE, pinned Wednesday 09:00 in P1)
    # takes it; the staff pool is 4 now. AD1 may not run virtually: in CC2 only M1 is in
    # the way, in CC1 AD0 too.
    body = (
        (CENTRES % "virtual: never,").replace("staff: 3}", "staff: 4}")
        + """
  - {id: AD9, case: C1, countries: [BE], earliest: 2026-12-03, latest: 2026-12-03}
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-12-02T09:00, room: P1},
     participants: [{country: NL}, {country: DE}]}
countries: [{code: DE, desk_capacity: 1}]
"""
    )
    body = body.replace(
        "rooms: [{id: CC1, capacity: 20, features: [coordination_centre]}]",
        "rooms: [{id: CC1, capacity: 20, features: [coordination_centre]},\n"
        "        {id: CC2, capacity: 20, features: [coordination_centre]},\n"
        "        {id: P1, capacity: 20}]",
    )
    explanation = explained(body, "AD1")
    assert explanation.rule == "desk_capacity"
    assert [w.sentence() for w in explanation.ways] == [
        "Wed 02 Dec 05:00-16:00 in CC2: move M1 (it takes DE's desk)",
        "Wed 02 Dec 05:00-16:00 in CC1: move AD0 (it holds room CC1) and M1 (it takes DE's desk)",
    ]


# ---- what explain is asked --------------------------------------------------------------------

# M9 needs mt, which no interpreter knows; M2 (7 h) is in the way of M1 (pinned all
# Monday morning) in the only room, on Monday, its only date; M3 fits.
SOLVED = """
rooms: [{id: P1, capacity: 20, features: [interpretation_booths]}]
cases: [{id: C1, crime: fraud, countries: [NL, DE, MT]}]
meetings:
  - {id: M1, case: C1, duration: 3h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: NL}]}
  - {id: M2, case: C1, duration: 7h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE}]}
  - {id: M3, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-01,
     participants: [{country: NL}]}
  - {id: M9, case: C1, duration: 1h, participants: [{country: NL}, {country: MT, language: mt}]}
"""


def test_without_an_activity_every_one_left_out_is_explained() -> None:
    # Solved: M1 and M3 are held, M2 and M9 are not. M2 can start 09:00 to 10:00 and
    # each start needs M1 out of the room: one way, told at the earliest; M9 has no way
    # at all, only its rule.
    explained_all = explain(make_scenario(SOLVED), time_limit=20, workers=1)
    assert explained_all.placed == [] and explained_all.infeasible == []
    by_id = {e.activity: e for e in explained_all.explanations}
    assert list(by_id) == ["M2", "M9"]
    assert by_id["M9"].rule == "interpreter" and by_id["M9"].ways == []
    assert by_id["M9"].reasons == ["no interpreter knows both mt and en"]
    assert by_id["M2"].rule == "room_conflict"
    assert [w.sentence() for w in by_id["M2"].ways] == [
        "Mon 30 Nov 09:00-16:00 in P1: move M1 (it holds room P1)"
    ]


def test_an_activity_that_is_held_needs_no_explanation() -> None:
    explained_one = explain(make_scenario(SOLVED), "M3", time_limit=20, workers=1)
    assert explained_one.placed == ["M3"] and explained_one.explanations == []


def test_a_new_activity_against_a_published_plan_is_told_its_first_way() -> None:
    # Published without M4; M4 (Monday, 7 h) is then added: the published plan does not
    # list it, so its rule is the window it cannot find room in, and its reason the
    # first way: M1 (held as published) must move.
    before = make_scenario(SOLVED)
    document = json.loads(dumps(schedule_document(solve(before, workers=1), before.name, "")))
    baseline, _ = baseline_from_data(document, "")
    with_new = make_scenario(
        SOLVED + "  - {id: M4, case: C1, duration: 7h, earliest: 2026-11-30, latest: 2026-11-30,\n"
        "     participants: [{country: NL}, {country: DE}]}\n"
    )
    (explanation,) = explain(with_new, "M4", baseline=baseline).explanations
    ways = [w.sentence() for w in explanation.ways]
    assert explanation.rule == "window"
    assert (
        explanation.reasons
        == ways[:1]
        == ["Mon 30 Nov 09:00-16:00 in P1: move M1 (it holds room P1)"]
    )


def test_an_unknown_activity_is_refused() -> None:
    with pytest.raises(KeyError):
        explain(make_scenario(SOLVED), "M7", time_limit=20, workers=1)
