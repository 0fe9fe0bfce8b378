"""The agency's resources: rooms, interpreters, and national desks' days away.

Interpreter pools follow the interpreted meetings drawn (DOMAIN.md: at least two per
language); desks' afternoons away are called off where they would leave a meeting no
start, as the project's time grid reads it.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

from planner.generate.calibration import (
    CENTRE_ROOMS_PER_UNIT,
    EU_DESK_WEIGHTS,
    INTERPRETED_MEETINGS_PER_INTERPRETER,
    MEETING_ROOMS,
    MEETING_ROOMS_PER_UNIT,
)
from planner.generate.state import GeneratorState, sample


def draw_rooms(state: GeneratorState) -> list[dict[str, Any]]:
    """Draw the agency's rooms at its scale: meeting rooms (5 per unit, some with booths,
    one closed a morning a quarter for booth maintenance) and centre rooms (1-2)."""
    rooms: list[dict[str, Any]] = []
    for index in range(math.ceil(MEETING_ROOMS_PER_UNIT * state.scale)):
        capacity, booths = MEETING_ROOMS[index % len(MEETING_ROOMS)]
        features = ["videoconference", "interpretation_booths"] if booths else ["videoconference"]
        room: dict[str, Any] = {
            "id": f"{'P' if booths else 'M'}{index + 1}",
            "capacity": capacity,
            "features": features,
        }
        rooms.append(room)
    # Booth maintenance: a morning a quarter in one of the booth rooms.
    maintenance = state.sample_days(max(1, round(4 * state.year_fraction())))
    if maintenance:
        rooms[0]["unavailable"] = [
            {"date": day.isoformat(), "hours": "08:00-12:00"} for day in maintenance
        ]
    for index in range(max(1, round(CENTRE_ROOMS_PER_UNIT * state.scale))):
        rooms.append(
            {
                "id": f"CC{index + 1}",
                "capacity": 24 if index % 2 == 0 else 16,
                "features": ["coordination_centre", "secure_line", "videoconference"],
            }
        )
    return rooms


def keep_a_start(
    state: GeneratorState, countries: list[dict[str, Any]], meetings: list[dict[str, Any]]
) -> None:
    """Call off a desk's afternoon away where it leaves a meeting no start.

    Chains are placed on whole working days; an afternoon away can take the only
    hours that far participants share with the others. The project's time grid
    decides whether a meeting still has a start.
    """
    afternoons = [
        (entry["code"], date.fromisoformat(away["date"]))
        for entry in countries
        for away in entry["unavailable"]
        if isinstance(away, dict)
    ]
    for meeting in meetings:
        first = date.fromisoformat(meeting["earliest"])
        last = date.fromisoformat(meeting["latest"])
        required = {p["country"] for p in meeting["participants"] if p.get("required", True)}
        touching = [
            (code, day) for code, day in afternoons if code in required and first <= day <= last
        ]
        if not touching:
            continue
        if state.calendar.has_a_start(meeting):
            continue
        for entry in countries:
            entry["unavailable"] = [
                away
                for away in entry["unavailable"]
                if not isinstance(away, dict)
                or (entry["code"], date.fromisoformat(away["date"])) not in touching
            ]
        afternoons = [afternoon for afternoon in afternoons if afternoon not in touching]
        state.calendar.set_countries(countries)


def desks_away(state: GeneratorState) -> list[dict[str, Any]]:
    """Return a few national desks' days away as ``countries:`` entries: two whole days a
    year and an afternoon for three desks (a seminar, a strike, a training).
    """
    entries = []
    desks = sample(state.rng, {k: v for k, v in EU_DESK_WEIGHTS.items() if k != "NL"}, 3)
    for code in sorted(desks):
        whole = state.sample_days(max(1, round(2 * state.year_fraction())))
        afternoon = state.sample_days(1)
        unavailable: list[Any] = [day.isoformat() for day in whole]
        unavailable += [
            {"date": day.isoformat(), "hours": "13:00-17:00"}
            for day in afternoon
            if day not in whole
        ]
        entries.append({"code": code, "unavailable": unavailable})
    state.calendar.set_countries(entries)
    return entries


def draw_interpreters(
    state: GeneratorState, meetings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Draw the interpreters the meetings need: at least two per language used, one more
    per 25 interpreted meetings a year, some knowing a third language (or exactly
    ``Variety.interpreters_per_language``, knowing no third); a few away some days."""
    rng = state.rng
    interpreted: Counter[str] = Counter()
    for meeting in meetings:
        for language in sorted({p["language"] for p in meeting["participants"] if "language" in p}):
            interpreted[language] += 1
    per_year = 1 / state.year_fraction()
    languages = sorted(interpreted)
    pools = {
        language: max(
            2,
            math.ceil(interpreted[language] * per_year / INTERPRETED_MEETINGS_PER_INTERPRETER),
        )
        for language in languages
    }
    # a fixed pool is the only cover of its language: its interpreters know no third one
    fixed_pool = state.variety.interpreters_per_language is not None
    if state.variety.interpreters_per_language is not None:
        pools = dict.fromkeys(languages, state.variety.interpreters_per_language)
    interpreters: list[dict[str, Any]] = []
    for language in languages:
        pool = pools[language]
        others = [other for other in languages if other != language]
        # At most one interpreter of a language is away at a time, so that a team
        # of two full-time interpreters is always there.
        away = leave_weeks(state, pool - 2)
        taken = {day for week in away for day in week}
        part_timer = pool >= 4
        for number in range(1, pool + 1):
            known = [language, "en"]
            if others and not fixed_pool and rng.random() < 0.25:
                known.append(rng.choices(others, weights=[interpreted[o] for o in others])[0])
            entry: dict[str, Any] = {"id": f"{language}-{number}", "languages": known}
            if part_timer and number == pool and rng.random() < 0.5:
                entry["max_per_day"] = "4h"
            days_off = away[number - 1] if number - 1 < len(away) else []
            if not days_off and rng.random() < 0.15:
                days_off = [d for d in state.sample_days(1) if d not in taken]
                taken.update(days_off)
            if days_off:
                entry["unavailable"] = [day.isoformat() for day in days_off]
            interpreters.append(entry)
    return interpreters


def leave_weeks(state: GeneratorState, count: int) -> list[list[date]]:
    """Return weeks of leave for ``count`` interpreters of one language, summer weeks first,
    never two at once.
    """
    usable = state.calendar.usable
    mondays = sorted({day - timedelta(days=day.weekday()) for day in usable})
    summer = [monday for monday in mondays if monday.month in (7, 8)]
    choices = summer if len(summer) >= count else mondays
    weeks = sorted(state.rng.sample(choices, min(count, len(choices))))
    return [
        [day for day in usable if monday <= day < monday + timedelta(days=7)] for monday in weeks
    ]
