"""Every page of a site with every template passes axe-core, the Nu checker, a link crawl and the policy.

The site checked is the rich fixture project (tests/fixtures/rich, conftest's `rich_site`), which has a
page of every template: timeline, redirect, every verdict, the content page templates. The slow browser
sweeps (axe at two viewports, requests and errors, the 320 px width) visit one page of each template unless
FACTSITE_FULL_SWEEP=1 or CI=true (support/sweep.py); the Nu checker, the crawls and the policy check always
read every page. The shipped site's own pages go through the Nu checker and the policy in test_shipped.py.
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
from support.project import published_claims
from support.static_server import serve_directory
from support.sweep import page_templates, pages_by_template, swept
from support.vnu import validate

VIEWPORTS = [(390, 844), (1280, 800)]


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def html_files(rich_site: Path) -> list[Path]:
    """List every HTML file of the built site."""
    files = sorted(rich_site.rglob("*.html"))
    assert rich_site / "index.html" in files
    return files


@pytest.fixture(scope="session")
def site_url(rich_site: Path) -> Iterator[str]:
    """Serve the built site at the root of a local host."""
    with serve_directory(rich_site) as base:
        yield base


@pytest.fixture(scope="session")
def sub_url(rich_site: Path) -> Iterator[str]:
    """Serve the built site under /sub/, as on a project page of a shared host."""
    with serve_directory(rich_site, "/sub/") as base:
        yield base


@pytest.fixture(scope="session")
def sweep_urls(rich_site: Path, rich_project: Path, site_url: str) -> list[str]:
    """Return the URLs the browser sweeps visit, in the directory form readers share: one page of
    each template, or every page with FACTSITE_FULL_SWEEP=1 or CI=true."""
    return [site_url + path for path in swept(rich_site, rich_project)]


@pytest.fixture(scope="session")
def root_crawl(site_url: str) -> CrawlResult:
    """Crawl the site served at the root, from the index and the 404 page."""
    return crawl(site_url, extra_starts=(site_url + "404.html",))


def _base_url_host(project: Path) -> tuple[str, ...]:
    data = yaml.safe_load((project / "claims.yaml").read_text(encoding="utf-8"))
    return (urlsplit(data["site"]["base_url"]).hostname or "",)


def test_the_sweeps_visit_a_page_of_every_template(rich_site: Path, rich_project: Path, site_url: str,
                                                   sweep_urls: list[str]) -> None:
    by_template = pages_by_template(rich_site, rich_project)
    assert set(by_template) == page_templates(rich_project)
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


def test_pages_follow_csp_referrer_and_link_policy(rich_site: Path, rich_project: Path,
                                                    html_files: list[Path]) -> None:
    own = _base_url_host(rich_project)
    problems = [
        f"{file.relative_to(rich_site)}: {problem}"
        for file in html_files
        for problem in policy_problems(file.read_bytes(), own_hosts=own)
    ]
    assert not problems, _report(problems)


@pytest.mark.browser
def test_claim_pages_work_without_javascript(browser: Browser, root_crawl: CrawlResult, site_url: str,
                                            rich_project: Path) -> None:
    claims = published_claims(rich_project)
    assert claims, "the fixture project has no published claim"
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
