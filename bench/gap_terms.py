"""Where a plan's gap lies: its objective terms against the bound, and each activity
left out with its reason and what ``suggest`` finds for it against the plan.

A generated year is solved (2 workers, seed 1) and its terms printed; then each
activity left out gets the reason the solve gave and the best change of objective
``suggest`` finds for it with everything else held (negative: the search missed a
cheaper plan), or the rules that close its first dates. Usage::

    python bench/gap_terms.py [--variant varied] [--seed 3] [--scale 4] [--time-limit 120]
        [--left-out 10]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from planner.generate import generate_scenario
from planner.models import Scenario
from planner.models.baseline import baseline_from_data
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import solve
from planner.suggest import suggest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="varied")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--scale", type=float, default=4)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--left-out", type=int, default=10, help="how many to ask suggest for")
    options = parser.parse_args()
    data = generate_scenario(
        year=2027, seed=options.seed, variant=options.variant, scale=options.scale
    )
    scenario = Scenario.model_validate(data)
    result = solve(scenario, time_limit=options.time_limit, workers=2, seed=1)
    print(
        f"{options.variant} seed {options.seed} scale {options.scale:g}: {result.status}, "
        f"{result.score}, bound {result.score_bound}"
    )
    print(f"terms: {result.terms}")
    rules = Counter(entry.rule for entry in result.unscheduled)
    print(f"left out: {len(result.unscheduled)}, by rule {dict(rules)}")
    document = json.loads(dumps(schedule_document(result, scenario.name, "")))
    held, _ = baseline_from_data(document, "")
    assert held is not None
    weights = scenario.objective.unscheduled
    print()
    print(
        "| left out | priority | weight | rule | reason | suggest: best change, or closed dates |"
    )
    print("|---|---|---|---|---|---|")
    for entry in result.unscheduled[: options.left_out]:
        activity = scenario.meetings_by_id.get(entry.id) or scenario.action_days_by_id[entry.id]
        answer = suggest(scenario, entry.id, baseline=held, count=1)
        found = (
            f"{answer.suggestions[0].objective - answer.held_objective:+d}"
            if answer.suggestions
            else ", ".join(closed.rule for closed in answer.closed[:3])
        )
        reason = (entry.reasons or [""])[0][:80].replace("|", "/")
        print(
            f"| {entry.id} | {activity.priority} | {weights.of(activity.priority)} "
            f"| {entry.rule} | {reason} | {found} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
