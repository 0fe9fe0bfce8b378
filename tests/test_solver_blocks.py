"""Long horizons solved in blocks: plans keep every rule, and the bound stays a bound."""

from __future__ import annotations

import pytest
from solving import solve_checked

from planner.generate import generate_scenario
from planner.models import Scenario
from planner.solver import blocks as blocks_module
from planner.solver.blocks import block_of
from planner.solver.model import build_context


@pytest.fixture(scope="module")
def six_weeks() -> Scenario:
    return Scenario.model_validate(generate_scenario(year=2027, seed=3, weeks=6))


def test_blocks_give_a_checked_plan_whose_bound_holds(
    six_weeks: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Solved as one model, the six weeks are proven optimal: the true optimum.
    _, whole = solve_checked(six_weeks, time_limit=60)
    assert whole.status == "optimal"
    # In blocks (forced here by lowering the limits), the plan is checked too, and its
    # bound can be no higher than the optimum, nor its objective lower.
    monkeypatch.setattr(blocks_module, "MAX_ONE_MODEL", 10)
    monkeypatch.setattr(blocks_module, "BLOCK_DAYS", 7)
    context = build_context(six_weeks)
    assert blocks_module.in_blocks(context)
    _, blocks = solve_checked(six_weeks, time_limit=40)
    assert blocks.bound is not None and whole.objective is not None
    assert blocks.bound <= whole.objective <= (blocks.objective or 0)
    placed = len(blocks.meetings) + len(blocks.action_days)
    assert placed == len(whole.meetings) + len(whole.action_days)


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
