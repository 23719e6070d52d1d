"""ClaimReview JSON-LD: one per published claim page, true to the page, safe in HTML, linted at build time."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from factsite.site.claimreview import Finding, lint, script_json

from support.project import MakeProject, Result, published_claims, read_page

BASE = "https://checks.riverside.example.org/"
"""The rich fixture project's base_url (tests/fixtures/rich)."""


def json_ld(html: str) -> list[Any]:
    """Return every JSON-LD block of a page, parsed."""
    document = lxml.html.document_fromstring(html)
    return [json.loads(script.text) for script in document.xpath('//script[@type="application/ld+json"]')]


def visible(html: str, xpath: str) -> str:
    """Return the normalised text of the first element an XPath expression finds."""
    document = lxml.html.document_fromstring(html)
    return " ".join(document.xpath(xpath)[0].text_content().split())


def _class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


LABEL = f"//*[{_class('claim__badge')}]//*[{_class('verdict__label')}]"
CLAIMANT = f"//*[{_class('claim__quote')}]//figcaption//a"


def test_every_claim_page_carries_one_claimreview_matching_what_readers_see(rich_site: Path,
                                                                            rich_project: Path) -> None:
    ids = sorted(published_claims(rich_project))
    pages = [rich_site / "claims" / claim_id / "index.html" for claim_id in ids]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        blocks = json_ld(html)
        assert len(blocks) == 1, page
        review = blocks[0]
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == visible(html, "//h1")
        assert review["reviewRating"]["alternateName"] == visible(html, LABEL)
        assert review["itemReviewed"]["author"]["name"] == visible(html, CLAIMANT)
        assert review["url"] == f"{BASE}claims/{page.parent.name}/"
        assert review["url"] == lxml.html.document_fromstring(html).xpath('//link[@rel="canonical"]/@href')[0]
        assert lint(review, BASE) == [], page
    with_review = sorted(page.parent.name for page in (rich_site / "claims").glob("*/index.html")
                         if json_ld(page.read_text(encoding="utf-8")))
    assert with_review == ids, "only the published claims' own pages carry a ClaimReview (not redirects)"


def test_numeric_verdicts_carry_the_scale_and_unrated_ones_only_their_label(rich_site: Path) -> None:
    rated = json_ld(read_page(rich_site, "claims/bridge-length/index.html"))[0]["reviewRating"]
    assert rated == {"@type": "Rating", "alternateName": "Accurate", "ratingValue": 5, "bestRating": 5,
                     "worstRating": 1}
    opinion = json_ld(read_page(rich_site, "claims/most-beautiful/index.html"))[0]["reviewRating"]
    assert opinion == {"@type": "Rating", "alternateName": "Opinion, not a factual claim"}


def test_claimreview_names_publisher_claimant_and_article(rich_site: Path) -> None:
    review = json_ld(read_page(rich_site, "claims/construction-time/index.html"))[0]
    assert review["author"]["name"] == "Riverside test desk"
    assert review["author"]["url"] == "https://riverside.example.org/"
    # The article reports the department in its own words: its wording is rated, so the outlet is the author.
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "The Riverside Courier"}
    appearance = review["itemReviewed"]["appearance"]
    assert appearance["publisher"] == {"@type": "Organization", "name": "The Riverside Courier"}
    assert appearance["datePublished"] == review["itemReviewed"]["datePublished"] == "2024-09-16"
    assert appearance["url"] == "https://courier.example.com/2024/09/16/riverside-opens-its-new-bridge"
    assert review["datePublished"] == review["dateModified"] == "2024-09-20"
    person = json_ld(read_page(rich_site, "claims/most-beautiful/index.html"))[0]["itemReviewed"]["author"]
    assert person == {"@type": "Person", "name": "Ana Ortiz", "sameAs": "https://riverside.example.org/mayor",
                      "jobTitle": "Mayor of Riverside"}


