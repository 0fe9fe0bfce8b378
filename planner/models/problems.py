"""Problems found in an input file, each with its location (SPEC 2.5): a path with
0-based indices such as ``meetings[3].participants[1].country``, the YAML line where
known, and a plain message; and the errors that carry every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Location = tuple[str | int, ...]


def format_location(location: Location) -> str:
    """Return ``meetings[3].participants[1].country`` for a location tuple."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Problem:
    """One mistake in a scenario: where it is and what is wrong, in plain words."""

    location: Location
    message: str
    line: int | None = None

    @property
    def path(self) -> str:
        """The location as a path: ``meetings[3].participants[1].country``."""
        return format_location(self.location)

    def __str__(self) -> str:
        """Return the problem as text lists it: ``meetings[3].case (line 40): ...``."""
        where = self.path or "file"
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"

    def as_json(self) -> dict[str, object]:
        """Return the problem as ``--json`` lists it: ``path``, ``line``, ``message``."""
        return {"path": self.path, "line": self.line, "message": self.message}


class InputError(Exception):
    """An input file that cannot be used; carries every problem found, each located, and the
    file (``source``) they are in.
    """

    def __init__(self, problems: Iterable[Problem], source: str = "") -> None:
        """Keep every problem and the file they are in."""
        self.problems: Sequence[Problem] = tuple(problems)
        self.source = source
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(InputError):
    """A scenario that cannot be used; carries every problem found."""
