"""What the page shows of one plan: its weeks, one week's timeline, an activity's
details with its alternatives, the plan as a file; all from the plan document and its
scenario, through the functions the command line uses (the HTML timeline, ``suggest``,
the exports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from planner.models.baseline import Baseline, baseline_from_data
from planner.models.scenario import Scenario
from planner.models.schedule import (
    ActionDayPlacement,
    LocalTimes,
    MeetingPlacement,
    Result,
    Unscheduled,
)
from planner.models.score import Score
from planner.output import timeline
from planner.output.exports import render


@dataclass
class PlanView:
    """One plan the page holds: its id and name, its scenario (the base with the edits of
    its time), its plan document, and the result read from it (made once, when asked)."""

    id: int
    name: str
    scenario: Scenario
    document: dict[str, Any]
    _result: Result | None = field(default=None, repr=False)

    @property
    def result(self) -> Result:
        """This plan's document read back as a result, for the timeline and the exports."""
        if self._result is None:
            self._result = result_of(self.document)
        return self._result

    @property
    def baseline(self) -> Baseline:
        """This plan as a baseline for the next solve (its moves and ``changes``)."""
        baseline, problems = baseline_from_data(self.document, "")
        if baseline is None:
            raise ValueError(problems)
        return baseline

    def weeks(self) -> list[str]:
        """The Mondays of the weeks in which the plan holds something."""
        days = timeline.plan_days(self.scenario, self.result)
        return sorted({(day - timedelta(days=day.weekday())).isoformat() for day in days})

    def timeline(self, week: str | None) -> str:
        """The timeline of one week (the first with activities by default), with what the
        plan leaves out and its objective."""
        weeks = self.weeks()
        monday = date.fromisoformat(
            week or (weeks[0] if weeks else self.scenario.horizon.start.isoformat())
        )
        monday -= timedelta(days=monday.weekday())
        result = self.result
        return "\n".join(
            [
                timeline.summary(self.scenario, result),
                timeline.days(self.scenario, result, monday, monday + timedelta(days=6)),
                timeline.left_out(result),
                timeline.terms(result),
            ]
        )

    def download(self, extension: str) -> str:
        """The plan as the text of a file with ``extension`` (JSON, CSV, ICS or HTML; see
        :func:`planner.output.exports.render`)."""
        return render(extension, self.scenario, self.result, "")

    def details(self, activity: str) -> dict[str, Any]:
        """Where an activity is, who takes part (with local times), why it is there and
        its best alternatives.

        Parameters
        ----------
        activity
            A meeting or action day of the plan's scenario.

        Returns
        -------
        dict
            ``id``, ``case``, ``kind``, its ``placement`` (as the plan file has it) or
            ``left_out`` entry, ``pinned``, ``preferred``, ``window``, ``participants``,
            ``why`` (from the alternatives) and ``suggestions``: the five best places
            of :func:`planner.suggest.suggest` against the plan, each with the change of
            every objective term.
        """
        # the solver is imported when first needed: the page starts without it
        from planner.suggest import suggest

        scenario = self.scenario
        definition = scenario.meetings_by_id.get(activity) or scenario.action_days_by_id[activity]
        placed = [*self.document["meetings"], *self.document["action_days"]]
        entry = next((e for e in placed if e["id"] == activity), None)
        left_out = next((u for u in self.document["unscheduled"] if u["id"] == activity), None)
        found = suggest(scenario, activity, baseline=self.baseline, count=5)
        return {
            "id": activity,
            "case": definition.case,
            "kind": "meeting" if activity in scenario.meetings_by_id else "action day",
            "placement": entry,
            "left_out": left_out,
            "pinned": getattr(definition, "pinned", None) is not None,
            "preferred": str(getattr(definition, "preferred", None) or ""),
            "window": [str(d) for d in scenario.window_of(definition)],
            "participants": [
                {"country": p.country, "attendance": p.attendance, "required": p.required}
                for p in getattr(definition, "participants", [])
            ],
            "why": _why(found.suggestions),
            "suggestions": [_suggestion(s) for s in found.suggestions],
        }


def _suggestion(found: Any) -> dict[str, Any]:
    """One alternative place as the page shows it."""
    placement = found.placement
    meeting = isinstance(placement, MeetingPlacement)
    return {
        "start": placement.start.isoformat() if meeting else None,
        "date": placement.start.date().isoformat() if meeting else placement.date.isoformat(),
        "room": placement.room,
        "objective": found.objective,
        "changes": {k: v for k, v in found.changes.items() if v},
    }


def _why(suggestions: list[Any]) -> str:
    """Return why an activity is where it is, from its suggestions (cheapest first)."""
    if not suggestions:
        return "it has no other place against the rest of the plan"
    best = suggestions[0]
    if not any(best.changes.values()):
        return "it is at its cheapest place against the rest of the plan"
    return "a cheaper place exists against the rest of the plan (see the alternatives)"


def result_of(document: dict[str, Any]) -> Result:
    """Return a plan document as a :class:`~planner.models.schedule.Result`, as the exports
    and comparisons read it.

    Parameters
    ----------
    document
        A ``planner.schedule/1`` document with a plan (``status`` other than
        ``unknown``), as this planner writes it.

    Returns
    -------
    Result
        Its placements with aware times and each participant's local times, what it
        leaves out with the reasons, its objective, terms and two-level score; the
        links and changes are not read (the timeline and exports do not show them).
    """
    meetings = [
        MeetingPlacement(
            m["id"],
            m["case"],
            datetime.fromisoformat(m["start"]),
            datetime.fromisoformat(m["end"]),
            m["room"],
            m.get("interpreters", {}),
            m.get("absent", []),
            _local_times(m.get("local", {})),
        )
        for m in document["meetings"]
    ]
    action_days = [
        ActionDayPlacement(
            a["id"],
            a["case"],
            date.fromisoformat(a["date"]),
            datetime.fromisoformat(a["centre_open"]),
            datetime.fromisoformat(a["centre_close"]),
            a["room"],
            _local_times(a.get("operations", {})),
        )
        for a in document["action_days"]
    ]
    return Result(
        status=document["status"],
        objective=document["objective"],
        bound=document["bound"],
        terms=document["terms"],
        solve_seconds=document.get("solve_seconds", 0.0),
        meetings=meetings,
        action_days=action_days,
        unscheduled=[
            Unscheduled(u["id"], u["rule"], u["reasons"]) for u in document["unscheduled"]
        ],
        score=_score(document.get("score")),
        score_bound=_score(document.get("score_bound")),
    )


def _score(levels: dict[str, int] | None) -> Score | None:
    """A plan document's ``score`` or ``score_bound`` (SPEC 2.3) as a :class:`Score`."""
    return None if levels is None else Score(levels["placement"], levels["preference"])


def _local_times(times: dict[str, dict[str, str]]) -> dict[str, LocalTimes]:
    """Return a plan document's ``local`` times as :class:`LocalTimes`."""
    return {
        code: LocalTimes(datetime.fromisoformat(t["start"]), datetime.fromisoformat(t["end"]))
        for code, t in times.items()
    }
