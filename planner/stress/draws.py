"""Drawing a sweep's disruptions (SPEC 2.7.6), each as a change file (SPEC 2.7 "Change
files") so that any one can be replayed with ``planner whatif`` or ``planner replan``.

Disruption ``i`` is drawn with its own random generator, seeded from the sweep's seed
and ``i``: the same seed draws the same disruptions, whatever ``-n`` and wherever the
re-plans run. Kinds take turns in the order given. Every disruption touches the
published plan after ``now`` (what starts before is frozen by the re-plan):

- ``room``: the room of a published activity is closed on its host date;
- ``desk``: a country taking part in a published activity is away on its local date
  (the whole date, in the country's zone);
- ``interpreter``: an interpreter booked for a published meeting is away on its host
  date;
- ``longer``: a published meeting lasts one hour longer;
- ``cancel``: a published meeting is removed, with the ``after`` and ``prepared_by``
  entries that name it;
- ``urgent``: a new high-priority meeting, a copy of a published one (its case,
  participants, languages and duration), to be held within a week of that meeting's date.

The activity each draw starts from is picked uniformly among those published after
``now``, so busy rooms, desks and interpreters are drawn as often as the plan uses
them. A drawn change that the scenario would refuse (a meeting that an hour more makes
longer than its participants' hours) is replaced by the next candidate of the same
generator.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.change import ChangeFile, apply_change, change_yaml, parse_change
from planner.models.baseline import Baseline, BaselineActionDay, BaselineMeeting
from planner.models.problems import InputError, Problem
from planner.models.scenario import Scenario
from planner.models.stress import KINDS, Disruption
from planner.models.types import format_duration

URGENT_WINDOW_DAYS = 7
"""An urgent meeting is held within this many days from its template's date on."""
SEED_LIMIT = 2**31 - 1
"""Re-plan seeds stay below CP-SAT's 32-bit limit."""


def disruption_name(index: int, kind: str) -> str:
    """Return the name of disruption ``index``: ``d007-room`` (from 1, with its kind)."""
    return f"d{index + 1:03d}-{kind}"


