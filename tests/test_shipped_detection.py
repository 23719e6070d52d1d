"""How the tests tell the shipped Xingtai fact-check from another project (support/shipped.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.project import REPO, RICH, MakeProject
from support.shipped import SHIPPED_ARTICLE_URL, article_url, is_shipped


def test_another_project_is_not_the_shipped_one(make_project: MakeProject) -> None:
    assert not is_shipped(make_project())
    assert not is_shipped(RICH)
    assert not is_shipped(REPO / "tests" / "fixtures" / "fork")


def test_the_shipped_article_is_recognised_whatever_else_the_file_holds(make_project: MakeProject) -> None:
    project = make_project(replace=[("  url: https://news.example.com/report\n", f"  url: {SHIPPED_ARTICLE_URL}\n")])
    assert is_shipped(project)


@pytest.mark.parametrize("text", [None, "", "site: [\n", "- a list\n", "article: none\n", "article: {url: 12}\n",
                                  b"\xff\xfe"])
def test_a_missing_or_unreadable_claims_file_is_not_the_shipped_one(tmp_path: Path, text: str | bytes | None) -> None:
    if isinstance(text, bytes):
        (tmp_path / "claims.yaml").write_bytes(text)
    elif text is not None:
        (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    assert article_url(tmp_path) is None
    assert not is_shipped(tmp_path)


@pytest.mark.shipped
def test_the_repositorys_claims_yaml_is_the_shipped_one() -> None:
    assert is_shipped(REPO)
