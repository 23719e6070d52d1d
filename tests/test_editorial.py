"""Editorial integrity: the lints a senior editor would raise, independent sources, and attribution.

Each lint is a warning at its place in claims.yaml that `--strict` turns into a failure, and each
has the fix its hint names: the tests below make each one fire on the minimal project, then clear it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.project import MakeProject, Result, run_cli

COURT_URL = "        url: https://court.example.com/statement\n"
COURT_DATE = COURT_URL + "        published: 2019-11-08\n"
SECOND_SOURCE = ("      - title: Agency report on the verdict\n"
                 "        publisher: Example News Agency\n"
                 "        kind: secondary\n"
                 "        url: https://agency.example.com/verdict\n")
FIRST_REVIEWED = "    tags: [seizure]\n    reviewed: 2026-11-29"
ARTICLE_URL = "https://news.example.com/report"


def check(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Result:
    return run_cli(["--project", str(project), "check", *extra], capsys)


def warnings_of(result: Result) -> list[str]:
    """Return each warning's headline without its hint: `claims.yaml:L:C: message`."""
    return [re.sub(r": warning: ", ": ", line.split(". ")[0]) for line in result.err.splitlines()
            if ": warning: " in line]


def assert_lint(project: Path, capsys: pytest.CaptureFixture[str], expected: str) -> None:
    """The warning is reported alone, check passes, and --strict fails on it."""
    relaxed = check(project, capsys)
    assert relaxed.code == 0, relaxed.err
    assert warnings_of(relaxed) == [expected]
    strict = check(project, capsys, "--strict")
    assert strict.code == 1
    assert expected.split(": ", 1)[0] + ": warning: " in strict.err


