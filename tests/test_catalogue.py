"""The built-in parties, their zones and holidays, and the scenario's ``countries:`` block."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.loading import parse_scenario
from planner.models.catalogue import (
    CATALOGUE,
    EU_MEMBERS,
    ISO_639_1,
    holidays_supported,
    public_holidays,
    suggest_language,
    suggest_party,
)
from planner.models.types import HourRange

COUNTRIES = sorted(code for code, party in CATALOGUE.items() if not party.is_organisation)
ORGANISATIONS = sorted(code for code, party in CATALOGUE.items() if party.is_organisation)

# The horizons of the scenarios in this repository lie in these years.
YEARS = (2026, 2027)


def test_the_catalogue_has_the_agencys_partners() -> None:
    # DOMAIN.md: 27 EU desks, 12 liaison countries, LI, 7 working arrangements, CO BR AR.
    assert len(EU_MEMBERS) == 27
    groups = {party.group for party in CATALOGUE.values()}
    assert groups == {"eu", "liaison", "agreement", "arrangement", "contact_point", "organisation"}
    liaison = {code for code, party in CATALOGUE.items() if party.group == "liaison"}
    assert liaison == set("AL GE IS MD ME MK NO RS CH UA GB US".split())
    assert set(ORGANISATIONS) == {"EUROPOL", "EPPO", "OLAF"}
    assert {"CO", "BR", "AR", "CL", "LI"} <= set(CATALOGUE)
    assert "UK" not in CATALOGUE


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_party_has_a_real_zone_and_language(code: str) -> None:
    party = CATALOGUE[code]
    assert party.code == code
    ZoneInfo(party.timezone)  # raises when the zone does not exist
    assert party.language in ISO_639_1


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("NL", "Europe/Amsterdam"),
        ("US", "America/New_York"),  # the capital's zone would be the same; not Chicago
        ("BR", "America/Sao_Paulo"),  # not Brasilia's own zone name
        ("PT", "Europe/Lisbon"),
        ("GE", "Asia/Tbilisi"),
        ("CL", "America/Santiago"),
        ("UA", "Europe/Kyiv"),
    ],
)
def test_catalogue_zones(code: str, zone: str) -> None:
    assert CATALOGUE[code].timezone == zone


@pytest.mark.parametrize("code", COUNTRIES)
def test_holidays_load_for_every_country(code: str) -> None:
    assert holidays_supported(code)
    for year in YEARS:
        table = public_holidays(code, year)
        assert all(day.year == year for day in table)
        assert all(isinstance(name, str) and name for name in table.values())
        if code == "UA":
            # Ukraine's public holidays are suspended under martial law; the
            # `holidays` package knows it.
            assert table == {}
        else:
            assert table, f"no public holidays for {code} in {year}"


@pytest.mark.parametrize("code", ORGANISATIONS)
def test_organisations_have_no_holidays(code: str) -> None:
    assert not holidays_supported(code)
    assert public_holidays(code, 2026) == {}
    scenario = parse_scenario(
        "schema: planner.scenario/1\nhorizon: {start: 2026-12-21, end: 2026-12-31}\n"
    )
    party = scenario.parties[code]
    assert party.is_organisation
    assert party.holidays is False


@pytest.mark.parametrize(
    ("code", "day", "name"),
    [
        ("PT", date(2026, 12, 1), "Restoration of Independence Day"),
        ("RO", date(2026, 11, 30), "Saint Andrew's Day"),
        ("RO", date(2026, 12, 1), "National Day"),
        ("US", date(2026, 11, 26), "Thanksgiving Day"),
        ("NL", date(2026, 12, 25), "Christmas Day"),
        ("AT", date(2026, 10, 26), "National Day"),
    ],
)
def test_known_holidays(code: str, day: date, name: str) -> None:
    assert public_holidays(code, day.year)[day] == name


def test_no_dutch_holiday_in_week_49() -> None:
    week = {date(2026, 11, 30) + timedelta(days=n) for n in range(5)}
    assert not week & set(public_holidays("NL", 2026))


@pytest.mark.parametrize(
    ("written", "meant"),
    [("UK", "GB"), ("uk", "GB"), ("nl", "NL"), ("EL", "GR"), ("USA", "US"), ("Europol", "EUROPOL")],
)
def test_suggest_party(written: str, meant: str) -> None:
    assert suggest_party(written, set(CATALOGUE)) == meant


def test_suggest_party_gives_up_on_nonsense() -> None:
    assert suggest_party("QQ", set(CATALOGUE)) is None
    assert suggest_party("off", set(CATALOGUE)) is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [("EN", "en"), ("ger", "de"), ("ua", "uk"), ("gr", "el"), ("pt-BR", "pt"), ("en_GB", "en")],
)
def test_suggest_language(written: str, meant: str) -> None:
    assert suggest_language(written) == meant


def test_suggest_language_gives_up_on_nonsense() -> None:
    assert suggest_language("xx") is None
    assert suggest_language("klingon") is None


# ---- the scenario's view: catalogue plus ``countries:`` ----------------------------------

SCENARIO = """\
schema: planner.scenario/1
horizon: {start: 2026-11-30, end: 2026-12-04}
defaults: {working_hours: "08:30-16:30", desk_capacity: 3}
countries:
  - code: PT
    timezone: Atlantic/Azores
    working_hours: "09:00-18:00"
    desk_capacity: 5
    unavailable: [2026-12-03, {date: 2026-12-02, hours: "13:00-17:00"}]
  - {code: RO, holidays: none}
  - {code: INTERPOL, name: Interpol, timezone: Europe/Paris, language: fr}
  - {code: EUROPOL, holidays: auto}
