"""Calendar files within the input limits (SPEC 2.7.4, 2.7.5): an iCalendar file read as
text, its structure checked line by line, and handed to the ``icalendar`` library in a
form whose reading is bounded in time and memory.

Both readers of calendars use this module: the loader (:mod:`planner.calendars`, whose
windows the solver sees) and the independent checker (:mod:`planner.check.calendars`).
What it decides is what the *file* says, never what an event means for availability:

- the file is at most ``max_bytes``, UTF-8 (a byte order mark is dropped), with no raw
  control character, NUL included; every content line has a name and a value; every
  ``BEGIN`` has its ``END`` (each problem at its line);
- time zones are named as the IANA database names them: an Outlook/Exchange Windows
  name (``W. Europe Standard Time``) through CLDR's ``windowsZones`` table, which the
  ``icalendar`` library carries; a name that is neither is read from the file's own
  ``VTIMEZONE``, under a name of its own (so that two files defining
  ``Customized Time Zone`` differently never share one), and is refused without one;
- a single event that lies days outside the dates read is left out before parsing (a
  room's whole history exports to thousands of events, and parsing is the slow part);
- a recurrence that would take more than :data:`MAX_RECURRENCE_STEPS` steps from its
  start to the end of the dates read, or a calendar whose events could give more than
  :data:`MAX_OCCURRENCES` occurrences in them, is refused at its line before anything
  is expanded; a recurrence that never occurs again is cut by :func:`cpu_limit`;
- every property the library cannot read, an event without a start, and an event that
  ends before it starts are refused at their line (:func:`parse_calendar`).

Why the limits are what they are: the parser takes about half a millisecond per event
and the recurrence library a few microseconds per step and a tenth of a millisecond per
occurrence, so that :data:`MAX_CALENDAR_EVENTS`, :data:`MAX_RECURRENCE_STEPS` and
:data:`MAX_OCCURRENCES` each keep a calendar's reading near a second; what no static
bound sees (a rule whose filters never match again) is cut by :func:`cpu_limit`. Every
refusal is an :class:`~planner.models.problems.InputError` naming the file, with the line
of the content line at fault (folded lines are counted from their first line).
"""

from __future__ import annotations

import hashlib
import math
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from planner.models.limits import MEBIBYTE, describe_character
from planner.models.problems import InputError, Problem

MAX_CALENDAR_EVENTS = 5_000
"""The most events a calendar may hand to the parser: recurring ones, their moved
occurrences and single events near the dates read. A room's busiest three years are
well under this; a file with more is better exported for the dates planned."""

MAX_RECURRENCE_STEPS = 100_000
"""The most steps (periods of its frequency, times what each period may hold) a
recurrence may take from its start to the end of the dates read: a daily event since
1750, a weekly one on five weekdays for three centuries. Each step costs the recurrence
library a few microseconds, so that this keeps expanding under a second."""

MAX_OCCURRENCES = 10_000
"""The most occurrences a calendar's events may give in the dates read: a busy room
booked ten times a day for three years. An event every minute over a week is refused."""

CPU_SECONDS = 4.0
"""Processor time that reading one calendar may take (parsing and expanding): more
is a recurrence the library walks to the year 9999 looking for an occurrence that
never comes (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``)."""

MAX_NESTING = 8
"""The deepest nesting of components (``VCALENDAR`` > ``VEVENT`` > ``VALARM`` is 3)."""

MARGIN = timedelta(days=2)
"""How far around the dates read an event is kept: local dates differ from host dates
by less than a day anywhere on Earth."""

