"""The theme's design, on the rich fixture site: contrast, badges, measure, filters, print and dark mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from factsite.core.names import THEME_DIR

from support.browser import open_page
from support.project import published_claims
from support.static_server import serve_directory

CSS = THEME_DIR / "static" / "site.css"
VERDICTS = ("accurate", "mostly-accurate", "needs-context", "misleading", "inaccurate", "unverifiable", "opinion")
BACKGROUNDS = ("bg", "surface", "sunken")


# --- Colour contrast, computed from the stylesheet's custom properties --------------------------

def _properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def themes() -> dict[str, dict[str, str]]:
    """Return the colour custom properties of the light and dark themes."""
    css = CSS.read_text(encoding="utf-8")
    light = re.search(r"^:root\s*\{(.*?)^\}", css, re.MULTILINE | re.DOTALL)
    dark = re.search(r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.DOTALL)
    assert light and dark, "site.css must define :root colours and a prefers-color-scheme: dark override"
    light_colours = _properties(light.group(1))
    return {"light": light_colours, "dark": {**light_colours, **_properties(dark.group(1))}}


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def required_pairs() -> list[tuple[str, str, float]]:
    """Return (foreground, background, minimum ratio) for every pairing the stylesheet uses."""
    pairs = [(fg, bg, 4.5) for fg in ("text", "muted", "link") for bg in BACKGROUNDS]
    pairs += [(v, bg, 4.5) for v in VERDICTS for bg in ("bg", "surface")]  # check results, icons, labels
    pairs += [("on-verdict", v, 4.5) for v in VERDICTS]  # badge text on its fill
    pairs += [(v, "sunken", 3.0) for v in VERDICTS]  # chart bar against its track
    pairs += [("masthead-text", "masthead-bg", 4.5), ("masthead-muted", "masthead-bg", 4.5)]
    pairs += [("focus", bg, 3.0) for bg in BACKGROUNDS] + [("masthead-focus", "masthead-bg", 3.0)]
    return pairs


def test_colours_meet_wcag_aa_in_both_themes() -> None:
    failures = []
    for theme, colours in themes().items():
        for fg, bg, minimum in required_pairs():
            assert fg in colours and bg in colours, f"--{fg} or --{bg} missing from the {theme} theme"
            ratio = contrast(colours[fg], colours[bg])
            if ratio < minimum:
                failures.append(f"{theme}: --{fg} {colours[fg]} on --{bg} {colours[bg]} is {ratio:.2f}:1 < {minimum}:1")
    assert not failures, "\n".join(failures)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# --- The built site (the 320 px width of every page is checked in test_quality_gates.py) -----------


@pytest.fixture(scope="module")
def base_url(rich_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1."""
    with serve_directory(rich_site) as base:
        yield base


def first_claim(site: Path) -> str:
    """Return the path of the first claim page the index lists."""
    found = re.search(r'href="(claims/[a-z0-9-]+/)"', (site / "index.html").read_text(encoding="utf-8"))
    assert found, "the index links no claim"
    return found.group(1)


class _BadgeParser(HTMLParser):
    """Collect each verdict badge's icon count and label text."""

    def __init__(self) -> None:
        super().__init__()
        self.badges: list[dict[str, object]] = []
        self._depth = 0
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "verdict" in classes:
            self.badges.append({"icons": 0, "label": "", "class": " ".join(classes)})
            self._depth = 1
        elif self._depth:
            if tag == "svg" and "icon" in classes and dict(attrs).get("aria-hidden") == "true":
                self.badges[-1]["icons"] = int(self.badges[-1]["icons"]) + 1  # type: ignore[call-overload]
            self._in_label = "verdict__label" in classes or self._in_label
            if tag not in ("path", "circle", "rect"):
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag not in ("path", "circle", "rect"):
            self._depth -= 1
            if tag == "span":
                self._in_label = False

    def handle_data(self, data: str) -> None:
        if self._depth and self._in_label:
            self.badges[-1]["label"] = str(self.badges[-1]["label"]) + data


def test_every_verdict_badge_has_an_icon_and_its_label(rich_site: Path, rich_project: Path) -> None:
    seen = 0
    problems = []
    for file in sorted(rich_site.rglob("*.html")):
        parser = _BadgeParser()
        parser.feed(file.read_text(encoding="utf-8"))
        for badge in parser.badges:
            seen += 1
            if badge["icons"] != 1 or not str(badge["label"]).strip():
                problems.append(f"{file.relative_to(rich_site)}: {badge}")
    assert seen >= len(published_claims(rich_project)), "the site should show a badge for every claim"
    assert not problems, "\n".join(problems)