"""


def test_parties_take_defaults_from_the_scenario() -> None:
    parties = parse_scenario(SCENARIO).parties
    germany = parties["DE"]
    assert (germany.name, germany.timezone, germany.language) == ("Germany", "Europe/Berlin", "de")
    assert germany.working_hours == HourRange(510, 990)  # defaults.working_hours
    assert germany.desk_capacity == 3  # defaults.desk_capacity
    assert germany.holidays is True
    assert germany.unavailable == ()
    assert germany.is_organisation is False
    assert set(CATALOGUE) <= set(parties)


def test_countries_entry_overrides_the_catalogue() -> None:
    portugal = parse_scenario(SCENARIO).parties["PT"]
    assert portugal.timezone == "Atlantic/Azores"
    assert portugal.working_hours == HourRange(540, 1080)
    assert portugal.desk_capacity == 5
    assert [(u.date, u.hours) for u in portugal.unavailable] == [
        (date(2026, 12, 3), None),
        (date(2026, 12, 2), HourRange(780, 1020)),
    ]
    assert portugal.name == "Portugal" and portugal.language == "pt"  # not overridden
    assert portugal.holidays is True


def test_countries_entry_switches_holidays() -> None:
    parties = parse_scenario(SCENARIO).parties
    assert parties["RO"].holidays is False  # holidays: none
    assert parties["EUROPOL"].holidays is True  # an organisation may opt in


def test_countries_entry_adds_a_new_party() -> None:
    scenario = parse_scenario(
        SCENARIO
        + "cases: [{id: EJ-1, crime: fraud, countries: [NL, INTERPOL]}]\n"
        + "meetings:\n  - {id: CM-1, case: EJ-1, duration: 1h, "
        "participants: [{country: INTERPOL, language: fr}]}\n"
    )
    interpol = scenario.parties["INTERPOL"]
    assert (interpol.name, interpol.timezone, interpol.language) == (
        "Interpol",
        "Europe/Paris",
        "fr",
    )
    assert interpol.working_hours == HourRange(510, 990)
    assert interpol.desk_capacity == 3
    assert interpol.holidays is True  # auto, but the holidays package knows no INTERPOL
    assert public_holidays("INTERPOL", 2026) == {}
    assert interpol.is_organisation is False
    assert scenario.participant_timezone(scenario.meetings[0].participants[0]) == "Europe/Paris"


def test_participant_timezone_overrides_its_country() -> None:
    scenario = parse_scenario(
        SCENARIO
        + "cases: [{id: EJ-1, crime: fraud, countries: [US]}]\n"
        + "meetings:\n  - {id: CM-1, case: EJ-1, duration: 1h, participants: "
        "[{country: US, timezone: America/Los_Angeles}, {country: CL}]}\n"
    )
    west, chile = scenario.meetings[0].participants
    assert scenario.participant_timezone(west) == "America/Los_Angeles"
    assert scenario.participant_timezone(chile) == "America/Santiago"
    assert scenario.parties["US"].timezone == "America/New_York"  # unchanged for others
