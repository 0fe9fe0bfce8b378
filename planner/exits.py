"""Exit codes of the commands (SPEC 2.6, 2.7; README "Commands"), and the decisions of
an outcome that they report: whether a plan may be published, whether it moves too
much.

The command line only hands these codes to the shell; which code an outcome gets,
and what a re-plan may write, is decided here, next to the data it reads.
"""

from __future__ import annotations

from planner.models.comparison import WhatIf
from planner.models.explanation import Explained
from planner.models.schedule import Changes, Result
from planner.models.suggestion import Suggestions
from planner.models.violations import Verdict

EXIT_OK = 0
"""Everything asked was done: every activity scheduled, every plan found, no violation."""
EXIT_INTERNAL = 1
"""A bug: an unexpected exception, reported in one line."""
EXIT_INVALID = 2
"""Invalid input or usage: every problem listed with its location."""
EXIT_UNSCHEDULED = 3
"""Some activity is left out (``solve``), has no place (``suggest``), or a plan breaks a
rule (``check``)."""
EXIT_INFEASIBLE = 4
"""The scenario is infeasible: its must-hold activities cannot all be held."""
EXIT_NO_SOLUTION = 5
"""No plan was found within the time limit; nothing is written."""
EXIT_CHANGES = 6
"""``replan``: a baseline activity had to be dropped, or ``--max-moves`` would be passed."""


def signal_exit(signum: int) -> int:
    """Return 130 for SIGINT, 143 for SIGTERM: what a shell reports for a command they
    ended."""
    return 128 + signum


def publishes(result: Result, replanning: bool) -> bool:
    """Return whether a plan may be written: always, except that an infeasible re-plan
    holds nothing and never replaces a published plan (README "Infeasible plans")."""
    return not (replanning and result.status == "infeasible")


def moves_too_many(changes: Changes, max_moves: int) -> bool:
    """Return whether a plan moves more activities than ``--max-moves`` allows (it is
    then not written, SPEC 2.7.1)."""
    return len(changes.moved) > max_moves


def plan_exit(result: Result, replanning: bool) -> int:
    """Return the exit code of ``solve`` or ``replan`` for a plan that was found.

    4 when infeasible; for a re-plan, 6 when it dropped a baseline activity; 3 when
    some activity is left out; else 0.
    """
    if result.status == "infeasible":
        return EXIT_INFEASIBLE
    if replanning and result.changes is not None and result.changes.dropped:
        return EXIT_CHANGES
    return EXIT_UNSCHEDULED if result.unscheduled else EXIT_OK


def whatif_exit(comparison: WhatIf) -> int:
    """Return the exit code of ``whatif``: 0 when every plan was found, else 5."""
    return EXIT_OK if all(plan.found for plan in comparison.plans) else EXIT_NO_SOLUTION


def suggest_exit(found: Suggestions) -> int:
    """Return the exit code of ``suggest``: 0 with suggestions, 3 when there is none."""
    return EXIT_OK if found.suggestions else EXIT_UNSCHEDULED


def explain_exit(explained: Explained) -> int:
    """Return the exit code of ``explain``: 4 when the scenario is infeasible, else 0."""
    return EXIT_INFEASIBLE if explained.infeasible else EXIT_OK


def check_exit(verdict: Verdict) -> int:
    """Return the exit code of ``check``: 0 when no violation stands, else 3."""
    return EXIT_OK if verdict.valid else EXIT_UNSCHEDULED
