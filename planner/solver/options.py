"""What each activity may do, computed before any model is built.

For every meeting: its allowed start slots, the stretch it costs at each, the
rooms and interpreters that could serve it (and at which starts), and what its
optional participants can attend. For every action day: its possible dates
with their centre spans, and the centre rooms free on each. Impossible pairs
are filtered out here, so the model only holds variables that can be true.

When the filters leave an activity no placement at all, the first filter that
did so is returned as a :class:`Blocked`: its rule (SPEC 2.6 rule names) and its
reason, worded by :mod:`planner.solver.wording`. These are the static half of "why
unscheduled"; the contention half is in :mod:`planner.solver.reasons`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from planner.models.scenario import (
    BOOTHS,
    CENTRE,
    VIDEOCONFERENCE,
    ActionDay,
    Meeting,
    Participant,
    Scenario,
)
from planner.solver import wording
from planner.timegrid import (
    Span,
    TimeGrid,
    WorkSpan,
    covered_by_at_least,
    day_range,
    intersect_ranges,
    merge_ranges,
    start_ranges,
    subtract,
)


@dataclass(frozen=True)
class Blocked:
    """An activity that cannot be placed at all, and the first rule that says so."""

    rule: str
    reasons: list[str]


@dataclass
class OptionalAttendance:
    """An optional participant: the starts at which it can attend, and its stretch there."""

    index: int
    participant: Participant
    starts: set[int]
    stretch_steps: dict[int, int]


@dataclass
class LanguageNeed:
    """Interpreting into and out of one language for one meeting."""

    language: str
    team: int
    required: bool
    """Some required participant speaks it, so it is needed whenever the meeting is held."""
    optional_indices: list[int]
    interpreters: dict[str, set[int] | None]
    """Candidate interpreters and the starts at which each can work (``None``: all)."""


@dataclass
class MeetingOptions:
    """Everything one meeting may do, by itself: its allowed starts and dates, the
    stretch each costs, candidate rooms and interpreters, and its optional participants."""

    meeting: Meeting
    index: int
    starts: list[int]
    stretch_steps: dict[int, int]
    """Stretch steps of the required participants, by start (only starts that cost)."""
    optional: list[OptionalAttendance]
    rooms: dict[str, set[int] | None]
    """Candidate room classes (see :func:`room_classes`) and the starts at which their
    rooms are free of unavailability."""
    rooms_without: dict[str, set[str]]
    """Per feature that only optional participants may need: room classes lacking it."""
    languages: list[LanguageNeed]
    dates: dict[date, tuple[int, int]]
    """First and last allowed start slot of each host date."""

    @property
    def duration(self) -> int:
        """The meeting's duration in minutes."""
        return self.meeting.duration


@dataclass
class CentreDate:
    """One date an action day may take: its centre's span in host minutes, each
    country's operation, the centre rooms free then, and whether it may run virtually."""

    date: date
    open: int
    close: int
    operations: dict[str, tuple[int, int]]
    rooms: list[str]
    """Room classes with the coordination_centre feature free for the whole span."""
    virtual: bool


@dataclass
class ActionDayOptions:
    """The dates an action day may take, each with its centre (see :class:`CentreDate`)."""

    action_day: ActionDay
    index: int
    dates: list[CentreDate] = field(default_factory=list)


class SpanIndex:
    """A participant's work spans, searchable by time: the stretch of one placement
    without scanning a whole year of spans."""

    def __init__(self, spans: list[WorkSpan]) -> None:
        """Index a participant's work spans (sorted, disjoint) by their start."""
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in self.spans), default=0)

    def steps(self, start: int, end: int) -> int | None:
        """Stretch steps of ``[start, end)``, ``None`` if it fits in no span."""
        best: int | None = None
        i = bisect.bisect_right(self.starts, start) - 1
        while i >= 0 and self.starts[i] >= start - self.longest:
            span = self.spans[i]
            if span.start <= start and end <= span.end:
                steps = span.stretch_steps(start, end)
                best = steps if best is None else min(best, steps)
            i -= 1
        return best


