"""Reading a command's input files, or exiting 2 with every problem located (SPEC 2.5,
2.7.4); and checking its output paths before any work."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.cli.console import say, stderr
from planner.cli.errors import fail, invalid
from planner.cli.options import max_bytes
from planner.exits import EXIT_INVALID
from planner.loading import load_baseline, read_scenario_file
from planner.models.baseline import Baseline
from planner.models.problems import InputError, ScenarioError
from planner.models.scenario import Scenario
from planner.output.files import output_problem


def read_scenario(path: str, as_json: bool, max_input_mb: float) -> tuple[Scenario, bytes]:
    """Load a scenario and the bytes it was read from, or exit 2 listing every problem."""
    try:
        return read_scenario_file(path, max_bytes=max_bytes(max_input_mb))
    except ScenarioError as error:
        invalid(error, as_json)


def optional_baseline(path: str | None, as_json: bool, max_input_mb: float) -> Baseline | None:
    """Return the baseline at ``path`` if one is given; exit 2 when it cannot be read."""
    if not path:
        return None
    try:
        return load_baseline(path, max_bytes(max_input_mb))
    except InputError as error:
        invalid(error, as_json)


def read_baseline(path: str, digest: str, as_json: bool, max_input_mb: float) -> Baseline:
    """Read a baseline or exit 2; say in one line when it planned another version of the
    scenario (``digest``: the scenario file's sha256), which is normal (SPEC 2.7.1)."""
    try:
        baseline = load_baseline(path, max_bytes=max_bytes(max_input_mb))
    except InputError as error:
        invalid(error, as_json)
    if baseline.scenario.sha256 != digest and not as_json:
        say(
            stderr,
            f"{path} was planned for another version of the scenario: what is gone from it "
            "counts as changed",
        )
    return baseline


def known_activity(scenario: Scenario, path: str, activity: str | None, as_json: bool) -> None:
    """Exit 2 unless ``activity`` (when given) is a meeting or action day of the scenario at
    ``path``.
    """
    if activity is None:
        return
    if activity not in scenario.meetings_by_id and activity not in scenario.action_days_by_id:
        fail(EXIT_INVALID, f"{path} has no meeting or action day {activity!r}", as_json)


def check_outputs(
    outputs: Sequence[str], inputs: Sequence[str], formats: Sequence[str], as_json: bool
) -> None:
    """Exit 2 before any work when an output cannot be written (SPEC 2.7.4): an
    unsupported extension, a missing or unwritable folder, a folder in its place, the
    same file twice, or one of the inputs (a plan never overwrites its scenario)."""
    seen: set[Path] = set()
    for output in outputs:
        target = Path(output)
        problem = output_problem(target, formats, seen, [Path(source) for source in inputs])
        if problem:
            fail(EXIT_INVALID, f"cannot write {output}: {problem}", as_json)
        seen.add(target.resolve())
