"""What a plan occupies over time: room classes, national desks, interpreters, centre staff.

The construction heuristic (:mod:`planner.solver.construct`) and the attendance fill
(:mod:`planner.solver.fill`) place activities one at a time against an
:class:`Occupancy`. It applies the resource rules exactly as the model does
(``constraints/rooms.py``, ``desks.py``, ``interpreters.py``, ``action_days.py``):

- a room class holds as many uses at once as it has rooms, each use lasting from its
  start to its end plus ``room_buffer``;
- a party takes part in at most ``desk_capacity`` activities at once: meetings of its
  required participants, meetings its optional participants attend, and the centres
  of its action days;
- an interpreter works one meeting at a time, at most ``max_per_day`` minutes per host
  date;
- the centres open at one moment need at most ``coordination_centre.staff`` staff.

The options of each activity (:mod:`planner.solver.options`) already hold every rule
that does not depend on other activities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from planner.solver.options import CentreDate, MeetingOptions
from planner.solver.plan import ActionDayAssignment, MeetingAssignment, Plan, meeting_date
from planner.solver.variables import Context

BUCKET_MINUTES = 24 * 60
"""Intervals are indexed by the days they touch, so that a query looks at one day or two."""


@dataclass(frozen=True)
class _Use:
    """One weighted interval ``[start, end)`` of a timeline, held by ``owner``."""

    start: int
    end: int
    weight: int
    owner: str


class Timeline:
    """Weighted intervals ``[start, end)`` under a capacity: how much is in use at once."""

    def __init__(self, capacity: int) -> None:
        """An empty timeline or occupancy: nothing held yet."""
        self.capacity = capacity
        self._buckets: dict[int, list[_Use]] = defaultdict(list)
        self._by_owner: dict[str, list[_Use]] = defaultdict(list)

    def _overlapping(self, start: int, end: int, ignore: str | None = None) -> list[_Use]:
        """The uses overlapping ``[start, end)`` (but ``ignore``'s), each once: read from the
        days it touches."""
        first, last = start // BUCKET_MINUTES, (end - 1) // BUCKET_MINUTES
        if first == last:  # one day: each use is there once
            return [
                use
                for use in self._buckets.get(first, ())
                if use.start < end and start < use.end and use.owner != ignore
            ]
        found: dict[int, _Use] = {}
        for bucket in range(first, last + 1):
            for use in self._buckets.get(bucket, ()):
                if use.start < end and start < use.end and use.owner != ignore:
                    found[id(use)] = use
        return list(found.values())

    def owners(self, start: int, end: int) -> list[str]:
        """Whose uses overlap ``[start, end)``, each once, in order of their start."""
        uses = sorted(self._overlapping(start, end), key=lambda u: (u.start, u.owner))
        return list(dict.fromkeys(use.owner for use in uses))

    def peak(self, start: int, end: int, ignore: str | None = None) -> int:
        """The most in use at any moment of ``[start, end)`` (``ignore``: leave out one
        owner's uses)."""
        uses = self._overlapping(start, end, ignore)
        if len(uses) < 2:
            return sum(use.weight for use in uses)
        # ends sort before starts at the same minute: intervals are half-open
        events = sorted(
            [(max(u.start, start), u.weight) for u in uses]
            + [(min(u.end, end), -u.weight) for u in uses]
        )
        load = best = 0
        for _, change in events:
            load += change
            best = max(best, load)
        return best

    def fits(self, start: int, end: int, weight: int = 1) -> bool:
        """Whether ``weight`` more fits at every moment of ``[start, end)``."""
        if weight > self.capacity:
            return False
        if weight == self.capacity:  # it needs the whole capacity: nothing may overlap
            return not any(
                use.start < end and start < use.end
                for bucket in range(start // BUCKET_MINUTES, (end - 1) // BUCKET_MINUTES + 1)
                for use in self._buckets.get(bucket, ())
            )
        uses = self._overlapping(start, end)
        if sum(use.weight for use in uses) + weight <= self.capacity:
            return True
        return self.peak(start, end) + weight <= self.capacity

    def add(self, start: int, end: int, weight: int, owner: str) -> None:
        """Hold ``weight`` of the timeline for ``[start, end)`` on behalf of ``owner``."""
        use = _Use(start, end, weight, owner)
        for bucket in range(start // BUCKET_MINUTES, (end - 1) // BUCKET_MINUTES + 1):
            self._buckets[bucket].append(use)
        self._by_owner[owner].append(use)

    def remove(self, owner: str) -> None:
        """Release everything ``owner`` holds."""
        for use in self._by_owner.pop(owner, []):
            for bucket in range(use.start // BUCKET_MINUTES, (use.end - 1) // BUCKET_MINUTES + 1):
                self._buckets[bucket].remove(use)


class Occupancy:
    """The resources a set of held activities occupies, kept up to date as activities are
    added and removed."""

    def __init__(self, context: Context) -> None:
        """An empty timeline or occupancy: nothing held yet."""
        scenario = context.scenario
        self.context = context
        self.buffer = scenario.defaults.room_buffer
        self.rooms = {key: Timeline(len(rooms)) for key, rooms in context.room_classes.items()}
        self.desks = {
            code: Timeline(party.desk_capacity) for code, party in scenario.parties.items()
        }
        self.interpreters = {it.id: Timeline(1) for it in scenario.interpreters}
        self.interpreting: dict[tuple[str, date], int] = defaultdict(int)
        self.staff = Timeline(scenario.coordination_centre.staff)

    # ---- meetings ------------------------------------------------------------------------

    def meeting_span(self, options: MeetingOptions, slot: int) -> tuple[int, int]:
        """A meeting's ``[begin, end)`` in minutes when it starts at ``slot``."""
        begin = self.context.grid.slot_minute(slot)
        return begin, begin + options.duration

    def room_fits(self, room_class: str, begin: int, end: int) -> bool:
        """Whether a room of the class is free for ``[begin, end)`` and the room buffer after."""
        return self.rooms[room_class].fits(begin, end + self.buffer)

    def desk_fits(self, code: str, begin: int, end: int) -> bool:
        """Whether a party's desk has room for one more activity through ``[begin, end)``."""
        return self.desks[code].fits(begin, end)

    def desk_full(self, code: str, begin: int, end: int, ignore: str) -> bool:
        """Whether, at some moment of ``[begin, end)``, the party's other activities (all
        but ``ignore``'s) already fill its desk."""
        desk = self.desks[code]
        return desk.peak(begin, end, ignore) >= desk.capacity

    def interpreter_fits(self, interpreter_id: str, begin: int, end: int, day: date) -> bool:
        """Whether an interpreter is free for ``[begin, end)`` and the minutes stay within
        their cap of the host date ``day``."""
        cap = self.context.scenario.interpreter_max_per_day(
            self.context.scenario.interpreters_by_id[interpreter_id]
        )
        if self.interpreting[interpreter_id, day] + (end - begin) > cap:
            return False
        return self.interpreters[interpreter_id].fits(begin, end)

    def add_meeting(self, meeting_id: str, assignment: MeetingAssignment) -> None:
        """Take what a held meeting occupies: its room class, the desks of who attends, its
        interpreters and their minutes of the day."""
        options = self.context.meetings[meeting_id]
        begin, end = self.meeting_span(options, assignment.slot)
        self.rooms[assignment.room_class].add(begin, end + self.buffer, 1, meeting_id)
        for code in taking_part(options, assignment):
            self.desks[code].add(begin, end, 1, meeting_id)
        day = meeting_date(options, assignment.slot)
        for names in assignment.interpreters.values():
            for name in names:
                self.interpreters[name].add(begin, end, 1, meeting_id)
                self.interpreting[name, day] += options.duration

    def remove_meeting(self, meeting_id: str, assignment: MeetingAssignment) -> None:
        """Release what a held meeting occupied."""
        options = self.context.meetings[meeting_id]
        self.rooms[assignment.room_class].remove(meeting_id)
        for code in taking_part(options, assignment):
            self.desks[code].remove(meeting_id)
        day = meeting_date(options, assignment.slot)
        for names in assignment.interpreters.values():
            for name in names:
                self.interpreters[name].remove(meeting_id)
                self.interpreting[name, day] -= options.duration

    def add_attendance(self, meeting_id: str, code: str, slot: int) -> None:
        """An optional participant of a held meeting now attends: its desk takes part."""
        begin, end = self.meeting_span(self.context.meetings[meeting_id], slot)
        self.desks[code].add(begin, end, 1, meeting_id)

    # ---- action days -------------------------------------------------------------------

    def centre_fits(self, action_day_id: str, centre: CentreDate) -> bool:
        """Whether the centre's staff and its countries' desks fit on that date."""
        action_day = self.context.action_days[action_day_id].action_day
        if action_day.staff and not self.staff.fits(centre.open, centre.close, action_day.staff):
            return False
        return all(
            self.desks[code].fits(centre.open, centre.close) for code in action_day.countries
        )

    def add_action_day(self, action_day_id: str, assignment: ActionDayAssignment) -> None:
        """Take what a held action day occupies: its centre room, its countries' desks and
        its staff, over the centre's span."""
        options = self.context.action_days[action_day_id]
        centre = centre_on(options.dates, assignment.date)
        if assignment.room_class is not None:
            self.rooms[assignment.room_class].add(
                centre.open, centre.close + self.buffer, 1, action_day_id
            )
        if options.action_day.staff:
            self.staff.add(centre.open, centre.close, options.action_day.staff, action_day_id)
        for code in options.action_day.countries:
            self.desks[code].add(centre.open, centre.close, 1, action_day_id)

    def remove_action_day(self, action_day_id: str, assignment: ActionDayAssignment) -> None:
        """Release what a held action day occupied."""
        options = self.context.action_days[action_day_id]
        if assignment.room_class is not None:
            self.rooms[assignment.room_class].remove(action_day_id)
        self.staff.remove(action_day_id)
        for code in options.action_day.countries:
            self.desks[code].remove(action_day_id)

    # ---- whole plans -------------------------------------------------------------------

    def add(self, activity_id: str, assignment: MeetingAssignment | ActionDayAssignment) -> None:
        """Take what a held activity (a meeting or an action day) occupies."""
        if isinstance(assignment, MeetingAssignment):
            self.add_meeting(activity_id, assignment)
        else:
            self.add_action_day(activity_id, assignment)

    def remove(self, activity_id: str, assignment: MeetingAssignment | ActionDayAssignment) -> None:
        """Release what a held activity (a meeting or an action day) occupied."""
        if isinstance(assignment, MeetingAssignment):
            self.remove_meeting(activity_id, assignment)
        else:
            self.remove_action_day(activity_id, assignment)


def occupancy_of(context: Context, plan: Plan) -> Occupancy:
    """The occupancy of every activity a plan holds."""
    occupancy = Occupancy(context)
    for activity_id, assignment in plan.items():
        occupancy.add(activity_id, assignment)
    return occupancy


def taking_part(options: MeetingOptions, assignment: MeetingAssignment) -> list[str]:
    """The parties whose desks a held meeting takes: required and attending participants."""
    return [
        p.country
        for position, p in enumerate(options.meeting.participants)
        if p.required or position in assignment.attending
    ]


def centre_on(dates: list[CentreDate], day: date) -> CentreDate:
    """The centre of the date ``day`` among an action day's possible dates."""
    return next(centre for centre in dates if centre.date == day)
