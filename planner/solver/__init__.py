"""All CP-SAT: the model of a scenario, one module per constraint family."""

from __future__ import annotations

from ortools.sat.python import cp_model

__all__ = ["cp_model"]
