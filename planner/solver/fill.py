"""Optional participants attend whenever they can: the fill pass.

SPEC 2.1: an optional participant is absent only when attending would break a rule
(its hours, days off, unavailability, or its desk being full) or would need an
interpreter team or a room feature the meeting does not otherwise have
(docs/rules.md, excuses (a)-(d)). That is a property of the final plan, so it is
established here, after the search: every absent optional participant who could
attend without breaking a rule and without a new need is made to attend.

Attending only adds to desks, so an absence excused by a full desk stays excused as
others are added; an absence excused by being the only one with a need can lose its
excuse when another participant of that meeting is added, so each meeting is filled
until nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from planner.models.scenario import Participant
from planner.solver.occupancy import Occupancy, occupancy_of
from planner.solver.options import MeetingOptions
from planner.solver.plan import MeetingAssignment, Plan
from planner.solver.variables import Context


def fill_attendance(context: Context, plan: Plan) -> Plan:
    """The plan with every optional participant attending who can: see the module."""
    filled = dict(plan)
    fill_meetings(context, filled, occupancy_of(context, plan), list(plan))
    return filled


def fill_meetings(
    context: Context, plan: Plan, occupancy: Occupancy, meetings: Iterable[str]
) -> set[str]:
    """Fill some meetings of ``plan`` in place, against the occupancy of the whole plan
    (which takes the new attendance too); return the meetings that changed."""
    changed = set()
    for meeting_id in meetings:
        assignment = plan.get(meeting_id)
        if not isinstance(assignment, MeetingAssignment):
            continue
        options = context.meetings[meeting_id]
        begin, end = occupancy.meeting_span(options, assignment.slot)
        attending = set(assignment.attending)
        added = True
        while added:
            added = False
            for optional in options.optional:
                code = optional.participant.country
                if (
                    optional.index in attending
                    or assignment.slot not in optional.starts
                    or not occupancy.desk_fits(code, begin, end)
                    or needs_something_new(options, attending, optional.index)
                ):
                    continue
                attending.add(optional.index)
                occupancy.add_attendance(meeting_id, code, assignment.slot)
                added = True
        if attending != assignment.attending:
            plan[meeting_id] = replace(assignment, attending=frozenset(attending))
            changed.add(meeting_id)
    return changed


def needs_something_new(options: MeetingOptions, attending: set[int], position: int) -> bool:
    """Whether participant ``position`` attending would need an interpreter team or a
    room feature that no other attending participant (required, or optional in
    ``attending``) already needs: excuses (c) and (d) of docs/rules.md."""
    participants = options.meeting.participants
    me = participants[position]
    others = [
        p for j, p in enumerate(participants) if j != position and (p.required or j in attending)
    ]
    wl = options.meeting.working_language

    def foreign(p: Participant) -> bool:
        """Whether a participant speaks a language other than the working language."""
        return p.language is not None and p.language != wl

    if foreign(me) and all(p.language != me.language for p in others):
        return True
    if me.attendance == "video":
        return all(p.attendance != "video" for p in others)
    return foreign(me) and not any(p.attendance == "in_person" and foreign(p) for p in others)
