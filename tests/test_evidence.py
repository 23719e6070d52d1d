"""The arithmetic of the claims is re-run by every build, shown to readers and guarded.

Tests marked `shipped` check the shipped Xingtai claims; the others use the fixture projects.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.project import REPO, RICH, MakeProject, copy_project, run_process

ARTICLE = REPO.parent / "shared" / "seed" / "article.txt"


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """Return a copy of the shipped project, to change one thing in."""
    return copy_project(tmp_path / "shipped")


@pytest.fixture
def rich_copy(tmp_path: Path) -> Path:
    """Return a copy of the rich fixture project, to change one thing in."""
    return copy_project(tmp_path / "rich", RICH)


def _replace_once(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def test_check_reports_every_check_behaving_as_declared() -> None:
    result = run_process(["--project", str(RICH), "check"])
    assert result.code == 0, result.err
    assert "8 checks: 6 hold, 2 fail as expected." in result.out


@pytest.mark.shipped
def test_check_reports_every_shipped_check_behaving_as_declared() -> None:
    result = run_process(["check"])
    assert result.code == 0, result.err
    match = re.search(r"(\d+) checks: (\d+) hold(?:, (\d+) fails? as expected)?\.", result.out)
    assert match, result.out
    total, holding, failing = (int(group or 0) for group in match.groups())
    assert total == holding + failing and total >= 30


def test_a_changed_stated_figure_fails_the_build_at_its_place(rich_copy: Path) -> None:
    line = _replace_once(rich_copy / "claims.yaml", "        stated: 0.75\n", "        stated: 0.76\n")
    site = rich_copy / "site"
    result = run_process(["--project", str(rich_copy), "build", "--out", str(site)])
    assert result.code == 1
    assert f"claims.yaml:{line}:17: error: convert check was declared to hold but does not hold" in result.err
    assert "1.2 km" in result.err and "0.76" in result.err, "the message shows the computation"
    assert "Traceback" not in result.err
    assert not site.exists()


def test_an_accurate_claim_with_a_failing_check_is_a_warning_and_strict_makes_it_an_error(
        make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[("        relation: equal\n",
                                     "        relation: equal\n        expect: fails\n"),
                                    ("        reference: 11.86\n", "        reference: 12.5\n")])
    plain = run_process(["--project", str(project), "build", "--out", str(project / "site")])
    assert plain.code == 0, plain.err
    assert ("claims.yaml:24:14: warning: claim is rated 'accurate' but its check fails. "
            "Reconsider the verdict, or say in 'verdict_basis:' what it rests on beyond the checks "
            "(readers see it beside them).") in plain.err
    assert "0 errors, 1 warning." in plain.err
    strict = run_process(["--project", str(project), "build", "--strict", "--out", str(project / "site2")])
    assert strict.code == 1
    assert not (project / "site2").exists()


def test_the_claim_page_shows_the_working(rich_site: Path) -> None:
    page = (rich_site / "claims" / "bridge-length" / "index.html").read_text(encoding="utf-8")
    assert "How we checked the numbers" in page
    assert "1609.344" in page.replace(",", ""), "the exact factor is shown"
    assert page.count("Holds.") >= 2, "each result is stated in words, not only by an icon"


def test_a_quote_altered_by_one_word_is_reported_at_its_claim(rich_copy: Path) -> None:
    article = RICH / "article.txt"
    assert run_process(["--project", str(rich_copy), "check", "--article", str(article)]).code == 0
    line = _replace_once(rich_copy / "claims.yaml", "quote: \"Construction took 30 months\"",
                         "quote: \"Construction lasted 30 months\"")
    result = run_process(["--project", str(rich_copy), "check", "--article", str(article)])
    assert result.code == 1
    assert f"claims.yaml:{line}:12: error: quote of 'construction-time' is not in the article" in result.err


@pytest.mark.shipped
@pytest.mark.skipif(not ARTICLE.exists(), reason="the article text is not beside the repository")
def test_a_shipped_quote_altered_by_one_word_is_reported_at_its_claim(shipped_copy: Path) -> None:
    assert run_process(["--project", str(shipped_copy), "check", "--article", str(ARTICLE)]).code == 0
    line = _replace_once(shipped_copy / "claims.yaml", "quote: \"aprozolam, commonly known as Xanax\"",
                         "quote: \"aprozolam, commonly called Xanax\"")
    result = run_process(["--project", str(shipped_copy), "check", "--article", str(ARTICLE)])
    assert result.code == 1
    assert f"claims.yaml:{line}:12: error: quote of 'xanax-alprazolam' is not in the article" in result.err


@pytest.mark.shipped
@pytest.mark.skipif(not ARTICLE.exists(), reason="the article text is not beside the repository")
def test_the_shipped_fact_check_passes_every_editorial_check() -> None:
    """No warning at all: sources dated and addressed, verdicts backed, paraphrases attributed to the Post."""
    result = run_process(["check", "--strict", "--article", str(ARTICLE)])
    assert result.code == 0, result.err
    assert result.err == ""
    assert "24 of 24 found in their stated paragraphs" in result.out


def test_content_pages_are_linked_from_every_page(rich_site: Path, rich_project: Path) -> None:
    names = sorted(page.stem for page in (rich_project / "content").glob("*.md"))
    assert names == ["about", "corrections", "methodology"]
    for page in rich_site.rglob("*.html"):
        if "embed" in page.parts or page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        for name in names:
            assert re.search(rf'href="[./]*{name}/"', text), f"{page.relative_to(rich_site)} lacks a link to {name}/"
