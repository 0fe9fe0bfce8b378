"""Large-neighbourhood search: parts of the plan re-solved against the rest.

Each step frees a neighbourhood of a few dozen activities and re-solves them with
CP-SAT against the rest of the plan, held as it is
(:func:`planner.solver.parts.solve_part`), starting from where they are. The change is
kept when the whole plan, filled and valued in plain Python, gets better. The
neighbourhoods:

- ``unplaced``: an activity left out, with the held activities in its window that share
  a party, a room or an interpreter language with it: room to let it in;
- ``costliest``: the held activity that costs most above its cheapest placement, with
  the activities on the dates it could move to;
- ``window``: the activities of a few consecutive days (a sliding window of time);
- ``resource``: the activities of one party's desk, one room or one interpreter
  language over a few weeks;
- ``cluster``: the activities of one cluster of linked cases, all of them;
- ``block``: one block of time, from its plan alone (on long horizons, once blocks
  have been solved alone; see :mod:`planner.solver.blocks`).

Before an ``unplaced`` step, every activity left out that fits as the plan stands is
inserted at its cheapest place (:func:`planner.solver.construct.construct`).

Sizes adapt: a kind whose part is proven optimal without a gain grows, one whose part
runs out of time shrinks; kinds that found improvements are drawn more often.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, timedelta

from planner.models.scenario import ActionDay, Meeting
from planner.solver.blocks import BlockBounds
from planner.solver.construct import construct
from planner.solver.parts import DateRange, activity_window, dates_around, solve_part
from planner.solver.plan import Plan, activity_date, link_costs, own_costs
from planner.solver.run import configured_solver
from planner.solver.state import SearchState
from planner.solver.variables import Context

PART_SECONDS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""How long one neighbourhood may be searched: chosen by what each length has gained per
second so far (some scenarios gain most from many short parts, others need longer ones
to get past building and presolving)."""
EXPLORE = 0.2
"""The share of steps that try a length at random rather than the best so far."""
FIRST_SIZE = 12
MIN_SIZE = 6
MAX_SIZE = 120
"""Free activities of a neighbourhood: where sizes start and the range they adapt in."""
NEAR_DAYS = 2
"""How far a freed activity may move from its date (the target of ``unplaced`` and
``costliest`` may go anywhere in its window)."""
RESOURCE_DAYS = 14
"""How far around an activity the ``resource`` neighbourhood reaches."""
KINDS = ("unplaced", "costliest", "window", "resource", "cluster", "block")

Neighbourhood = tuple[set[str], dict[str, DateRange], Plan]
"""The activities freed, the date ranges some of them are kept to, and the hint."""


