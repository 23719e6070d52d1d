"""Print a project's problems for people (with source excerpts) or programs (JSON, GitHub annotations)."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from ..core.errors import Problem, format_problem

Format = Literal["text", "json", "github"]

GITHUB_TITLE = "factsite"
"""The title of every GitHub annotation."""
MAX_SHOWN = 100
"""The most problems printed in full as text or annotations (a file broken throughout would otherwise print
for minutes); the rest are counted by kind, and `--format json` gives them all."""
KINDS_SHOWN = 5
"""The most kinds of problem the count of the rest names."""
_SPECIFIC = re.compile(r"'[^']*'|\b\d[\d,.]*\b")


def report(root: Path, problems: Sequence[Problem], fmt: Format = "text") -> None:
    """Print problems: as text with source excerpts and a summary line on stderr, as JSON on stdout, or as
    GitHub workflow commands (`::error file=...::message`) on stdout with the summary line on stderr."""
    if fmt == "json":
        print(json.dumps({"problems": [p.as_dict() for p in problems]}, indent=2))
        return
    if fmt == "github":
        workspace = github_workspace()
        for problem in problems[:MAX_SHOWN]:
            print(github_annotation(root, problem, workspace))
        if len(problems) > MAX_SHOWN:
            print(not_shown(problems), file=sys.stderr)
        print(summary(problems), file=sys.stderr)
        return
    for problem in problems[:MAX_SHOWN]:
        print(format_problem(root, problem), file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(not_shown(problems), file=sys.stderr)
    print("\n" + summary(problems), file=sys.stderr)


def not_shown(problems: Sequence[Problem]) -> str:
    """Return the line that stands for the problems past MAX_SHOWN, counted by kind."""
    rest = problems[MAX_SHOWN:]
    kinds = Counter(kind(problem) for problem in rest).most_common()
    named = "; ".join(f"{count:,} × {text}" for text, count in kinds[:KINDS_SHOWN])
    if len(kinds) > KINDS_SHOWN:
        others = sum(count for _, count in kinds[KINDS_SHOWN:])
        named += f"; {others:,} of {len(kinds) - KINDS_SHOWN:,} other kinds"
    return (f"... {len(rest):,} more problems not shown ({summary(rest).rstrip('.')}: {named}). Fix the first "
            "ones and run again, or see them all with 'check --format json'.")


def kind(problem: Problem) -> str:
    """Return what a problem is, without its particulars: "error: unknown key '…'"."""
    return f"{problem.severity}: " + _SPECIFIC.sub(lambda m: "'…'" if m.group().startswith("'") else "N",
                                                  problem.message)


def summary(problems: Sequence[Problem]) -> str:
    """Return the closing line: '2 errors, 1 warning.'"""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."


def github_workspace(environ: Mapping[str, str] = os.environ) -> Path:
    """Return the folder GitHub annotation paths are relative to: GITHUB_WORKSPACE, else the current one."""
    return Path(environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()


def github_annotation(root: Path, problem: Problem, workspace: Path) -> str:
    """Return the workflow command that shows a problem as a GitHub annotation at its place:
    `::error file=desk/claims.yaml,line=42,col=14,title=factsite::message. hint`.

    The file is relative to `workspace` (absolute when the project is outside it); line and column are left
    out when unknown.
    """
    properties: dict[str, str] = {}
    if problem.location.path:
        file = (root / problem.location.path).resolve()
        try:
            properties["file"] = file.relative_to(workspace).as_posix()
        except ValueError:
            properties["file"] = file.as_posix()
    if problem.location.line:
        properties["line"] = str(problem.location.line)
        if problem.location.column:
            properties["col"] = str(problem.location.column)
    properties["title"] = GITHUB_TITLE
    listed = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{problem.severity} {listed}::{escape_data(problem_text(problem))}"


def problem_text(problem: Problem) -> str:
    """Return the message and its hint as one text, as the one-line headline joins them."""
    if not problem.hint:
        return problem.message
    joiner = " " if problem.message.endswith((".", "?", "!")) else ". "
    return problem.message + joiner + problem.hint


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub reads it: `%`, carriage return and newline."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: as a message, and `:` and `,` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
