"""A re-plan whose frozen activities can no longer be modelled: kept exactly as published,
and counted in the plan's objective as the independent checker counts them.

A frozen activity that names an interpreter or a room that is gone, or that would
overfill what the frozen activities before it use, is kept as the published plan wrote
it (SPEC 2.7.1: frozen activities are never moved or dropped). Monday 30 Nov 2026; NL,
DE, BE, ES share the host's clock (UTC+1).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from solving import make_scenario

from planner.check import accepted_conflicts, check_against_baseline, check_schedule
from planner.models.baseline import baseline_from_data
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import replan, solve

# C1 and C2 are linked (declared). MV (Monday, 2 h: anna and karl interpret de) has BE
# invited, who is away on Monday: absent. MW (C2, Thursday) shares NL and DE with MV.
# AD1 (FR, may not run virtually) takes CC1 on Monday; AD2 (ES) runs virtually.
# The pool has 6 staff: both centres' 3 fit.
BEFORE = """
rooms:
  - {id: P1, capacity: 20, features: [interpretation_booths]}
  - {id: CC1, capacity: 2, features: [coordination_centre]}
interpreters: [{id: anna, languages: [de, en]}, {id: karl, languages: [de, en]}]
cases:
  - {id: C1, crime: fraud, countries: [NL, DE, BE, ES, FR], linked: [C2]}
  - {id: C2, crime: fraud, countries: [NL, DE]}
countries: [{code: BE, unavailable: [2026-11-30]}]
meetings:
  - {id: MV, case: C1, duration: 2h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE, language: de}, {country: BE, required: false}]}
  - {id: MW, case: C2, duration: 1h, earliest: 2026-12-03, latest: 2026-12-03,
     participants: [{country: NL}, {country: DE}]}
action_days:
  - {id: AD1, case: C1, countries: [FR], staff: 3, earliest: 2026-11-30, latest: 2026-11-30,
     virtual: never}
  - {id: AD2, case: C1, countries: [ES], staff: 3, earliest: 2026-11-30, latest: 2026-11-30}
"""

# The night after: karl has left (lena came), DE now works 10:00-16:00 with an hour of
# stretch allowed, MV should have been held on Friday 27 Nov, and the pool has 3 staff.
AFTER = (
    BEFORE.replace("{id: karl, languages: [de, en]}", "{id: lena, languages: [de, en]}")
    .replace(
        "countries: [{code: BE,",
        "defaults: {stretch: 1h}\ncoordination_centre: {staff: 3}\n"
        'countries: [{code: DE, working_hours: "10:00-16:00"}, {code: BE,',
    )
    .replace(
        "{id: MV, case: C1, duration: 2h,",
        "{id: MV, case: C1, duration: 2h, preferred: 2026-11-27,",
    )
)


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in [*document["meetings"], *document["action_days"]]}


def test_frozen_activities_that_cannot_be_modelled_are_kept_and_counted() -> None:
    before = make_scenario(BEFORE)
    text = dumps(schedule_document(solve(before, time_limit=20, workers=1), before.name, "0" * 64))
    published = json.loads(text)
    held = by_id(published)
    assert held["MV"]["interpreters"] == {"de": ["anna", "karl"]}
    assert held["MV"]["absent"] == ["BE"] and held["MV"]["start"] == "2026-11-30T09:00:00+01:00"
    assert (held["AD1"]["room"], held["AD2"]["room"]) == ("CC1", None)
    baseline, _ = baseline_from_data(published, hashlib.sha256(text.encode()).hexdigest())
    assert baseline is not None

    # At 09:01 on Monday, MV (09:00) and both centres (05:00) have started: frozen. MV
    # names karl, who is gone; AD2 would overfill the 3 staff that AD1 (first by id at
    # the same opening) takes: both are kept as written, not modelled.
    after = make_scenario(AFTER)
    now = datetime(2026, 11, 30, 9, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    result = replan(after, baseline, now=now, time_limit=20, workers=1, seed=0)
    document = json.loads(dumps(schedule_document(result, after.name, "0" * 64)))
    kept = by_id(document)
    for activity in ("MV", "AD1", "AD2"):
        assert kept[activity] == held[activity], activity  # local times and operations too
    changes = document["changes"]
    assert changes["frozen"] == ["AD1", "AD2", "MV"]
    assert [(m["id"], m["fields"]) for m in changes["moved"]] == [("MW", ["time"])]
    assert ("MV", "interpreter") in {(c["id"], c["rule"]) for c in changes["conflicts"]}
    # What the kept ones cost, as any held activity: MV 3 days after its preferred date
    # (3 x 5), 4 started quarters before DE's 10:00 (4 x 3), BE absent (20), 3 days from
    # MW beyond the 1 day linked meetings may be apart (2 x 2); AD2 virtual (20). MW
    # moves from 09:00 to DE's 10:00 (a time move, 10).
    assert document["terms"] == {
        "unscheduled": 0,
        "lateness": 15,
        "stretch": 12,
        "optional_absent": 20,
        "link_spread": 4,
        "moves": 10,
        "virtual_centre": 20,
    }
    assert document["objective"] == sum(document["terms"].values())
    found = check_schedule(after, document)
    found += check_against_baseline(after, document, published, text.encode())
    standing, accepted = accepted_conflicts(document, found)
    assert standing == [] and {v.activity for v in accepted} <= {"MV", "AD1", "AD2"}


# Two frozen meetings and two frozen centres kept as written, to count each term twice.
# MV (C1, Monday 09:00, 2 h) has anna and karl (de); BE (optional) is away, FR (optional)
# attends. MX (C1, pinned Monday 16:00) has karl, the only pl interpreter; BE is absent
# from it too. MW (C2, linked) is on Thursday. AD1 (FR) and AD3 (IT) may not run
# virtually: they take CC1 and CC2; AD2 (ES) runs virtually; the pool has 9 staff.
TWICE = """
rooms:
  - {id: P1, capacity: 20, features: [interpretation_booths]}
  - {id: P2, capacity: 20, features: [interpretation_booths]}
  - {id: CC1, capacity: 2, features: [coordination_centre]}
  - {id: CC2, capacity: 2, features: [coordination_centre]}
