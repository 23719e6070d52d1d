"""Reader search: the Pagefind index a build makes, and the search page as readers use it in Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page

from factsite.core.names import THEME_DIR
from factsite.site import search

from support.axe import format_violations, new_axe_context, run_axe
from support.browser import PageWatcher, open_page
from support.project import (
    REPO,
    RICH,
    MakeProject,
    Result,
    build_project,
    copy_project,
    published_claims,
    run_cli,
    tree_bytes,
)
from support.static_server import serve_directory

SEARCH_PAGE = "search/index.html"


def indexed_pages(site: Path) -> int:
    """Return how many pages the site's search index holds, all languages together."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def content_pages(project: Path) -> set[str]:
    """Return the names of the project's content pages: its own and the theme's it does not override."""
    return {p.stem for folder in (project / "content", THEME_DIR / "content") for p in folder.glob("*.md")}


def policy(html: str) -> str:
    """Return the Content-Security-Policy a page's meta element sets."""
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert found, "the page sets no Content-Security-Policy"
    return found[1].replace("&#39;", "'")


# What the build makes


def test_the_index_holds_every_published_claim_and_content_page_and_nothing_else(
        rich_project: Path, rich_site: Path) -> None:
    expected = len(published_claims(rich_project)) + len(content_pages(rich_project))
    assert indexed_pages(rich_site) == expected
    assert (rich_site / "pagefind" / "pagefind.js").is_file()
    assert not [p for p in (rich_site / "pagefind").iterdir() if p.name.startswith("pagefind-ui")], \
        "Pagefind's own ready-made interface is not published: the site has its own"


def test_drafts_are_never_indexed_even_when_the_build_shows_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", RICH)
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("  - id: opening-day\n",
                                                                 "  - id: opening-day\n    draft: true\n"),
                      encoding="utf-8")
    drafts = build_project(project, tmp_path / "drafts", "--drafts")
    assert (drafts / "claims" / "opening-day" / "index.html").is_file(), "--drafts shows the draft"
    assert "opening-day" not in published_claims(project)
    assert indexed_pages(drafts) == len(published_claims(project)) + len(content_pages(project))


def test_only_the_search_page_may_compile_webassembly(rich_site: Path) -> None:
    pages = sorted(p for p in rich_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        relative = path.relative_to(rich_site).as_posix()
        csp = policy(path.read_text(encoding="utf-8"))
        assert "form-action 'self'" in csp, relative
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp, relative
        assert ("'wasm-unsafe-eval'" in csp) == (relative == SEARCH_PAGE), relative
        assert "'unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", ""), relative


def test_every_page_but_the_search_page_has_the_search_box(rich_site: Path) -> None:
    for path in ("index.html", "claims/bridge-length/index.html", "sources/index.html", "404.html"):
        html = (rich_site / path).read_text(encoding="utf-8")
        form = re.search(r'<form class="masthead__search" role="search" action="([^"]+)" method="get">', html)
        assert form, path
        assert form[1].rstrip("/").endswith("search") or form[1] == "/checks/search/", (path, form[1])
    assert 'class="masthead__search"' not in (rich_site / SEARCH_PAGE).read_text(encoding="utf-8")


