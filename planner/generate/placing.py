"""Placing the cases' chains on the calendar: windows drawn as day offsets, anchored
where the expected load is lowest, shrunk until they fit; linked action days placed
to share working days.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.generate.calibration import (
    ACTION_DAY_GAP_DAYS,
    ACTION_DAY_WINDOW_DAYS,
    CANDIDATE_ANCHORS,
    FOLLOW_UP_GAP_DAYS,
    WINDOW_WEEKS,
)
from planner.generate.cases import Case, attendance
from planner.generate.state import GeneratorState, draw

SQUEEZES = (1.0, 0.8, 0.6, 0.45, 0.3, 0.2)
"""How far a chain's windows and gaps are shortened, in turn, until it fits."""


@dataclass
class Chain:
    """One case's activities as day offsets from its first meeting's earliest date, before
    it is placed on the calendar.

    Attributes
    ----------
    windows
        Each meeting's ``(first, last)`` day offsets.
    gaps
        Days after the previous meeting, one per meeting (the first: 0).
    action_day, action_day_gap
        The action day's offsets (``None``: none) and its gap after the last meeting.
    """

    windows: list[tuple[int, int]]
    gaps: list[int]  # days after the previous meeting, one per meeting (the first: 0)
    action_day: tuple[int, int] | None
    action_day_gap: int

    @property
    def span(self) -> int:
        """Days from the first meeting's earliest date to the last window's end."""
        return max(w[1] for w in [*self.windows, *([self.action_day] if self.action_day else [])])


def place_all(state: GeneratorState, cases: list[Case]) -> None:
    """Place every case's chain on the calendar, near its cluster's first placed case (and
    ``Case.spacing_days`` after it), a joint partner's action day beside its partner's.

    A chain too long for the horizon gives up a meeting (which becomes a case of its own
    at the end of the queue), then its critical mark, then its action day, until it fits;
    ``cases`` ends up holding every case placed, spares included.
    """
    queue = list(cases)
    position = 0
    while position < len(queue):
        case = queue[position]
        position += 1
        if case.joint_with is not None:
            continue  # placed with its partner
        partner = next((c for c in queue if c.joint_with is case), None)
        near = next(
            (
                other.windows[0][0]
                for other in queue
                if case.cluster is not None and other.cluster == case.cluster and other.windows
            ),
            None,
        )
        if near is not None:
            near += timedelta(days=case.spacing_days)
        while not place(state, case, near):
            if case.has_action_day and case.meetings == 1 and partner is not None:
                partner.joint_with = None  # it keeps its own action day, on any date
                partner.cluster = None
                index = queue.index(partner)
                if index < position:  # skipped already: place it later
                    queue.append(queue.pop(index))
                    position -= 1
                partner = None
            shrink(state, case, queue)
        if partner is None:
            continue
        while not place_partner(state, partner, case):
            if partner.meetings == 1:
                # Keep the link, not the same day: the partner's action day goes.
                partner.joint_with = None
                shrink(state, partner, queue)
                while not place(state, partner):
                    shrink(state, partner, queue)
                break
            shrink(state, partner, queue)
    cases[:] = queue


def shrink(state: GeneratorState, case: Case, queue: list[Case]) -> None:
    """Make a case's chain easier to place: a meeting less (a case of its own at the end
    of ``queue``), else no critical mark, else no action day."""
    if case.meetings > 1:
        case.meetings -= 1
        spare = Case(len(queue), case.crime, list(case.countries), [], 1)
        spare.zones = dict(case.zones)
        attendance(state, spare)
        queue.append(spare)
    elif case.critical:
        case.critical = False
    elif case.has_action_day:
        case.has_action_day = False
    else:  # pragma: no cover - one meeting always finds a window of a few days
        raise RuntimeError(f"no window fits case {case.index}")