_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TZID_PARAMETER = re.compile(r'(;TZID=)("[^"]*"|[^;:]*)', re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_DAYS_OF_DURATION = re.compile(
    r"^[+-]?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)

_MINUTES_PER = {
    "SECONDLY": 1 / 60,
    "MINUTELY": 1,
    "HOURLY": 60,
    "DAILY": 24 * 60,
    "WEEKLY": 7 * 24 * 60,
    "MONTHLY": 28 * 24 * 60,  # the shortest month: periods are never undercounted
    "YEARLY": 365 * 24 * 60,
}
_DAYS_PER_PERIOD = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7}
_DAY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")


class ExpansionTooLong(BaseException):
    """Reading a calendar took more than its processor time (:func:`cpu_limit`).

    A ``BaseException``, so that no ``except Exception`` inside a library swallows it.
    """


@dataclass(frozen=True)
class EventLines:
    """Where one ``VEVENT`` of the file is: the line of its ``BEGIN`` and the first line
    of each of its properties, by upper-case name."""

    begin: int
    properties: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """Return the line of property ``name``, or of the event's ``BEGIN``."""
        return self.properties.get(name.upper(), self.begin)


@dataclass(frozen=True)
class CalendarText:
    """An iCalendar file as planner hands it to the parser (see the module's docstring)."""

    path: Path
    text: str
    """The text parsed: zones first, named by IANA; the events kept, unfolded."""
    events: tuple[EventLines, ...]
    """The kept events, in the order of the file (and of the parser's ``walk``)."""
    left_out: int
    """Single events left out before parsing: days outside the dates read."""


def calendar_problem(path: Path | str, message: str, line: int | None = None) -> InputError:
    """Return the error of a calendar file: ``message`` at ``line`` of ``path``."""
    return InputError([Problem((), message, line)], str(path))


def read_calendar_text(
    path: str | Path, first_day: date, last_day: date, max_bytes: int
) -> CalendarText:
    """Read an iCalendar file within the input limits, for the dates ``first_day`` to
    ``last_day`` (see the module's docstring for what is checked and left out).

    Raises
    ------
    InputError
        Naming the file, with the line of the first problem found.
    """
    path = Path(path)
    text = _decoded(path, max_bytes)
    scanner = _Scanner(path, first_day - MARGIN, last_day + MARGIN)
    return scanner.scan(text)


def _decoded(path: Path, max_bytes: int) -> str:
    """Return the file's text: at most ``max_bytes``, UTF-8 without a byte order mark, no
    raw control character (each refusal at its line)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise calendar_problem(
            path, f"cannot read the calendar: {error.strerror or error}"
        ) from None
    if len(raw) > max_bytes:
        limit = f"{max_bytes / MEBIBYTE:g} MB"
        raise calendar_problem(path, f"the calendar is larger than the limit of {limit}")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise calendar_problem(path, f"not UTF-8 text: {error.reason}", line) from None
    found = _RAW_CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        character = describe_character(found.group())
        raise calendar_problem(path, f"control character {character} in the calendar", line)
    return text


@dataclass
class _Line:
    """One unfolded content line: where it starts, its name, parameters and value."""

    number: int
    name: str
    parameters: str
    value: str

    def text(self) -> str:
        """Return the content line as written (unfolded)."""
        return f"{self.name}{self.parameters}:{self.value}"


@dataclass
class _Event:
    """A ``VEVENT`` being read: its lines (BEGIN to END), its own properties' lines and
    where each property is."""

    lines: list[_Line]
    top: list[_Line]
    where: EventLines

    def first(self) -> dict[str, str]:
        """Return the value of each of the event's own properties (the first, if repeated)."""
        values: dict[str, str] = {}
        for line in self.top:
            values.setdefault(line.name.upper(), line.value)
        return values


class _Scanner:
    """Reads the content lines of one file (see :func:`read_calendar_text`)."""

    def __init__(self, path: Path, first_day: date, last_day: date) -> None:
        """Read ``path`` for the dates ``first_day`` to ``last_day`` (margins included)."""
        self.path = path
        self.first_day = first_day
        self.last_day = last_day

    def refuse(self, message: str, line: int | None) -> NoReturn:
        """Raise the problem at ``line`` of the file (the first problem ends the reading:
        after a broken structure, nothing further can be trusted)."""
        raise calendar_problem(self.path, message, line)

    def scan(self, text: str) -> CalendarText:
        """Check the structure, name the zones, leave out far events, screen recurrences."""
        head: list[_Line] = []  # the calendar's own properties
        zones: list[list[_Line]] = []
        events: list[_Event] = []
        stack: list[tuple[str, int]] = []
        block: list[_Line] = []
        calendars = 0
        opening = next(
            ((n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()), None
        )
        if opening is None or not opening[1].strip().upper().startswith("BEGIN:VCALENDAR"):
            line_number = opening[0] if opening else 1
            self.refuse(
                "not an iCalendar file: it does not start with BEGIN:VCALENDAR", line_number
            )
        for line in self.content_lines(text):
            name = line.name.upper()
            value = line.value.strip().upper()
            if name == "BEGIN":
                if not stack:
                    if value != "VCALENDAR":
                        found = line.text()[:40]
                        self.refuse(f"expected BEGIN:VCALENDAR, found {found}", line.number)
                    calendars += 1
                    if calendars > 1:
                        self.refuse("a second VCALENDAR: one calendar per file", line.number)
                if len(stack) >= MAX_NESTING:
                    self.refuse(f"components nested deeper than {MAX_NESTING}", line.number)
                stack.append((value, line.number))
                if len(stack) == 2:
                    block = [line]
                elif len(stack) > 2:
                    block.append(line)
            elif name == "END":
                if not stack or stack[-1][0] != value:
                    expected = f"END:{stack[-1][0]}" if stack else "nothing"
                    self.refuse(f"END:{value} where {expected} was expected", line.number)
                if len(stack) >= 2:
                    block.append(line)
                if len(stack) == 2:
                    if value == "VEVENT":
                        events.append(self.event(block))
                    elif value == "VTIMEZONE":
                        zones.append(block)
                stack.pop()
            elif not stack:
                where = "after END:VCALENDAR" if calendars else "before BEGIN:VCALENDAR"
                self.refuse(f"content {where}: {line.text()[:40]!r}", line.number)
            elif len(stack) == 1:
                head.append(line)
            else:
                block.append(line)
        if stack:
            component, opened = stack[-1]
            self.refuse(f"BEGIN:{component} is never ended (END:{component} missing)", opened)
        if not calendars:
            self.refuse("not an iCalendar file (no BEGIN:VCALENDAR)", 1)
        names = self.zone_names(zones, events)
        kept = [event for event in events if self.kept(event)]
        if len(kept) > MAX_CALENDAR_EVENTS:
            self.refuse(
                f"{len(kept)} recurring events or events near the dates planned: more than "
                f"{MAX_CALENDAR_EVENTS} (export only the dates you plan)",
                kept[MAX_CALENDAR_EVENTS].where.begin,
            )
        self.screen_recurrences(kept)
        out = ["BEGIN:VCALENDAR", *(line.text() for line in head)]
        for zone in zones:
            out += [self.named(line, names) for line in zone]
        for event in kept:
            out += [self.named(line, names) for line in event.lines]
        out.append("END:VCALENDAR")
        return CalendarText(
            self.path,
            "\r\n".join(out) + "\r\n",
            tuple(event.where for event in kept),
            len(events) - len(kept),
        )

    def content_lines(self, text: str) -> Iterator[_Line]:
        """Yield the unfolded content lines (RFC 5545 3.1), each with its first line.

        A line that starts with a space or a tab continues the one before; CRLF and LF
        line ends are both read; blank lines are skipped.
        """
        pending: list[str] = []
        start = 0
        for number, physical in enumerate(text.split("\n"), start=1):
            physical = physical.removesuffix("\r")
            if physical[:1] in (" ", "\t") and pending:
                pending.append(physical[1:])
                continue
            if pending:
                yield self.parsed("".join(pending), start)
            pending, start = ([physical], number) if physical.strip() else ([], number)
        if pending:
            yield self.parsed("".join(pending), start)

    def parsed(self, text: str, number: int) -> _Line:
        """Split a content line into name, parameters and value (a ``:`` inside a quoted
        parameter value is not the separator)."""
        quoted = False
        for index, character in enumerate(text):
            if character == '"':
                quoted = not quoted
            elif character == ":" and not quoted:
                head, value = text[:index], text[index + 1 :]
                name, _, parameters = head.partition(";")
                if _NAME.match(name):
                    return _Line(number, name, ";" + parameters if parameters else "", value)
                break
        self.refuse(f"not an iCalendar content line: {text[:40]!r}", number)

    def event(self, lines: list[_Line]) -> _Event:
        """Return an event (its lines from BEGIN to END) with its own properties: those
        of its alarms are not its own."""
        top: list[_Line] = []
        depth = 0
        for line in lines:
            name = line.name.upper()
            if name in ("BEGIN", "END"):
                depth += 1 if name == "BEGIN" else -1
            elif depth == 1:
                top.append(line)
        properties: dict[str, int] = {}
        for line in top:
            properties.setdefault(line.name.upper(), line.number)
        return _Event(lines, top, EventLines(lines[0].number, properties))

    # ---- zones ---------------------------------------------------------------------------

    def zone_names(self, zones: list[list[_Line]], events: list[_Event]) -> dict[str, str]:
        """Return, for every zone name the file uses or defines, the name the parser gets."""
        defined: dict[str, list[_Line]] = {}
        for zone in zones:
            for line in zone:
                if line.name.upper() == "TZID":
                    defined[_unquoted(line.value)] = zone
        names: dict[str, str] = {}
        for tzid, zone in defined.items():
            names[tzid] = iana_name(tzid) or _own_zone_name(zone)
        for event in events:
            for line in event.lines:
                for match in _TZID_PARAMETER.finditer(line.parameters):
                    tzid = _unquoted(match.group(2))
                    if tzid in names:
                        continue
                    iana = iana_name(tzid)
                    if iana is None:
                        self.refuse(
                            f"unknown time zone {tzid!r}: neither an IANA nor a Windows zone "
                            "name, and no VTIMEZONE in the file defines it",
                            line.number,
                        )
                    names[tzid] = iana
        return names

    def named(self, line: _Line, names: dict[str, str]) -> str:
        """Return a content line with its zone named as the parser is to read it."""
        if line.name.upper() == "TZID":
            return f"{line.name}{line.parameters}:{names.get(_unquoted(line.value), line.value)}"
        parameters = _TZID_PARAMETER.sub(
            lambda match: match.group(1) + names.get(_unquoted(match.group(2)), match.group(2)),
            line.parameters,
        )
        return f"{line.name}{parameters}:{line.value}"

    # ---- what is kept ----------------------------------------------------------------------

    def kept(self, event: _Event) -> bool:
        """Whether an event may touch the dates read: a recurring event or a moved
        occurrence always, a single event unless its dates lie outside them.

        The dates are read from the text (the first eight digits of DTSTART and DTEND,
        or DTSTART and a DURATION's days); the dates read already have a margin of
        :data:`MARGIN` either side, wider than any zone's offset. An event whose dates
        cannot be read so is kept: the parser says what is wrong with it.
        """
        values = event.first()
        if {"RRULE", "RDATE", "RECURRENCE-ID"} & values.keys() or "DTSTART" not in values:
            return True
        start = _day_of(values["DTSTART"])
        if start is None:
            return True  # the parser names what is wrong with it
        end = _day_of(values["DTEND"]) if "DTEND" in values else start
        if "DTEND" not in values and "DURATION" in values:
            days = _days_of_duration(values["DURATION"])
            end = None if days is None else start + timedelta(days=days)
        if end is None:
            return True
        return not (start > self.last_day or end < self.first_day)

    def screen_recurrences(self, events: list[_Event]) -> None:
        """Refuse a recurrence that would take too many steps to reach the dates read, or
        events that could give too many occurrences in them (before expanding anything)."""
        total = 0
        for event in events:
            values = event.first()
            start = _day_of(values["DTSTART"]) if "DTSTART" in values else None
            rrules = [line for line in event.top if line.name.upper() == "RRULE"]
            rdates = [line for line in event.top if line.name.upper() == "RDATE"]
            occurrences = 1 + sum(len(line.value.split(",")) for line in rdates)
            for rule in rrules:
                if start is None:
                    break  # the parser names the missing or broken start
                steps, within = self.recurrence_size(rule, start)
                if steps > MAX_RECURRENCE_STEPS:
                    self.refuse(
                        f"the recurrence {rule.value[:60]} takes about {steps:,} steps from "
                        f"{start} to the dates planned: more than {MAX_RECURRENCE_STEPS:,} "
                        "(start the series later or repeat it less often)",
                        rule.number,
                    )
                occurrences += within
            total += occurrences
            if total > MAX_OCCURRENCES:
                self.refuse(
                    f"the events up to this one could give {total:,} occurrences in the dates "
                    f"planned: more than {MAX_OCCURRENCES:,}",
                    rrules[0].number if rrules else event.where.begin,
                )

    def recurrence_size(self, rule: _Line, start: date) -> tuple[int, int]:
        """Return an upper bound of the steps the recurrence library takes from ``start``
        to the end of the dates read, and of the occurrences within them.

        A step is one period of the rule's frequency (``INTERVAL`` of them at a time) plus
        what each period may hold: every ``BYHOUR``, ``BYMINUTE`` and ``BYSECOND`` value,
        and every day of a year, month or week that ``BYDAY``-like parts may pick. A
        month counts as 28 days, so that periods are never undercounted.
        """
        parts: dict[str, str] = {}
        for part in rule.value.split(";"):
            key, _, value = part.partition("=")
            parts[key.strip().upper()] = value.strip()
        frequency = parts.get("FREQ", "").upper()
        if frequency not in _MINUTES_PER:
            self.refuse(f"the recurrence {rule.value[:60]} has no known FREQ", rule.number)
        interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
        period = _MINUTES_PER[frequency] * max(interval, 1)
        per_period = 1
        for key in ("BYSECOND", "BYMINUTE", "BYHOUR"):
            if parts.get(key):
                per_period *= len(parts[key].split(","))
        if frequency in _DAYS_PER_PERIOD and any(parts.get(key) for key in _DAY_PARTS):
            per_period *= _DAYS_PER_PERIOD[frequency]
        until = _day_of(parts["UNTIL"]) if parts.get("UNTIL") else None
        end = min(self.last_day, until) if until else self.last_day
        minutes = max(0, (end - start).days + 1) * 24 * 60
        steps = math.ceil(minutes / period) * (1 + per_period)
        first = max(start, self.first_day)
        within_minutes = max(0, (end - first).days + 1) * 24 * 60
        within = math.ceil(within_minutes / period) * per_period
        if parts.get("COUNT", "").isdigit():
            within = min(within, int(parts["COUNT"]))
        return steps, within


def iana_name(tzid: str) -> str | None:
    """Return the IANA name of a zone name as calendars write it, or ``None``.

    An IANA name stays as it is; a Windows name (``W. Europe Standard Time``, as Outlook
    and Exchange write them) maps through CLDR's ``windowsZones`` table, which the
    ``icalendar`` library carries; a "globally unique" name (``/mozilla.org/.../Europe/
    Berlin``, RFC 5545 3.2.19) is read by its IANA tail.
    """
    cleaned = tzid.strip().strip('"').strip("/")
    candidates = [cleaned, WINDOWS_TO_OLSON.get(cleaned, "")]
    parts = cleaned.split("/")
    candidates += ["/".join(parts[start:]) for start in range(1, len(parts))]
    for candidate in candidates:
        if candidate and _known_zone(candidate):
            return candidate
    return None


def _known_zone(name: str) -> bool:
    """Whether ``zoneinfo`` knows the IANA zone ``name``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _own_zone_name(zone: list[_Line]) -> str:
    """Return a name for a zone the file defines itself: the same definition always gets
    the same name, two definitions never share one."""
    digest = hashlib.sha256("\n".join(line.text() for line in zone).encode()).hexdigest()
    return f"planner-vtimezone-{digest[:20]}"


def _unquoted(value: str) -> str:
    """Return a parameter or property value without its quotes."""
    return value.strip().strip('"')


def _day_of(value: str) -> date | None:
    """Return the date a ``DATE`` or ``DATE-TIME`` value starts with, or ``None``."""
    digits = value.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _days_of_duration(value: str) -> int | None:
    """Return the whole days (rounded up) of an RFC 5545 duration, or ``None``."""
    match = _DAYS_OF_DURATION.match(value.strip())
    if match is None:
        return None
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return weeks * 7 + days + math.ceil((hours * 3600 + minutes * 60 + seconds) / 86400)


def parse_calendar(calendar: CalendarText) -> icalendar.Calendar:
    """Return the parsed calendar; refuse what the parser cannot read, at its line.

    Raises
    ------
    InputError
        For a property the library cannot read (a start that is no date, an unknown
        frequency), an event without a start or one that ends before it starts.
    """
    try:
        parsed = icalendar.Calendar.from_ical(calendar.text)
    except ValueError as error:
        raise calendar_problem(calendar.path, f"the calendar cannot be read: {error}") from None
    events = list(parsed.walk("VEVENT"))
    for event, where in zip(events, calendar.events, strict=False):
        for name, message in getattr(event, "errors", []):
            raise calendar_problem(calendar.path, f"{name}: {message}", where.line_of(name))
        if "DTSTART" not in event:
            raise calendar_problem(calendar.path, "an event without DTSTART", where.begin)
        starts: Any = event["DTSTART"]
        start = starts.dt
        if isinstance(start, datetime) and start.tzinfo is None and "TZID" in starts.params:
            zone = starts.params["TZID"]
            line = where.line_of("DTSTART")
            raise calendar_problem(calendar.path, f"unknown time zone {zone!r}", line)
        ends: Any = event.get("DTEND")
        if ends is not None and _ends_before(start, ends.dt):
            message = f"the event ends ({ends.dt}) before it starts ({start})"
            raise calendar_problem(calendar.path, message, where.line_of("DTEND"))
    return parsed


def _ends_before(start: date, end: date) -> bool:
    """Whether an event's end comes before its start (dates with dates, aware times with
    aware times, floating with floating; a mix is left to the reading of the event)."""
    if isinstance(start, datetime) != isinstance(end, datetime):
        return False
    if (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    ):
        return False
    return bool(end < start)


@contextmanager
def cpu_limit(seconds: float = CPU_SECONDS) -> Iterator[None]:
    """Raise :class:`ExpansionTooLong` in the block once it has taken ``seconds`` of
    processor time.

    Processor time, not time on the clock, so that a machine busy with other work does
    not refuse a calendar that an idle one reads. Signals reach the main thread only;
    elsewhere the block runs unguarded (the static limits of :func:`read_calendar_text`
    still bound it).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        """Stop the reading where it is."""
        raise ExpansionTooLong

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
