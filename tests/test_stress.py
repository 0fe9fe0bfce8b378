"""``planner stress`` (SPEC 2.7.6): disruptions drawn from a seed as change files, each
re-planned as ``planner replan`` does and checked by the independent checker, on a local
process pool; the same seed gives the same results whatever the number of processes; a
change file replays to the same result; an interrupted sweep writes a partial report.

The week's re-plans end by proof, so results must agree plan for plan (``stressing``).
The Ray backend's tests are in ``test_stress_ray.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stressing import (
    NOW,
    NOW_TEXT,
    ROOT,
    WEEK,
    Published,
    SerialBackend,
    per_disruption,
    publish_week,
)

import planner.stress.replanning
from planner.change import apply_change, parse_change
from planner.cli import main
from planner.models.problems import InputError
from planner.models.stress import KINDS
from planner.output.stress_html import stress_page
from planner.output.stress_json import read_stress_report, stress_json
from planner.stress import PoolBackend, disruption_seed, draw_disruptions, stress
from planner.stress.draws import change_text


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_week(tmp_path_factory.mktemp("published"))


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# ---- draws -------------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_disruptions_each_a_valid_change(week: Published) -> None:
    twelve = draw_disruptions(week.scenario, week.baseline, NOW, count=12, seed=5)
    again = draw_disruptions(week.scenario, week.baseline, NOW, count=12, seed=5)
    assert twelve == again
    # disruption i depends on the seed and i only: a shorter sweep draws a prefix
    assert draw_disruptions(week.scenario, week.baseline, NOW, count=5, seed=5) == twelve[:5]
    other = draw_disruptions(week.scenario, week.baseline, NOW, count=12, seed=6)
    assert [d.change for d in other] != [d.change for d in twelve]
    # kinds take turns: 12 draws of 6 kinds are each kind twice, in order
    assert [d.kind for d in twelve] == [*KINDS, *KINDS]
    assert [d.seed for d in twelve] == [disruption_seed(5, i) for i in range(12)]
    assert len({d.seed for d in twelve}) == 12
    held = {m.id for m in week.baseline.meetings} | {a.id for a in week.baseline.action_days}
    for disruption in twelve:
        assert disruption.target in held
        changed = apply_change(
            week.scenario, parse_change(change_text(disruption), disruption.name)
        )
        assert changed != week.scenario, disruption.what


def test_each_kind_changes_what_it_says(week: Published) -> None:
    scenario = week.scenario
    for disruption in draw_disruptions(scenario, week.baseline, NOW, count=30, seed=2):
        changed = apply_change(scenario, parse_change(change_text(disruption), "d"))
        kind, resource = disruption.kind, disruption.resource.split()[-1]
        if kind == "room":
            before = {str(u) for u in scenario.rooms_by_id[resource].unavailable}
            after = {str(u) for u in changed.rooms_by_id[resource].unavailable}
            # a day is added, what the room already had is kept (P2's booth maintenance)
            assert before < after and len(after) == len(before) + 1
        elif kind == "desk":
            party_before, party_after = scenario.parties[resource], changed.parties[resource]
            assert len(party_after.unavailable) == len(party_before.unavailable) + 1
        elif kind == "interpreter":
            before_count = len(scenario.interpreters_by_id[resource].unavailable)
            assert len(changed.interpreters_by_id[resource].unavailable) == before_count + 1
        elif kind == "longer":
            meeting = disruption.target
            duration = scenario.meetings_by_id[meeting].duration
            assert changed.meetings_by_id[meeting].duration == duration + 60
        elif kind == "cancel":
            gone = disruption.target
            assert gone not in changed.meetings_by_id
            assert len(changed.meetings) == len(scenario.meetings) - 1
        else:
            (added,) = disruption.added
            new = changed.meetings_by_id[added]
            template = scenario.meetings_by_id[disruption.target]
            assert (new.case, new.duration, new.priority) == (
                template.case,
                template.duration,
                "high",
            )
            assert new.participants == template.participants


def test_a_cancelled_meeting_takes_the_references_to_it_along(week: Published) -> None:
    # CM-0412-1 comes before CM-0412-2 (after), which prepares AD-0412 (prepared_by):
    # among the week's 18 meetings, 40 cancels by seed 1 include one of the two.
    cancels = draw_disruptions(
        week.scenario, week.baseline, NOW, count=40, seed=1, kinds=["cancel"]
    )
    referenced = {"CM-0412-1", "CM-0412-2"} & {d.target for d in cancels}
    assert referenced
    for disruption in cancels:
        changed = apply_change(week.scenario, parse_change(change_text(disruption), "d"))
        for meeting in changed.meetings:
            assert all(p.meeting != disruption.target for p in meeting.after)
        for action_day in changed.action_days:
            assert all(p.meeting != disruption.target for p in action_day.prepared_by)


def test_kinds_that_cannot_be_drawn_are_refused(week: Published) -> None:
    with pytest.raises(InputError) as caught:
        draw_disruptions(week.scenario, week.baseline, NOW, count=3, seed=0, kinds=["flood"])
    assert "unknown kind 'flood'" in str(caught.value)
    after_the_week = NOW.replace(month=12, day=7)
    with pytest.raises(InputError) as caught:
        draw_disruptions(week.scenario, week.baseline, after_the_week, count=3, seed=0)
    assert [p.path for p in caught.value.problems] == [f"kinds[{i}]" for i in range(6)]
    assert "starting at 2026-12-07" in str(caught.value)


# ---- the backend seam --------------------------------------------------------------------


def _wait_then_square(delays: list[float], index: int) -> int:
    """A task that ends after its delay: later tasks end first."""
    time.sleep(delays[index])
    return index * index


def test_the_pool_returns_results_in_the_order_of_the_tasks() -> None:
    # Task 0 sleeps longest, task 3 not at all: they finish 3, 2, 1, 0 on 4 processes,
    # and the results must still be [0, 1, 4, 9].
    done: list[int] = []
    results = PoolBackend(4).map(
        _wait_then_square, [1.2, 0.8, 0.4, 0.0], [0, 1, 2, 3], on_done=done.append
    )
    assert results == [0, 1, 4, 9]
    assert done == [1, 2, 3, 4]


def test_a_stopped_pool_keeps_what_finished_and_ends_the_rest() -> None:
    started = time.monotonic()
    done: list[int] = []
    results = PoolBackend(2).map(
        _wait_then_square,
        [0.0, 30.0, 30.0, 30.0],
        [0, 1, 2, 3],
        on_done=done.append,
        stop=lambda: bool(done),
    )
    assert results == [0, None, None, None]
    # the 30 s task running was ended, not waited for
    assert time.monotonic() - started < 20


# ---- sweeps --------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_results_with_one_and_two_jobs(week: Published) -> None:
    def run(jobs: int) -> Any:
        return stress(
            week.scenario,
            week.baseline,
            week.text,
            now=NOW,
            count=6,
            seed=3,
            backend=PoolBackend(jobs),
        )

    one, two = run(1), run(2)
    assert per_disruption(one) == per_disruption(two)
    assert (one.by_kind, one.fragile) == (two.by_kind, two.fragile)
    assert one.complete and len(one.outcomes) == 6
    # every re-plan found a plan, proven optimal, and the checker accepts every one
    assert {o.status for o in one.outcomes} == {"optimal"}
    assert {o.check for o in one.outcomes} == {"ok"}
    assert all(o.plan_sha256 for o in one.outcomes)
    # seed 3 closes room P2 on Monday first: nine activities move (the checker agrees)
    assert one.outcomes[0].disruption.what.startswith("room P2 closed on 2026-11-30")
    assert len(one.outcomes[0].moved) == 9
    assert one.by_kind[0].moved_4_or_more == 1


def test_summaries_add_up(week: Published) -> None:
    report = stress(
        week.scenario, week.baseline, week.text, now=NOW, count=12, seed=4, backend=SerialBackend()
    )
    for summary in report.by_kind:
        of_kind = [o for o in report.outcomes if o.disruption.kind == summary.kind]
        assert summary.disruptions == len(of_kind) == 2
        moved = summary.moved_none + summary.moved_1_to_3 + summary.moved_4_or_more
        assert moved + summary.no_plan == summary.disruptions
        assert summary.absorbed <= summary.moved_none
    absorbed = [o for o in report.outcomes if not o.moved and not o.dropped and o.has_plan]
    assert report.absorbed_share == len(absorbed) / 12
    # a cancelled meeting frees its place: nothing needs to move (proven optimal plan)
    assert next(k for k in report.by_kind if k.kind == "cancel").absorbed == 2
    times = {}
    for outcome in report.outcomes:
        for entry in outcome.moved:
            times[entry.id] = times.get(entry.id, 0) + 1
    top = report.fragile[0]
    assert top.moved == max(times.values())
    assert sum(f.times for f in top.forced_by) == top.moved + top.dropped


def test_every_replan_is_checked(week: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    # A re-plan that quietly books a room that does not exist must be caught by the
    # checker: the outcome says "violations" and the report is not checked_ok.
    real = planner.stress.replanning.replan

    def broken(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        first = replace(result.meetings[0], room="NOWHERE")
        return replace(result, meetings=[first, *result.meetings[1:]])

    monkeypatch.setattr(planner.stress.replanning, "replan", broken)
    report = stress(
        week.scenario, week.baseline, week.text, now=NOW, count=2, seed=0, backend=SerialBackend()
    )
    assert [o.check for o in report.outcomes] == ["violations", "violations"]
    assert any("NOWHERE" in v.detail for v in report.outcomes[0].violations)
    assert not report.checked_ok


def test_a_replan_that_fails_is_an_outcome_not_a_crash(
    week: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver fell over")

    monkeypatch.setattr(planner.stress.replanning, "replan", failing)
    report = stress(
        week.scenario, week.baseline, week.text, now=NOW, count=2, seed=0, backend=SerialBackend()
    )
    assert [(o.status, o.exit_code, o.check) for o in report.outcomes] == [
        ("error", 1, "no plan")
    ] * 2
    assert "solver fell over" in report.outcomes[0].detail


# ---- reports -------------------------------------------------------------------------------


def test_the_json_report_reads_back_as_it_was(week: Published, tmp_path: Path) -> None:
    report = stress(
        week.scenario, week.baseline, week.text, now=NOW, count=6, seed=1, backend=SerialBackend()
    )
    path = tmp_path / "report.json"
    path.write_text(stress_json(report))
    assert read_stress_report(path) == report
    document = json.loads(path.read_text())
    assert (document["schema"], document["finished"], document["complete"]) == (
        "planner.stress/1",
        6,
        True,
    )
    path.write_text(json.dumps({**document, "schema": "planner.schedule/1"}))
    with pytest.raises(InputError) as caught:
        read_stress_report(path)
    assert caught.value.problems[0].path == "schema"
    del document["outcomes"][0]["disruption"]["seed"]
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as caught:
        read_stress_report(path)
    assert caught.value.problems[0].path == "outcomes[0].disruption.seed"


def test_the_html_report_is_self_contained_and_links_fragile_activities(
    week: Published,
) -> None:
    report = stress(
        week.scenario, week.baseline, week.text, now=NOW, count=6, seed=3, backend=SerialBackend()
    )
    page = stress_page(report, week.scenario, week.baseline)
    assert "http://" not in page and "https://" not in page and " src=" not in page
    assert page.count("<svg") == len(KINDS)
    assert report.fragile
    days = {m.id: m.start.date() for m in week.baseline.meetings}  # host time: +01:00
    days.update({a.id: a.date for a in week.baseline.action_days})
    for entry in report.fragile:
        day = days[entry.id]
        assert f'<a href="#day-{day.isoformat()}">{entry.id}</a>' in page
        assert f'id="day-{day.isoformat()}"' in page
        assert f'data-activity="{entry.id}"' in page  # its box in the timeline
    assert "Partial report" not in page
    partial = replace(report, complete=False, interrupted="SIGINT", outcomes=report.outcomes[:2])
    assert "Partial report: the sweep was interrupted (SIGINT); 2 of 6" in stress_page(
        partial, week.scenario, week.baseline
    )


# ---- the command -------------------------------------------------------------------------


def test_the_command_writes_reports_and_change_files_that_replay(
    week: Published, tmp_path: Path
) -> None:
    changes = tmp_path / "changes"
    changes.mkdir()
    report_path = tmp_path / "report.json"
    code, output = _cli(
        "stress",
        str(WEEK),
        "--plan",
        str(week.path),
        "-n",
        "3",
        "--seed",
        "3",
        "--now",
        NOW_TEXT,
        "--jobs",
        "2",
        "--changes",
        str(changes),
        "-o",
        str(report_path),
        "-o",
        str(tmp_path / "report.html"),
    )
    assert code == 0, output
    assert "3 disruptions re-planned" in output
    report = read_stress_report(report_path)
    assert sorted(p.name for p in changes.iterdir()) == [
        "d001-room.yaml",
        "d002-desk.yaml",
        "d003-interpreter.yaml",
    ]
    # Replay the room closure (9 moved) as a coordinator would: what-if against the
    # published plan with the disruption's seed gives the same moves and drops...
    first = report.outcomes[0]
    seed = str(first.disruption.seed)
    variants = tmp_path / "variants"
    variants.mkdir()
    code, output = _cli(
        "whatif",
        str(WEEK),
        "--change",
        str(changes / "d001-room.yaml"),
        "--baseline",
        str(week.path),
        "--seed",
        seed,
        "-o",
        str(variants),
        "--json",
    )
    assert code == 0, output
    against = json.loads(output)["plans"][1]["against_base"]
    assert sorted(m["id"] for m in against["moved"]) == [m.id for m in first.moved]
    assert len(first.moved) == 9 and against["dropped"] == []
    # ... and so does planner replan of the changed scenario whatif wrote, with the
    # same exit code (a process of its own: the command's time limit counts from its start)
    replayed = subprocess.run(
        [
            sys.executable, "-m", "planner", "replan", str(variants / "d001-room.yaml"),
            "--baseline", str(week.path), "--now", NOW_TEXT, "--seed", seed, "--workers", "1",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    code, output = replayed.returncode, replayed.stdout
    assert code == first.exit_code == 0
    replanned = json.loads(output)
    assert [m["id"] for m in replanned["changes"]["moved"]] == [m.id for m in first.moved]
    assert replanned["score"] == {
        "placement": first.score.placement,  # type: ignore[union-attr]
        "preference": first.score.preference,  # type: ignore[union-attr]
    }


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--kinds", "room,flood"], "kinds[1]"),
        (["--now", "2026-12-07T00:00"], "nothing to draw 'room' from"),
        (["--ray", "auto", "--jobs", "2"], "--jobs sizes the local pool"),
        (["-o", "report.pdf"], "supported formats are .json, .html"),
    ],
)
def test_invalid_input_is_exit_2_with_a_located_message(
    week: Published, extra: list[str], message: str
) -> None:
    code, output = _cli("stress", str(WEEK), "--plan", str(week.path), "-n", "2", *extra)
    assert code == 2
    assert message in output


def test_ray_without_ray_is_exit_2_with_the_install_line(
    week: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    code, output = _cli(
        "stress", str(WEEK), "--plan", str(week.path), "-n", "2", "--now", NOW_TEXT,
        "--ray", "local", "--json",
    )  # fmt: skip
    assert code == 2
    assert 'pip install \\"planner[ray]\\"' in output  # JSON-escaped quotes
    assert json.loads(output)["error"].startswith("--ray needs Ray, which is not installed")


@pytest.mark.slow
def test_an_interrupted_sweep_writes_a_partial_report(week: Published, tmp_path: Path) -> None:
    # 40 re-plans of about a second each on one process; SIGINT once the first is done.
    report_path = tmp_path / "partial.json"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "planner", "stress", str(WEEK), "--plan", str(week.path),
            "-n", "40", "--now", NOW_TEXT, "--jobs", "1", "-o", str(report_path),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("stress: 1/40 done"):
            break
    os.kill(process.pid, signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, "".join(seen) + errors
    assert "interrupted: a partial report of" in errors
    report = read_stress_report(report_path)
    assert not report.complete and report.interrupted == "SIGINT"
    assert report.requested == 40
    finished = len(report.outcomes)
    assert 1 <= finished < 40
    # one process re-plans in order: what finished is the first disruptions
    assert [o.disruption.index for o in report.outcomes] == list(range(finished))
    assert sum(k.disruptions for k in report.by_kind) == finished