interpreters: [{id: anna, languages: [de, en]}, {id: karl, languages: [de, en, pl]}]
cases:
  - {id: C1, crime: fraud, countries: [NL, DE, BE, ES, FR, IT, PL], linked: [C2]}
  - {id: C2, crime: fraud, countries: [NL, DE]}
coordination_centre: {staff: 9}
countries: [{code: BE, unavailable: [2026-11-30]}]
meetings:
  - {id: MV, case: C1, duration: 2h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE, language: de}, {country: BE, required: false},
                    {country: FR, required: false}]}
  - {id: MX, case: C1, duration: 1h, pinned: {start: 2026-11-30T16:00},
     participants: [{country: NL}, {country: PL, language: pl}, {country: BE, required: false}]}
  - {id: MW, case: C2, duration: 1h, earliest: 2026-12-03, latest: 2026-12-03,
     participants: [{country: NL}, {country: DE}]}
action_days:
  - {id: AD1, case: C1, countries: [FR], staff: 3, earliest: 2026-11-30, latest: 2026-11-30,
     virtual: never}
  - {id: AD2, case: C1, countries: [ES], staff: 3, earliest: 2026-11-30, latest: 2026-11-30}
  - {id: AD3, case: C1, countries: [IT], staff: 3, earliest: 2026-11-30, latest: 2026-11-30,
     virtual: never}
"""

# The night after: karl and CC2 are gone; DE and FR work 10:00-16:00 and PL 09:00-16:00,
# with an hour of stretch; MV should have been on Friday 27 Nov, MX on Monday; the pool
# has 3 staff.
TWICE_AFTER = (
    TWICE.replace(", {id: karl, languages: [de, en, pl]}", "")
    .replace("  - {id: CC2, capacity: 2, features: [coordination_centre]}\n", "")
    .replace("coordination_centre: {staff: 9}", "coordination_centre: {staff: 3}")
    .replace(
        "countries: [{code: BE, unavailable: [2026-11-30]}]",
        "defaults: {stretch: 1h}\ncountries:\n"
        '  - {code: DE, working_hours: "10:00-16:00"}\n'
        '  - {code: FR, working_hours: "10:00-16:00"}\n'
        '  - {code: PL, working_hours: "09:00-16:00"}\n'
        "  - {code: BE, unavailable: [2026-11-30]}",
    )
    .replace(
        "{id: MV, case: C1, duration: 2h,",
        "{id: MV, case: C1, duration: 2h, preferred: 2026-11-27,",
    )
    .replace(
        "{id: MX, case: C1, duration: 1h,",
        "{id: MX, case: C1, duration: 1h, preferred: 2026-11-30,",
    )
)


def test_every_frozen_activity_kept_as_written_adds_to_the_terms() -> None:
    before = make_scenario(TWICE)
    text = dumps(schedule_document(solve(before, time_limit=20, workers=1), before.name, "0" * 64))
    published = json.loads(text)
    held = by_id(published)
    assert held["MV"]["start"] == "2026-11-30T09:00:00+01:00" and held["MV"]["absent"] == ["BE"]
    assert held["MX"]["interpreters"] == {"pl": ["karl"]} and held["MX"]["absent"] == ["BE"]
    assert [held[a]["room"] for a in ("AD1", "AD2", "AD3")] == ["CC1", None, "CC2"]
    baseline, _ = baseline_from_data(published, hashlib.sha256(text.encode()).hexdigest())
    assert baseline is not None
    after = make_scenario(TWICE_AFTER)
    now = datetime(2026, 11, 30, 16, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    result = replan(after, baseline, now=now, time_limit=20, workers=1, seed=0)
    document = json.loads(dumps(schedule_document(result, after.name, "0" * 64)))
    kept = by_id(document)
    for activity in ("MV", "MX", "AD1", "AD2", "AD3"):
        assert kept[activity] == held[activity], activity
    # lateness: MV 3 days after 27 Nov (15), MX on its date (0); absences: BE from both
    # (2 x 20); stretch: MV starts 4 quarters before DE's and FR's 10:00 (2 x 4 x 3), MX
    # ends 4 after PL's 16:00 (4 x 3); spread: MV and MX each 3 days from MW, 2 beyond
    # the day allowed (2 x 2 x 2); AD2 virtual (20), AD3 in its gone room (0); MW moves
    # to DE's 10:00 (10).
    assert document["terms"] == {
        "unscheduled": 0,
        "lateness": 15,
        "stretch": 36,
        "optional_absent": 40,
        "link_spread": 8,
        "moves": 10,
        "virtual_centre": 20,
    }
    found = check_schedule(after, document)
    found += check_against_baseline(after, document, published, text.encode())
    standing, _ = accepted_conflicts(document, found)
    assert standing == []
