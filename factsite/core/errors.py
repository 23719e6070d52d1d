"""Problems found in a project's files, with their place, and how to print them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file: path relative to the project root, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the user's files, with a hint on how to fix it."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = "error"

    def headline(self) -> str:
        """Return the one-line `path:line:col: error: message. hint` form."""
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f". {self.hint}" if not text.endswith((".", "?", "!")) else f" {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """Return the problem as plain data for `check --format json`."""
        return {
            "path": self.location.path,
            "line": self.location.line or None,
            "column": self.location.column or None,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Problems:
    """A collector: every stage adds what it finds, and the command fails once at the end."""

    items: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        """Record an error."""
        self.items.append(Problem(location, message, hint, "error"))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.items.append(Problem(location, message, hint, "warning"))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems found elsewhere."""
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Return the errors only."""
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Return the warnings only."""
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Return the problems in file order, without duplicates."""
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda p: (p.location, p.severity, p.message))


class BuildFailed(Exception):
    """Raised when the user's files have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UsageError(Exception):
    """Raised when the command line cannot be used (exit code 2)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return "Did you mean 'x'?" for the closest choice, or "".

    A choice differing only in case wins; otherwise the closest spelling, if any is close.
    """
    known = list(choices)
    match = [choice for choice in known if choice.lower() == word.lower()]
    match = match or difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"Did you mean '{match[0]}'?" if match else ""


def source_excerpt(root: Path, location: Location) -> str:
    """Return the offending source line with a caret under the column, or ""."""
    if not location.line:
        return ""
    try:
        lines = (root / location.path).read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return ""
    if location.line > len(lines):
        return ""
    text = lines[location.line - 1].rstrip("\r").expandtabs(1)
    number = f"{location.line:>5} | "
    excerpt = f"{number}{text}"
    if location.column:
        excerpt += "\n" + " " * (len(number) - 2) + "| " + " " * (location.column - 1) + "^"
    return excerpt


def format_problem(root: Path, problem: Problem) -> str:
    """Return the headline followed by the source line and caret."""
    excerpt = source_excerpt(root, problem.location)
    return problem.headline() + ("\n" + excerpt if excerpt else "")
