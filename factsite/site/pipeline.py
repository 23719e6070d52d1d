"""The build pipeline: read -> evidence -> render -> write; `check` stops before write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildFailed, Problem, Problems
from ..project.claimcache import ClaimCache
from ..project.evidence import Evidence, gather_evidence
from ..project.lints import lint_project
from ..project.model import Project
from ..project.read import read_project
from .assemble import render_site
from .options import BuildOptions
from .render import RenderCache
from .write import write_site


@dataclass(frozen=True)
class Rendered:
    """A project checked and rendered, ready to write."""

    project: Project
    evidence: Evidence
    outputs: dict[str, bytes]
    warnings: list[Problem]
    """Problems of severity warning, for the command line to print."""


def read_and_render(root: Path, options: BuildOptions, *, strict: bool = False,
                   cache: RenderCache | None = None, claim_cache: ClaimCache | None = None) -> Rendered:
    """Read and check everything, then render; raise BuildFailed with every problem found.

    Caches kept across calls (the preview server's) let a rebuild re-read only the claims and
    re-render only the pages whose inputs changed.
    """
    problems = Problems()
    project = read_project(root, problems, drafts=options.drafts, cache=claim_cache)
    if project is None:
        raise BuildFailed(problems.sorted())
    evidence = gather_evidence(project, problems)
    lint_project(project, evidence, problems, dt.date.today())
    outputs = render_site(root, project, evidence, options, problems, cache or RenderCache())
    if problems.errors or (strict and problems.warnings):
        raise BuildFailed(problems.sorted())
    return Rendered(project, evidence, outputs, problems.sorted())


def build(root: Path, out: Path, options: BuildOptions, *, strict: bool = False) -> tuple[Rendered, int]:
    """Render the project and swap the result into `out`; return it and the number of files written."""
    rendered = read_and_render(root, options, strict=strict)
    return rendered, write_site(rendered.outputs, out)
