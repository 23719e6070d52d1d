"""The preview server in a real browser: saves show up by themselves, mistakes show as an overlay."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from factsite.core.names import THEME_DIR

from support.preview import PreviewServer, run_preview
from support.project import RICH, copy_project

pytestmark = pytest.mark.browser

BASE = "/bridge/"
CLAIM = "claims/bridge-length/"
SUMMARY = "The engineers' drawings give the same length"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy the rich fixture project, deployed under a base path."""
    root = copy_project(tmp_path_factory.mktemp("preview") / "project", RICH)
    text = (RICH / "claims.yaml").read_text(encoding="utf-8")
    assert text.count("base_url: https://checks.riverside.example.org/\n") == 1
    (root / "claims.yaml").write_text(text.replace("base_url: https://checks.riverside.example.org/\n",
                                                   f"base_url: https://checks.riverside.example.org{BASE}\n"),
                                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[PreviewServer]:
    """Serve the copy."""
    with run_preview(project) as running:
        yield running


@pytest.fixture
def page(browser: Browser, server: PreviewServer) -> Iterator[Page]:
    """Open the claim page under the base path, with its reload socket connected."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(server.url.rstrip("/") + BASE + CLAIM)
    tab.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7", timeout=5000)
    yield tab
    context.close()


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a file, the way an editor saves it."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def shows(page: Page, text: str, timeout: float = 2000) -> None:
    """Wait until the page shows `text`."""
    page.wait_for_function("text => document.body.innerText.includes(text)", arg=text, timeout=timeout)


def test_a_saved_summary_appears_in_the_open_page(page: Page, project: Path) -> None:
    edit(project / "claims.yaml", SUMMARY, "Edited once. " + SUMMARY)
    shows(page, "Edited once.")


def test_the_last_of_two_quick_saves_wins(page: Page, project: Path) -> None:
    edit(project / "claims.yaml", SUMMARY, "First save. " + SUMMARY)
    time.sleep(0.3)
    edit(project / "claims.yaml", "First save. ", "Second save. ")
    shows(page, "Second save.")
    page.wait_for_timeout(500)
    assert "First save." not in page.inner_text("body")
    assert "Second save." in page.inner_text("body")


def test_a_stylesheet_edit_applies_without_a_reload(page: Page, project: Path) -> None:
    page.evaluate("() => { window.factsiteMarker = 42; }")
    theme = (THEME_DIR / "static" / "site.css").read_text(encoding="utf-8")
    (project / "static").mkdir(exist_ok=True)
    (project / "static" / "site.css").write_text(theme + "\n:root { --preview-test: 7px; }\n", encoding="utf-8")
    page.wait_for_function(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--preview-test').trim() === '7px'",
        timeout=2000)
    assert page.evaluate("() => window.factsiteMarker") == 42


def test_a_mistake_shows_an_overlay_until_it_is_fixed(page: Page, project: Path, server: PreviewServer,
                                                      browser: Browser) -> None:
    claims = project / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    line = good.splitlines().index("  - id: bridge-length") + 2
    edit(claims, "    claim: The new Harbour Bridge", "    claim: The new: Harbour Bridge")
    overlay = page.locator(".factsite-overlay")
    overlay.wait_for(timeout=3000)
    assert overlay.get_attribute("role") == "alert"
    text = overlay.inner_text()
    assert f"claims.yaml:{line}:" in text and "claim: The new: Harbour" in text
    assert page.evaluate("() => document.activeElement.classList.contains('factsite-overlay')")

    other = browser.new_page()
    other.goto(server.url.rstrip("/") + BASE)
    other.locator(".factsite-overlay").wait_for(timeout=3000)
    other.close()

    claims.write_text(good.replace(SUMMARY, "Fixed. " + SUMMARY), encoding="utf-8")
    overlay.wait_for(state="detached", timeout=3000)
    shows(page, "Fixed.")
    assert server.process.poll() is None


def test_the_overlay_can_be_dismissed(page: Page, project: Path) -> None:
    claims = project / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    claims.write_text(good + "\n  broken: [\n", encoding="utf-8")
    try:
        close = page.get_by_role("button", name="Dismiss")
        close.wait_for(timeout=3000)
        page.keyboard.press("Tab")
        close.click()
        assert page.locator(".factsite-overlay").count() == 0
    finally:
        claims.write_text(good, encoding="utf-8")


def test_the_search_page_finds_a_saved_word(browser: Browser, server: PreviewServer, project: Path) -> None:
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    edit(project / "claims.yaml", SUMMARY, "Quinquereme. " + SUMMARY)
    found = 0
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:  # the index follows the reload, a moment later
        tab.goto(server.url.rstrip("/") + BASE + "search/?q=quinquereme")
        tab.wait_for_selector("#search-status:not(:empty)")
        found = tab.locator(".search-result").count()
    assert found == 1
    assert tab.locator(".search-result__title a").get_attribute("href").endswith(BASE + CLAIM)
    assert problems == []
    context.close()
