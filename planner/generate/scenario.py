"""The whole generated scenario: the order of the steps, and the file's top-level blocks."""

from __future__ import annotations

from typing import Any

from planner.generate.activities import draw_action_day, draw_meetings, mark_action_days
from planner.generate.calibration import DESK_CAPACITY_PER_UNIT, HOST
from planner.generate.cases import case_entry, draw_cases
from planner.generate.entities import give_entities
from planner.generate.pins import pin_meetings
from planner.generate.placing import place_all
from planner.generate.resources import desks_away, draw_interpreters, draw_rooms, keep_a_start
from planner.generate.state import GeneratorState
from planner.generate.variety import Variety, variant_name, variety_of
from planner.generate.yaml_text import scenario_yaml
from planner.loading import parse_scenario
from planner.models.scenario import SCHEMA


def generate_scenario(
    *,
    year: int,
    scale: float = 1,
    seed: int = 7,
    weeks: int | None = None,
    variant: str | Variety = "calibrated",
) -> dict[str, Any]:
    """Generate a realistic scenario calibrated to DOMAIN.md, or a variant of it.

    Parameters
    ----------
    year
        The calendar year planned.
    scale
        Multiple of the agency's 2024 volume (640 meetings, 32 action days a
        year) and of its rooms, centre staff and interpreters.
    seed
        Seed of the random generators used; the same arguments give the same
        scenario.
    weeks
        Plan only this many weeks from the first Monday of ``year`` (volumes pro
        rata) instead of the whole year.
    variant
        A name of :data:`VARIANTS` or a :class:`Variety`: how the year departs
        from the calibrated one. ``"calibrated"`` (the default) departs in nothing.

    Returns
    -------
    dict
        Plain data (str, int, bool, lists and dicts) that
        ``Scenario.model_validate`` accepts; write it with :func:`scenario_yaml`.

    Raises
    ------
    ValueError
        When ``scale`` or ``weeks`` is not positive, or ``variant`` names no variant.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    if weeks is not None and weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    variety = variety_of(variant)
    state = GeneratorState.start(year=year, scale=scale, seed=seed, weeks=weeks, variety=variety)
    return build(state)


def scenario_text(data: dict[str, Any]) -> str:
    """Return generated data as scenario-file text (:func:`scenario_yaml`), read back as
    the loader reads any scenario file: a generated file is never handed out invalid.

    Raises
    ------
    ScenarioError
        When the text does not validate: a bug of the generator.
    """
    text = scenario_yaml(data)
    parse_scenario(text, source="generated scenario")
    return text


def describe(data: dict[str, Any]) -> str:
    """Return one line about generated data: its meetings, action days, cases, rooms and
    interpreters, and the pinned meetings if there are any.
    """
    pinned = sum(1 for meeting in data.get("meetings", []) if "pinned" in meeting)
    return (
        f"{len(data.get('meetings', []))} meetings, "
        f"{len(data.get('action_days', []))} action days, "
        f"{len(data.get('cases', []))} cases, {len(data.get('rooms', []))} rooms, "
        f"{len(data.get('interpreters', []))} interpreters"
        + (f", {pinned} pinned meetings" if pinned else "")
    )


def build(state: GeneratorState) -> dict[str, Any]:
    """Draw the whole scenario, step by step in a fixed order, as plain data.

    Rooms and the desks' days away first, then the cases with their parties and links,
    their chains placed on the calendar, their entities, meetings and action days, the
    interpreters the meetings need, and last the pins.
    """
    rooms = draw_rooms(state)
    countries = desks_away(state)
    cases = draw_cases(state)
    place_all(state, cases)
    cases.sort(key=lambda case: (case.windows[0][0], case.index))
    width = max(4, len(str(len(cases))))
    for number, case in enumerate(cases, start=1):
        case.identifier = f"EJ-{number:0{width}d}"
    give_entities(state, cases)
    meetings = [m for case in cases for m in draw_meetings(state, case, rooms)]
    keep_a_start(state, countries, meetings)
    with_action_day = [case for case in cases if case.has_action_day]
    action_days = [draw_action_day(state, case) for case in with_action_day]
    mark_action_days(state, with_action_day, action_days)
    calendar = state.calendar
    variant = variant_name(state.variety)
    about = f"scale {state.scale:g}, seed {state.seed}"
    if variant != "calibrated":
        about += f", variant {variant}"
    if state.weeks is None:
        name = f"Generated year {state.year} ({about})"
    else:
        name = (
            f"Generated {state.weeks} week{'s' if state.weeks != 1 else ''} from "
            f"{calendar.start} ({about})"
        )
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "name": name,
        "host": {
            "country": HOST.country,
            "timezone": HOST.timezone,
            "hours": str(HOST.hours),
            "holidays": HOST.holidays,
        },
        "horizon": {"start": calendar.start.isoformat(), "end": calendar.end.isoformat()},
        "granularity": "15m",
        **(
            {"defaults": {"desk_capacity": state.desk_capacity}}
            if state.desk_capacity != DESK_CAPACITY_PER_UNIT
            else {}
        ),
        "coordination_centre": {"staff": state.centre_staff, "setup": "1h"},
        "links": {"detect": "entities", "action_days": "same_day"},
        "countries": countries,
        "rooms": rooms,
        "interpreters": draw_interpreters(state, meetings),
        "cases": [case_entry(state, case) for case in cases],
        "meetings": meetings,
        "action_days": action_days,
    }
    pin_meetings(state, data)
    return data
