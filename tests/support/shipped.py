"""Whether the repository's claims.yaml is the shipped Xingtai fact-check, whose own tests are marked `shipped`.

The engine's tests build fixture projects (tests/fixtures/, support/project.py), so they pass whatever the
repository's claims.yaml holds. The tests of the shipped site's content (24 claims, their ids, quotes and
pages) are marked `shipped`; conftest.py skips them, with SKIP_REASON, when a desk that forked the
repository has replaced claims.yaml with its own fact-check. The shipped project is recognised by the
address of the article it checks.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from support.project import REPO

SHIPPED_ARTICLE_URL = (
    "https://www.washingtonpost.com/world/asia-pacific/china-touts-crackdown-on-fentanyl-urged-by-trump-as-it-"
    "sentences-drug-ring-members/2019/11/07/d72c2196-010c-11ea-8341-cc3dce52e7de_story.html"
)
"""`article.url` of the shipped claims.yaml: The Washington Post's report of 7 November 2019."""

SKIP_REASON = "the project's claims.yaml is not the shipped Xingtai fact-check"


def article_url(root: Path) -> str | None:
    """Return `article.url` of the project's claims.yaml, or None when it has none or cannot be read."""
    try:
        data = yaml.safe_load((root / "claims.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    article = data.get("article") if isinstance(data, dict) else None
    url = article.get("url") if isinstance(article, dict) else None
    return url if isinstance(url, str) else None


@functools.cache
def is_shipped(root: Path = REPO) -> bool:
    """Return whether the project at `root` (the repository by default) is the shipped Xingtai fact-check."""
    return article_url(root) == SHIPPED_ARTICLE_URL
