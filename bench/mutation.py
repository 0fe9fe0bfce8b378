"""Mutation testing of the workflow modules: how many small faults the tests catch.

mutmut (``pip install -e ".[mutation]"``) makes one small change at a time — a mutant:
``<`` for ``<=``, ``and`` for ``or``, a constant, a string, an argument left out — in
the modules that ``[tool.mutmut] only_mutate`` lists in pyproject.toml (the one list of
what is mutated; of ``planner/cli/planning.py`` only its replan part, :data:`FUNCTIONS`), and
runs the tests that call the changed function (mutmut records which tests call which
function in a first run of ``pytest tests -m "not slow"``). A mutant is killed when one
of those tests fails, survives when all pass. Prints, per module, the mutants, killed,
survived, with no test at all, and the kill rate of the mutants that are not
equivalent (:data:`EQUIVALENT`: those that change nothing a user can see); then every
survivor with its change, those not known to be equivalent first. Usage::

    python bench/mutation.py [--jobs 2] [--module planner/suggest.py ...]
                             [--survivors] [--report-only]

Results are kept in ``mutants/`` (ignored by git; mutmut's progress in
``mutants/run.log``): ``--report-only`` prints them again without running anything.
The whole run takes hours on 2 cores, which is why it is a bench script and not part
of CI; it runs itself at ``nice 15``.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FUNCTIONS: dict[str, tuple[str, ...]] = {
    "planner/cli/planning.py": ("replan", "plan_and_exit", "_too_many_moves"),
}
"""Modules of which only some functions are workflow code: of the planning commands,
what ``replan`` decides (what is written, exit 6, ``--max-moves``); ``solve``'s
options and progress lines are the command line's."""

