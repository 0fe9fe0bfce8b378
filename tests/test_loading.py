"""Loading scenario files: every problem is reported at once, with its path and line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from planner.loading import load_scenario, parse_scenario, read_yaml
from planner.models import Problem, Scenario, ScenarioError
from planner.models.types import HourRange

DATA = Path(__file__).parent / "data"

# A small valid scenario; each case below appends a broken block to it.
HEADER = """\
schema: planner.scenario/1
horizon: {start: 2026-11-30, end: 2026-12-04}
rooms:
  - {id: P1, capacity: 40, features: [videoconference, interpretation_booths]}
  - {id: CC1, capacity: 20, features: [coordination_centre]}
interpreters:
  - {id: anna, languages: [de, en]}
  - {id: karl, languages: [de, en, fr]}
cases:
  - {id: EJ-1, crime: fraud, countries: [NL, DE]}
"""

MARK = "# <-"


def _marked_line(text: str) -> int:
    """The 1-based line that carries the ``# <-`` marker (exactly one)."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1, "mark exactly one line"
    return lines[0]


def _problems(text: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    return list(caught.value.problems)


MEETING = """\
meetings:
  - id: CM-1
    case: EJ-1
    duration: 1h
    participants:
      - {country: NL}
      - {country: DE, language: de}
"""

# (body appended to HEADER, path of the one problem, words its message contains)
BROKEN: dict[str, tuple[str, str, str]] = {
    # ---- unknown keys, with a suggestion --------------------------------------------
    "unknown top-level key": (
        "granularty: 15m  # <-\n",
        "granularty",
        "unknown key 'granularty'; did you mean granularity?",
    ),
    "unknown key in a participant": (
        MEETING + "      - country: BE\n        delegats: 2  # <-\n",
        "meetings[0].participants[2].delegats",
        "unknown key 'delegats'; did you mean delegates?",
    ),
    "unknown key spelled with a hyphen": (
        "action-days: []  # <-\n",
        "action-days",
        "unknown key 'action-days'; did you mean action_days?",
    ),
    "unknown key without a close match lists the allowed keys": (
        MEETING + "    colour: red  # <-\n",
        "meetings[0].colour",
        "unknown key 'colour' (allowed: after, case, duration,",
    ),
    "unknown key in a nested block": (
        "defaults: {desk_capacty: 3}  # <-\n",
        "defaults.desk_capacty",
        "did you mean desk_capacity?",
    ),
    # ---- unknown ids -------------------------------------------------------------------
    "unknown case of a meeting": (
        MEETING.replace("case: EJ-1", "case: EJ-9  # <-"),
        "meetings[0].case",
        "unknown case 'EJ-9'",
    ),
    "unknown room in a pin": (
        MEETING + "    pinned: {room: P9}  # <-\n",
        "meetings[0].pinned.room",
        "unknown room 'P9'",
    ),
    "unknown meeting in after": (
        MEETING + "    after:\n      - {meeting: CM-7, gap: 1d}  # <-\n",
        "meetings[0].after[0].meeting",
        "unknown meeting 'CM-7'",
    ),
    "unknown meeting in prepared_by": (
        MEETING
        + "action_days:\n  - id: AD-1\n    case: EJ-1\n    countries: [NL, DE]\n"
        + "    prepared_by: [{meeting: CM-1}, {meeting: CM-2}]  # <-\n",
        "action_days[0].prepared_by[1].meeting",
        "unknown meeting 'CM-2'",
    ),
    "unknown case of an action day": (
        "action_days:\n  - id: AD-1\n    case: EJ-2  # <-\n    countries: [NL]\n",
        "action_days[0].case",
        "unknown case 'EJ-2'",
    ),
    "unknown linked case": (
        "  - {id: EJ-2, crime: fraud, countries: [NL], linked: [EJ-1, EJ-3]}  # <-\n",
        "cases[1].linked[1]",
        "unknown case 'EJ-3'",
    ),
    # ---- unknown codes -----------------------------------------------------------------
    "UK is not a country code": (
        "  - {id: EJ-2, crime: fraud, countries: [NL, UK]}  # <-\n",
        "cases[1].countries[1]",
        "unknown country or organisation code 'UK'; did you mean GB?",
    ),
    "UK as a participant": (
        MEETING + "      - {country: UK, attendance: video}  # <-\n",
        "meetings[0].participants[2].country",
        "did you mean GB?",
    ),
    "lower-case country code": (
        "action_days:\n  - id: AD-1\n    case: EJ-1\n    countries: [NL, de]  # <-\n",
        "action_days[0].countries[1]",
        "unknown country or organisation code 'de'; did you mean DE?",
    ),
    "new party without a time zone": (
        "countries:\n  - {code: INTERPOL, holidays: none}  # <-\n",
        "countries[0].code",
        "'INTERPOL' is not in the catalogue: a new party needs a timezone",
    ),
    "unknown language with a suggestion": (
        MEETING.replace("language: de}", "language: ger}  # <-"),
        "meetings[0].participants[1].language",
        "unknown language code 'ger' (ISO 639-1); did you mean de?",
    ),
    "unknown language without a suggestion": (
        MEETING + "      - {country: BE, language: xx}  # <-\n",
        "meetings[0].participants[2].language",
        "unknown language code 'xx' (ISO 639-1)",
    ),
    "upper-case working language": (
        MEETING + "    working_language: EN  # <-\n",
        "meetings[0].working_language",
        "did you mean en?",
    ),
    "unknown time zone": (
        MEETING + "      - {country: US, timezone: America/Los_Angles}  # <-\n",
        "meetings[0].participants[2].timezone",
        "unknown time zone 'America/Los_Angles'",
    ),
    "unknown crime": (
        "  - {id: EJ-2, crime: theft, countries: [NL]}  # <-\n",
        "cases[1].crime",
        "'theft' is not allowed",
    ),
    # ---- bad durations -----------------------------------------------------------------
    "duration with an unknown unit": (
        MEETING.replace("duration: 1h", "duration: 2x  # <-"),
        "meetings[0].duration",
        "'2x' is not a duration",
    ),
    "duration written as base-60": (
        MEETING.replace("duration: 1h", "duration: 1:30  # <-"),
        "meetings[0].duration",
        "'1:30' is not a duration",
    ),
    "zero duration": (
        MEETING.replace("duration: 1h", "duration: 0  # <-"),
        "meetings[0].duration",
        "greater than 0",
    ),
    "negative gap": (
        MEETING + "  - {id: CM-2, case: EJ-1, duration: 1h, participants: [{country: NL}],\n"
        "     after: [{meeting: CM-1, gap: -30}]}  # <-\n",
        "meetings[1].after[0].gap",
        "duration -30 is negative",
    ),
    "unsupported granularity": (
        "granularity: 7m  # <-\n",
        "granularity",
        "granularity must be one of 5m, 10m, 15m, 30m, 60m",
    ),
    "bad hour range": (
        "defaults:\n  working_hours: 17:00-09:00  # <-\n",
        "defaults.working_hours",
        "the range must end after it starts",
    ),
    # ---- windows -------------------------------------------------------------------------
    "earliest after latest": (
        MEETING + "    earliest: 2026-12-03\n    latest: 2026-12-01  # <-\n",
        "meetings[0].latest",
        "latest 2026-12-01 is before earliest 2026-12-03",
    ),
    "earliest after latest in an action day": (
        "action_days:\n  - id: AD-1\n    case: EJ-1\n    countries: [NL]\n"
        "    earliest: 2026-12-04\n    latest: 2026-12-02  # <-\n",
        "action_days[0].latest",
        "latest 2026-12-02 is before earliest 2026-12-04",
    ),
    "bad date": (
        MEETING + "    preferred: 2026-11-31  # <-\n",
        "meetings[0].preferred",
        "'2026-11-31' is not a date",
    ),
    "duration longer than the host's hours": (
        'countries: [{code: EUROPOL, working_hours: "06:00-22:00"}]\nmeetings:\n'
        "  - {id: CM-1, case: EJ-1, duration: 11h15m, participants: [{country: EUROPOL}]}  # <-\n",
        "meetings[0].duration",
        "11h15m is longer than any possible window: host hours 08:00-19:00 allow at most 11h",
    ),
    "duration longer than a participant's working hours": (
        MEETING.replace("duration: 1h", "duration: 8h30m  # <-"),
        "meetings[0].duration",
        "8h30m is longer than any possible window: NL hours 09:00-17:00 allow at most 8h",
    ),
    "duration longer than working hours with stretch": (
        "defaults: {stretch: 30m}\n" + MEETING.replace("duration: 1h", "duration: 9h15m  # <-"),
        "meetings[0].duration",
        "NL hours 09:00-17:00 with 30m stretch allow at most 9h",
    ),
    # ---- duplicates ------------------------------------------------------------------------
    "duplicate meeting id": (
        MEETING + "  - id: CM-1  # <-\n    case: EJ-1\n    duration: 1h\n"
        "    participants: [{country: NL}]\n",
        "meetings[1].id",
        "duplicate activity id 'CM-1' (already used in meetings)",
    ),
    "action day with a meeting's id": (
        MEETING + "action_days:\n  - {id: CM-1, case: EJ-1, countries: [NL]}  # <-\n",
        "action_days[0].id",
        "duplicate activity id 'CM-1' (already used in meetings)",
    ),
    "duplicate case id": (
        "  - {id: EJ-1, crime: thb, countries: [NL]}  # <-\n",
        "cases[1].id",
        "duplicate case id 'EJ-1'",
    ),
    "duplicate country entry": (
        "countries:\n  - {code: PT, desk_capacity: 3}\n  - {code: PT, holidays: none}  # <-\n",
        "countries[1].code",
        "duplicate country entry 'PT'",
    ),
    "participant listed twice": (
        MEETING + "      - {country: BE, delegates: 2}\n    priority: high\n"
        "  - {id: CM-2, case: EJ-1, duration: 1h,\n"
        "     participants: [{country: NL}, {country: NL}]}  # <-\n",
        "meetings[1].participants",
        "NL is listed twice",
    ),
    "key given twice": (
        MEETING + "    duration: 2h  # <-\n",
        "meetings[0].duration",
        "key given twice",
    ),
    # ---- order and pins ----------------------------------------------------------------------
    "meeting after itself": (
        MEETING + "    after: [{meeting: CM-1}]  # <-\n",
        "meetings[0].after[0].meeting",
        "a meeting cannot follow itself",
    ),
    "cycle in after": (
        "meetings:\n"
        "  - {id: CM-1, case: EJ-1, duration: 1h, participants: [{country: NL}],\n"
        "     after: [{meeting: CM-3}]}  # <-\n"
        "  - {id: CM-2, case: EJ-1, duration: 1h, participants: [{country: NL}],\n"
        "     after: [{meeting: CM-1}]}\n"
        "  - {id: CM-3, case: EJ-1, duration: 1h, participants: [{country: NL}],\n"
        "     after: [{meeting: CM-2}]}\n",
        "meetings[0].after",
        "meetings wait for each other in a cycle: CM-1 -> CM-2 -> CM-3",
    ),
    "pin off the slot grid": (
        MEETING + "    pinned: {start: 2026-12-01T10:07}  # <-\n",
        "meetings[0].pinned.start",
        "is not on a 15-minute slot boundary",
    ),
    "empty pin": (
        MEETING + "    pinned: {}  # <-\n",
        "meetings[0].pinned",
        "pin at least one of start, date, room",
    ),
    "case without countries": (
        "  - {id: EJ-2, crime: fraud, countries: []}  # <-\n",
        "cases[1].countries",
        "at least 1 item",
    ),
    "missing required key": (
        "meetings:\n  - id: CM-1  # <-\n    case: EJ-1\n    participants: [{country: NL}]\n",
        "meetings[0].duration",
        "required key is missing",
    ),
}


@pytest.mark.parametrize(("body", "path", "words"), list(BROKEN.values()), ids=list(BROKEN))
def test_each_problem_is_reported_with_path_line_and_message(
    body: str, path: str, words: str
) -> None:
    text = HEADER + body
    problems = _problems(text)
    assert [p.path for p in problems] == [path], [str(p) for p in problems]
    (problem,) = problems
    assert problem.line == _marked_line(text)
    assert words in problem.message
    assert str(problem) == f"{path} (line {problem.line}): {problem.message}"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "schema: planner.scenario/1\nrooms:\n  - id: P1\n   capacity: 3\nname: x\n",
            4,
            "did not find expected '-' indicator",
        ),
        (
            HEADER + "name: x\n\t- {id: P2, capacity: 4}\n",
            12,
            "found a tab character that violates indentation",
        ),
        (
            "schema: planner.scenario/1\nmeetings: [{id: CM-1\nrooms: []\n",
            3,
            "did not find expected ',' or '}' (while parsing a flow mapping at line 2)",
        ),
        (
            # an unclosed quote is noticed at the end of the file; the message says where
            # the quoted text began
            "schema: planner.scenario/1\nname: 'unclosed\nrooms: []\nx: 1\n",
            5,
            "found unexpected end of stream (while scanning a quoted scalar at line 2)",
        ),
    ],
    ids=["bad indentation", "tab", "unclosed bracket", "unclosed quote"],
)
def test_yaml_syntax_error_names_its_line(text: str, line: int, words: str) -> None:
    (problem,) = _problems(text)
    assert (problem.path, problem.line) == ("", line)
    assert problem.message.startswith("YAML syntax error: ")
    assert words in problem.message
    assert str(problem).startswith(f"file (line {line}): YAML syntax error")


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_a_scenario_must_be_a_mapping(text: str) -> None:
    (problem,) = _problems(text)
    assert problem.message == "a scenario must be a mapping of keys"
    assert problem.line == 1


