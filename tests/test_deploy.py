"""The deploy recipes serve a built site correctly: nginx, Netlify, GitHub Pages.

The site served is the rich fixture project's (tests/fixtures/rich: a page of every template).

Tests that use the `nginx` or `browser` fixture are marked `nginx` / `browser` by conftest.py. The
browser opens one page of each template (every page with FACTSITE_FULL_SWEEP=1 or CI=true) and fetches
every other file, pages included, without rendering it.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import APIResponse, Browser, Response

from support.browser import META_REFRESH
from support.project import RICH, build_project, copy_project
from support.static_server import serve_directory
from support.sweep import swept

ROOT = Path(__file__).resolve().parents[1]
NGINX_DIR = ROOT / "deploy" / "nginx"
SUBPATH = "/fentanyl-factcheck/"
CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'"
)
PAGE_CSP = f"{CSP}; frame-ancestors 'self'"
EMBED_CSP = f"{CSP}; frame-ancestors *"
DENIED_FEATURES = ("camera", "microphone", "geolocation", "interest-cohort", "browsing-topics")
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("text/javascript", "application/javascript"),
    ".json": ("application/json",),
    ".xml": ("application/atom+xml", "application/xml", "text/xml"),
    ".csv": ("text/csv",),
    ".txt": ("text/plain",),
    ".png": ("image/png",),
    ".svg": ("image/svg+xml",),
    ".ico": ("image/x-icon", "image/vnd.microsoft.icon"),
    ".woff2": ("font/woff2",),
    ".webmanifest": ("application/manifest+json",),
    **{suffix: ("application/octet-stream",) for suffix in (".pagefind", ".pf_fragment", ".pf_index", ".pf_filter",
                                                           ".pf_meta")},
}
FINGERPRINTED = re.compile(r"/static/.+\.[0-9a-f]{8}(\.[A-Za-z0-9]+)?$")
EMBED = re.compile(r"/claims/[^/]+/embed/(index\.html)?$")
Nginx = Callable[[Path, str], AbstractContextManager[str]]


# Building and serving


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the rich fixture project."""
    return copy_project(tmp_path_factory.mktemp("deploy") / "project", RICH)


