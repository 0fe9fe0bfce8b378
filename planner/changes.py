"""Changes in a plan against its baseline (SPEC 2.7.1).

Every activity the baseline lists falls in exactly one group: unchanged (not listed),
``frozen`` (kept as it was at a re-plan's ``now``), ``moved`` (held in both, with a
changed host date, time of day or room), ``new`` (held now, not held in the baseline),
``dropped`` (held in the baseline, still in the scenario, left out now) or
``cancelled`` (gone from the scenario). Activities that only the new scenario has are
``new`` when held. Times are compared in host time, as the ``move`` weights count them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.models.baseline import Baseline
from planner.models.scenario import Scenario
from planner.models.schedule import Changes, Conflict, Moved, Result


def compare(
    scenario: Scenario,
    baseline: Baseline,
    result: Result,
    *,
    frozen: Sequence[str] = (),
    conflicts: Sequence[Conflict] = (),
    now: datetime | None = None,
) -> Changes:
    """Return how ``result`` differs from ``baseline`` (SPEC 2.7.1; see the module).

    Parameters
    ----------
    scenario
        The scenario planned now: an activity of the baseline it no longer has is
        ``cancelled``.
    baseline
        The published plan.
    result
        The new plan.
    frozen
        The activities kept exactly as the baseline had them (a re-plan's ``now``): they
        are listed as frozen, never as moved.
    conflicts
        The rules that frozen activities break now, as the checker finds them.
    now
        The moment of a re-plan, recorded in the changes.

    Returns
    -------
    Changes
        Every baseline activity in one group (unchanged ones not listed): frozen, moved
        (with the fields that changed, host date, time of day, room), dropped (with the
        reason it is left out), cancelled; and what is newly held.
    """
    zone = ZoneInfo(scenario.host.timezone)
    exists = scenario.meetings_by_id.keys() | scenario.action_days_by_id.keys()
    held_before = baseline.meetings_by_id.keys() | baseline.action_days_by_id.keys()
    meetings = {m.id: m for m in result.meetings}
    action_days = {a.id: a for a in result.action_days}
    held_now = meetings.keys() | action_days.keys()
    left_out = {u.id: u for u in result.unscheduled}
    moved = []
    for before in baseline.meetings:
        after = meetings.get(before.id)
        if after is None or before.id in frozen:
            continue
        start, new_start = before.start.astimezone(zone), after.start.astimezone(zone)
        fields = [
            name
            for name, changed in (
                ("date", start.date() != new_start.date()),
                ("time", start.time() != new_start.time()),
                ("room", before.room != after.room),
            )
            if changed
        ]
        if fields:
            moved.append(
                Moved(
                    before.id,
                    fields,
                    {"start": start.isoformat(), "room": before.room},
                    {"start": new_start.isoformat(), "room": after.room},
                )
            )
    for centre in baseline.action_days:
        now_held = action_days.get(centre.id)
        if now_held is None or centre.id in frozen:
            continue
        fields = [
            name
            for name, changed in (
                ("date", centre.date != now_held.date),
                ("room", centre.room != now_held.room),
            )
            if changed
        ]
        if fields:
            moved.append(
                Moved(
                    centre.id,
                    fields,
                    {"date": centre.date.isoformat(), "room": centre.room},
                    {"date": now_held.date.isoformat(), "room": now_held.room},
                )
            )
    return Changes(
        baseline_sha256=baseline.sha256,
        baseline_objective=baseline.objective,
        frozen=sorted(frozen),
        moved=sorted(moved, key=lambda m: m.id),
        new=sorted(held_now - held_before),
        dropped=[left_out[a] for a in sorted(held_before & exists & left_out.keys())],
        cancelled=sorted(set(baseline.activity_ids) - exists),
        conflicts=sorted(conflicts, key=lambda c: (c.id, c.rule)),
        now=now,
    )
