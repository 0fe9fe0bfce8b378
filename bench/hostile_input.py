"""Hostile and oversized input: how fast and how frugally planner refuses or reads it.

Each class of input of SPEC 2.7.4 is written to a temporary folder and given to the
real command in its own process (``python -m planner ...``): the exit code, the wall
time (median of ``--runs``; the worst in brackets), the peak memory and the message's
first problem. The limits themselves are in ``planner/models/limits.py``. Usage::

    python bench/hostile_input.py [--runs 3]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

from robustness import ROOT, run_command

WEEK = (ROOT / "scenarios" / "week.yaml").read_text()


def alias_bomb(levels: int) -> str:
    """A few hundred bytes that expand to 9**levels items when aliases are followed."""
    lines = ["schema: planner.scenario/1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def nested_lists(depth: int) -> str:
    """``[[[…]]]`` ``depth`` deep, as the value of a scenario key."""
    return "schema: planner.scenario/1\nrooms: " + "[" * depth + "]" * depth + "\n"


def many_entities(megabytes: float) -> str:
    """week.yaml whose first case lists enough made-up phone numbers to weigh
    ``megabytes``: a valid scenario just under the size limit."""
    count = int(megabytes * 1024 * 1024 / 24)
    phones = "".join(f'"phone:+31 6 {n:08d}", ' for n in range(count))
    return WEEK.replace('entities: ["iban:ES91', f'entities: [{phones}"iban:ES91', 1)


def three_year_week() -> str:
    """week.yaml over the longest horizon allowed (three years)."""
    return WEEK.replace("end: 2026-12-04}", "end: 2029-11-29}", 1)


def week_plan(folder: Path) -> dict[str, object]:
    """The plan of week.yaml, solved once, as a document to spoil."""
    plan = folder / "week.json"
    code, _, errors, _, _ = run_command(["solve", "scenarios/week.yaml", "-o", str(plan)], 120)
    if code != 0:
        raise RuntimeError(errors)
    return json.loads(plan.read_text())


def cases(folder: Path) -> list[tuple[str, str, Callable[[Path], list[str]]]]:
    """(what, file text, the command given that file) for each class of input."""
    plan = week_plan(folder)
    deep_plan = json.dumps(dict(plan, meetings="DEEP")).replace(
        '"DEEP"', "[" * 10_000 + "]" * 10_000, 1
    )
    long_number = json.dumps(plan).replace('"objective": ', '"objective": ' + "9" * 5000, 1)
    year = folder / "year8.yaml"
    run_command(["generate", "--seed=7", "--scale=8", "-o", str(year)], 600)

    def validate(path: Path) -> list[str]:
        return ["validate", str(path)]

    def check(path: Path) -> list[str]:
        return ["check", "scenarios/week.yaml", str(path)]

    def solve_10s(path: Path) -> list[str]:
        return ["solve", str(path), "--time-limit=10", "-o", str(folder / "out.json")]

    return [
        ("alias bomb, 9 levels of 9", alias_bomb(9), validate),
        ("10,000 nested lists", nested_lists(10_000), validate),
        ("a file over the 20 MB limit", "# " + "x" * (25 * 1024 * 1024) + "\n", validate),
        ("NUL bytes in UTF-8 text", WEEK.replace("title:", "title: \0", 1), validate),
        ("a generated year at scale 8 (valid)", year.read_text(), validate),
        ("19 MB of case entities (valid)", many_entities(19), validate),
        ("a three-year horizon, week.yaml's activities", three_year_week(), solve_10s),
        ("plan: 10,000 nested lists", deep_plan, check),
        ("plan: a 5,000-digit integer", long_number, check),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    print(f"planner on hostile input; {options.runs} runs each, median (worst)\n")
    print("| input | size MB | command | exit | wall s | peak MB | message |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for what, text, command in cases(folder):
            path = folder / "input.yaml"
            path.write_text(text)
            walls, peaks = [], []
            for _ in range(options.runs):
                code, out, errors, wall, peak = run_command(command(path), 600)
                walls.append(wall)
                peaks.append(peak)
            lines = (errors or out).strip().splitlines()
            message = (lines[1] if len(lines) > 1 else lines[0] if lines else "").strip()[:100]
            print(
                f"| {what} | {path.stat().st_size / 1024 / 1024:.2f} | {command(path)[0]} "
                f"| {code} | {statistics.median(walls):.2f} ({max(walls):.2f}) "
                f"| {max(peaks):.0f} | {message.replace('|', '/')} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
