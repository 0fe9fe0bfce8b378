"""Every sentence planner says about why: one place for the reasons that ``solve``,
``explain``, ``suggest`` and the exports show.

The options (:mod:`planner.solver.options`) only filter and name the rule and facts
that close an activity; the contention analysis (:mod:`planner.solver.reasons`) and the
search count what stands in the way. The words for all of it are here, so that a
reason reads the same wherever it is shown. Functions take facts and return text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from planner.models.types import format_duration

# ---- an activity that no placement can hold (options) -------------------------------


def dates(days: Sequence[date]) -> str:
    """``2026-11-30..2026-12-04``, one date, or ``no date``."""
    if not days:
        return "no date"
    if len(days) == 1:
        return f"{days[0]}"
    return f"{days[0]}..{days[-1]}"


def window_outside_horizon(earliest: date, latest: date, first: date, last: date) -> str:
    """The ``window`` reason of a meeting whose ``[earliest, latest]`` misses the horizon."""
    return f"its window {earliest}..{latest} lies outside the horizon {first}..{last}"


def pinned_date_outside_window(pinned: date, earliest: date, latest: date) -> str:
    """The ``pin`` reason of a pinned date outside the meeting's window."""
    return f"pinned date {pinned} is outside its window {earliest}..{latest}"


def agency_closed(offs: Sequence[tuple[date, str]]) -> str:
    """The ``holiday`` reason of a window of host days off only (each with why)."""
    listed = "; ".join(f"{day}: {why}" for day, why in offs)
    return f"the agency does not work on any date of its window ({listed})"


def pinned_start_outside_hours(start: datetime, hours: object) -> str:
    """The ``pin`` reason of a pinned start outside the host's hours on its working days."""
    return f"pinned start {start} is outside host hours {hours} on a working day of its window"


def no_shared_hours() -> str:
    """The ``working_hours`` reason of participants with no working time in common."""
    return "its participants share no working hours in its window"


def participant(code: str, hours: object, zone: str) -> str:
    """A participant as reasons name it: its code, working hours and zone."""
    return f"{code} ({hours} {zone})"


def never_within_host_hours(
    names: str, host_hours: object, host_zone: str, minutes: int, days: str
) -> str:
    """The ``working_hours`` reason of a participant whose hours never meet the host's
    for the meeting's duration."""
    return (
        f"the working hours of {names} never overlap the host's hours ({host_hours} "
        f"{host_zone}) for {format_duration(minutes)} on {days}"
    )


def share_no_hours(names: str, minutes: int, days: str) -> str:
    """The ``working_hours`` reason of participants who share no time as long as the
    meeting within the host's hours."""
    return (
        f"{names} share no {format_duration(minutes)} of working hours within the host's "
        f"hours on {days}"
    )


def no_common_working_day(codes: Sequence[str], days: str, offs: Sequence[str]) -> str:
    """The ``holiday`` reason of participants with no working day in common (each day
    off with why)."""
    detail = "; ".join(dict.fromkeys(offs)) or "weekends"
    return f"no common working day for {' and '.join(codes)} on {days} ({detail})"


def unavailable_whenever(names: str, days: str) -> str:
    """The ``unavailable`` reason of participants away whenever the meeting could be held."""
    return f"{names}: unavailable whenever the meeting could take place on {days}"


def too_many_seats(
    seats: int, staff: int, pinned_room: str | None, largest: tuple[str, int] | None
) -> str:
    """The ``room_capacity`` reason: the seats needed against the pinned or largest room."""
    need = f"needs {seats} seats ({staff} host staff + {seats - staff} delegates in person)"
    if pinned_room:
        return f"{need}: pinned room {pinned_room} has {largest[1] if largest else 0}"
    if largest:
        return f"{need}: the largest room, {largest[0]}, has {largest[1]}"
    return f"{need}: the scenario has no rooms"


def missing_features(features: Sequence[str], seats: int, pinned_room: str | None) -> str:
    """The ``room_feature`` reason: the features no large enough (or pinned) room has."""
    where = f"pinned room {pinned_room}" if pinned_room else f"no room with {seats}+ seats"
    return f"needs {' and '.join(features)}: {where} has it"


def rooms_unavailable(rooms: Sequence[str]) -> str:
    """The ``unavailable`` reason of rooms that fit but are away whenever it could be held."""
    return f"the rooms that fit ({', '.join(rooms)}) are unavailable then"


def no_interpreters(
    language: str, working: str, team: int, solo_max: int, knowing: Sequence[str]
) -> str:
    """The ``interpreter`` reason of a language pair nobody interprets, or too few for a team."""
    if not knowing:
        return f"no interpreter knows both {language} and {working}"
    return (
        f"needs {team} interpreters for {language}-{working} (longer than "
        f"{format_duration(solo_max)}), only {', '.join(knowing)} know both"
    )


def interpreters_never_free(language: str, working: str, names: Sequence[str], team: int) -> str:
    """The ``interpreter`` reason of a team never free together when it could be held."""
    return (
        f"the {language}-{working} interpreters ({', '.join(names)}) are not available "
        f"{team} at a time whenever the meeting could take place"
    )


