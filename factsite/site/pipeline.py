"""The build pipeline: read -> evidence -> render; `build` then writes (see `incremental`), `check` does not."""

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
from .render import PreviousSite, RenderCache
from .write import Output


@dataclass(frozen=True)
class Rendered:
    """A project checked and rendered, ready to write."""

    project: Project
    evidence: Evidence
    outputs: dict[str, Output]
    warnings: list[Problem]
    """Problems of severity warning, for the command line to print."""


def read_and_render(root: Path, options: BuildOptions, *, strict: bool = False,
                    cache: RenderCache | None = None, claim_cache: ClaimCache | None = None,
                    previous: PreviousSite | None = None) -> Rendered:
    """Read and check everything, then render; raise BuildFailed with every problem found.

    Caches kept across calls (the preview server's, or those `build` keeps between runs) let a
    rebuild re-read only the claims and re-render only the pages whose inputs changed. `previous` is
    the output folder the render cache's last build wrote: unchanged pages are taken from there.
    """
    problems = Problems()
    project = read_project(root, problems, drafts=options.drafts, cache=claim_cache)
    if project is None:
        raise BuildFailed(problems.sorted())
    evidence = gather_evidence(project, problems, claim_cache.evidence if claim_cache is not None else None)
    lint_project(project, evidence, problems, dt.date.today())
    outputs = render_site(root, project, evidence, options, problems, cache or RenderCache(), previous)
    if problems.errors or (strict and problems.warnings):
        raise BuildFailed(problems.sorted())
    return Rendered(project, evidence, outputs, problems.sorted())
