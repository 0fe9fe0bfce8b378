"""When a search stops: the termination settings solver users know (SPEC §3, v1.2).

Like a solver's termination configuration (a spent limit, an unimproved spent limit
and a best-score limit), a search ends at the first of: its time limit; ``idle``
seconds without a better plan; a proven placement with a preference gap of at most
``gap``. A proof of optimality always ends it. Each workflow states its default
(``solve`` runs to its limit; ``replan``, ``whatif``, ``suggest`` and the page stop
when idle).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIME_LIMIT = 60.0
"""Seconds a command may take unless told otherwise (``--time-limit``)."""
IDLE_SECONDS = 5.0
"""The idle stop of ``replan``, ``whatif``, ``suggest``, ``explain`` and the page's
re-solve: they end when no better plan was found for this long (SPEC §3 v1.2: a re-plan
that has its plan in 4 s does not run to its limit). ``solve`` runs to its limit unless
told otherwise."""


@dataclass(frozen=True)
class Termination:
    """When a search stops (see the module)."""

    time_limit: float
    """Seconds the whole command may take."""
    idle: float | None = None
    """Stop when no better plan was found for this many seconds (``None``: never)."""
    gap: float | None = None
    """Stop once placement is proven and the preference gap is at most this fraction
    (0.05 is 5 %; ``None``: never)."""
