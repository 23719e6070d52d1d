"""Each quality gate passes a clean tiny site and catches the defect planted in a copy of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from support.axe import new_axe_context, run_axe
from support.browser import PageWatcher
from support.crawl import CSP_POLICY, crawl, policy_problems
from support.static_server import serve_directory
from support.vnu import validate

HEAD = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP_POLICY}">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>{{title}}</title>
<link rel="icon" href="{{up}}static/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{{up}}static/site.css">
<script src="{{up}}static/site.js" defer></script>
</head>
<body>
<main>
<h1>{{title}}</h1>
"""
FOOT = """</main>
</body>
</html>
"""
ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect id="dot" width="16" height="16" fill="#036"/></svg>\n'
)


def page(title: str, body: str, up: str = "") -> str:
    """Return a complete page that passes every gate, with body inside <main>."""
    return HEAD.format(title=title, up=up) + body + FOOT


CLEAN: dict[str, str] = {
    "index.html": page(
        "Claims",
        '<p>Read <a href="claims/one/">the first claim</a> and '
        '<a href="claims/one/#sources">its sources</a>.</p>\n'
        '<p><img src="static/icon.svg" alt="Site icon" width="16" height="16"></p>\n'
        '<p><a href="https://example.org/" rel="noopener noreferrer">Example</a></p>\n',
    ),
    "claims/one/index.html": page(
        "The first claim",
        '<p>Police seized 11.9 kg of fentanyl.</p>\n<h2 id="sources">Sources</h2>\n'
        '<p><a href="../../">All claims</a></p>\n',
        up="../../",
    ),
    "claims/first/index.html": page(
        "The first claim has moved",
        '<p><a href="../one/">The first claim</a> has a new address.</p>\n',
        up="../../",
    ).replace("<title>", '<meta http-equiv="refresh" content="0; url=../one/">\n<title>'),
    "404.html": page("Not found", '<p><a href="/">Home</a></p>\n', up="/"),
    "static/site.css": "body { font-family: sans-serif; color: #111; background: #fff; }\n"
    'h1::before { content: ""; background: url("icon.svg#dot"); }\n',
    "static/site.js": "document.documentElement.classList.add('js');\n",
    "static/icon.svg": ICON,
}

Defect = tuple[str, str, str]


def write_site(root: Path, *defects: Defect) -> Path:
    """Write the clean site into root, each defect replacing text in one file."""
    for name, text in CLEAN.items():
        for file, old, new in defects:
            if file == name:
                assert old in text, f"{old!r} not in {file}"
                text = text.replace(old, new)
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Path]:
    """Return a factory writing the clean site plus the given defects."""
    return lambda *defects: write_site(tmp_path / "site", *defects)


@contextmanager
def served(root: Path) -> Iterator[str]:
    """Serve the site at /sub/ so links that leave the prefix show."""
    with serve_directory(root, "/sub/") as base:
        yield base


def axe_findings(browser: Browser, root: Path) -> list[str]:
    """Return the ids of axe rules that fail on the index page."""
    context = new_axe_context(browser, 390, 844)
    try:
        with served(root) as base:
            page = context.new_page()
            page.goto(base)
            return [violation["id"] for violation in run_axe(page)]
    finally:
        context.close()


@pytest.mark.browser
def test_axe_checks_a_redirect_page_itself(site: Callable[..., Path], browser: Browser) -> None:
    root = site(("claims/first/index.html", ">The first claim</a>", "></a>"))
    context = new_axe_context(browser, 1280, 800)
    try:
        with served(root) as base:
            page = context.new_page()
            page.goto(base + "claims/first/")
            page.wait_for_timeout(300)
            assert page.url == base + "claims/first/"
            assert "link-name" in [violation["id"] for violation in run_axe(page)]
    finally:
        context.close()


def privacy_findings(browser: Browser, root: Path) -> list[str]:
    """Return what loading the index page asked of other hosts or logged as errors."""
    context = browser.new_context()
    try:
        with served(root) as base:
            return PageWatcher(context.new_page()).visit(base)
    finally:
        context.close()


