"""The checker's verdict on a plan (README "planner check"): the violations found, with
those of frozen activities that the plan itself lists as conflicts set apart as
accepted (SPEC 2.7.1).

:func:`verify` is what ``planner check`` runs: the plan alone, or against the baseline
it was made from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.check.baseline import check_against_baseline
from planner.check.schedule import check_schedule
from planner.models.scenario import Scenario
from planner.models.violations import Verdict, Violation


def verify(
    scenario: Scenario,
    schedule: Mapping[str, Any],
    scenario_bytes: bytes | None = None,
    *,
    baseline: Mapping[str, Any] | None = None,
    baseline_bytes: bytes = b"",
) -> Verdict:
    """Check a plan against every hard rule and its objective, and against its baseline.

    Parameters
    ----------
    scenario
        The validated scenario the plan claims to plan.
    schedule
        The parsed plan (``planner.schedule/1``); malformed parts are reported.
    scenario_bytes
        The scenario file's bytes; when given, the plan's ``scenario.sha256`` must match.
    baseline
        The parsed plan it was made from, if any: then its ``changes`` and ``moves``
        term are checked too (:func:`~planner.check.baseline.check_against_baseline`),
        and the conflicts of frozen activities that it lists are accepted.
    baseline_bytes
        The baseline file's bytes (its sha256 is stated under ``changes.baseline``).

    Returns
    -------
    Verdict
        The violations that stand and the accepted conflicts; valid when none stands.
    """
    violations = check_schedule(scenario, schedule, scenario_bytes)
    if baseline is None:
        return Verdict(violations, [])
    violations += check_against_baseline(scenario, schedule, baseline, baseline_bytes)
    standing, accepted = accepted_conflicts(schedule, violations)
    return Verdict(standing, accepted)


def accepted_conflicts(
    schedule: Mapping[str, Any], violations: list[Violation]
) -> tuple[list[Violation], list[Violation]]:
    """Split violations into those that stand and those of frozen activities that the
    plan itself lists under ``changes.conflicts`` with the same rule (kept knowingly,
    SPEC 2.7.1)."""
    changes = schedule.get("changes")
    if not isinstance(changes, Mapping):
        return violations, []
    frozen = set(changes.get("frozen") or [])
    listed = {
        (entry.get("id"), entry.get("rule"))
        for entry in changes.get("conflicts") or []
        if isinstance(entry, Mapping)
    }
    standing: list[Violation] = []
    accepted: list[Violation] = []
    for violation in violations:
        known = violation.activity in frozen and (violation.activity, violation.rule) in listed
        (accepted if known else standing).append(violation)
    return standing, accepted
