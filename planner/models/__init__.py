"""Pure data: the scenario, the built-in catalogue of parties, problems in input."""

from planner.models.problems import Problem, ScenarioError
from planner.models.scenario import (
    ActionDay,
    Case,
    Interpreter,
    Meeting,
    Participant,
    Party,
    Room,
    Scenario,
)

__all__ = [
    "ActionDay",
    "Case",
    "Interpreter",
    "Meeting",
    "Participant",
    "Party",
    "Problem",
    "Room",
    "Scenario",
    "ScenarioError",
]
