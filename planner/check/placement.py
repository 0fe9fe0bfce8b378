"""Placement first (SPEC 2.3 v1.2): no activity is left out that fits as the plan stands.

For each activity listed as unscheduled whose priority weighs (a positive
``unscheduled`` weight), the checker looks for a place of its own: each start on the
slot grid of each date of its window within the host's hours (an action day: each
date), each room, and an interpreter team per language its required participants
need, every optional participant absent (an absent participant needs nothing). A place
fits when adding the activity there breaks no hard rule that held without it; the
rules are the checker's own rule families (:mod:`planner.check.schedule`), applied to
the activities around the place (those within the room buffer of the host hours of its
date, or of a centre's span: every activity that can share a desk, a room, an
interpreter or the staff with it, an interpreter's day included; its predecessors and
followers; linked action days), so that the verdict is read exactly as every other
rule of the plan is. One that fits is a ``placement`` violation: holding it
would lower the plan's placement, whatever it costs in preference. A re-plan
(``changes.now``) could place nothing before its moment: only places that start (a
centre: open) at ``now`` or later are tried, as ``replan`` reads it (SPEC 2.7).

A place is tried in stages, each with the rules it can break: the meeting's own time
(host hours, the window, its participants), then what it shares (desks, order), then
each room, then each interpreter on their own, then the whole place with a team.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import combinations

from planner.check.action_days import action_day_dates, centre_staff, centres
from planner.check.attendance import participant_availability
from planner.check.clock import DAY, clock
from planner.check.desks import desks
from planner.check.interpreters import (
    interpreter_availability,
    interpreter_teams,
    team_size,
)
from planner.check.links import linked_action_days
from planner.check.order import order
from planner.check.plan import HeldActionDay, HeldMeeting, Plan, centre_span
from planner.check.rooms import meeting_rooms, room_buffers, room_unavailability
from planner.check.time import meeting_time, window
from planner.models.scenario import ActionDay, Meeting
from planner.models.violations import Violation

Rule = Callable[[Plan], Iterable[Violation]]

OWN_RULES: tuple[Rule, ...] = (meeting_time, participant_availability)
"""The rules a meeting keeps or breaks by itself, whatever else the plan holds."""
TIME_RULES: tuple[Rule, ...] = (desks, order)
ROOM_RULES: tuple[Rule, ...] = (meeting_rooms, room_unavailability, room_buffers)
INTERPRETER_RULES: tuple[Rule, ...] = (interpreter_availability,)
MEETING_RULES: tuple[Rule, ...] = (
    *OWN_RULES,
    *TIME_RULES,
    *ROOM_RULES,
    interpreter_teams,
    *INTERPRETER_RULES,
)
CENTRE_RULES: tuple[Rule, ...] = (
    action_day_dates,
    centres,
    centre_staff,
    desks,
    room_unavailability,
    room_buffers,
    order,
    linked_action_days,
)


def left_out_that_fits(plan: Plan, now: datetime | None = None) -> Iterator[Violation]:
    """SPEC 2.3: an activity left out whose priority weighs, and that fits as the plan
    stands, breaks placement first. (A pinned or critical one left out is a ``pin`` or
    ``critical`` violation already.)

    Parameters
    ----------
    plan
        The plan as read.
    now
        The moment a re-plan froze at (``changes.now``): a place that starts before it
        had passed when the plan was made, and is not tried.

    Yields
    ------
    Violation
        ``placement`` for each such activity, naming one place where it fits.
    """
    scenario = plan.scenario
    weights = scenario.objective.unscheduled
    for identifier in sorted(plan.unscheduled):
        meeting = scenario.meetings_by_id.get(identifier)
        action_day = scenario.action_days_by_id.get(identifier)
        activity = meeting or action_day
        if (
            activity is None
            or activity.priority == "critical"
            or not getattr(weights, activity.priority)
        ):
            continue
        if meeting is not None and meeting.pinned is not None:
            continue
        where = (
            _meeting_place(plan, meeting, now) if meeting else _centre_place(plan, action_day, now)
        )
        if where is not None:
            detail = f"fits at {where} as the plan stands, but is left out"
            yield Violation("placement", identifier, detail)


# ---- trying a place --------------------------------------------------------------------


class _Around:
    """The plan's activities that places in ``[first, last]`` may meet: those within the
    room buffer of it, and the ``related`` ones wherever they are; and what each group
    of rules finds among them before anything is added."""

    def __init__(self, plan: Plan, first: datetime, last: datetime, related: set[str]) -> None:
        buffer = timedelta(minutes=plan.scenario.defaults.room_buffer)
        low, high = first - buffer, last + buffer
        meetings = {
            i: h
            for i, h in plan.meetings.items()
            if i in related or (h.start < high and low < h.end)
        }
        centres_held = {
            i: c
            for i, c in plan.action_days.items()
            if i in related or (c.open < high and low < c.close)
        }
        # what the order rule asks of them: whether their predecessors are held
        predecessors = {p.meeting for h in meetings.values() for p in h.meeting.after}
        predecessors |= {p.meeting for c in centres_held.values() for p in c.action_day.prepared_by}
        listed = plan.listed_held & (meetings.keys() | centres_held.keys() | predecessors)
        self.plan = _derived(plan, meetings=meetings, action_days=centres_held, listed_held=listed)
        self._before: dict[tuple[Rule, ...], set[Violation]] = {}

    def breaks(self, added: HeldMeeting | HeldActionDay, rules: tuple[Rule, ...]) -> bool:
        """Whether adding ``added`` breaks one of ``rules`` that held without it: a
        violation that was not there before."""
        if rules not in self._before:
            self._before[rules] = {v for rule in rules for v in rule(self.plan)}
        before = self._before[rules]
        with_it = _with(self.plan, added)
        return any(v not in before for rule in rules for v in rule(with_it))


def _with(plan: Plan, added: HeldMeeting | HeldActionDay) -> Plan:
    """A copy of ``plan`` that holds ``added`` too."""
    if isinstance(added, HeldMeeting):
        identifier = added.meeting.id
        with_it = _derived(plan, meetings={**plan.meetings, identifier: added})
    else:
        identifier = added.action_day.id
        with_it = _derived(plan, action_days={**plan.action_days, identifier: added})
    with_it.listed_held.add(identifier)
    return with_it


def _derived(plan: Plan, **changes: object) -> Plan:
    """A copy of ``plan`` with ``changes``, sharing what depends on the scenario alone (its
    zone and clusters: computed once, not for every place tried)."""
    changes.setdefault("listed_held", set(plan.listed_held))
    copy = replace(plan, **changes)  # type: ignore[arg-type]
    for cached in ("host_zone", "cluster_of_case"):
        copy.__dict__[cached] = getattr(plan, cached)
    return copy


def _related(plan: Plan, activity: Meeting | ActionDay) -> set[str]:
    """The activities an activity's rules reach wherever they are: its predecessors,
    its followers and (an action day) the action days of its cluster."""
    scenario = plan.scenario
    predecessors = activity.after if isinstance(activity, Meeting) else activity.prepared_by
    related = {p.meeting for p in predecessors}
    related |= {m.id for m in scenario.meetings if any(p.meeting == activity.id for p in m.after)}
    related |= {
        a.id for a in scenario.action_days if any(p.meeting == activity.id for p in a.prepared_by)
    }
    cluster = plan.cluster_of_case.get(activity.case)
    if isinstance(activity, ActionDay) and cluster is not None:
        related |= {
            a.id for a in scenario.action_days if plan.cluster_of_case.get(a.case) == cluster
        }
    return related


# ---- meetings ----------------------------------------------------------------------------


def _meeting_place(plan: Plan, meeting: Meeting, now: datetime | None) -> str | None:
    """A place where a left-out meeting fits as the plan stands, starting at ``now`` or
    later (when given), as text, or ``None``."""
    scenario = plan.scenario
    related = _related(plan, meeting)
    absent = frozenset(p.country for p in meeting.participants if not p.required)
    duration = timedelta(minutes=meeting.duration)
    for day in _dates(plan, meeting):
        opens = clock(day, scenario.host.hours.start, plan.host_zone)
        closes = clock(day, scenario.host.hours.end, plan.host_zone)
        around = _Around(plan, opens, closes, related)
        alone = _derived(plan, meetings={}, action_days={})
        first = opens if now is None else max(opens, now)
        for start in _slots(plan, first, closes - duration):
            bare = HeldMeeting(meeting, start, start + duration, day, None, {}, absent)
            if any(True for rule in OWN_RULES for _ in rule(_with(alone, bare))):
                continue
            if around.breaks(bare, TIME_RULES):
                continue
            for room in scenario.rooms:
                held = replace(bare, room=room)
                if around.breaks(held, ROOM_RULES):
                    continue
                team = _team(around, held)
                if team is not None and not around.breaks(
                    replace(held, interpreters=team), MEETING_RULES
                ):
                    return f"{start.astimezone(plan.host_zone):%Y-%m-%d %H:%M} in {room.id}"
    return None


def _dates(plan: Plan, activity: Meeting | ActionDay) -> Iterator[date]:
    """The host dates of an activity's window (clipped to the horizon)."""
    first, last = window(plan.scenario, activity)
    day = first
    while day <= last:
        yield day
        day += DAY


