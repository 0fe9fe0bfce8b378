"""A first plan in a moment: first-fit in priority and window order.

What a careful coordinator's spreadsheet does: take the activities one by one — pinned
ones first, then critical, then by priority, the tightest windows first, each after
the meetings it follows or is prepared by — and give each its cheapest place given
what is already placed (SPEC §3, v1.2: lateness, stretch, optional participants who
cannot attend, moves, and the link spread to the linked activities already placed),
among those at which a room, the desks, the interpreters and the centre staff are
free. An activity that fits nowhere is left out. Optional participants attend
wherever they can.

Every placement keeps every rule: the options (:mod:`planner.solver.options`) hold
the rules of one activity alone, and the :class:`~planner.solver.occupancy.Occupancy`
those between activities. The plan is where the search starts (hints), and the answer
when the search finds nothing better.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date
from itertools import combinations

from planner.models.scenario import BOOTHS, VIDEOCONFERENCE
from planner.solver.kept import Kept
from planner.solver.occupancy import Occupancy, occupancy_of
from planner.solver.options import CentreDate, LanguageNeed, MeetingOptions
from planner.solver.plan import (
    ActionDayAssignment,
    MeetingAssignment,
    Plan,
    activity_date,
    costed_pairs,
    earliest_start,
    latest_end,
    least_start_costs,
    link_cost,
    linked_action_day_pairs,
    meeting_date,
    must_hold,
    own_cost,
    predecessors_of,
    start_costs,
)
from planner.solver.variables import Context


def construct(context: Context, plan: Plan | None = None) -> Plan:
    """Place every activity that ``plan`` does not hold, first-fit, in construction order;
    what ``plan`` holds stays as it is."""
    return _Builder(context, plan or {}).run()


def construct_from_baseline(context: Context) -> Plan:
    """The baseline's plan where it still holds — each activity at its published date,
    start and room, with its published interpreters where they are free and its
    published absentees still absent — then first-fit for the rest.

    Why: plain first-fit takes the activities in its own order, each at its cheapest
    start, and seats every optional participant it can; an activity placed or seated
    earlier may then take the desk or room a published activity needs where it was. A
    re-plan starts from the better of the two plans."""
    builder = _Builder(context, {})
    for activity_id in construction_order(context):
        kept = context.kept.get(activity_id)
        if kept is not None:
            builder.hold_where_kept(activity_id, kept)
    return builder.run()


def placements(
    context: Context, plan: Plan, activity_id: str
) -> Iterator[MeetingAssignment | ActionDayAssignment]:
    """Every placement an activity that ``plan`` does not hold can take against it (each
    start with each free room, cheapest start first; an action day's dates with each
    free centre room, then virtually), as first-fit would consider them."""
    builder = _Builder(context, plan)
    if activity_id in context.meetings:
        yield from builder.meeting_placements(activity_id)
    else:
        yield from builder.action_day_placements(activity_id)


def construction_order(context: Context) -> list[str]:
    """Pinned activities first, then critical ones, each the fewest choices first; then
    by priority (the heaviest unscheduled weight first), action days before meetings
    (those that may not run virtually first), the earliest window end and the fewest
    choices; every activity after the meetings it follows or is prepared by."""
    scenario = context.scenario
    weights = scenario.objective.unscheduled

    def key(activity_id: str) -> tuple[int, int, int, bool, bool, object, int, str]:
        """The construction order of one activity (see :func:`construction_order`)."""
        must = must_hold(context, activity_id)
        rank = {"pin": 0, "critical": 1}.get(must or "", 2)
        # an action day that may run virtually can still be held when the centre rooms
        # are taken: those that may not take theirs first
        may_be_virtual = False
        if activity_id in context.meetings:
            options = context.meetings[activity_id]
            activity: object = options.meeting
            choices = len(options.starts)
        else:
            day_options = context.action_days[activity_id]
            activity = day_options.action_day
            choices = len(day_options.dates)
            may_be_virtual = day_options.action_day.virtual != "never"
        priority = activity.priority  # type: ignore[attr-defined]
        last = scenario.window_of(activity)[1]  # type: ignore[arg-type]
        # what must be held goes by its choices: a pinned start before a pinned room
        fewest = choices if must else 0
        # an action day holds the desks of all its countries for a whole day: it finds
        # one only before the meetings of its priority fill them
        meeting = activity_id in context.meetings
        return (
            rank,
            fewest,
            -weights.of(priority),
            meeting,
            may_be_virtual,
            last,
            choices,
            activity_id,
        )

    ordered: list[str] = []
    seen: set[str] = set()

    def visit(activity_id: str) -> None:
        """Place an activity after the meetings it follows or is prepared by."""
        if activity_id in seen:
            return
        seen.add(activity_id)
        for predecessor in predecessors_of(context, activity_id):
            if predecessor.meeting in context.meetings:
                visit(predecessor.meeting)
        ordered.append(activity_id)

    for activity_id in sorted([*context.meetings, *context.action_days], key=key):
        visit(activity_id)
    return ordered


def distinct_teams(
    needs: list[LanguageNeed],
    free: dict[str, list[str]],
    chosen: dict[str, list[str]],
) -> dict[str, list[str]] | None:
    """A team for each language of ``free`` (a need's size, from its free interpreters,
    in their order), no interpreter in two languages and none already ``chosen``; the
    teams, ``chosen`` included, or ``None`` when there are none.

    A small search, not a greedy pick: an interpreter taken first for one language may
    be the only one of another (a meeting needs few languages, each few interpreters).
    """
    left = [need for need in needs if need.language in free and need.language not in chosen]
    if not left:
        return dict(chosen)
    need = min(left, key=lambda n: (len(free[n.language]), n.language))  # fewest first
    taken = {name for team in chosen.values() for name in team}
    candidates = [name for name in free[need.language] if name not in taken]
    for team in combinations(candidates, need.team):
        found = distinct_teams(left, free, {**chosen, need.language: sorted(team)})
        if found is not None:
            return found
    return None


def _plus_links(
    options: MeetingOptions, costs: dict[int, int], links: dict[date, int]
) -> dict[int, int]:
    """Costs by start with the links' cost of each start's date added."""
    if not links:
        return costs
    starts = options.starts
    for day, (low, high) in options.dates.items():
        extra = links.get(day, 0)
        if extra:
            for slot in starts[bisect_left(starts, low) : bisect_right(starts, high)]:
                costs[slot] += extra
    return costs


class _Builder:
    """First-fit over an occupancy: places activities one at a time, each at its
    cheapest place against what is held (see the module)."""

    def __init__(self, context: Context, plan: Plan) -> None:
        """Start from ``plan`` (held as it is) and what it occupies; rank interpreters by how
        few languages they know, and index linked activities."""
        self.context = context
        self.plan = dict(plan)
        self.occupancy: Occupancy = occupancy_of(context, plan)
        languages = {it.id: len(it.languages) for it in context.scenario.interpreters}
        # the least versatile interpreters first: the others stay free for rarer pairs
        self.interpreter_rank = {name: (count, name) for name, count in languages.items()}
        self.partners: dict[str, list[str]] = {}
        for first, second in costed_pairs(context):
            self.partners.setdefault(first, []).append(second)
            self.partners.setdefault(second, []).append(first)
        self.same_day: dict[str, list[str]] = {}
        if context.scenario.links.action_days == "same_day":
            for first, second in linked_action_day_pairs(context):
                self.same_day.setdefault(first, []).append(second)
                self.same_day.setdefault(second, []).append(first)

    def run(self) -> Plan:
        """Place every activity the plan does not hold, in construction order."""
        for activity_id in construction_order(self.context):
            if activity_id in self.plan:
                continue
            if activity_id in self.context.meetings:
                self.place_meeting(activity_id)
            else:
                self.place_action_day(activity_id)
        return self.plan

    # ---- meetings ------------------------------------------------------------------

    def place_meeting(self, meeting_id: str) -> bool:
        """Hold a meeting at its cheapest placement, if it has one.

        Placements come cheapest start first by what a start costs at the least
        (:func:`least_start_costs` and the links to what is placed); each is valued
        exactly (who attends, in which room), and the search stops at the first start
        that cannot beat the best found."""
        options = self.context.meetings[meeting_id]
        links = self._link_costs(meeting_id, options)
        least = _plus_links(options, least_start_costs(self.context, options), links)
        best: tuple[int, MeetingAssignment] | None = None
        for assignment in self.meeting_placements(meeting_id, least=least):
            if best is not None and least[assignment.slot] >= best[0]:
                break
            own = sum(own_cost(self.context, meeting_id, assignment).values())
            cost = own + links.get(meeting_date(options, assignment.slot), 0)
            if best is None or cost < best[0]:
                best = (cost, assignment)
        if best is None:
            return False
        self._hold_meeting(meeting_id, best[1])
        return True

    def hold_where_kept(self, activity_id: str, kept: Kept) -> None:
        """Hold an activity exactly where the baseline had it (date, start and room), if
        it still fits there against what is held."""
        first: MeetingAssignment | ActionDayAssignment | None
        if activity_id in self.context.meetings:
            if kept.slot is None:
                return
            # the kept room is tried first at each start (see _room_rank)
            first = next(self.meeting_placements(activity_id, [kept.slot], kept), None)
            if isinstance(first, MeetingAssignment) and first.room_class == kept.room:
                self._hold_meeting(activity_id, first)
            return
        # the kept date and then the kept room come first
        first = next(self.action_day_placements(activity_id), None)
        if first is not None and (first.date, first.room_class) == (kept.date, kept.room):
            self._hold_action_day(activity_id, first)

    def _hold_meeting(self, meeting_id: str, assignment: MeetingAssignment) -> None:
        """Hold a meeting as assigned, and take what it occupies."""
        self.plan[meeting_id] = assignment
        self.occupancy.add_meeting(meeting_id, assignment)

    def meeting_placements(
        self,
        meeting_id: str,
        slots: list[int] | None = None,
        kept: Kept | None = None,
        least: dict[int, int] | None = None,
    ) -> Iterator[MeetingAssignment]:
        """Every placement a meeting can take against what is held, cheapest start first
        by ``least`` (default: its start costs and links), or at ``slots`` only: a start,
        each free room at it, a free team per language, and every optional participant
        who can attend. As ``kept``: its interpreters first, its absentees absent."""
        options = self.context.meetings[meeting_id]
        ready = earliest_start(self.context, self.plan, meeting_id)
        if ready is None:
            return
        due = latest_end(self.context, self.plan, meeting_id)
        occupancy = self.occupancy
        required = [p.country for p in options.meeting.required]
        rooms = sorted(options.rooms, key=lambda r: self._room_rank(options, r))
        if slots is None:
            if least is None:
                links = self._link_costs(meeting_id, options)
                least = _plus_links(options, start_costs(self.context, options), links)
            slots = sorted(options.starts, key=least.__getitem__)  # stable: by slot on ties
        for slot in slots:
            begin, end = occupancy.meeting_span(options, slot)
            if begin < ready or end > due:
                continue
            if not all(occupancy.desk_fits(code, begin, end) for code in required):
                continue
            day = meeting_date(options, slot)
            free = {
                need.language: self._free(need, slot, begin, end, day, kept)
                for need in options.languages
                if need.required
            }
            interpreters = distinct_teams(options.languages, free, {})
            if interpreters is None:
                continue
            for room_class in rooms:
                allowed = options.rooms[room_class]
                if allowed is not None and slot not in allowed:
                    continue
                if occupancy.room_fits(room_class, begin, end):
                    yield self._with_attendance(
                        options,
                        MeetingAssignment(slot, room_class, interpreters, frozenset()),
                        kept,
                    )

    def _link_costs(self, meeting_id: str, options: MeetingOptions) -> dict[date, int]:
        """What the links to the linked activities already placed cost on each of the
        meeting's dates (nothing without any)."""
        placed = [other for other in self.partners.get(meeting_id, []) if other in self.plan]
        if not placed:
            return {}
        by_date = {}
        for day in options.dates:
            probe = {
                **self.plan,
                meeting_id: MeetingAssignment(options.dates[day][0], "", {}, frozenset()),
            }
            by_date[day] = sum(
                link_cost(self.context, (meeting_id, other), probe) for other in placed
            )
        return by_date

    def _room_rank(self, options: MeetingOptions, room_class: str) -> tuple[bool, int, int, str]:
        """The room a baseline had it in first; then rooms in which every optional
        participant could attend, then the smallest: large rooms stay free for large
        meetings."""
        kept = self.context.kept.get(options.meeting.id)
        moved = kept is not None and room_class != kept.room
        lacking = sum(room_class in without for without in options.rooms_without.values())
        capacity = self.context.scenario.rooms_by_id[room_class].capacity
        return moved, lacking, capacity, room_class

    def _free(
        self,
        need: LanguageNeed,
        slot: int,
        begin: int,
        end: int,
        day: date,
        kept: Kept | None = None,
    ) -> list[str]:
        """The interpreters free to serve one language of a meeting at ``slot``, in the
        order they are taken: those of ``kept`` first, then the least versatile (the
        others stay free for rarer pairs)."""
        first = {n for lang, n in kept.interpreters if lang == need.language} if kept else set()
        return [
            name
            for name in sorted(
                need.interpreters, key=lambda n: (n not in first, self.interpreter_rank[n])
            )
            if (need.interpreters[name] is None or slot in need.interpreters[name])  # type: ignore[operator]
            and self.occupancy.interpreter_fits(name, begin, end, day)
        ]

    def _add_team(
        self,
        need: LanguageNeed,
        slot: int,
        begin: int,
        end: int,
        day: date,
        interpreters: dict[str, list[str]],
        kept: Kept | None = None,
    ) -> bool:
        """Add a team of free interpreters for one more language to ``interpreters`` (an
        interpreter serves one language of a meeting); False when there is none."""
        teams = distinct_teams(
            [need], {need.language: self._free(need, slot, begin, end, day, kept)}, interpreters
        )
        if teams is None:
            return False
        interpreters.update(teams)
        return True

    def _with_attendance(
        self, options: MeetingOptions, assignment: MeetingAssignment, kept: Kept | None
    ) -> MeetingAssignment:
        """Every optional participant that can attend attends (but those absent in
        ``kept``): it makes the start, its desk has room, the room has what it needs, and
        its language has interpreters."""
        absent = kept.absent if kept is not None else frozenset()
        slot = assignment.slot
        begin, end = self.occupancy.meeting_span(options, slot)
        day = meeting_date(options, slot)
        interpreters = dict(assignment.interpreters)
        attending: set[int] = set()
        wl = options.meeting.working_language
        needs = {need.language: need for need in options.languages}
        for optional in options.optional:
            participant = optional.participant
            if slot not in optional.starts or participant.country in absent:
                continue
            if not self.occupancy.desk_fits(participant.country, begin, end):
                continue
            foreign = participant.language is not None and participant.language != wl
            feature = (
                VIDEOCONFERENCE
                if participant.attendance == "video"
                else BOOTHS
                if foreign
                else None
            )
            if feature and assignment.room_class in options.rooms_without.get(feature, ()):
                continue
            language = participant.language
            if (
                foreign
                and language not in interpreters
                and not self._add_team(needs[language], slot, begin, end, day, interpreters, kept)  # type: ignore[index]
            ):
                continue
            attending.add(optional.index)
        interpreters = {language: interpreters[language] for language in sorted(interpreters)}
        return MeetingAssignment(slot, assignment.room_class, interpreters, frozenset(attending))

    # ---- action days -------------------------------------------------------------------

    def place_action_day(self, action_day_id: str) -> bool:
        """Hold an action day at its first placement with a centre room, else at its first
        virtual one."""
        placements = list(self.action_day_placements(action_day_id))
        for assignment in [
            *(a for a in placements if a.room_class is not None),
            *(a for a in placements if a.room_class is None),
        ]:
            return self._hold_action_day(action_day_id, assignment)
        return False

    def action_day_placements(self, action_day_id: str) -> Iterator[ActionDayAssignment]:
        """Every placement an action day can take against what is held: each date (the
        baseline's first, then dates its linked action days can take too) with each
        free centre room, then virtually where allowed."""
        options = self.context.action_days[action_day_id]
        ready = earliest_start(self.context, self.plan, action_day_id)
        if ready is None:
            return
        due = latest_end(self.context, self.plan, action_day_id)
        linked = self.same_day.get(action_day_id, [])
        partners = {
            activity_date(self.context, other, self.plan) for other in linked if other in self.plan
        }
        # dates that the linked action days still to come can take too go first
        later = [self.context.action_days[other] for other in linked if other not in self.plan]
        shared = {c.date for c in options.dates}.intersection(
            *({c.date for c in other.dates} for other in later)
        )
        kept = self.context.kept.get(action_day_id)
        kept_date = kept.date if kept is not None else None

        def rank(centre: CentreDate) -> tuple[bool, bool, date]:
            """The baseline's date first, then dates the linked action days can take too."""
            return centre.date != kept_date, centre.date not in shared, centre.date

        for centre in sorted(options.dates, key=rank):
            if centre.open < ready or centre.close > due:
                continue
            if partners and centre.date not in partners:
                continue
            if not self.occupancy.centre_fits(action_day_id, centre):
                continue
            for room in sorted(centre.rooms, key=lambda r: kept is None or r != kept.room):
                if self.occupancy.room_fits(room, centre.open, centre.close):
                    yield ActionDayAssignment(centre.date, room)
            if centre.virtual:
                yield ActionDayAssignment(centre.date, None)

    def _hold_action_day(self, action_day_id: str, assignment: ActionDayAssignment) -> bool:
        """Hold an action day as assigned, and take what it occupies."""
        self.plan[action_day_id] = assignment
        self.occupancy.add_action_day(action_day_id, assignment)
        return True
