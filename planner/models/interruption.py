"""A stop asked for by a signal: the exception every layer may raise or catch.

SPEC 2.7: SIGINT and SIGTERM stop a search and keep the best plan; a second signal
stops at once. The search watches the signals (:class:`planner.solver.run.Interrupt`);
the command line turns the exception into exit 130 or 143. It lives with the data so
that the command line knows it without importing the solver.
"""

from __future__ import annotations

import signal


class Interrupted(KeyboardInterrupt):
    """A second SIGINT or SIGTERM: stop now, whatever is under way (files being written
    are cleaned up as the exception unwinds)."""

    def __init__(self, signum: int) -> None:
        """Note which signal asked to stop."""
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
