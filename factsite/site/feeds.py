"""Files for feed readers and crawlers: feed.xml (Atom), sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime as dt
import functools
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..core import urls
from ..project.model import Claim, Project, Site
from .claimreview import modified
from .derived import Derived
from .links import Linker

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


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


def rights(site: Site) -> str:
    """Return the feed's rights statement: the licence's name and URL, or all rights reserved to the publisher."""
    if site.license.url is None:
        return f"© {site.publisher.name}. All rights reserved."
    return f"{site.license.name} {site.license.url}"


def atom_feed(project: Project, linker: Linker, memo: Derived | None = None) -> bytes:
    """Return feed.xml: an Atom entry per published claim, in article order.

    With a `memo` (kept between renders), only the entries of claims that changed are written again:
    each entry is serialized alone, indented as it stands in the feed, and the feed put together
    around them gives the bytes ElementTree gives for the whole (tests/test_feeds.py compares them).
    """
    memo = memo or Derived()
    claims = [c for c in project.claims if not c.draft]
    labels = {v.id: v.label for v in project.verdicts}
    site, publisher = project.site, project.site.publisher
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.language})
    _sub(feed, "id", linker.absolute(""))
    _sub(feed, "title", site.title)
    _sub(feed, "subtitle", site.description)
    latest = max((modified(c) for c in claims), default=project.article.published)
    _sub(feed, "updated", atom_time(latest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=linker.absolute(urls.FEED))
    _sub(feed, "link", rel="alternate", type="text/html", href=linker.absolute(""))
    author = _sub(feed, "author")
    _sub(author, "name", publisher.name)
    _sub(author, "uri", publisher.url)
    _sub(feed, "rights", rights(site))
    if not claims:
        return _xml(feed)
    ET.SubElement(feed, _SLOT)
    head, _, tail = _xml(feed).partition(f"<{_SLOT} />".encode())
    entries = [memo.reuse(f"atom/{claim.id}", (claim, labels[claim.verdict], linker),
                          functools.partial(_entry, claim, labels[claim.verdict], linker)) for claim in claims]
    return head + b"\n  ".join(entries) + tail


_SLOT = "factsite-entries"
"""A stand-in element where the entries go, in the feed serialized without them."""


def _entry(claim: Claim, label: str, linker: Linker) -> bytes:
    """Return one claim's Atom entry, serialized as it is indented inside the feed."""
    url = linker.absolute(urls.claim(claim.id))
    entry = ET.Element("entry")
    _sub(entry, "id", url)
    _sub(entry, "title", claim.claim)
    _sub(entry, "updated", atom_time(modified(claim)))
    _sub(entry, "published", atom_time(claim.reviewed))
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "summary", f"{label}. {claim.summary}")
    for tag in claim.tags:
        _sub(entry, "category", term=tag)
    ET.indent(entry, level=1)
    return ET.tostring(entry, encoding="utf-8")


def sitemap(pages: list[str], linker: Linker, lastmod: Mapping[str, dt.date]) -> bytes:
    """Return sitemap.xml listing each URL absolutely, with its last change where known."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for url in pages:
        entry = _sub(root, "url")
        _sub(entry, "loc", linker.absolute(url))
        if url in lastmod:
            _sub(entry, "lastmod", lastmod[url].isoformat())
    return _xml(root)


def robots(linker: Linker) -> bytes:
    """Return robots.txt: everything may be crawled; the sitemap's address."""
    return f"User-agent: *\nAllow: /\nSitemap: {linker.absolute(urls.SITEMAP)}\n".encode()


def feeds(project: Project, linker: Linker, indexable: list[str], memo: Derived | None = None) -> dict[str, bytes]:
    """Return feed.xml, and sitemap.xml listing the `indexable` site URLs, and robots.txt, by their site paths.

    With a `memo` (kept between renders), the sitemap is written again only when its pages or their
    dates changed: editing a claim's text leaves it as it was.
    """
    memo = memo or Derived()
    lastmod = {urls.claim(c.id): modified(c) for c in project.claims if not c.draft}
    pages = sorted(indexable)
    return {urls.FEED: atom_feed(project, linker, memo),
            urls.SITEMAP: memo.reuse("sitemap", (pages, lastmod, linker),
                                     lambda: sitemap(pages, linker, lastmod)),
            urls.ROBOTS: robots(linker)}
