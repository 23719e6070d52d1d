"""Print a project's problems for people (with source excerpts) or programs (JSON)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..core.errors import Problem, format_problem

Format = Literal["text", "json"]


def report(root: Path, problems: Sequence[Problem], fmt: Format = "text") -> None:
    """Print problems: as text with source excerpts and a summary line on stderr, or as JSON on stdout."""
    if fmt == "json":
        print(json.dumps({"problems": [p.as_dict() for p in problems]}, indent=2))
        return
    for problem in problems:
        print(format_problem(root, problem), file=sys.stderr)
    print("\n" + summary(problems), file=sys.stderr)


def summary(problems: Sequence[Problem]) -> str:
    """Return the closing line: '2 errors, 1 warning.'"""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."
