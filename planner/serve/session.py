"""What a coordinator has done on the page, kept in the state file: the scenario, the
edits (pins, what-if changes), the plans solved so far, the solve under way, the
comparison and what was published (:mod:`planner.serve.state`).

Every action goes through the same functions as the command line: change files
(:mod:`planner.change`), :func:`planner.solve.solve` (in a worker process,
:mod:`planner.serve.jobs`), :func:`planner.suggest.suggest`, the exports and the
checker. Every change is written to the state in one transaction before the page is
told it is done; what the page shows is read back from the state, so that a server
started again on the same state shows the same session.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.change import Change, ChangeFile, apply_change, change_yaml, merged, parse_change
from planner.models.problems import InputError
from planner.models.scenario import Scenario
from planner.serve.jobs import Job, SolveRequest, figures_of
from planner.serve.state import PlanRow, State
from planner.serve.views import PlanView
from planner.serve.year import year_weeks

NO_CHANGE = change_yaml(ChangeFile())
"""The change file of no edit at all (``{}``)."""


@dataclass(frozen=True)
class Settings:
    """How the page's solves search, and where it publishes: the command line's options."""

    time_limit: float = 30.0
    """Seconds a solve may take unless the page asks for another limit."""
    stop_when_idle: float | None = None
    """End a solve when no better plan was found for this long (``None``: never; the
    command line's default is :data:`planner.solve.IDLE_SECONDS`, as for every re-solve)."""
    gap: float | None = None
    """End a solve once placement is proven and the preference gap is at most this."""
    seed: int = 0
    """The random seed of every solve."""
    publish_path: Path | None = None
    """Where Publish writes the plan (``None``: the page cannot publish)."""
    scenario_digest: str = ""
    """The sha256 of the scenario file's bytes, named in a published plan."""


class Session:
    """The page's session (SPEC 2.7.3): the scenario, the edits made on the page as one
    change file, every plan, the solve under way (one at a time), the comparison and the
    publications, all kept in a :class:`~planner.serve.state.State`."""

    def __init__(self, scenario: Scenario, state: State, settings: Settings | None = None) -> None:
        """Open the session of ``state`` on ``scenario``: its edits replayed, solves left
        running by a server that stopped marked ``interrupted``."""
        self.base = scenario
        self.state = state
        self.settings = settings or Settings()
        self.edits = ChangeFile()
        for text in state.edits():
            self.edits = merged(self.edits, parse_change(text, "the state's edits").edits)
        self.job: Job | None = None
        self._scenarios: dict[str, Scenario] = {NO_CHANGE: scenario}
        self._views: dict[int, PlanView] = {}
        self._years: dict[int, list[dict[str, Any]]] = {}
        state.end_stale_solves()

    # ---- the scenario and its edits --------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The base scenario with every edit so far."""
        return self.scenario_of(self.changes_text())

    def scenario_of(self, changes: str) -> Scenario:
        """The base scenario with the change file ``changes`` applied (made once)."""
        if changes not in self._scenarios:
            change = parse_change(changes, "the page's edits")
            self._scenarios[changes] = apply_change(
                self.base, Change("edits", "the page's edits", change.edits, {})
            )
        return self._scenarios[changes]

    def edit(self, text: str, kind: str = "change", activity: str | None = None) -> None:
        """Add a what-if change, given as change-file text, to the page's edits, and keep it
        in the state.

        Raises
        ------
        InputError
            When the change, or the scenario with every edit so far and this one, is
            invalid; each problem located in the change.
        """
        change = parse_change(text, "the change")
        combined = merged(self.edits, change.edits)
        scenario = apply_change(self.base, Change("edits", "the change", combined, change.lines))
        self.state.add_edit(kind, change_yaml(change.edits), activity)
        self.edits = combined
        self._scenarios[change_yaml(combined)] = scenario

    def pin(self, activity: str, start: str | None, room: str | None, day: str | None) -> None:
        """Pin a meeting's start, room or date (an action day: nothing to pin here)."""
        pinned = {k: v for k, v in (("start", start), ("room", room), ("date", day)) if v}
        if not pinned:
            raise InputError([], "pin at least one of start, date, room")
        self._update_meeting(activity, {"pinned": pinned}, "pin")

    def unpin(self, activity: str) -> None:
        """Take a meeting's pin away."""
        self._update_meeting(activity, {"pinned": None}, "unpin")

    def _update_meeting(self, activity: str, fields: dict[str, Any], kind: str) -> None:
        """Add an update of one meeting's fields to the page's edits, as a change file says it."""
        if activity not in self.base.meetings_by_id:
            raise InputError([], f"no meeting {activity!r}")
        text = change_yaml(ChangeFile.model_validate({"update": {"meetings": {activity: fields}}}))
        self.edit(text, kind, activity)

    def changes_text(self) -> str:
        """The page's edits as a change file."""
        return change_yaml(self.edits)

    # ---- plans --------------------------------------------------------------------------

    def plans(self) -> list[PlanRow]:
        """Every plan of the session, with or without a plan document yet."""
        return self.state.plans()

    def plan(self, plan_id: int) -> PlanView | None:
        """The plan ``plan_id`` of the session, or ``None`` when there is no such plan (yet)."""
        if plan_id not in self._views:
            row = self.state.plan(plan_id)
            text = self.state.document(plan_id) if row is not None else None
            if row is None or text is None:
                return None
            scenario = self.scenario_of(row.changes)
            self._views[plan_id] = PlanView(plan_id, row.name, scenario, json.loads(text))
        return self._views[plan_id]

    def add_file_plan(self, name: str, document: dict[str, Any]) -> int:
        """Take in a plan read from a file (``--plan``, the published file) as a plan of
        the base scenario; return its id."""
        return self.state.add_plan(
            name,
            NO_CHANGE,
            origin="file",
            document=json.dumps(document, ensure_ascii=False),
            figures=figures_of(document),
        )

    def holds_document(self, document: dict[str, Any]) -> bool:
        """Whether a plan read from a file is already one of the session's plans."""
        for row in self.plans():
            if row.origin == "file" and row.has_plan:
                view = self.plan(row.id)
                if view is not None and view.document == document:
                    return True
        return False

    def set_compared(self, plan_id: int, compared: bool) -> None:
        """Put a plan in the comparison or take it out."""
        if self.plan(plan_id) is None:
            raise KeyError(f"no plan {plan_id}")
        self.state.set_compared(plan_id, compared)

    def year(self, plan_id: int) -> list[dict[str, Any]]:
        """The year view of a plan (:func:`planner.serve.year.year_weeks`, made once)."""
        if plan_id not in self._years:
            view = self.plan(plan_id)
            if view is None:
                raise KeyError(f"no plan {plan_id}")
            self._years[plan_id] = year_weeks(view.scenario, view.document)
        return self._years[plan_id]

    # ---- solving ------------------------------------------------------------------------

    def solve(self, time_limit: float | None = None) -> int:
        """Start a solve of the edited scenario in a worker process.

        It is solved against the latest plan, so that it moves as little as the moves
        cost, with the session's termination (:class:`Settings`). Its plan row is written
        first (``running``, the change file of the edits); the worker then writes its
        progress and its plan there.

        Parameters
        ----------
        time_limit
            Seconds the solve may take (default: the session's).

        Returns
        -------
        int
            The new plan's id.

        Raises
        ------
        RuntimeError
            When a solve is already running (one at a time).
        """
        self.progress()
        # the state says whether a solve runs (a worker that has written its plan may
        # still be on its way out)
        if any(row.status == "running" for row in self.plans()):
            raise RuntimeError("a solve is already running")
        scenario = self.scenario
        latest = next((row for row in reversed(self.plans()) if row.has_plan), None)
        baseline = self.plan(latest.id) if latest is not None else None
        limit = time_limit or self.settings.time_limit
        plan_id = self.state.add_plan(
            f"v{len(self.plans()) + 1}",
            self.changes_text(),
            baseline_id=None if latest is None else latest.id,
            time_limit=limit,
        )
        request = SolveRequest(
            str(self.state.path),
            self.state.session_id,
            plan_id,
            scenario.model_dump(by_alias=True, exclude_defaults=True, mode="json"),
            None if baseline is None else baseline.document,
            limit,
            self.settings.stop_when_idle,
            self.settings.gap,
            self.settings.seed,
        )
        self.job = Job.start(request)
        self.state.set_worker(plan_id, self.job.process.pid)
        return plan_id

    def progress(self, closing: bool = False) -> dict[str, Any]:
        """Return the state of the latest solve: running or not, how it ended, seconds,
        best objective and bound. A worker that ended without saying how is recorded as
        cancelled (when the coordinator cancelled it), interrupted (when the server is
        ``closing``: a Ctrl-C reached the worker too) or failed; a solve of a server that
        stopped as interrupted."""
        if self.job is not None and not self.job.alive:
            row = self.state.plan(self.job.plan_id)
            if row is not None and row.status == "running":
                cancelled = self.state.cancel_requested(self.job.plan_id)
                ended = "interrupted" if closing else "failed"
                self.state.finish(self.job.plan_id, "cancelled" if cancelled else ended)
            self.job = None
        self.state.end_stale_solves(keep=None if self.job is None else self.job.plan_id)
        latest = next((row for row in reversed(self.plans()) if row.origin == "solve"), None)
        if latest is None:
            return {"running": False}
        running = latest.status == "running"
        own = self.job is not None and self.job.plan_id == latest.id
        elapsed = time.monotonic() - self.job.started if own and self.job else latest.elapsed
        return {
            "plan": latest.id,
            "name": latest.name,
            "running": running,
            "status": latest.status,
            "elapsed": round(elapsed or 0.0, 1),
            "objective": latest.objective,
            "bound": latest.bound,
            "cancelled": latest.status == "cancelled",
            "has_plan": latest.has_plan,
        }

    def cancel(self) -> None:
        """End the solve under way; its best plan is still kept."""
        if self.job is not None and self.job.alive:
            self.state.request_cancel(self.job.plan_id)
            self.job.stop()

    def close(self, seconds: float = 15.0) -> None:
        """Stop the solve under way (it writes its best plan, as ``interrupted``), wait for
        it up to ``seconds``, and close the state."""
        if self.job is not None:
            self.job.stop()
            self.job.wait(seconds)
            self.progress(closing=True)
        self.state.close()

    # ---- what the page compares -----------------------------------------------------------

    def compare(self) -> dict[str, Any]:
        """Every plan in the comparison side by side (the what-if table), and what the
        latest of them moved and dropped against the plan it was solved from.

        The figures were written with each plan, so that a comparison of many year plans
        reads no plan document but the latest one's.
        """
        rows = [row for row in self.plans() if row.has_plan and row.compared]
        latest = self.plan(rows[-1].id) if rows else None
        changes = latest.document.get("changes") if latest is not None else None
        return {
            "plans": [
                {"id": row.id, "name": row.name, "status": row.status, "figures": row.figures}
                for row in rows
            ],
            "latest": None if latest is None else latest.name,
            "changes": changes,
        }
