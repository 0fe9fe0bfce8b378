"""A sweep summed up (SPEC 2.7.6): the distribution of moves per kind of disruption, and
the activities that disruptions move or drop most often, with what forces them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from planner.models.stress import MANY_MOVES, Forcing, Fragile, KindSummary, Outcome

FRAGILE_SHOWN = 20
"""The fragile activities a report lists."""


def summarise_kinds(outcomes: Sequence[Outcome], kinds: Sequence[str]) -> tuple[KindSummary, ...]:
    """Return, per kind in ``kinds`` order, how its re-plans moved, dropped or found no
    plan (a re-plan that dropped something also counts in its moved group)."""
    summaries = []
    for kind in kinds:
        of_kind = [o for o in outcomes if o.disruption.kind == kind]
        planned = [o for o in of_kind if o.has_plan]
        summaries.append(
            KindSummary(
                kind=kind,
                disruptions=len(of_kind),
                moved_none=sum(not o.moved for o in planned),
                moved_1_to_3=sum(0 < len(o.moved) < MANY_MOVES for o in planned),
                moved_4_or_more=sum(len(o.moved) >= MANY_MOVES for o in planned),
                dropped=sum(bool(o.dropped) for o in planned),
                no_plan=len(of_kind) - len(planned),
                absorbed=sum(o.absorbed for o in of_kind),
            )
        )
    return tuple(summaries)


def fragile_activities(
    outcomes: Sequence[Outcome], shown: int = FRAGILE_SHOWN
) -> tuple[Fragile, ...]:
    """Return the published activities moved or dropped most often.

    Parameters
    ----------
    outcomes
        The finished disruptions.
    shown
        How many activities to return.

    Returns
    -------
    tuple of Fragile
        The ``shown`` first by times moved and dropped together, then by times dropped,
        then by id; each with the resources of the disruptions that moved or dropped it
        (:attr:`~planner.models.stress.Disruption.resource`), most often first. The
        resource is the disruption's: an activity moved because another one took its
        place is listed with the resource whose loss started the chain.
    """
    moved: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    forcing: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        resource = outcome.disruption.resource
        for entry in outcome.moved:
            moved[entry.id] += 1
            forcing.setdefault(entry.id, Counter())[resource] += 1
        for left_out in outcome.dropped:
            dropped[left_out.id] += 1
            forcing.setdefault(left_out.id, Counter())[resource] += 1
    ranked = sorted(forcing, key=lambda a: (-(moved[a] + dropped[a]), -dropped[a], a))
    return tuple(
        Fragile(
            id=activity,
            moved=moved[activity],
            dropped=dropped[activity],
            forced_by=tuple(
                Forcing(resource, times)
                for resource, times in sorted(
                    forcing[activity].items(), key=lambda f: (-f[1], f[0])
                )
            ),
        )
        for activity in ranked[:shown]
    )
