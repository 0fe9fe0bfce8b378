"""Helpers for solver tests: build a tiny scenario, solve it for real, check the plan.

Every solve made through :func:`solve_checked` ends with the independent checker
finding no violation, and with its two levels and bounds consistent (SPEC 2.3).
"""

from __future__ import annotations

from textwrap import dedent

from planner.check import check_schedule
from planner.loading import parse_scenario
from planner.models import Scenario
from planner.models.schedule import MeetingPlacement, Result
from planner.models.score import Score
from planner.output.schedule_json import schedule_document
from planner.solve import solve

WEEK = "{start: 2026-11-30, end: 2026-12-04}"
"""Monday 30 Nov to Friday 4 Dec 2026. Amsterdam is UTC+1, New York UTC-5, Tbilisi
UTC+4, Bogota UTC-5, Santiago UTC-3 (southern summer). Tuesday 1 Dec is a public
holiday in Portugal (Restoration of Independence) and Romania (National Day)."""


def scenario_text(body: str, horizon: str = WEEK) -> str:
    """A scenario file: the header, a default case ``C1`` unless ``cases:`` is given."""
    body = dedent(body).strip("\n")
    header = f"schema: planner.scenario/1\nname: test\nhorizon: {horizon}\n"
    if "\ncases:" not in "\n" + body:
        header += "cases: [{id: C1, crime: fraud, countries: [NL, DE]}]\n"
    return header + body + "\n"


def make_scenario(body: str, horizon: str = WEEK) -> Scenario:
    return parse_scenario(scenario_text(body, horizon))


def solve_checked(
    body: str | Scenario, horizon: str = WEEK, time_limit: float = 20.0
) -> tuple[Scenario, Result]:
    """Solve with one worker and seed 0, and assert the checker accepts the plan."""
    scenario = body if isinstance(body, Scenario) else make_scenario(body, horizon)
    result = solve(scenario, time_limit=time_limit, workers=1, seed=0)
    document = schedule_document(result, scenario.name, "0" * 64)
    violations = check_schedule(scenario, document)
    assert violations == [], violations
    assert_levels_consistent(result)
    return scenario, result


def assert_levels_consistent(result: Result) -> None:
    """The score is the terms on two levels, the bound holds for it on each level, the
    sums are ``objective`` and ``bound``, and ``optimal`` means both levels proven."""
    if not result.has_plan:
        return
    score, bound = result.score, result.score_bound
    assert score is not None and bound is not None and result.terms is not None
    assert score == Score.of(result.terms)
    assert (result.objective, result.bound) == (score.total, bound.total)
    assert bound.placement <= score.placement
    if bound.placement == score.placement:
        assert bound.preference <= score.preference
    assert (result.status == "optimal") == (score == bound)


def placed(result: Result, meeting_id: str) -> MeetingPlacement:
    return next(m for m in result.meetings if m.id == meeting_id)


def reason_of(result: Result, activity_id: str) -> tuple[str, str]:
    """The rule and the joined reasons of an unscheduled activity."""
    entry = next(u for u in result.unscheduled if u.id == activity_id)
    assert entry.reasons, "an unscheduled activity always has a reason"
    return entry.rule, " ".join(entry.reasons)


def hm(moment: object) -> str:
    """``15:00`` of a datetime."""
    return f"{moment:%H:%M}"
