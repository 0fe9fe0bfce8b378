"""The calibration: every figure of a generated year, from DOMAIN.md or estimated.

Each constant names its source: a DOMAIN.md fact about the agency's 2024 year
(volumes, crime mix, who sits at the table, rooms), or an estimate where DOMAIN.md
gives none. :func:`activity_counts` scales the volumes to a horizon.
"""

from __future__ import annotations

from planner.models.scenario import Defaults, Host, Interpretation, Objective

MEETINGS_PER_YEAR = 640
"""Coordination meetings per year (DOMAIN.md "Volumes": 2024)."""

ACTION_DAYS_PER_YEAR = 32
"""Action days (coordination centres) per year (DOMAIN.md "Volumes": 2024, a record)."""

WEEKS_PER_YEAR = 52
"""Volumes per week are the year's over 52 weeks."""

CRIME_MIX: dict[str, float] = {
    # DOMAIN.md "Volumes": CMs in 2024 by crime type, and 2023 counts for the rest
    # (terrorism 22 + 45 % in 2024; intellectual property "more than doubled").
    "fraud": 152,
    "money_laundering": 138,
    "cybercrime": 121,
    "drug_trafficking": 110,
    "thb": 54,
    "mocg": 36,
    "terrorism": 32,
    "migrant_smuggling": 31,
    "core_international": 20,
    "pif": 16,
    "corruption": 13,
    "ip_crime": 8,
    "environmental": 6,
    "other": 25,  # estimate: cases that fit no listed type
}

ACTION_DAY_CRIME_MIX: dict[str, float] = {
    # DOMAIN.md: "More than half of the CCs concern economic crime; then drugs,
    # cybercrime, organised crime, migrant smuggling."
    "fraud": 22,
    "money_laundering": 20,
    "pif": 6,
    "corruption": 4,
    "drug_trafficking": 16,
    "cybercrime": 12,
    "mocg": 8,
    "migrant_smuggling": 6,
    "thb": 4,
    "terrorism": 2,
}

COUNTRIES_PER_MEETING: dict[int, float] = {
    # DOMAIN.md "Who sits at the table" (estimate): 2: 55 %, 3: 25 %, 4-5: 15 %, 6-10: 5 %.
    2: 55,
    3: 25,
    4: 9,
    5: 6,
    6: 1.6,
    7: 1.2,
    8: 1.0,
    9: 0.7,
    10: 0.5,
}

COUNTRIES_PER_ACTION_DAY: dict[tuple[int, int], float] = {
    # DOMAIN.md (estimate): 2-3: 30 %, 4-6: 45 %, 7-10: 20 %, 11-15: 5 %.
    (2, 3): 30,
    (4, 6): 45,
    (7, 10): 20,
    (11, 15): 5,
}

THIRD_COUNTRY_SHARE = 0.20
"""Meetings with a country outside the EU (DOMAIN.md: "about 20 % of CMs")."""

THIRD_COUNTRY_BIAS: dict[int, float] = {2: 0.85, 3: 1.0, 4: 1.25, 5: 1.25}
"""Estimate: larger cases reach outside the EU more often (6 countries or more: 2.0);
weighted by ``COUNTRIES_PER_MEETING`` the bias averages 1."""

EUROPOL_MEETING_SHARE = 121 / 640
"""DOMAIN.md: Europol joined 121 of the 640 CMs in 2024 ..."""

EUROPOL_ACTION_DAY_SHARE = 7 / 32
"""... and 7 of the 32 CCs."""

EU_DESK_WEIGHTS: dict[str, float] = {
    # Estimate: how often each national desk takes part in cases (the annual reports
    # rank DE, IT, ES, FR, NL among the most active); NL, the host, takes part often.
    "DE": 14, "NL": 14, "IT": 12, "ES": 11, "FR": 11, "BE": 8, "PL": 7, "RO": 7,
    "PT": 5, "SE": 5, "AT": 5, "CZ": 4, "HU": 4, "BG": 3, "GR": 3, "SK": 3, "LT": 3,
    "HR": 2, "SI": 2, "DK": 2, "FI": 2, "IE": 2, "LV": 2, "EE": 1.5, "LU": 1.5,
    "CY": 1, "MT": 1,
}  # fmt: skip

THIRD_COUNTRY_WEIGHTS: dict[str, float] = {
    # Estimate: liaison prosecutors first (DOMAIN.md), then working arrangements and
    # contact points, including the far zones of Latin America.
    "GB": 10, "CH": 8, "US": 8, "NO": 6, "UA": 6, "AL": 5, "RS": 5, "MD": 3, "GE": 3,
    "CO": 3, "BR": 3, "ME": 2, "MK": 2, "AR": 1.5, "IS": 1, "LI": 1, "AM": 1, "CL": 1,
    "PE": 1, "EC": 1, "BO": 0.5, "PA": 0.5, "CR": 0.5,
}  # fmt: skip

