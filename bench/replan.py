"""Re-planning a published year after one change: how much moves, and how fast.

For each variant and seed, a generated year is solved for ``--full`` seconds and
published. Then, one at a time, ``--changes`` random single changes of the kinds a
nightly job sees are made to it — a room closed for a day, a country away for a day, a
meeting made an hour longer, a meeting cancelled, a meeting added, an interpreter gone
— and the year is re-planned from the published plan at ``--now`` exactly as ``planner
replan`` does (``--limit`` seconds, its default idle stop). For each: the activities
moved, those moved besides the one the change touches, the activities dropped (and
any that the checker finds would fit: none should), the seconds to the final plan (its
last improvement) and the whole re-plan against its limit; every plan passes the
checker and the check against its baseline. The summary gives, over all years, the
median and worst of each against SPEC §3 v1.2 (moved besides the change: median ≤ 3,
worst ≤ 5; median re-plan time ≤ half its limit). Usage::

    python bench/replan.py [--variants calibrated varied ...] [--seeds 7] [--changes 10]
        [--full 60] [--limit 30] [--now 2027-03-01T00:00] [--workers 2]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import statistics
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner.check import accepted_conflicts, check_against_baseline, check_schedule
from planner.generate import generate_scenario
from planner.models import Scenario
from planner.models.baseline import baseline_from_data
from planner.models.types import parse_duration
from planner.output.schedule_json import dumps, schedule_document
from planner.solve import IDLE_SECONDS, Progress, replan, solve

KINDS = ("room closed", "country away", "longer", "cancelled", "added", "interpreter gone")


def change(
    data: dict[str, Any], published: dict[str, Any], kind: str, rng: random.Random, now: datetime
) -> tuple[dict[str, Any], str, str]:
    """A copy of the scenario data with one change of ``kind``; the activity it touches
    (or the room, country or interpreter) and a description."""
    data = copy.deepcopy(data)
    later = [m for m in published["meetings"] if datetime.fromisoformat(m["start"]) > now]
    meeting = rng.choice(later)
    entry = next(m for m in data["meetings"] if m["id"] == meeting["id"])
    day = meeting["start"][:10]
    if kind == "room closed":
        room = next(r for r in data["rooms"] if r["id"] == meeting["room"])
        room.setdefault("unavailable", []).append(day)
        return data, meeting["id"], f"room {room['id']} closed on {day}"
    if kind == "country away":
        code = next(p["country"] for p in entry["participants"] if p.get("required", True))
        countries = data.setdefault("countries", [])
        party = next((c for c in countries if c["code"] == code), None)
        if party is None:
            party = {"code": code}
            countries.append(party)
        party.setdefault("unavailable", []).append(day)
        return data, meeting["id"], f"{code} away on {day}"
    if kind == "longer":
        minutes = parse_duration(entry["duration"]) + 60
        entry["duration"] = minutes
        return data, meeting["id"], f"{meeting['id']} one hour longer"
    if kind == "cancelled":
        data["meetings"] = [m for m in data["meetings"] if m["id"] != meeting["id"]]
        for other in data["meetings"]:
            other["after"] = [a for a in other.get("after", []) if a["meeting"] != meeting["id"]]
        for action_day in data.get("action_days", []):
            action_day["prepared_by"] = [
                p for p in action_day.get("prepared_by", []) if p["meeting"] != meeting["id"]
            ]
        return data, meeting["id"], f"{meeting['id']} cancelled"
    if kind == "added":
        added = copy.deepcopy(entry)
        added["id"] = f"{entry['id']}-X"
        added.pop("after", None)
        added.pop("pinned", None)
        data["meetings"].append(added)
        return data, added["id"], f"a meeting like {entry['id']} added"
    working = [name for m in later for team in m["interpreters"].values() for name in team]
    if not working:
        return change(data, published, "room closed", rng, now)
    name = rng.choice(sorted(set(working)))
    data["interpreters"] = [i for i in data["interpreters"] if i["id"] != name]
    touched = next(m["id"] for m in later if any(name in t for t in m["interpreters"].values()))
    return data, touched, f"interpreter {name} gone"


Replanned = tuple[int, float, int, int]
"""One re-plan: moved besides the change, seconds, dropped, dropped that would fit."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--variants",
        nargs="+",
        default=["calibrated", "varied", "tight-desks", "linked", "scarce-interpreters"],
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[7])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--full", type=float, default=60)
    parser.add_argument("--limit", type=float, default=30)
    parser.add_argument("--now", default="2027-03-01T00:00")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    rows: list[Replanned] = []
    for variant in arguments.variants:
        for seed in arguments.seeds:
            rows += year(variant, seed, arguments)
    besides = [r[0] for r in rows]
    seconds = [r[1] for r in rows]
    print()
    print(
        f"over {len(rows)} re-plans: moved besides the change median "
        f"{statistics.median(besides):g}, worst {max(besides)}; re-plan seconds median "
        f"{statistics.median(seconds):.2f}, worst {max(seconds):.2f} (limit "
        f"{arguments.limit:g} s, idle stop {IDLE_SECONDS:g} s); published activities "
        f"dropped {sum(r[2] for r in rows)}, of which fit {sum(r[3] for r in rows)}"
    )


