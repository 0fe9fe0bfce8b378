"""The scenario-wide settings: the host, the horizon, defaults, weights (SPEC 2, 2.8).

One frozen model per top-level block of a scenario file (``host``, ``horizon``,
``defaults``, ``interpretation``, ``coordination_centre``, ``links``, ``objective``).
Every field carries the default of SPEC 2.8 and a description for the JSON Schema of
``planner.scenario/1``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from planner.models.limits import MAX_HORIZON_DAYS
from planner.models.types import Date, DayDuration, Duration, HourRange, Hours
from planner.models.values import Count, Frozen, PositiveDuration, Priority, Timezone, Weight


class Host(Frozen):
    """The agency that hosts the meetings: its country, clock, opening hours, holidays."""

    country: str = Field(
        "NL",
        description="The host's country code (ISO 3166-1 alpha-2): its public holidays "
        "close the agency when `holidays` is `auto`. Default `NL`.",
    )
    timezone: Timezone = Field(
        "Europe/Amsterdam",
        description="The host's IANA time zone: host time, in which slots, host dates, "
        "rooms and interpreters are read. Default `Europe/Amsterdam`.",
    )
    hours: Hours = Field(
        HourRange(8 * 60, 19 * 60),
        description='The hours in which meetings are held, host time, `"HH:MM-HH:MM"`. '
        'Default `"08:00-19:00"`; centres of action days ignore them.',
    )
    holidays: Literal["auto", "none"] = Field(
        "auto",
        description="`auto`: no meeting on a public holiday of the host country; `none`: "
        "the agency works on every weekday. Default `auto`.",
    )


class Horizon(Frozen):
    """The host dates planned, both included; at most three years (SPEC 2.7.4)."""

    start: Date = Field(description="The first host date planned, `YYYY-MM-DD`. Required.")
    end: Date = Field(description="The last host date planned, `YYYY-MM-DD`, included. Required.")

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        """Refuse an end before the start, and a horizon over three years (SPEC 2.7.4)."""
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.days > MAX_HORIZON_DAYS:
            raise ValueError(
                f"{self.days} days from {self.start} to {self.end}: "
                f"a horizon is at most three years ({MAX_HORIZON_DAYS} days)"
            )
        return self

    @property
    def days(self) -> int:
        """The number of host dates planned, both ends included."""
        return (self.end - self.start).days + 1


class Defaults(Frozen):
    """Values that apply to every party and meeting unless a ``countries`` entry says
    otherwise (SPEC 2.1, 2.8)."""

    working_hours: Hours = Field(
        HourRange(9 * 60, 17 * 60),
        description="Participants' working hours in their own local time, Monday to "
        'Friday, `"HH:MM-HH:MM"`. Default `"09:00-17:00"`.',
    )
    stretch: DayDuration = Field(
        0,
        description="How far a meeting may reach before or after a participant's working "
        "hours, at a cost per started 15 minutes (`objective.stretch_per_15m`). A "
        "duration (`30m`, `1h`); default `0m`.",
    )
    desk_capacity: Count = Field(
        2,
        ge=1,
        description="How many activities a national desk attends at once (meetings and "
        "action-day centres). Default 2.",
    )
    room_buffer: DayDuration = Field(
        15,
        description="Free time between two uses of one room. A duration; default `15m`.",
    )
    host_staff: Count = Field(
        2,
        description="Agency staff in the room at every meeting, counted against its "
        "capacity. Default 2.",
    )


class Interpretation(Frozen):
    """How interpretation is staffed (SPEC 2.1 "Interpreters")."""

    solo_max: DayDuration = Field(
        60,
        description="The longest meeting one interpreter covers alone per language; longer "
        "meetings need a team of two. A duration; default `60m`.",
    )
    max_per_day: PositiveDuration = Field(
        6 * 60,
        description="Default cap of interpreting time per interpreter per host date. A "
        "duration; default `6h`.",
    )


class CoordinationCentre(Frozen):
    """The agency's staff and set-up for the coordination centres of action days (SPEC 2.2)."""

    staff: Count = Field(
        6,
        description="Agency staff available to centres at any one time; each action day "
        "draws its `staff` from this pool, virtual centres too. Default 6.",
    )
    setup: DayDuration = Field(
        60,
        description="How long before the earliest operation start a centre opens. A "
        "duration; default `1h`.",
    )


class Links(Frozen):
    """How linked investigations are found and planned together (SPEC 2.4)."""

    detect: Literal["declared", "entities"] = Field(
        "entities",
        description="`declared`: cases are linked only where a case lists another under "
        "`linked`; `entities`: also when they share an entity. Default `entities`.",
    )
    action_days: Literal["same_day", "soft", "ignore"] = Field(
        "same_day",
        description="`same_day`: linked action days whose windows overlap take place on "
        "one date (hard); `soft`: each day apart costs `objective.link_spread_per_day`; "
        "`ignore`: no rule. Default `same_day`.",
    )
    meetings_within: Duration = Field(
        24 * 60,
        description="Linked meetings that share a country should be at most this far "
        "apart; each further host day costs `objective.link_spread_per_day`. A duration "
        "(whole days count); default `1d`.",
    )
    suspected_max: Count = Field(
        20,
        description="At most this many suspected links are reported, the strongest first. "
        "Default 20.",
    )


class UnscheduledWeights(Frozen):
    """What leaving an activity out costs, by its priority (SPEC 2.3, the placement level)."""

    critical: Weight = Field(0, description="Unused: a critical activity must be held. Default 0.")
    high: Weight = Field(1000, description="Per high-priority activity left out. Default 1000.")
    normal: Weight = Field(100, description="Per normal-priority activity left out. Default 100.")
    low: Weight = Field(10, description="Per low-priority activity left out. Default 10.")

    def of(self, priority: Priority) -> int:
        """Return the weight of leaving out an activity of ``priority``."""
        return int(getattr(self, priority))


class MoveWeights(Frozen):
    """What moving a published activity costs, per changed field (SPEC 2.7)."""

    date: Weight = Field(50, description="Per activity held on another host date. Default 50.")
    time: Weight = Field(
        10, description="Per meeting held at another time of day (host clock). Default 10."
    )
    room: Weight = Field(5, description="Per activity held in another room. Default 5.")


class Objective(Frozen):
    """The integer weights of the objective's terms (SPEC 2.3), minimised."""

    unscheduled: UnscheduledWeights = Field(
        UnscheduledWeights(),
        description="The cost of each activity left out, by priority: "
        "`{critical: 0, high: 1000, normal: 100, low: 10}`.",
    )
    lateness_per_day: Weight = Field(
        5,
        description="Per host calendar day a meeting is held after its `preferred` date. "
        "Default 5.",
    )
    stretch_per_15m: Weight = Field(
        3,
        description="Per started 15 minutes a meeting reaches outside a participant's "
        "working hours (with `defaults.stretch`). Default 3.",
    )
    optional_absent: Weight = Field(
        20, description="Per optional participant who cannot attend. Default 20."
    )
    link_spread_per_day: Weight = Field(
        2,
        description="Per day that linked activities lie apart beyond what `links` allows. "
        "Default 2.",
    )
    move: MoveWeights = Field(
        MoveWeights(),
        description="The cost of moving an activity of a baseline plan, per changed field: "
        "`{date: 50, time: 10, room: 5}`.",
    )
    virtual_centre: Weight = Field(
        20, description="Per action day whose centre runs virtually (no room). Default 20."
    )