CORRECTED = [("    tags: [seizure]\n    reviewed: 2026-11-29\n",
              "    tags: [seizure]\n    reviewed: 2026-11-29\n    corrections:\n"
              "      - {date: 2026-12-02, note: Fixed a figure.}\n      - {date: 2026-12-01, note: Typo.}\n"),
             ("claimant: {name: Example Police, type: Organization}",
              "claimant: {name: Ann Chief, type: Person, title: Police chief, url: https://police.example.com/ann}")]


def test_date_modified_is_the_latest_correction_and_person_details_are_kept(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=CORRECTED)
    assert build(project).code == 0
    review = json_ld(read_page(project / "site", "claims/seized-amount/index.html"))[0]
    assert review["datePublished"] == "2026-11-29"
    assert review["dateModified"] == "2026-12-02"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Chief",
                                                "sameAs": "https://police.example.com/ann",
                                                "jobTitle": "Police chief"}
    assert review["url"] == "https://example.org/checks/claims/seized-amount/"


def test_a_script_end_tag_in_a_claim_cannot_break_out_of_the_json_ld(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    hostile = "Police seized </script><script>alert(1)</script> & <!-- 12 kg"
    project = make_project(replace=[("claim: Police seized 11.9 kg of fentanyl.", f"claim: '{hostile}'")])
    assert build(project).code == 0
    html = read_page(project / "site", "claims/seized-amount/index.html")
    assert "<script>alert(1)" not in html
    document = lxml.html.document_fromstring(html)
    assert len(document.xpath("//script")) == 1
    assert json_ld(html)[0]["claimReviewed"] == hostile


def test_script_json_escapes_markup_characters() -> None:
    text = script_json({"a": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


def test_drafts_get_no_json_ld(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("  - id: pound-figure\n", "  - id: pound-figure\n    draft: true\n")])
    assert build(project, "--drafts").code == 0
    assert json_ld(read_page(project / "site", "claims/pound-figure/index.html")) == []
    assert len(json_ld(read_page(project / "site", "claims/seized-amount/index.html"))) == 1


# -- the lint, rule by rule ----------------------------------------------------------------

VALID: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": f"{BASE}claims/x/",
    "claimReviewed": "Police seized 11.9 kg of fentanyl.",
    "reviewRating": {"@type": "Rating", "alternateName": "Accurate", "ratingValue": 5, "bestRating": 5,
                     "worstRating": 1},
    "author": {"@type": "Organization", "name": "Desk", "url": BASE},
    "datePublished": "2026-11-29",
    "dateModified": "2026-12-01",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "Police"},
                     "datePublished": "2019-11-07",
                     "appearance": {"@type": "CreativeWork", "url": "https://news.example.com/a",
                                    "datePublished": "2019-11-07"}},
}


def lint_with(change: Callable[[dict[str, Any]], None]) -> list[Finding]:
    review = copy.deepcopy(VALID)
    change(review)
    return lint(review, BASE)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_a_complete_review_passes() -> None:
    assert lint(VALID, BASE) == []


@pytest.mark.parametrize("key", ["claimReviewed", "reviewRating", "url"])
def test_google_required_fields_missing_are_errors(key: str) -> None:
    finding = only(lint_with(lambda r: r.pop(key)))
    assert finding.severity == "error" and key in finding.message


@pytest.mark.parametrize("key", ["author", "datePublished", "itemReviewed"])
def test_google_recommended_fields_missing_are_warnings(key: str) -> None:
    finding = only(lint_with(lambda r: r.pop(key)))
    assert finding.severity == "warning" and key in finding.message


def test_empty_claim_is_an_error_at_the_claim() -> None:
    finding = only(lint_with(lambda r: r.update(claimReviewed="  ")))
    assert (finding.field, finding.severity) == ("claim", "error")


def test_claim_containing_its_verdict_label_is_flagged() -> None:
    finding = only(lint_with(lambda r: r.update(claimReviewed="The police count was accurate.")))
    assert finding.field == "claim" and "Accurate" in finding.message
    assert lint_with(lambda r: r.update(claimReviewed="Inaccurate figures were printed.")) == []


def test_rating_needs_an_alternate_name() -> None:
    finding = only(lint_with(lambda r: r["reviewRating"].pop("alternateName")))
    assert finding.field == "verdict" and "alternateName" in finding.message


