"""``planner import`` (SPEC 2.7.5): meeting requests from sheets built here with openpyxl
(real date cells) and from CSV files, merged into a scenario, every problem located at
its sheet, row and column, nothing written on error; a plan's CSV export imports back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.loading import load_scenario
from planner.requests import participants

BASE = """\
schema: planner.scenario/1
name: Week 49
horizon: {start: 2026-11-30, end: 2026-12-04}
rooms:
  - {id: P1, capacity: 20, features: [videoconference, interpretation_booths]}
interpreters:
  - {id: anna, languages: [de, en]}
  - {id: lucia, languages: [es, en]}
cases:
  - {id: EJ-1, crime: fraud, countries: [NL, DE, ES]}
meetings:
  - {id: CM-1, case: EJ-1, duration: 2h, participants: [{country: NL}, {country: DE, language: de}]}
action_days:
  - {id: AD-1, case: EJ-1, countries: [NL, DE]}
"""


def workbook(path: Path, rows: list[list[Any]], title: str = "requests") -> Path:
    """Write a workbook whose first sheet holds ``rows`` (dates as Excel date cells)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def invoke(*args: str) -> tuple[int, str]:
    """Run the command line in process; return the exit code and what it printed."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "week.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_a_sheet_adds_and_updates_meetings(tmp_path: Path, base: Path) -> None:
    sheet = workbook(
        tmp_path / "requests.xlsx",
        [
            [
                "ID",
                "Case",
                "Duration",
                "Participants",
                "Earliest",
                "Latest",
                "Preferred",
                "Priority",
                "After",
                "Notes",
            ],
            [
                "CM-2",
                "EJ-1",
                90,
                "NL x2; ES es video; DE optional",
                date(2026, 12, 1),
                datetime(2026, 12, 3),
                None,
                "High",
                "CM-1 1d",
                "ask Ana first",
            ],
            ["CM-1", None, "3h", None, None, None, date(2026, 12, 2), None, None, None],
        ],
    )
    out = tmp_path / "out.yaml"
    code, printed = invoke("import", str(sheet), "--into", str(base), "-o", str(out))
    assert code == 0, printed
    assert "1 meetings added, 1 updated" in printed
    scenario = load_scenario(out)
    cm1, cm2 = scenario.meetings
    # CM-1 updated: only the cells given (duration, preferred); the rest as it was.
    assert (cm1.duration, str(cm1.preferred)) == (180, "2026-12-02")
    assert [p.country for p in cm1.participants] == ["NL", "DE"]
    # CM-2 added: 90 minutes; real date cells (a date and a datetime at midnight) read
    # as dates; "High" read as high; the participants' mini-syntax; after CM-1 by 1 day.
    assert (cm2.duration, str(cm2.earliest), str(cm2.latest)) == (90, "2026-12-01", "2026-12-03")
    assert cm2.priority == "high"
    assert [
        (p.country, p.delegates, p.attendance, p.language, p.required) for p in cm2.participants
    ] == [
        ("NL", 2, "in_person", None, True),
        ("ES", 1, "video", "es", True),
        ("DE", 1, "in_person", None, False),
    ]
    assert [(a.meeting, a.gap) for a in cm2.after] == [("CM-1", 1440)]
    # The rest of the scenario is kept; the action day too.
    assert [a.id for a in scenario.action_days] == ["AD-1"]


def test_a_bad_sheet_is_refused_with_every_problem_located_and_nothing_written(
    tmp_path: Path, base: Path
) -> None:
    sheet = workbook(
        tmp_path / "bad.xlsx",
        [
            ["id", "case", "duration", "participants", "earliest", "latest"],
            # row 2: unknown case, a duration in words, a word the participants cell does
            # not know, a date written the way a date cell is not
            ["CM-3", "EJ-9", "two hours", "NL; DE zzz", "01/12/2026", date(2026, 12, 3)],
            # row 3: an unknown country code, latest before earliest
            ["CM-4", "EJ-1", time(1, 0), "NL; XX", date(2026, 12, 4), date(2026, 12, 1)],
            # row 4: the action day's id
            ["AD-1", "EJ-1", 60, "NL", None, None],
        ],
    )
    out = tmp_path / "out.yaml"
    code, printed = invoke("import", str(sheet), "--into", str(base), "-o", str(out), "--json")
    assert code == 2
    assert not out.exists()
    problems = [(p["path"], p["message"]) for p in json.loads(printed)["problems"]]
    assert problems == [
        ('sheet "requests", row 2, column case', "unknown case 'EJ-9'"),
        (
            'sheet "requests", row 2, column duration',
            "'two hours' is not a duration (use minutes or e.g. '90m', '3h', '1h30m', '2d')",
        ),
        (
            'sheet "requests", row 2, column participants',
            "'DE zzz': 'zzz' is not understood (write CODE [xN] [video] [language] [optional], "
            "e.g. 'DE x2 de')",
        ),
        (
            'sheet "requests", row 2, column earliest',
            "'01/12/2026' is not a date (a date cell, or text YYYY-MM-DD)",
        ),
        (
            'sheet "requests", row 3, column participants',
            "unknown country or organisation code 'XX'",
        ),
        (
            'sheet "requests", row 3, column latest',
            "latest 2026-12-01 is before earliest 2026-12-04",
        ),
        (
            'sheet "requests", row 4, column id',
            "AD-1 is an action day of the scenario, not a meeting",
        ),
    ]


def test_a_misspelt_column_is_refused_with_the_right_name(tmp_path: Path, base: Path) -> None:
    sheet = workbook(tmp_path / "r.xlsx", [["id", "durration"], ["CM-1", 60]], title="Sheet1")
    code, printed = invoke(
        "import", str(sheet), "--into", str(base), "-o", str(tmp_path / "o.yaml")
    )
    assert code == 2
    assert 'sheet "Sheet1", row 1, column durration: unknown column' in printed
    assert "did you mean duration?" in printed


def test_another_sheet_by_name(tmp_path: Path, base: Path) -> None:
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "readme"
    first.append(["This sheet explains the other one."])
    second = book.create_sheet("week 49")
    second.append(["id", "duration"])
    second.append(["CM-1", 45])
    book.save(path)
    out = tmp_path / "o.yaml"
    code, printed = invoke(
        "import", str(path), "--sheet", "week 49", "--into", str(base), "-o", str(out)
    )
    assert code == 0, printed
    assert load_scenario(out).meetings[0].duration == 45
    code, printed = invoke(
        "import", str(path), "--sheet", "week 50", "--into", str(base), "-o", str(out)
    )
    assert code == 2 and 'no sheet "week 50"' in printed


def test_csv_with_a_byte_order_mark_and_semicolons(tmp_path: Path, base: Path) -> None:
    # As a European Excel saves "CSV UTF-8": a BOM, ';' between cells, ',' inside them.
    text = (
        "\ufeffid;case;duration;participants;earliest;latest;priority\r\n"
        'CM-5;EJ-1;1h30m;"NL x2, not a second party; DE de";2026-12-01;2026-12-02;low\r\n'
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(text.encode("utf-8"))
    code, printed = invoke("import", str(bad), "--into", str(base), "-o", str(tmp_path / "o.yaml"))
    # The ',' is inside one cell, so the header's ';' decide; the cell's words are told.
    assert code == 2 and "row 2, column participants: 'NL x2, not a second party'" in printed
    good = tmp_path / "requests.csv"
    good.write_bytes(text.replace("x2, not a second party", "x2").encode("utf-8"))
    out = tmp_path / "out.yaml"
    code, printed = invoke("import", str(good), "--into", str(base), "-o", str(out))
    assert code == 0, printed
    added = load_scenario(out).meetings_by_id["CM-5"]
    assert (added.duration, added.priority, str(added.latest)) == (90, "low", "2026-12-02")
    assert [(p.country, p.delegates, p.language) for p in added.participants] == [
        ("NL", 2, None),
        ("DE", 1, "de"),
    ]


def test_csv_without_a_byte_order_mark_and_with_commas(tmp_path: Path, base: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,duration\nCM-1,75\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    assert invoke("import", str(path), "--into", str(base), "-o", str(out))[0] == 0
    assert load_scenario(out).meetings[0].duration == 75


def test_a_new_scenario_from_requests_alone(tmp_path: Path) -> None:
    sheet = workbook(
        tmp_path / "requests.xlsx",
        [
            ["id", "case", "duration", "participants", "earliest", "latest"],
            ["CM-1", "EJ-7", "2h", "NL; BE nl", date(2027, 1, 11), date(2027, 1, 15)],
            ["CM-2", "EJ-7", "1h", "NL; FR fr", date(2027, 1, 12), date(2027, 1, 13)],
        ],
    )
    out = tmp_path / "new.yaml"
    code, printed = invoke("import", str(sheet), "-o", str(out))
    assert code == 0, printed
    scenario = load_scenario(out)
    # The horizon spans the requests' dates; the case lists its meetings' countries.
    assert (str(scenario.horizon.start), str(scenario.horizon.end)) == ("2027-01-11", "2027-01-15")
    assert [(c.id, c.crime, c.countries) for c in scenario.cases] == [
        ("EJ-7", "other", ["NL", "BE", "FR"])
    ]
    assert out.read_text().startswith("# requests\n# Written by `planner import`")


def test_the_output_may_not_overwrite_an_input(tmp_path: Path, base: Path) -> None:
    sheet = workbook(tmp_path / "r.xlsx", [["id", "duration"], ["CM-1", 60]])
    before = base.read_text()
    code, printed = invoke("import", str(sheet), "--into", str(base), "-o", str(base))
    assert code == 2 and "it is an input" in printed
    assert base.read_text() == before


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("NL", [{"country": "NL"}]),
        ("nl x3 in person", [{"country": "NL", "delegates": 3, "attendance": "in_person"}]),
        (
            "ES x1 video es (optional) (absent)",
            [
                {
                    "country": "ES",
                    "delegates": 1,
                    "attendance": "video",
                    "language": "es",
                    "required": False,
                }
            ],
        ),
        (
            "DE de\nFR optional",
            [{"country": "DE", "language": "de"}, {"country": "FR", "required": False}],
        ),
    ],
)
def test_the_participants_mini_syntax(cell: str, expected: list[dict[str, Any]]) -> None:
    assert participants(cell) == expected


@pytest.mark.slow
def test_the_plan_csv_export_imports_back(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    solved = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            "scenarios/week.yaml",
            "-o",
            str(plan),
            "--time-limit",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert solved.returncode in (0, 3), solved.stderr
    out = tmp_path / "week.yaml"
    code, printed = invoke("import", str(plan), "--into", "scenarios/week.yaml", "-o", str(out))
    assert code == 0, printed
    # Every meeting row updates its meeting with what it already says (same ids, same
    # participants; a placed meeting's duration is end - start); action-day rows skipped.
    assert "0 meetings added, 18 updated" in printed
    assert "skipped (action days are not requests): AD-0412, AD-0388" in printed
    assert load_scenario(out) == load_scenario("scenarios/week.yaml")
