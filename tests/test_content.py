"""The shipped claims: complete, sourced, and quoted faithfully and sparingly from the article.

Every test here is the shipped Xingtai fact-check's own (marked `shipped`): skipped when the repository's
claims.yaml is another project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from factsite.checks.quotes import find_quote, quoted_fraction, split_paragraphs

pytestmark = pytest.mark.shipped

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "claims.yaml"
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"

Claims = list[dict[str, Any]]

VERDICT_LABELS = {
    "accurate": "accurate",
    "mostly-accurate": "mostly accurate",
    "needs-context": "needs context",
    "misleading": "misleading",
    "inaccurate": "inaccurate",
    "unverifiable": "unverifiable",
    "opinion": "opinion",
}

# Claims the research rated solidly sourced: each must cite at least two sources.
SOLIDLY_SOURCED = {
    "fentanyl-seized",
    "pound-conversions",
    "xanax-alprazolam",
    "dhs-tip",
    "liu-yong-suspended-death",
    "two-life-sentences",
    "six-other-defendants",
    "xingtai-court",
    "us-officials-blame-china",
    "trump-august-tweets",
    "xi-fentanyl-promise",
    "liu-yuejin-pushback",
    "independent-courts",
    "foreign-media-trials",
    "huawei-arrest-timing",
    "schellenberg-trial-media",
    "liu-september-cooperation",
    "phase-one-talks",
}


@pytest.fixture(scope="module")
def claims() -> Claims:
    """Return the claims of the shipped claims.yaml."""
    with CLAIMS.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["claims"]


@pytest.fixture(scope="module")
def article() -> str:
    """Return the article text, or skip when it is not beside the project."""
    if not ARTICLE.is_file():
        pytest.skip(f"article text not found at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def test_all_24_claims_with_unique_ids(claims: Claims) -> None:
    ids = [claim["id"] for claim in claims]
    assert len(ids) == 24
    assert len(set(ids)) == len(ids)


def test_every_claim_has_a_verdict_and_a_summary(claims: Claims) -> None:
    for claim in claims:
        assert claim["verdict"] in VERDICT_LABELS, claim["id"]
        assert claim["summary"].strip(), claim["id"]


def test_explanations_run_80_to_450_words(claims: Claims) -> None:
    """Long enough to give the competing figures and the context a verdict rests on; short enough to read."""
    lengths = {claim["id"]: len(claim["explanation"].split()) for claim in claims}
    assert {key: n for key, n in lengths.items() if not 80 <= n <= 450} == {}


def test_claims_are_short_and_do_not_give_away_the_verdict(claims: Claims) -> None:
    for claim in claims:
        assert len(claim["claim"]) <= 75, claim["id"]
        assert VERDICT_LABELS[claim["verdict"]] not in claim["claim"].lower(), claim["id"]


def test_every_claim_links_a_source(claims: Claims) -> None:
    for claim in claims:
        assert any(source.get("url") for source in claim["sources"]), claim["id"]


def test_solidly_sourced_claims_cite_two_sources(claims: Claims) -> None:
    by_id = {claim["id"]: claim for claim in claims}
    assert by_id.keys() >= SOLIDLY_SOURCED
    thin = {key: len(by_id[key]["sources"]) for key in SOLIDLY_SOURCED}
    assert {key: n for key, n in thin.items() if n < 2} == {}


def test_quotes_appear_in_their_stated_paragraphs(claims: Claims, article: str) -> None:
    paragraphs = split_paragraphs(article)
    matches = {c["id"]: find_quote(paragraphs, c["quote"], c["paragraph"]) for c in claims}
    assert {key: m.reason for key, m in matches.items() if not m.found_in_stated} == {}


def test_quotes_cover_under_a_third_of_the_article_as_the_methodology_says(claims: Claims, article: str) -> None:
    """Each quote carries its claim; the 400-word report is dense with claims, so together they come to
    a little under a third of it, and the methodology says so."""
    assert quoted_fraction(article, [claim["quote"] for claim in claims]) < 1 / 3
    methodology = (ROOT / "content" / "methodology.md").read_text(encoding="utf-8")
    assert "a little under a third" in methodology