def test_the_minimal_project_passes_every_lint(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    result = check(make_project(), capsys, "--strict")
    assert result.code == 0, result.err
    assert result.err == ""


# sources

def test_a_source_without_a_date_is_a_warning(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[(COURT_DATE, COURT_URL)])
    assert_lint(project, capsys, "claims.yaml:38:9: source 'Court statement' has no date")


def test_an_undated_page_is_dated_by_when_it_was_read(make_project: MakeProject, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[(COURT_DATE, COURT_URL + "        accessed: 2026-11-20\n")])
    assert check(project, capsys, "--strict").code == 0
    run_cli(["--project", str(project), "build", "--out", str(tmp_path / "site")], capsys)
    page = (tmp_path / "site" / "claims" / "seized-amount" / "index.html").read_text(encoding="utf-8")
    assert 'Example Court, undated, accessed <time datetime="2026-11-20">20 November 2026</time>' in page


def test_a_source_without_a_url_is_a_warning_unless_marked_unverified(
        make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[(COURT_URL, "")])
    assert_lint(project, capsys, "claims.yaml:38:9: source 'Court statement' has no url")
    marked = make_project(replace=[(COURT_URL, "        unverified: true\n")])
    assert check(marked, capsys, "--strict").code == 0


# dates

@pytest.mark.parametrize(("date", "message"), [
    ("2019-11-06", "reviewed 2019-11-06, before the article was published (2019-11-07)"),
    ("2999-01-01", "reviewed 2999-01-01 is in the future"),
])
def test_a_review_date_before_the_article_or_in_the_future_is_a_warning(
        make_project: MakeProject, capsys: pytest.CaptureFixture[str], date: str, message: str) -> None:
    project = make_project(replace=[(FIRST_REVIEWED, f"    tags: [seizure]\n    reviewed: {date}")])
    assert_lint(project, capsys, f"claims.yaml:50:15: {message}")


# verdict and checks

FAILING = ("        stated: 11.9\n        reference: 11.86",
           "        stated: 12.5\n        reference: 11.86\n        expect: fails")


def test_an_accurate_verdict_with_a_failing_check_needs_a_basis(make_project: MakeProject,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[FAILING])
    assert_lint(project, capsys, "claims.yaml:24:14: claim is rated 'accurate' but its check fails")
    basis = "    verdict_basis: The article's rounding is off, but not by enough to mislead.\n"
    explained = make_project(replace=[FAILING, ("    checks:\n      - kind: compare", basis + "    checks:\n"
                                                "      - kind: compare")])
    assert check(explained, capsys, "--strict").code == 0


@pytest.mark.parametrize("verdict", ["needs-context", "misleading", "inaccurate"])
def test_a_doubting_verdict_whose_checks_all_hold_needs_a_basis(make_project: MakeProject, verdict: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[("    verdict: accurate\n    summary: The court", f"    verdict: {verdict}\n"
                                     "    summary: The court")])
    assert_lint(project, capsys, f"claims.yaml:24:14: claim is rated '{verdict}' but all its checks hold")


def test_the_verdict_basis_is_shown_beside_the_checks(make_project: MakeProject, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[
        ("    verdict: accurate\n    summary: The court", "    verdict: needs-context\n    summary: The court"),
        ("    checks:\n      - kind: compare", "    verdict_basis: The figure is right but the amount was "
         "made, not seized.\n    checks:\n      - kind: compare")])
    assert check(project, capsys, "--strict").code == 0
    run_cli(["--project", str(project), "build", "--out", str(tmp_path / "site")], capsys)
    page = (tmp_path / "site" / "claims" / "seized-amount" / "index.html").read_text(encoding="utf-8")
    checks = page[page.index('id="checks-heading"'):page.index('class="checks__list"')]
    assert "What the verdict rests on</strong> The figure is right but the amount was made, not seized." in checks


# independent sources

def test_a_copy_of_the_other_source_leaves_one_independent_source(make_project: MakeProject,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[(SECOND_SOURCE, SECOND_SOURCE + "        copy_of: court-2019\n")])
    assert_lint(project, capsys, "claims.yaml:24:14: claim is rated 'accurate' but rests on 1 independent source")


@pytest.mark.parametrize("mark", ["copy_of: article", f"url: {ARTICLE_URL}/"])
def test_the_checked_article_is_no_evidence_for_itself(make_project: MakeProject, mark: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Marked as the article, or at the article's address (scheme, www. and a final / aside)."""
    as_article = f"        {mark}\n" if mark.startswith("copy_of") else ""
    court = COURT_DATE.replace(COURT_URL, f"        {mark}\n") if mark.startswith("url") else COURT_DATE + as_article
    second = SECOND_SOURCE + "        copy_of: article\n"
    project = make_project(replace=[(COURT_DATE, court), (SECOND_SOURCE, second)])
    assert_lint(project, capsys, "claims.yaml:24:14: claim is rated 'accurate' but rests only on the checked article")


@pytest.mark.parametrize(("patch", "message"), [
    ("        copy_of: court-2091\n", "claims.yaml:48:18: error: copy_of names unknown source 'court-2091'. "
                                     "Did you mean 'court-2019'?"),
    ("        id: article\n", "claims.yaml:48:13: error: source id 'article' is reserved"),
    ("        id: agency\n        copy_of: agency\n",
     "claims.yaml:49:18: error: source 'agency' is marked a copy of itself"),
])
def test_copy_of_must_name_another_source(make_project: MakeProject, capsys: pytest.CaptureFixture[str],
                                          patch: str, message: str) -> None:
    project = make_project(replace=[(SECOND_SOURCE, SECOND_SOURCE + patch)])
    result = check(project, capsys)
    assert result.code == 1
    assert message in result.err


def test_copies_in_a_loop_are_an_error(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    agency = SECOND_SOURCE + "        id: agency\n        copy_of: court-2019\n"
    project = make_project(replace=[(COURT_DATE, COURT_DATE + "        copy_of: agency\n"), (SECOND_SOURCE, agency)])
    result = check(project, capsys)
    assert result.code == 1
    assert "sources are marked copies of each other in a loop: court-2019 -> agency -> court-2019" in result.err


def test_pages_and_open_data_count_independent_sources(make_project: MakeProject, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    copy = SECOND_SOURCE + "        copy_of: court-2019\n"
    third = ("      - title: Second agency's report\n        publisher: Other Agency\n        kind: secondary\n"
             "        url: https://other.example.com/verdict\n        published: 2019-11-09\n")
    project = make_project(replace=[(SECOND_SOURCE, copy), (COURT_DATE, COURT_DATE + third)])
    out = tmp_path / "site"
    result = run_cli(["--project", str(project), "build", "--out", str(out), "--strict"], capsys)
    assert result.code == 0, result.err
    page = (out / "claims" / "seized-amount" / "index.html").read_text(encoding="utf-8")
    assert "3 sources (2 independent)" in page
    assert ('A copy of <a href="#source-court-2019">Court statement</a> (Example Court): counted once.'
            in page)
    sources = (out / "sources" / "index.html").read_text(encoding="utf-8")
    assert "5 sources, 4 of them independent" in sources
    assert "a copy of Court statement (Example Court)" in sources
    feed = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    extra = {item["factsite"]["id"]: item["factsite"] for item in feed["dataFeedElement"]}
    assert extra["seized-amount"]["independent_sources"] == 2
    assert extra["seized-amount"]["sources"][2]["copy_of"] == "court-2019"
    rows = (out / "claims.csv").read_text(encoding="utf-8").splitlines()
    header, first = rows[0].split(","), dict(zip(rows[0].split(","), rows[1].split(","), strict=False))
    assert header[-2:] == ["sources", "independent_sources"]
    assert (first["sources"], first["independent_sources"]) == ("3", "2")


# attribution

PARAPHRASE = ("Police seized 11.9 kilograms (26.2 pounds) of fentanyl, officials said.\n\n"
              "That is (26.2 pounds) in all.\n")
QUOTED = 'The chief said police "seized 11.9 kilograms (26.2 pounds) of fentanyl."\n\nThat is (26.2 pounds) in all.\n'
POLICE = "    claimant: {name: Example Police, type: Organization}\n"
OUTLET = "    claimant: The Example Times\n    attributed_to: {name: Example Police, type: Organization}\n"


def test_a_claimant_the_article_only_paraphrases_is_a_warning(make_project: MakeProject, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(PARAPHRASE, encoding="utf-8")
    project = make_project()
    relaxed = check(project, capsys, "--article", str(article))
    assert relaxed.code == 0
    assert warnings_of(relaxed) == ["claims.yaml:23:15: the article does not quote Example Police in the quote of "
                                    "'seized-amount': none of its words are inside quotation marks, so the verdict "
                                    "judges the article's wording"]
    assert "Make the outlet the claimant ('claimant: The Example Times') and name Example Police in " \
           "'attributed_to:'" in relaxed.err
    assert check(project, capsys, "--article", str(article), "--strict").code == 1
    attributed = make_project(replace=[(POLICE, OUTLET)])
    assert check(attributed, capsys, "--article", str(article), "--strict").code == 0


def test_a_claimant_the_article_quotes_is_no_warning(make_project: MakeProject, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(QUOTED, encoding="utf-8")
    result = check(make_project(), capsys, "--article", str(article), "--strict")
    assert result.code == 0, result.err


def test_an_attributed_claim_rates_the_outlet_and_names_whom_it_paraphrases(
        make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[(POLICE, OUTLET)])
    out = tmp_path / "site"
    assert run_cli(["--project", str(project), "build", "--out", str(out)], capsys).code == 0
    page = (out / "claims" / "seized-amount" / "index.html").read_text(encoding="utf-8")
    caption = page[page.index("<figcaption>"):page.index("</figcaption>")]
    assert "The Example Times</a>, in its report" in caption
    assert re.search(r"attributing the statement to\s+"
                     r"<a href=\"[./]*claimants/example-police/\"[^>]*>Example Police</a>", caption)
    assert "We rate the article's wording, not Example Police" in page
    review = json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.S)[1])
    assert review["itemReviewed"]["author"]["name"] == "The Example Times"
    police = (out / "claimants" / "example-police" / "index.html").read_text(encoding="utf-8")
    assert "<title>Statements attributed to Example Police" in police
    assert "1 statement attributed to Example Police" in police
    assert "Each verdict rates the article's wording, not what Example Police said." in police
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-claimant="the-example-times example-police"' in index
    assert "Claim by The Example Times, attributed to Example Police" in index
