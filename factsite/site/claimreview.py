"""schema.org ClaimReview for each claim, its safe embedding in HTML, and a lint against Google's rules."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..core import urls
from ..core.errors import Problems, Severity
from ..project.model import Claim, Claimant, Project
from .derived import Derived
from .links import Linker

SCHEMA_ORG = "https://schema.org"
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def modified(claim: Claim) -> dt.date:
    """Return when the fact-check last changed: its latest correction, else its review date."""
    return max((c.date for c in claim.corrections), default=claim.reviewed)


def rating_bounds(project: Project) -> tuple[int, int] | None:
    """Return the scale's (worst, best) ratings, or None when no verdict carries a rating."""
    ratings = [v.rating for v in project.verdicts if v.rating is not None]
    return (min(ratings), max(ratings)) if ratings else None


def _claimant(person: Claimant) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": person.type, "name": person.name}
    if person.url:
        data["sameAs"] = person.url
    if person.type == "Person" and person.title:
        data["jobTitle"] = person.title
    return data


def claim_review(project: Project, claim: Claim, claimant: Claimant, url: str,
                 logo_url: str | None = None) -> dict[str, Any]:
    """Return the ClaimReview of one claim, published at the absolute `url` (`logo_url`: the publisher's logo)."""
    verdict = next(v for v in project.verdicts if v.id == claim.verdict)
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    bounds = rating_bounds(project)
    if verdict.rating is not None and bounds is not None:
        rating.update(ratingValue=verdict.rating, bestRating=bounds[1], worstRating=bounds[0])
    article = project.article
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": article.url,
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "publisher": {"@type": "Organization", "name": article.outlet},
    }
    if article.authors:
        appearance["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    publisher = project.site.publisher
    author: dict[str, Any] = {"@type": "Organization", "name": publisher.name, "url": publisher.url}
    if logo_url:
        author["logo"] = {"@type": "ImageObject", "url": logo_url}
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.claim,
        "reviewRating": rating,
        "author": author,
        "datePublished": claim.reviewed.isoformat(),
        "dateModified": modified(claim).isoformat(),
        "itemReviewed": {
            "@type": "Claim",
            "author": _claimant(claimant),
            "datePublished": article.published.isoformat(),
            "appearance": appearance,
        },
    }
    if project.site.license.url:  # all rights reserved grants no licence to point to
        review["license"] = project.site.license.url
    return review


def script_json(data: Any) -> str:
    """Return JSON for a `<script>` element: `<`, `>` and `&` escaped, so no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: the C encoder, fast
    return re.sub("[<>&\u2028\u2029]", lambda match: _SCRIPT_UNSAFE[match.group()], text)


# -- lint ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A way a ClaimReview breaks Google's documented rules, and the claim field it comes from."""

    field: str
    message: str
    hint: str
    severity: Severity = "error"


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# (path, claim field, severity): Google requires the first three, and recommends the rest.
_REQUIRED = (
    ("claimReviewed", "claim", "error"),
    ("reviewRating", "verdict", "error"),
    ("url", "id", "error"),
    ("author", "id", "warning"),
    ("datePublished", "reviewed", "warning"),
    ("itemReviewed", "claimant", "warning"),
)
# (path, claim field): dates a ClaimReview may carry, each an ISO 8601 date.
_DATES = (
    ("datePublished", "reviewed"),
    ("dateModified", "corrections"),
    ("itemReviewed.datePublished", "claimant"),
    ("itemReviewed.appearance.datePublished", "claimant"),
)


def lint(review: dict[str, Any], base_url: str) -> list[Finding]:
    """Check a ClaimReview against Google's fact-check structured data rules."""
    found: list[Finding] = []
    if review.get("@type") != "ClaimReview":
        found.append(Finding("id", f"ClaimReview @type is {review.get('@type')!r}, not 'ClaimReview'",
                             "Build the markup with factsite.claimreview.claim_review()."))
    for path, field, severity in _REQUIRED:
        if _blank(review.get(path)):
            found.append(Finding(field, f"ClaimReview {path} is missing or empty",
                                 f"Google's fact-check markup needs {path}.", severity))
    found += _lint_claim(review)
    found += _lint_rating(review.get("reviewRating"))
    found += _lint_url(review.get("url"), base_url)
    for path, field in _DATES:
        value = _get(review, path)
        if value is not None and not _iso_date(value):
            found.append(Finding(field, f"ClaimReview {path} {value!r} is not an ISO 8601 date",
                                 "Write dates as YYYY-MM-DD."))
    author = review.get("author")
    if isinstance(author, dict) and _blank(author.get("name")):
        found.append(Finding("id", "ClaimReview author has no name", "Give site.publisher a name."))
    claimant = _get(review, "itemReviewed.author")
    if isinstance(review.get("itemReviewed"), dict) and _blank(_get(claimant, "name")):
        found.append(Finding("claimant", "ClaimReview itemReviewed has no author name",
                             "Name who made the claim.", "warning"))
    return found


