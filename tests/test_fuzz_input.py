"""Random scenario files and random plans: planner answers exit 0, 2 or 3, never 1.

Documents are drawn from the scenario's own vocabulary (every key of every model,
values of every shape the format uses, and values it must refuse: control
characters, huge numbers, far years, deep nesting) so that most of them get past
the first check and reach the deeper ones.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from planner.cli import main
from planner.models import Scenario

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"


def _keys_of(model: type[BaseModel], found: set[str]) -> set[str]:
    for name, field in model.model_fields.items():
        found.add(field.alias or name)
        for argument in typing.get_args(field.annotation) or (field.annotation,):
            for inner in typing.get_args(argument) or (argument,):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    _keys_of(inner, found)
    return found


KEYS = sorted(_keys_of(Scenario, set()) | {"<<", "x"})

SCALARS = st.one_of(
    st.sampled_from(
        [
            "planner.scenario/1",
            "NL",
            "DE",
            "UK",
            "en",
            "2026-11-30",
            "2026-12-04",
            "9999-12-31",
            "2026-12-01T15:00",
            "10:00",
            "09:00-17:00",
            "1h30m",
            "99999999d",
            "P1",
            "CM-1",
            "EJ-1",
            "fraud",
            "video",
            "in_person",
            "critical",
            "M1\x1b[2J",
            "\u202e",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
)

DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    ),
    max_leaves=40,
)


def _scenario_text(body: Any) -> str:
    header = {
        "schema": "planner.scenario/1",
        "horizon": {"start": "2026-11-30", "end": "2026-12-04"},
    }
    if isinstance(body, dict):
        header.update(body)
    return yaml.safe_dump(header, allow_unicode=False)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=DOCUMENTS, raw=st.booleans())
def test_random_scenarios_are_valid_or_refused(tmp_path: Path, body: Any, raw: bool) -> None:
    path = tmp_path / "random.yaml"
    text = yaml.safe_dump(body) if raw else _scenario_text(body)
    path.write_text(text)
    outcome = CliRunner().invoke(main, ["validate", str(path), "--json"])
    event(f"exit {outcome.exit_code}")
    assert outcome.exit_code in (0, 2), (text, outcome.output, outcome.exception)
    report = json.loads(outcome.stdout)
    assert report["valid"] is (outcome.exit_code == 0)
    assert all(problem["message"] for problem in report["problems"])


PLAN_KEYS = [
    "schema",
    "scenario",
    "status",
    "objective",
    "bound",
    "terms",
    "meetings",
    "action_days",
    "unscheduled",
    "infeasible",
    "id",
    "start",
    "end",
    "room",
    "interpreters",
    "absent",
    "local",
    "date",
    "centre_open",
    "centre_close",
    "rule",
    "reasons",
    "sha256",
]
PLAN_VALUES = st.recursive(
    st.one_of(
        st.sampled_from(
            [
                "planner.schedule/1",
                "optimal",
                "feasible",
                "CM-0412-1",
                "CM-0388-1",
                "AD-0412",
                "P1",
                "CC1",
                "2026-12-01T15:00:00+01:00",
                "2026-12-01T17:00:00+01:00",
                "9999-12-31T15:00:00+01:00",
                "2026-12-03",
                "room_conflict",
            ]
        ),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=False),
        st.booleans(),
        st.none(),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(PLAN_KEYS), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=PLAN_VALUES)
def test_random_plans_are_checked_or_refused(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    outcome = CliRunner().invoke(main, ["check", str(WEEK), str(path), "--json"])
    event(f"exit {outcome.exit_code}")
    assert outcome.exit_code in (0, 2, 3), (plan, outcome.output, outcome.exception)
    document = json.loads(outcome.stdout)
    assert ("error" in document) is (outcome.exit_code == 2)