SAME_PROCESSES = (
    "how many processes solve the plans: each is solved alike in any of them (the same "
    "seed and settings, one worker each), so only the time taken differs"
)
EQUIVALENT: list[tuple[str, str, str, str]] = [
    (
        "planner/check/baseline.py",
        "*",
        r"\.get\([^,()]+, (None)?\) or \[\]",
        "`get(key, None) or []` reads as `get(key, []) or []`",
    ),
    (
        "planner/check/baseline.py",
        "check_against_baseline",
        r"elif before is not None or after is not None",
        "the branches before it take the one-sided cases: here both are absent or both held",
    ),
    (
        "planner/check/baseline.py",
        "check_against_baseline",
        r"meeting = identifier in before_meetings and identifier in scenario\.meetings_by_id",
        "read only for an activity held in both plans and still in the scenario: a meeting "
        "in both or in neither",
    ),
    (
        "planner/check/baseline.py",
        "check_against_baseline",
        r'if \(changes\.get\("now"\) is not None\) or True',
        "parse_instant(None) is None",
    ),
    (
        "planner/budget.py",
        "command_seconds",
        r"and False else _command_started",
        "a command calls it only after command_begins has set when it began",
    ),
    (
        "planner/check/report.py",
        "verify",
        r'baseline_bytes: bytes = b"XXXX"',
        "planner check always passes the baseline file's bytes",
    ),
    (
        "planner/solver/kept.py",
        "kept_from",
        r"minute / grid\.granularity in starts",
        "asked only of a multiple of the granularity: the float equals the slot number",
    ),
    (
        "planner/solver/kept.py",
        "kept_from",
        r"minute % grid\.granularity == 0 or minute // grid\.granularity in starts:",
        "adds slots that are no allowed start to same_clock, which is only ever asked about "
        "allowed starts (constraints/moves.py, plan.py)",
    ),
    ("planner/solver/kept.py", "kept_from", r"^None,$", "Kept.clock is never read"),
    ("planner/whatif.py", "_solve_all", r".", SAME_PROCESSES),
    ("planner/whatif.py", "whatif", r"results = _solve_all\(.*, None\)", SAME_PROCESSES),
    (
        "planner/whatif.py",
        "whatif",
        r"results, (strict=(None|False))?\)\)",
        "the names and the results zipped are always as many",
    ),
    ("planner/whatif.py", "_digest", r'"UTF-8"', "the same codec"),
    (
        "planner/whatif.py",
        "_task",
        r".",
        "the worker reads the scenario back with Scenario.model_validate, which takes field "
        "names as well as aliases, defaults written or not",
    ),
    (
        "planner/whatif.py",
        "_baseline_document",
        r".",
        "planner whatif always passes the published file's JSON (baseline_document); only "
        "a library caller without it reaches this",
    ),
    (
        "planner/whatif.py",
        "plan_files",
        r"_scenario_text\(None\)",
        "every plan has the text of its scenario: the fallback is never taken",
    ),
    (
        "planner/whatif.py",
        "whatif",
        r"versus, (None)?\)\)",
        "without the text, plan_files writes the same text from the plan's scenario",
    ),
    ("planner/whatif.py", "whatif", r"seed: int = 1", "planner whatif always passes the seed"),
    (
        "planner/whatif.py",
        "_scenario_text",
        r'mode=(None|"XXjsonXX"|"JSON")\)\)|exclude_defaults=True, \)\)',
        "dates written unquoted instead of quoted: the same scenario when read back",
    ),
    (
        "planner/whatif.py",
        "_unchanged",
        r"versus, (None)?\)$",
        "without the text, plan_files writes the same text from the plan's scenario",
    ),
    (
        "planner/whatif.py",
        "whatif",
        r"^versus = None$|if versus is None or result\.has_plan and base_plan is not None",
        "a variant solved against the base has the account planner.changes.compare gives, "
        "which is what is computed here without it",
    ),
    (
        "planner/suggest.py",
        "suggest",
        r"count: int = 6|seed: int = 1",
        "planner suggest and the page always pass the count and the seed",
    ),
    (
        "planner/suggest.py",
        "suggest",
        r"baseline_from_data\(schedule_document\(solved, ",
        "the plan solved to hold the others is a baseline of this call only: its name and "
        "digest are never read",
    ),
    (
        "planner/suggest.py",
        "suggest",
        r"raise KeyError\(None\)",
        "planner suggest and the page check the id before they ask (known_activity, a 404)",
    ),
    (
        "planner/suggest.py",
        "_order",
        r'return assignment\.date, 1, room|assignment\.slot, room or "XXXX"$',
        "a constant of every action day's key; a meeting always has a room",
    ),
    (
        "planner/change.py",
        "apply_change",
        r"data = scenario\.model_dump\(",
        "the changed data is validated as a scenario again, which takes field names as well "
        "as aliases and fills in the defaults",
    ),
    (
        "planner/change.py",
        "apply_change",
        r"source\.parent if \(source\.is_file\(\)\) or True",
        "the parent of a source that is no file is the current folder, where relative "
        "calendars are read from anyway",
    ),
    (
        "planner/change.py",
        "change_yaml",
        r'model_dump\(mode=(None|"XXjsonXX"|"JSON"), exclude_defaults=True\)|'
        r"model_dump\(exclude_defaults=True\)|if \(data\) or True|"
        r"safe_dump\(data, allow_unicode=True\)",
        "dates written unquoted instead of quoted, keys sorted by default, an empty dump "
        "that is '{}' anyway: the same change when read back",
    ),
    (
        "planner/change.py",
        "parse_change",
        r'name: str = "(XXchangeXX|CHANGE)"',
        "the name is read only for a file's variant, and a file's name is always given",
    ),
]
"""Survivors that change nothing a user can see: (module path, function, a pattern the
mutated line matches, why). A mutant whose changed line no longer matches is a survivor
to look at again."""

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS |= {code: "timeout" for code in (36, 24, -24, 152, 255)}
STATUS |= {34: "skipped", 37: "caught by type check", -9: "segfault", -11: "segfault"}
"""mutmut's exit codes (``mutmut.stats``); any other one is "suspicious"."""


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    function: str
    status: str
    change: list[str]
    """The lines it changes: ``-`` before, ``+`` after."""

    @property
    def equivalent(self) -> str | None:
        after = [line[1:].strip() for line in self.change if line.startswith("+")] or [""]
        for path, function, pattern, reason in EQUIVALENT:
            mine = path == self.path and function in (self.function, "*")
            if mine and any(re.search(pattern, line) for line in after):
                return reason
        return None


