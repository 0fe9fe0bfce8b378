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
    return f"its window {earliest}..{latest} lies outside the horizon {first}..{last}"


def pinned_date_outside_window(pinned: date, earliest: date, latest: date) -> str:
    return f"pinned date {pinned} is outside its window {earliest}..{latest}"


def agency_closed(offs: Sequence[tuple[date, str]]) -> str:
    listed = "; ".join(f"{day}: {why}" for day, why in offs)
    return f"the agency does not work on any date of its window ({listed})"


def pinned_start_outside_hours(start: datetime, hours: object) -> str:
    return f"pinned start {start} is outside host hours {hours} on a working day of its window"


def no_shared_hours() -> str:
    return "its participants share no working hours in its window"


def participant(code: str, hours: object, zone: str) -> str:
    """A participant as reasons name it: its code, working hours and zone."""
    return f"{code} ({hours} {zone})"


def never_within_host_hours(
    names: str, host_hours: object, host_zone: str, minutes: int, days: str
) -> str:
    return (
        f"the working hours of {names} never overlap the host's hours ({host_hours} "
        f"{host_zone}) for {format_duration(minutes)} on {days}"
    )


def share_no_hours(names: str, minutes: int, days: str) -> str:
    return (
        f"{names} share no {format_duration(minutes)} of working hours within the host's "
        f"hours on {days}"
    )


def no_common_working_day(codes: Sequence[str], days: str, offs: Sequence[str]) -> str:
    detail = "; ".join(dict.fromkeys(offs)) or "weekends"
    return f"no common working day for {' and '.join(codes)} on {days} ({detail})"


def unavailable_whenever(names: str, days: str) -> str:
    return f"{names}: unavailable whenever the meeting could take place on {days}"


def too_many_seats(
    seats: int, staff: int, pinned_room: str | None, largest: tuple[str, int] | None
) -> str:
    need = f"needs {seats} seats ({staff} host staff + {seats - staff} delegates in person)"
    if pinned_room:
        return f"{need}: pinned room {pinned_room} has {largest[1] if largest else 0}"
    if largest:
        return f"{need}: the largest room, {largest[0]}, has {largest[1]}"
    return f"{need}: the scenario has no rooms"


def missing_features(features: Sequence[str], seats: int, pinned_room: str | None) -> str:
    where = f"pinned room {pinned_room}" if pinned_room else f"no room with {seats}+ seats"
    return f"needs {' and '.join(features)}: {where} has it"


def rooms_unavailable(rooms: Sequence[str]) -> str:
    return f"the rooms that fit ({', '.join(rooms)}) are unavailable then"


def no_interpreters(
    language: str, working: str, team: int, solo_max: int, knowing: Sequence[str]
) -> str:
    if not knowing:
        return f"no interpreter knows both {language} and {working}"
    return (
        f"needs {team} interpreters for {language}-{working} (longer than "
        f"{format_duration(solo_max)}), only {', '.join(knowing)} know both"
    )


def interpreters_never_free(language: str, working: str, names: Sequence[str], team: int) -> str:
    return (
        f"the {language}-{working} interpreters ({', '.join(names)}) are not available "
        f"{team} at a time whenever the meeting could take place"
    )


def follows_unscheduled(predecessor: str) -> str:
    return f"it must follow {predecessor}, which cannot be scheduled"


def follows_too_late(gap: int, predecessor: str, earliest_end: datetime) -> str:
    return (
        f"it must start {format_duration(gap)} after {predecessor} ends, which is never before "
        f"{earliest_end:%Y-%m-%d %H:%M}; its window ends before that"
    )


def action_day_outside_horizon(earliest: date, latest: date) -> str:
    return f"its window {earliest}..{latest} lies outside the horizon"


def no_working_day_for_countries(offs: Sequence[str]) -> str:
    return "no working day for all its countries: " + "; ".join(offs)


def staff_pool(needed: int, pool: int) -> str:
    return f"needs {needed} centre staff; the pool has {pool}"


def preparation_unscheduled(meeting: str) -> str:
    return f"its preparatory meeting {meeting} cannot be scheduled"


def preparation_too_late(meeting: str, gap: int) -> str:
    return (
        f"its preparatory meeting {meeting} cannot end {format_duration(gap)} before the "
        "centre opens"
    )


def no_centre_room() -> str:
    return "no room has the coordination_centre feature and it may not run virtually"


def centre_rooms_unavailable(rooms: Sequence[str]) -> str:
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
    what = CONTENTION[rule].format(names=", ".join(names))
    return f"{what} at {count} of its {tried} possible placements"


def fits_but_left_out(where: str) -> str:
    """An activity whose priority weighs nothing (its ``unscheduled`` weight is 0): it is
    held only where that costs no more than leaving it out (SPEC 2.3)."""
    return (
        f"it fits at {where}, but its priority's unscheduled weight is 0, so the plan holds "
        "it only where that costs nothing more than leaving it out"
    )


def missing_predecessor(meeting: str) -> str:
    return f"it must follow {meeting}, which is not held"


def missing_preparation(meeting: str) -> str:
    return f"its preparatory meeting {meeting} is not held"


# ---- infeasibility --------------------------------------------------------------------


def cannot_be_held(kind: str, activity: str, reasons: Sequence[str]) -> str:
    return f"{kind} {activity} cannot be held: {'; '.join(reasons)}"


def cannot_be_together(activities: Sequence[str], minimal: bool) -> str:
    smallest = " (none of them can be left out of this set)" if minimal else ""
    return (
        f"{', '.join(activities)} must all be held, but cannot be together: they compete for "
        f"the same rooms, interpreters, desks, staff or order{smallest}"
    )


def not_planned_infeasible() -> str:
    return "not planned: the scenario is infeasible (see infeasible)"


# ---- what would let an activity in (explain) ----------------------------------------------


def way(when: str, room: str | None, blockers: Sequence[tuple[str, str]]) -> str:
    where = f"{when} in {room}" if room else f"{when} (virtual centre)"
    if not blockers:
        return f"{where} is free"
    moves = " and ".join(f"{activity} ({what})" for activity, what in blockers)
    return f"{where}: move {moves}"
