"""``planner serve``: the local web page for coordinators (SPEC 2.7.3), bound to 127.0.0.1
with a token in its address, its session kept in a state file; see :mod:`planner.serve`."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import click

from planner.cli.console import say, stderr, stdout
from planner.cli.errors import fail, invalid, no_traceback
from planner.cli.inputs import read_scenario
from planner.cli.options import (
    max_bytes,
    max_input_option,
    termination,
    termination_options,
    time_limit_option,
)
from planner.exits import EXIT_INVALID
from planner.loading import parse_json, read_text
from planner.models.baseline import baseline_from_data
from planner.models.problems import InputError
from planner.models.termination import IDLE_SECONDS


def state_path_of(scenario: Path) -> Path:
    """The default state file: ``NAME.planner.db`` beside the scenario ``NAME.yaml``."""
    return scenario.with_name(f"{scenario.stem}.planner.db")


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    type=click.Path(dir_okay=False),
    help="A published plan to start from [default: the scenario solved at start, or the "
    "plans of the session kept in the state file].",
)
@click.option(
    "--port", type=click.IntRange(1024, 65535), default=8765, show_default=True, help="Port."
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False),
    help="The session's state file (SQLite) [default: NAME.planner.db beside the scenario].",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start a new session in the state file instead of resuming the last one (which is "
    "kept in the file).",
)
@click.option(
    "--publish",
    "publish_file",
    type=click.Path(dir_okay=False),
    help="Where Publish writes the plan, for the nightly replan to read [default: "
    "published.json beside the scenario].",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@time_limit_option("Seconds each solve may take (the page can ask for others).", default=30.0)
@termination_options(idle=IDLE_SECONDS)
@max_input_option
@no_traceback
def serve(
    scenario: str,
    plan: str | None,
    port: int,
    state_file: str | None,
    fresh: bool,
    publish_file: str | None,
    open_browser: bool,
    time_limit: float,
    stop_when_idle: float | None,
    gap_percent: float | None,
    max_input_mb: float,
) -> None:
    """A local web page: the plan as a timeline and a year view; pin, change, re-solve,
    compare, publish, save. The session is kept in a state file: stop the server, or
    lose it, and start it again to find everything as it was.

    Bound to 127.0.0.1; open the printed address (it carries the token every request
    needs). Stop it with Ctrl-C.
    """
    # imported here: the web server is needed by this command alone
    import uvicorn

    from planner.serve import Session, Settings, create_app, new_token
    from planner.serve.state import ScenarioIdentity, State, StateError

    loaded, source = read_scenario(scenario, False, max_input_mb)
    published, published_name = None, ""
    if plan:
        try:
            published = parse_json(read_text(plan, max_bytes(max_input_mb), "plan"), plan)
            as_read, problems = baseline_from_data(published, "")  # a plan, as replan reads it
            if as_read is None:
                raise InputError(problems, plan)
        except InputError as error:
            invalid(error, False)
        published_name = Path(plan).stem
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: after a restart
    try:
        listener.bind(("127.0.0.1", port))  # before anything else: a busy port is said at once
    except OSError as error:
        fail(EXIT_INVALID, f"cannot listen on 127.0.0.1:{port} ({error.strerror})", False)
    path = Path(scenario)
    digest = hashlib.sha256(source).hexdigest()
    identity = ScenarioIdentity(str(path.resolve()), loaded.name, digest)
    try:
        state = State.open(Path(state_file) if state_file else state_path_of(path), identity, fresh)
    except StateError as error:
        fail(EXIT_INVALID, str(error), False)
    stop = termination(time_limit, stop_when_idle, gap_percent)
    settings = Settings(
        time_limit=stop.time_limit,
        stop_when_idle=stop.idle,
        gap=stop.gap,
        publish_path=Path(publish_file) if publish_file else path.with_name("published.json"),
        scenario_digest=digest,
    )
    session = Session(loaded, state, settings)
    if published is not None and not session.holds_document(published):
        session.add_file_plan(published_name, published)
    if state.resumed:
        say(stderr, f"resumed the session kept in {state.path}")
    elif published is None:
        session.solve()  # a new session: solved in the background, the page shows progress
    # listening before the address is printed (SPEC 2.7.3): a browser that connects at
    # once waits in the backlog until the server serves, instead of being refused
    listener.listen(128)
    token = new_token()
    url = f"http://127.0.0.1:{port}/?token={token}"
    say(stdout, f"planner serve: {url}", "bold")
    if open_browser:
        _open(url)
    config = uvicorn.Config(create_app(session, token, port), log_level="warning")
    try:
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        session.close()  # a solve under way writes its best plan, as interrupted


def _open(url: str) -> None:
    """Open the page in the default browser (:mod:`webbrowser`: ``$BROWSER`` if set,
    else the desktop's), or say how to when there is none."""
    import webbrowser

    if not webbrowser.open(url):
        say(stderr, "no browser to open: open the address above")
