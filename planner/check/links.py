"""Linked investigations, read by the checker itself (SPEC 2.4, docs/rules.md "Links"):
the hard ``same_day`` rule of linked action days, and the days apart that
``link_spread`` charges, over the checker's own clusters (:mod:`planner.check.clusters`).

It mirrors ``planner/solver/constraints/links.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from planner.check.plan import HeldActionDay, Plan
from planner.check.time import window
from planner.models.violations import Violation

DAY_MINUTES = 24 * 60


def linked_action_day_pairs(plan: Plan) -> Iterator[tuple[HeldActionDay, HeldActionDay]]:
    """Yield the pairs of held action days of different cases in one cluster whose
    windows (clipped to the horizon) overlap: the pairs ``same_day`` binds."""
    scenario, cluster = plan.scenario, plan.cluster_of_case
    held = sorted(plan.action_days.values(), key=lambda c: c.action_day.id)
    for first, second in combinations(held, 2):
        one, other = first.action_day, second.action_day
        first_from, first_to = window(scenario, one)
        second_from, second_to = window(scenario, other)
        if (
            one.case != other.case
            and one.case in cluster
            and cluster.get(other.case) == cluster[one.case]
            and first_from <= second_to
            and second_from <= first_to
        ):
            yield first, second


def linked_action_days(plan: Plan) -> Iterator[Violation]:
    """Hard: under links.action_days same_day, linked action days with overlapping windows
    share a date.

    Yields
    ------
    Violation
        ``link_same_day`` for the second action day of a pair on another date (SPEC 2.4).
    """
    if plan.scenario.links.action_days != "same_day":
        return
    for first, second in linked_action_day_pairs(plan):
        if first.day != second.day:
            detail = f"{second.day} is not the date {first.day} of linked {first.action_day.id}"
            yield Violation("link_same_day", second.action_day.id, detail)


def link_spread_days(plan: Plan) -> int:
    """Return the days apart beyond what SPEC 2.4 allows, over linked activities.

    Soft: under ``links.action_days: soft``, every day between linked action days of
    the pairs ``same_day`` would bind; for two held meetings of different cases of one
    cluster that share a participating country, the host calendar days between them
    beyond the whole days of ``links.meetings_within``.
    """
    scenario, cluster = plan.scenario, plan.cluster_of_case
    days = 0
    if scenario.links.action_days == "soft":
        for one_day, other_day in linked_action_day_pairs(plan):
            days += abs((one_day.day - other_day.day).days)
    within = scenario.links.meetings_within // DAY_MINUTES
    linked = sorted(
        (h for h in plan.meetings.values() if h.meeting.case in cluster), key=lambda h: h.meeting.id
    )
    for first, second in combinations(linked, 2):
        one, other = first.meeting, second.meeting
        if (
            one.case != other.case
            and cluster[one.case] == cluster[other.case]
            and {p.country for p in one.participants} & {p.country for p in other.participants}
        ):
            days += max(0, abs((first.host_date - second.host_date).days) - within)
    return days
