"""A baseline: a published plan (``planner.schedule/1``) that a new plan is compared with.

Only what a comparison needs is read: where and when each activity was held, by whom,
and which were left out. The baseline may come from an older version of the scenario:
activities, rooms or interpreters it names that are gone are not errors here (SPEC
2.7.1); the comparison treats them as changed.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from planner.models.limits import check_year
from planner.models.problems import Location, Problem


class _Read(BaseModel):
    """Baseline entries: the keys used are checked, any others are left alone."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class BaselineMeeting(_Read):
    """A meeting as the baseline held it: its start and end (aware), room, interpreters by
    language and absent optional participants.
    """

    id: str
    start: AwareDatetime
    end: AwareDatetime
    room: str
    interpreters: dict[str, list[str]] = {}
    absent: list[str] = []


class BaselineActionDay(_Read):
    """An action day as the baseline held it: its date, centre span (aware) and room
    (``None``: virtual).
    """

    id: str
    date: date
    centre_open: AwareDatetime
    centre_close: AwareDatetime
    room: str | None


class BaselineLeftOut(_Read):
    """An activity the baseline left out, with its rule and reasons."""

    id: str
    rule: str = "window"
    reasons: list[str] = []


class BaselineScenario(_Read):
    """The baseline's ``scenario`` header: the sha256 of the file it planned."""

    sha256: str | None = None


class Baseline(_Read):
    """A published plan, as a comparison reads it."""

    schema_: Literal["planner.schedule/1"] = Field(alias="schema")
    scenario: BaselineScenario = BaselineScenario()
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    objective: int | None = None
    terms: dict[str, int] | None = None
    meetings: list[BaselineMeeting] = []
    action_days: list[BaselineActionDay] = []
    unscheduled: list[BaselineLeftOut] = []
    sha256: str = ""
    """The sha256 of the baseline file's bytes (set by the reader, not read from the file)."""

    @property
    def meetings_by_id(self) -> dict[str, BaselineMeeting]:
        """Every meeting the baseline holds, by id."""
        return {meeting.id: meeting for meeting in self.meetings}

    @property
    def action_days_by_id(self) -> dict[str, BaselineActionDay]:
        """Every action day the baseline holds, by id."""
        return {action_day.id: action_day for action_day in self.action_days}

    @property
    def activity_ids(self) -> list[str]:
        """Every activity the baseline lists, held or left out, in its order."""
        listed = [
            *(m.id for m in self.meetings),
            *(a.id for a in self.action_days),
            *(u.id for u in self.unscheduled),
        ]
        return list(dict.fromkeys(listed))


def baseline_from_data(data: object, sha256: str) -> tuple[Baseline | None, list[Problem]]:
    """Return a baseline from a parsed JSON document, or the problems that stop it.

    Parameters
    ----------
    data
        The parsed plan file (``planner.schedule/1``).
    sha256
        The sha256 of the file's bytes (the plan's ``changes.baseline`` names it).

    Returns
    -------
    tuple of (Baseline or None, list of Problem)
        The baseline and no problem; or ``None`` and every problem, located by path:
        a missing or wrong key, a year outside those planner reads, a meeting that
        ends before it starts.
    """
    if not isinstance(data, dict):
        return None, [Problem((), "a plan must be a JSON object")]
    try:
        baseline = Baseline.model_validate({**data, "sha256": sha256})
    except ValidationError as error:
        return None, [_problem(entry) for entry in error.errors()]
    problems = []
    for index, meeting in enumerate(baseline.meetings):
        for key in ("start", "end"):
            try:
                check_year(getattr(meeting, key).date())
            except ValueError as far:
                problems.append(Problem(("meetings", index, key), str(far)))
        if meeting.end <= meeting.start:
            problems.append(
                Problem(("meetings", index, "end"), "the meeting ends before it starts")
            )
    if problems:
        return None, problems
    return baseline, []


def _problem(entry: ErrorDetails) -> Problem:
    """Return one of pydantic's errors about a plan file as a located problem in plain words."""
    location: Location = tuple(part for part in entry["loc"] if isinstance(part, int | str))
    message = str(entry["msg"])
    if entry["type"] == "missing":
        message = "required key is missing"
    elif entry["type"] == "literal_error" and location == ("schema",):
        message = "not a plan: schema must be planner.schedule/1"
    return Problem(location, message)
