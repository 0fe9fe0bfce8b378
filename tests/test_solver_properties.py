"""Property tests: whatever small scenario is generated, the checker accepts the plan
and every unscheduled activity has a reason."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solving import solve_checked

from planner.models import Scenario
from planner.models.schedule import RULES

# Far zones and holidays: PT and RO are off on Tue 1 Dec, GE is UTC+4, US UTC-5,
# CL UTC-3 (southern summer), CO UTC-5, FI UTC+2.
COUNTRIES = ["NL", "DE", "PT", "RO", "FI", "GE", "US", "CL", "CO", "ES"]
LANGUAGES = ["de", "pt", "es", "fr"]
DATES = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]


@st.composite
def participants(draw: st.DrawFn) -> list[dict[str, Any]]:
    codes = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True))
    people = []
    for position, code in enumerate(codes):
        person: dict[str, Any] = {"country": code}
        if draw(st.booleans()):
            person["attendance"] = "video"
        person["delegates"] = draw(st.integers(1, 4))
        if draw(st.integers(0, 3)) == 0:
            person["language"] = draw(st.sampled_from(LANGUAGES))
        if position > 0 and draw(st.integers(0, 4)) == 0:
            person["required"] = False
        people.append(person)
    return people


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    rooms = [
        {
            "id": f"R{i}",
            "capacity": draw(st.integers(4, 30)),
            "features": draw(
                st.lists(
                    st.sampled_from(
                        ["videoconference", "interpretation_booths", "coordination_centre"]
                    ),
                    unique=True,
                )
            ),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    interpreters = [
        {
            "id": f"i{i}",
            "languages": [
                "en",
                *draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True)),
            ],
            "max_per_day": draw(st.sampled_from(["2h", "4h", "6h"])),
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    meetings = []
    count = draw(st.integers(1, 6))
    for i in range(count):
        first = draw(st.integers(0, 4))
        last = draw(st.integers(first, 4))
        meeting: dict[str, Any] = {
            "id": f"M{i}",
            "case": "C1",
            "duration": draw(st.sampled_from(["30m", "1h", "90m", "2h", "3h"])),
            "participants": draw(participants()),
            "earliest": DATES[first],
            "latest": DATES[last],
            "priority": draw(st.sampled_from(["high", "normal", "low"])),
        }
        if draw(st.booleans()):
            meeting["preferred"] = DATES[first]
        if i > 0 and draw(st.integers(0, 3)) == 0:
            meeting["after"] = [{"meeting": f"M{draw(st.integers(0, i - 1))}", "gap": "2h"}]
        meetings.append(meeting)
    action_days = []
    for i in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, 4))
        action_day: dict[str, Any] = {
            "id": f"AD{i}",
            "case": "C1",
            "countries": draw(
                st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True)
            ),
            "earliest": DATES[first],
            "latest": DATES[draw(st.integers(first, 4))],
            "staff": draw(st.integers(1, 4)),
            "virtual": draw(st.sampled_from(["allowed", "never"])),
        }
        if meetings and draw(st.booleans()):
            action_day["prepared_by"] = [{"meeting": "M0", "gap": "1h"}]
        action_days.append(action_day)
    data = {
        "schema": "planner.scenario/1",
        "name": "generated",
        "horizon": {"start": DATES[0], "end": DATES[-1]},
        "defaults": {
            "stretch": draw(st.sampled_from(["0m", "30m", "1h"])),
            "desk_capacity": draw(st.integers(1, 2)),
        },
        "coordination_centre": {"staff": draw(st.integers(2, 6))},
        "rooms": rooms,
        "interpreters": interpreters,
        "cases": [{"id": "C1", "crime": "fraud", "countries": COUNTRIES}],
        "meetings": meetings,
        "action_days": action_days,
    }
    return Scenario.model_validate(data)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_checker_accepts_every_plan_and_every_omission_has_a_reason(scenario: Scenario) -> None:
    _, result = solve_checked(scenario, time_limit=10)
    assert result.status in ("optimal", "feasible")
    listed = [m.id for m in result.meetings] + [a.id for a in result.action_days]
    listed += [u.id for u in result.unscheduled]
    assert sorted(listed) == sorted(
        [m.id for m in scenario.meetings] + [a.id for a in scenario.action_days]
    )
    for entry in result.unscheduled:
        assert entry.rule in RULES and entry.reasons and all(entry.reasons)
    assert result.objective == sum((result.terms or {}).values())