def disruption_seed(seed: int, index: int) -> int:
    """Return the re-plan seed of disruption ``index`` of a sweep seeded ``seed``: a hash
    of both, so that it depends on the disruption, never on where or when it runs."""
    digest = hashlib.sha256(f"planner-stress:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SEED_LIMIT


@dataclass(frozen=True)
class _Held:
    """A published activity after ``now``: its id, host date, room and interpreters."""

    id: str
    day: date
    start: datetime
    room: str | None
    interpreters: tuple[str, ...]
    meeting: BaselineMeeting | None
    action_day: BaselineActionDay | None


@dataclass(frozen=True)
class _Draw:
    """What one kind's draw makes: the change's edits as data, and its words."""

    edits: dict[str, Any]
    what: str
    resource: str
    target: str
    added: tuple[str, ...] = ()


class Drawer:
    """Draws disruptions of a scenario and its published plan (see the module)."""

    def __init__(self, scenario: Scenario, baseline: Baseline, now: datetime) -> None:
        """Read what the plan holds from ``now`` on, into one pool of candidates per
        kind (activities in a room, meetings with interpreters...), in a fixed order."""
        self.scenario = scenario
        self.now = now
        self.host = ZoneInfo(scenario.host.timezone)
        self.data: dict[str, Any] = scenario.model_dump(
            by_alias=True, exclude_defaults=True, mode="json"
        )
        rooms = {room.id for room in scenario.rooms}
        interpreters = {interpreter.id for interpreter in scenario.interpreters}
        held: list[_Held] = []
        for meeting in baseline.meetings:
            if meeting.id in scenario.meetings_by_id and meeting.start >= now:
                team = sorted({n for names in meeting.interpreters.values() for n in names})
                held.append(
                    _Held(
                        meeting.id,
                        meeting.start.astimezone(self.host).date(),
                        meeting.start,
                        meeting.room if meeting.room in rooms else None,
                        tuple(name for name in team if name in interpreters),
                        meeting,
                        None,
                    )
                )
        for centre in baseline.action_days:
            if centre.id in scenario.action_days_by_id and centre.centre_open >= now:
                held.append(
                    _Held(
                        centre.id,
                        centre.centre_open.astimezone(self.host).date(),
                        centre.centre_open,
                        centre.room if centre.room in rooms else None,
                        (),
                        None,
                        centre,
                    )
                )
        held.sort(key=lambda h: (h.start, h.id))
        meetings = [h for h in held if h.meeting is not None]
        self.pools: dict[str, list[_Held]] = {
            "room": [h for h in held if h.room is not None],
            "desk": held,
            "interpreter": [h for h in meetings if h.interpreters],
            "longer": meetings,
            "cancel": meetings,
            "urgent": meetings,
        }
        self._makers: dict[str, Callable[[_Held, random.Random, int], _Draw]] = {
            "room": self._room,
            "desk": self._desk,
            "interpreter": self._interpreter,
            "longer": self._longer,
            "cancel": self._cancel,
            "urgent": self._urgent,
        }

    def check_kinds(self, kinds: Sequence[str]) -> None:
        """Refuse kinds that cannot be drawn from this plan.

        Raises
        ------
        InputError
            An unknown kind, or a kind with nothing to draw from after ``now`` (no meeting
            with an interpreter, no activity in a room...), located at ``kinds``.
        """
        problems = []
        for index, kind in enumerate(kinds):
            if kind not in KINDS:
                problems.append(
                    Problem(("kinds", index), f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
                )
            elif not self.pools[kind]:
                problems.append(
                    Problem(
                        ("kinds", index),
                        f"nothing to draw {kind!r} from: the plan holds no "
                        f"{_POOL_WORDS[kind]} starting at {self.now.isoformat()} or later",
                    )
                )
        if problems:
            raise InputError(problems, "")

    def draw(self, seed: int, index: int, kind: str) -> tuple[Disruption, Scenario]:
        """Return disruption ``index`` of a sweep seeded ``seed``, of ``kind``, and the
        scenario with its change applied (validated whole, as ``planner whatif`` applies
        a change file).

        Raises
        ------
        InputError
            When no candidate of the plan makes a change the scenario accepts.
        """
        rng = random.Random(f"planner-stress:{seed}:{index}")
        candidates = list(self.pools[kind])
        rng.shuffle(candidates)
        last_error: InputError | None = None
        for held in candidates:
            made = self._makers[kind](held, rng, index)
            disruption = Disruption(
                index=index,
                name=disruption_name(index, kind),
                kind=kind,
                what=made.what,
                resource=made.resource,
                target=made.target,
                change=ChangeFile.model_validate(made.edits).model_dump(
                    mode="json", exclude_defaults=True
                ),
                seed=disruption_seed(seed, index),
                added=made.added,
            )
            change = parse_change(change_text(disruption), disruption.name, disruption.name)
            try:
                return disruption, apply_change(self.scenario, change)
            except InputError as error:
                last_error = error
        detail = f": {last_error.problems[0]}" if last_error and last_error.problems else ""
        message = f"no {kind!r} disruption of this plan makes a valid change{detail}"
        raise InputError([Problem(("kinds",), message)], "")

    # ---- one maker per kind ----------------------------------------------------------

    def _entry(self, block: str, key: str, identifier: str) -> dict[str, Any]:
        """Return the scenario's entry of ``block`` with this id or code, as a change
        file writes it (``{}`` when there is none, a catalogue country)."""
        return next((e for e in self.data.get(block, []) if e.get(key) == identifier), {})

    def _room(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Close the activity's room on its host date, keeping the room's other
        unavailable entries (an ``update`` replaces the list it names)."""
        room = held.room or ""
        closed = [*self._entry("rooms", "id", room).get("unavailable", []), held.day.isoformat()]
        return _Draw(
            {"update": {"rooms": {room: {"unavailable": closed}}}},
            f"room {room} closed on {held.day.isoformat()} ({held.id} held there)",
            f"room {room}",
            held.id,
        )

    def _desk(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Make one country taking part in the activity (an attending participant of a
        meeting, a country of an action day) away for the whole of its local date; a
        catalogue country the scenario does not list gets an entry of its own."""
        if held.meeting is not None:
            meeting = self.scenario.meetings_by_id[held.id]
            codes = [p.country for p in meeting.participants if p.country not in _absent(held)]
        else:
            codes = list(self.scenario.action_days_by_id[held.id].countries)
        code = rng.choice(sorted(codes))
        party = self.scenario.parties[code]
        if held.action_day is not None:
            day = held.action_day.date
        else:
            day = held.start.astimezone(ZoneInfo(party.timezone)).date()
        away = [*self._entry("countries", "code", code).get("unavailable", []), day.isoformat()]
        return _Draw(
            {"update": {"countries": {code: {"unavailable": away}}}},
            f"desk {code} away on {day.isoformat()} ({held.id} needs it)",
            f"desk {code}",
            held.id,
        )

    def _interpreter(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Make one interpreter booked for the meeting absent on its host date."""
        name = rng.choice(held.interpreters)
        entry = self._entry("interpreters", "id", name)
        away = [*entry.get("unavailable", []), held.day.isoformat()]
        return _Draw(
            {"update": {"interpreters": {name: {"unavailable": away}}}},
            f"interpreter {name} absent on {held.day.isoformat()} ({held.id} booked them)",
            f"interpreter {name}",
            held.id,
        )

    def _longer(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Make the meeting one hour longer (the scenario refuses it when that passes a
        participant's hours: the draw then takes its next candidate)."""
        minutes = self.scenario.meetings_by_id[held.id].duration + 60
        return _Draw(
            {"update": {"meetings": {held.id: {"duration": format_duration(minutes)}}}},
            f"{held.id} one hour longer ({format_duration(minutes)})",
            f"meeting {held.id}",
            held.id,
        )

    def _cancel(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Remove the meeting, and the ``after`` and ``prepared_by`` entries naming it
        (else the change would leave a reference to a meeting that is gone)."""
        gone = held.id
        update: dict[str, dict[str, Any]] = {}
        for block, key in (("meetings", "after"), ("action_days", "prepared_by")):
            for entry in self.data.get(block, []):
                before = entry.get(key, [])
                kept = [p for p in before if p.get("meeting") != gone]
                if len(kept) != len(before):
                    update.setdefault(block, {})[entry["id"]] = {key: kept}
        edits: dict[str, Any] = {"remove": {"meetings": [gone]}}
        if update:
            edits["update"] = update
        return _Draw(edits, f"{gone} cancelled", f"meeting {gone}", gone)

    def _urgent(self, held: _Held, rng: random.Random, index: int) -> _Draw:
        """Add a high-priority copy of the meeting (case, participants, languages,
        duration; no order, pin or preference) to be held within
        :data:`URGENT_WINDOW_DAYS` from the meeting's date, under a new id."""
        template = self._entry("meetings", "id", held.id)
        taken = set(self.scenario.meetings_by_id) | set(self.scenario.action_days_by_id)
        new_id = f"{held.id}-U{index + 1}"
        while new_id in taken:
            new_id += "x"
        copied = {
            key: value
            for key, value in template.items()
            if key in ("case", "duration", "participants", "working_language")
        }
        last = min(held.day + timedelta(days=URGENT_WINDOW_DAYS - 1), self.scenario.horizon.end)
        copied.update(
            id=new_id,
            title=f"Urgent, like {held.id}",
            priority="high",
            earliest=held.day.isoformat(),
            latest=last.isoformat(),
        )
        return _Draw(
            {"add": {"meetings": [copied]}},
            f"urgent {new_id} like {held.id}, by {last.isoformat()}",
            f"urgent meeting like {held.id}",
            held.id,
            (new_id,),
        )


_POOL_WORDS = {
    "room": "activity in a room",
    "desk": "activity",
    "interpreter": "meeting with an interpreter",
    "longer": "meeting",
    "cancel": "meeting",
    "urgent": "meeting",
}


def _absent(held: _Held) -> list[str]:
    """The optional participants a published meeting holds without."""
    return list(held.meeting.absent) if held.meeting is not None else []


def change_text(disruption: Disruption) -> str:
    """Return a disruption's change file (``planner whatif --change`` reads it)."""
    return change_yaml(ChangeFile.model_validate(disruption.change))


def check_kinds(
    scenario: Scenario, baseline: Baseline, now: datetime, kinds: Sequence[str]
) -> None:
    """Refuse kinds that are unknown or cannot be drawn from the plan after ``now``
    (:meth:`Drawer.check_kinds`), before any work.

    Raises
    ------
    InputError
        Every such kind, located at ``kinds[i]``.
    """
    Drawer(scenario, baseline, now).check_kinds(kinds)


def draw_disruptions(
    scenario: Scenario,
    baseline: Baseline,
    now: datetime,
    *,
    count: int,
    seed: int,
    kinds: Sequence[str] = KINDS,
) -> list[Disruption]:
    """Draw ``count`` disruptions of the given kinds, taking turns (see the module), one
    after another here; a sweep draws each in the process that re-plans it.

    Parameters
    ----------
    scenario, baseline
        The scenario and its published plan.
    now
        The moment of the re-plans: only what the plan holds from then on is disrupted.
    count
        How many disruptions.
    seed
        The sweep's seed: disruption ``i`` is drawn from it and ``i`` alone.
    kinds
        The kinds, taking turns in this order (:data:`~planner.models.stress.KINDS`).

    Returns
    -------
    list of Disruption
        In the order drawn, each with its change file as data and its re-plan's seed.

    Raises
    ------
    InputError
        When a kind is unknown or cannot be drawn from the plan after ``now``.
    """
    drawer = Drawer(scenario, baseline, now)
    drawer.check_kinds(kinds)
    return [drawer.draw(seed, index, kinds[index % len(kinds)])[0] for index in range(count)]