class OptionBuilder:
    """Computes the options of every activity of a scenario, in dependency order."""

    def __init__(
        self, scenario: Scenario, grid: TimeGrid, keep: frozenset[str] = frozenset()
    ) -> None:
        """Index what the options are read from: the scenario and its time grid, the room
        classes (the rooms of ``keep``, a baseline's, each on its own), each room's and
        interpreter's available spans, with caches of their starts by duration."""
        """Index what the options are read from: the scenario and its time grid, each
        party's, room's and interpreter's spans, with caches by duration."""
        self.scenario = scenario
        self.grid = grid
        self._participant_spans: dict[tuple[str, str | None], list[WorkSpan]] = {}
        self._room_spans = {room.id: grid.room_spans(room) for room in scenario.rooms}
        self.room_classes = room_classes(scenario, keep)
        self._class_rooms = [scenario.rooms_by_id[key] for key in self.room_classes]
        self._interpreter_spans = {
            it.id: grid.interpreter_spans(it) for it in scenario.interpreters
        }
        # Interpreters who work the host's hours on every working day: any meeting start
        # suits them, no need to intersect their year with each meeting.
        self._always_available = {
            it.id
            for it in scenario.interpreters
            if self._interpreter_spans[it.id] == grid.host_spans
        }
        self._room_start_cache: dict[tuple[str, int], list[Span]] = {}
        self._interpreter_start_cache: dict[tuple[str, int], list[Span]] = {}
        self._start_cache: dict[tuple[str, str | None, int], list[Span]] = {}
        self._index_cache: dict[tuple[str, str | None], SpanIndex] = {}

    # ---- meetings ------------------------------------------------------------------

    def _span_index(self, participant: Participant) -> SpanIndex:
        """A participant's work spans, indexed for stretch lookups (cached per party and
        zone: the spans of a year are read once)."""
        key = (participant.country, participant.timezone)
        if key not in self._index_cache:
            self._index_cache[key] = SpanIndex(self.work_spans(participant))
        return self._index_cache[key]

    def work_spans(self, participant: Participant) -> list[WorkSpan]:
        """A participant's work spans in host minutes, its hours widened by ``stretch``, on
        its working days."""
        key = (participant.country, participant.timezone)
        if key not in self._participant_spans:
            self._participant_spans[key] = self.grid.participant_work_spans(participant)
        return self._participant_spans[key]

    def meeting(
        self, meeting: Meeting, index: int, placed: dict[str, MeetingOptions]
    ) -> MeetingOptions | Blocked:
        """Options of one meeting; ``placed`` holds the options of its predecessors."""
        scenario, grid = self.scenario, self.grid
        first, last = scenario.window_of(meeting)
        pin = meeting.pinned
        if pin and pin.date:
            first, last = max(first, pin.date), min(last, pin.date)
        if first > last:
            return Blocked("window", [self._window_text(meeting)])
        days = list(day_range(first, last))
        working_days = [d for d in days if grid.host_day_off(d) is None]
        if not working_days:
            offs = [(d, grid.host_day_off(d) or "") for d in days]
            return Blocked("holiday", [wording.agency_closed(offs)])
        duration = meeting.duration
        window = start_ranges([grid.host_hours_span(d) for d in working_days], duration)
        if pin and pin.start:
            pinned = grid.minute(pin.start)
            window = intersect_ranges(window, [(pinned, pinned)])
            if not window:
                text = wording.pinned_start_outside_hours(pin.start, scenario.host.hours)
                return Blocked("host_hours", [text])
        ranges = window
        for participant in meeting.required:
            ranges = intersect_ranges(ranges, self._starts_of(participant, duration))
        if not ranges:
            return self._participants_blocked(meeting, window, working_days) or Blocked(
                "working_hours", [wording.no_shared_hours()]
            )
        ranges, rooms, rooms_without, blocked = self._rooms(meeting, ranges)
        if blocked:
            return blocked
        ranges, languages, blocked = self._interpreters(meeting, ranges)
        if blocked:
            return blocked
        ranges, blocked = self._order(meeting, ranges, placed)
        if blocked:
            return blocked
        starts = grid.starts_in(ranges)
        start_set = set(starts)
        for room_id, room_starts in rooms.items():
            if room_starts is not None:
                rooms[room_id] = room_starts & start_set
        for need in languages:
            for interpreter_id, free in need.interpreters.items():
                if free is not None:
                    need.interpreters[interpreter_id] = free & start_set
        stretch_steps: dict[int, int] = {}
        if scenario.defaults.stretch:
            spans = [self._span_index(p) for p in meeting.required]
            for slot in starts:
                begin = grid.slot_minute(slot)
                steps = sum(s.steps(begin, begin + duration) or 0 for s in spans)
                if steps:
                    stretch_steps[slot] = steps
        optional = []
        for position, participant in enumerate(meeting.participants):
            if participant.required:
                continue
            span_index = self._span_index(participant)
            attendable = intersect_ranges(ranges, self._starts_of(participant, duration))
            # shared, never changed in place: most optional participants can make every start
            can = start_set if attendable == ranges else set(grid.starts_in(attendable))
            steps_by_start: dict[int, int] = {}
            if scenario.defaults.stretch:
                for slot in can:
                    begin = grid.slot_minute(slot)
                    attending_steps = span_index.steps(begin, begin + duration)
                    if attending_steps:
                        steps_by_start[slot] = attending_steps
            optional.append(OptionalAttendance(position, participant, can, steps_by_start))
        dates: dict[date, tuple[int, int]] = {}
        for day in working_days:  # a meeting lies inside the host hours of its date
            opening, closing = grid.host_hours_span(day)
            low = bisect.bisect_left(starts, -(-opening // grid.granularity))
            high = bisect.bisect_right(starts, closing // grid.granularity) - 1
            if low <= high:
                dates[day] = (starts[low], starts[high])
        return MeetingOptions(
            meeting=meeting,
            index=index,
            starts=starts,
            stretch_steps=stretch_steps,
            optional=optional,
            rooms=rooms,
            rooms_without=rooms_without,
            languages=languages,
            dates=dates,
        )

    def _window_text(self, meeting: Meeting) -> str:
        """The ``window`` reason of a meeting whose window leaves no date: a pinned date
        outside it, or a window outside the horizon."""
        horizon = self.scenario.horizon
        earliest = meeting.earliest or horizon.start
        latest = meeting.latest or horizon.end
        if meeting.pinned and meeting.pinned.date:
            return wording.pinned_date_outside_window(meeting.pinned.date, earliest, latest)
        return wording.window_outside_horizon(earliest, latest, horizon.start, horizon.end)

    def _starts_of(
        self,
        participant: Participant,
        duration: int,
        *,
        days_off: bool = True,
        unavailable: bool = True,
    ) -> list[Span]:
        """Start ranges at which a participant can attend; the flags relax rules for
        diagnosis (ignore its days off, or its unavailable windows)."""
        if days_off and unavailable:
            key = (participant.country, participant.timezone, duration)
            if key not in self._start_cache:
                spans = [(s.start, s.end) for s in self.work_spans(participant)]
                self._start_cache[key] = start_ranges(spans, duration)
            return self._start_cache[key]
        party = self.scenario.parties[participant.country]
        zone = participant.timezone or party.timezone
        stretch = self.scenario.defaults.stretch
        hours = party.working_hours
        spans = []
        for day in self.grid.local_dates():
            if days_off and self.grid.party_day_off(party, day) is not None:
                continue
            spans.append(
                (
                    self.grid.local_minute(day, hours.start, zone) - stretch,
                    self.grid.local_minute(day, hours.end, zone) + stretch,
                )
            )
        if unavailable:
            spans = subtract(spans, self.grid.unavailable_spans(party.unavailable, party.timezone))
        return start_ranges(spans, duration)

    def _participants_blocked(
        self, meeting: Meeting, window: list[Span], days: list[date]
    ) -> Blocked | None:
        """Name the first participant, or pair of participants, that leaves no time."""
        duration = meeting.duration
        people = meeting.required

        def classify(group: Sequence[Participant]) -> Blocked | None:
            """The first rule that leaves a group of participants no time, or ``None``."""
            hours_only = window
            with_days_off = window
            for p in group:
                hours_only = intersect_ranges(
                    hours_only, self._starts_of(p, duration, days_off=False, unavailable=False)
                )
                with_days_off = intersect_ranges(
                    with_days_off, self._starts_of(p, duration, unavailable=False)
                )
            names = " and ".join(self._describe(p) for p in group)
            span = wording.dates(days)
            if not hours_only:
                host = self.scenario.host
                if len(group) == 1:
                    text = wording.never_within_host_hours(
                        names, host.hours, host.timezone, duration, span
                    )
                else:
                    text = wording.share_no_hours(names, duration, span)
                return Blocked("working_hours", [text])
            if not with_days_off:
                return Blocked("holiday", [self._days_off_text(group, days)])
            full = window
            for p in group:
                full = intersect_ranges(full, self._starts_of(p, duration))
            if not full:
                return Blocked("unavailable", [wording.unavailable_whenever(names, span)])
            return None

        for participant in people:
            blocked = classify([participant])
            if blocked:
                return blocked
        for i, later in enumerate(people):
            for earlier in people[:i]:
                blocked = classify([earlier, later])
                if blocked:
                    return blocked
        blocked = classify(people)
        if blocked:
            return blocked
        return None

    def _describe(self, participant: Participant) -> str:
        """A participant as reasons name it: its code, working hours and zone."""
        party = self.scenario.parties[participant.country]
        zone = participant.timezone or party.timezone
        return wording.participant(participant.country, party.working_hours, zone)

    def _days_off_text(self, group: Sequence[Participant], days: list[date]) -> str:
        """Each day off of each participant of a group, with why, for the ``holiday`` reason."""
        offs = []
        for p in group:
            party = self.scenario.parties[p.country]
            for day in days:
                reason = self.grid.party_day_off(party, day)
                if reason and "weekend" not in reason:
                    offs.append(f"{day}: {reason}")
        codes = [p.country for p in group]
        return wording.no_common_working_day(codes, wording.dates(days), offs)

    def _rooms(
        self, meeting: Meeting, ranges: list[Span]
    ) -> tuple[list[Span], dict[str, set[int] | None], dict[str, set[str]], Blocked | None]:
        """The starts at which some room can hold the meeting, the candidate room classes
        with the starts at which their rooms are free, the classes lacking each feature that
        only optional participants need, and the first rule that leaves no room.

        A room seats the host staff and every invited in-person delegate, optional ones
        included (the room is booked for everyone invited); it has ``videoconference`` and
        ``interpretation_booths`` where required participants need them (SPEC 2.1 "Rooms")."""
        scenario, grid = self.scenario, self.grid
        wl = meeting.working_language
        seats = scenario.defaults.host_staff + sum(
            p.delegates for p in meeting.participants if p.attendance == "in_person"
        )
        always: set[str] = set()
        maybe: set[str] = set()
        for p in meeting.participants:
            needs = set()
            if p.attendance == "video":
                needs.add(VIDEOCONFERENCE)
            if p.attendance == "in_person" and p.language and p.language != wl:
                needs.add(BOOTHS)
            (always if p.required else maybe).update(needs)
        maybe -= always
        candidates = self._class_rooms
        pin_room = meeting.pinned.room if meeting.pinned else None
        if pin_room:
            candidates = [r for r in candidates if r.id == pin_room]
        big = [r for r in candidates if r.capacity >= seats]
        if not big:
            largest = max(candidates, key=lambda r: r.capacity, default=None)
            biggest = (largest.id, largest.capacity) if largest else None
            text = wording.too_many_seats(seats, scenario.defaults.host_staff, pin_room, biggest)
            return ranges, {}, {}, Blocked("room_capacity", [text])
        fitting = [r for r in big if always <= set(r.features)]
        if not fitting:
            text = wording.missing_features(sorted(always), seats, pin_room)
            return ranges, {}, {}, Blocked("room_feature", [text])
        rooms: dict[str, set[int] | None] = {}
        everywhere = grid.count_slots(ranges)
        partly: list[list[Span]] = []
        for room in fitting:
            free = intersect_ranges(ranges, self._room_starts(room.id, meeting.duration))
            count = grid.count_slots(free)
            if not count:
                continue
            if count == everywhere:
                rooms[room.id] = None
            else:
                rooms[room.id] = set(grid.starts_in(free))
                partly.append(free)
        # the starts some room is free at: all of them as soon as one room is always free
        usable = ranges if len(partly) < len(rooms) else merge_ranges(chain(*partly))
        if not rooms:
            text = wording.rooms_unavailable([r.id for r in fitting])
            return ranges, {}, {}, Blocked("unavailable", [text])
        rooms_without = {
            feature: {r for r in rooms if feature not in scenario.rooms_by_id[r].features}
            for feature in maybe
        }
        return intersect_ranges(ranges, usable), rooms, rooms_without, None

    def _room_starts(self, room_id: str, duration: int) -> list[Span]:
        """The starts at which a room is free of its unavailability for ``duration``
        (cached per room and duration)."""
        key = (room_id, duration)
        if key not in self._room_start_cache:
            self._room_start_cache[key] = start_ranges(self._room_spans[room_id], duration)
        return self._room_start_cache[key]

    def _interpreter_starts(self, interpreter_id: str, duration: int) -> list[Span]:
        """The starts at which an interpreter can work ``duration`` within their hours and
        not away (cached per interpreter and duration)."""
        key = (interpreter_id, duration)
        if key not in self._interpreter_start_cache:
            spans = self._interpreter_spans[interpreter_id]
            self._interpreter_start_cache[key] = start_ranges(spans, duration)
        return self._interpreter_start_cache[key]

    def _interpreters(
        self, meeting: Meeting, ranges: list[Span]
    ) -> tuple[list[Span], list[LanguageNeed], Blocked | None]:
        """The starts at which every language a required participant speaks has a team
        free, the candidate interpreters of each language (and the starts each can work),
        and the first rule that leaves none (SPEC 2.1 "Interpreters").

        A language needs a team of 1, or 2 when the meeting is longer than ``solo_max``,
        of interpreters who know it and the working language, each within their hours and
        not away; optional participants' languages are candidates, never required."""
        scenario, grid = self.scenario, self.grid
        wl = meeting.working_language
        team = scenario.interpreters_needed(meeting)
        by_language: dict[str, LanguageNeed] = {}
        for position, p in enumerate(meeting.participants):
            if not p.language or p.language == wl:
                continue
            need = by_language.setdefault(p.language, LanguageNeed(p.language, team, False, [], {}))
            if p.required:
                need.required = True
            else:
                need.optional_indices.append(position)
        allowed = ranges
        everywhere = grid.count_slots(ranges)
        for need in by_language.values():
            knowing = [
                it
                for it in scenario.interpreters
                if need.language in it.languages and wl in it.languages
            ]
            free_ranges = []
            free_always = 0
            for it in knowing:
                if meeting.duration > scenario.interpreter_max_per_day(it):
                    continue
                if it.id in self._always_available:
                    need.interpreters[it.id] = None
                    free_always += 1
                    continue
                free = intersect_ranges(ranges, self._interpreter_starts(it.id, meeting.duration))
                count = grid.count_slots(free)
                if count:
                    need.interpreters[it.id] = (
                        None if count == everywhere else set(grid.starts_in(free))
                    )
                    free_ranges.append(free)
            if not need.required:
                continue
            names = [it.id for it in knowing]
            if len(knowing) < need.team:
                solo_max = scenario.interpretation.solo_max
                text = wording.no_interpreters(need.language, wl, need.team, solo_max, names)
                return ranges, [], Blocked("interpreter", [text])
            if free_always >= need.team:
                continue  # enough interpreters can work whenever the meeting can
            enough = covered_by_at_least([*free_ranges, *[ranges] * free_always], need.team)
            if not grid.count_slots(intersect_ranges(allowed, enough)):
                text = wording.interpreters_never_free(need.language, wl, names, need.team)
                return ranges, [], Blocked("interpreter", [text])
            allowed = intersect_ranges(allowed, enough)
        return allowed, list(by_language.values()), None

    def _order(
        self, meeting: Meeting, ranges: list[Span], placed: dict[str, MeetingOptions]
    ) -> tuple[list[Span], Blocked | None]:
        """The starts after every predecessor's earliest end plus its gap, and the rule that
        leaves none: a predecessor that cannot be held, or one that always ends too late."""
        grid = self.grid
        for predecessor in meeting.after:
            options = placed.get(predecessor.meeting)
            if options is None:
                return ranges, Blocked("order", [wording.follows_unscheduled(predecessor.meeting)])
            earliest_end = grid.slot_minute(options.starts[0]) + options.duration
            ready = earliest_end + predecessor.gap
            kept = intersect_ranges(ranges, [(ready, ranges[-1][1])]) if ranges else []
            if not grid.count_slots(kept):
                text = wording.follows_too_late(
                    predecessor.gap, predecessor.meeting, grid.at(earliest_end)
                )
                return ranges, Blocked("order", [text])
            ranges = kept
        return ranges, None

    # ---- action days ------------------------------------------------------------------

    def centre_span(self, action_day: ActionDay, day: date) -> CentreDate:
        """The centre of an action day held on ``day`` (SPEC 2.2)."""
        return centre_date(self.scenario, self.grid, action_day, day)

    def action_day(
        self, action_day: ActionDay, index: int, placed: dict[str, MeetingOptions]
    ) -> ActionDayOptions | Blocked:
        """The options of one action day, or the first rule that leaves it no date (SPEC 2.2):
        its window's working days of the host and of every country, no whole day away, a
        centre room free for the span or a virtual centre, and time for its preparation."""
        scenario, grid = self.scenario, self.grid
        first, last = scenario.window_of(action_day)
        if first > last:
            earliest = action_day.earliest or scenario.horizon.start
            latest = action_day.latest or scenario.horizon.end
            return Blocked("window", [wording.action_day_outside_horizon(earliest, latest)])
        days = list(day_range(first, last))
        offs: list[str] = []
        unavailable: list[str] = []
        candidates = []
        for day in days:
            if not action_day.weekend:
                off = grid.host_day_off(day)
                if off:
                    offs.append(f"{day}: the agency ({off})")
                    continue
                party_offs = []
                away = False
                for code in action_day.countries:
                    party = scenario.parties[code]
                    reason = grid.party_day_off(party, day)
                    if reason:
                        party_offs.append(f"{day}: {code} {reason}")
                    elif any(u.date == day and u.hours is None for u in party.unavailable):
                        unavailable.append(f"{day}: {code} unavailable")
                        away = True
                if party_offs:
                    offs.extend(party_offs)
                    continue
                if away:  # a whole day unavailable closes it (SPEC 2.2)
                    continue
            candidates.append(day)
        if not candidates:
            if unavailable:
                return Blocked("unavailable", ["; ".join(unavailable + offs)])
            return Blocked("holiday", [wording.no_working_day_for_countries(offs)])
        if action_day.staff > scenario.coordination_centre.staff:
            text = wording.staff_pool(action_day.staff, scenario.coordination_centre.staff)
            return Blocked("staff", [text])
        centre_rooms = [r for r in self._class_rooms if CENTRE in r.features]
        virtual = action_day.virtual == "allowed"
        options = ActionDayOptions(action_day, index)
        order_texts = []
        for day in candidates:
            centre = self.centre_span(action_day, day)
            late = self._prepared_too_late(action_day, centre, placed)
            if late:
                order_texts.append(late)
                continue
            centre.rooms = [
                r.id
                for r in centre_rooms
                if grid.fits(self._room_spans[r.id], centre.open, centre.close)
            ]
            centre.virtual = virtual
            if centre.rooms or centre.virtual:
                options.dates.append(centre)
        if not options.dates:
            if order_texts:
                return Blocked("order", order_texts[:1])
            if not centre_rooms:
                return Blocked("centre", [wording.no_centre_room()])
            text = wording.centre_rooms_unavailable([r.id for r in centre_rooms])
            return Blocked("unavailable", [text])
        return options

    def _prepared_too_late(
        self, action_day: ActionDay, centre: CentreDate, placed: dict[str, MeetingOptions]
    ) -> str | None:
        """Why a centre on this date cannot be held after its preparatory meetings (one that
        cannot be held, or ends too late for the gap), or ``None`` when it can."""
        for predecessor in action_day.prepared_by:
            options = placed.get(predecessor.meeting)
            if options is None:
                return wording.preparation_unscheduled(predecessor.meeting)
            earliest_end = self.grid.slot_minute(options.starts[0]) + options.duration
            if earliest_end + predecessor.gap > centre.open:
                return wording.preparation_too_late(predecessor.meeting, predecessor.gap)
        return None


def centre_date(scenario: Scenario, grid: TimeGrid, action_day: ActionDay, day: date) -> CentreDate:
    """The centre of an action day on a date: operations per country, open and close
    (no room and not virtual yet)."""
    operations = {}
    for code in action_day.countries:
        party = scenario.parties[code]
        begin = grid.local_minute(day, action_day.local_start, party.timezone)
        operations[code] = (begin, begin + action_day.duration)
    opening = min(b for b, _ in operations.values()) - scenario.coordination_centre.setup
    closing = max(e for _, e in operations.values())
    return CentreDate(day, opening, closing, operations, [], False)


def room_classes(scenario: Scenario, keep: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Rooms that are interchangeable: the same capacity, features and unavailability,
    not pinned by any meeting and not in ``keep`` (rooms whose identity matters: those a
    baseline names). Keyed by the first room's id, in scenario order.

    The model books a class, not a room, so that a year with many identical rooms
    has a few room choices per meeting; rooms are assigned after solving
    (:func:`planner.solver.extract.assign_rooms`).
    """
    pinned = {m.pinned.room for m in scenario.meetings if m.pinned and m.pinned.room}
    classes: dict[str, list[str]] = {}
    representative: dict[object, str] = {}
    for room in scenario.rooms:
        if room.id in pinned or room.id in keep:
            classes[room.id] = [room.id]
            continue
        key = (room.capacity, frozenset(room.features), tuple(room.unavailable))
        if key in representative:
            classes[representative[key]].append(room.id)
        else:
            representative[key] = room.id
            classes[room.id] = [room.id]
    return classes


def build_options(
    scenario: Scenario, grid: TimeGrid, keep: frozenset[str] = frozenset()
) -> tuple[dict[str, MeetingOptions], dict[str, ActionDayOptions], dict[str, Blocked]]:
    """Options of every activity, and the activities that cannot be placed at all
    (``keep``: rooms booked each on its own, see :func:`room_classes`)."""
    builder = OptionBuilder(scenario, grid, keep)
    meetings: dict[str, MeetingOptions] = {}
    action_days: dict[str, ActionDayOptions] = {}
    blocked: dict[str, Blocked] = {}
    for index, meeting in _in_order(scenario.meetings):
        result = builder.meeting(meeting, index, meetings)
        if isinstance(result, Blocked):
            blocked[meeting.id] = result
        else:
            meetings[meeting.id] = result
    for index, action_day in enumerate(scenario.action_days):
        day_result = builder.action_day(action_day, index, meetings)
        if isinstance(day_result, Blocked):
            blocked[action_day.id] = day_result
        else:
            action_days[action_day.id] = day_result
    return meetings, action_days, blocked


def _in_order(meetings: Iterable[Meeting]) -> list[tuple[int, Meeting]]:
    """Meetings with their index, each after the meetings it follows (``after``)."""
    indexed = list(enumerate(meetings))
    by_id = {m.id: (i, m) for i, m in indexed}
    done: set[str] = set()
    ordered: list[tuple[int, Meeting]] = []

    def visit(meeting_id: str) -> None:
        """Follow the ``after`` and ``prepared_by`` edges from one activity (depth first)."""
        if meeting_id in done:
            return
        done.add(meeting_id)
        for predecessor in by_id[meeting_id][1].after:
            if predecessor.meeting in by_id:
                visit(predecessor.meeting)
        ordered.append(by_id[meeting_id])

    for _, meeting in indexed:
        visit(meeting.id)
    return ordered
