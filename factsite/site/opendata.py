"""Open data: every published fact-check as a schema.org DataFeed (claims.json) and a spreadsheet (claims.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from decimal import Decimal
from typing import Any

from ..checks.kinds import Part
from ..core import urls
from ..project.evidence import CheckResult, Evidence
from ..project.model import Claim, Project, Source, Verdict
from .claimreview import SCHEMA_ORG, modified
from .derived import Derived
from .links import Linker

CSV_COLUMNS = ("id", "claim", "claimant", "attributed_to", "verdict", "verdict_label", "rating", "reviewed",
               "modified", "url", "sources", "independent_sources")
_FORMULA_START = ("=", "+", "-", "@")


def _plain(value: Any) -> Any:
    """Return a check parameter as JSON: decimals as written, dates in ISO 8601, parts as objects."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Part):
        return {"label": value.label, "value": str(value.value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _check_data(result: CheckResult) -> dict[str, Any]:
    check, outcome = result.check, result.outcome
    return {
        "kind": check.kind,
        "label": check.label,
        "expect": check.expect,
        "params": {name: _plain(value) for name, value in check.params},
        "inputs": [{"label": label, "value": value} for label, value in outcome.inputs],
        "computation": outcome.computation,
        "result": outcome.result,
        "holds": outcome.holds,
    }


def _source_data(source: Source) -> dict[str, Any]:
    data = {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind,
        "url": source.url,
        "published": _plain(source.published),
        "accessed": _plain(source.accessed),
        "archive_url": source.archive_url,
        "copy_of": source.copy_of,
    }
    return {key: value for key, value in data.items() if value is not None} | {"unverified": source.unverified}


def data_feed(project: Project, evidence: Evidence, reviews: dict[str, dict[str, Any]], url: str,
              memo: Derived, sources: object) -> dict[str, Any]:
    """Return claims.json: a DataFeed of the published ClaimReviews, each with its checks and sources.

    Its `license` is the URL of the site's licence; all rights reserved leaves it out. A claim's item
    is made again only when the claim, its review or checks, or any claim's sources (`sources`, a
    token that changes with them: they decide which sources are independent) changed.
    """
    claims = [c for c in project.claims if c.id in reviews]
    items = [memo.reuse(f"datafeed/{claim.id}", (claim, reviews[claim.id], evidence.of(claim), sources),
                        functools.partial(_feed_item, claim, reviews[claim.id], evidence))
             for claim in claims]
    feed: dict[str, Any] = {
        "@context": [SCHEMA_ORG, {"factsite": None}],
        "@type": "DataFeed",
        "name": project.site.title,
        "description": project.site.description,
        "url": url,
        **({"license": project.site.license.url} if project.site.license.url else {}),
        "publisher": {"@type": "Organization", "name": project.site.publisher.name,
                      "url": project.site.publisher.url},
    }
    if claims:
        feed["dateModified"] = max(modified(c) for c in claims).isoformat()
    feed["dataFeedElement"] = items
    return feed


def _feed_item(claim: Claim, review: dict[str, Any], evidence: Evidence) -> dict[str, Any]:
    """Return a claim's item of claims.json."""
    return {
        "@type": "DataFeedItem",
        "item": review,
        "factsite": {
            "id": claim.id,
            "checks": [_check_data(result) for result in evidence.of(claim)],
            "sources": [_source_data(source) for source in claim.sources],
            "independent_sources": evidence.provenance.independent(claim.sources),
            **({"attributed_to": claim.attributed_to.name} if claim.attributed_to else {}),
            **({"verdict_basis": claim.verdict_basis} if claim.verdict_basis else {}),
        },
    }


def _cell(value: object) -> str:
    """Return a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def claims_csv(project: Project, evidence: Evidence, reviews: dict[str, dict[str, Any]], memo: Derived,
               sources: object) -> bytes:
    """Return claims.csv: one row per published claim, CRLF line ends, UTF-8 without a BOM.

    A claim's row is made again only when the claim, its verdict or review, or any claim's sources
    (the token `sources`) changed.
    """
    verdicts = {v.id: v for v in project.verdicts}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in project.claims:
        if claim.id not in reviews:
            continue
        verdict, review = verdicts[claim.verdict], reviews[claim.id]

        def row(claim: Claim = claim, verdict: Verdict = verdict, review: dict[str, Any] = review) -> list[str]:
            values = _row(claim, verdict.label, verdict.rating, review, evidence.provenance.independent(claim.sources))
            return [_cell(value) for value in values]

        writer.writerow(memo.reuse(f"csv/{claim.id}", (claim, verdict, review, sources), row))
    return out.getvalue().encode("utf-8")


def _row(claim: Claim, label: str, rating: int | None, review: dict[str, Any],
         independent: int) -> tuple[object, ...]:
    attributed = claim.attributed_to.name if claim.attributed_to else None
    return (claim.id, claim.claim, claim.claimant.name, attributed, claim.verdict, label, rating,
            claim.reviewed.isoformat(), modified(claim).isoformat(), review["url"], len(claim.sources), independent)


def exports(project: Project, evidence: Evidence, reviews: dict[str, dict[str, Any]],
            linker: Linker, memo: Derived | None = None) -> dict[str, bytes]:
    """Return claims.json and claims.csv by their site paths.

    With a `memo` (kept between renders), only the claims that changed are turned into data again.
    """
    memo = memo or Derived()
    # A token that stays the very same object while no claim's sources (nor the article) change:
    # which sources are independent depends on all of them.
    sources = memo.reuse("opendata/sources", (project.article, [c.sources for c in project.claims]), object)
    feed = data_feed(project, evidence, reviews, linker.absolute(urls.DATA_JSON), memo, sources)
    return {urls.DATA_JSON: _feed_json(feed, memo),
            urls.DATA_CSV: claims_csv(project, evidence, reviews, memo, sources)}


def _compact(value: Any) -> str:
    """Return JSON without spaces: the C encoder is many times faster than an indented dump."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _feed_json(feed: dict[str, Any], memo: Derived) -> bytes:
    """Return claims.json: the feed as compact JSON, each item's text reused while the item is unchanged.

    `dataFeedElement` is the feed's last key, so the whole is the rest of the feed with the items'
    texts joined in at its end: the same text as one dump of everything (tests/test_exports.py).
    """
    items = feed["dataFeedElement"]
    rest = _compact({key: value for key, value in feed.items() if key != "dataFeedElement"})
    texts = [memo.reuse(f"datafeed-json/{item['factsite']['id']}", item, functools.partial(_compact, item))
             for item in items]
    return (rest[:-1] + ',"dataFeedElement":[' + ",".join(texts) + "]}\n").encode("utf-8")