def test_no_style_attributes_or_inline_scripts(rich_site: Path) -> None:
    for file in sorted(rich_site.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]+\sstyle\s*=", text), f"{file}: style attribute"
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", text), f"{file}: inline script"


@pytest.mark.browser
def test_body_text_keeps_a_readable_measure(browser: Browser, rich_site: Path, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    open_page(page, base_url + first_claim(rich_site))
    per_line = page.evaluate("""() => {
      const p = document.querySelector('.claim__explanation p');
      const text = p.textContent;
      const probe = document.createElement('span');
      probe.textContent = text;
      probe.style.whiteSpace = 'nowrap';
      p.appendChild(probe);
      const average = probe.getBoundingClientRect().width / text.length;
      probe.remove();
      return p.clientWidth / average;
    }""")
    page.close()
    assert 60 <= per_line <= 75, f"{per_line:.0f} characters per line"


def _visible_verdicts(page: Page) -> list[str]:
    cards = ".claim-list .claim-card:not([hidden])"
    return page.eval_on_selector_all(cards, "cards => cards.map(c => c.dataset.verdict)")


@pytest.mark.browser
def test_filters_show_only_the_chosen_verdict(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    open_page(page, base_url)
    everything = _visible_verdicts(page)
    assert page.is_visible("#filters")
    page.select_option("#filter-verdict", "needs-context")
    shown = _visible_verdicts(page)
    assert shown and set(shown) == {"needs-context"}
    assert len(shown) == everything.count("needs-context")
    assert page.text_content("#filter-status") == f"Showing {len(shown)} of {len(everything)} claims."
    assert "verdict=needs-context" in page.url
    page.reload()
    assert page.input_value("#filter-verdict") == "needs-context"
    assert _visible_verdicts(page) == shown
    page.click("#filter-reset")
    expect(page.locator(".claim-card[hidden]")).to_have_count(0)
    assert _visible_verdicts(page) == everything
    page.close()


@pytest.mark.browser
def test_filters_stay_hidden_without_javascript(browser: Browser, rich_site: Path, rich_project: Path,
                                                base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, base_url)
    assert not page.is_visible("#filters")
    cards = page.locator(".claim-list .claim-card")
    assert cards.count() == len(published_claims(rich_project))
    assert all(cards.nth(i).is_visible() for i in range(cards.count()))
    open_page(page, base_url + first_claim(rich_site))
    assert page.is_visible(".claim__verdict .verdict")
    context.close()


@pytest.mark.browser
def test_print_appends_link_addresses_and_drops_navigation(browser: Browser, rich_site: Path, base_url: str) -> None:
    page = browser.new_page()
    open_page(page, base_url + first_claim(rich_site))
    page.emulate_media(media="print")
    link = page.locator("main a[href^='https://']").first
    href = link.get_attribute("href")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert href and href in after
    assert not page.is_visible(".masthead__nav")
    assert not page.is_visible(".pager")
    assert page.evaluate("getComputedStyle(document.querySelector('.verdict')).backgroundColor") in (
        "rgba(0, 0, 0, 0)", "transparent")
    page.emulate_media(media="screen")
    assert "none" in link.evaluate("a => getComputedStyle(a, '::after').content")
    page.close()


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_applies_its_theme(browser: Browser, rich_site: Path, base_url: str, scheme: str) -> None:
    colours = themes()[scheme]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    open_page(page, base_url + first_claim(rich_site))
    style = "(e, p) => getComputedStyle(e)[p]"
    assert page.eval_on_selector("body", style, "backgroundColor") == _rgb(colours["bg"])
    assert page.eval_on_selector("body", style, "color") == _rgb(colours["text"])
    badge = page.locator(".claim__verdict .verdict")
    verdict = badge.get_attribute("class").split("verdict--")[1].split()[0]
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == _rgb(colours[verdict])
    assert badge.evaluate("e => getComputedStyle(e).color") == _rgb(colours["on-verdict"])
    context.close()


@pytest.mark.browser
def test_skip_link_appears_on_focus_and_focus_is_visible(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    open_page(page, base_url)
    skip = page.locator(".skip-link")
    assert not skip.is_visible() or (skip.bounding_box() or {"y": -1})["y"] < 0
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.close()
