"""Built-in parties: countries and organisations that take part in cases.

Each party has an IANA time zone (the capital's; US ``America/New_York``, BR
``America/Sao_Paulo``), a main language (ISO 639-1) and, for countries, the
public holidays of the ``holidays`` package. A scenario's ``countries:`` entries
override or add to this catalogue.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays as holidays_lib


@dataclass(frozen=True)
class CatalogueParty:
    """A party known to planner without being declared in a scenario."""

    code: str
    name: str
    timezone: str
    language: str
    group: str  # eu | liaison | agreement | arrangement | contact_point | organisation

    @property
    def is_organisation(self) -> bool:
        """Whether the party is an organisation (Europol, EPPO, OLAF), not a country."""
        return self.group == "organisation"


_PARTIES: tuple[tuple[str, str, str, str, str], ...] = (
    # EU member states (national desks at the agency)
    ("AT", "Austria", "Europe/Vienna", "de", "eu"),
    ("BE", "Belgium", "Europe/Brussels", "nl", "eu"),
    ("BG", "Bulgaria", "Europe/Sofia", "bg", "eu"),
    ("HR", "Croatia", "Europe/Zagreb", "hr", "eu"),
    ("CY", "Cyprus", "Asia/Nicosia", "el", "eu"),
    ("CZ", "Czechia", "Europe/Prague", "cs", "eu"),
    ("DK", "Denmark", "Europe/Copenhagen", "da", "eu"),
    ("EE", "Estonia", "Europe/Tallinn", "et", "eu"),
    ("FI", "Finland", "Europe/Helsinki", "fi", "eu"),
    ("FR", "France", "Europe/Paris", "fr", "eu"),
    ("DE", "Germany", "Europe/Berlin", "de", "eu"),
    ("GR", "Greece", "Europe/Athens", "el", "eu"),
    ("HU", "Hungary", "Europe/Budapest", "hu", "eu"),
    ("IE", "Ireland", "Europe/Dublin", "en", "eu"),
    ("IT", "Italy", "Europe/Rome", "it", "eu"),
    ("LV", "Latvia", "Europe/Riga", "lv", "eu"),
    ("LT", "Lithuania", "Europe/Vilnius", "lt", "eu"),
    ("LU", "Luxembourg", "Europe/Luxembourg", "fr", "eu"),
    ("MT", "Malta", "Europe/Malta", "mt", "eu"),
    ("NL", "Netherlands", "Europe/Amsterdam", "nl", "eu"),
    ("PL", "Poland", "Europe/Warsaw", "pl", "eu"),
    ("PT", "Portugal", "Europe/Lisbon", "pt", "eu"),
    ("RO", "Romania", "Europe/Bucharest", "ro", "eu"),
    ("SK", "Slovakia", "Europe/Bratislava", "sk", "eu"),
    ("SI", "Slovenia", "Europe/Ljubljana", "sl", "eu"),
    ("ES", "Spain", "Europe/Madrid", "es", "eu"),
    ("SE", "Sweden", "Europe/Stockholm", "sv", "eu"),
    # third countries with a liaison prosecutor at the agency
    ("AL", "Albania", "Europe/Tirane", "sq", "liaison"),
    ("GE", "Georgia", "Asia/Tbilisi", "ka", "liaison"),
    ("IS", "Iceland", "Atlantic/Reykjavik", "is", "liaison"),
    ("MD", "Moldova", "Europe/Chisinau", "ro", "liaison"),
    ("ME", "Montenegro", "Europe/Podgorica", "sr", "liaison"),
    ("MK", "North Macedonia", "Europe/Skopje", "mk", "liaison"),
    ("NO", "Norway", "Europe/Oslo", "no", "liaison"),
    ("RS", "Serbia", "Europe/Belgrade", "sr", "liaison"),
    ("CH", "Switzerland", "Europe/Zurich", "de", "liaison"),
    ("UA", "Ukraine", "Europe/Kyiv", "uk", "liaison"),
    ("GB", "United Kingdom", "Europe/London", "en", "liaison"),
    ("US", "United States", "America/New_York", "en", "liaison"),
    # cooperation agreement without a liaison prosecutor
    ("LI", "Liechtenstein", "Europe/Vaduz", "de", "agreement"),
    # working arrangements
    ("AM", "Armenia", "Asia/Yerevan", "hy", "arrangement"),
    ("BO", "Bolivia", "America/La_Paz", "es", "arrangement"),
    ("CL", "Chile", "America/Santiago", "es", "arrangement"),
    ("CR", "Costa Rica", "America/Costa_Rica", "es", "arrangement"),
    ("EC", "Ecuador", "America/Guayaquil", "es", "arrangement"),
    ("PA", "Panama", "America/Panama", "es", "arrangement"),
    ("PE", "Peru", "America/Lima", "es", "arrangement"),
    # contact points
    ("CO", "Colombia", "America/Bogota", "es", "contact_point"),
    ("BR", "Brazil", "America/Sao_Paulo", "pt", "contact_point"),
    ("AR", "Argentina", "America/Argentina/Buenos_Aires", "es", "contact_point"),
    # organisations (no public holidays)
    ("EUROPOL", "Europol", "Europe/Amsterdam", "en", "organisation"),
    ("EPPO", "European Public Prosecutor's Office", "Europe/Luxembourg", "en", "organisation"),
    ("OLAF", "European Anti-Fraud Office", "Europe/Brussels", "en", "organisation"),
)

CATALOGUE: dict[str, CatalogueParty] = {row[0]: CatalogueParty(*row) for row in _PARTIES}
"""Every built-in party by code."""

EU_MEMBERS: tuple[str, ...] = tuple(p.code for p in CATALOGUE.values() if p.group == "eu")

# Codes people write by habit that are not ISO 3166-1 alpha-2.
_COUNTRY_ALIASES = {
    "UK": "GB",
    "EL": "GR",
    "GER": "DE",
    "USA": "US",
    "SP": "ES",
    "SW": "SE",
    "SZ": "CH",
    "EPO": "EPPO",
    "EUROJUST": "NL",
}

ISO_639_1: frozenset[str] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)
"""The ISO 639-1 language codes."""

# Country codes and other habits that people write for a language.
_LANGUAGE_ALIASES = {
    "gr": "el",
    "ua": "uk",
    "dk": "da",
    "se": "sv",
    "cz": "cs",
    "jp": "ja",
    "ge": "ka",
    "al": "sq",
    "si": "sl",
    "ee": "et",
    "rs": "sr",
    "me": "sr",
    "at": "de",
    "ch": "de",
    "gb": "en",
    "us": "en",
    "br": "pt",
    "cn": "zh",
    "kr": "ko",
    "am": "hy",
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "por": "pt",
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "pol": "pl",
    "rus": "ru",
    "ukr": "uk",
}


def suggest_party(code: str, known: set[str] | frozenset[str]) -> str | None:
    """Return the code a user probably meant by an unknown party code, or ``None``: the same
    code in capitals, a usual alias (``UK`` → ``GB``, ``EL`` → ``GR``), or a close known
    code.
    """
    upper = code.upper()
    if upper != code and upper in known:
        return upper
    alias = _COUNTRY_ALIASES.get(upper)
    if alias in known:
        return alias
    close = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def suggest_language(code: str) -> str | None:
    """Return the ISO 639-1 code a user probably meant, or ``None``: the code in lower case,
    a usual alias (a country code such as ``gr``, a three-letter code such as ``eng``), or
    the language of a tag such as ``en-GB``.
    """
    lower = code.lower()
    if lower != code and lower in ISO_639_1:
        return lower
    alias = _LANGUAGE_ALIASES.get(lower)
    if alias:
        return alias
    if "-" in lower or "_" in lower:  # en-GB, pt_BR
        base = lower.replace("_", "-").split("-")[0]
        if base in ISO_639_1:
            return base
    return None


@lru_cache(maxsize=512)
def public_holidays(code: str, year: int) -> dict[date, str]:
    """Return the public holidays of a country in one year, by date.

    Codes that the ``holidays`` package does not know (organisations, new
    parties) have none.
    """
    try:
        table = holidays_lib.country_holidays(code, years=year)
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in sorted(table.items())}


def holidays_supported(code: str) -> bool:
    """Return whether the ``holidays`` package knows public holidays for this code."""
    return code in holidays_lib.list_supported_countries()
