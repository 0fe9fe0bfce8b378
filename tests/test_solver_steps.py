"""A first plan in steps (timetable, then attendance), for models with many optional
participants: every plan keeps every rule, and the search from it still finds the
optimum."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from solving import make_scenario, solve_checked
from test_solver_properties import scenarios

from planner.check import check_schedule
from planner.models import Scenario
from planner.output.schedule_json import schedule_document
from planner.solve import _result
from planner.solver import steps
from planner.solver.model import build_context, build_model
from planner.solver.plan import MeetingAssignment, evaluate
from planner.solver.run import Interrupt

# BE's desk takes one activity at a time and M1 (BE required) is pinned to Wednesday
# 10:00-11:00. M2 (BE optional) may go anywhere on that date. Step 1 leaves BE absent
# from M2 wherever M2 goes; step 2 lets BE attend unless M2 overlaps M1. The optimum
# is 0: M2 at another hour, BE attending.
BUSY_DESK = """
rooms:
  - {id: P1, capacity: 40, features: [videoconference, interpretation_booths]}
  - {id: M3, capacity: 12, features: [videoconference]}
cases: [{id: C1, crime: fraud, countries: [NL, DE, BE]}]
countries: [{code: BE, desk_capacity: 1}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: BE}],
     pinned: {start: 2026-12-02T10:00}}
  - {id: M2, case: C1, duration: 1h, earliest: 2026-12-02, latest: 2026-12-02,
     participants: [{country: DE}, {country: BE, required: false}]}
"""


def test_the_attendance_step_lets_a_free_desk_attend() -> None:
    scenario = make_scenario(BUSY_DESK)
    context = build_context(scenario)
    planning = build_model(context)
    with Interrupt(False) as interrupt:
        plan = steps.first_plan_in_steps(planning, time.monotonic() + 20, 1, 0, interrupt)
    assert plan is not None
    m1, m2 = plan["M1"], plan["M2"]
    assert isinstance(m1, MeetingAssignment) and isinstance(m2, MeetingAssignment)
    hour = 60 // context.grid.granularity  # in slots: M1 and M2 last an hour
    overlaps = abs(m1.slot - m2.slot) < hour
    be_attends = bool(m2.attending)
    assert be_attends != overlaps
    # the plan of the steps keeps every rule: the checker accepts it as it is
    terms = evaluate(context, plan)
    result = _result(context, plan, terms, 0, 0.0)
    assert check_schedule(scenario, schedule_document(result, scenario.name, "0" * 64)) == []


def test_solving_in_steps_still_reaches_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "STEPS_FROM", 0)
    scenario = make_scenario(BUSY_DESK)
    assert steps.wants_steps(build_context(scenario))
    _, result = solve_checked(scenario)
    assert result.status == "optimal" and result.objective == 0


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_checker_accepts_every_plan_found_in_steps(scenario: Scenario) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "STEPS_FROM", 0)
        _, result = solve_checked(scenario, time_limit=10)
    assert result.status in ("optimal", "feasible")
    assert result.objective == sum((result.terms or {}).values())