def _slots(plan: Plan, first: datetime, last: datetime) -> Iterator[datetime]:
    """The slot starts from ``first`` to ``last`` (slots count from 00:00 host time on the
    horizon's first date, SPEC 2.1)."""
    origin = clock(plan.scenario.horizon.start, 0, plan.host_zone)
    slot = timedelta(minutes=plan.scenario.granularity)
    start = origin + -((origin - first) // slot) * slot
    while start <= last:
        yield start
        start += slot


def _team(around: _Around, held: HeldMeeting) -> dict[str, tuple[str, ...]] | None:
    """A team per language the meeting's attending participants need, of interpreters
    each free for it on their own, no one in two languages; ``None`` without one."""
    scenario = around.plan.scenario
    meeting = held.meeting
    working = meeting.working_language
    needed = sorted({p.language for p in held.attending if p.language and p.language != working})
    free = {
        language: [
            interpreter.id
            for interpreter in scenario.interpreters
            if {language, working} <= set(interpreter.languages)
            and not around.breaks(
                replace(held, interpreters={language: (interpreter.id,)}), INTERPRETER_RULES
            )
        ]
        for language in needed
    }
    return _distinct_teams(needed, free, team_size(scenario, meeting), {})


def _distinct_teams(
    languages: list[str],
    free: dict[str, list[str]],
    size: int,
    chosen: dict[str, tuple[str, ...]],
) -> dict[str, tuple[str, ...]] | None:
    """Teams of ``size`` for each language from its free interpreters, none in two
    languages (a small search: a meeting needs few languages)."""
    if not languages:
        return dict(chosen)
    language, rest = languages[0], languages[1:]
    taken = {i for team in chosen.values() for i in team}
    for team in combinations([i for i in free[language] if i not in taken], size):
        found = _distinct_teams(rest, free, size, {**chosen, language: team})
        if found is not None:
            return found
    return None


# ---- action days ---------------------------------------------------------------------------


def _centre_place(plan: Plan, action_day: ActionDay | None, now: datetime | None) -> str | None:
    """A date (and room) where a left-out action day fits as the plan stands, its centre
    opening at ``now`` or later (when given), or ``None``."""
    if action_day is None:
        return None
    scenario = plan.scenario
    related = _related(plan, action_day)
    rooms = [r for r in scenario.rooms if "coordination_centre" in r.features]
    for day in _dates(plan, action_day):
        opens, closes = centre_span(scenario, action_day, day)
        if now is not None and opens < now:
            continue
        around = _Around(plan, opens, closes, related)
        choices: list[tuple[str, HeldActionDay]] = [
            (room.id, HeldActionDay(action_day, day, opens, closes, room, False, None, None))
            for room in rooms
        ]
        if action_day.virtual == "allowed":
            virtual = HeldActionDay(action_day, day, opens, closes, None, True, None, None)
            choices.append(("a virtual centre", virtual))
        for where, held in choices:
            if not around.breaks(held, CENTRE_RULES):
                return f"{day} ({where})"
    return None
