"""Optional participants: they attend when they can, else count as absent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.models.scenario import Participant
from planner.solver.options import CentreDate
from planner.solver.variables import ActionDayVars, Context, MeetingVars, Penalties, Variables

# A party's possible activities: a meeting with the literal of the party taking part,
# or an action day.
DeskActivity = tuple[MeetingVars, cp_model.IntVar] | ActionDayVars


def _starts_outside(meeting: MeetingVars, starts: set[int]) -> cp_model.Domain:
    return cp_model.Domain.from_values([s for s in meeting.options.starts if s not in starts])


def add_optional_attendance(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard: an optional participant attends only a held meeting at a start it can make,
    and is absent only when attending would break a rule or need an interpreter team or
    room feature that the meeting would not otherwise need (docs/rules.md).

    Soft: each absent optional participant of a held meeting costs ``optional_absent``.
    """
    weight = context.scenario.objective.optional_absent
    penalties: Penalties = []
    desks = _desk_activities(variables)
    for meeting in variables.meetings.values():
        options = meeting.options
        participants = options.meeting.participants
        wl = options.meeting.working_language
        i = options.index
        for optional in options.optional:
            attend = meeting.attend.get(optional.index)
            can_always = optional.starts >= set(options.starts)
            if attend is not None:
                model.add_implication(attend, meeting.present)
                if not can_always:
                    model.add_linear_expression_in_domain(
                        meeting.start, cp_model.Domain.from_values(sorted(optional.starts))
                    ).only_enforce_if(attend)
                excuses = _excuses(model, meeting, optional.index, participants, wl)
                if excuses is not None:
                    # present and not attending => some excuse holds
                    if not can_always:
                        cannot = model.new_bool_var(f"M{i}_cannot_{optional.participant.country}")
                        model.add_linear_expression_in_domain(
                            meeting.start, _starts_outside(meeting, optional.starts)
                        ).only_enforce_if(cannot)
                        excuses.append(cannot)
                    others = _desk_others(context, meeting, optional.participant, desks)
                    if others is not None and context.timetable_first:
                        model.add(attend == 0)  # the next step proves the excuse or attends
                    else:
                        if others is not None:
                            excuses.append(
                                _desk_full(model, context, meeting, optional.participant, others)
                            )
                        model.add_bool_or([attend, meeting.present.Not(), *excuses])
                absent: cp_model.LinearExprT = meeting.present - attend
            else:
                absent = meeting.present
            if weight:
                penalties.append(("optional_absent", weight * absent))
    return penalties


def _excuses(
    model: cp_model.CpModel,
    meeting: MeetingVars,
    position: int,
    participants: list[Participant],
    working_language: str,
) -> list[cp_model.IntVar] | None:
    """Literals that each excuse the absence of participant ``position``, or ``None`` when
    its absence is always excused (it alone would need a team or a feature)."""
    me = participants[position]
    excuses: list[cp_model.IntVar] = []

    def alone(shares: list[int], name: str) -> bool:
        """Add a literal 'no other attending participant shares this need'; return True when
        that holds whatever the others do."""
        others = [j for j in shares if j != position]
        if any(participants[j].required for j in others):
            return False
        deciding = [meeting.attend[j] for j in others if j in meeting.attend]
        if not deciding:
            return True
        literal = model.new_bool_var(f"M{meeting.options.index}_{me.country}_alone_{name}")
        for other in deciding:
            model.add_implication(literal, other.Not())
        excuses.append(literal)
        return False

    interpreted = bool(me.language and me.language != working_language)
    if interpreted:
        same_language = [j for j, p in enumerate(participants) if p.language == me.language]
        if alone(same_language, "language"):
            return None
    if me.attendance == "video":
        on_video = [j for j, p in enumerate(participants) if p.attendance == "video"]
        if alone(on_video, "video"):
            return None
    elif interpreted:
        in_booths = [
            j
            for j, p in enumerate(participants)
            if p.attendance == "in_person" and p.language and p.language != working_language
        ]
        if alone(in_booths, "booths"):
            return None
    return excuses


DeskIndex = dict[tuple[str, date], list[DeskActivity]]

