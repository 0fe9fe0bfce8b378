"""``planner serve`` (SPEC 2.7.3): a local web page for coordinators, an ASGI app.

Bound to 127.0.0.1 only. Every request needs the token printed at start: in the URL
(``?token=``, as notebook servers do; the first visit sets a cookie), the cookie, or the
``X-Planner-Token`` header; a request that changes anything is a POST and needs the
header (a cookie alone is not enough: another site's form cannot send it). A request
whose Host is not this server's loopback name is refused (DNS rebinding). The app
serves its own assets (shipped inside the package), the scenario's plans and the change
file of the page's edits, nothing else; no asset comes from the network.
"""

from __future__ import annotations

import json
import math
import secrets
from html import escape
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from planner.models.problems import InputError
from planner.output.exports import FORMATS
from planner.output.timeline import STYLE
from planner.serve.publish import PublishRefused, publish, published_state, take_published
from planner.serve.session import Session
from planner.serve.views import PlanView

TOKEN_HEADER = "x-planner-token"
TOKEN_COOKIE = "planner_token"
ASSETS = {"app.js": "text/javascript", "app.css": "text/css"}
"""The only files served from the package, by name."""


class Guard:
    """Refuses foreign hosts (421), requests without the token (401) or with a wrong one
    (403), and POSTs without the token header (403)."""

    def __init__(self, app: ASGIApp, token: str, port: int) -> None:
        """Guard ``app`` with ``token``; only the server's own host names are served."""
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.headers.get("host", "") not in self.hosts:
            await PlainTextResponse("unknown host", status_code=421)(scope, receive, send)
            return
        header = request.headers.get(TOKEN_HEADER)
        given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or header
        if request.method == "POST":
            given = header  # a cookie alone does not do for what changes things
        if not given:
            await PlainTextResponse("token needed", status_code=401)(scope, receive, send)
            return
        if not secrets.compare_digest(given, self.token):
            await PlainTextResponse("wrong token", status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(session: Session, token: str, port: int) -> ASGIApp:
    """Return the ASGI app of one session (SPEC 2.7.3), behind its :class:`Guard`.

    Parameters
    ----------
    session
        What the coordinator has done on the page; every route reads or changes it.
    token
        The token every request needs (in the printed address, then a cookie).
    port
        The port served: only ``127.0.0.1`` and ``localhost`` at this port are answered.

    Returns
    -------
    ASGIApp
        The page and its assets, the JSON API (state, a plan's weeks, year view, timeline
        and activities, the comparison, what is published), the downloads (a plan in each
        format, the change file) and the POST actions (pin, unpin, change, solve, cancel,
        compare, publish, take-published).
    """

    async def index(request: Request) -> Response:
        """GET ``/``: the page, with the token set as a cookie for the requests that follow."""
        page = resources.files("planner.serve").joinpath("assets/index.html").read_text("utf-8")
        page = (
            page.replace("{{token}}", token)
            .replace("{{name}}", escape(session.base.name or "plan"))
            .replace("{{timeline_style}}", STYLE)
        )
        response = HTMLResponse(page, headers={"Cache-Control": "no-store"})
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    async def asset(request: Request) -> Response:
        """GET ``/assets/NAME``: one of the page's own assets, nothing else."""
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("not found", status_code=404)
        text = resources.files("planner.serve").joinpath(f"assets/{name}").read_text("utf-8")
        return Response(text, media_type=ASSETS[name])

    def plan_of(request: Request) -> PlanView | None:
        """Return the plan of the request's path, or ``None`` when there is no such plan."""
        try:
            plan_id = int(request.path_params["plan"])
        except ValueError:
            return None
        return session.plan(plan_id)

    async def state(request: Request) -> Response:
        """GET ``/api/state``: the plans held, the latest solve and the edits as a change file."""
        job = session.progress()
        published = {p.plan_id for p in session.state.publications()}
        return JSONResponse(
            {
                "name": session.base.name,
                "plans": [
                    {
                        "id": row.id,
                        "name": row.name,
                        "status": row.status,
                        "origin": row.origin,
                        "has_plan": row.has_plan,
                        "compared": row.compared,
                        "published": row.id in published,
                    }
                    for row in session.plans()
                ],
                "job": job,
                "changes": session.changes_text(),
                "state_file": str(session.state.path),
                "resumed": session.state.resumed,
            }
        )

    async def weeks(request: Request) -> Response:
        """GET ``/api/plans/N/weeks``: the Mondays of the weeks in which plan N holds something."""
        plan = plan_of(request)
        if plan is None:
            return PlainTextResponse("not found", status_code=404)
        return JSONResponse(plan.weeks())

    async def year(request: Request) -> Response:
        """GET ``/api/plans/N/year``: plan N's year view, a strip per week."""
        plan = plan_of(request)
        if plan is None:
            return PlainTextResponse("not found", status_code=404)
        return JSONResponse(await run_in_threadpool(session.year, plan.id))

    async def timeline(request: Request) -> Response:
        """GET ``/api/plans/N/timeline?week=``: one week of plan N's timeline, as HTML."""
        plan = plan_of(request)
        if plan is None:
            return PlainTextResponse("not found", status_code=404)
        try:
            return HTMLResponse(plan.timeline(request.query_params.get("week")))
        except ValueError:
            return PlainTextResponse("bad week", status_code=400)

    async def activity(request: Request) -> Response:
        """GET ``/api/plans/N/activities/ID``: where an activity is, who takes part, why it is
        there and its alternatives (suggest runs off the event loop: it is slow on a year).
        """
        plan = plan_of(request)
        name = request.path_params["activity"]
        scenario = plan.scenario if plan is not None else None
        if (
            plan is None
            or scenario is None
            or not (name in scenario.meetings_by_id or name in scenario.action_days_by_id)
        ):
            return PlainTextResponse("not found", status_code=404)
        return JSONResponse(await run_in_threadpool(plan.details, name))

    async def compare(request: Request) -> Response:
        """GET ``/api/compare``: the plans in the comparison side by side (the what-if table)."""
        return JSONResponse(session.compare())

    async def published(request: Request) -> Response:
        """GET ``/api/published``: where the page publishes, the versions it published, and
        what the published file holds now (what the nightly job changed since)."""
        return JSONResponse(await run_in_threadpool(published_state, session))

    async def download(request: Request) -> Response:
        """GET ``/download/N.FORMAT``: plan N as a JSON, CSV, ICS or HTML file."""
        plan = plan_of(request)
        extension = "." + request.path_params["format"]
        if plan is None or extension not in FORMATS:
            return PlainTextResponse("not found", status_code=404)
        return Response(
            await run_in_threadpool(plan.download, extension),
            media_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{plan.name}{extension}"'},
        )

    async def change_file(request: Request) -> Response:
        """GET ``/download/changes.yaml``: the page's edits as a change file."""
        return Response(
            session.changes_text(),
            media_type="application/x-yaml",
            headers={"Content-Disposition": 'attachment; filename="changes.yaml"'},
        )

    async def act(request: Request) -> Response:
        """A POST that changes the session, each written to the state in one transaction:
        pin, unpin, change, solve, cancel, compare, publish, take-published."""
        action = request.path_params["action"]
        answer: dict[str, Any] = {"ok": True}
        try:
            body: dict[str, Any] = json.loads(await request.body() or b"{}")
            if not isinstance(body, dict):
                raise ValueError("the body is not a JSON object")
            if action == "pin":
                session.pin(body["activity"], body.get("start"), body.get("room"), body.get("date"))
            elif action == "unpin":
                session.unpin(body["activity"])
            elif action == "change":
                session.edit(str(body.get("text", "")))
            elif action == "solve":
                answer["plan"] = session.solve(_seconds(body.get("time_limit")))
            elif action == "cancel":
                session.cancel()
            elif action == "compare":
                session.set_compared(int(body["plan"]), bool(body.get("compared", True)))
            elif action == "publish":
                answer |= await run_in_threadpool(publish, session, int(body["plan"]))
            elif action == "take-published":
                answer["plan"] = await run_in_threadpool(take_published, session)
            else:
                return PlainTextResponse("not found", status_code=404)
        except InputError as error:
            problems = [str(p) for p in error.problems] or [error.source]
            return JSONResponse({"error": "invalid", "problems": problems}, status_code=400)
        except PublishRefused as refused:
            return JSONResponse(
                {"error": "not published", "problems": refused.problems}, status_code=409
            )
        except (KeyError, ValueError, TypeError) as error:
            return JSONResponse({"error": f"bad request: {error}"}, status_code=400)
        except RuntimeError as error:
            return JSONResponse({"error": str(error)}, status_code=409)
        return JSONResponse(answer | {"changes": session.changes_text()})

    routes = [
        Route("/", index),
        Route("/assets/{name}", asset),
        Route("/api/state", state),
        Route("/api/plans/{plan}/weeks", weeks),
        Route("/api/plans/{plan}/year", year),
        Route("/api/plans/{plan}/timeline", timeline),
        Route("/api/plans/{plan}/activities/{activity}", activity),
        Route("/api/compare", compare),
        Route("/api/published", published),
        Route("/download/changes.yaml", change_file),
        Route("/download/{plan}.{format}", download),
        Route("/api/{action}", act, methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), token, port)


def new_token() -> str:
    """A random token for the printed address."""
    return secrets.token_urlsafe(24)


MAX_SOLVE_SECONDS = 24 * 3600.0


def _seconds(value: Any) -> float | None:
    """A solve's time limit from the page: none (the server's), or 0.1 s to a day."""
    if value in (None, ""):
        return None
    seconds = float(value)
    if not (math.isfinite(seconds) and 0.1 <= seconds <= MAX_SOLVE_SECONDS):
        raise ValueError(f"time limit {value!r} is not between 0.1 and {MAX_SOLVE_SECONDS:.0f} s")
    return seconds
