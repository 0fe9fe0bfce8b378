"""Helpers for tests of the local page: a session of a scenario kept in a state file of
its own, as ``planner serve`` opens one, and a test client of its app."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from planner.loading import read_scenario_file
from planner.serve import ScenarioIdentity, Session, Settings, State, create_app

PORT = 8765
"""The port the page is served on in these tests."""


def free_port() -> int:
    """A port nothing listens on now, for a server of a test's own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def open_session(
    folder: Path, text: str, published: dict[str, Any] | None = None, time_limit: float = 30.0
) -> Session:
    """The session of the scenario ``text``, written to ``folder/scenario.yaml`` and kept in
    ``folder/scenario.planner.db``; ``published`` (given) is its first plan, id 1, as
    ``--plan`` makes it."""
    path = folder / "scenario.yaml"
    path.write_text(text)
    scenario, raw = read_scenario_file(path)
    digest = hashlib.sha256(raw).hexdigest()
    state = State.open(
        folder / "scenario.planner.db", ScenarioIdentity(str(path), scenario.name, digest)
    )
    session = Session(scenario, state, Settings(time_limit=time_limit, scenario_digest=digest))
    if published is not None:
        session.add_file_plan("published", published)
    return session


@contextmanager
def page_of(session: Session, token: str) -> Iterator[TestClient]:
    """A client of the session's page, sending ``token`` with every request; the session
    is closed (its solve stopped, its state file closed) when the client is done."""
    try:
        app = create_app(session, token, PORT)
        with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as client:
            client.headers["X-Planner-Token"] = token
            yield client
    finally:
        session.close()
