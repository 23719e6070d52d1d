"""Open data: claims.json (a schema.org DataFeed of the ClaimReviews) and claims.csv."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from factsite.site.claimreview import lint
from factsite.site.opendata import CSV_COLUMNS, LICENSE

from support.project import MakeProject, Result

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://factcheck.example.org/"


def build_shipped(out: Path) -> Path:
    """Build the shipped project into `out`."""
    result = subprocess.run([sys.executable, "build.py", "build", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out





@pytest.fixture(scope="module")
def feed(shipped: Path) -> dict[str, Any]:
    """Return the parsed claims.json."""
    return json.loads((shipped / "claims.json").read_text(encoding="utf-8"))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """Parse claims.csv as a spreadsheet would."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_claims_json_is_a_schema_org_data_feed_under_cc_by(feed: dict[str, Any]) -> None:
    assert feed["@context"] == ["https://schema.org", {"factsite": None}]
    assert feed["@type"] == "DataFeed"
    assert feed["license"] == LICENSE == "https://creativecommons.org/licenses/by/4.0/"
    assert feed["url"] == f"{BASE}claims.json"
    assert len(feed["dataFeedElement"]) == 24
    assert feed["dataFeedElement"][0]["factsite"]["id"] == "fentanyl-seized"


def test_each_item_is_the_claim_pages_claimreview_and_passes_the_lint(shipped: Path, feed: dict[str, Any]) -> None:
    for element in feed["dataFeedElement"]:
        assert element["@type"] == "DataFeedItem"
        claim_id = element["factsite"]["id"]
        page = lxml.html.parse(str(shipped / "claims" / claim_id / "index.html")).getroot()
        on_page = json.loads(page.xpath('//script[@type="application/ld+json"]')[0].text)
        assert element["item"] == on_page
        assert lint(element["item"], BASE) == []


def test_items_carry_the_checks_with_inputs_and_results_and_the_sources(feed: dict[str, Any]) -> None:
    seized = feed["dataFeedElement"][0]["factsite"]
    compare = seized["checks"][0]
    assert compare["kind"] == "compare"
    assert compare["params"] == {"stated": "11.9", "reference": "11.86", "source": "shine-2019-11-08",
                                 "relation": "equal"}
    assert compare["holds"] is True
    assert compare["computation"] and compare["result"] and compare["inputs"]
    total = seized["checks"][1]
    assert total["kind"] == "sum" and total["params"]["parts"][0] == {"label": "Fentanyl", "value": "11.9"}
    ids = {source.get("id") for source in seized["sources"]}
    assert "shine-2019-11-08" in ids
    assert all({"title", "publisher", "kind", "unverified"} <= set(s) for s in seized["sources"])
    failing = [c for e in feed["dataFeedElement"] for c in e["factsite"]["checks"] if c["expect"] == "fails"]
    assert failing and all(c["holds"] is False for c in failing)


def test_claims_csv_is_crlf_utf8_without_bom_and_round_trips(shipped: Path, feed: dict[str, Any]) -> None:
    data = (shipped / "claims.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") == 25
    rows = csv_rows(data)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [e["factsite"]["id"] for e in feed["dataFeedElement"]]
    for row, element in zip(rows, feed["dataFeedElement"], strict=True):
        review = element["item"]
        assert row["claim"] == review["claimReviewed"]
        assert row["claimant"] == review["itemReviewed"]["author"]["name"]
        assert row["verdict_label"] == review["reviewRating"]["alternateName"]
        assert row["rating"] == str(review["reviewRating"].get("ratingValue", ""))
        assert (row["reviewed"], row["modified"]) == (review["datePublished"], review["dateModified"])
        assert row["url"] == review["url"]
        assert int(row["sources"]) == len(element["factsite"]["sources"])
    opinion = next(r for r in rows if r["id"] == "sentencing-timing")
    assert (opinion["verdict"], opinion["rating"]) == ("opinion", "")


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


def test_machine_readable_outputs_are_identical_across_builds(shipped: Path, tmp_path: Path) -> None:
    again = build_shipped(tmp_path / "again")
    for name in ("claims.json", "claims.csv", "feed.xml", "sitemap.xml", "robots.txt"):
        assert (again / name).read_bytes() == (shipped / name).read_bytes(), name
