"""The independent checker: re-verify a ``planner.schedule/1`` file against every hard rule.

It shares nothing with the solver, the time grid or the link graph
(``planner.solver``, ``planner.timegrid``, ``planner.links``; a test enforces it):
plain Python over aware datetimes and :mod:`zoneinfo`, reading every rule from the
validated scenario itself — team sizes, windows, caps, zones — never through a
model helper the solver uses, so that a slip in one reading shows up in the other.
Every instant is converted to UTC before two are subtracted or compared; local
clock times are read with ``fold=0``. The rules are read exactly as in
``docs/rules.md``; one module per rule family mirrors ``planner/solver/constraints/``
(see ``docs/architecture.md``). Where that page leaves the choice open, the checker
decides:

- A start off the slot grid is a ``window`` violation; an ``end`` that is not
  ``start + duration``, an unknown or missing room and a required participant
  listed as absent are ``schedule`` violations (the record itself is wrong).
- An optional participant listed as absent without any of the reasons (a)-(d)
  is a ``working_hours`` violation: reason (a) is the participant-hours rule,
  the one that would have had to block it.
- A room's unavailable window overlapping a meeting or centre is
  ``unavailable``; a wrong centre span, a centre room without the
  ``coordination_centre`` feature and a virtual centre where ``virtual: never``
  are ``centre``; unmet ``prepared_by`` is ``order``.
- Soft action-day link spread (``links.action_days: soft``) is charged on the
  same pairs that ``same_day`` would bind: different cases of one cluster whose
  clipped windows overlap.
- The calendars named by ``unavailable_ics`` are read again here, by the checker's
  own reading of their events (:mod:`planner.check.calendars`): a meeting or centre in
  a busy time of its room's or an attending party's calendar is ``unavailable``, of an
  interpreter's ``interpreter``. Relative calendar paths (a scenario built in code)
  are read from the current folder; the loader makes them absolute.
- Resource checks use the centre span computed from the date, not the span the
  file states (a wrong stated span is reported once, as ``centre``).
- Top-level keys ``schema``, ``scenario``, ``status``, ``objective``, ``terms``,
  ``meetings``, ``action_days``, ``unscheduled`` and ``infeasible`` are required;
  a meeting needs ``id``, ``start``, ``end`` and ``room``, while
  ``interpreters``, ``absent`` and ``local`` default to empty (``local``, when
  given, must name the same instants in each participant's zone). Every time
  must be written in host time. ``status: unknown`` (SPEC 2.6) is checked like
  ``feasible``; ``links.clusters`` is not compared.
"""

from planner.check.baseline import check_against_baseline
from planner.check.clusters import linked_clusters, normalise_entity
from planner.check.objective import TERMS, expected_terms
from planner.check.plan import HeldActionDay, HeldMeeting, Plan, centre_span
from planner.check.reading import RULES, ScheduleFileError, load_schedule
from planner.check.report import accepted_conflicts, verify
from planner.check.schedule import HARD_RULES, SCHEDULE_SCHEMA, STATUSES, check_schedule
from planner.models.violations import Verdict, Violation

__all__ = [
    "HARD_RULES",
    "RULES",
    "SCHEDULE_SCHEMA",
    "STATUSES",
    "TERMS",
    "HeldActionDay",
    "HeldMeeting",
    "Plan",
    "ScheduleFileError",
    "Verdict",
    "Violation",
    "accepted_conflicts",
    "centre_span",
    "check_against_baseline",
    "check_schedule",
    "expected_terms",
    "linked_clusters",
    "load_schedule",
    "normalise_entity",
    "verify",
]
