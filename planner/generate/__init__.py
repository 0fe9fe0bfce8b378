"""Realistic scenarios calibrated to the agency's published figures (DOMAIN.md).

:func:`generate_scenario` builds a year (or some weeks) of coordination meetings
and action days as plain data that :class:`planner.models.Scenario` accepts, and
:func:`scenario_yaml` writes it as a scenario file. The same arguments always
give the same text: every draw comes from a ``random.Random`` seeded from
``seed`` and every collection is walked in a fixed order.

The scenario is what coordinators would ask for, so nearly every activity can be
placed:

- every case is a chain of one to three meetings, each ``after`` the previous
  one, and maybe an action day ``prepared_by`` the last meeting; the windows
  leave room for the gaps whatever day the earlier activity takes;
- a meeting is never longer than the common working hours of its required
  participants on every day of its window (a far participant whose hours cannot
  meet the others' attends by video and is optional);
- every window holds several days on which all required parties work (public
  holidays and the desks' days off included);
- chains are placed where the expected load is lowest, so that the work is
  spread evenly over the year;
- linked action days whose windows overlap share at least three working days
  of all their countries, and their centres' staff fits the pool together;
- every language that a participant needs has at least two interpreters.

Years unlike the calibrated one, for robustness benchmarks, come from a
:class:`Variety` of knobs (pins, preferred dates, participants' own time zones,
meetings in several languages, seasons, weekend and critical action days, desks
that do not grow); :data:`VARIANTS` names a few. The calibrated draws come from
``random.Random(seed)``; each knob draws from a stream of its own, derived from
the seed, so that a knob left at its default changes nothing and one turned on
redraws nothing else. Working days, local hours and pins are read off the
project's own time grid (:class:`planner.timegrid.TimeGrid`) and catalogue.

Every figure is a named constant of :mod:`planner.generate.calibration` (or, for
the varieties, :mod:`planner.generate.variety`), with its source: a DOMAIN.md fact,
or an estimate where DOMAIN.md gives none.

The package, one idea per module, its steps sharing one
:class:`~planner.generate.state.GeneratorState`:

- :mod:`~planner.generate.calibration`: the figures, and the volumes of a horizon;
- :mod:`~planner.generate.variety`: the knobs of years unlike the calibrated one;
- :mod:`~planner.generate.calendar`: the horizon read off the time grid;
- :mod:`~planner.generate.state`: the options, random streams and day loads;
- :mod:`~planner.generate.resources`: rooms, interpreters, desks' days away;
- :mod:`~planner.generate.cases`: cases, their parties and links;
- :mod:`~planner.generate.placing`: the cases' chains placed on the calendar;
- :mod:`~planner.generate.entities`: the entities that link cases;
- :mod:`~planner.generate.activities`: meetings and action days;
- :mod:`~planner.generate.pins`: pinned meetings;
- :mod:`~planner.generate.scenario`: the steps in order, the whole scenario;
- :mod:`~planner.generate.yaml_text`: the scenario written as a file.
"""

from planner.generate.calibration import CRIME_MIX, activity_counts
from planner.generate.scenario import describe, generate_scenario, scenario_text
from planner.generate.variety import VARIANTS, Variety, variant_name, variety_of
from planner.generate.yaml_text import scenario_yaml

__all__ = [
    "CRIME_MIX",
    "VARIANTS",
    "Variety",
    "activity_counts",
    "describe",
    "generate_scenario",
    "scenario_text",
    "scenario_yaml",
    "variant_name",
    "variety_of",
]
