"""The stand-in values `init` writes into a new project, and the check that warns of each one left.

A new project's claims.yaml (starter/claims.yaml) is valid as written, so its first build works,
but its texts say REPLACE, its addresses are at replace-me.example (`.example` is reserved, never
a real host) and the article's date is 1970-01-01. Every such value still there is a located
warning at each check and build, so `--strict` fails until the desk has replaced them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import Problems
from ..core.nodes import Map, Node, Scalar

STARTER_DIR = Path(__file__).resolve().parent / "starter"
"""The files `init` copies into a new project (see factsite/commands/init.py)."""

TEXT_MARKER = "REPLACE"
"""Starts every stand-in text: `REPLACE with the site's name`."""
PLACEHOLDER_HOST = "replace-me.example"
"""The host of every stand-in address: `https://replace-me.example/`, `desk@replace-me.example`."""
PLACEHOLDER_DATES = {"published": "1970-01-01"}
"""Stand-in dates, by the key they are written under: a date cannot say REPLACE and stay a date."""

_MARKED = re.compile(rf"\b{TEXT_MARKER}\b|\b{re.escape(PLACEHOLDER_HOST)}\b")

MESSAGE = "placeholder from factsite init: replace it"
HINT = "'check --strict' fails while one is left."


def is_placeholder(text: str, path: tuple[str, ...] = ()) -> bool:
    """Return whether a value is one of init's stand-ins; `path` ends with the key it is under (`published`)."""
    if TEXT_MARKER in text or PLACEHOLDER_HOST in text:  # a quick test first: most texts hold neither
        return bool(_MARKED.search(text))
    return bool(path) and PLACEHOLDER_DATES.get(path[-1]) == text.strip()


def warn_placeholders(nodes: Iterable[Node], problems: Problems) -> None:
    """Record a warning at each stand-in value under `nodes` (claims.yaml's sections, or claims)."""
    stack: list[tuple[Node, tuple[str, ...]]] = [(node, ()) for node in nodes]
    while stack:
        node, path = stack.pop()
        if isinstance(node, Scalar):
            if not node.reported and is_placeholder(node.text, path):
                problems.warning(node.loc, MESSAGE, HINT)
        elif isinstance(node, Map):  # a value's path is the key it is under, all that PLACEHOLDER_DATES names
            stack.extend((value, (key,)) for key, (_, value) in node.entries.items())
        else:
            stack.extend((item, path) for item in node.items)
