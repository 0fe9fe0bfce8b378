"""Problems found in a scenario, each with its location."""

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
        return format_location(self.location)

    def __str__(self) -> str:
        where = self.path or "file"
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}


class InputError(Exception):
    """An input file that cannot be used; carries every problem found, each located."""

    def __init__(self, problems: Iterable[Problem], source: str = "") -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        self.source = source
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(InputError):
    """A scenario that cannot be used; carries every problem found."""