def draw_chain(state: GeneratorState, case: Case, squeeze: float) -> Chain:
    """Draw a case's windows and gaps as day offsets, ``squeeze`` shortening all of them
    (1 keeps the calibrated widths)."""
    rng = state.rng
    windows: list[tuple[int, int]] = []
    gaps: list[int] = []
    for position in range(case.meetings):
        width = 7 * draw(rng, WINDOW_WEEKS)
        if case.has_action_day and position == case.meetings - 1:
            width = rng.randint(7, 10)
        if case.critical and position == 0:
            width = max(width, 14)
        width = max(3, round(width * squeeze))
        if position == 0:
            gaps.append(0)
            windows.append((0, width - 1))
            continue
        gap = max(1, round(rng.randint(*FOLLOW_UP_GAP_DAYS) * squeeze))
        spacing = round(rng.randint(0, 21) * squeeze)
        first_prev, last_prev = windows[-1]
        # Late enough that the meeting still has days left when the previous one
        # takes its last day.
        earliest = max(
            first_prev + gap + 1 + spacing,
            last_prev + gap + max(2, round(7 * squeeze)) - (width - 1),
        )
        gaps.append(gap)
        windows.append((earliest, earliest + width - 1))
    action_day = None
    action_day_gap = 0
    if case.has_action_day:
        action_day_gap = max(
            ACTION_DAY_GAP_DAYS[0], round(rng.randint(*ACTION_DAY_GAP_DAYS) * squeeze)
        )
        width = max(3, round(rng.randint(*ACTION_DAY_WINDOW_DAYS) * squeeze))
        first_last, last_last = windows[-1]
        earliest = max(
            first_last + action_day_gap + 1 + round(rng.randint(0, 3) * squeeze),
            last_last + action_day_gap + max(1, round(5 * squeeze)) - (width - 1),
        )
        action_day = (earliest, earliest + width - 1)
    return Chain(windows, gaps, action_day, action_day_gap)


def dated_windows(
    state: GeneratorState, chain: Chain, anchor: date
) -> list[tuple[date, date]] | None:
    """Return the chain's windows dated from ``anchor``, each snapped to usable days, or
    ``None`` when one has no usable day or crosses the winter break.
    """
    calendar = state.calendar
    spans = [*chain.windows, *([chain.action_day] if chain.action_day else [])]
    dated: list[tuple[date, date]] = []
    for first, last in spans:
        earliest = calendar.snap_forward(anchor + timedelta(days=first))
        latest = calendar.snap_back(anchor + timedelta(days=last))
        if earliest is None or latest is None or latest < earliest:
            return None
        if calendar.crosses_break(earliest, latest):
            return None
        dated.append((earliest, latest))
    return dated


def feasible(
    state: GeneratorState, case: Case, chain: Chain, dated: list[tuple[date, date]], minimum: int
) -> bool:
    """Return whether every activity of a chain has days its parties work, in chain order
    with the gaps: the earliest possible day of each, then the next one at least a gap
    later; each window with at least ``minimum`` such days (five for a critical meeting).
    """
    calendar = state.calendar
    previous: date | None = None
    for position, (earliest, latest) in enumerate(dated[: case.meetings]):
        days = calendar.valid_days(case.required, earliest, latest)
        needed = max(minimum, 5) if case.critical and position == 0 else minimum
        if len(days) < needed:
            return False
        if previous is not None:
            days = [d for d in days if d > previous + timedelta(days=chain.gaps[position])]
        if not days:
            return False
        previous = days[0]
    if chain.action_day is not None:
        earliest, latest = dated[-1]
        days = calendar.valid_days(case.action_day_countries, earliest, latest)
        if len(days) < minimum:
            return False
        assert previous is not None
        days = [d for d in days if d > previous + timedelta(days=chain.action_day_gap)]
        if len(days) < min(minimum, 2):
            return False
    return True


def load_score(state: GeneratorState, case: Case, dated: list[tuple[date, date]]) -> float:
    """Return the mean load of the days of each window, per the days' weight in a year with
    seasons: the lowest score spreads the load in proportion to the weights.
    """
    score = 0.0
    weights = state.day_weights
    for position, (earliest, latest) in enumerate(dated):
        load = state.action_day_load if position >= case.meetings else state.meeting_load
        low = bisect.bisect_left(state.calendar.usable, earliest)
        high = bisect.bisect_right(state.calendar.usable, latest)
        if weights is None:
            score += sum(load[low:high]) / max(1, high - low)
        else:
            weighted = sum(load[i] / weights[i] for i in range(low, high))
            score += weighted / max(1, high - low)
    return score