def configured() -> list[str]:
    """The paths ``only_mutate`` lists in pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        settings = tomllib.load(handle)["tool"]["mutmut"]
    return list(settings["only_mutate"])


def module_of(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def patterns(paths: list[str]) -> list[str]:
    """mutmut's names of the mutants to run: every function of a module, or those of
    :data:`FUNCTIONS`."""
    found = []
    for path in paths:
        module = module_of(path)
        if path in FUNCTIONS:
            found += [f"{module}.x_{function}__mutmut_*" for function in FUNCTIONS[path]]
        else:
            found.append(f"{module}.*")
    return found


def changed_functions(paths: list[str]) -> list[tuple[str, str]]:
    """The functions (mutmut's names) whose code changed since their mutants were made:
    all their mutants are new, whatever the last results say."""
    from mutmut.mutation.file_mutation import compute_function_hashes

    changed = []
    for path in paths:
        meta = ROOT / "mutants" / f"{path}.meta"
        if not meta.exists():
            continue
        before = json.loads(meta.read_text())["hash_by_function_name"]
        now = compute_function_hashes((ROOT / path).read_text())
        selected = FUNCTIONS.get(path)
        changed += [
            (path, name)
            for name, digest in now.items()
            if before.get(name) != digest and (not selected or readable(name) in selected)
        ]
    return changed


def readable(function: str) -> str:
    """``xǁGuardǁ__call__`` -> ``Guard.__call__``, ``x_compare`` -> ``compare``."""
    if function.startswith("xǁ"):
        return ".".join(part for part in function[2:].split("ǁ") if part)
    return function.removeprefix("x_")


def definitions(path: str) -> dict[str, str]:
    """The source of every function of a mutated file, by name (mutants included)."""
    text = (ROOT / "mutants" / path).read_text()
    lines = text.splitlines()
    found = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            found[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return found


def change_of(sources: dict[str, str], function: str, name: str) -> list[str]:
    original = sources.get(f"{function}__mutmut_orig", "").replace("__mutmut_orig", "")
    mutant = sources.get(name, "").replace(name.rsplit("__mutmut_", 1)[0], function)
    mutant = mutant.replace(f"__mutmut_{name.rsplit('__mutmut_', 1)[1]}", "")
    lines = difflib.unified_diff(original.splitlines(), mutant.splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def results(paths: list[str]) -> list[Mutant]:
    """Every mutant of the paths that mutmut has tried (and those it has not)."""
    mutants = []
    for path in paths:
        meta = ROOT / "mutants" / f"{path}.meta"
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        sources = definitions(path)
        module = module_of(path)
        for key, code in codes.items():
            name = key.removeprefix(module + ".")
            function = name.rsplit("__mutmut_", 1)[0]
            if path in FUNCTIONS and readable(function) not in FUNCTIONS[path]:
                continue
            status = "not run" if code is None else STATUS.get(code, "suspicious")
            change = change_of(sources, function, name) if status != "killed" else []
            mutants.append(Mutant(key, path, readable(function), status, change))
    return mutants


def report(paths: list[str], mutants: list[Mutant]) -> None:
    print("| module | mutants | killed | survived | no tests | equivalent | kill rate |")
    print("|---|---|---|---|---|---|---|")
    totals: Counter[str] = Counter()
    for path in paths:
        mine = [m for m in mutants if m.path == path]
        count = Counter(m.status for m in mine)
        killed = count["killed"] + count["timeout"]
        equivalent = sum(1 for m in mine if m.status == "survived" and m.equivalent)
        survived = count["survived"] - equivalent
        untested = count["no tests"]
        judged = killed + survived + untested
        rate = f"{100 * killed / judged:.0f} %" if judged else "-"
        other = len(mine) - killed - count["survived"] - untested
        note = f" ({other} not run or other)" if other else ""
        print(
            f"| {path} | {len(mine)}{note} | {killed} | {survived} | {untested} | {equivalent} "
            f"| {rate} |"
        )
        totals.update(
            {
                "mutants": len(mine),
                "killed": killed,
                "survived": survived,
                "untested": untested,
                "equivalent": equivalent,
            }
        )
    judged = totals["killed"] + totals["survived"] + totals["untested"]
    rate = f"{100 * totals['killed'] / judged:.0f} %" if judged else "-"
    print(
        f"| all | {totals['mutants']} | {totals['killed']} | {totals['survived']} "
        f"| {totals['untested']} | {totals['equivalent']} | {rate} |"
    )
    left = [m for m in mutants if m.status in ("survived", "no tests", "suspicious")]
    for title, chosen in (
        ("Survivors", [m for m in left if not m.equivalent]),
        ("Equivalent survivors", [m for m in left if m.equivalent]),
    ):
        if not chosen:
            continue
        print(f"\n{title}:")
        for mutant in sorted(chosen, key=lambda m: (m.path, m.function, m.name)):
            why = f" (equivalent: {mutant.equivalent})" if mutant.equivalent else ""
            print(f"- {mutant.name} [{mutant.status}] {mutant.function}{why}")
            for line in mutant.change:
                print(f"      {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument(
        "--module", action="append", help="only this path of only_mutate (may be repeated)"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print the last results, run nothing"
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run again only the mutants that no test killed last time (after adding tests)",
    )
    arguments = parser.parse_args()
    paths = configured()
    if arguments.module:
        unknown = sorted(set(arguments.module) - set(paths))
        if unknown:
            parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")
        paths = [p for p in paths if p in arguments.module]
    if not arguments.report_only:
        mutmut = shutil.which("mutmut") or str(Path(sys.executable).parent / "mutmut")
        os.nice(15)  # the machine is shared: the tests' processes inherit it
        begun = time.monotonic()
        names = patterns(paths)
        if arguments.survivors:
            names = [m.name for m in results(paths) if m.status not in ("killed", "timeout")]
            names += [f"{module_of(path)}.{f}__mutmut_*" for path, f in changed_functions(paths)]
            if not names:
                parser.error("no survivors to run again")
        command = [mutmut, "run", "--max-children", str(arguments.jobs), *names]
        (ROOT / "mutants").mkdir(exist_ok=True)
        with open(ROOT / "mutants" / "run.log", "w") as log:  # mutmut's progress
            subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
        print(f"mutmut ran {(time.monotonic() - begun) / 60:.0f} min with {arguments.jobs} jobs\n")
    report(paths, results(paths))


if __name__ == "__main__":
    main()
