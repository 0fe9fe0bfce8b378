"""A re-plan checked against the baseline it was made from (SPEC 2.7.1): every baseline
activity accounted for once under ``changes``, frozen ones held exactly as before,
nothing before ``changes.now`` changed, and the ``moves`` term recomputed.

It mirrors ``planner/solver/constraints/moves.py`` and :mod:`planner.changes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner.check.clock import parse_instant, zone
from planner.models.scenario import Scenario
from planner.models.violations import Violation

_CATEGORIES = ("frozen", "moved", "new", "dropped", "cancelled")


def _placed(document: Mapping[str, Any]) -> tuple[dict[str, Mapping[str, Any]], dict[str, Any]]:
    """The meetings and action days a plan document holds, by id (malformed entries left
    out: the plan's own check reports them)."""
    meetings = {
        e["id"]: e
        for e in document.get("meetings", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    action_days = {
        e["id"]: e
        for e in document.get("action_days", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    return meetings, action_days


def _fields_changed(
    before: Mapping[str, Any], after: Mapping[str, Any], host_zone: ZoneInfo, meeting: bool
) -> list[str] | None:
    """Which of date, time of day and room changed (host time); ``None`` if unreadable."""
    if meeting:
        start, new_start = parse_instant(before.get("start")), parse_instant(after.get("start"))
        if start is None or new_start is None:
            return None
        start, new_start = start.astimezone(host_zone), new_start.astimezone(host_zone)
        changed = [
            ("date", start.date() != new_start.date()),
            ("time", start.time() != new_start.time()),
        ]
    else:
        changed = [("date", before.get("date") != after.get("date"))]
    changed.append(("room", before.get("room") != after.get("room")))
    return [name for name, differs in changed if differs]


def _same_record(before: Mapping[str, Any], after: Mapping[str, Any], meeting: bool) -> bool:
    """Whether an activity is held exactly as before: times, room, interpreters, absent."""
    if not meeting:
        return all(before.get(k) == after.get(k) for k in ("date", "room"))
    instants = [parse_instant(x.get(k)) for x in (before, after) for k in ("start", "end")]
    if None in instants:
        return False

    def teams(entry: Mapping[str, Any]) -> Any:
        """Return a plan entry's interpreter teams, each sorted, empty ones left out."""
        raw = entry.get("interpreters") or {}
        return {k: sorted(v) for k, v in raw.items() if v} if isinstance(raw, Mapping) else raw

    return (
        instants[0] == instants[2]
        and instants[1] == instants[3]
        and before.get("room") == after.get("room")
        and teams(before) == teams(after)
        and sorted(before.get("absent") or []) == sorted(after.get("absent") or [])
    )


def check_against_baseline(
    scenario: Scenario,
    schedule: Mapping[str, Any],
    baseline: Mapping[str, Any],
    baseline_bytes: bytes,
) -> list[Violation]:
    """Verify a plan's ``changes`` and ``moves`` against the baseline it was made from.

    Every activity of the baseline must be accounted for exactly once (unchanged, or
    listed as frozen, moved, new, dropped or cancelled, as the two plans show); frozen
    activities are held exactly as in the baseline; with ``changes.now``, nothing that
    starts before it differs from the baseline; and the ``moves`` term is recomputed:
    per activity that the baseline held and the scenario still has, each changed host
    date, time of day and room at its ``move`` weight (an action day: date and room);
    one left out costs no move, only its unscheduled weight (SPEC 2.3).
    """
    found: list[Violation] = []
    changes = schedule.get("changes")
    if not isinstance(changes, Mapping):
        return [Violation("schedule", "", "a plan compared with a baseline needs changes {}")]
    stated = changes.get("baseline")
    digest = hashlib.sha256(baseline_bytes).hexdigest()
    if not isinstance(stated, Mapping) or stated.get("sha256") != digest:
        found.append(Violation("schedule", "", "changes.baseline.sha256 is not the baseline's"))
    host_zone = zone(scenario.host.timezone)
    weights = scenario.objective.move
    before_meetings, before_days = _placed(baseline)
    after_meetings, after_days = _placed(schedule)
    listed_left_out = {
        e["id"]
        for e in baseline.get("unscheduled", []) or []
        if isinstance(e, Mapping) and isinstance(e.get("id"), str)
    }
    baseline_ids: set[str] = set(before_meetings) | set(before_days) | listed_left_out
    exists = set(scenario.meetings_by_id) | set(scenario.action_days_by_id)
    held_after: set[str] = set(after_meetings) | set(after_days)

    listed: dict[str, list[str]] = {}
    entries: dict[str, Mapping[str, Any]] = {}
    for group in _CATEGORIES:
        for entry in changes.get(group, []) or []:
            identifier = entry.get("id") if isinstance(entry, Mapping) else entry
            if not isinstance(identifier, str):
                found.append(Violation("schedule", "", f"changes.{group} holds {entry!r}"))
                continue
            listed.setdefault(identifier, []).append(group)
            if isinstance(entry, Mapping):
                entries[identifier] = entry
    for identifier, categories in listed.items():
        if len(categories) > 1:
            detail = f"listed more than once in changes: {', '.join(categories)}"
            found.append(Violation("schedule", identifier, detail))

    moves = 0
    for identifier in sorted(baseline_ids | held_after):
        meeting = identifier in before_meetings or identifier in scenario.meetings_by_id
        before = before_meetings.get(identifier) or before_days.get(identifier)
        after = after_meetings.get(identifier) or after_days.get(identifier)
        groups: list[str | None] = [*listed.get(identifier, []), None]
        category = groups[0]
        expected: str | None
        if identifier not in exists:
            expected = "cancelled"
        elif before is not None and after is None:
            expected = "dropped"
        elif before is None and after is not None:
            expected = "new"
        elif before is not None and after is not None:
            fields = _fields_changed(before, after, host_zone, meeting)
            if fields is None:
                continue  # unreadable times: the plan's own check reports them
            moves += sum(getattr(weights, name) for name in fields)
            expected = "moved" if fields else None
            if category == "frozen" and _same_record(before, after, meeting):
                expected = "frozen"
            elif category == "moved" and fields:
                stated_fields = entries.get(identifier, {}).get("fields")
                if sorted(stated_fields or []) != sorted(fields):
                    detail = f"moved fields {stated_fields!r}, but {', '.join(fields)} changed"
                    found.append(Violation("schedule", identifier, detail))
        else:
            expected = None  # left out in both
        if category != expected:
            what = expected or "unchanged (not listed)"
            detail = f"listed as {category or 'unchanged'} in changes, but it is {what}"
            found.append(Violation("schedule", identifier, detail))

    terms = schedule.get("terms")
    stated_moves = terms.get("moves") if isinstance(terms, Mapping) else None
    if stated_moves != moves:
        found.append(
            Violation("objective", "", f"term moves is {stated_moves!r}, recomputed {moves}")
        )
    now = parse_instant(changes.get("now")) if changes.get("now") is not None else None
    if changes.get("now") is not None and now is None:
        found.append(
            Violation("schedule", "", "changes.now is not an ISO 8601 time with an offset")
        )
    if now is not None:
        found += _nothing_before_now_changed(
            before_meetings, before_days, after_meetings, after_days, listed, now, host_zone
        )
    return list(dict.fromkeys(found))


def _nothing_before_now_changed(
    before_meetings: dict[str, Mapping[str, Any]],
    before_days: dict[str, Mapping[str, Any]],
    after_meetings: dict[str, Mapping[str, Any]],
    after_days: dict[str, Mapping[str, Any]],
    listed: dict[str, list[str]],
    now: datetime,
    host_zone: ZoneInfo,
) -> Iterator[Violation]:
    """What starts before ``now`` in either plan is frozen: the same in both."""
    for identifier, meeting in [
        *((i, True) for i in {**before_meetings, **after_meetings}),
        *((i, False) for i in {**before_days, **after_days}),
    ]:
        before = (before_meetings if meeting else before_days).get(identifier)
        after = (after_meetings if meeting else after_days).get(identifier)
        key = "start" if meeting else "centre_open"
        starts = [parse_instant(e.get(key)) for e in (before, after) if e is not None]
        if not any(start is not None and start < now for start in starts):
            continue
        frozen = "frozen" in listed.get(identifier, [])
        if (
            before is None
            or after is None
            or not _same_record(before, after, meeting)
            or not frozen
        ):
            detail = (
                f"starts before now ({now.astimezone(host_zone):%Y-%m-%d %H:%M}) but is not kept "
                "frozen as in the baseline"
            )
            yield Violation("schedule", identifier, detail)