def year(
    variant: str, seed: int, arguments: argparse.Namespace
) -> list[tuple[int, float, int, int]]:
    """Publish one year, re-plan it after each change; per re-plan: moved besides the
    change, seconds, dropped, and dropped that the checker finds would fit."""
    data = generate_scenario(year=2027, seed=seed, variant=variant)
    scenario = Scenario.model_validate(data)
    started = time.monotonic()
    full = solve(scenario, time_limit=arguments.full, workers=arguments.workers, seed=1)
    full_seconds = time.monotonic() - started
    published = schedule_document(full, scenario.name, "0" * 64)
    text = dumps(published)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    baseline, problems = baseline_from_data(json.loads(text), digest)
    assert baseline is not None, problems
    now = datetime.fromisoformat(arguments.now).replace(tzinfo=ZoneInfo(scenario.host.timezone))
    print()
    print(
        f"{variant} year, seed {seed}: published plan {full.status}, {full.score}, "
        f"{full_seconds:.1f} s; re-plans at {now:%Y-%m-%d %H:%M} with a limit of "
        f"{arguments.limit:g} s, {arguments.workers} workers"
    )
    print()
    print(
        "| # | change | moved | moved besides it | dropped (that fit) | final plan s "
        "| re-plan s | score | check |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    rng = random.Random(seed)
    rows = []
    for number in range(1, arguments.changes + 1):
        kind = KINDS[(number - 1) % len(KINDS)]
        changed_data, touched, what = change(data, published, kind, rng, now)
        changed = Scenario.model_validate(changed_data)
        events: list[Progress] = []
        begun = time.monotonic()
        result = replan(
            changed,
            baseline,
            now=now,
            time_limit=arguments.limit,
            workers=arguments.workers,
            seed=1,
            on_progress=events.append,
        )
        wall = time.monotonic() - begun
        if result.status == "infeasible":  # replan writes nothing: the published plan stays
            reason = "; ".join(entry.reason for entry in result.infeasible)
            print(f"| {number} | {what} | infeasible: {reason} |||| {wall:.2f} |||", flush=True)
            continue
        final = max((e.elapsed for e in events if e.score == result.score), default=None)
        document = schedule_document(result, changed.name, "0" * 64)
        violations = check_schedule(changed, document)
        violations += check_against_baseline(changed, document, published, text.encode("utf-8"))
        standing, _ = accepted_conflicts(document, violations)
        changes = result.changes
        assert changes is not None
        moved = [m.id for m in changes.moved]
        besides = [m for m in moved if m != touched]
        dropped = [d.id for d in changes.dropped]
        fitting = [v.activity for v in standing if v.rule == "placement" and v.activity in dropped]
        rows.append((len(besides), wall, len(dropped), len(fitting)))
        print(
            f"| {number} | {what} | {len(moved)} | {len(besides)} | {len(dropped)} "
            f"({len(fitting)}) | {final if final is None else round(final, 2)} | {wall:.2f} "
            f"| {result.score} | {'ok' if not standing else len(standing)} |",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    main()
