"""Change files (SPEC 2.7, what-if) as a coordinator writes them: what each says when an
id is unknown, where a problem is located in the change file (the update or addition
that causes it, the removal that leaves a reference behind), and two changes made one
(the page keeps its edits so)."""

from __future__ import annotations

import pytest
from solving import make_scenario

from planner.change import apply_change, change_yaml, merged, parse_change
from planner.models import Scenario
from planner.models.problems import InputError

SCENARIO = """
rooms: [{id: P1, capacity: 20}, {id: P2, capacity: 20}]
interpreters: [{id: anna, languages: [de, en]}]
cases: [{id: C1, crime: fraud, countries: [NL, DE]}, {id: C2, crime: fraud, countries: [NL]}]
meetings:
  - {id: M1, case: C1, duration: 1h, participants: [{country: NL}, {country: DE}]}
  - {id: M2, case: C2, duration: 1h, after: [{meeting: M1, gap: 1h}],
     participants: [{country: NL}]}
action_days:
  - {id: AD1, case: C1, countries: [NL], prepared_by: [{meeting: M1, gap: 1d}]}
"""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make_scenario(SCENARIO)


def problems(scenario: Scenario, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        apply_change(scenario, parse_change(text, "change.yaml"))
    assert caught.value.source == "change.yaml"
    return [str(problem) for problem in caught.value.problems]


def test_every_unknown_id_is_named_with_what_it_should_be(scenario: Scenario) -> None:
    text = (
        "remove: {rooms: [X1], interpreters: [X2], cases: [X3], meetings: [X4],\n"
        "         action_days: [X5], countries: [X6]}\n"
        "update: {countries: {QQ: {desk_capacity: 1}}, action_days: {X7: {staff: 1}}}\n"
    )
    assert problems(scenario, text) == [
        "remove.rooms[0] (line 1): unknown room 'X1': the scenario has none",
        "remove.interpreters[0] (line 1): unknown interpreter 'X2': the scenario has none",
        "remove.cases[0] (line 1): unknown case 'X3': the scenario has none",
        "remove.meetings[0] (line 1): unknown meeting 'X4': the scenario has none",
        "remove.action_days[0] (line 2): unknown action day 'X5': the scenario has none",
        "remove.countries[0] (line 2): unknown country entry 'X6': the scenario has none",
        "update.countries.QQ (line 3): unknown country entry 'QQ': the scenario has none",
        "update.action_days.X7 (line 3): unknown action day 'X7': the scenario has none",
    ]


def test_an_update_cannot_rename(scenario: Scenario) -> None:
    assert problems(scenario, "update:\n  meetings:\n    M1: {id: M9}\n") == [
        "update.meetings.M1.id (line 3): an update cannot rename"
    ]


def test_a_country_entry_cannot_be_renamed_either(scenario: Scenario) -> None:
    # a country entry is named by its code
    assert problems(scenario, "update:\n  countries:\n    DE: {code: FR}\n") == [
        "update.countries.DE.code (line 3): an update cannot rename"
    ]


def test_a_catalogue_country_can_be_updated_without_being_listed(scenario: Scenario) -> None:
    # BE is not in the scenario's countries, only in the catalogue: the update adds its
    # entry, with its catalogue zone kept.
    changed = apply_change(
        scenario, parse_change("update:\n  countries:\n    BE: {desk_capacity: 1}\n", "c")
    )
    assert changed.parties["BE"].desk_capacity == 1
    assert changed.parties["BE"].timezone == scenario.parties["BE"].timezone == "Europe/Brussels"
    assert scenario.parties["BE"].desk_capacity == 2  # the scenario itself is unchanged


def test_a_reference_left_behind_is_located_at_the_removal_that_left_it(
    scenario: Scenario,
) -> None:
    # Removing P2 is harmless; removing M1 leaves M2's order and AD1's preparation naming
    # a meeting that is gone: both are told at M1's removal (line 3), not at P2's.
    assert problems(scenario, "remove:\n  rooms: [P2]\n  meetings: [M1]\n") == [
        "remove.meetings[0] (line 3): action_days[0].prepared_by[0].meeting: unknown meeting 'M1'",
        "remove.meetings[0] (line 3): meetings[0].after[0].meeting: unknown meeting 'M1'",
    ]


def test_a_problem_of_an_added_or_updated_entry_is_located_at_it(scenario: Scenario) -> None:
    text = (
        "add:\n"
        "  meetings:\n"
        "    - {id: M5, case: C1, duration: 1h, participants: [{country: NL}]}\n"
        "    - {id: M6, case: C1, duration: 30h, participants: [{country: NL}]}\n"
        "update:\n"
        "  meetings:\n"
        "    M2: {duration: 0}\n"
    )
    # in the order of the changed scenario's entries: M2 (updated) before M6 (added)
    assert problems(scenario, text) == [
        "update.meetings.M2.duration (line 7): Input should be greater than 0",
        "add.meetings[1].duration (line 4): 1d6h is longer than a day (1d)",
    ]


def test_two_changes_made_one_keep_the_second_where_they_meet() -> None:
    # The page adds each edit to the ones before: an entry updated twice has the second
    # value of a field both set and the first of a field only it set; removals and
    # additions add up.
    first = parse_change(
        "update: {meetings: {M1: {duration: 2h, priority: low}}}\nremove: {rooms: [P2]}\n", "a"
    ).edits
    second = parse_change(
        "update: {meetings: {M1: {duration: 3h}}}\nremove: {rooms: [P1]}\n"
        "add: {rooms: [{id: P3, capacity: 5}]}\n",
        "b",
    ).edits
    assert change_yaml(merged(first, second)) == (
        "add:\n"
        "  rooms:\n"
        "  - capacity: 5\n"
        "    id: P3\n"
        "remove:\n"
        "  rooms:\n"
        "  - P2\n"
        "  - P1\n"
        "update:\n"
        "  meetings:\n"
        "    M1:\n"
        "      duration: 3h\n"
        "      priority: low\n"
    )
    assert change_yaml(parse_change("", "empty").edits) == "{}\n"


def test_what_an_earlier_change_said_stays_when_a_later_one_says_nothing_of_it() -> None:
    # The page's edits in the order a coordinator makes them: a meeting added and a room
    # removed, then a pin, which says nothing of additions or removals: both stay.
    first = parse_change(
        "add: {meetings: [{id: M8, case: C1, duration: 1h, participants: [{country: NL}]}]}\n"
        "remove: {rooms: [P2]}\n",
        "a",
    ).edits
    pin = parse_change("update: {meetings: {M1: {pinned: {room: P1}}}}\n", "b").edits
    assert change_yaml(merged(first, pin)) == (
        "add:\n"
        "  meetings:\n"
        "  - case: C1\n"
        "    duration: 1h\n"
        "    id: M8\n"
        "    participants:\n"
        "    - country: NL\n"
        "remove:\n"
        "  rooms:\n"
        "  - P2\n"
        "update:\n"
        "  meetings:\n"
        "    M1:\n"
        "      pinned:\n"
        "        room: P1\n"
    )


def test_a_change_file_keeps_the_letters_of_its_names() -> None:
    # Ids are free text: a room named in another alphabet or with accents is written as
    # it is, not as escapes a coordinator cannot read.
    edits = parse_change("remove: {rooms: [Salle-Érasme, Zaal-Ωmega]}\n", "c").edits
    assert change_yaml(edits) == "remove:\n  rooms:\n  - Salle-Érasme\n  - Zaal-Ωmega\n"


def test_a_country_the_scenario_lists_is_changed_by_its_code() -> None:
    # DE is listed, away on Wednesday. An update moves its absence to Thursday (the entry
    # found by its code, not added again); a removal takes the entry away (DE is the
    # catalogue's again, away on no day).
    listed = make_scenario(SCENARIO + "countries: [{code: DE, unavailable: [2026-12-02]}]\n")
    update = "update:\n  countries:\n    DE: {unavailable: [2026-12-03]}\n"
    moved = apply_change(listed, parse_change(update, "c"))
    assert [c.code for c in moved.countries] == ["DE"]
    assert [str(u.date) for u in moved.parties["DE"].unavailable] == ["2026-12-03"]
    removed = apply_change(listed, parse_change("remove: {countries: [DE]}\n", "c"))
    assert list(removed.countries) == [] and list(removed.parties["DE"].unavailable) == []


def test_every_unknown_id_and_every_rename_is_told_not_only_the_first(scenario: Scenario) -> None:
    text = (
        "remove: {rooms: [X1, X2]}\n"
        "update:\n"
        "  meetings: {X3: {duration: 2h}, X4: {duration: 2h}, M1: {id: M7}, M2: {id: M8}}\n"
    )
    assert problems(scenario, text) == [
        "remove.rooms[0] (line 1): unknown room 'X1': the scenario has none",
        "remove.rooms[1] (line 1): unknown room 'X2': the scenario has none",
        "update.meetings.X3 (line 3): unknown meeting 'X3': the scenario has none",
        "update.meetings.X4 (line 3): unknown meeting 'X4': the scenario has none",
        "update.meetings.M1.id (line 3): an update cannot rename",
        "update.meetings.M2.id (line 3): an update cannot rename",
    ]


def test_an_addition_to_a_block_the_scenario_does_not_have(scenario: Scenario) -> None:
    # The scenario lists no countries: a change adds the first entry; one that breaks a
    # rule is located at its addition.
    added = apply_change(
        scenario, parse_change("add:\n  countries: [{code: DE, desk_capacity: 1}]\n", "c")
    )
    assert [c.code for c in added.countries] == ["DE"] and added.parties["DE"].desk_capacity == 1
    assert problems(scenario, "add:\n  countries: [{code: DE, desk_capacity: 0}]\n") == [
        "add.countries[0].desk_capacity (line 2): Input should be greater than or equal to 1"
    ]
