"""feed.xml, sitemap.xml, robots.txt and the Open Graph / Twitter meta of every page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest

from factsite.core.errors import Problems
from factsite.project.model import Project
from factsite.project.read import read_project
from factsite.site import feeds
from factsite.site.claimreview import modified
from factsite.site.derived import Derived
from factsite.site.links import Linker

from support.browser import META_REFRESH
from support.project import MakeProject, Result

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://checks.riverside.example.org/"
"""The rich fixture project's base_url (tests/fixtures/rich)."""
TITLE = "Riverside bridge fact-check"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(site: Path) -> dict[str, str | None]:
    """Return each sitemap URL with its lastmod (None when absent)."""
    root = lxml.etree.parse(str(site / "sitemap.xml"))
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for url in root.iterfind("s:url", SITEMAP_NS)}


def meta(document: lxml.html.HtmlElement, name: str) -> str | None:
    """Return the content of a <meta property=...> or <meta name=...>, or None."""
    found = document.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
    return found[0] if found else None


# -- feed.xml ------------------------------------------------------------------------------

def test_feed_is_well_formed_atom_with_an_entry_per_claim(rich_site: Path) -> None:
    feed = feedparser.parse((rich_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE
    assert feed.feed.title == TITLE
    assert feed.feed.updated == "2024-09-22T00:00:00Z", "the latest correction"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{BASE}feed.xml", "alternate": BASE}
    assert feed.feed.author_detail.name == "Riverside test desk"
    assert len(feed.entries) == 8
    first = feed.entries[0]
    assert first.id == first.link == f"{BASE}claims/bridge-length/"
    assert first.title == "The new Harbour Bridge is 1.2 km (0.75 miles) long."
    assert first.summary.startswith("Accurate. ")
    assert (first.published, first.updated) == ("2024-09-20T00:00:00Z", "2024-09-22T00:00:00Z")
    assert [tag.term for tag in first.tags] == ["bridge", "figures"]
    for entry in feed.entries:
        assert (rich_site / entry.link.removeprefix(BASE) / "index.html").is_file()


CORRECTION = ("    tags: [seizure]\n    reviewed: 2026-11-29\n",
              "    tags: [seizure]\n    reviewed: 2026-11-29\n    corrections:\n"
              "      - {date: 2027-01-15, note: Fixed a figure.}\n")


def test_a_correction_moves_the_feed_and_entry_updated_times(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[CORRECTION])
    assert build(project).code == 0
    feed = feedparser.parse((project / "site" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.updated == "2027-01-15T00:00:00Z"
    corrected, other = feed.entries
    assert (corrected.updated, corrected.published) == ("2027-01-15T00:00:00Z", "2026-11-29T00:00:00Z")
    assert other.updated == "2026-11-29T00:00:00Z"
    assert sitemap_urls(project / "site")["https://example.org/checks/claims/seized-amount/"] == "2027-01-15"


# -- sitemap.xml and robots.txt -----------------------------------------------------------------

def test_sitemap_validates_against_the_sitemaps_org_schema(rich_site: Path) -> None:
    schema = lxml.etree.XMLSchema(lxml.etree.parse(str(ROOT / "tests" / "data" / "sitemap.xsd")))
    document = lxml.etree.parse(str(rich_site / "sitemap.xml"))
    assert schema.validate(document), schema.error_log


def test_sitemap_lists_every_indexable_page_and_nothing_else(rich_site: Path) -> None:
    urls = sitemap_urls(rich_site)
    pages = {BASE + p.relative_to(rich_site).as_posix().removesuffix("index.html"): p
             for p in rich_site.rglob("*.html")}
    indexable = {url for url, page in pages.items() if "/embed/" not in url and not url.endswith("404.html")
                 and not META_REFRESH.search(page.read_text(encoding="utf-8")) and not url.endswith("/search/")}
    assert set(urls) == indexable
    assert {f"{BASE}claims/car-lanes/", f"{BASE}sources/", f"{BASE}timeline/", BASE} <= set(urls)
    assert f"{BASE}claims/bridge-span/" not in urls, "a former id's redirect is not indexed"
    for url, lastmod in urls.items():
        assert (lastmod is not None) == url.startswith(f"{BASE}claims/"), url
    assert urls[f"{BASE}claims/bridge-length/"] == "2024-09-22"
    assert urls[f"{BASE}claims/car-lanes/"] == "2024-09-20"


def test_sitemap_leaves_out_drafts_and_redirects(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("  - id: pound-figure\n", "  - id: pound-figure\n    draft: true\n"),
                                    ("    tags: [seizure]\n", "    tags: [seizure]\n    aliases: [old-id]\n")])
    assert build(project, "--drafts").code == 0
    site = project / "site"
    assert (site / "claims/pound-figure/index.html").is_file() and (site / "claims/old-id/index.html").is_file()
    urls = set(sitemap_urls(site))
    assert "https://example.org/checks/claims/seized-amount/" in urls
    assert not {u for u in urls if "pound-figure" in u or "old-id" in u or "embed" in u}
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert [e.id for e in feed.entries] == ["https://example.org/checks/claims/seized-amount/"]


def test_robots_allows_everything_and_names_the_sitemap(rich_site: Path) -> None:
    assert (rich_site / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n")


def test_base_url_override_moves_every_absolute_url(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project()
    assert build(project, "--base-url", "https://deploy.example.net/fc/").code == 0
    site = project / "site"
    assert "Sitemap: https://deploy.example.net/fc/sitemap.xml" in (site / "robots.txt").read_text()
    assert all(url.startswith("https://deploy.example.net/fc/") for url in sitemap_urls(site))
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.entries[0].id == "https://deploy.example.net/fc/claims/seized-amount/"


# -- head meta ------------------------------------------------------------------------------

def test_every_page_links_the_feed_and_carries_open_graph_and_twitter_meta(rich_site: Path) -> None:
    pages = [p for p in rich_site.rglob("*.html") if "embed" not in p.parts
             and not META_REFRESH.search(p.read_text(encoding="utf-8"))]
    assert len(pages) > 25
    for page in pages:
        document = lxml.html.parse(str(page)).getroot()
        feeds = document.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert len(feeds) == 1, page
        if page.name == "404.html":
            continue
        assert (page.parent / feeds[0]).resolve() == (rich_site / "feed.xml").resolve(), page
        canonical = document.xpath('//link[@rel="canonical"]/@href')[0]
        assert meta(document, "og:url") == canonical, page
        assert meta(document, "og:title") and meta(document, "og:description"), page
        assert meta(document, "og:site_name") == TITLE
        is_claim = page.parent.parent.name == "claims"
        assert meta(document, "og:type") == ("article" if is_claim else "website"), page
        assert meta(document, "twitter:card") == ("summary_large_image" if is_claim else "summary"), page
        image = meta(document, "og:image")
        if is_claim:
            assert image is not None and image.startswith(f"{BASE}claims/{page.parent.name}/share-"), page
            assert (rich_site / image.removeprefix(BASE)).is_file()
            assert meta(document, "twitter:image") == image
        else:
            assert image is None, page


def test_footer_links_the_open_data_and_the_feed(rich_site: Path) -> None:
    document = lxml.html.parse(str(rich_site / "index.html")).getroot()
    hrefs = document.xpath("//footer//a/@href")
    assert {"claims.json", "claims.csv", "feed.xml"} <= set(hrefs)


def _whole_feed(project: Project, linker: Linker) -> bytes:
    """The feed as one ElementTree document, serialized in one go: what feed.xml must be byte for byte."""
    claims = [c for c in project.claims if not c.draft]
    labels = {v.id: v.label for v in project.verdicts}
    site = project.site
    feed = ET.Element("feed", {"xmlns": feeds.ATOM, "xml:lang": site.language})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attributes)
        element.text = text
        return element

    sub(feed, "id", linker.absolute(""))
    sub(feed, "title", site.title)
    sub(feed, "subtitle", site.description)
    sub(feed, "updated", feeds.atom_time(max((modified(c) for c in claims), default=project.article.published)))
    sub(feed, "link", rel="self", type="application/atom+xml", href=linker.absolute("feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=linker.absolute(""))
    author = sub(feed, "author")
    sub(author, "name", site.publisher.name)
    sub(author, "uri", site.publisher.url)
    sub(feed, "rights", feeds.rights(site))
    for claim in claims:
        url = linker.absolute(f"claims/{claim.id}/")
        entry = sub(feed, "entry")
        sub(entry, "id", url)
        sub(entry, "title", claim.claim)
        sub(entry, "updated", feeds.atom_time(modified(claim)))
        sub(entry, "published", feeds.atom_time(claim.reviewed))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "summary", f"{labels[claim.verdict]}. {claim.summary}")
        for tag in claim.tags:
            sub(entry, "category", term=tag)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("patch", [
    [],
    [("claim: Police seized 11.9 kg of fentanyl.", 'claim: "Tom & Jerry <said> \\"11.9\\" kg, l\'été ≥ 11 — 🙂"'),
     ("summary: The court gave the same figure.", "summary: 'A < B & C > \"D\"'")],
    [("  - id: pound-figure\n", "  - id: pound-figure\n    draft: true\n")],
], ids=["minimal", "characters-to-escape", "a-draft"])
def test_the_feed_put_together_from_entries_is_the_whole_document(make_project: MakeProject,
                                                                  patch: list[tuple[str, str]]) -> None:
    project = read_project(make_project(replace=patch), Problems())
    assert project is not None
    linker = Linker("https://example.org/checks/")
    memo = Derived()
    assert feeds.atom_feed(project, linker, memo) == _whole_feed(project, linker)
    assert feeds.atom_feed(project, linker, memo) == _whole_feed(project, linker)  # entries from the memo


def test_the_rich_feed_put_together_from_entries_is_the_whole_document(rich_project: Path) -> None:
    project = read_project(rich_project, Problems())
    assert project is not None
    linker = Linker(BASE)
    assert feeds.atom_feed(project, linker) == _whole_feed(project, linker)
