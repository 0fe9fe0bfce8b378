"""What a plan made against a published one says it changed (SPEC 2.7.1), entry by entry,
as a nightly job or a coordinator reads it from ``--json`` or the plan file: every
published activity in exactly one group, each move with its fields and where it was
and is, the drops with their rules, the conflicts of frozen activities in order, and
the moment a re-plan froze at."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from solving import scenario_text

from planner.cli import main


def run(*args: str | Path) -> tuple[int, str]:
    outcome = CliRunner().invoke(main, [str(a) for a in args])
    return outcome.exit_code, outcome.stdout


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in [*document["meetings"], *document["action_days"]]}


# Two meeting rooms and two centre rooms too small for any meeting (a meeting needs 2
# host staff and its delegates). Monday: M0 (FR), M1 (PL), M5 (DE) and M2 (BE, which
# prefers Monday and may be held until Wednesday); Tuesday: M3 (DE) and AD0 (FR);
# AD1 (DE) on Wednesday or Thursday.
PUBLISHED = """
rooms:
  - {id: P1, capacity: 20}
  - {id: P2, capacity: 20}
  - {id: CC1, capacity: 2, features: [coordination_centre]}
  - {id: CC2, capacity: 2, features: [coordination_centre]}
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE, FR, PL]}]
meetings:
  - {id: M0, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: FR}]}
  - {id: M1, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: PL}]}
  - {id: M2, case: C1, duration: 1h, preferred: 2026-11-30, latest: 2026-12-02,
     participants: [{country: NL}, {country: BE}]}
  - {id: M3, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-01,
     participants: [{country: NL}, {country: DE}]}
  - {id: M5, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: DE}]}
action_days:
  - {id: AD0, case: C1, countries: [FR], earliest: 2026-12-01, latest: 2026-12-01,
     priority: normal}
  - {id: AD1, case: C1, countries: [DE], earliest: 2026-12-02, latest: 2026-12-03}
