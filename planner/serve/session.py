"""What a coordinator has done on the page: the scenario, the edits (pins, what-if
changes), the plans solved so far and the solve under way.

Every action goes through the same functions as the command line: change files
(:mod:`planner.change`), :func:`planner.solve.solve` (in a worker process),
:func:`planner.suggest.suggest`, the comparison of plans (:mod:`planner.changes`) and
the exports. Nothing here plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from planner.change import Change, ChangeFile, apply_change, change_yaml, merged, parse_change
from planner.changes import compare
from planner.models.baseline import Baseline, baseline_from_data
from planner.models.problems import InputError
from planner.models.scenario import Scenario
from planner.models.schedule import (
    ActionDayPlacement,
    Changes,
    LocalTimes,
    MeetingPlacement,
    Result,
    Unscheduled,
)
from planner.models.score import Score
from planner.output import timeline
from planner.output.exports import render
from planner.output.schedule_json import changes_document
from planner.output.whatif_report import figures
from planner.serve.jobs import Job
from planner.suggest import suggest


@dataclass
class Variant:
    """One plan the page holds: its scenario (with the edits of its time), its plan
    document, and what changed against the plan before it."""

    name: str
    scenario: Scenario
    document: dict[str, Any]
    changes: Changes | None = None

    @property
    def baseline(self) -> Baseline:
        """This plan as a baseline for the next solve (its moves and ``changes``)."""
        baseline, problems = baseline_from_data(self.document, "")
        if baseline is None:
            raise ValueError(problems)
        return baseline

    @property
    def result(self) -> Result:
        """This plan's document read back as a result, for the exports."""
        return result_of(self.document)


