"""Interpreters (SPEC 2.1 "Interpreters", docs/rules.md "Interpreters"): a team of the
right size per needed language, interpreters who know both languages, one place at a
time, inside their hours, never away, within their daily cap.

It mirrors ``planner/solver/constraints/interpreters.py``, and reads the team size,
the hours and the cap from the data itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date

from planner.check.clock import clock, describe_away, first_overlap
from planner.check.plan import HeldMeeting, Plan
from planner.models.scenario import Interpreter, Meeting, Scenario
from planner.models.types import HourRange
from planner.models.violations import Violation


def team_size(scenario: Scenario, meeting: Meeting) -> int:
    """Return the interpreters each needed language takes: two for a meeting longer than
    ``interpretation.solo_max``, else one."""
    return 2 if meeting.duration > scenario.interpretation.solo_max else 1


def working_hours(scenario: Scenario, interpreter: Interpreter) -> HourRange:
    """Return an interpreter's hours in host time: their own ``hours``, else the host's."""
    return scenario.host.hours if interpreter.hours is None else interpreter.hours


def daily_cap(scenario: Scenario, interpreter: Interpreter) -> int:
    """Return an interpreter's cap of interpreting minutes per host date: their own
    ``max_per_day``, else ``interpretation.max_per_day``."""
    if interpreter.max_per_day is None:
        return scenario.interpretation.max_per_day
    return interpreter.max_per_day


def languages_needed(held: HeldMeeting) -> set[str]:
    """Return the languages a held meeting needs interpreted: those of its attending
    participants that differ from its working language."""
    working = held.meeting.working_language
    return {p.language for p in held.attending if p.language and p.language != working}


def interpreter_teams(plan: Plan) -> Iterator[Violation]:
    """Hard: each needed language, and no other, has a team of the right size who know it and
    the working language.

    Yields
    ------
    Violation
        ``interpreter`` for a needed language without a team, a language not needed, a
        team of the wrong size, an interpreter who does not know both languages, or one
        listed twice in a meeting (SPEC 2.1 "Interpreters").
    """
    scenario = plan.scenario
    for held in plan.meetings.values():
        meeting, teams = held.meeting, held.interpreters
        size = team_size(scenario, meeting)
        needed = languages_needed(held)
        for language in sorted(needed - set(teams)):
            yield Violation("interpreter", meeting.id, f"no interpreters for {language}")
        for language in sorted(set(teams) - needed):
            yield Violation("interpreter", meeting.id, f"{language} is not needed")
        for language in sorted(needed & set(teams)):
            team = teams[language]
            if len(team) != size:
                detail = f"{language} has {len(team)} interpreters, {size} needed"
                yield Violation("interpreter", meeting.id, detail)
            for interpreter_id in team:
                interpreter = scenario.interpreters_by_id.get(interpreter_id)
                pair = {language, meeting.working_language}
                if interpreter is not None and not pair <= set(interpreter.languages):
                    detail = f"{interpreter_id} does not know both of {sorted(pair)}"
                    yield Violation("interpreter", meeting.id, detail)
        listed = Counter(i for team in teams.values() for i in team)
        for interpreter_id, count in sorted(listed.items()):
            if count > 1:
                detail = f"{interpreter_id} serves {count} languages or places at once"
                yield Violation("interpreter", meeting.id, detail)


def interpreter_availability(plan: Plan) -> Iterator[Violation]:
    """Hard: an interpreter serves one meeting at a time, within their hours on its host date,
    never when unavailable, and at most max_per_day per host date.

    Yields
    ------
    Violation
        ``interpreter`` for the meeting that double-books an interpreter, lies outside
        their hours or in their away time, or first takes them past their daily cap
        (SPEC 2.1 "Interpreters").
    """
    scenario = plan.scenario
    served: dict[str, list[HeldMeeting]] = defaultdict(list)
    for held in plan.meetings.values():
        for interpreter_id in {i for team in held.interpreters.values() for i in team}:
            if interpreter_id in scenario.interpreters_by_id:
                served[interpreter_id].append(held)
    for interpreter_id, meetings in sorted(served.items()):
        interpreter = scenario.interpreters_by_id[interpreter_id]
        hours = working_hours(scenario, interpreter)
        cap = daily_cap(scenario, interpreter)
        minutes_on: Counter[date] = Counter()
        meetings.sort(key=lambda h: (h.start, h.meeting.id))
        for index, held in enumerate(meetings):
            identifier = held.meeting.id
            for earlier in meetings[:index]:
                if held.start < earlier.end:
                    detail = f"{interpreter_id} is also in {earlier.meeting.id}"
                    yield Violation("interpreter", identifier, detail)
            day = held.host_date
            opens = clock(day, hours.start, plan.host_zone)
            closes = clock(day, hours.end, plan.host_zone)
            if held.start < opens or held.end > closes:
                yield Violation("interpreter", identifier, f"outside {interpreter_id}'s {hours}")
            away = first_overlap(interpreter.unavailable, plan.host_zone, held.start, held.end)
            if away is not None:
                detail = f"{interpreter_id} is unavailable {describe_away(away)}"
                yield Violation("interpreter", identifier, detail)
            minutes_on[day] += held.meeting.duration
            if minutes_on[day] > cap >= minutes_on[day] - held.meeting.duration:
                detail = f"{interpreter_id} interprets {minutes_on[day]} min on {day} (max {cap})"
                yield Violation("interpreter", identifier, detail)
