"""Pins (SPEC 2.1 "Pinned"): meetings whose start, date or room is fixed before planning,
for the varieties that ask for them; each pin is read off the project's time grid so
that every pinned meeting can still be held and no two pins collide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.generate.state import GeneratorState, draw
from planner.generate.variety import PIN_KINDS, PIN_START_TARGETS
from planner.models.scenario import BOOTHS, CENTRE, VIDEOCONFERENCE, Meeting, Room, Scenario
from planner.timegrid import Span, TimeGrid


def pin_meetings(state: GeneratorState, data: dict[str, Any]) -> None:
    """Pin ``Variety.pins_per_year`` meetings (pro rata, its own stream), each kind of
    ``PIN_KINDS`` in turn, where the project's time grid and catalogue say that they can
    be held; meetings in an ``after`` or ``prepared_by`` chain are left free.
    """
    count = state.per_horizon(state.variety.pins_per_year)
    if not count:
        return
    rng = state.stream("pins")
    scenario = Scenario.model_validate(data)
    grid = TimeGrid(scenario)
    # Meetings in a chain are left free: a pin would fix their neighbours' dates too.
    chained = {p.meeting for m in scenario.meetings for p in m.after}
    chained |= {p.meeting for a in scenario.action_days for p in a.prepared_by}
    candidates = [
        index
        for index, meeting in enumerate(scenario.meetings)
        if not meeting.after and meeting.id not in chained and meeting.priority != "critical"
    ]
    rng.shuffle(candidates)
    book = PinBook(scenario, grid)
    pinned = 0
    for index in candidates:
        if pinned == count:
            break
        kind = PIN_KINDS[pinned % len(PIN_KINDS)]
        pin = book.pin(scenario.meetings[index], kind, rng)
        if pin is not None:
            data["meetings"][index]["pinned"] = pin
            pinned += 1


@dataclass
class FloatingPin:
    """A pin that leaves the time open: the starts (minutes) and rooms it may still take,
    and whether it still needs interpreters (a date pin has its team booked for its date)."""

    meeting: Meeting
    starts: list[int]
    rooms: list[Room]
    needs_interpreters: bool


class PinBook:
    """What the pinned meetings take, read off the project's time grid, and whether one
    more pin still fits.

    A pin fits when the meeting may start then by the grid's rules (window, host hours,
    every required participant's hours on a working day of theirs, days away), a room
    with the seats and features is free around it (room buffer included) and a team of
    interpreters per language is there. No two pinned meetings share a party on a host
    date, or an interpreter on a date, or a room at once; every pin that leaves its time
    open keeps a start with a room and interpreters free.
    """

    def __init__(self, scenario: Scenario, grid: TimeGrid) -> None:
        """Start an empty book: no pin yet, every room's and interpreter's spans read."""
        self.scenario = scenario
        self.grid = grid
        self.buffer = scenario.defaults.room_buffer
        self.parties_on: dict[date, set[str]] = {}
        self.interpreters_on: dict[date, set[str]] = {}
        self.room_uses: dict[str, list[Span]] = {room.id: [] for room in scenario.rooms}
        self.room_spans = {room.id: grid.room_spans(room) for room in scenario.rooms}
        self.interpreter_spans = {
            interpreter.id: grid.interpreter_spans(interpreter)
            for interpreter in scenario.interpreters
        }
        self.floating: list[FloatingPin] = []

    def pin(
        self, meeting: Meeting, kind: tuple[str, ...], rng: random.Random
    ) -> dict[str, str] | None:
        """Pin a meeting as ``kind`` says, if it fits (see the class).

        Parameters
        ----------
        meeting
            The meeting to pin.
        kind
            ``("start", "room")``, ``("room",)`` or ``("date",)``.
        rng
            The pins' random stream.

        Returns
        -------
        dict or None
            The ``pinned:`` entry (``start`` and ``room``, ``room``, or ``date``), or ``None``
            when no room, date or start fits.
        """
        rooms = self._rooms(meeting)
        if not rooms:
            return None
        grid = self.grid
        by_date: dict[date, list[int]] = {}
        for slot in grid.allowed_starts(meeting):
            minute = grid.slot_minute(slot)
            by_date.setdefault(grid.host_date(minute), []).append(minute)
        if kind == ("room",):
            starts = [minute for minutes in by_date.values() for minute in minutes]
            fitting = [
                room for room in rooms if self._fits(FloatingPin(meeting, starts, [room], True))
            ]
            if not fitting:
                return None
            room = rng.choice(fitting)
            self.floating.append(FloatingPin(meeting, starts, [room], True))
            return {"room": room.id}
        parties = {participant.country for participant in meeting.participants}
        dates = [day for day in by_date if not self.parties_on.get(day, set()) & parties]
        rng.shuffle(dates)
        target = draw(rng, PIN_START_TARGETS)
        for day in dates:
            midnight = grid.day_start(day)
            starts = sorted(by_date[day], key=lambda m: (abs(m - midnight - target), m))
            for start in starts:
                end = start + meeting.duration
                team = self._interpreters(meeting, day, start, end)
                free = [room for room in rooms if self._room_free(room, start, end)]
                if team is None or not free:
                    continue
                room = rng.choice(free)
                booked = (room, start, end) if "start" in kind else None
                if not self._book(day, parties, team, booked):
                    continue
                if booked is not None:
                    return {"start": grid.at(start).strftime("%Y-%m-%dT%H:%M"), "room": room.id}
                self.floating.append(FloatingPin(meeting, by_date[day], rooms, False))
                return {"date": day.isoformat()}
        return None

    def _book(
        self,
        day: date,
        parties: set[str],
        team: list[str],
        room_use: tuple[Room, int, int] | None,
    ) -> bool:
        """Book a pin's parties and interpreters on ``day`` and its room, if any, unless
        that leaves a pin with an open time nowhere to go."""
        interpreters = self.interpreters_on.setdefault(day, set())
        new_interpreters = [interpreter for interpreter in team if interpreter not in interpreters]
        interpreters.update(new_interpreters)
        if room_use is not None:
            room, start, end = room_use
            self.room_uses[room.id].append((start, end))
        if all(self._fits(pin) for pin in self.floating):
            self.parties_on.setdefault(day, set()).update(parties)
            return True
        interpreters.difference_update(new_interpreters)
        if room_use is not None:
            self.room_uses[room_use[0].id].pop()
        return False

    def _fits(self, pin: FloatingPin) -> bool:
        """Whether a pin with an open time has a start with a room (and interpreters)."""
        meeting = pin.meeting
        for start in pin.starts:
            end = start + meeting.duration
            if not any(self._room_free(room, start, end) for room in pin.rooms):
                continue
            if pin.needs_interpreters:
                day = self.grid.host_date(start)
                if self._interpreters(meeting, day, start, end) is None:
                    continue
            return True
        return False

    def _rooms(self, meeting: Meeting) -> list[Room]:
        """Meeting rooms (no centre's) with a seat for everyone invited in person and
        every feature that anyone invited needs."""
        in_person = [p for p in meeting.participants if p.attendance == "in_person"]
        seats = self.scenario.defaults.host_staff + sum(p.delegates for p in in_person)
        needs = set()
        if any(p.attendance == "video" for p in meeting.participants):
            needs.add(VIDEOCONFERENCE)
        if any(p.language and p.language != meeting.working_language for p in in_person):
            needs.add(BOOTHS)
        return [
            room
            for room in self.scenario.rooms
            if CENTRE not in room.features
            and room.capacity >= seats
            and needs <= set(room.features)
        ]

    def _room_free(self, room: Room, start: int, end: int) -> bool:
        """Whether ``room`` is open and unbooked from a buffer before ``start`` to one
        after ``end``."""
        buffer = self.buffer
        if not self.grid.fits(self.room_spans[room.id], start - buffer, end + buffer):
            return False
        return all(
            end + buffer <= used_start or used_end + buffer <= start
            for used_start, used_end in self.room_uses[room.id]
        )

    def _interpreters(self, meeting: Meeting, day: date, start: int, end: int) -> list[str] | None:
        """A team per interpretation language, free at ``[start, end)`` and of any other
        pinned meeting that date; ``None`` when a language has too few."""
        scenario = self.scenario
        working = meeting.working_language
        languages = sorted(
            {p.language for p in meeting.participants if p.language and p.language != working}
        )
        taken = self.interpreters_on.get(day, set())
        team: list[str] = []
        for language in languages:
            able = [
                interpreter.id
                for interpreter in scenario.interpreters
                if {language, working} <= set(interpreter.languages)
                and interpreter.id not in taken
                and interpreter.id not in team
                and scenario.interpreter_max_per_day(interpreter) >= meeting.duration
                and self.grid.fits(self.interpreter_spans[interpreter.id], start, end)
            ]
            needed = scenario.interpreters_needed(meeting)
            if len(able) < needed:
                return None
            team.extend(able[:needed])
        return team
