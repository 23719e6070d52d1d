"""The build pipeline: read -> evidence -> render -> write; `check` stops before write."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.errors import BuildFailed, Problem, Problems
from ..project.claimcache import ClaimCache
from ..project.evidence import Evidence, gather_evidence
from ..project.lints import lint_project
from ..project.model import Project
from ..project.read import read_project
from . import buildstate
from .assemble import render_site
from .buildstate import Built, Caches, Stamp
from .options import BuildOptions
from .render import PreviousSite, RenderCache
from .write import Output, remove_leftovers, write_site


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
    evidence = gather_evidence(project, problems)
    lint_project(project, evidence, problems, dt.date.today())
    outputs = render_site(root, project, evidence, options, problems, cache or RenderCache(), previous)
    if problems.errors or (strict and problems.warnings):
        raise BuildFailed(problems.sorted())
    return Rendered(project, evidence, outputs, problems.sorted())


def build(root: Path, out: Path, options: BuildOptions, *, strict: bool = False, clean: bool = False) -> Built:
    """Build the project into `out`, doing only the work its changes since the last build call for.

    When no input changed since the last build into `out`, and `out` is the folder it wrote, the
    last report is repeated and nothing is read or written. Otherwise unchanged pages are taken from
    `out` as they are, and the rest rendered; either way `out` ends up byte-identical to what a build
    from nothing writes. `clean` ignores what earlier builds kept, and renders everything.
    """
    inputs = buildstate.inputs_digest(root, options, dt.date.today())
    stamp = None if clean else buildstate.load_stamp(root, out)
    if stamp is not None and stamp.inputs == inputs:
        if strict and stamp.built.warnings:
            raise BuildFailed(stamp.built.warnings)
        remove_leftovers(out)
        return replace(stamp.built, changed=0, skipped=True)
    caches = buildstate.load_caches(root, out, stamp) if stamp is not None else None
    cache = caches.render if caches is not None else RenderCache()
    claims = caches.claims if caches is not None else ClaimCache()
    previous = PreviousSite(out, caches.files) if caches is not None else None
    rendered = read_and_render(root, options, strict=strict, cache=cache, claim_cache=claims, previous=previous)
    buildstate.forget(root, out)  # the folder is about to change: what was kept of it no longer holds
    changed, identity = write_site(rendered.outputs, out)
    built = Built(rendered.warnings, sum(1 for path in rendered.outputs if path.endswith(".html")),
                  len(rendered.outputs), changed, rendered.evidence.summary(),
                  options.base_url or rendered.project.site.base_url)
    files = buildstate.scan_folder(out)
    name = secrets.token_hex(8)
    buildstate.save(root, out, Stamp(inputs, identity, buildstate.files_digest(files), built, name),
                    Caches(name, buildstate.templates_digest(root), cache.kept(files), claims, files))
    return built
