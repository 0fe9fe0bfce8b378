"""``planner serve``: a local web page where coordinators see the plan, pin, re-solve,
compare what-ifs and publish (SPEC 2.7.3), their session kept in a state file. See
:mod:`planner.serve.app` (routes), :mod:`planner.serve.session` (the session),
:mod:`planner.serve.state` (the state file), :mod:`planner.serve.jobs` (solves in a
worker), :mod:`planner.serve.publish`, :mod:`planner.serve.views` and
:mod:`planner.serve.year` (what the page shows)."""

from planner.serve.app import create_app, new_token
from planner.serve.session import Session, Settings
from planner.serve.state import ScenarioIdentity, State, StateError

__all__ = [
    "ScenarioIdentity",
    "Session",
    "Settings",
    "State",
    "StateError",
    "create_app",
    "new_token",
]