def commit(state: GeneratorState, case: Case, chain: Chain, dated: list[tuple[date, date]]) -> None:
    """Give a case its dated windows and add their expected load to the days they span."""
    case.windows = dated[: case.meetings]
    case.gaps = chain.gaps
    if chain.action_day is not None:
        case.action_day_window = dated[-1]
        case.action_day_gap = chain.action_day_gap
    for position, (earliest, latest) in enumerate(dated):
        load = state.action_day_load if position >= case.meetings else state.meeting_load
        low = bisect.bisect_left(state.calendar.usable, earliest)
        high = bisect.bisect_right(state.calendar.usable, latest)
        for index in range(low, high):
            load[index] += 1 / max(1, high - low)


def place(state: GeneratorState, case: Case, near: date | None = None) -> bool:
    """Place a case's chain at the least loaded of some feasible anchors (near ``near`` when
    given), squeezing its windows until one fits.

    Returns
    -------
    bool
        Whether the chain was placed (and committed to the day loads).
    """
    usable = state.calendar.usable
    for squeeze in SQUEEZES:
        minimum = 3 if squeeze >= 0.6 else 1
        for _ in range(3):
            chain = draw_chain(state, case, squeeze)
            last_anchor = state.calendar.snap_back(usable[-1] - timedelta(days=chain.span))
            if last_anchor is None or last_anchor < usable[0]:
                continue
            anchors = usable[: bisect.bisect_right(usable, last_anchor)]
            if near is not None:
                close = [d for d in anchors if abs((d - near).days) <= 14]
                anchors = close or anchors
            tried = state.rng.sample(anchors, min(CANDIDATE_ANCHORS, len(anchors)))
            best = best_windows(state, case, chain, tried, minimum)
            if best is None:
                skip = set(tried)
                rest = [d for d in anchors if d not in skip]
                state.rng.shuffle(rest)
                best = best_windows(state, case, chain, rest, minimum, first_only=True)
            if best is not None:
                commit(state, case, chain, best)
                return True
    return False


def best_windows(
    state: GeneratorState,
    case: Case,
    chain: Chain,
    anchors: Sequence[date],
    minimum: int,
    first_only: bool = False,
) -> list[tuple[date, date]] | None:
    """Return the dated windows of the least loaded feasible anchor (the first feasible
    one with ``first_only``), or ``None`` when no anchor is feasible."""
    best: list[tuple[date, date]] | None = None
    best_score = math.inf
    for anchor in anchors:
        dated = dated_windows(state, chain, anchor)
        if dated is None or not feasible(state, case, chain, dated, minimum):
            continue
        if first_only:
            return dated
        score = load_score(state, case, dated)
        if score < best_score:
            best, best_score = dated, score
    return best


def place_partner(state: GeneratorState, case: Case, first: Case) -> bool:
    """Place a joint partner's chain so that its action day's window shares at least three
    working days of both action days' countries with its partner's.

    Returns
    -------
    bool
        Whether the chain was placed.
    """
    assert first.action_day_window is not None
    calendar = state.calendar
    target_first, target_last = first.action_day_window
    both = sorted({*case.action_day_countries, *first.action_day_countries})
    for squeeze in SQUEEZES:
        minimum = 3 if squeeze >= 0.6 else 1
        for _ in range(6):
            chain = draw_chain(state, case, squeeze)
            assert chain.action_day is not None
            shift = state.rng.randint(-2, 2)
            anchor = target_first + timedelta(days=shift - chain.action_day[0])
            dated = dated_windows(state, chain, anchor)
            if dated is None or not feasible(state, case, chain, dated, minimum):
                continue
            ad_first, ad_last = dated[-1]
            shared = calendar.valid_days(
                both, max(ad_first, target_first), min(ad_last, target_last)
            )
            if len(shared) < min(3, max(1, minimum)):
                continue
            commit(state, case, chain, dated)
            return True
    return False
