"""The whole schedule file checked (SPEC 2.6): its header, that every activity is listed
once, the report of an infeasible scenario, every hard rule and the objective.

:func:`check_schedule` is the checker's entry point. ``planner check`` calls it, and
so does :func:`planner.solve.solve` to find the rules that frozen activities break
(their conflicts, SPEC 2.7.1): its name and signature stay as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from planner.check.action_days import action_day_dates, centre_staff, centres
from planner.check.attendance import optional_absences, participant_availability
from planner.check.calendars import calendar_unavailability
from planner.check.clock import parse_instant
from planner.check.desks import desks
from planner.check.interpreters import interpreter_availability, interpreter_teams
from planner.check.links import linked_action_days
from planner.check.objective import objective
from planner.check.order import order
from planner.check.pins import pins
from planner.check.placement import left_out_that_fits
from planner.check.plan import Plan
from planner.check.reading import ScheduleReader, is_rule
from planner.check.rooms import meeting_rooms, room_buffers, room_unavailability
from planner.check.time import meeting_time
from planner.check.unscheduled import critical
from planner.models.scenario import ActionDay, Meeting, Scenario
from planner.models.violations import Violation

SCHEDULE_SCHEMA = "planner.schedule/1"
"""The ``schema`` of every plan file."""
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
"""The statuses a plan may state (SPEC 2.6; ``unknown`` is checked like ``feasible``)."""
REQUIRED_KEYS = (
    "schema",
    "scenario",
    "status",
    "objective",
    "terms",
    "meetings",
    "action_days",
    "unscheduled",
    "infeasible",
)
"""The top-level keys every plan file has."""

HARD_RULES: tuple[Callable[[Plan], Iterable[Violation]], ...] = (
    meeting_time,
    participant_availability,
    optional_absences,
    desks,
    meeting_rooms,
    room_unavailability,
    calendar_unavailability,
    room_buffers,
    interpreter_teams,
    interpreter_availability,
    order,
    pins,
    critical,
    action_day_dates,
    centres,
    centre_staff,
    linked_action_days,
)
"""Every hard-rule check, in reporting order."""


def header(schedule: Mapping[str, Any], scenario_bytes: bytes | None) -> Iterator[Violation]:
    """Check the file's header: every required key, the schema, a known status, and
    (given the scenario file's bytes) the scenario's sha256."""
    for key in REQUIRED_KEYS:
        if key not in schedule:
            yield Violation("schedule", "", f"missing key {key!r}")
    if "schema" in schedule and schedule["schema"] != SCHEDULE_SCHEMA:
        yield Violation("schedule", "", f"schema {schedule['schema']!r} is not {SCHEDULE_SCHEMA}")
    if "status" in schedule and schedule["status"] not in STATUSES:
        yield Violation("schedule", "", f"status {schedule['status']!r} is not one of {STATUSES}")
    if scenario_bytes is not None:
        scenario = schedule.get("scenario")
        stated = scenario.get("sha256") if isinstance(scenario, Mapping) else None
        if stated != hashlib.sha256(scenario_bytes).hexdigest():
            yield Violation("schedule", "", "scenario.sha256 is not that of the scenario file")


def accounting(plan: Plan) -> Iterator[Violation]:
    """Check that every activity of the scenario is listed exactly once, placed or
    unscheduled (SPEC 2.6)."""
    activities: list[Meeting | ActionDay] = [*plan.scenario.meetings, *plan.scenario.action_days]
    for activity in activities:
        count = plan.listings[activity.id]
        if count != 1:
            where = "appears nowhere" if count == 0 else f"appears {count} times"
            detail = f"{where}; every activity is listed once, placed or unscheduled"
            yield Violation("schedule", activity.id, detail)


def infeasible_report(plan: Plan, schedule: Mapping[str, Any]) -> Iterator[Violation]:
    """Check the plan of an infeasible scenario: no objective or bound, nothing placed,
    and a non-empty ``infeasible`` list, each entry a rule name, known activities and a
    reason (SPEC 2.6)."""
    for key in ("objective", "bound"):
        if schedule.get(key) is not None:
            yield Violation("schedule", "", f"an infeasible schedule has {key} null")
    if plan.listed_held:
        yield Violation("schedule", "", "an infeasible schedule places nothing")
    entries = schedule.get("infeasible")
    if not isinstance(entries, list) or not entries:
        yield Violation("schedule", "", "infeasible must list why, as a non-empty list")
        return
    known = {a.id for a in [*plan.scenario.meetings, *plan.scenario.action_days]}
    for index, entry in enumerate(entries):
        activities = entry.get("activities") if isinstance(entry, Mapping) else None
        reason = entry.get("reason") if isinstance(entry, Mapping) else None
        if (
            not isinstance(entry, Mapping)
            or not is_rule(entry.get("rule"))
            or not isinstance(activities, list)
            or not all(isinstance(a, str) and a in known for a in activities)
            or not (isinstance(reason, str) and reason.strip())
        ):
            detail = f"infeasible[{index}] needs a rule name, known activities and a reason"
            yield Violation("schedule", "", detail)


def check_schedule(
    scenario: Scenario,
    schedule: Mapping[str, Any],
    scenario_bytes: bytes | None = None,
    *,
    placement: bool = True,
) -> list[Violation]:
    """Verify a schedule against every hard rule of its scenario.

    Parameters
    ----------
    scenario
        The validated scenario the schedule claims to plan.
    schedule
        A parsed ``planner.schedule/1`` file (see :func:`load_schedule`); it may
        be malformed, which is reported, never raised.
    scenario_bytes
        The scenario file's bytes; when given, ``scenario.sha256`` must match.
    placement
        Also try every activity left out against the plan (SPEC 2.3,
        :mod:`planner.check.placement`); ``solve`` asks only for the rules that frozen
        activities break, and leaves this out.

    Returns
    -------
    list of Violation
        Every violation found, without repeats; empty when the schedule holds.
        ``schedule`` names a malformed file or bad accounting, ``objective`` a
        term or sum that does not add up; the others are SPEC 2.6 rule names.
    """
    if not isinstance(schedule, Mapping):
        return [Violation("schedule", "", "a schedule must be a JSON object")]
    reader = ScheduleReader(scenario)
    plan = reader.read(schedule)
    found = [*header(schedule, scenario_bytes), *reader.problems, *accounting(plan)]
    if schedule.get("status") == "infeasible":
        found += infeasible_report(plan, schedule)
    else:
        if schedule.get("infeasible"):
            found.append(Violation("schedule", "", "a solved schedule has infeasible []"))
        for rule in HARD_RULES:
            found += rule(plan)
        found += objective(plan, schedule)
        if placement:
            changes = schedule.get("changes")
            now = parse_instant(changes.get("now")) if isinstance(changes, Mapping) else None
            found += left_out_that_fits(plan, now)
    return list(dict.fromkeys(found))