def test_missing_horizon_is_reported_at_the_top() -> None:
    (problem,) = _problems("schema: planner.scenario/1\nname: x\n")
    assert (problem.path, problem.line, problem.message) == (
        "horizon",
        1,
        "required key is missing",
    )


# ---- YAML read the way scenario authors mean it ---------------------------------------------


def test_read_yaml_keeps_codes_times_and_dates_as_text() -> None:
    data, lines, problems = read_yaml(
        "a: NO\nb: no\nc: yes\nd: off\ne: 10:00\nf: 1:30:00\ng: 2026-12-01\n"
        "h: true\ni: 90\nj: 012\nk: [NO, on, 08:00-19:00]\n"
    )
    assert problems == []
    assert data == {
        "a": "NO",  # Norway, not False
        "b": "no",
        "c": "yes",
        "d": "off",
        "e": "10:00",  # not 600 (YAML 1.1 base-60)
        "f": "1:30:00",
        "g": "2026-12-01",  # the models read dates
        "h": True,  # true/false stay booleans
        "i": 90,
        "j": "012",  # not octal 10
        "k": ["NO", "on", "08:00-19:00"],
    }
    assert lines[("e",)] == 5
    assert lines[("k", 2)] == 11


def test_optional_participants_do_not_limit_the_duration() -> None:
    # 9 h is longer than NL's 8 working hours, but NL is optional and may be absent;
    # EUROPOL works 08:00-18:00 here, and the host 08:00-19:00.
    scenario = parse_scenario(
        HEADER + 'countries: [{code: EUROPOL, working_hours: "08:00-18:00"}]\n'
        "meetings:\n  - {id: CM-1, case: EJ-1, duration: 9h, participants: "
        "[{country: EUROPOL}, {country: NL, required: false}]}\n"
    )
    assert scenario.meetings[0].duration == 540