class Session:
    """The page's state (SPEC 2.7.3): the scenario, the edits made on the page as one change
    file, every plan solved so far, and the solve under way; one solve at a time.

    Every action goes through the functions the command line uses: change files
    (:mod:`planner.change`), solves in a worker process (:class:`~planner.serve.jobs.Job`),
    :func:`planner.suggest.suggest`, :func:`planner.changes.compare` and the exports.
    """

    def __init__(self, scenario: Scenario, published: dict[str, Any] | None = None) -> None:
        """Start a session on ``scenario``, holding ``published`` as its first plan when given."""
        self.base = scenario
        self.edits = ChangeFile()
        self.variants: list[Variant] = []
        self.job: Job | None = None
        self.solving = scenario
        """The scenario of the solve under way (or the last one)."""
        self.time_limit = 60.0
        if published is not None:
            self.variants.append(Variant("published", scenario, published))

    # ---- the scenario and its edits --------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The base scenario with every edit so far."""
        return apply_change(self.base, Change("edits", "the page's edits", self.edits, {}))

    def edit(self, text: str) -> None:
        """Add a what-if change, given as change-file text, to the page's edits.

        Raises
        ------
        InputError
            When the change, or the scenario with every edit so far and this one, is invalid;
            each problem located in the change.
        """
        change = parse_change(text, "the change")
        combined = merged(self.edits, change.edits)
        apply_change(self.base, Change("edits", "the change", combined, change.lines))
        self.edits = combined

    def pin(self, activity: str, start: str | None, room: str | None, day: str | None) -> None:
        """Pin a meeting's start, room or date (an action day: nothing to pin here)."""
        pinned = {k: v for k, v in (("start", start), ("room", room), ("date", day)) if v}
        if not pinned:
            raise InputError([], "pin at least one of start, date, room")
        self._update_meeting(activity, {"pinned": pinned})

    def unpin(self, activity: str) -> None:
        """Take a meeting's pin away."""
        self._update_meeting(activity, {"pinned": None})

    def _update_meeting(self, activity: str, fields: dict[str, Any]) -> None:
        """Add an update of one meeting's fields to the page's edits, as a change file says it."""
        if activity not in self.base.meetings_by_id:
            raise InputError([], f"no meeting {activity!r}")
        text = change_yaml(ChangeFile.model_validate({"update": {"meetings": {activity: fields}}}))
        self.edit(text)

    def changes_text(self) -> str:
        """The page's edits as a change file."""
        return change_yaml(self.edits)

    # ---- solving ------------------------------------------------------------------------

    def solve(self, time_limit: float | None = None) -> None:
        """Start a solve of the edited scenario, against the latest plan (so that it moves
        as little as the moves cost); refused while one runs."""
        if self.job is not None and not self.job.finished:
            raise RuntimeError("a solve is already running")
        scenario = self.scenario
        latest = self.variants[-1].document if self.variants else None
        data = scenario.model_dump(by_alias=True, exclude_defaults=True, mode="json")
        self.job = Job.start(data, latest, time_limit or self.time_limit)
        self.solving = scenario

    def progress(self) -> dict[str, Any]:
        """Return the state of the solve under way (or the last one): running or not, seconds,
        best objective and bound; a finished solve's plan is taken in first, as a new plan
        compared with the one before it (``new_plan`` names its index).
        """
        if self.job is None:
            return {"running": False}
        state = self.job.state()
        if self.job.finished and self.job.document is not None:
            scenario = self.solving
            previous = self.variants[-1] if self.variants else None
            changes = (
                compare(scenario, previous.baseline, result_of(self.job.document))
                if previous
                else None
            )
            self.variants.append(
                Variant(f"v{len(self.variants) + 1}", scenario, self.job.document, changes)
            )
            self.job.document = None
            state["new_plan"] = len(self.variants) - 1
        return state

    def cancel(self) -> None:
        """End the solve under way; its best plan is still taken in."""
        if self.job is not None:
            self.job.cancel()

    # ---- what the page shows ---------------------------------------------------------------

    def variant(self, index: int) -> Variant:
        """The plan at ``index`` (0 is the first)."""
        return self.variants[index]

    def weeks(self, index: int) -> list[str]:
        """The Mondays of the weeks in which the plan holds something."""
        variant = self.variant(index)
        days = timeline.plan_days(variant.scenario, variant.result)
        return sorted({(day - timedelta(days=day.weekday())).isoformat() for day in days})

    def timeline(self, index: int, week: str | None) -> str:
        """The timeline of one week of a plan (the first with activities by default), with
        what it leaves out and its objective."""
        variant = self.variant(index)
        result = variant.result
        weeks = self.weeks(index)
        monday = date.fromisoformat(
            week or (weeks[0] if weeks else variant.scenario.horizon.start.isoformat())
        )
        return "\n".join(
            [
                timeline.summary(variant.scenario, result),
                timeline.days(variant.scenario, result, monday, monday + timedelta(days=6)),
                timeline.left_out(result),
                timeline.terms(result),
            ]
        )

    def details(self, index: int, activity: str) -> dict[str, Any]:
        """Where an activity is, who takes part (with local times), why it is there and
        its best alternatives (:func:`planner.suggest.suggest` against the plan)."""
        variant = self.variant(index)
        scenario = variant.scenario
        definition = scenario.meetings_by_id.get(activity) or scenario.action_days_by_id[activity]
        entry = next(
            (
                e
                for e in [*variant.document["meetings"], *variant.document["action_days"]]
                if e["id"] == activity
            ),
            None,
        )
        left_out = next((u for u in variant.document["unscheduled"] if u["id"] == activity), None)
        found = suggest(scenario, activity, baseline=variant.baseline, count=5)
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
            "suggestions": [
                {
                    "start": s.placement.start.isoformat()
                    if isinstance(s.placement, MeetingPlacement)
                    else None,
                    "date": s.placement.date.isoformat()
                    if isinstance(s.placement, ActionDayPlacement)
                    else s.placement.start.date().isoformat(),
                    "room": s.placement.room,
                    "objective": s.objective,
                    "changes": {k: v for k, v in s.changes.items() if v},
                }
                for s in found.suggestions
            ],
        }

    def compare(self) -> dict[str, Any]:
        """Every plan side by side (the what-if table), and what each changed."""
        return {
            "plans": [
                {
                    "name": v.name,
                    "figures": figures(v.document),
                    "changes": changes_document(v.changes) if v.changes else None,
                }
                for v in self.variants
            ]
        }

    def download(self, index: int, extension: str) -> str:
        """Return plan ``index`` as the text of a file with ``extension`` (JSON, CSV, ICS or
        HTML; see :func:`planner.output.exports.render`).
        """
        variant = self.variant(index)
        return render(extension, variant.scenario, variant.result, "")


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
    and comparisons read it (times aware, local times of participants).
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