@pytest.mark.browser
def test_clean_site_passes_every_gate(site: Callable[..., Path], browser: Browser) -> None:
    root = site()
    html = sorted(root.rglob("*.html"))
    assert axe_findings(browser, root) == []
    assert validate(html) == []
    with served(root) as base:
        assert crawl(base).broken == []
    assert privacy_findings(browser, root) == []
    assert {str(path): policy_problems(path.read_bytes()) for path in html} == {str(path): [] for path in html}


@pytest.mark.browser
def test_axe_catches_image_without_alt(site: Callable[..., Path], browser: Browser) -> None:
    root = site(("index.html", ' alt="Site icon"', ""))
    assert "image-alt" in axe_findings(browser, root)


def test_vnu_catches_invalid_element(site: Callable[..., Path]) -> None:
    root = site(("claims/one/index.html", "<p>Police", "<blink>x</blink><p>Police"))
    errors = validate(sorted(root.rglob("*.html")))
    assert [(error.file.name, error.file.parent.name) for error in errors] == [
        ("index.html", "one"),
        ("index.html", "one"),
    ]
    assert any("blink" in error.message for error in errors)


def test_crawl_catches_broken_link(site: Callable[..., Path]) -> None:
    root = site(("index.html", 'href="claims/one/">', 'href="claims/two/">'))
    with served(root) as base:
        broken = crawl(base).broken
        assert [(b.page, b.url, b.reason) for b in broken] == [(base, base + "claims/two/", "HTTP 404")]


def test_crawl_catches_broken_anchor(site: Callable[..., Path]) -> None:
    root = site(("index.html", "claims/one/#sources", "claims/one/#evidence"))
    with served(root) as base:
        broken = crawl(base).broken
        assert [(b.url, b.reason) for b in broken] == [(base + "claims/one/#evidence", "no #evidence there")]


def test_crawl_catches_missing_asset_and_escape(site: Callable[..., Path]) -> None:
    root = site(
        ("static/site.css", "icon.svg#dot", "missing.woff2"),
        ("claims/one/index.html", 'href="../../"', 'href="../../../"'),
    )
    with served(root) as base:
        reasons = sorted((b.url, b.reason) for b in crawl(base).broken)
    origin = base.removesuffix("sub/")
    assert reasons == [
        (origin, f"leaves the site root {base}"),
        (base + "static/missing.woff2", "HTTP 404"),
    ]


@pytest.mark.browser
def test_privacy_catches_request_to_other_host(site: Callable[..., Path], browser: Browser) -> None:
    root = site(("index.html", 'src="static/icon.svg"', 'src="https://example.org/pixel.png"'))
    problems = privacy_findings(browser, root)
    assert any("https://example.org/pixel.png" in problem for problem in problems), problems


@pytest.mark.browser
def test_privacy_catches_console_error(site: Callable[..., Path], browser: Browser) -> None:
    root = site(("static/site.js", "document.documentElement", "undefinedThing.call(); document"))
    problems = privacy_findings(browser, root)
    assert any("undefinedThing" in problem for problem in problems), problems


def test_csp_rule_catches_inline_script(site: Callable[..., Path]) -> None:
    root = site(("index.html", "</main>", "<script>alert(1)</script></main>"))
    problems = policy_problems((root / "index.html").read_bytes())
    assert [problem.split(" at ")[0] for problem in problems] == ["inline <script>"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<p>Read", '<p style="color: red">Read', "style attribute on <p>"),
        ('rel="noopener noreferrer"', 'rel="external"', "external link without rel=noopener"),
        ("base-uri 'self'; ", "", "CSP meta tag is"),
        ("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';", "CSP meta tag is"),
        ('content="strict-origin-when-cross-origin"', 'content="no-referrer"', "referrer meta"),
        ('rel="icon"', 'rel="preload"', "no <link rel=icon>"),
        ("<p>Read", '<p onclick="go()">Read', "onclick handler on <p>"),
    ],
)
def test_policy_rule_catches_other_breaches(site: Callable[..., Path], old: str, new: str, expected: str) -> None:
    root = site(("index.html", old, new))
    problems = policy_problems((root / "index.html").read_bytes())
    assert len(problems) == 1 and problems[0].startswith(expected), problems