MAX_DESK_WITNESSES = 60
"""A full desk excuses an optional participant only when it is proven with at most this
many other activities of its party in the meeting's window; a busier party (Europol in a
large year) attends or not by the other rules only, which keeps the model small and
every plan valid."""


def _desk_activities(variables: Variables) -> DeskIndex:
    """Each party's possible activities by the host dates they can overlap."""
    activities: DeskIndex = defaultdict(list)
    for meeting in variables.meetings.values():
        for position, p in enumerate(meeting.options.meeting.participants):
            taking_part = meeting.present if p.required else meeting.attend.get(position)
            if taking_part is not None:
                entry = (meeting, taking_part)  # one object on every date: counted once
                for day in meeting.on_date:
                    activities[p.country, day].append(entry)
    for action_day in variables.action_days.values():
        # a centre can open the evening before its date, or close after midnight
        near = sorted({d + timedelta(days=k) for d in action_day.on_date for k in (-1, 0, 1)})
        for code in action_day.options.action_day.countries:
            for day in near:
                activities[code, day].append(action_day)
    return activities


DeskUse = tuple[MeetingVars, cp_model.IntVar] | tuple[ActionDayVars, CentreDate]
"""Another activity that may fill a desk during a meeting: a meeting with the literal of
the party taking part, or an action day's centre on one date."""


def _desk_others(
    context: Context, meeting: MeetingVars, participant: Participant, desks: DeskIndex
) -> list[DeskUse] | None:
    """The other activities of the participant's party that may overlap the meeting, or
    ``None`` when they cannot fill its desk or are more than :data:`MAX_DESK_WITNESSES`
    (no excuse by a full desk then)."""
    code = participant.country
    options = meeting.options
    earliest = options.starts[0] * context.grid.granularity
    latest = options.starts[-1] * context.grid.granularity + options.duration - 1
    others: dict[int, DeskActivity] = {}
    for day in sorted(options.dates):
        for activity in desks.get((code, day), []):
            if (activity[0] if isinstance(activity, tuple) else activity) is not meeting:
                others.setdefault(id(activity), activity)
    if len(others) > MAX_DESK_WITNESSES:
        return None
    uses: list[DeskUse] = []
    for activity in others.values():
        if isinstance(activity, ActionDayVars):
            uses.extend(
                (activity, centre)
                for centre in activity.options.dates
                if centre.open <= latest and earliest < centre.close
            )
        else:
            uses.append(activity)
    if len(uses) < context.scenario.parties[code].desk_capacity:
        return None
    return uses


def _desk_full(
    model: cp_model.CpModel,
    context: Context,
    meeting: MeetingVars,
    participant: Participant,
    others: list[DeskUse],
) -> cp_model.IntVar:
    """A literal that holds only if, at some instant of the meeting, the participant's
    party already takes part in ``desk_capacity`` of the ``others``: attending would
    break its desk capacity.

    The instant is a witness variable; each other activity counted must be held, involve
    the party and contain the instant.
    """
    code = participant.country
    options = meeting.options
    g = context.grid.granularity
    earliest = options.starts[0] * g
    latest = options.starts[-1] * g + options.duration - 1
    name = f"M{options.index}_{code}_desk"
    witness = model.new_int_var(earliest, latest, f"{name}_instant")
    counted: list[cp_model.IntVar] = []
    for use in others:
        match use:
            case (ActionDayVars() as action_day, CentreDate() as centre):
                active = model.new_bool_var(
                    f"{name}_A{action_day.options.index}_{centre.date:%m%d}"
                )
                model.add_implication(active, action_day.on_date[centre.date])
                model.add_linear_constraint(witness, centre.open, centre.close - 1).only_enforce_if(
                    active
                )
            case (MeetingVars() as other, taking_part):
                active = model.new_bool_var(f"{name}_M{other.options.index}")
                model.add_implication(active, taking_part)
                model.add(other.start_minute <= witness).only_enforce_if(active)
                model.add(witness <= other.end_minute - 1).only_enforce_if(active)
        counted.append(active)
    full = model.new_bool_var(f"{name}_full")
    model.add(meeting.start_minute <= witness).only_enforce_if(full)
    model.add(witness <= meeting.end_minute - 1).only_enforce_if(full)
    model.add(sum(counted) >= context.scenario.parties[code].desk_capacity).only_enforce_if(full)
    return full
