"""``planner schema`` (SPEC 2.7.5): the JSON Schema of ``planner.scenario/1`` accepts every
scenario the repository ships and the tests' valid fixtures, read as planner reads YAML,
and refuses what the loader refuses: a misspelt key, a duration or time in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.generate import generate_scenario
from planner.loading import read_yaml
from planner.models.schema import scenario_schema

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
VALID_FIXTURES = [ROOT / "tests" / "data" / "spec_example.yaml"]


def validator() -> jsonschema.Draft202012Validator:
    """The schema as ``planner schema`` prints it, checked as a schema first."""
    printed = CliRunner().invoke(main, ["schema"])
    assert printed.exit_code == 0
    schema = json.loads(printed.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_planner_reads(path: Path) -> Any:
    """A YAML file's plain data as planner reads it: ``10:00`` a text, dates texts."""
    data, _, problems = read_yaml(path.read_text(encoding="utf-8"))
    assert problems == []
    return data


def errors(data: Any) -> list[str]:
    """Every schema error of ``data``: where, and what."""
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator().iter_errors(data)
    )


def test_the_schema_is_a_valid_draft_2020_12_schema_with_a_description_for_every_field() -> None:
    schema = validator().schema
    assert schema["title"] == "planner.scenario/1"
    assert schema["additionalProperties"] is False
    models = [schema, *schema["$defs"].values()]
    for model in models:
        assert model["additionalProperties"] is False, model["title"]
        for name, field in model["properties"].items():
            assert field.get("description"), f"{model['title']}.{name}"


@pytest.mark.parametrize("path", [*SCENARIOS, *VALID_FIXTURES], ids=lambda p: p.name)
def test_every_shipped_scenario_and_valid_fixture_is_accepted(path: Path) -> None:
    assert errors(as_planner_reads(path)) == []


def test_a_generated_year_is_accepted() -> None:
    data = generate_scenario(year=2027, scale=1, seed=7, weeks=4, variant="varied")
    assert errors(json.loads(json.dumps(data, default=str))) == []


def test_calendars_one_or_many() -> None:
    data = as_planner_reads(SCENARIOS[0])
    data["rooms"][0]["unavailable_ics"] = "calendars/p1.ics"
    data["rooms"][1]["unavailable_ics"] = ["calendars/p2.ics", "calendars/p2-extra.ics"]
    assert errors(data) == []


def test_the_broken_fixture_is_refused_for_its_misspelt_key() -> None:
    # tests/data/broken.yaml holds many mistakes; the schema sees how it is written:
    # `granularty` (line 4) among them.
    found = errors(as_planner_reads(ROOT / "tests" / "data" / "broken.yaml"))
    assert ": Additional properties are not allowed ('granularty' was unexpected)" in found


def test_a_misspelt_key_is_refused() -> None:
    data = as_planner_reads(ROOT / "scenarios" / "week.yaml")
    data["granularty"] = "15m"
    data["meetings"][0]["durration"] = data["meetings"][0].pop("duration")
    assert errors(data) == [
        ": Additional properties are not allowed ('granularty' was unexpected)",
        "meetings/0: 'duration' is a required property",
        "meetings/0: Additional properties are not allowed ('durration' was unexpected)",
    ]


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [
        (("granularity",), "15m", True),
        (("granularity",), 15, True),
        (("defaults", "room_buffer"), "1h30m", True),
        (("defaults", "room_buffer"), "90", False),  # text without a unit
        (("defaults", "room_buffer"), "an hour", False),
        (("defaults", "working_hours"), "09:00-17:30", True),
        (("defaults", "working_hours"), "9-17", False),
        (("host", "hours"), "08:00-24:00", True),
        (("horizon", "start"), "2026-11-30", True),
        (("horizon", "start"), "30/11/2026", False),
    ],
)
def test_durations_hours_and_dates_are_patterns(
    path: tuple[str, ...], value: Any, accepted: bool
) -> None:
    data = as_planner_reads(ROOT / "scenarios" / "week.yaml")
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    assert (errors(data) == []) is accepted


def test_defaults_are_shown_as_a_file_writes_them() -> None:
    action_day = scenario_schema()["$defs"]["ActionDay"]["properties"]
    assert action_day["local_start"]["default"] == "06:00"
    assert action_day["duration"]["default"] == "10h"


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "scenario.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["title"] == "planner.scenario/1"