def test_worst_rating_below_one_is_an_error() -> None:
    finding = only(lint_with(lambda r: r["reviewRating"].update(worstRating=0, ratingValue=3)))
    assert "at least 1" in finding.message


def test_worst_rating_must_be_below_best() -> None:
    finding = only(lint_with(lambda r: r["reviewRating"].update(worstRating=5)))
    assert "not below bestRating" in finding.message


@pytest.mark.parametrize("value", [0, 5.5, 7])
def test_rating_value_must_lie_on_the_scale(value: float) -> None:
    finding = only(lint_with(lambda r: r["reviewRating"].update(ratingValue=value)))
    assert "outside 1-5" in finding.message


def test_a_partial_numeric_rating_is_an_error() -> None:
    finding = only(lint_with(lambda r: r["reviewRating"].pop("bestRating")))
    assert "bestRating" in finding.message


def test_a_rating_without_numbers_passes() -> None:
    assert lint_with(lambda r: r.update(reviewRating={"@type": "Rating", "alternateName": "Opinion"})) == []


@pytest.mark.parametrize("url", ["https://elsewhere.example.com/claims/x/", "/claims/x/", "ftp://factcheck.example.org/x"])
def test_url_must_be_absolute_on_the_sites_host(url: str) -> None:
    finding = only(lint_with(lambda r: r.update(url=url)))
    assert finding.field == "id" and url in finding.message


@pytest.mark.parametrize("path", ["datePublished", "dateModified", "itemReviewed.datePublished",
                                  "itemReviewed.appearance.datePublished"])
def test_dates_must_be_iso_8601(path: str) -> None:
    def change(review: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        for name in parents:
            review = review[name]
        review[key] = "29/11/2026"

    assert "not an ISO 8601 date" in only(lint_with(change)).message


def test_claimant_without_a_name_is_flagged() -> None:
    finding = only(lint_with(lambda r: r["itemReviewed"]["author"].pop("name")))
    assert finding.field == "claimant"


# -- the lint at build time ------------------------------------------------------------------

ONE_RATED_VERDICT = """\
verdicts:
  - {id: accurate, label: Correct, rating: 3, description: Right.}
  - {id: opinion, label: Opinion, description: A judgement.}

claims:
"""


def test_a_scale_with_one_rating_fails_the_build_at_each_rated_claim(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("claims:\n", ONE_RATED_VERDICT)])
    result = build(project)
    assert result.code == 1
    assert "claims.yaml:28:14: error: ClaimReview worstRating (3) is not below bestRating (3)" in result.err


def test_a_claim_repeating_its_label_warns_at_the_claim_text(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("claim: Police seized 11.9 kg of fentanyl.",
                                     "claim: The police count was accurate.")])
    result = build(project)
    assert result.code == 0
    assert "claims.yaml:20:12: warning: the claim contains its verdict label 'Accurate'" in result.err
    assert build(project, "--strict").code == 1


def test_the_publisher_logo_is_in_the_markup_and_the_masthead(make_project: MakeProject,
                                                               build: Callable[..., Result]) -> None:
    project = make_project({"static/desk.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
                           replace=[("    url: https://example.org/\n",
                                     "    url: https://example.org/\n    logo: desk.svg\n")])
    assert build(project).code == 0
    page = (project / "site" / "claims" / "seized-amount" / "index.html").read_text(encoding="utf-8")
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert re.fullmatch(r"https://example\.org/checks/static/desk\.[0-9a-f]{8}\.svg", review["author"]["logo"]["url"])
    assert re.search(r'<img class="masthead__logo" src="../../static/desk\.[0-9a-f]{8}\.svg"', page)


def test_a_missing_logo_is_an_error_at_its_line(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("    url: https://example.org/\n",
                                     "    url: https://example.org/\n    logo: nowhere.svg\n")])
    result = build(project)
    assert result.code == 1
    assert re.search(r"claims\.yaml:\d+:11: error: logo 'nowhere.svg' is not in static/", result.err)
