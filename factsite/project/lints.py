"""Editorial lints: what a senior editor would query before publishing, reported as warnings.

`check --strict` (and `build --strict`) turn them into errors. The one lint that needs the
article's text, a person named as claimant where the article only paraphrases them, runs with
the quote check (`article.check_quotes`).
"""

from __future__ import annotations

import datetime as dt

from ..core.errors import Problems
from .evidence import CheckResult, Evidence
from .model import Claim, Project, Source

FIRM_STYLES = frozenset({"accurate", "mostly-accurate"})
"""Verdict styles that say the claim holds: they need the checks, and two independent sources, behind them."""
DOUBTING_STYLES = frozenset({"needs-context", "misleading", "inaccurate"})
"""Verdict styles that find fault with a claim."""
MIN_INDEPENDENT = 2
"""Independent sources a claim rated accurate or mostly accurate should rest on."""


def lint_project(project: Project, evidence: Evidence, problems: Problems, today: dt.date) -> None:
    """Warn of every editorial lapse in the project; `today` decides what is in the future."""
    styles = {verdict.id: verdict.style for verdict in project.verdicts}
    for claim in project.claims:
        style = styles.get(claim.verdict)
        _review_dates(claim, project.article.published, today, problems)
        for source in claim.sources:
            _source_record(source, problems)
        _verdict_and_checks(claim, style, evidence.of(claim), problems)
        if style in FIRM_STYLES:
            _independence(claim, evidence, problems)


def _review_dates(claim: Claim, published: dt.date, today: dt.date, problems: Problems) -> None:
    if claim.reviewed < published:
        problems.warning(claim.where("reviewed"),
                         f"reviewed {claim.reviewed.isoformat()}, before the article was published "
                         f"({published.isoformat()})",
                         "Write the date the fact-check was published; it cannot precede the article.")
    elif claim.reviewed > today:
        problems.warning(claim.where("reviewed"), f"reviewed {claim.reviewed.isoformat()} is in the future",
                         f"Write the date the fact-check was published (today is {today.isoformat()}).")
    for correction in claim.corrections:
        if correction.date > today:
            problems.warning(correction.where("date"), f"correction dated {correction.date.isoformat()} "
                             "is in the future", "Date a correction on the day it was made.")


def _source_record(source: Source, problems: Problems) -> None:
    if source.published is None and source.accessed is None:
        problems.warning(source.loc, f"source '{source.title}' has no date",
                         "Add 'published:' (YYYY-MM-DD, YYYY-MM or YYYY); for a page that carries no date, "
                         "add 'accessed:' with the day it was read.")
    if source.url is None and not source.unverified:
        problems.warning(source.loc, f"source '{source.title}' has no url",
                         "Add 'url:' so readers can follow it up; for a document the desk has not seen, "
                         "add 'unverified: true' and say in the explanation where it is cited from.")


def _verdict_and_checks(claim: Claim, style: str | None, results: tuple[CheckResult, ...],
                        problems: Problems) -> None:
    """Warn when the verdict and the arithmetic point different ways and no basis says why."""
    if not results or claim.verdict_basis:
        return
    failing = sum(1 for result in results if not result.outcome.holds)
    hint = ("Reconsider the verdict, or say in 'verdict_basis:' what it rests on beyond the checks "
            "(readers see it beside them).")
    if style in FIRM_STYLES and failing:
        which = "its check fails" if len(results) == 1 else f"{failing} of its {len(results)} checks fail"
        problems.warning(claim.where("verdict"), f"claim is rated '{claim.verdict}' but {which}", hint)
    elif style in DOUBTING_STYLES and not failing:
        problems.warning(claim.where("verdict"),
                         f"claim is rated '{claim.verdict}' but all its checks hold", hint)


def _independence(claim: Claim, evidence: Evidence, problems: Problems) -> None:
    provenance = evidence.provenance
    count = provenance.independent(claim.sources)
    if count >= MIN_INDEPENDENT:
        return
    if all(provenance.is_article(source) for source in claim.sources):
        what = "only on the checked article"
    else:
        what = f"on {count} independent source{'' if count == 1 else 's'}"
    problems.warning(claim.where("verdict"), f"claim is rated '{claim.verdict}' but rests {what}",
                     f"Cite at least {MIN_INDEPENDENT} independent sources (copies marked 'copy_of:' count "
                     "once, the article itself not at all), or reconsider the verdict.")
