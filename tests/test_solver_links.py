"""Linked investigations planned together (SPEC 2.4), solved for real and checked."""

from __future__ import annotations

from datetime import date

import pytest
from solving import solve_checked

# C1 and C2 are linked only by one IBAN, written two ways.
LINKED = """
links: {action_days: %s, meetings_within: %s}
rooms:
  - {id: P1, capacity: 40}
  - {id: CC1, capacity: 24, features: [coordination_centre]}
  - {id: CC2, capacity: 24, features: [coordination_centre]}
cases:
  - {id: C1, crime: fraud, countries: [NL, DE], entities: ["iban:NL91 ABNA 0417 1643 00"]}
  - {id: C2, crime: cybercrime, countries: [NL, FR], entities: ["IBAN: nl91abna041716-4300"]}
countries: [{code: FR, unavailable: [%s]}]
"""

ACTION_DAYS = """
action_days:
  - {id: AD1, case: C1, countries: [NL, DE], earliest: 2026-12-01, latest: 2026-12-03}
  - {id: AD2, case: C2, countries: [NL, FR], earliest: 2026-12-03, latest: 2026-12-04}
"""


def test_hidden_link_puts_both_action_days_on_the_one_shared_date() -> None:
    # The windows share only Thu 3 Dec: both action days are held then, objective 0.
    _, result = solve_checked(LINKED % ("same_day", "1d", "2026-12-31") + ACTION_DAYS)
    assert {a.id: a.date for a in result.action_days} == {
        "AD1": date(2026, 12, 3),
        "AD2": date(2026, 12, 3),
    }
    assert result.objective == 0
    assert result.links.clusters == [["C1", "C2"]]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # FR is away on Thu 3 Dec, so AD2 can only be on Fri 4 Dec and AD1 at most on Thu:
        # same_day cannot hold both, one high action day is left out: 1000.
        ("same_day", 1000),
        # soft: AD1 on Thu, AD2 on Fri, one day apart: 1 x link_spread_per_day 2 = 2.
        ("soft", 2),
        # ignore: no rule, nothing to pay.
        ("ignore", 0),
    ],
)
def test_link_modes_for_action_days(mode: str, expected: int) -> None:
    _, result = solve_checked(LINKED % (mode, "1d", "2026-12-03") + ACTION_DAYS)
    assert result.objective == expected
    if mode == "same_day":
        (left_out,) = result.unscheduled
        assert left_out.rule == "link_same_day"
        assert "AD1" in left_out.reasons[0] or "AD2" in left_out.reasons[0]
    else:
        assert len(result.action_days) == 2
        assert result.terms and result.terms["link_spread"] == expected


MEETINGS = """
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: DE}],
     pinned: {date: 2026-11-30}}
  - {id: M2, case: C2, duration: 1h, earliest: 2026-12-03,
     participants: [{country: NL}, {country: FR}]}
"""


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        # M1 is on Mon 30 Nov, M2 on Thu 3 Dec at the earliest: 3 days apart, 2 beyond the
        # 1 day allowed, x 2 = 4.
        ("1d", 4),
        # within 3 days: nothing beyond, 0.
        ("3d", 0),
    ],
)
def test_linked_meetings_sharing_a_country_are_kept_close(within: str, expected: int) -> None:
    _, result = solve_checked(LINKED % ("same_day", within, "2026-12-31") + MEETINGS)
    assert result.objective == expected
    assert result.terms and result.terms["link_spread"] == expected
    assert [m.start.date() for m in result.meetings] == [date(2026, 11, 30), date(2026, 12, 3)]
