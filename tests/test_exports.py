"""Open data: claims.json (a schema.org DataFeed of the ClaimReviews) and claims.csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from factsite.core.errors import Problems
from factsite.project.claimants import merged_claimants
from factsite.project.evidence import gather_evidence
from factsite.project.read import read_project
from factsite.site.claimreview import lint, published_reviews
from factsite.site.derived import Derived
from factsite.site.links import Linker
from factsite.site.opendata import CSV_COLUMNS, data_feed, exports

from support.project import MakeProject, Result, build_project, published_claims

BASE = "https://checks.riverside.example.org/"
"""The rich fixture project's base_url (tests/fixtures/rich)."""


@pytest.fixture(scope="module")
def feed(rich_site: Path) -> dict[str, Any]:
    """Return the parsed claims.json of the rich fixture site."""
    return json.loads((rich_site / "claims.json").read_text(encoding="utf-8"))


def element(feed: dict[str, Any], claim_id: str) -> dict[str, Any]:
    """Return the feed's element of one claim."""
    return next(e for e in feed["dataFeedElement"] if e["factsite"]["id"] == claim_id)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """Parse claims.csv as a spreadsheet would."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_claims_json_is_a_schema_org_data_feed_under_cc_by(feed: dict[str, Any], rich_project: Path) -> None:
    assert feed["@context"] == ["https://schema.org", {"factsite": None}]
    assert feed["@type"] == "DataFeed"
    assert feed["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert feed["url"] == f"{BASE}claims.json"
    ids = [e["factsite"]["id"] for e in feed["dataFeedElement"]]
    assert sorted(ids) == sorted(published_claims(rich_project))
    assert ids[:2] == ["bridge-length", "opening-day"], "article order: paragraph, then file order"
    assert ids[-1] == "car-lanes", "claims/*.yaml come after claims.yaml within a paragraph"


def test_each_item_is_the_claim_pages_claimreview_and_passes_the_lint(rich_site: Path,
                                                                      feed: dict[str, Any]) -> None:
    for item in feed["dataFeedElement"]:
        assert item["@type"] == "DataFeedItem"
        claim_id = item["factsite"]["id"]
        page = lxml.html.parse(str(rich_site / "claims" / claim_id / "index.html")).getroot()
        on_page = json.loads(page.xpath('//script[@type="application/ld+json"]')[0].text)
        assert item["item"] == on_page
        assert lint(item["item"], BASE) == []


def test_items_carry_the_checks_with_inputs_and_results_and_the_sources(feed: dict[str, Any]) -> None:
    budget = element(feed, "budget-total")["factsite"]
    total, compare = budget["checks"]
    assert total["kind"] == "sum" and total["params"]["parts"][0] == {"label": "Main contract", "value": "30"}
    assert compare["kind"] == "compare"
    assert compare["params"] == {"stated": "48", "reference": "47.6", "source": "accounts-2024",
                                 "relation": "about", "tolerance": "2"}
    assert compare["holds"] is True
    assert compare["computation"] and compare["result"] and compare["inputs"]
    assert [source.get("id") for source in budget["sources"]] == ["accounts-2024"]
    sources = [s for e in feed["dataFeedElement"] for s in e["factsite"]["sources"]]
    assert all({"title", "publisher", "kind", "unverified"} <= set(s) for s in sources)
    assert any(s["unverified"] for s in sources)
    failing = [c for e in feed["dataFeedElement"] for c in e["factsite"]["checks"] if c["expect"] == "fails"]
    assert len(failing) == 2 and all(c["holds"] is False for c in failing)


def test_claims_csv_is_crlf_utf8_without_bom_and_round_trips(rich_site: Path, feed: dict[str, Any]) -> None:
    data = (rich_site / "claims.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") == len(feed["dataFeedElement"]) + 1
    rows = csv_rows(data)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [e["factsite"]["id"] for e in feed["dataFeedElement"]]
    for row, item in zip(rows, feed["dataFeedElement"], strict=True):
        review = item["item"]
        assert row["claim"] == review["claimReviewed"]
        assert row["claimant"] == review["itemReviewed"]["author"]["name"]
        assert row["verdict_label"] == review["reviewRating"]["alternateName"]
        assert row["rating"] == str(review["reviewRating"].get("ratingValue", ""))
        assert (row["reviewed"], row["modified"]) == (review["datePublished"], review["dateModified"])
        assert row["url"] == review["url"]
        assert int(row["sources"]) == len(item["factsite"]["sources"])
    opinion = next(r for r in rows if r["id"] == "most-beautiful")
    assert (opinion["verdict"], opinion["rating"]) == ("opinion", "")
    corrected = next(r for r in rows if r["id"] == "bridge-length")
    assert (corrected["reviewed"], corrected["modified"]) == ("2024-09-20", "2024-09-22")


FORMULAS = [("claim: Police seized 11.9 kg of fentanyl.", "claim: '=HYPERLINK(\"http://evil.example\")'"),
            ("claimant: {name: Example Police, type: Organization}",
             "claimant: {name: '@Example Police', type: Organization}"),
            ("claim: 11.9 kg is 26.2 pounds.", "claim: '-26.2 pounds, +11.9 kg'")]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=FORMULAS)
    assert build(project).code == 0
    first, second = csv_rows((project / "site" / "claims.csv").read_bytes())
    assert first["claim"] == "'=HYPERLINK(\"http://evil.example\")"
    assert first["claimant"] == "'@Example Police"
    assert second["claim"] == "'-26.2 pounds, +11.9 kg"
    data = json.loads((project / "site" / "claims.json").read_text(encoding="utf-8"))
    assert data["dataFeedElement"][0]["item"]["claimReviewed"] == "=HYPERLINK(\"http://evil.example\")"


def test_drafts_stay_out_of_the_open_data(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("  - id: pound-figure\n", "  - id: pound-figure\n    draft: true\n")])
    assert build(project, "--drafts").code == 0
    site = project / "site"
    assert [r["id"] for r in csv_rows((site / "claims.csv").read_bytes())] == ["seized-amount"]
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    assert [e["factsite"]["id"] for e in data["dataFeedElement"]] == ["seized-amount"]


def test_machine_readable_outputs_are_identical_across_builds(rich_project: Path, rich_site: Path,
                                                              tmp_path: Path) -> None:
    again = build_project(rich_project, tmp_path / "again")
    for name in ("claims.json", "claims.csv", "feed.xml", "sitemap.xml", "robots.txt"):
        assert (again / name).read_bytes() == (rich_site / name).read_bytes(), name


def test_claims_json_put_together_from_items_is_one_dump_of_the_feed(rich_project: Path) -> None:
    """claims.json joins each item's text, kept between rebuilds, into the rest of the feed: the bytes
    must be those of one compact dump of the whole feed, and stay so when the items come from the memo."""
    project = read_project(rich_project, Problems())
    assert project is not None
    evidence = gather_evidence(project, Problems())
    linker = Linker("https://checks.example.org/")
    reviews = published_reviews(project, merged_claimants(project), linker, None, Problems())
    feed = data_feed(project, evidence, reviews, linker.absolute("claims.json"), Derived(), object())
    whole = (json.dumps(feed, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    memo = Derived()
    assert exports(project, evidence, reviews, linker, memo)["claims.json"] == whole
    assert exports(project, evidence, reviews, linker, memo)["claims.json"] == whole
