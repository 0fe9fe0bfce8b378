"""``planner serve``: a local web page where coordinators see the plan, pin, re-solve
and compare what-ifs (SPEC 2.7.3). See :mod:`planner.serve.app`."""

from planner.serve.app import create_app, new_token
from planner.serve.session import Session

__all__ = ["Session", "create_app", "new_token"]
