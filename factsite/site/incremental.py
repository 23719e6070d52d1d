"""`build`: write the site, doing only the work the project's changes since the last build call for."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import replace
from pathlib import Path

from ..core.errors import BuildFailed
from . import buildstate
from .buildstate import Built, Caches, Stamp
from .options import BuildOptions
from .write import remove_leftovers, write_site


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
    # Only a build with work to do loads the readers, the template engine and the caches.
    from ..project.claimcache import ClaimCache
    from . import pipeline
    from .render import PreviousSite, RenderCache

    caches = buildstate.load_caches(root, out, stamp) if stamp is not None else None
    cache = caches.render if caches is not None else RenderCache()
    claims = caches.claims if caches is not None else ClaimCache()
    previous = PreviousSite(out, caches.files) if caches is not None else None
    rendered = pipeline.read_and_render(root, options, strict=strict, cache=cache, claim_cache=claims,
                                        previous=previous)
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
