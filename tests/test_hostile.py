"""Hostile or broken input (SPEC 2.7.4): exit 2 with a located, escaped message, never a
hang, a traceback or exit 1; signals at any moment; nothing published is lost.

Each case runs the real command in a subprocess. The subprocess timeout is a ceiling
that only catches a hang; it is no speed claim (speed is measured in bench/). Peak
memory of each run is read from the kernel's accounting of that one child.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from solving import scenario_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
CEILING = 120
"""Seconds after which a run counts as hung."""
MEMORY_LIMIT_MB = 1024


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float


def planner(*args: str, cwd: Path = ROOT, timeout: float = CEILING) -> Run:
    """Run ``python -m planner ARGS`` and return its exit code, output and peak memory."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"planner-hostile-{os.getpid()}"
    with open(f"{out_path}.out", "w+") as out, open(f"{out_path}.err", "w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "planner", *args], cwd=cwd, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(process.returncode, out.read(), err.read(), usage.ru_maxrss / 1024)
    Path(f"{out_path}.out").unlink()
    Path(f"{out_path}.err").unlink()
    assert run.code != -signal.SIGKILL, f"planner {' '.join(args)} hung"
    assert "Traceback" not in run.stderr + run.stdout
    assert run.peak_mb < MEMORY_LIMIT_MB, f"{run.peak_mb:.0f} MB"
    return run


def refused(run: Run, *words: str) -> None:
    """Exit 2, and every word in what the user reads."""
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    said = run.stdout + run.stderr
    for word in words:
        assert word in said, (word, said)


MEETING = """\
rooms: [{id: P1, capacity: 40, features: [videoconference]}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: DE}]}
"""


def alias_bomb(levels: int) -> str:
    """A few hundred bytes that expand to 9**levels items when aliases are followed."""
    lines = ["schema: planner.scenario/1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    lines.append("horizon: {start: 2026-11-30, end: 2026-12-04}")
    return "\n".join(lines) + "\n"


def line_of(text: str, marker: str) -> str:
    """``line N`` of the first line holding ``marker``."""
    return f"line {text[: text.index(marker)].count(chr(10)) + 1}"


def case(name: str, text: str, marker: str | None, *words: str) -> object:
    """A bad scenario: the words its message holds, and the line of ``marker`` if given."""
    located = (line_of(text, marker),) if marker else ()
    return pytest.param(text, (*located, *words), id=name)


BAD_SCENARIOS = [
    case("alias bomb", alias_bomb(9), "&a0", "anchors"),
    case(
        "merge key",
        scenario_text("defaults: {<<: {stretch: 30m}}\n" + MEETING),
        "<<",
        "defaults.<<",
        "unknown key",
    ),
    case("nested lists", "schema: planner.scenario/1\nname: " + "[" * 10_000 + "]" * 10_000, "["),
    case(
        "nested within libyaml's depth",
        "schema: planner.scenario/1\nname: " + "[" * 100 + "]" * 100,
        "[",
        "nested deeper than",
    ),
    case("NUL byte", scenario_text("title_x: a\x00b\n" + MEETING), "\x00", "U+0000"),
    case(
        "escaped ANSI in an id",
        scenario_text(MEETING.replace("id: M1", 'id: "M1\\e[2J\\e]0;owned\\a"')),
        "M1",
        "meetings[0].id",
        "U+001B",
    ),
    case(
        "C1 control in a case title",
        scenario_text(
            'cases: [{id: C1, crime: fraud, countries: [NL, DE], title: "x\\x9b31m"}]\n' + MEETING
        ),
        "x9b",
        "cases[0].title",
        "U+009B",
    ),
    case(
        "bidirectional override in a room id",
        scenario_text(MEETING.replace("{id: P1", '{id: "P\\u202e1"')),
        "u202e",
        "rooms[0].id",
        "U+202E",
    ),
    case(
        "huge room buffer",
        scenario_text("defaults: {room_buffer: 99999999d}\n" + MEETING),
        "room_buffer",
        "defaults.room_buffer",
        "longer than",
    ),
    case(
        "centre set-up of two days",
        scenario_text("coordination_centre: {setup: 2d}\n" + MEETING),
        "setup",
        "coordination_centre.setup",
        "longer than a day",
    ),
    case(
        "action day of 100000 hours",
        scenario_text(
            MEETING + "action_days: [{id: A1, case: C1, countries: [NL], duration: 100000h}]\n"
        ),
        "A1",
        "action_days[0].duration",
    ),
    case(
        "date in year 9999",
        scenario_text(MEETING, horizon="{start: 9999-12-27, end: 9999-12-31}"),
        "9999",
        "horizon.start",
        "1970-2200",
    ),
    case(
        "weight of 10^23",
        scenario_text("objective: {lateness_per_day: 100000000000000000000000}\n" + MEETING),
        "lateness",
        "digits",
    ),
    case(
        "weight above the limit",
        scenario_text("objective: {move: {date: 5000000}}\n" + MEETING),
        "move",
        "objective.move.date",
        "1000000",
    ),
    case(
        "a 50-year horizon",
        scenario_text(MEETING, horizon="{start: 2026-01-01, end: 2075-12-31}"),
        "horizon",
        "three years",
    ),
    case("a YAML tag", scenario_text("title_x: !!binary aGVsbG8=\n" + MEETING), "!!binary", "tag"),
    case("two documents", scenario_text(MEETING) + "---\nname: x\n", "---", "one YAML document"),
]


@pytest.mark.parametrize(("text", "words"), BAD_SCENARIOS)
@pytest.mark.parametrize("command", ["validate", "solve", "links"])
def test_bad_scenarios_are_refused_with_their_location(
    tmp_path: Path, command: str, text: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    refused(planner(command, str(path)), *words)


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(b"schema: planner.scenario/1\nname: caf\xe9\n")
    refused(planner("validate", str(path)), "line 2", "UTF-8")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(scenario_text(MEETING) + "# " + "x" * 2_000_000 + "\n")
    refused(planner("validate", str(path), "--max-input-mb", "1"), "larger than", "1 MB")
    assert planner("validate", str(path)).code == 0  # under the 20 MB default


def test_every_error_honours_json(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(scenario_text(MEETING.replace("NL}", "UK}")))
    for command in ("validate", "solve", "links"):
        run = planner(command, str(path), "--json")
        assert run.code == 2
        document = json.loads(run.stdout)
        assert "error" in document
        (problem,) = document["problems"]
        assert problem["path"] == "meetings[0].participants[0].country"
        assert problem["line"] == 7
    usage = planner("solve", str(path), "--json", "--seed", "-1")
    assert usage.code == 2 and "--seed" in json.loads(usage.stdout)["error"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", str(10**23)),
        ("--seed", "-1"),
        ("--workers", "10001"),
        ("--workers", "0"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--time-limit", "0"),
        ("--max-input-mb", "0"),
    ],
)
def test_options_out_of_range_are_usage_errors(option: str, value: str) -> None:
    refused(planner("solve", str(WEEK), option, value), option)


def test_markup_in_a_path_is_printed_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "week[" / "b]"
    folder.mkdir(parents=True)
    copy = folder / "plan[v2][bold].yaml"
    copy.write_text(WEEK.read_text())
    run = planner("validate", str(copy))
    assert run.code == 0 and f"{copy}: valid" in run.stdout
    missing = folder / "gone[/b].yaml"
    refused(planner("validate", str(missing)), f"{missing}:", "cannot read")


def test_control_characters_in_a_path_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[2Jb.yaml"
    refused(planner("validate", str(path)), "\\x1b[2Jb.yaml")


@pytest.mark.parametrize(
    "where",
    ["missing folder", "read-only folder", "a folder", "the input", "twice"],
)
def test_unwritable_outputs_are_refused_before_solving(tmp_path: Path, where: str) -> None:
    scenario = tmp_path / "week.yaml"
    scenario.write_text(WEEK.read_text())
    extra: list[str] = []
    if where == "missing folder":
        target = tmp_path / "nowhere" / "plan.json"
    elif where == "read-only folder":
        target = Path("/proc/plan.json")  # a read-only file system, whoever runs the test
    elif where == "a folder":
        target = tmp_path / "plan.json"
        target.mkdir()
    elif where == "the input":
        target = tmp_path / "scenario.json"
        scenario = scenario.rename(target)
    else:
        target = tmp_path / "plan.json"
        extra = ["-o", str(tmp_path / "." / "plan.json")]
    before = scenario.read_bytes()
    run = planner("solve", str(scenario), "-o", str(target), *extra, "--time-limit", "600")
    refused(run, "is a directory" if where == "a folder" else "cannot write")
    assert "objective" not in run.stdout  # refused before any solving
    assert scenario.read_bytes() == before


# ---- plans read by check --------------------------------------------------------------


@pytest.fixture(scope="module")
def week_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("plan")
    planner("solve", str(WEEK), "-o", str(folder / "plan.json"), "--workers", "1")
    document: dict[str, object] = json.loads((folder / "plan.json").read_text())
    return document


BAD_PLANS: list[tuple[str, str, tuple[str, ...]]] = [
    ("deep nesting", "[" * 100_000 + "]" * 100_000, ("nested deeper",)),
    ("nested within the recursion limit", "[" * 500 + "]" * 500, ("nested deeper",)),
    ("a 5000-digit integer", '{"objective": ' + "9" * 5000 + "}", ("digits",)),
    ("NaN", '{"objective": NaN}', ("NaN",)),
    ("a float overflowing", '{"objective": 1e999}', ("too large",)),
    ("not JSON", "{'schema': 1}", ("line 1", "not valid JSON")),
    ("a list", "[]", ("JSON object",)),
    ("an escaped ANSI code", '{"schema": "x\\u001b[2J"}', ("schema", "U+001B")),
    ("NUL byte", '{"schema": "x"}\x00', ("U+0000",)),
]


@pytest.mark.parametrize(
    ("text", "words"), [case[1:] for case in BAD_PLANS], ids=[case[0] for case in BAD_PLANS]
)
def test_bad_plans_are_refused_by_check(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(text)
    refused(planner("check", str(WEEK), str(plan)), *words)


def test_a_plan_with_a_start_in_year_9999_is_refused(
    tmp_path: Path, week_plan: dict[str, object]
) -> None:
    document = json.loads(json.dumps(week_plan))
    document["meetings"][0]["start"] = "9999-12-31T15:00:00+01:00"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    refused(planner("check", str(WEEK), str(plan)), "meetings[0].start", "1970-2200")


# ---- signals ----------------------------------------------------------------------------


def _handles(pid: int, signum: int) -> bool:
    """Whether the process catches ``signum`` yet (Linux: the SigCgt mask in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def _ignore_sigint() -> None:
    """Start the command with SIGINT ignored: Python then installs no SIGINT handler of
    its own at start-up, so that the one /proc shows is planner's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_before_the_search_writes_nothing(tmp_path: Path, name: str, code: int) -> None:
    # The scenario is a named pipe: the command cannot get past reading it until the
    # test writes into it, so the signal is known to arrive before any search.
    scenario, plan = tmp_path / "week.yaml", tmp_path / "plan.json"
    os.mkfifo(scenario)
    signum = getattr(signal, name)
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "solve", str(scenario), "-o", str(plan)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint,
    )
    # wait for the handler of the very signal sent: planner's own, never the default
    while not _handles(process.pid, signum):
        assert process.poll() is None
    process.send_signal(signum)
    while process.poll() is None:  # feed the pipe once the command opens it
        try:
            pipe = os.open(scenario, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader yet
            continue
        with os.fdopen(pipe, "wb") as writer:
            writer.write(WEEK.read_bytes())
        break
    out, err = process.communicate(timeout=CEILING)
    assert process.returncode == code, (out, err)
    assert "interrupted" in err and "Traceback" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["week.yaml"]  # no plan
