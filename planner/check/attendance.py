"""Participants (SPEC 2.1 "Time zones", "National availability", "Optional participants";
docs/rules.md "Participant hours", "Absent optional participants"): who can attend a
meeting at its time, what stretch it costs them, and whether an absence is excused.

It mirrors ``planner/solver/constraints/attendance.py`` and ``stretch.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from planner.check.clock import (
    DAY,
    clock,
    describe_away,
    first_overlap,
    local_text,
    participant_zone,
    stretch_steps,
    zone,
)
from planner.check.desks import desk_full
from planner.check.plan import HeldMeeting, Plan
from planner.models.scenario import Participant
from planner.models.violations import Violation


def attendance_problem(
    plan: Plan, participant: Participant, start: datetime, end: datetime
) -> tuple[str, str, int]:
    """Return whether a participant can attend ``[start, end)``, and at what stretch.

    The participant needs a local working day ``D`` of its party with the
    meeting inside ``D``'s hours widened by ``stretch``; of several such days
    the cheapest counts. Its party must not be away then either.

    Returns
    -------
    tuple of (str, str, int)
        The rule broken (``""`` when the participant can attend), what is wrong, and
        the stretch steps of started 15 minutes outside its hours.
    """
    scenario = plan.scenario
    party = scenario.parties[participant.country]
    local = participant_zone(scenario, participant)
    stretch = timedelta(minutes=scenario.defaults.stretch)
    day = (end - stretch).astimezone(local).date() - DAY
    last = (start + stretch).astimezone(local).date()
    best: int | None = None
    off_reason = ""
    while day <= last:
        work_start = clock(day, party.working_hours.start, local)
        work_end = clock(day, party.working_hours.end, local)
        if work_start - stretch <= start and end <= work_end + stretch:
            off = plan.party_day_off(party.code, day)
            if off:
                off_reason = off_reason or f"local date {day} is {off} in {party.code}"
            else:
                steps = stretch_steps(work_start - start) + stretch_steps(end - work_end)
                best = steps if best is None else min(best, steps)
        day += DAY
    code = participant.country
    if best is None and off_reason:
        return "holiday", f"{code}: {off_reason}", 0
    if best is None:
        span = f"{local_text(start, local)}-{end.astimezone(local):%H:%M} {local.key}"
        return "working_hours", f"{code}: {span} is outside hours {party.working_hours}", 0
    away = first_overlap(party.unavailable, zone(party.timezone), start, end)
    if away is not None:
        return "unavailable", f"{code} is unavailable {describe_away(away)}", best
    return "", "", best


def participant_availability(plan: Plan) -> Iterator[Violation]:
    """Hard: an attending participant is within its hours (and stretch) on a local working day
    of its party, and its party is not away then.

    Yields
    ------
    Violation
        ``working_hours``, ``holiday`` or ``unavailable`` per attending participant that
        cannot make the time (SPEC 2.1 "Time zones", "National availability").
    """
    for held in plan.meetings.values():
        for participant in held.attending:
            rule, detail, _ = attendance_problem(plan, participant, held.start, held.end)
            if rule:
                yield Violation(rule, held.meeting.id, detail)


def absence_reason(plan: Plan, held: HeldMeeting, participant: Participant) -> str:
    """Return why an optional participant may be absent, or ``""`` when it could attend.

    The reasons of docs/rules.md, in order: (a) it cannot make the time; (b) its desk is
    full; (c) it alone speaks its language; (d) it alone needs video, or booths.
    """
    meeting = held.meeting
    rule, detail, _ = attendance_problem(plan, participant, held.start, held.end)
    if rule:
        return detail
    if desk_full(plan, participant.country, held):
        return "desk full"
    others = [p for p in held.attending if p.country != participant.country]
    language = participant.language
    foreign = language is not None and language != meeting.working_language
    if foreign and all(p.language != language for p in others):
        return f"no other attending participant speaks {language}"
    if participant.attendance == "video" and all(p.attendance != "video" for p in others):
        return "no other attending participant is on video"
    if (
        participant.attendance == "in_person"
        and foreign
        and not any(
            p.attendance == "in_person" and p.language not in (None, meeting.working_language)
            for p in others
        )
    ):
        return "no other attending in-person participant needs booths"
    return ""


def optional_absences(plan: Plan) -> Iterator[Violation]:
    """Hard: an optional participant is absent only when attending would break a rule, or need
    an interpreter team or room feature the meeting would not otherwise need.

    Yields
    ------
    Violation
        ``working_hours`` per optional participant listed absent without any of the
        reasons of :func:`absence_reason` (SPEC 2.1 "Optional participants").
    """
    for held in plan.meetings.values():
        for participant in held.meeting.participants:
            if participant.required:
                continue
            if participant.country in held.absent and not absence_reason(plan, held, participant):
                yield Violation(
                    "working_hours",
                    held.meeting.id,
                    f"optional {participant.country} is listed absent but could attend",
                )
