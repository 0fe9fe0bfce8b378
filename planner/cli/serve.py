"""``planner serve``: the local web page for coordinators (SPEC 2.7.3), bound to 127.0.0.1
with a token in its address; see :mod:`planner.serve`."""

from __future__ import annotations

import socket

import click

from planner.cli.console import say, stdout
from planner.cli.errors import fail, no_traceback
from planner.cli.inputs import optional_baseline, read_scenario
from planner.cli.options import max_bytes, max_input_option, time_limit_option
from planner.exits import EXIT_INVALID
from planner.loading import parse_json, read_text


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    type=click.Path(dir_okay=False),
    help="A published plan to start from [default: the scenario solved at start].",
)
@click.option(
    "--port", type=click.IntRange(1024, 65535), default=8765, show_default=True, help="Port."
)
@time_limit_option("Seconds each solve may take (the page can ask for others).", default=30.0)
@max_input_option
@no_traceback
def serve(
    scenario: str, plan: str | None, port: int, time_limit: float, max_input_mb: float
) -> None:
    """A local web page: the plan as a timeline; pin, change, re-solve, compare, save.

    Bound to 127.0.0.1; open the printed address (it carries the token every request
    needs). Stop it with Ctrl-C.
    """
    # imported here: the web server is needed by this command alone
    import uvicorn

    from planner.serve import Session, create_app, new_token

    loaded, _ = read_scenario(scenario, False, max_input_mb)
    published = None
    if plan and optional_baseline(plan, False, max_input_mb):  # a plan, within the limits
        published = parse_json(read_text(plan, max_bytes(max_input_mb), "plan"), plan)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: after a restart
    try:
        listener.bind(("127.0.0.1", port))  # before anything else: a busy port is said at once
    except OSError as error:
        fail(EXIT_INVALID, f"cannot listen on 127.0.0.1:{port} ({error.strerror})", False)
    # listening before the address is printed (SPEC 2.7.3): a browser that connects at
    # once waits in the backlog until the server serves, instead of being refused
    listener.listen()
    session = Session(loaded, published)
    session.time_limit = time_limit
    if published is None:
        session.solve()  # in the background: the page shows its progress
    token = new_token()
    say(stdout, f"planner serve: http://127.0.0.1:{port}/?token={token}", "bold")
    config = uvicorn.Config(create_app(session, token, port), log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])
