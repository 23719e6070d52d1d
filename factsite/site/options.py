"""How to build: where the site will live, and which kind of build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where the site will live, and which kind of build."""

    base_url: str | None = None
    """Overrides site.base_url (a deploy at another address)."""
    drafts: bool = False
    file_urls: bool = False
    preview: bool = False
    """A preview build: asset names without hashes, the reload client on every page."""
    connect_src: str = ""
    """Extra connect-src origin for the preview's WebSocket."""
    search: bool = True
    """Make the search index (pagefind/). `check` has no use for it; the preview makes it after
    each build, off the path to the browser's reload."""
    write_caches: bool = True
    """Keep what later builds can reuse (drawn share images, compiled templates) in the project's
    .factsite/cache/; `check` turns this off to write nothing."""
