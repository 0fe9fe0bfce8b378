"""Where the command line prints: two consoles that never read markup, and messages with
control characters escaped (SPEC 2.7.4: text from a scenario is never interpreted as
terminal markup)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from planner.models.limits import printable

# markup=False: text from a scenario, a plan or a path is printed as it is, never read as
# rich markup; styles are given as Text styles.
stdout = Console(highlight=False, soft_wrap=True, markup=False)
"""Results: tables, timetables, summaries."""
stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
"""Errors, progress and notes."""


def say(console: Console, message: str, style: str | None = None, detail: str = "") -> None:
    """Print a message (and a plain detail after it) with control characters escaped."""
    text = Text(printable(message), style=style or "")
    if detail:
        text.append(" " + printable(detail))
    console.print(text)
