"""The shipped site: the Xingtai fact-check built from the repository's own claims.yaml and content/.

Every test here is the shipped project's own (marked `shipped`, conftest's `shipped` fixture builds it
once): skipped, with the reason, when the repository's claims.yaml is another project, as in a desk's
fork (support/shipped.py). The engine's behaviour is tested on fixture projects elsewhere; these tests
pin what the shipped fact-check publishes and check its own pages with the Nu checker and the policy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest

from factsite.site.claimreview import lint

from support.crawl import policy_problems
from support.project import REPO, published_claims, read_page
from support.vnu import validate

pytestmark = pytest.mark.shipped

BASE = "https://factcheck.example.org/"
TITLE = "Xingtai fentanyl fact-check"
CLAIMS = 24


def json_ld(html: str) -> list[dict]:
    """Return every JSON-LD block of a page, parsed."""
    document = lxml.html.document_fromstring(html)
    return [json.loads(script.text) for script in document.xpath('//script[@type="application/ld+json"]')]


def test_the_shipped_project_publishes_its_24_claims() -> None:
    claims = published_claims(REPO)
    assert len(claims) == CLAIMS
    assert next(iter(claims)) == "fentanyl-seized"


def test_every_shipped_claim_page_carries_a_claimreview_that_passes_the_lint(shipped: Path) -> None:
    pages = sorted((shipped / "claims").glob("*/index.html"))
    assert len(pages) == CLAIMS
    for page in pages:
        blocks = json_ld(page.read_text(encoding="utf-8"))
        assert len(blocks) == 1, page
        assert lint(blocks[0], BASE) == [], page


def test_shipped_ratings_publisher_claimant_and_article(shipped: Path) -> None:
    rated = json_ld(read_page(shipped, "claims/fentanyl-seized/index.html"))[0]["reviewRating"]
    assert rated == {"@type": "Rating", "alternateName": "Needs context", "ratingValue": 3, "bestRating": 5,
                     "worstRating": 1}
    opinion = json_ld(read_page(shipped, "claims/sentencing-timing/index.html"))[0]["reviewRating"]
    assert opinion == {"@type": "Rating", "alternateName": "Opinion, not a factual claim"}
    page = read_page(shipped, "claims/liu-yuejin-pushback/index.html")
    review = json_ld(page)[0]
    assert review["author"]["name"] == "factsite demonstration desk"
    assert review["author"]["url"] == BASE
    # The article paraphrases Liu Yuejin: its wording is rated, so the Post is the claimant, and the
    # page names whom it paraphrases.
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "The Washington Post"}
    assert "We rate the article's wording, not Liu Yuejin" in page
    person = read_page(shipped, "claimants/liu-yuejin/index.html")
    assert "3 statements attributed to Liu Yuejin" in person
    appearance = review["itemReviewed"]["appearance"]
    assert appearance["publisher"] == {"@type": "Organization", "name": "The Washington Post"}
    assert appearance["datePublished"] == review["itemReviewed"]["datePublished"] == "2019-11-07"
    assert appearance["url"].startswith("https://www.washingtonpost.com/")
    assert review["datePublished"] == "2026-11-29"
    assert review["dateModified"] == "2026-12-01", "the claimant change is logged as a correction"


def test_shipped_open_data(shipped: Path) -> None:
    feed = json.loads((shipped / "claims.json").read_text(encoding="utf-8"))
    assert len(feed["dataFeedElement"]) == CLAIMS
    seized = feed["dataFeedElement"][0]["factsite"]
    assert seized["id"] == "fentanyl-seized"
    compare = seized["checks"][0]
    assert compare["params"] == {"stated": "11.9", "reference": "11.9", "source": "xinhua-cnshxw-2019-11-08",
                                 "relation": "equal"}
    assert compare["holds"] is True
    assert seized["attributed_to"] == "Chinese officials"
    assert seized["independent_sources"] >= 2
    data = (shipped / "claims.csv").read_bytes()
    assert data.count(b"\r\n") == CLAIMS + 1
    assert b"\r\nsentencing-timing," in data


def test_shipped_feed_and_sitemap(shipped: Path) -> None:
    feed = feedparser.parse((shipped / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == TITLE
    assert feed.feed.author_detail.name == "factsite demonstration desk"
    assert len(feed.entries) == CLAIMS
    first = feed.entries[0]
    assert first.id == f"{BASE}claims/fentanyl-seized/"
    assert first.title == "Chinese officials said police seized 11.9 kg of fentanyl and 19.1 kg more."
    assert [tag.term for tag in first.tags] == ["seizure", "fentanyl", "xingtai-case"]
    sitemap = (shipped / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}claims/dhs-tip/</loc>" in sitemap
    index = lxml.html.parse(str(shipped / "index.html")).getroot()
    assert index.xpath('//meta[@property="og:site_name"]/@content') == [TITLE]


def test_shipped_claims_have_share_images_embeds_and_snippets(shipped: Path) -> None:
    assert len(list((shipped / "claims").glob("*/share-*.png"))) == CLAIMS
    assert len(list((shipped / "claims").glob("*/embed/index.html"))) == CLAIMS
    page = lxml.html.parse(str(shipped / "claims" / "dhs-tip" / "index.html")).getroot()
    snippet = lxml.html.fragment_fromstring(page.xpath("//textarea")[0].text)
    assert snippet.get("src") == f"{BASE}claims/dhs-tip/embed/"


def test_the_shipped_conversions_show_their_working(shipped: Path) -> None:
    page = read_page(shipped, "claims/pound-conversions/index.html")
    assert "How we checked the numbers" in page
    assert "0.45359237" in page, "the exact factor is shown"


def test_shipped_content_pages_are_linked_from_every_page(shipped: Path) -> None:
    names = sorted(page.stem for page in (REPO / "content").glob("*.md"))
    assert {"about", "methodology", "corrections", "submit"} <= set(names)
    for page in shipped.rglob("*.html"):
        if "embed" in page.parts or page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        for name in names:
            assert re.search(rf'href="[./]*{name}/"', text), f"{page.relative_to(shipped)} lacks a link to {name}/"


def test_every_shipped_page_is_valid_html(shipped: Path) -> None:
    errors = [str(error) for error in validate(sorted(shipped.rglob("*.html")))]
    assert not errors, "\n".join(errors)


def test_shipped_pages_follow_csp_referrer_and_link_policy(shipped: Path) -> None:
    own = (urlsplit(BASE).hostname or "",)
    problems = [f"{file.relative_to(shipped)}: {problem}" for file in sorted(shipped.rglob("*.html"))
                for problem in policy_problems(file.read_bytes(), own_hosts=own)]
    assert not problems, "\n".join(problems)
