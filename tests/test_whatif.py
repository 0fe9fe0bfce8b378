"""Change files, what-if and suggest: variants compared side by side, and the best places
for one activity; every plan ends with the independent checker."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from solving import make_scenario, scenario_text

from planner.change import apply_change, load_change
from planner.check import check_schedule
from planner.cli import main
from planner.loading import load_baseline, load_scenario
from planner.models import Scenario
from planner.models.problems import InputError
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import plan_result, solve
from planner.solver.construct import placements
from planner.suggest import suggest
from planner.whatif import plan_files, whatif

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"


def change_file(tmp_path: Path, text: str, name: str = "change") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        apply_change(load_scenario(WEEK), load_change(change_file(tmp_path, text)))
    return [str(problem) for problem in caught.value.problems]


# ---- change files ------------------------------------------------------------------------


def test_each_kind_of_change_is_applied_by_id(tmp_path: Path) -> None:
    scenario = load_scenario(WEEK)
    changed = apply_change(
        scenario,
        load_change(
            change_file(
                tmp_path,
                """\
remove: {rooms: [M3], meetings: [CM-0601-1]}
update:
  interpreters: {anna: {unavailable: [2026-12-02]}}
  meetings: {CM-0388-1: {duration: 3h}}
  countries: {UA: {desk_capacity: 1}}
add:
  meetings:
    - {id: CM-NEW-1, case: EJ-0412, duration: 2h, participants: [{country: NL}, {country: DE}]}
