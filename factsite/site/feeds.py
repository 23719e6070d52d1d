"""Files for feed readers and crawlers: feed.xml (Atom), sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .claimreview import modified
from ..core.urls import url_for
from .links import Linker
from ..project.model import Project

if TYPE_CHECKING:
    from .render import Renderer

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NOINDEX = re.compile(rb"<meta\s+name=\"robots\"\s+content=\"[^\"]*noindex", re.IGNORECASE)


def atom_time(day: dt.date) -> str:
    """Return an Atom (RFC 3339) timestamp for a day: 2026-11-29T00:00:00Z."""
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(project: Project, linker: Linker) -> bytes:
    """Return feed.xml: an Atom entry per published claim, in article order."""
    claims = [c for c in project.claims if not c.draft]
    verdicts = {v.id: v for v in project.verdicts}
    site, publisher = project.site, project.site.publisher
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.language})
    _sub(feed, "id", linker.absolute(""))
    _sub(feed, "title", site.title)
    _sub(feed, "subtitle", site.description)
    latest = max((modified(c) for c in claims), default=project.article.published)
    _sub(feed, "updated", atom_time(latest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=linker.absolute("feed.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=linker.absolute(""))
    author = _sub(feed, "author")
    _sub(author, "name", publisher.name)
    _sub(author, "uri", publisher.url)
    _sub(feed, "rights", "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/")
    for claim in claims:
        url = linker.absolute(f"claims/{claim.id}/")
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", claim.claim)
        _sub(entry, "updated", atom_time(modified(claim)))
        _sub(entry, "published", atom_time(claim.reviewed))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "summary", f"{verdicts[claim.verdict].label}. {claim.summary}")
        for tag in claim.tags:
            _sub(entry, "category", term=tag)
    return _xml(feed)


def indexable(outputs: Mapping[str, bytes]) -> list[str]:
    """Return the site URLs of the HTML pages search engines may index (no 404, no noindex), sorted."""
    return sorted(url_for(path) for path, data in outputs.items()
                  if path.endswith(".html") and path != "404.html" and not _NOINDEX.search(data[:4096]))


def sitemap(urls: list[str], linker: Linker, lastmod: Mapping[str, dt.date]) -> bytes:
    """Return sitemap.xml listing each URL absolutely, with its last change where known."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for url in urls:
        entry = _sub(root, "url")
        _sub(entry, "loc", linker.absolute(url))
        if url in lastmod:
            _sub(entry, "lastmod", lastmod[url].isoformat())
    return _xml(root)


def robots(linker: Linker) -> bytes:
    """Return robots.txt: everything may be crawled; the sitemap's address."""
    return f"User-agent: *\nAllow: /\nSitemap: {linker.absolute('sitemap.xml')}\n".encode()


def add_feeds(r: Renderer) -> None:
    """Add feed.xml, sitemap.xml and robots.txt; call after every page is rendered."""
    r.add("feed.xml", atom_feed(r.project, r.linker))
    lastmod = {f"claims/{c.id}/": modified(c) for c in r.project.claims if not c.draft}
    r.add("sitemap.xml", sitemap(indexable(r.outputs), r.linker, lastmod))
    r.add("robots.txt", robots(r.linker))
