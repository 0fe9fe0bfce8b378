"""Robustness sweeps (SPEC 2.7.6): how a published plan absorbs random disruptions.

- :mod:`~planner.stress.draws`: the disruptions, each a change file, drawn from a seed;
- :mod:`~planner.stress.replanning`: one disruption drawn, re-planned as ``planner
  replan`` does and checked by the independent checker, in whatever process runs it;
- :mod:`~planner.stress.backends`: where the re-plans run, behind one seam (a local
  process pool, or Ray when asked for);
- :mod:`~planner.stress.summary`: the distribution per kind and the fragile activities;
- :mod:`~planner.stress.sweep`: the sweep itself, :func:`stress`.

The report is a :class:`~planner.models.stress.StressReport`; ``planner/output/stress_*``
print it.
"""

from planner.stress.backends import (
    RAY_INSTALL,
    Backend,
    BackendUnavailable,
    PoolBackend,
    RayBackend,
    open_backend,
)
from planner.stress.draws import disruption_seed, draw_disruptions
from planner.stress.sweep import DEFAULT_DISRUPTIONS, stress

__all__ = [
    "DEFAULT_DISRUPTIONS",
    "RAY_INSTALL",
    "Backend",
    "BackendUnavailable",
    "PoolBackend",
    "RayBackend",
    "disruption_seed",
    "draw_disruptions",
    "open_backend",
    "stress",
]