def test_norway_and_unquoted_times_in_a_scenario() -> None:
    scenario = parse_scenario(
        HEADER
        + "  - {id: EJ-2, crime: mocg, countries: [NO, NL]}\n"
        + "host:\n  hours: 08:00-19:00\n"
        + "defaults: {working_hours: 09:30-17:30}\n"
        + "meetings:\n  - id: CM-1\n    case: EJ-2\n    duration: 90\n"
        + "    participants: [{country: NO}, {country: NL, required: true}]\n"
        + "action_days:\n  - id: AD-1\n    case: EJ-2\n    countries: [NO]\n"
        + "    local_start: 10:00\n    weekend: false\n"
    )
    assert scenario.cases[1].countries == ["NO", "NL"]
    assert scenario.meetings[0].participants[0].country == "NO"
    assert scenario.action_days[0].countries == ["NO"]
    assert scenario.action_days[0].local_start == 600  # 10:00, ten o'clock
    assert scenario.action_days[0].weekend is False
    assert scenario.host.hours == HourRange(8 * 60, 19 * 60)
    assert scenario.defaults.working_hours == HourRange(9 * 60 + 30, 17 * 60 + 30)
    assert scenario.meetings[0].duration == 90
    assert scenario.parties["NO"].timezone == "Europe/Oslo"


