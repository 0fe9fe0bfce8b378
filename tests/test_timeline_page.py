"""The HTML timeline (SPEC 2.7.2) read as a browser lays it out: for each day, its hour
scale, the lanes of rooms, interpreters and countries, and each box where it falls, in
percent of the day's window; then what is left out and the objective.

The plan is that of tests/test_exports_whole.py: M1 on Monday 15:00-17:00 host time in
P1 (CO at 09:00-11:00 Bogota, BE absent, four interpreters), AD1 in CC1 and AD2 virtual
on Tuesday (05:00-16:00), M9 and AD3 left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from solving import make_scenario
from test_exports_whole import BODY

from planner.models import Scenario
from planner.models.schedule import Result
from planner.output.timeline import timeline_page
from planner.solve import solve


@dataclass
class Day:
    ticks: list[tuple[str, str]] = field(default_factory=list)
    """The hour scale: (label, style)."""
    lanes: list[str] = field(default_factory=list)
    boxes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """By (activity, lane): the box's class, style, title and text."""
    hours: dict[str, str] = field(default_factory=dict)
    """A country's working hours: their style."""


class Reader(HTMLParser):
    """What the page lays out, day by day, and the rows of its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[str, Day] = {}
        self.day: Day | None = None
        self.box: dict[str, str] | None = None
        self.tick: str | None = None
        self.in_scale = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.title = ""
        self.in_title = False
        self.texts: list[str] = []
        """Every piece of text the page shows, in order."""
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        classes = found.get("class", "").split()
        if tag == "section" and "day" in classes:
            self.day = self.days.setdefault(found["data-day"], Day())
        elif tag == "div" and "scale" in classes:
            self.in_scale = True
        elif tag == "span" and self.in_scale:
            self.tick = found["style"]
        elif tag == "div" and "lane" in classes and self.day is not None:
            self.day.lanes.append(found["data-lane"])
        elif tag == "div" and "hours" in classes and self.day is not None:
            self.day.hours[found["data-hours"]] = found["style"]
        elif tag == "div" and "box" in classes and self.day is not None:
            self.box = {"class": " ".join(classes), "style": found["style"], "text": ""}
            self.box["title"] = found["title"]
            self.day.boxes[found["data-activity"], found["data-lane"]] = self.box
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "title":
            self.in_title = True
        elif tag == "style":
            self.in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.in_scale = False
            if self.box is not None and self.box["text"]:
                self.box = None
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "section":
            self.day = None
        elif tag == "title":
            self.in_title = False
        elif tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.in_style:
            self.texts.append(data.strip())
        if self.tick is not None and self.day is not None:
            self.day.ticks.append((data, self.tick))
            self.tick = None
        elif self.box is not None:
            self.box["text"] += data
        if self.cell is not None:
            self.cell.append(data)
        if self.in_title:
            self.title += data


@pytest.fixture(scope="module")
def page() -> tuple[Reader, str]:
    scenario: Scenario = make_scenario(BODY)
    result: Result = solve(scenario, time_limit=20, workers=1, seed=0)
    text = timeline_page(scenario, result)
    reader = Reader()
    reader.feed(text)
    return reader, text


def test_each_day_has_its_hours_scale_and_lanes(page: tuple[Reader, str]) -> None:
    reader, _ = page
    assert list(reader.days) == ["2026-11-30", "2026-12-01"]
    monday, tuesday = reader.days["2026-11-30"], reader.days["2026-12-01"]
    # Monday: host hours 08:00-19:00 hold M1, so the window is 08:00-19:00 (660 min),
    # with a tick every two hours: 08:00 at 0 %, 10:00 at 120/660, ...
    assert monday.ticks == [
        ("08:00", "left:0.000%"),
        ("10:00", "left:18.182%"),
        ("12:00", "left:36.364%"),
        ("14:00", "left:54.545%"),
        ("16:00", "left:72.727%"),
        ("18:00", "left:90.909%"),
    ]
    # Tuesday: the centres open at 05:00, so the window is 05:00-19:00 (840 min)
    assert [label for label, _ in tuesday.ticks] == [f"{h:02d}:00" for h in range(5, 20, 2)]
    assert tuesday.ticks[-1] == ("19:00", "left:100.000%")
    # rooms in scenario order, then interpreters and countries by name; BE is absent
    assert monday.lanes == ["P1", "anna", "karl", "lucia", "marta", "CO", "DE", "NL"]
    assert tuesday.lanes == ["CC1", "virtual centres", "DE", "ES", "NL"]


def test_each_box_falls_where_its_activity_is(page: tuple[Reader, str]) -> None:
    reader, _ = page
    monday, tuesday = reader.days["2026-11-30"], reader.days["2026-12-01"]
    # M1 15:00-17:00: (900 - 480) / 660 = 63.636 %, 120 / 660 = 18.182 % wide, in its
    # room, each interpreter's and each attending country's lane
    m1 = "left:63.636%;width:18.182%"
    lanes = ["P1", "interpreter:anna", "interpreter:marta", "country:CO", "country:NL"]
    assert {lane: monday.boxes["M1", lane]["style"] for lane in lanes} == dict.fromkeys(lanes, m1)
    assert ("M1", "country:BE") not in monday.boxes
    room_box = monday.boxes["M1", "P1"]
    assert room_box["class"] == "box meeting"
    # in the room lane: its host time and the local time of the one far participant
    assert room_box["text"] == "M1 15:00-17:00CO 09:00-11:00 local"
    assert room_box["title"] == "M1 15:00-17:00 CO 09:00-11:00 local"
    # the centres 05:00-16:00: 0 %, (960 - 300) / 840 = 78.571 % wide
    centre = "left:0.000%;width:78.571%"
    assert tuesday.boxes["AD1", "CC1"]["style"] == centre
    assert tuesday.boxes["AD2", "virtual centres"]["style"] == centre
    assert tuesday.boxes["AD1", "CC1"]["class"] == "box centre"
    assert (
        tuesday.boxes["AD1", "CC1"]["text"] == "AD1 centre 05:00-16:00NL 06:00 localDE 06:00 local"
    )
    assert {lane for activity, lane in tuesday.boxes if activity == "AD1"} == {
        "CC1",
        "country:NL",
        "country:DE",
    }


def test_each_countrys_working_hours_are_shaded_in_host_time(page: tuple[Reader, str]) -> None:
    reader, _ = page
    monday, tuesday = reader.days["2026-11-30"], reader.days["2026-12-01"]
    # NL and DE 09:00-17:00: (540 - 480) / 660 = 9.091 %, 480 / 660 = 72.727 % wide;
    # CO 09:00-17:00 Bogota is 15:00-23:00 here, cut at the window's 19:00: 63.636 %,
    # 240 / 660 = 36.364 %
    assert monday.hours == {
        "CO": "left:63.636%;width:36.364%",
        "DE": "left:9.091%;width:72.727%",
        "NL": "left:9.091%;width:72.727%",
    }
    # Tuesday's window starts at 05:00: 09:00 is 240 / 840 = 28.571 %, 8 h 57.143 %
    assert tuesday.hours["ES"] == "left:28.571%;width:57.143%"


def test_what_is_left_out_and_what_the_plan_costs(page: tuple[Reader, str]) -> None:
    reader, text = page
    assert reader.title == "test"
    assert ["M9", "interpreter", "no interpreter knows both mt and en"] in reader.rows
    assert ["AD3", "unavailable", "2026-12-02: PT unavailable; 2026-12-03: PT unavailable"] in (
        reader.rows
    )
    # the terms: M9 and AD3 left out (normal, 100 each), BE absent (20), AD2 virtual (20)
    assert ["unscheduled", "200"] in reader.rows and ["optional_absent", "20"] in reader.rows
    assert ["virtual_centre", "20"] in reader.rows and ["objective", "240"] in reader.rows
    assert (
        "optimal, objective 240 (bound 240); 1 meetings and 2 action days placed, 2 left out. "
        "Times are host time (Europe/Amsterdam)." in text
    )


def test_the_page_shows_these_words_and_no_others(page: tuple[Reader, str]) -> None:
    # Every text on the page, from the plan: title and summary, each day's heading, hour
    # ticks, lane names and boxes, the left-out table and the objective's terms.
    reader, _ = page
    summary = (
        "optimal, objective 240 (bound 240); 1 meetings and 2 action days placed, 2 left out. "
        "Times are host time (Europe/Amsterdam)."
    )
    headings = ["Rooms", "Interpreters", "Countries (working hours shaded, host time)"]
    expected = {
        "test",
        summary,
        "Monday 30 November 2026",
        "Tuesday 01 December 2026",
        *headings,
        *(f"{hour:02d}:00" for hour in range(8, 19, 2)),  # Monday's ticks
        *(f"{hour:02d}:00" for hour in range(5, 20, 2)),  # Tuesday's
        *("P1", "CC1", "virtual centres", "anna", "karl", "lucia", "marta", "CO", "DE", "NL"),
        *("ES", "M1", "AD1", "AD2", "M1 15:00-17:00", "CO 09:00-11:00 local"),
        *("AD1 centre 05:00-16:00", "AD2 centre 05:00-16:00"),
        *("NL 06:00 local", "DE 06:00 local", "ES 06:00 local"),
        *("Left out", "activity", "rule", "why", "Objective", "objective", "240"),
        *("M9", "interpreter", "no interpreter knows both mt and en"),
        *("AD3", "unavailable", "2026-12-02: PT unavailable; 2026-12-03: PT unavailable"),
        *("unscheduled", "200", "lateness", "stretch", "optional_absent", "20", "0"),
        *("link_spread", "moves", "virtual_centre"),
    }
    assert set(reader.texts) == expected
    assert reader.texts.count("Rooms") == 2  # a heading per day
    assert reader.texts.count("Interpreters") == 1  # Tuesday has no interpreters


def test_a_plan_that_leaves_nothing_out_says_so() -> None:
    scenario = make_scenario(
        "rooms: [{id: P1, capacity: 20}]\n"
        "meetings: [{id: M1, case: C1, duration: 1h, participants: [{country: NL}]}]\n"
    )
    reader = Reader()
    reader.feed(timeline_page(scenario, solve(scenario, time_limit=20, workers=1)))
    assert "Nothing: every activity is placed." in reader.texts
    assert "Left out" in reader.texts and "Interpreters" not in reader.texts
