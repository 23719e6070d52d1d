"""`check --article`: every claim's quote must appear in its stated paragraph of the article.

It also knows where the article quotes someone and where it uses its own words: a person or body
named as claimant for words outside quotation marks is a warning, since the verdict then judges
the outlet's paraphrase, not what they said.
"""

from __future__ import annotations

from pathlib import Path

from ..checks.quotes import find_quote, quoted_fraction, split_paragraphs
from ..core.errors import Problem, UsageError
from .model import Claim, Project


def check_quotes(project: Project, article: Path) -> tuple[list[Problem], float]:
    """Return a problem per quote not found where stated, and the fraction of the article's words quoted."""
    try:
        text = article.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --article {article}: {exc}") from exc
    paragraphs = split_paragraphs(text)
    problems = []
    for claim in project.claims:
        match = find_quote(paragraphs, claim.quote, claim.paragraph)
        if match.found_in_stated:
            if not match.in_quotation_marks and claim.claimant.name != project.article.outlet:
                problems.append(_paraphrase_warning(project, claim))
            continue
        if match.found_in is not None:
            problems.append(Problem(claim.where("paragraph"),
                                    f"quote of '{claim.id}' is in paragraph {match.found_in}, "
                                    f"not {claim.paragraph}", f"Write 'paragraph: {match.found_in}'."))
        else:
            problems.append(Problem(claim.where("quote"), f"quote of '{claim.id}' is not in the article: "
                                    f"{match.reason}",
                                    "Copy the article's exact words; use … for any words left out."))
    coverage = quoted_fraction(text, [c.quote for c in project.claims])
    return problems, coverage





def _paraphrase_warning(project: Project, claim: Claim) -> Problem:
    name, outlet = claim.claimant.name, project.article.outlet
    return Problem(claim.where("claimant"),
                   f"the article does not quote {name} in the quote of '{claim.id}': none of its words are "
                   "inside quotation marks, so the verdict judges the article's wording",
                   f"Make the outlet the claimant ('claimant: {outlet}') and name {name} in 'attributed_to:'; "
                   "or quote words the article puts in quotation marks.", "warning")