# ---- every problem at once -------------------------------------------------------------------

BROKEN_FILE = DATA / "broken.yaml"

# (path, line) of every problem in tests/data/broken.yaml, in the order reported (by line).
BROKEN_FILE_PROBLEMS = [
    ("granularty", 4),
    ("rooms[2].id", 8),
    ("interpreters[0].languages[2]", 10),
    ("cases[0].countries[1]", 15),
    ("meetings[0].case", 21),  # meetings[0] has two problems ...
    ("meetings[0].duration", 22),  # ... both reported
    ("meetings[1].participants[1].delegats", 31),  # meetings[1] also has two ...
    ("meetings[1].participants[2].language", 32),  # ... both reported
    ("meetings[2].latest", 37),  # found although meetings[0] and [1] failed validation
    ("meetings[3].after", 41),
    ("meetings[5].id", 49),
    ("action_days[0].countries[1]", 58),
    ("action_days[0].local_start", 59),
    ("action_days[0].prepared_by[0].meeting", 60),
]


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BROKEN_FILE)
    problems = caught.value.problems
    assert caught.value.source == str(BROKEN_FILE)
    assert [(p.path, p.line) for p in problems] == BROKEN_FILE_PROBLEMS
    messages = {p.path: p.message for p in problems}
    assert messages["cases[0].countries[1]"].endswith("did you mean GB?")
    assert messages["meetings[0].case"] == "unknown case 'EJ-9'"
    assert "'2x' is not a duration" in messages["meetings[0].duration"]
    assert messages["meetings[3].after"].endswith("CM-4 -> CM-5")
    assert messages["action_days[0].countries[1]"].endswith("did you mean NO?")
    assert "is not a time of day" in messages["action_days[0].local_start"]
    # the exception's text lists them all, one a line
    assert str(caught.value).count("\n") == len(BROKEN_FILE_PROBLEMS) - 1