""",
            )
        ),
    )
    assert "M3" not in changed.rooms_by_id and "M3" in scenario.rooms_by_id
    assert "CM-0601-1" not in changed.meetings_by_id
    assert changed.interpreters_by_id["anna"].unavailable[0].date.isoformat() == "2026-12-02"
    assert changed.meetings_by_id["CM-0388-1"].duration == 180
    assert changed.parties["UA"].desk_capacity == 1
    assert changed.meetings_by_id["CM-NEW-1"].case == "EJ-0412"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown id, where it is written
        ("remove: {rooms: [P9]}\n", "remove.rooms[0] (line 1): unknown room 'P9'"),
        ("update:\n  meetings:\n    CM-9: {duration: 1h}\n", "update.meetings.CM-9 (line 3)"),
        # an update that breaks a rule, at the update's line
        (
            "update:\n  meetings:\n    CM-0412-1: {duration: 14h}\n",
            "update.meetings.CM-0412-1.duration (line 3): 14h is longer than any possible window",
        ),
        # an addition that refers to nothing
        (
            "add:\n  meetings:\n    - {id: X1, case: EJ-9, duration: 1h, "
            "participants: [{country: NL}]}\n",
            "add.meetings[0].case (line 3): unknown case 'EJ-9'",
        ),
        # a reference a removal leaves behind, at the removal's line
        ("remove:\n  cases: [EJ-0388]\n", "remove.cases[0] (line 2): meetings["),
        # YAML and form
        ("update: {meetings: {CM-0412-1: {duration: 2h}}\n", "file (line 2): YAML syntax error"),
        ("rename: {rooms: {P1: P9}}\n", "rename (line 1): unknown key 'rename'"),
    ],
    ids=[
        "unknown removal",
        "unknown update",
        "rule broken",
        "bad addition",
        "left behind",
        "yaml",
        "unknown key",
    ],
)
def test_change_file_problems_are_located_in_the_change_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    found = problems_of(tmp_path, text)
    assert any(expected in problem for problem in found), found


def test_every_problem_of_a_change_file_at_once(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        "remove: {rooms: [P9]}\nupdate:\n  meetings:\n    CM-0412-1: {duration: 14h}\n",
    )
    assert len(found) == 2


def test_a_changed_scenario_never_keeps_its_old_lookups() -> None:
    scenario = load_scenario(WEEK)
    without = scenario.model_copy(update={"rooms": [r for r in scenario.rooms if r.id != "M3"]})
    assert "M3" in scenario.rooms_by_id and "M3" not in without.rooms_by_id
    with pytest.raises(ValueError, match="unknown case"):
        scenario.model_copy(update={"cases": []})
    with pytest.raises(ValueError, match="unknown case"):
        Scenario.model_validate({**scenario.model_dump(by_alias=True), "cases": []})


# ---- what-if -------------------------------------------------------------------------------


WHOLE_WEEK = "[2026-11-30, 2026-12-01, 2026-12-02, 2026-12-03, 2026-12-04]"
NO_P1 = f"update:\n  rooms:\n    P1: {{unavailable: {WHOLE_WEEK}}}\n"


def test_closing_a_room_moves_what_it_held_and_what_their_links_force(tmp_path: Path) -> None:
    # The week's plan (seed 0, one worker; proven optimal) holds five meetings in P1:
    #   CM-0544-1 Mon 09:00, CM-0388-1 Mon 13:00, CM-0455-1 Mon 15:15,
    #   CM-0530-1 Tue 12:00, CM-0455-2 Wed 11:00.
    # Closing P1 all week moves these five (a room is a field of the move), and at most
    # what their links force:
    #   CM-0388-1 -> CM-0388-2 (after it), AD-0388 (prepared by it, 1 day before the
    #                centre opens) -> AD-0412 (same cluster as AD-0388 through the shared
    #                IBAN: same date, links.action_days same_day);
    #   CM-0455-1 -> CM-0455-2 (after it; in P1 already);
    #   CM-0530-1 -> CM-0530-2 (after it);
    #   CM-0544-1 -> nothing.
    # So at most 5 + 4 = 9 activities move, each one of these; nothing is dropped (P2
    # has the booths the moved meetings need). Solved from scratch (v1.1), 14 of the 20
    # activities "moved": another plan of equal cost, not what the change forces.
    scenario = load_scenario(WEEK)
    comparison = whatif(
        scenario, [load_change(change_file(tmp_path, NO_P1, "no-p1"))], jobs=1, time_limit=20
    )
    in_p1 = {m["id"] for m in comparison.base.document["meetings"] if m["room"] == "P1"}
    assert in_p1 == {"CM-0544-1", "CM-0388-1", "CM-0455-1", "CM-0530-1", "CM-0455-2"}, (
        "the week's plan changed: derive the moves again"
    )
    forced = {"CM-0388-2", "AD-0388", "AD-0412", "CM-0530-2"}
    (variant,) = comparison.variants
    assert variant.found and variant.against_base is not None
    moved = {m.id for m in variant.against_base.moved}
    assert in_p1 <= moved <= in_p1 | forced and len(moved) <= 9
    assert variant.against_base.dropped == []
    assert all(m["room"] != "P1" for m in variant.document["meetings"])
    # solved against the base: its moves term is what moving cost, and its changes
    # name the base plan's file
    assert variant.document["terms"]["moves"] == sum(
        {"date": 50, "time": 10, "room": 5}[f] for m in variant.against_base.moved for f in m.fields
    )
    files = plan_files(comparison)
    assert variant.document["changes"]["baseline"]["sha256"] == digest(files["base.json"])
    for plan in comparison.plans:
        assert plan.document["scenario"]["sha256"] == digest(files[f"{plan.name}.yaml"])
        assert check_schedule(plan.scenario, plan.document) == []


def test_an_empty_change_gives_exactly_the_base(tmp_path: Path) -> None:
    # An empty change is the base scenario: its plan is the base plan. A change that
    # forces nothing (P1 closed on the Saturday after the horizon) is solved against the
    # base with the same seed and settings, and moves nothing either.
    scenario = load_scenario(WEEK)
    saturday = "update:\n  rooms:\n    P1: {unavailable: [2026-12-05]}\n"
    comparison = whatif(
        scenario,
        [
            load_change(change_file(tmp_path, "{}\n", "empty")),
            load_change(change_file(tmp_path, saturday, "saturday")),
        ],
        jobs=1,
        time_limit=20,
    )
    base = comparison.base.document

    def placements(document: dict[str, Any]) -> list[Any]:
        return [document[key] for key in ("meetings", "action_days", "unscheduled", "terms")]

    for variant in comparison.variants:
        assert variant.found and variant.against_base is not None
        assert placements(variant.document) == placements(base), variant.name
        assert variant.against_base.moved == [] and variant.against_base.dropped == []


def test_fresh_solves_variants_from_scratch(tmp_path: Path) -> None:
    # --fresh: no move costs, no changes account in the plan; still compared with the base
    scenario = load_scenario(WEEK)
    comparison = whatif(
        scenario,
        [load_change(change_file(tmp_path, NO_P1, "no-p1"))],
        fresh=True,
        jobs=1,
        time_limit=20,
    )
    (variant,) = comparison.variants
    assert "changes" not in variant.document and variant.document["terms"]["moves"] == 0
    assert variant.against_base is not None and variant.against_base.moved


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_same_seed_gives_the_same_plans_whatever_the_jobs(tmp_path: Path) -> None:
    scenario = load_scenario(WEEK)
    changes = [
        load_change(
            change_file(tmp_path, "update:\n  meetings:\n    CM-0388-1: {duration: 3h}\n", "longer")
        ),
        load_change(change_file(tmp_path, "remove: {rooms: [M3]}\n", "no-m3")),
    ]

    def plans(jobs: int) -> list[Any]:
        comparison = whatif(scenario, changes, jobs=jobs, time_limit=20, seed=3)
        # base.json holds its solve_seconds, and the variants' changes name its sha256
        documents = [
            {k: v for k, v in plan.document.items() if k != "solve_seconds"}
            for plan in comparison.plans
        ]
        for document in documents[1:]:
            document["changes"] = {**document["changes"], "baseline": None}
        return documents

    assert plans(1) == plans(2)


def test_whatif_against_a_published_plan_shows_the_disruption(tmp_path: Path) -> None:
    scenario = load_scenario(WEEK)
    published = tmp_path / "published.json"
    base = solve(scenario, time_limit=20, workers=1, seed=0)
    published.write_text(dumps(schedule_document(base, scenario.name, "0" * 64)))
    longer = change_file(
        tmp_path, "update:\n  meetings:\n    CM-0388-1: {duration: 3h}\n", "longer"
    )
    comparison = whatif(
        scenario, [load_change(longer)], baseline=load_baseline(published), jobs=1, time_limit=20
    )
    (variant,) = comparison.variants
    # solved against the published plan: its moves term is what moving costs
    assert variant.document["terms"]["moves"] == sum(
        {"date": 50, "time": 10, "room": 5}[f]
        for m in variant.document["changes"]["moved"]
        for f in m["fields"]
    ) + sum(65 for _ in variant.document["changes"]["dropped"])


def test_the_command_writes_every_plan_and_its_scenario(tmp_path: Path) -> None:
    longer = change_file(
        tmp_path, "update:\n  meetings:\n    CM-0388-1: {duration: 3h}\n", "longer"
    )
    out = tmp_path / "out"  # made by the command
    outcome = CliRunner().invoke(
        main,
        [
            "whatif",
            str(WEEK),
            "--change",
            str(longer),
            "-o",
            str(out),
            "--time-limit",
            "20",
            "--json",
            "--jobs",
            "1",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert sorted(p.name for p in out.iterdir()) == [
        "base.json",
        "base.yaml",
        "longer.json",
        "longer.yaml",
    ]
    variant = load_scenario(out / "longer.yaml")
    assert variant.meetings_by_id["CM-0388-1"].duration == 180
    document = json.loads((out / "longer.json").read_text())
    assert check_schedule(variant, document) == []
    report = json.loads(outcome.stdout)
    assert [plan["name"] for plan in report["plans"]] == ["base", "longer"]


def planner(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``planner`` as a user would, in a process of its own."""
    command = [sys.executable, "-m", "planner", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("published", [False, True], ids=["solved base", "published base"])
def test_every_file_whatif_writes_is_accepted_by_check(tmp_path: Path, published: bool) -> None:
    # -o into a folder that does not exist yet; then `planner check` on every pair the
    # command wrote, each variant also against base.json (its changes and moves term)
    no_p1 = change_file(tmp_path, NO_P1, "no-p1")
    longer = change_file(
        tmp_path, "update:\n  meetings:\n    CM-0388-1: {duration: 3h}\n", "longer"
    )
    out = tmp_path / "results"
    arguments = ["whatif", str(WEEK), "--change", str(no_p1), "--change", str(longer)]
    arguments += ["-o", str(out), "--time-limit", "20", "--jobs", "2"]
    if published:
        plan = tmp_path / "published.json"
        ran = planner("solve", str(WEEK), "-o", str(plan), "--workers", "1", "--time-limit", "20")
        assert ran.returncode == 0, ran.stderr
        arguments += ["--baseline", str(plan)]
    ran = planner(*arguments)
    assert ran.returncode == 0, ran.stderr
    names = ["base", "no-p1", "longer"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.{extension}" for name in names for extension in ("yaml", "json")
    )
    for name in names:
        checked = planner("check", str(out / f"{name}.yaml"), str(out / f"{name}.json"))
        assert checked.returncode == 0, (name, checked.stdout, checked.stderr)
    for name in names[1:]:
        checked = planner(
            "check",
            str(out / f"{name}.yaml"),
            str(out / f"{name}.json"),
            "--baseline",
            str(out / "base.json"),
        )
        assert checked.returncode == 0, (name, checked.stdout, checked.stderr)


def test_an_output_folder_that_cannot_be_made_is_exit_2_before_any_solve(tmp_path: Path) -> None:
    no_p1 = change_file(tmp_path, NO_P1, "no-p1")
    missing = tmp_path / "no" / "such" / "folder"
    outcome = CliRunner().invoke(
        main, ["whatif", str(WEEK), "--change", str(no_p1), "-o", str(missing)]
    )
    assert outcome.exit_code == 2 and "cannot make the folder" in outcome.output
    # an invalid change leaves no folder behind
    bad = change_file(tmp_path, "remove: {rooms: [P9]}\n", "bad")
    made = tmp_path / "made"
    outcome = CliRunner().invoke(main, ["whatif", str(WEEK), "--change", str(bad), "-o", str(made)])
    assert outcome.exit_code == 2 and not made.exists()


def test_an_invalid_change_file_is_exit_2_with_its_line(tmp_path: Path) -> None:
    bad = change_file(tmp_path, "remove: {rooms: [P9]}\n", "bad")
    outcome = CliRunner().invoke(main, ["whatif", str(WEEK), "--change", str(bad)])
    assert outcome.exit_code == 2
    assert "remove.rooms[0] (line 1)" in outcome.output


# ---- suggest -------------------------------------------------------------------------------

SUGGEST = """
rooms: [{id: P1, capacity: 20}]
meetings:
  - {id: M1, case: C1, duration: 1h, pinned: {start: 2026-11-30T09:00, room: P1},
     participants: [{country: NL}, {country: DE}]}
  - {id: M2, case: C1, duration: 1h, earliest: 2026-11-30, latest: 2026-12-01,
     preferred: 2026-11-30, participants: [{country: NL}, {country: DE}]}
"""


def _held(tmp_path: Path, scenario: Scenario) -> Path:
    result = solve(scenario, time_limit=20, workers=1, seed=0)
    path = tmp_path / "published.json"
    path.write_text(dumps(schedule_document(result, scenario.name, "0" * 64)))
    return path


def test_the_best_places_of_a_meeting_derived_by_hand(tmp_path: Path) -> None:
    # One room, P1. M1 holds it Mon 09:00-10:00 and, with the 15 min buffer, until 10:15.
    # NL and DE work 09:00-17:00 (one zone). M2 (1 h) costs nothing on Mon, its preferred
    # date, and 5 (a day late) on Tue. Held as solved (no published plan: no moves), its
    # three best places are Mon 10:15, 10:30, 10:45 in P1, the plan costing 0 with each.
    scenario = make_scenario(SUGGEST)
    found = suggest(scenario, "M2", count=3, time_limit=20, workers=1)
    starts = [f"{s.placement.start:%a %H:%M}" for s in found.suggestions]
    assert starts == ["Mon 10:15", "Mon 10:30", "Mon 10:45"]
    assert all(s.placement.room == "P1" for s in found.suggestions)
    assert [s.objective for s in found.suggestions] == [0, 0, 0]
    # Against a published plan, a place other than its own costs the move of its time
    # (10): the best place is where it is.
    published = load_baseline(_held(tmp_path, scenario))
    found = suggest(scenario, "M2", baseline=published, count=3)
    here = next(m.start for m in published.meetings if m.id == "M2")
    assert found.suggestions[0].placement.start == here
    assert [s.objective for s in found.suggestions] == [0, 10, 10]


def test_a_new_meeting_gets_places_and_the_top_one_pinned_costs_what_it_said(
    tmp_path: Path,
) -> None:
    # M3 is new (not in the published plan); its best place pinned, with the rest held
    # as published, gives exactly the objective the suggestion reported.
    scenario = make_scenario(SUGGEST)
    published = load_baseline(_held(tmp_path, scenario))
    m3 = "{id: M3, case: C1, duration: 2h, preferred: 2026-12-01, participants: [{country: NL}]"
    with_new = make_scenario(SUGGEST + f"  - {m3}}}\n")
    found = suggest(with_new, "M3", baseline=published, count=5)
    assert found.current is None and found.suggestions
    keys = [(s.placement.start, s.placement.room) for s in found.suggestions]
    assert len(set(keys)) == len(keys)
    top = found.suggestions[0]

    # applied: every other activity as published, M3 pinned where suggested
    def pin(start: datetime, room: str) -> str:
        return f"pinned: {{start: {start:%Y-%m-%dT%H:%M}, room: {room}}}"

    pins = "".join(
        f"  - {{id: {m.id}, case: C1, duration: 1h, {pin(m.start, m.room)}, "
        "participants: [{country: NL}, {country: DE}]}\n"
        for m in published.meetings
    )
    top_pin = pin(top.placement.start, top.placement.room)
    pinned = make_scenario(
        "rooms: [{id: P1, capacity: 20}]\nmeetings:\n" + pins + f"  - {m3}, {top_pin}}}\n"
    )
    result = solve(pinned, time_limit=20, workers=1, seed=0)
    assert result.objective == top.objective
    assert check_schedule(pinned, schedule_document(result, pinned.name, "0" * 64)) == []


def test_every_suggestion_keeps_every_rule(tmp_path: Path) -> None:
    scenario = load_scenario(WEEK)
    published = tmp_path / "week.json"
    base = solve(scenario, time_limit=20, workers=1, seed=0)
    published.write_text(dumps(schedule_document(base, scenario.name, "0" * 64)))
    found = suggest(scenario, "CM-0455-2", baseline=load_baseline(published), count=10)
    assert found.suggestions
    for suggestion in found.suggestions:
        placed = suggestion.placement
        document = json.loads(published.read_text())
        document["meetings"] = [m for m in document["meetings"] if m["id"] != placed.id] + [
            {
                "id": placed.id,
                "start": placed.start.isoformat(),
                "end": placed.end.isoformat(),
                "room": placed.room,
                "interpreters": placed.interpreters,
                "absent": placed.absent,
            }
        ]
        violations = [v for v in check_schedule(scenario, document) if v.rule != "objective"]
        assert violations == [], (placed, violations)


def test_fewer_places_than_asked_say_what_closes_each_other_date(tmp_path: Path) -> None:
    # DE is away all Tuesday: M2 has places on Monday only; Tuesday is closed by DE's
    # unavailability, and the three weekdays after M2's window are not in it.
    scenario = make_scenario(SUGGEST + "countries: [{code: DE, unavailable: [2026-12-01]}]\n")
    found = suggest(scenario, "M2", baseline=load_baseline(_held(tmp_path, scenario)), count=100)
    assert {f"{s.placement.start:%a}" for s in found.suggestions} == {"Mon"}
    assert [(f"{c.date:%a}", c.rule) for c in found.closed] == [("Tue", "unavailable")]


def test_suggest_command_as_json(tmp_path: Path) -> None:
    scenario_path = tmp_path / "week.yaml"
    scenario_path.write_text(scenario_text(SUGGEST))
    outcome = CliRunner().invoke(
        main, ["suggest", str(scenario_path), "M2", "-n", "2", "--json", "--time-limit", "20"]
    )
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    assert len(report["suggestions"]) == 2
    assert report["suggestions"][0]["room"] == "P1"
    outcome = CliRunner().invoke(main, ["suggest", str(scenario_path), "M9"])
    assert outcome.exit_code == 2


def test_placements_are_what_first_fit_would_try() -> None:
    # the enumeration behind suggest starts where first-fit places: its first placement
    scenario = make_scenario(SUGGEST)
    from planner.solver.construct import construct
    from planner.solver.model import build_context

    context = build_context(scenario)
    plan = construct(context)
    held = {a: p for a, p in plan.items() if a != "M2"}
    first = next(placements(context, held, "M2"))
    assert first == plan["M2"]
    assert (
        check_schedule(scenario, schedule_document(plan_result(context, plan), "", "0" * 64)) == []
    )
