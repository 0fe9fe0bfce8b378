"""Entities of cases (SPEC 2.4): made-up IBANs, phone numbers, companies, domains and
wallets, and the same entity rewritten as another country's police would write it, so
that linked cases are found only by normalising.
"""

from __future__ import annotations

import random
import re

from planner.generate.cases import Case
from planner.generate.state import GeneratorState, draw
from planner.links import normalise_entity
from planner.models.catalogue import EU_MEMBERS


def give_entities(state: GeneratorState, cases: list[Case]) -> None:
    """Give every case one to three entities of its own, and each linked case one of its
    cluster's first case, written as another police force would write it."""
    for case in cases:
        for _ in range(state.rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
            case.entities.append(new_entity(state, case))
    clusters: dict[int, list[Case]] = {}
    for case in cases:
        if case.cluster is not None:
            clusters.setdefault(case.cluster, []).append(case)
    for cluster, members in clusters.items():
        rng = state.stream("linked") if cluster in state.networks else state.rng
        head = members[0]
        for member in members[1:]:
            shared = rng.choice(head.entities)
            member.entities.insert(0, rewrite(rng, shared))


def new_entity(state: GeneratorState, case: Case) -> str:
    """Draw an entity no case has yet: an IBAN, a phone number, a company, a domain or a
    wallet, in the style of one of the case's countries."""
    rng = state.rng
    while True:
        kind = draw(rng, {"iban": 35, "phone": 25, "company": 25, "domain": 8, "wallet": 7})
        country = rng.choice(case.countries)
        if kind == "iban":
            code = country if country in EU_MEMBERS else rng.choice(["NL", "DE", "ES"])
            digits = "".join(rng.choice("0123456789") for _ in range(18))
            text = f"{code}{rng.randint(10, 99)}{digits}"
            value = " ".join(text[i : i + 4] for i in range(0, len(text), 4))
        elif kind == "phone":
            prefix = _DIALLING_CODES.get(country, "44")
            number = f"{rng.randint(600, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
            value = f"+{prefix} {number}"
        elif kind == "company":
            form = _LEGAL_FORMS.get(country, "Ltd")
            value = f"{rng.choice(_NAME_FIRST)} {rng.choice(_NAME_SECOND)} {form}"
        elif kind == "domain":
            value = f"{rng.choice(_NAME_FIRST).lower()}-{rng.choice(_DOMAIN_WORDS)}.example"
        else:
            alphabet = "023456789acdefghjklmnpqrstuvwxyz"
            value = "bc1q" + "".join(rng.choice(alphabet) for _ in range(38))
        entity = f"{kind}:{value}"
        key = normalise_entity(entity)
        if key not in state.used_entities:
            state.used_entities.add(key)
            return entity


def rewrite(rng: random.Random, entity: str) -> str:
    """Return the same entity as another police force would write it: other spacing,
    punctuation or case, which normalises to the same key (SPEC 2.4).
    """
    kind, _, value = entity.partition(":")
    compact = re.sub(r"[\s\-.]", "", value)
    variants = [
        f"{kind}:{compact.lower()}",
        f"{kind.upper()}: {value.upper()}",
        f"{kind}:{'-'.join(value.split())}",
    ]
    if kind == "company":
        variants = [f"{kind}:{value.upper()}", f"{kind}:{value.lower()}", f"{kind}: {value}"]
    choice = rng.choice(variants)
    if normalise_entity(choice) != normalise_entity(entity):  # pragma: no cover - by design
        raise AssertionError(f"{choice!r} does not read as {entity!r}")
    return choice


_DIALLING_CODES = {
    "NL": "31", "DE": "49", "BE": "32", "FR": "33", "ES": "34", "IT": "39", "PL": "48",
    "RO": "40", "PT": "351", "SE": "46", "AT": "43", "CZ": "420", "HU": "36", "BG": "359",
    "GR": "30", "SK": "421", "LT": "370", "HR": "385", "SI": "386", "DK": "45", "FI": "358",
    "IE": "353", "LV": "371", "EE": "372", "LU": "352", "CY": "357", "MT": "356",
    "GB": "44", "CH": "41", "US": "1", "NO": "47", "UA": "380", "AL": "355", "RS": "381",
    "CO": "57", "BR": "55", "GE": "995", "MD": "373",
}  # fmt: skip

_LEGAL_FORMS = {
    "NL": "BV", "BE": "BV", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SARL",
    "LU": "SARL", "ES": "SL", "IT": "Srl", "PT": "Lda", "PL": "Sp z o o", "RO": "SRL",
    "CZ": "s r o", "SK": "s r o", "SE": "AB", "DK": "ApS", "FI": "Oy", "GB": "Ltd",
    "IE": "Ltd", "CY": "Ltd", "MT": "Ltd", "US": "LLC",
}  # fmt: skip

_NAME_FIRST = (
    "Acme", "Nordic", "Iberia", "Danube", "Baltic", "Alpine", "Atlas", "Meridian", "Helix",
    "Orion", "Vega", "Polaris", "Aurora", "Zenith", "Cobalt", "Falcon", "Harbour", "Summit",
    "Lumen", "Vertex", "Sigma", "Pioneer", "Crescent", "Granite", "Silverline", "Bluewater",
)  # fmt: skip

_NAME_SECOND = (
    "Trading", "Logistics", "Holding", "Invest", "Consulting", "Import Export", "Shipping",
    "Finance", "Digital", "Energy", "Capital", "Solutions", "Freight", "Commodities",
)  # fmt: skip

_DOMAIN_WORDS = ("pay", "crypto", "invest", "shop", "market", "secure", "cloud", "trade")
