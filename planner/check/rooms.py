"""Rooms (SPEC 2.1 "Rooms", docs/rules.md "Room"): seats and features of a meeting's room,
rooms' away windows, and the buffer between two uses of one room.

It mirrors ``planner/solver/constraints/rooms.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from planner.check.clock import describe_away, first_overlap
from planner.check.plan import Plan, Use
from planner.models.violations import Violation


def meeting_rooms(plan: Plan) -> Iterator[Violation]:
    """Hard: a meeting's room seats host staff and all in-person invitees and has the features
    its attending participants need.

    Yields
    ------
    Violation
        ``room_capacity`` for too few seats (optional participants count, absent or not),
        ``room_feature`` per missing ``videoconference`` or ``interpretation_booths``
        (SPEC 2.1 "Rooms").
    """
    scenario = plan.scenario
    for held in plan.meetings.values():
        meeting, room = held.meeting, held.room
        if room is None:
            continue
        in_person = [p for p in meeting.participants if p.attendance == "in_person"]
        seats = scenario.defaults.host_staff + sum(p.delegates for p in in_person)
        if room.capacity < seats:
            detail = f"room {room.id} seats {room.capacity}, {seats} are needed"
            yield Violation("room_capacity", meeting.id, detail)
        needed = set()
        if any(p.attendance == "video" for p in held.attending):
            needed.add("videoconference")
        if any(
            p.attendance == "in_person" and p.language not in (None, meeting.working_language)
            for p in held.attending
        ):
            needed.add("interpretation_booths")
        for feature in sorted(needed - set(room.features)):
            yield Violation("room_feature", meeting.id, f"room {room.id} has no {feature}")


def room_uses(plan: Plan) -> dict[str, list[Use]]:
    """Return every room's uses by room id: the meetings in it and the centres in it (over
    the centre span computed from the date)."""
    uses: dict[str, list[Use]] = defaultdict(list)
    for held in plan.meetings.values():
        if held.room is not None:
            uses[held.room.id].append(Use(held.meeting.id, held.start, held.end))
    for centre in plan.action_days.values():
        if centre.room is not None:
            uses[centre.room.id].append(Use(centre.action_day.id, centre.open, centre.close))
    return uses


def room_unavailability(plan: Plan) -> Iterator[Violation]:
    """Hard: no meeting or centre uses a room during one of its unavailable windows (host time)."""
    for room_id, uses in sorted(room_uses(plan).items()):
        room = plan.scenario.rooms_by_id[room_id]
        for use in uses:
            away = first_overlap(room.unavailable, plan.host_zone, use.start, use.end)
            if away is not None:
                detail = f"room {room_id} is unavailable {describe_away(away)}"
                yield Violation("unavailable", use.activity, detail)


def room_buffers(plan: Plan) -> Iterator[Violation]:
    """Hard: two uses of one room, meetings or centres, are at least room_buffer apart.

    Yields
    ------
    Violation
        ``room_conflict`` for the later use, naming the earlier one (SPEC 2.1 "Rooms").
    """
    buffer = timedelta(minutes=plan.scenario.defaults.room_buffer)
    for room_id, uses in sorted(room_uses(plan).items()):
        ordered = sorted(uses, key=lambda u: (u.start, u.end, u.activity))
        for later_index, later in enumerate(ordered):
            for earlier in ordered[:later_index]:
                if later.start < earlier.end + buffer:
                    detail = f"room {room_id} is still in use by {earlier.activity} (+{buffer})"
                    yield Violation("room_conflict", later.activity, detail)
