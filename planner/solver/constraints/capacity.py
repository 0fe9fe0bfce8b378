"""Implied capacity: day totals that the exact rules already imply.

They change no plan, but give the search's linear relaxation the arithmetic it
cannot see through optional intervals, so that proven bounds follow real
contention: how much meeting time a day's rooms, or a national desk, can hold.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from planner.solver.variables import Context, Penalties, Variables
from planner.timegrid import Span, clip_ranges

Terms = list[tuple[cp_model.IntVar, int]]


def _at_most(model: cp_model.CpModel, terms: Terms, capacity: int) -> None:
    """At most ``capacity`` of the weighted uses on one date (an implied bound that
    tightens the LP relaxation; the exact rule is the cumulative one)."""
    if sum(size for _, size in terms) > capacity:
        model.add(sum(size * literal for literal, size in terms) <= capacity)


def _overlap(span: Span, others: list[Span]) -> int:
    """Minutes of ``span`` covered by the sorted, disjoint ``others``."""
    nearby = clip_ranges(others, span[0], span[1])
    return sum(max(0, min(span[1], b) - max(span[0], a)) for a, b in nearby)


def add_daily_capacity(
    model: cp_model.CpModel, variables: Variables, context: Context
) -> Penalties:
    """Hard (implied): the meetings of one host date fit in the room time of that date,
    those a party must attend fit in its desk's time within the host's hours, and the
    interpreting they need fits in the day's work of the interpreters who can do it."""
    grid, scenario = context.grid, context.scenario
    buffer = scenario.defaults.room_buffer
    room_terms: dict[date, Terms] = defaultdict(list)
    desk_terms: dict[tuple[str, date], Terms] = defaultdict(list)
    language_terms: dict[tuple[str, str, date], Terms] = defaultdict(list)
    pools: dict[tuple[str, str], set[str]] = defaultdict(set)
    own_zone: dict[str, bool] = defaultdict(lambda: True)
    for meeting in variables.meetings.values():
        duration = meeting.options.duration
        for day, literal in meeting.on_date.items():
            room_terms[day].append((literal, duration + buffer))
            for need in meeting.options.languages:
                if need.required:
                    pair = (need.language, meeting.options.meeting.working_language)
                    pools[pair].update(need.interpreters)
                    language_terms[*pair, day].append((literal, need.team * duration))
            for participant in meeting.options.meeting.required:
                desk_terms[participant.country, day].append((literal, duration))
                if participant.timezone:
                    own_zone[participant.country] = False
    for day, terms in room_terms.items():
        opening, closing = grid.host_hours_span(day)
        _at_most(model, terms, len(scenario.rooms) * (closing - opening + buffer))
    work: dict[str, list[Span]] = {}
    for (code, day), terms in desk_terms.items():
        host_hours = grid.host_hours_span(day)
        if own_zone[code]:
            if code not in work:
                spans = grid.party_work_spans(
                    scenario.parties[code], stretch=scenario.defaults.stretch
                )
                work[code] = [(s.start, s.end) for s in spans]
            usable = _overlap(host_hours, work[code])
        else:  # a participant in another zone: only the host's hours are sure
            usable = host_hours[1] - host_hours[0]
        _at_most(model, terms, scenario.parties[code].desk_capacity * usable)
    for (language, working_language, _), terms in language_terms.items():
        work_minutes = 0
        for interpreter_id in pools[language, working_language]:
            interpreter = scenario.interpreters_by_id[interpreter_id]
            hours = scenario.interpreter_hours(interpreter)
            work_minutes += min(scenario.interpreter_max_per_day(interpreter), hours.minutes)
        _at_most(model, terms, work_minutes)
    return []
