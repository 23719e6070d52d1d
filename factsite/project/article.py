"""`check --article`: every claim's quote must appear in its stated paragraph of the article."""

from __future__ import annotations

from pathlib import Path

from ..checks.quotes import find_quote, quoted_fraction, split_paragraphs
from ..core.errors import Problem, UsageError
from .model import Project


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



