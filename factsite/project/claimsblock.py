"""Find the `claims:` list in the text of claims.yaml, line by line, for edits and partial re-reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLAIMS_KEY = re.compile(r"claims:[ \t]*(#.*)?\r?\n?")
_TOP_LEVEL = re.compile(r"[^\s#-]")
"""A line that starts the next top-level key ends the claims list."""
_ITEM = re.compile(r"( *)-(?:[ \t]|\r?\n|$)")


@dataclass(frozen=True)
class ClaimsBlock:
    """Where the `claims:` list lies, as 0-based line indexes of the file."""

    key: int
    """The `claims:` line."""
    end: int
    """The first line after the list (blank and comment lines up to the next key belong to it)."""
    items: tuple[int, ...]
    """The first line of each claim."""
    indent: str | None
    """The indentation of the claims' `- `, or None for an empty list."""
    last_content: int
    """The last line that is neither blank nor a comment (the key itself for an empty list)."""


def find_claims_block(lines: list[str]) -> ClaimsBlock | None:
    """Return where the `claims:` list at the left margin lies, or None if the file has none."""
    key = next((n for n, line in enumerate(lines) if _CLAIMS_KEY.fullmatch(line)), None)
    if key is None:
        return None
    end = key + 1
    while end < len(lines) and not _TOP_LEVEL.match(lines[end]):
        end += 1
    items: list[int] = []
    indent: str | None = None
    last_content = key
    for n in range(key + 1, end):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            last_content = n
        match = _ITEM.match(lines[n])
        if match and (indent is None or match.group(1) == indent):
            indent = match.group(1)
            items.append(n)
    return ClaimsBlock(key, end, tuple(items), indent, last_content)