@pytest.fixture(scope="module")
def build(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return a function that builds the rich fixture project for a base URL path, once per path."""
    built: dict[str, Path] = {}

    def _build(path: str) -> Path:
        if path not in built:
            out = tmp_path_factory.mktemp("site") / "out"
            built[path] = build_project(project, out, "--base-url", f"https://example.test{path}")
        return built[path]

    return _build


def _served_files(site: Path) -> list[str]:
    """Return the URL path (relative to the site root) of every file a host should serve."""
    paths = []
    for file in sorted(site.rglob("*")):
        relative = file.relative_to(site).as_posix()
        if file.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            paths.append(relative.removesuffix("index.html"))
    return paths


def _media_type(response: Response | APIResponse) -> str:
    """Return the response's media type without parameters."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _suffix(url_path: str) -> str:
    """Return the file extension a URL path stands for (.html for directory URLs)."""
    name = url_path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ".html"


@dataclass
class _Visit:
    """What the browser requested and received while crawling one served site."""

    requests: list[str] = field(default_factory=list)
    responses: list[Response | APIResponse] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def _crawl(browser: Browser, base: str, site: Path, project: Path) -> _Visit:
    """Open the swept pages of the site in Chromium and fetch every other file it serves."""
    opened = set(swept(site, project, every_template=False))
    visit = _Visit()
    context = browser.new_context()
    context.on("request", lambda request: visit.requests.append(request.url))
    context.on("response", lambda response: visit.responses.append(response))
    page = context.new_page()
    page.on("console", lambda message: visit.console.append(f"{page.url}: {message.text}"))
    try:
        for path in _served_files(site):
            if path == "404.html":
                continue
            if _suffix(path) == ".html" and path in opened:
                response = page.goto(base + path)
                assert response is not None and response.status == 200, f"{path}: not served"
                file = site / path / "index.html" if path == "" or path.endswith("/") else site / path
                if META_REFRESH.search(file.read_text(encoding="utf-8")):  # a former id: let its redirect finish
                    page.wait_for_url(lambda now, url=base + path: now != url, wait_until="load")
            else:
                visit.responses.append(context.request.get(base + path))
    finally:
        context.close()
    return visit


def _check_security_headers(url: str, headers: dict[str, str]) -> list[str]:
    """Return what is wrong with the security headers of one response."""
    problems = []
    expected = EMBED_CSP if EMBED.search(url) else PAGE_CSP
    if headers.get("content-security-policy") != expected:
        problems.append(f"{url}: CSP {headers.get('content-security-policy')!r}")
    if headers.get("referrer-policy") != "strict-origin-when-cross-origin":
        problems.append(f"{url}: Referrer-Policy {headers.get('referrer-policy')!r}")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append(f"{url}: X-Content-Type-Options missing")
    policy = headers.get("permissions-policy", "")
    problems += [f"{url}: {name} allowed" for name in DENIED_FEATURES if f"{name}=()" not in policy]
    return problems


@pytest.fixture(scope="module", params=[SUBPATH, "/"], ids=["subpath", "root"])
def served(
    request: pytest.FixtureRequest, build: Callable[[str], Path], project: Path, browser: Browser, nginx: Nginx
) -> Iterator[tuple[str, Path, _Visit]]:
    """Serve the site built for /fentanyl-factcheck/ with nginx at a path; crawl it once."""
    site = build(SUBPATH)
    with nginx(site, request.param) as base:
        yield base, site, _crawl(browser, base, site, project)


# nginx


def test_every_file_is_served_with_its_content_type(served: tuple[str, Path, _Visit]) -> None:
    base, site, visit = served
    seen = {response.url.removeprefix(base): response for response in visit.responses}
    problems = []
    for path in _served_files(site):
        response = seen.get(path)
        if path == "404.html":
            continue
        if response is None or response.status != 200:
            problems.append(f"{path}: {response.status if response else 'never requested'}")
        elif _media_type(response) not in CONTENT_TYPES.get(_suffix(path), ()):
            problems.append(f"{path}: served as {_media_type(response)!r}")
    assert problems == []


def test_pages_load_every_asset_from_inside_the_site(served: tuple[str, Path, _Visit]) -> None:
    base, _site, visit = served
    assert [url for url in visit.requests if not url.startswith(base)] == []
    failed = [f"{r.url}: {r.status}" for r in visit.responses if r.status not in (200, 304)]
    assert failed == []
    kinds = {_suffix(r.url.removeprefix(base).split("?")[0]) for r in visit.responses}
    assert {".html", ".css", ".png"} <= kinds
    for response in visit.responses:
        expected = CONTENT_TYPES.get(_suffix(response.url.split("?")[0].removeprefix(base)), ())
        assert _media_type(response) in expected, response.url
    assert [line for line in visit.console if "Content Security Policy" in line] == []


def test_every_response_carries_the_security_headers(served: tuple[str, Path, _Visit]) -> None:
    _base, _site, visit = served
    assert any(EMBED.search(response.url) for response in visit.responses)
    problems = [
        problem
        for response in visit.responses
        for problem in _check_security_headers(response.url, response.headers)
    ]
    assert problems == []


def test_search_runs_under_the_security_headers(served: tuple[str, Path, _Visit], browser: Browser) -> None:
    base, _site, _visit = served
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(f"{base}search/?q=bridge")
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result").count() > 0
    assert problems == [], "the worker and the page compile the index reader under the served policy"
    page.close()


def test_fingerprinted_assets_are_cached_for_good_and_pages_revalidate(
    served: tuple[str, Path, _Visit],
) -> None:
    _base, _site, visit = served
    assets = [r for r in visit.responses if FINGERPRINTED.search(r.url)]
    assert assets, "no fingerprinted asset was requested"
    for response in assets:
        assert "immutable" in response.headers.get("cache-control", ""), response.url
    for response in visit.responses:
        if _media_type(response) == "text/html":
            assert response.headers.get("cache-control") == "no-cache", response.url


@pytest.mark.parametrize("prefix", [SUBPATH, "/"], ids=["subpath", "root"])
def test_missing_page_shows_the_sites_404_page(
    prefix: str, build: Callable[[str], Path], browser: Browser, nginx: Nginx
) -> None:
    site = build(prefix)
    expected_title = re.search(r"<title>(.*?)</title>", (site / "404.html").read_text(), re.S)
    assert expected_title is not None
    with nginx(site, prefix) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            stylesheets: list[Response] = []
            page.on(
                "response",
                lambda r: r.request.resource_type == "stylesheet" and stylesheets.append(r),
            )
            response = page.goto(base + "claims/no-such-claim/embed/deeper/")
            assert response is not None and response.status == 404
            assert _check_security_headers(response.url, response.headers) == []
            assert page.title() == expected_title.group(1).strip()
            assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
            assert stylesheets and all(sheet.status == 200 for sheet in stylesheets)
            rules = page.evaluate(
                "() => [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
            )
            assert rules > 0
            hidden = context.request.get(base + ".factsite")
            assert hidden.status == 404
        finally:
            context.close()


def test_embeds_can_be_framed_by_other_sites_and_pages_cannot(
    build: Callable[[str], Path], browser: Browser, nginx: Nginx, tmp_path: Path
) -> None:
    site = build(SUBPATH)
    embed = next(p for p in _served_files(site) if EMBED.search("/" + p))
    claim = embed.removesuffix("embed/")
    with nginx(site, SUBPATH) as base:
        frames = f'<iframe src="{base}{embed}"></iframe><iframe src="{base}{claim}"></iframe>'
        (tmp_path / "index.html").write_text(f"<!doctype html><title>Other site</title>{frames}")
        # Another origin on loopback: Chromium blocks public pages from framing local ones.
        with serve_directory(tmp_path) as other_site:
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(other_site)
                page.wait_for_load_state("load")
                urls = [frame.url for frame in page.frames]
                assert base + embed in urls
                assert base + claim not in urls
                assert page.frames[urls.index(base + embed)].locator("h1").count() == 1
            finally:
                context.close()


# Netlify


def _netlify_rule(path: str) -> re.Pattern[str]:
    """Return the regex Netlify matches a _headers path with (`*` any text, `:x` a segment)."""
    parts = [part for part in path.split("/") if part]
    pattern = "".join(
        "/[^/]+" if part.startswith(":") else "/" + ".*".join(map(re.escape, part.split("*")))
        for part in parts
    )
    return re.compile(f"^{pattern}/?$" if parts else "^/$")


def _netlify_headers() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """Parse deploy/netlify/_headers into (path regex, headers) rules."""
    rules: list[tuple[re.Pattern[str], dict[str, str]]] = []
    for line in (ROOT / "deploy" / "netlify" / "_headers").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((_netlify_rule(line.strip()), {}))
        else:
            name, value = line.strip().split(":", 1)
            rules[-1][1][name.strip().lower()] = value.strip()
    return rules


def test_netlify_headers_match_the_nginx_ones(build: Callable[[str], Path]) -> None:
    rules = _netlify_headers()
    site = build(SUBPATH)
    problems = []
    for path in ["/" + p for p in _served_files(site)]:
        merged: dict[str, list[str]] = {}
        for pattern, headers in rules:
            if pattern.match(path):
                for name, value in headers.items():
                    merged.setdefault(name, []).append(value)
        single = {name: ", ".join(values) for name, values in merged.items()}
        policies = [p.strip() for p in single.pop("content-security-policy", "").split(",")]
        directives = sorted(d.strip() for policy in policies for d in policy.split(";"))
        # Without frame-ancestors (embeds) any site may frame the page, as with `*` in nginx.
        csp = CSP if EMBED.search(path) else PAGE_CSP
        if _suffix(path) == ".html" and directives != sorted(d.strip() for d in csp.split(";")):
            problems.append(f"{path}: CSP {policies}")
        single["content-security-policy"] = EMBED_CSP if EMBED.search(path) else PAGE_CSP
        problems += _check_security_headers(path, single)
        if FINGERPRINTED.search(path) and "immutable" not in single.get("cache-control", ""):
            problems.append(f"{path}: not cached for good")
    assert problems == []


def test_netlify_builds_for_the_deploy_address_and_publishes_site() -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert config["build"]["publish"] == "site"
    commands = [config["build"]["command"]] + [
        context["command"] for context in config.get("context", {}).values()
    ]
    for command in commands:
        assert re.fullmatch(
            r"make site BASE_URL=\$(URL|DEPLOY_PRIME_URL)/ && "
            r"cp deploy/netlify/_headers site/_headers",
            command,
        ), command


# GitHub Pages


def _readme_build_command() -> str:
    """Return the README's build command: its line that runs `make site`."""
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*(?:\$ )?(make site)\s*$", readme, re.M)
    assert commands, "README.md gives no `make site` build command"
    return commands[0]


def test_pages_workflow_runs_the_readme_build_command_for_the_pages_address() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    jobs = workflow["jobs"]
    steps = [step for job in jobs.values() for step in job["steps"]]
    for step in (step for step in steps if "uses" in step):
        assert re.fullmatch(r"v\d+", step["uses"].split("@", 1)[1]), step["uses"]
    uses = {step["uses"].split("@", 1)[0] for step in steps if "uses" in step}
    for action in ("checkout", "setup-python", "configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}" in uses, action
    build_steps = jobs["build"]["steps"]
    runs = [step["run"].strip() for step in build_steps if "run" in step]
    build = f"{_readme_build_command()} BASE_URL=${{{{ steps.pages.outputs.base_url }}}}/"
    assert runs == [build]
    pages_step = next(step for step in build_steps if step.get("id") == "pages")
    assert pages_step["uses"].startswith("actions/configure-pages@")
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def test_pages_workflow_deploys_only_after_the_tests_pass() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    jobs = workflow["jobs"]
    needs = jobs["deploy"]["needs"]
    assert {"build", "test"} <= set([needs] if isinstance(needs, str) else needs)
    runs = [step["run"].strip() for step in jobs["test"]["steps"] if "run" in step]
    assert "make test" in runs, "the test job runs the README's test command"
    assert any(".ci/install.sh" in run for run in runs), "the test job installs Chromium, nginx and Java"


def test_make_site_passes_base_url_to_the_build() -> None:
    result = subprocess.run(
        ["make", "-n", "site", "BASE_URL=https://example.test/sub/"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    base_url = r"--base-url[ =]['\"]?https://example\.test/sub/"
    assert re.search(rf"build\.py build\b.*{base_url}", result.stdout), result.stdout