"""


def changed_week(published: dict[str, dict[str, Any]]) -> str:
    """The week after a day of news, each change aimed at what the published plan holds:

    - FR is away Monday and Tuesday: M0 and AD0 cannot be held (dropped);
    - M1's room is closed Monday 08:00-10:00: M1 keeps its time in the other room;
    - BE is away Monday: M2 goes to Tuesday, at its time and in its room;
    - DE is away Monday until 12:00: M5 keeps its room, later that day;
    - DE is away Wednesday and AD1's room is closed Thursday: AD1 takes Thursday and
      the other centre room;
    - M3 is cancelled (gone from the scenario) and M4 (Thursday) is new.
    """
    m1_room, ad1_room = published["M1"]["room"], published["AD1"]["room"]
    text = PUBLISHED.replace(
        f"{{id: {m1_room}, capacity: 20}}",
        f"{{id: {m1_room}, capacity: 20, "
        'unavailable: [{date: 2026-11-30, hours: "08:00-10:00"}]}',
    ).replace(
        f"{{id: {ad1_room}, capacity: 2, features: [coordination_centre]}}",
        f"{{id: {ad1_room}, capacity: 2, features: [coordination_centre], "
        "unavailable: [2026-12-03]}",
    )
    text = text.replace(
        "  - {id: M3, case: C1, duration: 1h, earliest: 2026-12-01, latest: 2026-12-01,\n"
        "     participants: [{country: NL}, {country: DE}]}\n",
        "  - {id: M4, case: C1, duration: 1h, earliest: 2026-12-03, latest: 2026-12-03,\n"
        "     participants: [{country: NL}, {country: BE}]}\n",
    )
    return text + (
        "countries:\n"
        "  - {code: FR, unavailable: [2026-11-30, 2026-12-01]}\n"
        "  - {code: BE, unavailable: [2026-11-30]}\n"
        '  - {code: DE, unavailable: [{date: 2026-11-30, hours: "08:00-12:00"}, 2026-12-02]}\n'
    )


def test_every_published_activity_is_accounted_for_once(tmp_path: Path) -> None:
    scenario = tmp_path / "week.yaml"
    scenario.write_text(scenario_text(PUBLISHED))
    published_path = tmp_path / "published.json"
    code, output = run("solve", scenario, "-o", published_path, "--workers", "1")
    assert code == 0, output
    published_document = json.loads(published_path.read_text())
    published = by_id(published_document)
    assert published["M2"]["start"] == "2026-11-30T10:15:00+01:00"  # after M0, M1 at 09:00
    scenario.write_text(scenario_text(changed_week(published)))
    new_path = tmp_path / "new.json"
    code, output = run(
        "solve", scenario, "--baseline", published_path, "-o", new_path, "--workers", "1"
    )
    assert code == 3, output  # M0 and AD0 are left out
    document = json.loads(new_path.read_text())
    changes, now = document["changes"], by_id(document)
    digest = hashlib.sha256(published_path.read_bytes()).hexdigest()
    assert changes["baseline"] == {"sha256": digest, "objective": published_document["objective"]}
    assert "now" not in changes  # not a re-plan: nothing frozen
    assert (changes["frozen"], changes["conflicts"]) == ([], [])
    assert changes["new"] == ["M4"] and changes["cancelled"] == ["M3"]
    assert [(d["id"], d["rule"]) for d in changes["dropped"]] == [
        ("AD0", "unavailable"),
        ("M0", "unavailable"),
    ]
    assert all(d["reasons"] for d in changes["dropped"])
    moved = {m["id"]: m for m in changes["moved"]}
    assert [m["id"] for m in changes["moved"]] == ["AD1", "M1", "M2", "M5"]

    def where(entry: dict[str, Any]) -> dict[str, Any]:
        """An entry of the published or the new plan as the account writes it."""
        if "date" in entry:
            return {"date": entry["date"], "room": entry["room"]}
        return {"start": entry["start"], "room": entry["room"]}

    for activity, fields in (
        ("M1", ["room"]),  # the other room at 09:00 (M0's, free now): 5
        ("M2", ["date"]),  # Tuesday 10:15 in its room (M3 is gone): 50, 5 of lateness
        ("M5", ["time"]),  # its room after 12:00: 10
        ("AD1", ["date", "room"]),  # Thursday, the other centre room: 55
    ):
        assert moved[activity]["fields"] == fields, activity
        assert moved[activity]["from"] == where(published[activity]), activity
        assert moved[activity]["to"] == where(now[activity]), activity
    assert now["M2"]["start"] == "2026-12-01T10:15:00+01:00"
    assert datetime.fromisoformat(now["M5"]["start"]).hour >= 12
    # every move at its weight: 5 + 50 + 10 + 55. A dropped activity costs its
    # unscheduled weight only (SPEC 2.3 v1.2, placement first): M0 (normal, 100) and
    # AD0 (normal, 100) weigh on placement, not on moves.
    assert document["terms"]["moves"] == 5 + 50 + 10 + 55
    assert document["terms"]["unscheduled"] == 100 + 100
    assert document["score"]["placement"] == 100 + 100
    code, output = run("check", scenario, new_path, "--baseline", published_path)
    assert code == 0, output


# MB is held Mon 09:00 and MA Mon 10:15 (MA is after MB), both with BE; a re-plan at
# 11:30 freezes both. BE is now away on Monday: each is kept, with a conflict.
FROZEN = """
rooms: [{id: P1, capacity: 20}]
cases: [{id: C1, crime: fraud, countries: [NL, BE]}]
meetings:
  - {id: MB, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: BE}]}
  - {id: MA, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-11-30,
     participants: [{country: NL}, {country: BE}], after: [{meeting: MB, gap: 0m}]}
