"""Every page of the shipped site passes axe-core, the Nu checker, a link crawl and the policy.

The site checked is the shipped project plus one former claim id (conftest's `swept_site`), so that
every template has a page. The slow browser sweeps (axe at two viewports, requests and errors, the
320 px width) visit one page of each template unless FACTSITE_FULL_SWEEP=1 or CI=true (support/sweep.py);
the Nu checker, the crawls and the policy check always read every page.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser

from support.axe import format_violations, new_axe_context, run_axe
from support.browser import PageWatcher, open_page
from support.crawl import CrawlResult, crawl, policy_problems
from support.static_server import serve_directory
from support.sweep import page_templates, pages_by_template, swept
from support.vnu import validate

ROOT = Path(__file__).resolve().parents[1]
VIEWPORTS = [(390, 844), (1280, 800)]


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def html_files(swept_site: Path) -> list[Path]:
    """List every HTML file of the built site."""
    files = sorted(swept_site.rglob("*.html"))
    assert swept_site / "index.html" in files
    return files


@pytest.fixture(scope="session")
def site_url(swept_site: Path) -> Iterator[str]:
    """Serve the built site at the root of a local host."""
    with serve_directory(swept_site) as base:
        yield base


@pytest.fixture(scope="session")
def sub_url(swept_site: Path) -> Iterator[str]:
    """Serve the built site under /sub/, as on a project page of a shared host."""
    with serve_directory(swept_site, "/sub/") as base:
        yield base


@pytest.fixture(scope="session")
def sweep_urls(swept_site: Path, site_url: str) -> list[str]:
    """Return the URLs the browser sweeps visit, in the directory form readers share: one page of
    each template, or every page with FACTSITE_FULL_SWEEP=1 or CI=true."""
    return [site_url + path for path in swept(swept_site, ROOT)]


@pytest.fixture(scope="session")
def root_crawl(site_url: str) -> CrawlResult:
    """Crawl the site served at the root, from the index and the 404 page."""
    return crawl(site_url, extra_starts=(site_url + "404.html",))


def _shipped_claims() -> dict[str, str]:
    """Return {id: claim text} of the published claims in the project's data files."""
    files = [ROOT / "claims.yaml", *sorted((ROOT / "claims").glob("*.yaml"))]
    claims: dict[str, str] = {}
    for file in files:
        if not file.is_file():
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        entries = data.get("claims", []) if isinstance(data, dict) else data
        for entry in entries or []:
            if not entry.get("draft"):
                claims[entry["id"]] = entry["claim"]
    return claims


def _base_url_host() -> tuple[str, ...]:
    data = yaml.safe_load((ROOT / "claims.yaml").read_text(encoding="utf-8"))
    return (urlsplit(data["site"]["base_url"]).hostname or "",)


def test_the_sweeps_visit_a_page_of_every_template(swept_site: Path, site_url: str, sweep_urls: list[str]) -> None:
    by_template = pages_by_template(swept_site, ROOT)
    assert set(by_template) == page_templates(ROOT)
    unswept = [template for template, pages in by_template.items()
               if not any(site_url + path in sweep_urls for path, _ in pages)]
    assert not unswept, f"no page swept of {unswept}"


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda value: str(value))
@pytest.mark.browser
def test_every_page_has_zero_axe_violations(browser: Browser, sweep_urls: list[str], width: int, height: int) -> None:
    context = new_axe_context(browser, width, height)
    page = context.new_page()
    problems: list[str] = []
    try:
        for url in sweep_urls:
            page.goto(url, wait_until="load")
            problems += format_violations(url, run_axe(page))
    finally:
        context.close()
    assert not problems, _report(problems)


def test_every_page_is_valid_html(html_files: list[Path]) -> None:
    errors = [str(error) for error in validate(html_files)]
    assert not errors, _report(errors)


def test_crawl_from_root_finds_no_broken_link(root_crawl: CrawlResult) -> None:
    broken = [str(link) for link in root_crawl.broken]
    assert not broken, _report(broken)
    assert len(root_crawl.pages) > 1


def test_crawl_under_a_subpath_finds_no_broken_link(sub_url: str) -> None:
    result = crawl(sub_url)
    broken = [str(link) for link in result.broken]
    assert not broken, _report(broken)
    assert len(result.pages) > 1


@pytest.mark.browser
def test_pages_ask_no_other_host_and_log_no_error(browser: Browser, sweep_urls: list[str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watcher = PageWatcher(context.new_page())
    problems: list[str] = []
    try:
        for url in sweep_urls:
            problems += [f"{url}: {problem}" for problem in watcher.visit(url)]
    finally:
        context.close()
    assert not problems, _report(problems)


# Where a page gets too wide: the outermost elements reaching past the right edge (their parent
# does not), or else the innermost ones whose content spills out of them; boxes inside a box that
# scrolls or clips are left out, as they do not widen the page.
_PAST_THE_EDGE = """() => {
  const edge = document.documentElement.clientWidth;
  const scrolls = (el) => getComputedStyle(el).overflowX !== 'visible';
  const contained = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const past = (el) => el.getBoundingClientRect().right > edge + 0.5;
  const spills = (el) => el.scrollWidth > el.clientWidth + 1 && !scrolls(el);
  const all = [...document.body.querySelectorAll('*')].filter((el) => !contained(el));
  let found = all.filter((el) => past(el) && (el.parentElement === document.body || !past(el.parentElement)));
  if (!found.length) found = all.filter((el) => spills(el) && ![...el.children].some(spills));
  return found.slice(0, 5).map((el) => {
    const classes = [...el.classList].map((name) => '.' + name).join('');
    const box = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}> ` +
      `${Math.round(box.left)}-${Math.round(box.right)} px, content ${el.scrollWidth} px`;
  });
}"""


@pytest.mark.browser
def test_pages_fit_320_px_without_horizontal_scroll(browser: Browser, sweep_urls: list[str]) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    problems: list[str] = []
    try:
        for url in sweep_urls:
            open_page(page, url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                culprits = ", ".join(page.evaluate(_PAST_THE_EDGE)) or "no single element found"
                problems.append(f"{page.url}: page is {width} px wide at a 320 px viewport; past the edge: {culprits}")
    finally:
        context.close()
    assert not problems, _report(problems)


def test_pages_follow_csp_referrer_and_link_policy(swept_site: Path, html_files: list[Path]) -> None:
    own = _base_url_host()
    problems = [
        f"{file.relative_to(swept_site)}: {problem}"
        for file in html_files
        for problem in policy_problems(file.read_bytes(), own_hosts=own)
    ]
    assert not problems, _report(problems)


@pytest.mark.browser
def test_claim_pages_work_without_javascript(browser: Browser, root_crawl: CrawlResult, site_url: str) -> None:
    claims = _shipped_claims()
    assert claims, "the shipped data has no published claim"
    graph = root_crawl.anchor_graph()
    reached, queue = {site_url}, deque([site_url])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    problems: list[str] = []
    try:
        for claim_id, text in claims.items():
            url = f"{site_url}claims/{claim_id}/"
            if url not in reached:
                problems.append(f"{url}: no chain of links leads here from the index")
                continue
            open_page(page, url)
            shown = " ".join(page.locator("body").inner_text().split())
            if " ".join(text.split()) not in shown:
                problems.append(f"{url}: claim text not shown: {text!r}")
    finally:
        context.close()
    assert not problems, _report(problems)