def test_equal_pages_reuse_the_index_and_a_changed_claim_makes_a_new_one(
        make_project: MakeProject, build: object, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    runs: list[list[str]] = []
    real_run = search.subprocess.run

    def counted(command: list[str], **kwargs: object) -> object:
        runs.append(command)
        return real_run(command, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(search.subprocess, "run", counted)
    assert build(project).code == 0  # type: ignore[operator]
    first = tree_bytes(project / "site")
    assert len(runs) == 1
    assert build(project, "--clean").code == 0  # type: ignore[operator]
    assert len(runs) == 1, "a build whose searchable pages are unchanged runs no indexer"
    assert tree_bytes(project / "site") == first
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("Police seized 11.9 kg", "Police took 11.9 kg"),
                      encoding="utf-8")
    assert build(project).code == 0  # type: ignore[operator]
    assert len(runs) == 2
    changed = {p for p, data in tree_bytes(project / "site").items() if first.get(p) != data}
    assert any(p.startswith("pagefind/") for p in changed)


def test_the_index_is_byte_identical_across_runs_of_the_indexer(make_project: MakeProject, build: object) -> None:
    bundles = []
    for _ in range(3):
        project = make_project()
        assert build(project).code == 0  # type: ignore[operator]
        bundles.append({p: d for p, d in tree_bytes(project / "site").items() if p.startswith("pagefind/")})
    assert any("/filter/" in p for p in bundles[0]), "the index has filters, whose order Pagefind leaves to chance"
    assert bundles[0] == bundles[1] == bundles[2]


def test_without_the_indexer_the_build_fails_clearly_and_keeps_the_site(
        make_project: MakeProject, build: object, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    assert build(project).code == 0  # type: ignore[operator]
    before = tree_bytes(project / "site")
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("Police seized", "Officers seized"), encoding="utf-8")
    monkeypatch.setattr(search, "executable", lambda: project / "no-such-pagefind")
    result: Result = build(project)  # type: ignore[operator]
    assert result.code != 0
    assert "the search index could not be made: could not run no-such-pagefind" in result.err
    assert "pip install -r requirements.txt" in result.err
    assert "Traceback" not in result.err
    assert tree_bytes(project / "site") == before


def test_check_makes_no_index(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    monkeypatch.setattr(search, "executable", lambda: pytest.fail("check ran the indexer"))
    assert run_cli(["--project", str(project), "check"], capsys).code == 0
    assert not (project / ".factsite" / "cache" / "search").exists()


# In the browser


@pytest.fixture(scope="module")
def served(rich_site: Path) -> Iterator[str]:
    with serve_directory(rich_site) as base:
        yield base


def run_search(page: Page, base: str, query: str = "", **filters: str) -> list[str]:
    """Open the search page for `query` and filters, wait for the outcome; return the results' titles."""
    params = "&".join(f"{key}={quote(value)}" for key, value in {"q": query, **filters}.items() if value)
    open_page(page, f"{base}search/?{params}")
    page.wait_for_selector("#search-status:not(:empty)")
    return page.locator(".search-result__title a").all_inner_texts()


def claims_by(project: Path, name: str) -> set[str]:
    """Return the texts of the published claims made by, or attributed to, `name`."""
    found = set()
    published = published_claims(project)
    files = [project / "claims.yaml", *sorted((project / "claims").glob("*.yaml"))]
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else None
        claims = data if isinstance(data, list) else (data or {}).get("claims") or []
        for claim in claims:
            people = [claim.get("claimant"), claim.get("attributed_to")]
            names = {p if isinstance(p, str) else (p or {}).get("name") for p in people}
            if name in names and claim["id"] in published:
                found.add(published[claim["id"]])
    return found


def test_typing_a_name_in_the_masthead_lists_that_persons_claims(rich_project: Path, served: str,
                                                                 browser: Browser) -> None:
    page = browser.new_page()
    watcher = PageWatcher(page)
    open_page(page, f"{served}claims/bridge-length/")
    page.fill("#masthead-search", "Riverside Public Works")
    page.press("#masthead-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Riverside\+Public\+Works$"))
    page.wait_for_selector(".search-result")
    titles = set(page.locator(".search-result__title a").all_inner_texts())
    expected = claims_by(rich_project, "Riverside Public Works")
    assert len(expected) >= 2 and expected <= titles
    assert "results for “Riverside Public Works”" in page.inner_text("#search-status")
    assert not page.is_visible("#search-all"), "the full list gives way to the results"
    assert watcher.problems == []
    page.close()


def test_the_shipped_site_finds_liu_yuejins_statements(shipped: Path, browser: Browser) -> None:
    page = browser.new_page()
    with serve_directory(shipped) as base:
        titles = set(run_search(page, base, "Liu Yuejin"))
    expected = claims_by(REPO, "Liu Yuejin")
    assert len(expected) >= 3 and expected <= titles
    page.close()


def test_a_verdict_filter_narrows_the_results(served: str, browser: Browser) -> None:
    page = browser.new_page()
    everything = run_search(page, served, "bridge")
    labels = page.locator(".search-result .verdict__label").all_text_contents()
    verdict = labels[0]
    assert len(set(labels)) > 1, "the query finds claims of several verdicts"
    page.select_option("#search-verdict", verdict)
    page.wait_for_selector("#search-status:has-text('with the filters chosen')")
    narrowed = page.locator(".search-result .verdict__label").all_text_contents()
    assert 0 < len(narrowed) < len(everything)
    assert set(narrowed) == {verdict}
    assert f"verdict={quote(verdict).replace('%20', '+')}" in page.url, "the filter is kept in the address"
    page.close()


def test_a_filter_alone_lists_every_claim_it_matches(rich_project: Path, served: str, browser: Browser) -> None:
    page = browser.new_page()
    titles = run_search(page, served, claimant="Riverside Public Works")
    assert set(titles) == claims_by(rich_project, "Riverside Public Works")
    page.close()


def test_keyboard_alone_searches_and_opens_a_result(served: str, browser: Browser) -> None:
    page = browser.new_page()
    open_page(page, served)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "masthead-search":
            break
    else:
        pytest.fail("Tab never reaches the masthead's search box")
    page.keyboard.type("bridge")
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-result")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.search-result__title') !== null"):
            break
    else:
        pytest.fail("Tab never reaches the first result")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert urlsplit(page.url).path.startswith("/claims/")
    page.close()


