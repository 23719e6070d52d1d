"""Every page's address on the site, in one place: Python and templates both build links from here.

A site URL is relative to the site's root and in directory form (`claims/x/`); `output_for`
gives the file it is served from (`claims/x/index.html`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from .names import WINDOWS_DEVICES

INDEX = ""
SOURCES = "sources/"
TIMELINE = "timeline/"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
DATA_JSON = "claims.json"
DATA_CSV = "claims.csv"
SEARCH = "search/"
"""The search page: Pagefind's results with JavaScript, every claim listed without."""
SEARCH_BUNDLE = "pagefind/"
"""The search index and Pagefind's script, written by the pagefind binary (see site/search.py)."""
PREVIEW_FOLDER = "_factsite/"
"""The preview server's own files: its reload client and build status."""
PREVIEW_SCRIPT = f"{PREVIEW_FOLDER}preview.js"

_CLAIMS, _VERDICTS, _CLAIMANTS, _TAGS, STATIC = "claims", "verdicts", "claimants", "tags", "static"
RESERVED = frozenset({_CLAIMS, _VERDICTS, _CLAIMANTS, _TAGS, STATIC, SOURCES.strip("/"), TIMELINE.strip("/"),
                      SEARCH.strip("/"), SEARCH_BUNDLE.strip("/"), "index"})
"""Names a content page cannot take: the site's own sections use them."""


class Named(Protocol):
    """Anything with a claimant's name and optional page name."""

    name: str
    slug: str | None


def claim(claim_id: str) -> str:
    """Return a claim's page."""
    return f"{_CLAIMS}/{claim_id}/"


def embed(claim_id: str) -> str:
    """Return a claim's embeddable card."""
    return f"{_CLAIMS}/{claim_id}/embed/"


def share_image(claim_id: str, key: str) -> str:
    """Return a claim's share image, named after the hash of what it shows."""
    return f"{_CLAIMS}/{claim_id}/share-{key[:8]}.png"


def verdict(verdict_id: str) -> str:
    """Return the page listing the claims with a verdict."""
    return f"{_VERDICTS}/{verdict_id}/"


def claimant(person: Named) -> str:
    """Return a claimant's page."""
    return f"{_CLAIMANTS}/{claimant_slug(person)}/"


def tag(name: str) -> str:
    """Return a tag's page."""
    return f"{_TAGS}/{name}/"


def page(name: str) -> str:
    """Return a content page (content/<name>.md)."""
    return f"{name}/"


MAX_SLUG = 64
"""The longest page name made from a claimant's name, as long as an id may be."""


def claimant_slug(person: Named) -> str:
    """Return the claimant page's name: `slug:`, or the ASCII-folded name cut to 64 characters
    (`claimant-con` for a name that folds to a Windows device name)."""
    if person.slug:
        return person.slug
    folded = unicodedata.normalize("NFKD", person.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower())[:MAX_SLUG].strip("-") or "claimant"
    return f"claimant-{slug}" if slug in WINDOWS_DEVICES else slug


def output_for(url: str) -> str:
    """Return the file a site URL is served from: `claims/x/` -> `claims/x/index.html`."""
    path = url.split("#", 1)[0]
    return path + "index.html" if path == "" or path.endswith("/") else path


def url_for(output: str) -> str:
    """Return the directory-form URL of an output file: `claims/x/index.html` -> `claims/x/`."""
    return output[: -len("index.html")] if output == "index.html" or output.endswith("/index.html") else output