"""


def test_a_re_plan_lists_its_frozen_activities_and_their_conflicts_in_order(
    tmp_path: Path,
) -> None:
    # MB takes 09:00-10:00; MA follows it after the room's 15 min buffer, 10:15. Both
    # started before 11:30: frozen, kept where they are although BE is away, each with
    # an "unavailable" conflict, listed by activity (MA before MB, unlike the plan's
    # order by start); the account records the moment it froze at, with its offset.
    scenario = tmp_path / "week.yaml"
    scenario.write_text(scenario_text(FROZEN))
    published_path = tmp_path / "published.json"
    code, output = run("solve", scenario, "-o", published_path, "--workers", "1")
    assert code == 0, output
    published = by_id(json.loads(published_path.read_text()))
    assert (published["MB"]["start"], published["MA"]["start"]) == (
        "2026-11-30T09:00:00+01:00",
        "2026-11-30T10:15:00+01:00",
    )
    scenario.write_text(
        scenario_text(FROZEN + "countries: [{code: BE, unavailable: [2026-11-30]}]")
    )
    code, output = run(
        "replan",
        scenario,
        "--baseline",
        published_path,
        "--now",
        "2026-11-30T11:30",
        "--json",
        "--workers",
        "1",
    )
    assert code == 0, output
    document = json.loads(output)
    changes = document["changes"]
    assert changes["now"] == "2026-11-30T11:30:00+01:00"
    assert changes["frozen"] == ["MA", "MB"] and changes["moved"] == []
    assert [(c["id"], c["rule"]) for c in changes["conflicts"]] == [
        ("MA", "unavailable"),
        ("MB", "unavailable"),
    ]
    assert all(c["reasons"][0].startswith("frozen, but ") for c in changes["conflicts"])
    assert {a: e["start"] for a, e in by_id(document).items()} == {
        a: e["start"] for a, e in published.items()
    }


# Friday 23 Oct and Monday 26 Oct 2026: the Netherlands and Belgium leave summer time
# (UTC+2) on Sunday 25 Oct. M1 fills the working day, 09:00-17:00, so it has one start
# a date; it prefers Friday.
AUTUMN = """
rooms: [{id: P1, capacity: 20}]
cases: [{id: C1, crime: fraud, countries: [NL, BE]}]
meetings:
  - {id: M1, case: C1, duration: 8h, preferred: 2026-10-23,
     participants: [{country: NL}, {country: BE}]}
"""


def test_a_move_across_the_clock_change_keeps_its_time_of_day(tmp_path: Path) -> None:
    # Published on Friday 09:00 (+02:00). BE is then away on Friday: Monday 09:00
    # (+01:00) is the same time of day on the host's clock, so only the date moved
    # (50, and 3 days late, 15), although it is an hour later in UTC.
    horizon = "{start: 2026-10-23, end: 2026-10-30}"
    scenario = tmp_path / "autumn.yaml"
    scenario.write_text(scenario_text(AUTUMN, horizon))
    published = tmp_path / "published.json"
    code, output = run("solve", scenario, "-o", published, "--workers", "1")
    assert code == 0, output
    assert by_id(json.loads(published.read_text()))["M1"]["start"] == "2026-10-23T09:00:00+02:00"
    scenario.write_text(
        scenario_text(AUTUMN + "countries: [{code: BE, unavailable: [2026-10-23]}]", horizon)
    )
    new = tmp_path / "new.json"
    code, output = run("solve", scenario, "--baseline", published, "-o", new, "--workers", "1")
    assert code == 0, output
    document = json.loads(new.read_text())
    assert by_id(document)["M1"]["start"] == "2026-10-26T09:00:00+01:00"
    assert [(m["id"], m["fields"]) for m in document["changes"]["moved"]] == [("M1", ["date"])]
    assert (document["terms"]["moves"], document["terms"]["lateness"]) == (50, 15)
    code, output = run("check", scenario, new, "--baseline", published)
    assert code == 0, output
