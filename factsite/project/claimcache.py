"""Keep each claim of claims.yaml read and validated, so the preview re-reads only the claims a save changed.

claims.yaml is cut into the text outside the `claims:` list and one piece per claim (lines are
kept in place, so every position stays right). A claim whose text and first line are unchanged
comes back as the same object, which also makes the renderer's comparisons instant. Any
problem, or a layout the cut does not recognise, makes `load` return None: the caller then
reads the whole file the ordinary way, which gives the authoritative report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Problem, Problems
from ..core.fields import is_null
from ..core.nodes import Map, Node, Seq, parse_yaml
from .claimsblock import find_claims_block
from .evidence import EvidenceCache

ReadClaims = Callable[[list[Node], Problems], list[Any]]
"""Read claim nodes (drafts left out as configured) into records, recording problems."""


def split_claims(text: str) -> tuple[str, list[tuple[str, int]]] | None:
    """Return the text with the claims blanked out, and each claim's text with its first line."""
    lines = text.splitlines(keepends=True)
    block = find_claims_block(lines)
    if block is None or not block.items:
        return None
    starts, end = block.items, block.end
    chunks = [("".join(lines[a:b]), a + 1) for a, b in zip(starts, [*starts[1:], end], strict=True)]
    skeleton = "".join(lines[:starts[0]]) + "".join("\n" for _ in range(starts[0], end)) + "".join(lines[end:])
    return skeleton, chunks


@dataclass(frozen=True)
class FileClaims:
    """What reading one of claims/*.yaml gave: its claims (INVALID for one that could not be read), its
    problems, and the ids of the claims that could not be read."""

    claims: list[Any]
    problems: list[Problem]
    unreadable: frozenset[str]


@dataclass
class ClaimCache:
    """The claims read by the last load: those of claims.yaml keyed by their text, first line and the
    drafts setting; those of claims/*.yaml by file, its bytes and the drafts setting."""

    entries: dict[tuple[str, int, bool], tuple[list[Any], list[Problem]]] = field(default_factory=dict)
    reused: int = 0
    """How many claims the last load took from the cache."""
    files: dict[tuple[str, bytes, bool], FileClaims] = field(default_factory=dict)
    evidence: EvidenceCache = field(default_factory=EvidenceCache)
    """The checks' results of the claims read, re-run only for the claims that changed."""

    def read_files(self, files: list[tuple[str, bytes]], drafts: bool,
                   read_file: Callable[[str, bytes], FileClaims]) -> list[FileClaims]:
        """Return what each of claims/*.yaml (path, bytes) gives, reading only the files not read
        before as they are now; a file with errors is read again every time, for its report."""
        results, kept = [], {}
        for path, data in files:
            key = (path, data, drafts)
            result = self.files.get(key) or read_file(path, data)
            if not any(problem.severity == "error" for problem in result.problems):
                kept[key] = result
            results.append(result)
        self.files = kept
        return results

    def load(self, text: str, path: str, drafts: bool, read: ReadClaims) -> tuple[Map, list[Any], list[Problem]] | None:
        """Return the sections node, the claims and their warnings; None to read the file in full."""
        split = split_claims(text)
        if split is None:
            return None
        skeleton_text, chunks = split
        problems = Problems()
        skeleton = parse_yaml(skeleton_text, path, problems)
        if problems.items or not isinstance(skeleton, Map):
            return None
        blanked = skeleton.entries.get("claims")
        if blanked is None or not is_null(blanked[1]):  # the cut did not take the whole value of claims:
            return None
        claims: list[Any] = []
        warnings: list[Problem] = []
        entries = {}
        self.reused = 0
        for chunk, first_line in chunks:
            key = (chunk, first_line, drafts)
            hit = self.entries.get(key)
            if hit is None:
                hit = _read_chunk(chunk, first_line, path, read)
                if hit is None:
                    return None
            else:
                self.reused += 1
            entries[key] = hit
            claims.extend(hit[0])
            warnings.extend(hit[1])
        self.entries = entries
        return skeleton, claims, warnings


def _read_chunk(chunk: str, first_line: int, path: str, read: ReadClaims) -> tuple[list[Any], list[Problem]] | None:
    problems = Problems()
    node = parse_yaml(chunk, path, problems, line_offset=first_line - 1)
    if problems.items or not isinstance(node, Seq) or len(node.items) != 1:
        return None
    claims = read(list(node.items), problems)
    if problems.errors:
        return None
    return claims, problems.items
