"""Re-planning from a published plan: what started before now stays exactly as it was.

SPEC 2.7 (``replan``): an activity of the baseline that starts before ``now`` is frozen
— its date, time, room, interpreters and attendance are kept exactly, even where the
scenario now says otherwise — and everything else starts at ``now`` or later.

A frozen activity takes part in the model as a fixed activity whose only option is
its baseline placement, built from the baseline directly (not filtered by the rules,
which it may now break), so that the others plan around what it occupies. Its own
``after`` and ``prepared_by`` are history and not modelled. A frozen activity that
cannot be represented — a room or interpreter it names is gone, its start is off the
slot grid, or it would overfill a room, desk, interpreter or the staff pool together
with the frozen activities before it — is kept as written in the plan but not
modelled (:attr:`Frozen.verbatim`); what it costs is added to the plan's terms
(:func:`verbatim_terms`). The rules a frozen activity breaks are found by
the independent checker and reported as conflicts, never by moving it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.baseline import Baseline, BaselineActionDay, BaselineMeeting
from planner.models.schedule import TERM_NAMES, ActionDayPlacement, LocalTimes, MeetingPlacement
from planner.solver import wording
from planner.solver.occupancy import Occupancy
from planner.solver.options import (
    ActionDayOptions,
    Blocked,
    LanguageNeed,
    MeetingOptions,
    OptionalAttendance,
    SpanIndex,
    centre_date,
)
from planner.solver.parts import with_starts
from planner.solver.plan import (
    ActionDayAssignment,
    MeetingAssignment,
    Plan,
    activity_date,
    costed_pairs,
    linked_cost,
)
from planner.solver.variables import Context


@dataclass(frozen=True)
class Frozen:
    """The activities frozen at ``now``."""

    plan: Plan
    """Those modelled, with their baseline placements (fixed in the context)."""
    verbatim: list[str]
    """Those kept as the baseline wrote them but not modelled (see the module)."""

    @property
    def ids(self) -> list[str]:
        """Every frozen activity, modelled or kept verbatim, sorted."""
        return sorted([*self.plan, *self.verbatim])


def freeze(context: Context, baseline: Baseline, now: datetime) -> tuple[Context, Frozen]:
    """The context of a re-plan at ``now``: frozen activities fixed, the others kept to
    starts at ``now`` or later."""
    grid, scenario = context.grid, context.scenario
    cut = grid.minute(now)
    frozen_plan: Plan = {}
    verbatim: list[str] = []
    meetings = dict(context.meetings)
    action_days = dict(context.action_days)
    starting = sorted(
        [(grid.minute(m.start), m) for m in baseline.meetings if m.id in scenario.meetings_by_id]
        + [
            (grid.minute(a.centre_open), a)
            for a in baseline.action_days
            if a.id in scenario.action_days_by_id
        ],
        key=lambda item: (item[0], item[1].id),
    )
    fixed_context = context
    occupancy = Occupancy(context)
    for minute, entry in starting:
        if minute >= cut:
            break
        fixed = _fixed(context, entry)
        if fixed is None:
            verbatim.append(entry.id)
            continue
        options, assignment = fixed
        if isinstance(options, MeetingOptions):
            meetings[entry.id] = options
        else:
            action_days[entry.id] = options
        fixed_context = replace(fixed_context, meetings=meetings, action_days=action_days)
        occupancy.context = fixed_context
        if not _fits(occupancy, entry.id, assignment):
            verbatim.append(entry.id)  # it would overfill what earlier frozen ones use
            meetings.pop(entry.id, None)
            action_days.pop(entry.id, None)
            continue
        occupancy.add(entry.id, assignment)
        frozen_plan[entry.id] = assignment
    frozen_ids = {*frozen_plan, *verbatim}
    for entry_id in verbatim:
        meetings.pop(entry_id, None)
        action_days.pop(entry_id, None)
    blocked = {a: b for a, b in context.blocked.items() if a not in frozen_ids}
    for meeting_id, options in list(meetings.items()):
        if meeting_id in frozen_ids:
            continue
        later = [s for s in options.starts if grid.slot_minute(s) >= cut]
        if len(later) == len(options.starts):
            continue
        dates = {
            day: (max(low, later[0]), high)
            for day, (low, high) in options.dates.items()
            if later and high >= later[0]
        }
        if later:
            meetings[meeting_id] = with_starts(options, later, dates)
        else:
            del meetings[meeting_id]
            blocked[meeting_id] = Blocked("window", [wording.start_passed(now)])
    for action_day_id, day_options in list(action_days.items()):
        if action_day_id in frozen_ids:
            continue
        centres = [c for c in day_options.dates if c.open >= cut]
        if len(centres) == len(day_options.dates):
            continue
        if centres:
            action_days[action_day_id] = replace(day_options, dates=centres)
        else:
            del action_days[action_day_id]
            blocked[action_day_id] = Blocked("window", [wording.start_passed(now)])
    kept = {a: k for a, k in context.kept.items() if a not in frozen_ids}
    frozen_context = replace(
        context,
        meetings=dict(sorted(meetings.items(), key=lambda item: item[1].index)),
        action_days=dict(sorted(action_days.items(), key=lambda item: item[1].index)),
        blocked=blocked,
        kept=kept,
        fixed=set(frozen_plan),
        frozen=frozen_ids,
        verbatim=set(verbatim),
    )
    return frozen_context, Frozen(frozen_plan, sorted(verbatim))


def _fixed(
    context: Context, entry: BaselineMeeting | BaselineActionDay
) -> tuple[MeetingOptions | ActionDayOptions, MeetingAssignment | ActionDayAssignment] | None:
    """The options that hold exactly the baseline placement, and that placement; ``None``
    when it cannot be represented."""
    scenario, grid = context.scenario, context.grid
    if isinstance(entry, BaselineActionDay):
        action_day = scenario.action_days_by_id[entry.id]
        if entry.room is not None and entry.room not in context.room_classes:
            return None
        centre = centre_date(scenario, grid, action_day, entry.date)
        centre = replace(centre, rooms=[entry.room] if entry.room else [], virtual=not entry.room)
        index = scenario.action_days.index(action_day)
        return (
            ActionDayOptions(action_day, index, [centre]),
            ActionDayAssignment(entry.date, entry.room),
        )
    meeting = scenario.meetings_by_id[entry.id]
    minute = grid.minute(entry.start)
    names = [name for team in entry.interpreters.values() for name in team]
    if (
        minute % grid.granularity
        or entry.room not in context.room_classes
        or any(name not in scenario.interpreters_by_id for name in names)
    ):
        return None
    slot = minute // grid.granularity
    base = context.meetings.get(entry.id)
    usual = base is not None and slot in base.starts
    attending = {
        position
        for position, p in enumerate(meeting.participants)
        if not p.required and p.country not in entry.absent
    }
    options = MeetingOptions(
        meeting=meeting,
        index=scenario.meetings.index(meeting),
        starts=[slot],
        stretch_steps={slot: base.stretch_steps[slot]}
        if usual and base and slot in base.stretch_steps
        else {},
        optional=[
            OptionalAttendance(
                position,
                p,
                {slot} if position in attending else set(),
                _optional_stretch(base, position, slot) if usual else {},
            )
            for position, p in enumerate(meeting.participants)
            if not p.required
        ],
        rooms={entry.room: None},
        rooms_without={},
        languages=[
            LanguageNeed(language, len(team), True, [], dict.fromkeys(team))
            for language, team in entry.interpreters.items()
            if team
        ],
        dates={grid.host_date(minute): (slot, slot)},
    )
    assignment = MeetingAssignment(
        slot,
        entry.room,
        {language: sorted(team) for language, team in sorted(entry.interpreters.items()) if team},
        frozenset(attending),
    )
    return options, assignment


def _optional_stretch(base: MeetingOptions | None, position: int, slot: int) -> dict[int, int]:
    """The stretch of an optional participant at one start, as the scenario's own options
    say (nothing when the scenario no longer has it)."""
    for optional in base.optional if base else []:
        if optional.index == position and slot in optional.stretch_steps:
            return {slot: optional.stretch_steps[slot]}
    return {}


def _fits(
    occupancy: Occupancy, activity_id: str, assignment: MeetingAssignment | ActionDayAssignment
) -> bool:
    """Whether an activity fits what the activities already in ``occupancy`` use."""
    context = occupancy.context
    if isinstance(assignment, ActionDayAssignment):
        centre = context.action_days[activity_id].dates[0]
        room = assignment.room_class
        return occupancy.centre_fits(activity_id, centre) and (
            room is None or occupancy.room_fits(room, centre.open, centre.close)
        )
    options = context.meetings[activity_id]
    begin, end = occupancy.meeting_span(options, assignment.slot)
    day = next(iter(options.dates))
    parties = [
        p.country
        for position, p in enumerate(options.meeting.participants)
        if p.required or position in assignment.attending
    ]
    names = [name for team in assignment.interpreters.values() for name in team]
    return (
        occupancy.room_fits(assignment.room_class, begin, end)
        and all(occupancy.desk_fits(code, begin, end) for code in parties)
        and all(occupancy.interpreter_fits(name, begin, end, day) for name in names)
    )


def verbatim_placements(
    context: Context, baseline: Baseline, ids: list[str]
) -> tuple[list[MeetingPlacement], list[ActionDayPlacement]]:
    """The placements of frozen activities kept as the baseline wrote them."""
    scenario, grid = context.scenario, context.grid
    host = ZoneInfo(scenario.host.timezone)
    meetings = []
    for entry in baseline.meetings:
        if entry.id not in ids:
            continue
        meeting = scenario.meetings_by_id[entry.id]
        meetings.append(
            MeetingPlacement(
                id=entry.id,
                case=meeting.case,
                start=entry.start.astimezone(host),
                end=entry.end.astimezone(host),
                room=entry.room,
                interpreters={k: sorted(v) for k, v in sorted(entry.interpreters.items()) if v},
                absent=list(entry.absent),
                local={
                    p.country: LocalTimes(
                        entry.start.astimezone(ZoneInfo(scenario.participant_timezone(p))),
                        entry.end.astimezone(ZoneInfo(scenario.participant_timezone(p))),
                    )
                    for p in meeting.participants
                    if p.country != scenario.host.country
                },
            )
        )
    action_days = []
    for centre in baseline.action_days:
        if centre.id not in ids:
            continue
        action_day = scenario.action_days_by_id[centre.id]
        operations = centre_date(scenario, grid, action_day, centre.date).operations
        action_days.append(
            ActionDayPlacement(
                id=centre.id,
                case=action_day.case,
                date=centre.date,
                centre_open=centre.centre_open.astimezone(host),
                centre_close=centre.centre_close.astimezone(host),
                room=centre.room,
                operations={
                    code: LocalTimes(
                        grid.at(begin, scenario.parties[code].timezone),
                        grid.at(end, scenario.parties[code].timezone),
                    )
                    for code, (begin, end) in operations.items()
                },
            )
        )
    return meetings, action_days


def verbatim_terms(context: Context, baseline: Baseline, plan: Plan) -> dict[str, int]:
    """What the frozen activities kept verbatim cost, by term (SPEC 2.3): constants the
    model does not see, added to the plan's terms so that its objective is that of the
    plan as written (the checker counts them like any held activity)."""
    scenario, grid = context.scenario, context.grid
    weights = scenario.objective
    host = ZoneInfo(scenario.host.timezone)
    terms = dict.fromkeys(TERM_NAMES, 0)
    dates = {a: activity_date(context, a, plan) for a in plan}
    for entry in baseline.meetings:
        if entry.id not in context.verbatim:
            continue
        meeting = scenario.meetings_by_id[entry.id]
        dates[entry.id] = day = entry.start.astimezone(host).date()
        if meeting.preferred is not None:
            terms["lateness"] += weights.lateness_per_day * max(0, (day - meeting.preferred).days)
        terms["optional_absent"] += weights.optional_absent * len(entry.absent)
        if scenario.defaults.stretch:
            begin, end = grid.minute(entry.start), grid.minute(entry.end)
            for participant in meeting.participants:
                if participant.required or participant.country not in entry.absent:
                    spans = SpanIndex(grid.participant_work_spans(participant))
                    terms["stretch"] += weights.stretch_per_15m * (spans.steps(begin, end) or 0)
    for centre in baseline.action_days:
        if centre.id in context.verbatim:
            dates[centre.id] = centre.date
            terms["virtual_centre"] += weights.virtual_centre if centre.room is None else 0
    for first, second in costed_pairs(context, context.verbatim):
        if {first, second} & context.verbatim and first in dates and second in dates:
            apart = abs((dates[first] - dates[second]).days)
            terms["link_spread"] += linked_cost(context, (first, second), apart)
    return terms


def held(context: Context, baseline: Baseline) -> tuple[Context, Plan]:
    """A plan held exactly as a baseline has it (everything frozen as of after the
    horizon), in a context whose other activities keep their usual options."""
    after = datetime.combine(context.scenario.horizon.end + timedelta(days=2), time())
    frozen_context, frozen = freeze(context, baseline, after)
    meetings = {
        **context.meetings,
        **{a: frozen_context.meetings[a] for a in frozen.plan if a in frozen_context.meetings},
    }
    action_days = {
        **context.action_days,
        **{
            a: frozen_context.action_days[a] for a in frozen.plan if a in frozen_context.action_days
        },
    }
    blocked = {a: b for a, b in context.blocked.items() if a not in frozen.plan}
    return (
        replace(
            frozen_context,
            meetings=dict(sorted(meetings.items(), key=lambda item: item[1].index)),
            action_days=dict(sorted(action_days.items(), key=lambda item: item[1].index)),
            blocked=blocked,
            kept={},
        ),
        dict(frozen.plan),
    )
