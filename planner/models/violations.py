"""What ``planner check`` finds (SPEC 2.6, README "planner check"): broken rules, as plain
data that the independent checker (:mod:`planner.check`) makes, that ``solve`` reads
for the conflicts of frozen activities, and that :mod:`planner.output.check_report`
prints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken rule: its name, the activity id (``""`` when global) and what is wrong.

    ``rule`` is a SPEC 2.6 rule name, ``schedule`` for a malformed file or wrong
    accounting, or ``objective`` for a term or sum that does not add up.
    """

    rule: str
    activity: str
    detail: str


@dataclass(frozen=True)
class Verdict:
    """A plan checked: the violations that stand, and those of frozen activities that the
    plan itself lists under ``changes.conflicts`` (kept knowingly, SPEC 2.7.1)."""

    violations: list[Violation]
    accepted: list[Violation]

    @property
    def valid(self) -> bool:
        """Whether no violation stands (accepted conflicts do not count)."""
        return not self.violations