def test_the_search_page_with_results_has_no_accessibility_violations(served: str, browser: Browser) -> None:
    context = new_axe_context(browser, 1280, 900)
    page = context.new_page()
    run_search(page, served, "bridge", verdict="")
    page.wait_for_selector(".search-result")
    assert format_violations(page.url, run_axe(page)) == []
    assert page.get_attribute("#search-status", "role") == "status", "results are announced to screen readers"
    context.close()


def test_the_search_page_asks_nothing_of_other_hosts_and_logs_no_errors(served: str, browser: Browser) -> None:
    page = browser.new_page()
    watcher = PageWatcher(page)
    run_search(page, served, "bridge")
    page.fill("#search-query", "contract")
    page.wait_for_selector("#search-status:has-text('contract')")
    assert watcher.problems == []
    page.close()


def test_without_javascript_the_box_leads_to_every_claim(rich_project: Path, served: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, served)
    page.fill("#masthead-search", "bridge")
    page.press("#masthead-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=bridge$"))
    entries = page.locator(".search__entry")
    assert set(page.locator(".search__claim a").all_inner_texts()) == set(published_claims(rich_project).values())
    first = entries.first.inner_text()
    assert page.locator(".search__entry .verdict__label").count() == entries.count()
    assert "Claim by " in first and "Topics: " in first
    assert "Searching needs JavaScript" in page.inner_text("#search-note")
    context.close()


def test_search_works_under_a_subpath(rich_project: Path, browser: Browser, tmp_path: Path) -> None:
    site = build_project(rich_project, tmp_path / "site", "--base-url", "https://example.org/desk/checks/")
    page = browser.new_page()
    watcher = PageWatcher(page)
    with serve_directory(site, "/desk/checks/") as base:
        titles = run_search(page, base, "Riverside Public Works")
        assert titles
        page.click(".search-result__title a >> nth=0")
        page.wait_for_load_state()
        assert urlsplit(page.url).path.startswith("/desk/checks/claims/")
        assert page.inner_text("h1") == titles[0]
    assert watcher.problems == []
    page.close()


def test_opened_from_files_the_search_page_lists_every_claim(rich_project: Path, browser: Browser,
                                                             tmp_path: Path) -> None:
    site = build_project(rich_project, tmp_path / "site", "--file-urls")
    page = browser.new_page()
    page.goto((site / SEARCH_PAGE).as_uri())
    page.wait_for_selector("#search-note:has-text('served over the web')")
    assert "served over the web" in page.inner_text("#search-note")
    assert page.locator(".search__entry").count() == len(published_claims(rich_project))
    page.close()


CHINESE = [
    ("  language: en", "  language: zh-Hans"),
    ("claim: Police seized 11.9 kg of fentanyl.", "claim: 警方在邢台查获了十一点九公斤芬太尼。"),
]


def test_a_chinese_site_finds_a_word_inside_a_sentence(make_project: MakeProject, browser: Browser) -> None:
    project = make_project(replace=CHINESE)
    site = build_project(project, project / "site")
    page = browser.new_page()
    with serve_directory(site, "/checks/") as base:
        assert run_search(page, base, "芬太尼") == ["警方在邢台查获了十一点九公斤芬太尼。"]
        assert run_search(page, base, "邢台") == ["警方在邢台查获了十一点九公斤芬太尼。"]
    page.close()