def follows_unscheduled(predecessor: str) -> str:
    """The ``order`` reason of a meeting after one that cannot be scheduled."""
    return f"it must follow {predecessor}, which cannot be scheduled"


def follows_too_late(gap: int, predecessor: str, earliest_end: datetime) -> str:
    """The ``order`` reason of a meeting whose predecessor always ends too late."""
    return (
        f"it must start {format_duration(gap)} after {predecessor} ends, which is never before "
        f"{earliest_end:%Y-%m-%d %H:%M}; its window ends before that"
    )


def action_day_outside_horizon(earliest: date, latest: date) -> str:
    """The ``window`` reason of an action day whose window misses the horizon."""
    return f"its window {earliest}..{latest} lies outside the horizon"


def no_working_day_for_countries(offs: Sequence[str]) -> str:
    """The ``holiday`` reason of an action day with no working day of all its countries."""
    return "no working day for all its countries: " + "; ".join(offs)


def staff_pool(needed: int, pool: int) -> str:
    """The ``staff`` reason of an action day needing more staff than the pool has."""
    return f"needs {needed} centre staff; the pool has {pool}"


def preparation_unscheduled(meeting: str) -> str:
    """The ``order`` reason of an action day prepared by a meeting that cannot be held."""
    return f"its preparatory meeting {meeting} cannot be scheduled"


def preparation_too_late(meeting: str, gap: int) -> str:
    """The ``order`` reason of an action day whose preparatory meeting always ends too late."""
    return (
        f"its preparatory meeting {meeting} cannot end {format_duration(gap)} before the "
        "centre opens"
    )


def no_centre_room() -> str:
    """The ``centre`` reason of an action day with no centre room that may not run virtually."""
    return "no room has the coordination_centre feature and it may not run virtually"


def centre_rooms_unavailable(rooms: Sequence[str]) -> str:
    """The ``unavailable`` reason of centre rooms away on every date."""
    return f"the centre rooms ({', '.join(rooms)}) are unavailable on every date"


# ---- an activity left out of a plan (contention) ------------------------------------

CONTENTION = {
    "room_conflict": "the suitable rooms are taken ({names})",
    "desk_capacity": "the national desk is full ({names})",
    "interpreter": "not enough interpreters are free ({names})",
    "order": "it would start too soon after, or end too late before, {names}",
    "staff": "the centre staff pool is fully used",
    "centre": "the centre rooms are taken ({names})",
    "link_same_day": "linked action days ({names}) are held on another date",
}


def contention(rule: str, names: Sequence[str], count: int, tried: int) -> str:
    """The reason of a rule that blocks ``count`` of ``tried`` placements, naming what
    stands in the way (see :data:`CONTENTION`)."""
    what = CONTENTION[rule].format(names=", ".join(names))
    return f"{what} at {count} of its {tried} possible placements"


def fits_but_left_out(where: str) -> str:
    """An activity whose priority weighs nothing (its ``unscheduled`` weight is 0): it is
    held only where that costs no more than leaving it out (SPEC 2.3)."""
    return (
        f"it fits at {where}, but its priority's unscheduled weight is 0, so the plan holds "
        "it only where that costs nothing more than leaving it out"
    )


def start_passed(now: datetime) -> str:
    """The ``window`` reason of an activity a re-plan at ``now`` can no longer start."""
    return f"it could only start before {now:%Y-%m-%d %H:%M}, which has passed"


def missing_predecessor(meeting: str) -> str:
    """The ``order`` reason of a meeting whose predecessor is not held in the plan."""
    return f"it must follow {meeting}, which is not held"


def missing_preparation(meeting: str) -> str:
    """The ``order`` reason of an action day whose preparatory meeting is not held."""
    return f"its preparatory meeting {meeting} is not held"


# ---- infeasibility --------------------------------------------------------------------


def cannot_be_held(kind: str, activity: str, reasons: Sequence[str]) -> str:
    """An infeasibility: a pinned or critical activity that cannot be held at all."""
    return f"{kind} {activity} cannot be held: {'; '.join(reasons)}"


def cannot_be_together(activities: Sequence[str], minimal: bool) -> str:
    """An infeasibility: must-hold activities that cannot all be held (minimal or not)."""
    smallest = " (none of them can be left out of this set)" if minimal else ""
    return (
        f"{', '.join(activities)} must all be held, but cannot be together: they compete for "
        f"the same rooms, interpreters, desks, staff or order{smallest}"
    )


def not_planned_infeasible() -> str:
    """The reason of every activity of an infeasible scenario not in its infeasible set."""
    return "not planned: the scenario is infeasible (see infeasible)"


# ---- what would let an activity in (explain) ----------------------------------------------


def way(when: str, room: str | None, blockers: Sequence[tuple[str, str]]) -> str:
    """A placement that would let a left-out activity in, and what would have to move."""
    where = f"{when} in {room}" if room else f"{when} (virtual centre)"
    if not blockers:
        return f"{where} is free"
    moves = " and ".join(f"{activity} ({what})" for activity, what in blockers)
    return f"{where}: move {moves}"
