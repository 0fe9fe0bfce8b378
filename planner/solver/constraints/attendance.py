"""Optional participants: they attend when they can, else count as absent (SPEC 2.1).

A literal per optional participant who can make some start; it is false at the starts
it cannot make (an excused absence). Where attending would need an interpreter team
or a room feature the meeting does not otherwise have, the model leaves it to the
objective; the fill pass (:mod:`planner.solver.fill`) then seats everyone who can, so
that the final plan has an absence only with an excuse (docs/rules.md). The checker's
reading is ``planner/check/attendance.py``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.models.scenario import Participant
from planner.solver.variables import ActionDayVars, Context, MeetingVars, Penalties, Variables

# A party's possible activities: a meeting with the literal of the party taking part,
# or an action day.
DeskActivity = tuple[MeetingVars, cp_model.IntVar] | ActionDayVars


def _starts_outside(meeting: MeetingVars, starts: set[int]) -> cp_model.Domain:
    """The starts at which an optional participant cannot attend: they are excused there."""
    return cp_model.Domain.from_values([s for s in meeting.options.starts if s not in starts])


def add_optional_attendance(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard: an optional participant attends only a held meeting at a start it can make;
    when no full desk could ever excuse its absence, it is absent only when attending
    would break another rule or need an interpreter team or room feature that the
    meeting would not otherwise need (docs/rules.md).

    When a full desk could excuse it, attending is left to the objective here: the fill
    pass (:mod:`planner.solver.fill`) makes every such participant attend who can, in
    the final plan, where a full desk needs no proof by witnesses in the model.

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
                if excuses is not None and not _desk_may_fill(
                    context, meeting, optional.participant, desks
                ):
                    # present and not attending => some excuse holds
                    if not can_always:
                        cannot = model.new_bool_var(f"M{i}_cannot_{optional.participant.country}")
                        model.add_linear_expression_in_domain(
                            meeting.start, _starts_outside(meeting, optional.starts)
                        ).only_enforce_if(cannot)
                        excuses.append(cannot)
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


def _desk_may_fill(
    context: Context, meeting: MeetingVars, participant: Participant, desks: DeskIndex
) -> bool:
    """Whether the other activities of the participant's party on the meeting's dates are
    at least as many as its desk takes: only then can a full desk excuse its absence."""
    others = {
        id(activity)
        for day in meeting.options.dates
        for activity in desks.get((participant.country, day), [])
        if (activity[0] if isinstance(activity, tuple) else activity) is not meeting
    }
    return len(others) >= context.scenario.parties[participant.country].desk_capacity