class Improver:
    """Large-neighbourhood search over a search's best plan, one step at a time."""

    def __init__(self, search: SearchState, blocks: BlockBounds | None = None) -> None:
        """Index each activity's resources (desks, room classes, languages) and clusters,
        and start every kind of neighbourhood at the same size and score."""
        self.search = search
        self.context = search.context
        self.blocks = blocks
        self.rng = random.Random(search.seed)
        self.size = dict.fromkeys(KINDS, float(FIRST_SIZE))
        self.score = dict.fromkeys(KINDS, 1.0)
        self.tried: set[str] = set()
        self.failed: dict[str, int] = defaultdict(int)
        """How often each activity left out was a target since the plan last improved."""
        self.resources = _resources(self.context)
        self.users: dict[str, list[str]] = defaultdict(list)
        for activity_id, names in self.resources.items():
            for name in names:
                self.users[name].append(activity_id)
        self.cheapest = search.relaxation.cheapest
        self.gained = dict.fromkeys(PART_SECONDS, 0.0)
        self.spent = dict.fromkeys(PART_SECONDS, 0.0)
        self.clusters: dict[int, list[str]] = defaultdict(list)
        for activity_id in [*self.context.meetings, *self.context.action_days]:
            cluster = self.context.cluster_of.get(_activity(self.context, activity_id).case)
            if cluster is not None:
                self.clusters[cluster].append(activity_id)

    def next_step(self) -> None:
        """Choose a neighbourhood and re-solve it (see the module)."""
        kind = self.choose()
        if kind == "unplaced" and self.insert():
            return
        self.step(kind, self.neighbourhood(kind))

    def insert(self) -> bool:
        """Insert every activity left out that fits as the plan stands; say whether the
        plan got better."""
        search = self.search
        return search.offer(construct(self.context, search.plan))

    # ---- one step --------------------------------------------------------------------

    def step(
        self, kind: str, neighbourhood: Neighbourhood | None, seconds: float | None = None
    ) -> None:
        """Re-solve a neighbourhood for ``seconds`` (default: a length chosen by what each
        has gained) and keep the plan if it is better; adapt the kind's size and draw."""
        search = self.search
        if neighbourhood is None or not neighbourhood[0]:
            self.score[kind] *= 0.5
            return
        free, near, hint = neighbourhood
        chosen = seconds is None
        if seconds is None:
            seconds = self.part_seconds()
        solver = configured_solver(min(search.left(), seconds), search.workers, search.seed)
        before, started = search.value, time.monotonic()
        part = solve_part(self.context, free, search.plan, solver, search.run_part, hint, near=near)
        improved = part.plan is not None and search.offer(part.plan)
        if chosen:
            self.spent[seconds] += time.monotonic() - started
            if improved:  # a must-hold activity or placement outweighs any preference
                now = search.value
                levels = (before[0] - now[0]) * 10**6 + before[1].placement - now[1].placement
                self.gained[seconds] += levels * 10**6 + max(
                    0, before[1].preference - now[1].preference
                )
        if improved:
            self.tried.clear()
            self.failed.clear()
        elif part.optimal:  # nothing better within this part: look wider
            self.size[kind] = min(MAX_SIZE, self.size[kind] * 1.25)
        else:  # out of time: look narrower
            self.size[kind] = max(MIN_SIZE, self.size[kind] * 0.8)
        self.score[kind] = 0.8 * self.score[kind] + 0.2 * (1.0 if improved else 0.0)

    def part_seconds(self) -> float:
        """A length for the next part: untried ones first, then mostly the one that gained
        most per second."""
        untried = [s for s in PART_SECONDS if not self.spent[s]]
        if untried:
            return untried[0]
        if self.rng.random() < EXPLORE:
            return self.rng.choice(PART_SECONDS)
        return max(PART_SECONDS, key=lambda s: (self.gained[s] / self.spent[s], -s))

    def choose(self) -> str:
        """The kind of the next neighbourhood: placement first (an activity left out,
        half of the time while any that weighs is), else drawn by what each kind has
        gained lately."""
        if self.must_unplaced():
            return "unplaced"
        if any(self._weight(a) > 1 for a in self.unplaced()) and self.rng.random() < 0.5:
            return "unplaced"
        kinds = [k for k in KINDS if k != "block" or (self.blocks and self.blocks.alone)]
        if not self.unplaced():
            kinds.remove("unplaced")
        if not self.clusters:
            kinds.remove("cluster")
        weights = [max(self.score[k], 0.05) for k in kinds]
        return self.rng.choices(kinds, weights)[0]

    def neighbourhood(self, kind: str) -> Neighbourhood | None:
        """The neighbourhood of a kind, sized by what that kind has learnt."""
        size = round(self.size[kind])
        if kind == "unplaced":
            return self.around_unplaced(size)
        if kind == "costliest":
            return self.around_costliest(size)
        if kind == "window":
            return self.window(size)
        if kind == "resource":
            return self.resource(size)
        if kind == "cluster":
            return self.cluster(size)
        assert self.blocks is not None
        solved = sorted({self.blocks.block_of[a] for a in self.blocks.alone})
        return self.block(self.blocks, self.rng.choice(solved))

    # ---- what the plan holds ------------------------------------------------------------

    def unplaced(self) -> list[str]:
        """The placeable activities the best plan leaves out."""
        plan = self.search.plan
        return [a for a in [*self.context.meetings, *self.context.action_days] if a not in plan]

    def must_unplaced(self) -> list[str]:
        """The pinned or critical activities the best plan leaves out."""
        return sorted(self.search.must - self.search.plan.keys())

    def dates(self) -> dict[str, date]:
        """The host date of every activity the best plan holds."""
        plan = self.search.plan
        return {a: activity_date(self.context, a, plan) for a in plan}

    def _near(self, activities: set[str], days: int = NEAR_DAYS) -> dict[str, DateRange]:
        """Ranges of :data:`NEAR_DAYS` around the dates the held ``activities`` have: how far
        the freed activities may move (a narrower, faster part)."""
        return dates_around(self.context, self.search.plan, activities, days)

    # ---- the neighbourhoods ----------------------------------------------------------

    def around_unplaced(self, size: int) -> Neighbourhood | None:
        """An unplaced activity (one that must be held first, else at random, the heavier
        the likelier) with the held activities in its window that share a resource."""
        candidates = self.must_unplaced() or self.unplaced()
        if not candidates:
            return None
        weights = [self._weight(a) / (1 + self.failed[a]) for a in candidates]
        target = self.rng.choices(candidates, weights)[0]
        self.failed[target] += 1  # cleared when the plan gets better
        first, last = activity_window(self.context, target)
        dates = self.dates()
        middle = first + (last - first) / 2

        def sharing(names: set[str]) -> list[str]:
            """The held activities in the target's window that use one of ``names``, nearest
            to the window's middle first."""
            found = {a for n in names for a in self.users[n] if a in dates}
            inside = [a for a in found if first <= dates[a] <= last]
            return sorted(inside, key=lambda a: (abs((dates[a] - middle).days), a))

        # those sharing a desk first: a desk held by others is what most often keeps
        # an activity out
        desks = {n for n in self.resources[target] if n.startswith("desk:")}
        nearest = list(dict.fromkeys([*sharing(desks), *sharing(self.resources[target])]))
        free = set(nearest[: max(0, size - 1)])
        return {target, *free}, self._near(free), self.search.plan

    def around_costliest(self, size: int) -> Neighbourhood | None:
        """The held activity costing most above its cheapest (not tried since the last
        gain), with the held activities on the dates it could move to."""
        plan = self.search.plan
        excess = self._excess(plan)
        untried = [a for a in excess if excess[a] > 0 and a not in self.tried]
        if not untried:
            self.tried.clear()
            return None
        target = max(untried, key=lambda a: (excess[a], a))
        self.tried.add(target)
        first = activity_window(self.context, target)[0]
        dates = self.dates()
        current = dates[target]
        around = [a for a in plan if a != target and first <= dates[a] <= current]
        around.sort(key=lambda a: (-self._shares(a, target), abs((dates[a] - current).days), a))
        free = set(around[: max(0, size - 1)])
        return {target, *free}, self._near(free), plan

    def window(self, size: int) -> Neighbourhood | None:
        """The activities of consecutive days from a random held activity's date, until
        there are ``size``, with the unplaced activities whose windows cover those days."""
        dates = self.dates()
        if not dates:
            return None
        by_date: dict[date, list[str]] = defaultdict(list)
        for activity_id, day in dates.items():
            by_date[day].append(activity_id)
        day = self.rng.choice(sorted(by_date))
        free: set[str] = set()
        last = day
        horizon_end = self.context.scenario.horizon.end
        while len(free) < size and last <= horizon_end:
            free.update(by_date.get(last, []))
            last += timedelta(days=1)
        waiting = {
            a
            for a in self.unplaced()
            if activity_window(self.context, a)[0] <= last
            and day <= activity_window(self.context, a)[1]
        }
        return free | waiting, self._near(free), self.search.plan

    def resource(self, size: int) -> Neighbourhood | None:
        """The held activities that use one resource (a party's desk, a room, an
        interpreter language) of a random held activity, around its date."""
        dates = self.dates()
        if not dates:
            return None
        anchor = self.rng.choice(sorted(dates))
        names = sorted(self.resources[anchor])
        if not names:
            return None
        name = self.rng.choice(names)
        day = dates[anchor]
        reach = timedelta(days=RESOURCE_DAYS)
        users = [a for a in self.users[name] if a in dates and abs(dates[a] - day) <= reach]
        users.sort(key=lambda a: (abs((dates[a] - day).days), a))
        free = set(users[:size])
        return free, self._near(free), self.search.plan

    def cluster(self, size: int) -> Neighbourhood | None:
        """The activities of one cluster of linked cases (those that cost links first)."""
        plan = self.search.plan
        costly = {a for pair, cost in link_costs(self.context, plan).items() if cost for a in pair}
        clusters = sorted(self.clusters)
        weights = [1 + 4 * len(costly & set(self.clusters[c])) for c in clusters]
        members = self.clusters[self.rng.choices(clusters, weights)[0]]
        free = set(members[:MAX_SIZE])
        return free, {}, plan

    def block(self, blocks: BlockBounds, block: int) -> Neighbourhood:
        """One block of time, from its plan alone, kept near where that plan put it."""
        members = blocks.members[block]
        alone = blocks.alone
        hint = {**self.search.plan, **{a: p for a, p in alone.items() if a in members}}
        return set(members), dates_around(self.context, alone, set(members)), hint

    # ---- costs and resources ------------------------------------------------------------

    def _weight(self, activity_id: str) -> int:
        """How much an activity's placement weighs, plus one (so that a weight of 0 can
        still be drawn)."""
        priority = _activity(self.context, activity_id).priority
        return 1 + self.context.scenario.objective.unscheduled.of(priority)

    def _excess(self, plan: Plan) -> dict[str, int]:
        """What each held activity costs above its cheapest placement (links included)."""
        excess = {
            a: sum(by_term.values()) - self.cheapest.get(a, 0)
            for a, by_term in own_costs(self.context, plan).items()
            if a in plan
        }
        for pair, cost in link_costs(self.context, plan).items():
            for activity_id in pair:
                excess[activity_id] = excess.get(activity_id, 0) + cost
        return excess

    def _shares(self, first: str, second: str) -> int:
        """How many resources two activities share (desks, room classes, languages)."""
        return len(self.resources[first] & self.resources[second])


def _activity(context: Context, activity_id: str) -> Meeting | ActionDay:
    """The meeting or action day of a placeable activity."""
    if activity_id in context.meetings:
        return context.meetings[activity_id].meeting
    return context.action_days[activity_id].action_day


def _resources(context: Context) -> dict[str, set[str]]:
    """The resources each activity may use: parties' desks, room classes, interpreter
    languages."""
    resources: dict[str, set[str]] = {}
    for meeting_id, options in context.meetings.items():
        names = {f"desk:{p.country}" for p in options.meeting.participants}
        names |= {f"room:{r}" for r in options.rooms}
        names |= {f"language:{need.language}" for need in options.languages}
        resources[meeting_id] = names
    for action_day_id, day_options in context.action_days.items():
        names = {f"desk:{code}" for code in day_options.action_day.countries}
        names |= {f"room:{r}" for centre in day_options.dates for r in centre.rooms}
        resources[action_day_id] = names | {"staff"}
    return resources
