"""What ``planner whatif`` compares (SPEC 2.7.1 "What-if"): the base plan and one plan per
variant, as plain data that :mod:`planner.output.whatif_report` prints and
:func:`planner.whatif.whatif` makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.models.scenario import Scenario
from planner.models.schedule import Changes

BASE = "base"
"""The name of the base plan's column (and of its files under ``-o DIR``)."""


@dataclass(frozen=True)
class ComparedPlan:
    """One column of a comparison: a scenario, its plan document, and (for a variant)
    what changed against the base."""

    name: str
    """``base``, or the stem of the variant's change file."""
    scenario: Scenario
    """The base scenario, or the base with the variant's change applied."""
    document: dict[str, Any]
    """The ``planner.schedule/1`` document; ``{"status": "unknown"}`` when no plan was
    found in time."""
    found: bool
    """Whether a plan was found in time."""
    against_base: Changes | None = None
    """A variant's moved and dropped activities against the base (SPEC 2.7.1)."""
    scenario_text: str = ""
    """The text of the plan's ``NAME.yaml``, whose sha256 the document carries (empty:
    the scenario written out when the files are made)."""


@dataclass(frozen=True)
class WhatIf:
    """A comparison: the base plan and the plan of each variant, in the order asked."""

    base: ComparedPlan
    variants: list[ComparedPlan]

    @property
    def plans(self) -> list[ComparedPlan]:
        """Every plan of the comparison, the base first: the table's columns."""
        return [self.base, *self.variants]
