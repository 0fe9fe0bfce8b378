"""Meetings and action days of the cases, drawn in their placed windows: durations,
participants, languages, priorities, preferred dates, action days' operations, and
which action days are critical or may fall on a weekend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from planner.generate.calibration import (
    ACTION_DAY_DURATIONS,
    ACTION_DAY_LOCAL_STARTS,
    DEFAULTS,
    DELEGATES,
    FAR_OFFSET_HOURS,
    HOST,
    IN_PERSON_SHARE,
    INTERPRETATION,
    INTERPRETED_SHARE,
    LATENESS_BUDGET,
    MEETING_DURATIONS,
    OBJECTIVE,
    PREFERRED_CHANCE,
    PRIORITIES,
)
from planner.generate.cases import Case, zone_of
from planner.generate.state import GeneratorState, draw
from planner.generate.variety import FIRST_VALID_PREFERRED_CHANCE, MAX_INTERPRETED_LANGUAGES
from planner.models.catalogue import CATALOGUE
from planner.models.types import format_duration, format_time_of_day


def draw_meetings(
    state: GeneratorState, case: Case, rooms: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Draw a case's meetings, one per window of its chain: duration, participants
    (attendance, delegates, languages), priority, preferred date and ``after`` links."""
    rng = state.rng
    calendar = state.calendar
    languages = {
        code: CATALOGUE[code].language
        for code in case.countries
        if code != HOST.country
        and CATALOGUE[code].language != "en"
        and rng.random() < INTERPRETED_SHARE
    }
    if languages:
        languages = multilingual(state, case, languages)
    zones = {code: zone_of(state, case, code) for code in case.parties}
    far = {code for code in case.parties if calendar.offset_hours(zones[code]) >= FAR_OFFSET_HOURS}
    booth_capacity = second_largest(
        r["capacity"] for r in rooms if "interpretation_booths" in r["features"]
    )
    any_capacity = second_largest(
        r["capacity"] for r in rooms if "coordination_centre" not in r["features"]
    )
    meetings = []
    for position, (earliest, latest) in enumerate(case.windows):
        identifier = f"CM-{case.number}-{position + 1}"
        days = calendar.valid_days(case.required, earliest, latest)
        longest = calendar.common_minutes([zones[code] for code in case.required], days)
        duration = draw(rng, MEETING_DURATIONS)
        if case.critical and position == 0:
            duration = min(duration, 120)
        if languages:
            duration = min(duration, INTERPRETATION.max_per_day)
        duration = max(30, min(duration, longest // 15 * 15))
        participants = []
        for code in case.parties:
            entry: dict[str, Any] = {"country": code}
            if code in case.zones:
                entry["timezone"] = case.zones[code]
            video = code in far or rng.random() > (
                0.9 if code == HOST.country else 0.6 if code == "EUROPOL" else IN_PERSON_SHARE
            )
            if video:
                entry["attendance"] = "video"
            delegates = draw(rng, DELEGATES)
            if delegates > 1:
                entry["delegates"] = delegates
            if code in languages:
                entry["language"] = languages[code]
            if code in case.optional:
                entry["required"] = False
            participants.append(entry)
        fit_room(participants, booth_capacity, any_capacity)
        meeting: dict[str, Any] = {"id": identifier, "case": case.identifier}
        if case.has_action_day and position == case.meetings - 1:
            meeting["title"] = "Preparation of the action day"
        meeting |= {
            "duration": format_duration(duration),
            "participants": participants,
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
        }
        if case.critical and position == 0:
            priority = "critical"
        elif case.has_action_day and position == case.meetings - 1:
            priority = "high"
        else:
            priority = draw(rng, PRIORITIES)
        prefers = may_prefer(priority, (latest - earliest).days) and rng.random() < PREFERRED_CHANCE
        preferred = earliest if prefers else None
        if state.variety.preferred_share is not None:
            preferred = preferred_date(state, priority, days, latest)
        if preferred is not None:
            meeting["preferred"] = preferred.isoformat()
        if priority != "normal":
            meeting["priority"] = priority
        if position > 0:
            previous = f"CM-{case.number}-{position}"
            gap = format_duration(case.gaps[position] * 24 * 60)
            meeting["after"] = [{"meeting": previous, "gap": gap}]
        meetings.append(meeting)
    return meetings


def multilingual(state: GeneratorState, case: Case, languages: dict[str, str]) -> dict[str, str]:
    """Return the interpretation languages of a case's meetings: every language its
    delegations speak other than English, up to ``MAX_INTERPRETED_LANGUAGES``, for a
    share of the cases that speak several (``Variety.multilingual_share``, its own
    stream); else ``languages`` as drawn.
    """
    share = state.variety.multilingual_share
    spoken = {
        code: CATALOGUE[code].language
        for code in case.countries
        if code != HOST.country and CATALOGUE[code].language != "en"
    }
    if not share or len(set(spoken.values())) < 2:
        return languages
    if state.stream("multilingual").random() >= share:
        return languages
    # The languages already drawn come first, then the others in the case's order.
    ordered = sorted(spoken, key=lambda code: code not in languages)
    chosen: dict[str, str] = {}
    for code in ordered:
        language = spoken[code]
        distinct = set(chosen.values())
        if language in distinct or len(distinct) < MAX_INTERPRETED_LANGUAGES:
            chosen[code] = language
    return {code: chosen[code] for code in case.countries if code in chosen}


def preferred_date(
    state: GeneratorState, priority: str, days: Sequence[date], latest: date
) -> date | None:
    """Return a preferred date for a share of the meetings (``Variety.preferred_share``, its
    own stream): one of the ``days`` it can take, late enough that holding it on
    ``latest`` costs at most ``LATENESS_BUDGET`` of leaving it out; ``None`` otherwise.
    """
    share = state.variety.preferred_share
    rng = state.stream("preferred")
    if share is None or rng.random() >= share:
        return None
    if priority == "critical":
        eligible = list(days)
    else:
        weight = getattr(OBJECTIVE.unscheduled, priority)
        budget_days = int(LATENESS_BUDGET * weight / OBJECTIVE.lateness_per_day)
        eligible = [day for day in days if (latest - day).days <= budget_days]
    if not eligible:
        return None
    if rng.random() < FIRST_VALID_PREFERRED_CHANCE:
        return eligible[0]
    return rng.choice(eligible)


def draw_action_day(state: GeneratorState, case: Case) -> dict[str, Any]:
    """Draw a case's action day in its window: operation start and length, staff,
    whether it may run virtually, ``prepared_by`` its last meeting."""
    rng = state.rng
    assert case.action_day_window is not None
    earliest, latest = case.action_day_window
    # A centre that must have a room is never one of two struck on the same date.
    virtual = "never" if case.joint_with is None and rng.random() < 0.15 else "allowed"
    return {
        "id": f"AD-{case.number}",
        "case": case.identifier,
        "countries": case.action_day_countries,
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
        "local_start": format_time_of_day(draw(rng, ACTION_DAY_LOCAL_STARTS)),
        "duration": format_duration(draw(rng, ACTION_DAY_DURATIONS)),
        "staff": case.action_day_staff,
        "prepared_by": [
            {
                "meeting": f"CM-{case.number}-{case.meetings}",
                "gap": format_duration(case.action_day_gap * 24 * 60),
            }
        ],
        "virtual": virtual,
        "priority": "high",
    }


def mark_action_days(
    state: GeneratorState, cases: list[Case], action_days: list[dict[str, Any]]
) -> None:
    """Make some action days critical and let some fall on a weekend
    (``Variety.critical_action_days_per_year``, ``weekend_action_days_per_year``, their
    own stream).

    Critical ones are those of unlinked cases that may run virtually first: no partner
    on the same date, no room needed. Weekend ones are others where there are enough.
    """
    critical = min(state.per_horizon(state.variety.critical_action_days_per_year), len(cases))
    weekend = min(state.per_horizon(state.variety.weekend_action_days_per_year), len(cases))
    if not (critical or weekend):
        return
    rng = state.stream("action_days")
    order = list(range(len(cases)))
    rng.shuffle(order)
    order.sort(key=lambda i: (cases[i].cluster is not None, action_days[i]["virtual"] != "allowed"))
    for i in order[:critical]:
        action_days[i]["priority"] = "critical"
    # Weekend ones differ from the critical ones where there are enough action days.
    rest = order[critical:] + order[:critical]
    for i in rest[:weekend]:
        entry = action_days[i]
        # ``weekend`` is written before ``priority``, in SPEC's order of the keys.
        priority = entry.pop("priority")
        entry["weekend"] = True
        entry["priority"] = priority


def may_prefer(priority: str, window_days: int) -> bool:
    """Return whether a meeting may prefer its earliest date: held on its latest date, its
    lateness must still cost well below leaving it out (``LATENESS_BUDGET``).
    """
    if priority == "critical":
        return True
    weight = getattr(OBJECTIVE.unscheduled, priority)
    return OBJECTIVE.lateness_per_day * window_days <= LATENESS_BUDGET * weight


def second_largest(capacities: Iterable[int]) -> int:
    """Return the second largest capacity (the largest when there is one, else 0)."""
    ordered = sorted(capacities, reverse=True)
    return ordered[1] if len(ordered) > 1 else ordered[0] if ordered else 0


def fit_room(participants: list[dict[str, Any]], booths: int, any_room: int) -> None:
    """Send the largest delegations of a meeting to video until those in person and the
    host staff fit the second largest room they need (one with booths when someone in
    person needs interpretation).
    """

    def in_person() -> list[dict[str, Any]]:
        """Return the participants who attend in person."""
        return [p for p in participants if p.get("attendance") != "video"]

    def fits() -> bool:
        """Whether the in-person participants and host staff fit the room they need."""
        present = in_person()
        seats = DEFAULTS.host_staff + sum(p.get("delegates", 1) for p in present)
        needs_booths = any("language" in p for p in present)
        return seats <= (booths if needs_booths else any_room)

    while not fits():
        largest = max(in_person(), key=lambda p: (p.get("delegates", 1), p["country"]))
        largest["attendance"] = "video"