def _lint_claim(review: dict[str, Any]) -> list[Finding]:
    text, label = review.get("claimReviewed"), _get(review, "reviewRating.alternateName")
    if not isinstance(text, str) or not isinstance(label, str) or _blank(label):
        return []
    if re.search(rf"(?<!\w){re.escape(label.strip())}(?!\w)", text, re.IGNORECASE):
        return [Finding("claim", f"the claim contains its verdict label '{label}'",
                        "State the claim itself in neutral words; the rating belongs in the verdict.",
                        "warning")]
    return []


def _lint_rating(rating: Any) -> list[Finding]:
    if not isinstance(rating, dict):
        return []
    found: list[Finding] = []
    if rating.get("@type") != "Rating":
        found.append(Finding("verdict", "ClaimReview reviewRating @type is not 'Rating'",
                             "Build the markup with factsite.claimreview.claim_review()."))
    if _blank(rating.get("alternateName")):
        found.append(Finding("verdict", "ClaimReview reviewRating has no alternateName",
                             "Give the verdict a label."))
    numbers = {key: rating.get(key) for key in ("ratingValue", "bestRating", "worstRating")}
    if all(value is None for value in numbers.values()):
        return found
    missing = [key for key, value in numbers.items() if not _is_number(value)]
    if missing:
        return [*found, Finding("verdict", f"ClaimReview reviewRating has no numeric {', '.join(missing)}",
                                "A numeric rating needs ratingValue, bestRating and worstRating.")]
    value, best, worst = numbers["ratingValue"], numbers["bestRating"], numbers["worstRating"]
    hint = "Give the scale's verdicts ratings from 1 up, at least two of them different."
    if worst < 1:
        found.append(Finding("verdict", f"ClaimReview worstRating is {worst}; Google requires at least 1", hint))
    if worst >= best:
        found.append(Finding("verdict", f"ClaimReview worstRating ({worst}) is not below bestRating ({best})", hint))
    if not worst <= value <= best:
        found.append(Finding("verdict", f"ClaimReview ratingValue {value} is outside {worst}-{best}", hint))
    return found


def _lint_url(url: Any, base_url: str) -> list[Finding]:
    if not isinstance(url, str) or not url:
        return []
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Finding("id", f"ClaimReview url {url!r} is not an absolute http(s) URL",
                        "Set site.base_url to the absolute address the site is served from.")]
    if parts.hostname != base.hostname:
        return [Finding("id", f"ClaimReview url {url!r} is not on the site's host {base.hostname}",
                        "Google reads a ClaimReview only for a page on the site that publishes it.")]
    return []


def _iso_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def report(findings: list[Finding], claim: Claim, problems: Problems) -> None:
    """Record each finding at the place in claims.yaml it comes from."""
    for finding in findings:
        record = problems.error if finding.severity == "error" else problems.warning
        record(claim.where(finding.field), finding.message, finding.hint)


def published_reviews(project: Project, claimants: dict[str, Claimant], linker: Linker,
                      logo_url: str | None, problems: Problems,
                      memo: Derived | None = None) -> dict[str, dict[str, Any]]:
    """Return the ClaimReview of every published claim by id, each linted at its claim.

    With a `memo` (kept between renders), a claim's review is made and linted again only when what
    it is made from changed.
    """
    memo = memo or Derived()
    shared = (project.site, project.article, project.verdicts, linker.base_url, logo_url)
    reviews: dict[str, dict[str, Any]] = {}
    for claim in project.claims:
        if claim.draft:
            continue
        claimant = claimants[claim.claimant.name]
        url = linker.absolute(urls.claim(claim.id))

        def make(claim: Claim = claim, claimant: Claimant = claimant, url: str = url) -> tuple[dict[str, Any],
                                                                                             list[Finding]]:
            review = claim_review(project, claim, claimant, url, logo_url)
            return review, lint(review, linker.base_url)

        review, findings = memo.reuse(f"claimreview/{claim.id}", (claim, claimant, url, shared), make)
        report(findings, claim, problems)
        reviews[claim.id] = review
    return reviews
