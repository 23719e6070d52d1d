"""Problems found in a project's files, with their place, and how to print them."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

EXCERPT_WIDTH = 100
"""The most characters of a source line an error report shows: a longer line is cut around the column."""
MAX_MESSAGE = 2000
"""The most characters of a problem's message or hint; the middle of a longer one is left out."""

_C0_NAMES = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
             "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                        r"\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters a terminal would act on or hide: control characters, bidirectional overrides, surrogates, the BOM."""


def char_name(char: str) -> str:
    """Name a character for messages: U+0007 (BEL), U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    code = ord(char)
    name = _C0_NAMES[code] if code < 0x20 else "DEL" if code == 0x7F else unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Return `text` with control characters, bidirectional overrides and the like written as escapes (\\x07)."""
    return _INVISIBLE.sub(_escape, text)


def shorten(text: str, limit: int) -> str:
    """Return `text`, or its start and end around '…' when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def shown(text: str, limit: int = 60) -> str:
    """Return a value the user wrote as a message quotes it, on one line: invisible characters and line breaks
    escaped, cut to `limit`."""
    return visible(shorten(text, limit)).replace("\t", "\\t").replace("\n", "\\n")


class Location(NamedTuple):
    """A place in a project file: path relative to the project root, 1-based line and column.

    A named tuple rather than a dataclass: the reader makes one for each of the hundreds of thousands
    of values of a large project, and builds keep them in their caches, so how cheaply one is made,
    compared and pickled matters.
    """

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

    def __post_init__(self) -> None:
        # Whatever a message quotes, it stays one readable line that cannot steer the terminal.
        object.__setattr__(self, "message", visible(shorten(self.message, MAX_MESSAGE)))
        object.__setattr__(self, "hint", visible(shorten(self.hint, MAX_MESSAGE)))

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


_lines_cache: dict[str, tuple[tuple[int, int], list[str]]] = {}
"""The lines of the file last quoted: problems come in file order, so one file is read once per report."""


def _source_lines(path: Path) -> list[str] | None:
    """Return a file's lines (a BOM dropped, undecodable bytes replaced), or None if it cannot be read."""
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _lines_cache.get(str(path))
        if cached is not None and cached[0] == key:
            return cached[1]
        if not path.is_file():
            return None
        lines = path.read_bytes().decode("utf-8-sig", errors="replace").split("\n")
    except OSError:
        return None
    _lines_cache.clear()
    _lines_cache[str(path)] = (key, lines)
    return lines


def excerpt_window(line: str, column: int, width: int = EXCERPT_WIDTH) -> tuple[str, int]:
    """Return what to show of a source line, and where the caret goes in it (1-based; 0 for none).

    Invisible characters show as '\ufffd' (one column each, so the caret stays under its character);
    a line longer than `width` is cut around the column, with '…' where text is left out.
    """
    line = line.rstrip("\r")
    if len(line) <= width:
        return _INVISIBLE.sub("\ufffd", line.replace("\t", " ")), column
    start = max(0, min(column - 1 - width // 2, len(line) - width)) if column else 0
    end = start + width
    part = _INVISIBLE.sub("\ufffd", line[start:end].replace("\t", " "))
    shown_text = ("…" if start else "") + part + ("…" if end < len(line) else "")
    caret = column - start + (1 if start else 0) if column else 0
    return shown_text, caret


def source_excerpt(root: Path, location: Location) -> str:
    """Return the offending source line (cut to a terminal's width) with a caret under the column, or ""."""
    if not location.line:
        return ""
    lines = _source_lines(Path(os.path.join(root, location.path)))
    if lines is None or location.line > len(lines):
        return ""
    text, caret = excerpt_window(lines[location.line - 1], location.column)
    number = f"{location.line:>5} | "
    excerpt = f"{number}{text}"
    if caret:
        excerpt += "\n" + " " * (len(number) - 2) + "| " + " " * (caret - 1) + "^"
    return excerpt


def format_problem(root: Path, problem: Problem) -> str:
    """Return the headline followed by the source line and caret."""
    excerpt = source_excerpt(root, problem.location)
    return problem.headline() + ("\n" + excerpt if excerpt else "")
