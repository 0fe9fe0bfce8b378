"""planner: plans cross-border coordination meetings and action days with CP-SAT."""

__version__ = "0.1.0"
