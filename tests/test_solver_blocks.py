"""Long horizons solved in blocks: plans keep every rule, and the bound stays a bound."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest
from solving import make_scenario, solve_checked

from planner.check import check_schedule
from planner.generate import generate_scenario
from planner.models import Scenario
from planner.output.schedule_json import schedule_document
from planner.solve import _result
from planner.solver import blocks as blocks_module
from planner.solver.blocks import _BlockSearch, block_of
from planner.solver.model import build_context
from planner.solver.parts import solve_part
from planner.solver.plan import ActionDayAssignment, evaluate, left_out_weight
from planner.solver.run import Interrupt, configured_solver


@pytest.fixture(scope="module")
def six_weeks() -> Scenario:
    return Scenario.model_validate(generate_scenario(year=2027, seed=3, weeks=6))


@pytest.mark.slow
def test_blocks_give_a_checked_plan_whose_bound_holds(
    six_weeks: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Solved as one model and in blocks (forced here by lowering the limits), both
    # plans are checked, and each bound is a true lower bound: no higher than any plan's
    # objective, whichever search ends first or proves more.
    _, whole = solve_checked(six_weeks, time_limit=60)
    monkeypatch.setattr(blocks_module, "MAX_ONE_MODEL", 10)
    monkeypatch.setattr(blocks_module, "BLOCK_DAYS", 7)
    context = build_context(six_weeks)
    assert blocks_module.in_blocks(context)
    _, blocks = solve_checked(six_weeks, time_limit=40)
    assert None not in (blocks.bound, blocks.objective, whole.bound, whole.objective)
    assert blocks.bound <= whole.objective  # type: ignore[operator]
    assert whole.bound <= blocks.objective  # type: ignore[operator]


def test_dependent_activities_share_a_block(six_weeks: Scenario) -> None:
    # 'after', 'prepared_by' and linked cases tie activities: a cost or an order never
    # crosses two blocks, which is what makes the blocks' bounds add up.
    context = build_context(six_weeks)
    blocks = block_of(context, 7)
    for meeting_id, options in context.meetings.items():
        for predecessor in options.meeting.after:
            assert blocks[predecessor.meeting] == blocks[meeting_id]
    for action_day_id, day_options in context.action_days.items():
        for predecessor in day_options.action_day.prepared_by:
            assert blocks[predecessor.meeting] == blocks[action_day_id]
    assert len(set(blocks.values())) > 1


def test_repair_moves_an_earlier_block_out_of_a_later_ones_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blocks of 7 days from Monday 4 Jan 2027: AD1 (window Thu 7 - Thu 14) is in block 0,
    # M1 (window Mon 11 - Fri 15) in block 1. AD1 costs nothing on any date; M1 costs
    # lateness for every day after its preferred Monday 11. NL's desk takes one activity
    # at a time and AD1's 12 h operation holds it through NL's working hours. So a plan with AD1 on
    # Monday 11 pushes M1 to Tuesday, although each block alone costs 0: the bound is 0.
    # The repair re-solves M1 with what is held on the dates it could move to, moves AD1
    # away and reaches the bound. M9 fits no room (45 delegates, rooms of 40 and 24): it
    # costs its unscheduled weight in every plan and belongs to no block.
    monkeypatch.setattr(blocks_module, "MAX_ONE_MODEL", 0)
    monkeypatch.setattr(blocks_module, "BLOCK_DAYS", 7)
    scenario = make_scenario(
        """
        countries: [{code: NL, desk_capacity: 1}]
        rooms:
          - {id: P1, capacity: 40, features: [videoconference]}
          - {id: CC1, capacity: 24, features: [coordination_centre, videoconference]}
        cases:
          - {id: C1, crime: drug_trafficking, countries: [NL, DE]}
          - {id: C2, crime: fraud, countries: [NL, BE]}
        meetings:
          - {id: M1, case: C2, duration: 1h, earliest: 2027-01-11, latest: 2027-01-15,
             preferred: 2027-01-11, participants: [{country: NL}, {country: BE}]}
          - {id: M9, case: C2, duration: 1h, participants: [{country: NL, delegates: 45}]}
        action_days:
          - {id: AD1, case: C1, countries: [NL, DE], duration: 12h,
             earliest: 2027-01-07, latest: 2027-01-14}
        """,
        horizon="{start: 2027-01-04, end: 2027-01-29}",
    )
    context = build_context(scenario)
    assert blocks_module.in_blocks(context) and "M9" in context.blocked
    left_out = left_out_weight(context)
    with Interrupt(False) as interrupt:
        search = _BlockSearch(
            context, time.monotonic() + 30, 1, 0, interrupt, lambda objective, bound: None
        )
        assert search.blocks == {"AD1": 0, "M1": 1}
        search.bound_pass()
        assert search.bound == left_out
        in_the_way = {"AD1": replace(search.alone["AD1"], date=date(2027, 1, 11))}
        assert isinstance(in_the_way["AD1"], ActionDayAssignment)
        solver = configured_solver(10, 1, 0)
        pushed = solve_part(context, {"M1"}, in_the_way, solver, interrupt.run, in_the_way).plan
        assert pushed is not None
        search.plan, search.objective = pushed, sum(evaluate(context, pushed).values())
        assert search.objective > left_out
        search.repair()
    assert search.objective == left_out
    assert search._block_excess() == {0: 0, 1: 0}
    assert search.plan["AD1"].date != date(2027, 1, 11)  # type: ignore[union-attr]
    result = _result(context, search.plan, evaluate(context, search.plan), left_out, 0.0)
    assert check_schedule(scenario, schedule_document(result, scenario.name, "0" * 64)) == []