def test_problem_text_and_json() -> None:
    problem = Problem(("meetings", 3, "participants", 1, "country"), "unknown code 'UK'", 12)
    assert problem.path == "meetings[3].participants[1].country"
    assert str(problem) == "meetings[3].participants[1].country (line 12): unknown code 'UK'"
    assert problem.as_json() == {
        "path": "meetings[3].participants[1].country",
        "line": 12,
        "message": "unknown code 'UK'",
    }
    assert str(Problem((), "cannot read x")) == "file: cannot read x"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "missing.yaml")
    assert "cannot read" in caught.value.problems[0].message
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("name: Bogot\xe1\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(latin)
    assert "not UTF-8" in caught.value.problems[0].message


# ---- a valid file and the defaults of SPEC 2.8 ------------------------------------------------


def test_spec_example_loads_with_its_values() -> None:
    scenario = load_scenario(DATA / "spec_example.yaml")
    assert isinstance(scenario, Scenario)
    assert scenario.horizon.start == date(2026, 11, 30) and scenario.horizon.days == 5
    meeting = scenario.meetings_by_id["CM-0412-1"]
    assert meeting.duration == 120
    assert meeting.after[0].gap == 1440
    assert meeting.pinned is not None
    assert meeting.pinned.start == datetime(2026, 12, 1, 15, 0)  # naive: host time
    assert [p.country for p in meeting.optional] == ["ES"]
    action_day = scenario.action_days_by_id["AD-0412"]
    assert (action_day.local_start, action_day.duration, action_day.staff) == (360, 600, 3)
    assert scenario.interpreter_max_per_day(scenario.interpreters_by_id["joao"]) == 240
    assert scenario.interpreter_max_per_day(scenario.interpreters_by_id["anna"]) == 360
    assert scenario.interpreters_needed(meeting) == 2


def test_defaults_of_a_minimal_scenario() -> None:
    scenario = parse_scenario(
        HEADER + "meetings:\n  - {id: CM-1, case: EJ-1, duration: 60, "
        "participants: [{country: DE}]}\n"
        "action_days:\n  - {id: AD-1, case: EJ-1, countries: [NL]}\n"
    )
    assert scenario.granularity == 15
    assert scenario.host.country == "NL" and scenario.host.timezone == "Europe/Amsterdam"
    assert scenario.host.hours == HourRange(480, 1140)
    assert scenario.defaults.working_hours == HourRange(540, 1020)
    assert (scenario.defaults.stretch, scenario.defaults.desk_capacity) == (0, 2)
    assert (scenario.defaults.room_buffer, scenario.defaults.host_staff) == (15, 2)
    assert (scenario.interpretation.solo_max, scenario.interpretation.max_per_day) == (60, 360)
    assert (scenario.coordination_centre.staff, scenario.coordination_centre.setup) == (6, 60)
    assert scenario.links.detect == "entities" and scenario.links.action_days == "same_day"
    assert scenario.objective.unscheduled.of("high") == 1000
    meeting = scenario.meetings[0]
    assert (meeting.working_language, meeting.priority) == ("en", "normal")
    participant = meeting.participants[0]
    assert (participant.attendance, participant.delegates, participant.required) == (
        "in_person",
        1,
        True,
    )
    assert scenario.window_of(meeting) == (date(2026, 11, 30), date(2026, 12, 4))
    action_day = scenario.action_days[0]
    assert (action_day.local_start, action_day.duration, action_day.staff) == (360, 600, 2)
    assert (action_day.virtual, action_day.weekend, action_day.priority) == (
        "allowed",
        False,
        "high",
    )


def test_scenario_models_are_frozen() -> None:
    scenario = load_scenario(DATA / "spec_example.yaml")
    with pytest.raises(ValueError, match="frozen"):
        scenario.meetings[0].duration = 30  # type: ignore[misc]
    changed = scenario.meetings[0].model_copy(update={"duration": 30})
    assert changed.duration == 30 and scenario.meetings[0].duration == 120


def test_pinned_start_and_date_are_compared_in_host_time() -> None:
    # 23:30 in New York (UTC-5) on 1 Dec is 05:30 on 2 Dec in The Hague: consistent.
    body = """
schema: planner.scenario/1
horizon: {start: 2026-11-30, end: 2026-12-04}
cases: [{id: C1, crime: fraud, countries: [NL]}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}],
     pinned: {start: "2026-12-01T23:30:00-05:00", date: %s}}
"""
    parse_scenario(body % "2026-12-02")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(body % "2026-12-01")
    (problem,) = caught.value.problems
    assert problem.path == "meetings[0].pinned.date"
    assert "host date 2026-12-02" in problem.message


def test_entity_without_letters_or_digits_is_an_error() -> None:
    # It would normalise to nothing and link every case that has one.
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(
            "schema: planner.scenario/1\nhorizon: {start: 2026-11-30, end: 2026-12-04}\n"
            'cases: [{id: C1, crime: fraud, countries: [NL], entities: ["phone: --"]}]\n'
        )
    (problem,) = caught.value.problems
    assert problem.path == "cases[0].entities" and "no letters or digits" in problem.message