THIRD_COUNTRY_AFFINITY: dict[str, dict[str, float]] = {
    # Estimate: where each kind of crime leads outside the EU.
    "drug_trafficking": {"CO": 6, "BR": 4, "EC": 4, "PE": 2, "AL": 3},
    "cybercrime": {"US": 6, "UA": 4, "GB": 3},
    "migrant_smuggling": {"RS": 4, "AL": 3, "MK": 3, "GB": 3},
    "core_international": {"UA": 12, "GE": 2},
    "terrorism": {"GB": 3, "US": 3, "CH": 2},
    "thb": {"MD": 3, "UA": 2, "AL": 2},
}

MEETINGS_PER_CASE: dict[int, float] = {1: 35, 2: 37, 3: 28}
"""Estimate: 1-3 meetings per case, about 330 cases for 640 meetings."""

MEETING_DURATIONS: dict[int, float] = {
    # DOMAIN.md: "CMs typically 2-4 h, sometimes a full day" (5-6 h here, 5 %).
    90: 10, 120: 30, 150: 10, 180: 25, 210: 5, 240: 15, 300: 2.5, 360: 2.5,
}  # fmt: skip

WINDOW_WEEKS: dict[int, float] = {1: 30, 2: 35, 3: 20, 4: 15}
"""Estimate: a meeting's window (earliest..latest) is one to four weeks."""

PRIORITIES: dict[str, float] = {"normal": 84, "high": 10, "low": 6}
"""Estimate, for meetings that prepare no action day (those are all ``high``)."""
CRITICAL_SHARE = 0.01
"""About one meeting in a hundred must be held (estimate)."""

DELEGATES: dict[int, float] = {1: 35, 2: 40, 3: 17, 4: 8}
IN_PERSON_SHARE = 0.7
"""Estimate: most delegations travel to The Hague; the rest join by video."""

INTERPRETED_SHARE = 0.30
"""Estimate: delegations that do not speak English ask for interpretation this often."""

INTERPRETED_MEETINGS_PER_INTERPRETER = 25
"""Estimate: one interpreter per 25 interpreted meetings a year, at least two per
language (DOMAIN.md: "at least two security-cleared interpreters per language")."""

MEETING_ROOMS = ((60, True), (40, True), (24, False), (16, False), (12, False))
"""DOMAIN.md "Rooms": 4-6 meeting rooms, 2-3 with booths; (capacity, booths) per unit of scale."""

MEETING_ROOMS_PER_UNIT = 5
CENTRE_ROOMS_PER_UNIT = 1.5
"""DOMAIN.md: one or two dedicated CC rooms."""

CENTRE_STAFF_PER_UNIT = 6
DESK_CAPACITY_PER_UNIT = 2
"""A national desk follows two activities at once (SPEC's default); an agency with
several times the work has several times the desk staff, as it has the rooms."""
LINKED_CASE_SHARE = 0.10
"""Estimate: cases that share an entity with another case."""

JOINT_ACTION_DAY_SHARE = 0.20
"""Estimate: action days struck together with a linked case's on the same date."""

ACTION_DAY_GAP_DAYS = (7, 28)
"""DOMAIN.md: "The last preparatory CM is typically 1-4 weeks before the action day"."""

FOLLOW_UP_GAP_DAYS = (1, 7)
ACTION_DAY_WINDOW_DAYS = (7, 14)
ACTION_DAY_LOCAL_STARTS: dict[int, float] = {300: 10, 330: 10, 360: 50, 390: 15, 420: 15}
"""DOMAIN.md: operations from about 06:00 local ..."""

ACTION_DAY_DURATIONS: dict[int, float] = {600: 40, 630: 10, 660: 25, 690: 5, 720: 20}
"""... for 10-12 h."""

WINTER_BREAK = ((12, 23), (1, 3))
"""No window touches 23 December - 3 January: the agency works, but cases do not meet."""

MIN_COMMON_MINUTES = 60
"""A far participant is required only when the meeting can still last this long."""

FAR_OFFSET_HOURS = 3
"""A party at least this far from the host's clock always joins by video."""

CANDIDATE_ANCHORS = 12
"""Start dates tried per case; the least loaded one wins."""

PREFERRED_CHANCE = 0.75
"""Estimate: about half the meetings prefer their earliest date; this is the chance
for those whose window allows it (see :func:`may_prefer`)."""

LATENESS_BUDGET = 0.8
"""The share of a meeting's ``unscheduled`` weight that its lateness may reach."""

HOST = Host()
OBJECTIVE = Objective()
DEFAULTS = Defaults()
INTERPRETATION = Interpretation()


def activity_counts(*, scale: float, weeks: int | None) -> tuple[int, int]:
    """Meetings and action days for a scale and horizon: the 2024 volumes pro rata.

    A horizon of one week has no action day: the last preparatory meeting comes at
    least a week before it (``ACTION_DAY_GAP_DAYS``). From two weeks on there is
    at least one, as long as there is a meeting to prepare it.
    """
    if weeks is None:
        meetings = round(MEETINGS_PER_YEAR * scale)
        return meetings, round(ACTION_DAYS_PER_YEAR * scale) if meetings else 0
    meetings = round(MEETINGS_PER_YEAR * scale * weeks / WEEKS_PER_YEAR)
    action_days = round(ACTION_DAYS_PER_YEAR * scale * weeks / WEEKS_PER_YEAR)
    if weeks < 2 or meetings == 0:
        return meetings, 0
    return meetings, max(1, action_days)
