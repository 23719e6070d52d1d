"""Script injection: payloads in every text field the site publishes, every page loaded in Chromium.

The poisoned project (support/payloads.py) carries script tags, event handlers, attribute and element
breakouts, SVG and MathML tricks, dangerous link schemes, CSS, template syntax, line separators and bidi
characters in every published text, Markdown and URL field. It is built once for the module and each of
its pages is loaded in Chromium with the Content-Security-Policy bypassed, so the escaping is tested on
its own: a payload that ran would set `window.__pwned`, open a dialog or ask another host for something.
The feed, sitemap and open data are parsed as data. What the validator refuses instead of publishing
must be refused at its place (exit 1, file:line).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from factsite.commands.cli import main

from support.browser import PageWatcher
from support.crawl import policy_problems
from support.payloads import (
    BASE_URL_CANDIDATE,
    CONTACT_CANDIDATE,
    CONTROL,
    INVALID_HOST_URLS,
    MARKDOWN,
    REFUSED_FIELDS,
    REFUSED_MARKDOWN,
    REFUSED_SLUGS,
    TEXT,
    URL_CANDIDATES,
    Payload,
    Poisoned,
    poisoned_project,
    yaml_markdown,
    yaml_text,
)
from support.project import MINIMAL_ABOUT, MINIMAL_CLAIMS, build_project, write_project
from support.static_server import serve_directory

PUBLISHED_FIELDS = {
    "site.title", "site.description", "site.publisher.name", "site.license.name",
    "article.title", "article.outlet", "article.authors[]",
    "verdicts[].label", "verdicts[].description",
    "claims[].claim", "claims[].quote", "claims[].summary", "claims[].explanation", "claims[].verdict_basis",
    "claims[].claimant.name", "claims[].claimant.title", "claims[].attributed_to.name",
    "claims[].attributed_to.title", "claims[].sources[].title", "claims[].sources[].publisher",
    "claims[].checks[].label", "claims[].checks[].parts[].label", "claims[].reviewed_by[]",
    "claims[].corrections[].note", "events[].title", "events[].text",
    "content/*.md:title", "content/*.md:description", "content/*.md:body",
}
"""Every text field the site publishes: each must carry payloads."""

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset")
INJECTED_TAGS = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "mglyph", "mtext",
                 "animate", "set", "details", "noscript", "style", "input", "template", "portal", "video", "audio",
                 "foreignobject", "marquee", "xss")
"""Elements neither the theme nor the Markdown renderer makes: any on a page came from a payload."""
THEME_INPUTS = frozenset({"masthead-search", "search-query"})
"""The theme's own <input> elements, the search boxes, by id: any other came from a payload."""
_DROPPED_FROM_URLS = re.compile(r"[\x00-\x20\x7f]+")


# -- running factsite -------------------------------------------------------------------------------


def check_json(project: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run `check --format json` in-process; return the exit code and the problems (module fixtures have no capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project), "check", "--format", "json"], prog="build.py")
    assert "Traceback" not in err.getvalue(), err.getvalue()
    return code, json.loads(out.getvalue() or '{"problems": []}')["problems"]


def errors(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in problems if p["severity"] == "error"]


def line_of(text: str, needle: str, start: int = 1) -> int:
    """Return the 1-based number of the first line at or after `start` that holds `needle`."""
    for number, line in enumerate(text.split("\n")[start - 1:], start):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the file")


def assert_refused_at(problems: list[dict[str, Any]], expected: dict[str, tuple[str, int]]) -> None:
    """Assert each named input has an error at its file and line."""
    at = {(p["path"], p["line"]) for p in errors(problems)}
    missing = {name: place for name, place in expected.items() if place not in at}
    listed = "\n".join(f"{p['path']}:{p['line']}:{p['column']}: {p['message']}" for p in errors(problems))
    assert not missing, f"not refused at their place: {missing}\nerrors:\n{listed}"


# -- the poisoned project, built once ---------------------------------------------------------------


@dataclass
class Probe:
    """Which candidate payloads the validator refused, from a `check` of the project with every candidate."""

    refused: dict[str, list[str]] = field(default_factory=dict)
    """Candidate name -> the located errors that refused it."""
    stray: list[str] = field(default_factory=list)
    """Errors at no line holding a candidate that may be refused: refused text that must be accepted, or unlocated."""


CANDIDATES: tuple[Payload, ...] = (*TEXT, *URL_CANDIDATES, CONTACT_CANDIDATE, BASE_URL_CANDIDATE)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    """Check the project with every candidate payload; note which the validator refuses, and where."""
    everything = poisoned_project()
    project = write_project(tmp_path_factory.mktemp("probe") / "project", everything.files)
    _, problems = check_json(project)
    found = Probe()
    files = {name: (project / name).read_text(encoding="utf-8").split("\n") for name in everything.files
             if name.endswith((".yaml", ".md"))}
    for problem in errors(problems):
        lines = files.get(problem["path"], [])
        line = lines[problem["line"] - 1] if 0 < (problem["line"] or 0) <= len(lines) else ""
        # A value holds one or two payloads, as they are written in YAML (without the quotes around the value).
        hits = [c for c in CANDIDATES if c.may_refuse and yaml_text(c.text)[1:-1] in line]
        shown = f"{problem['path']}:{problem['line']}:{problem['column']}: {problem['message']}"
        if not hits:
            found.stray.append(shown)
        for candidate in hits:
            found.refused.setdefault(candidate.name, []).append(shown)
    return found


@pytest.fixture(scope="module")
def poisoned(probe: Probe, tmp_path_factory: pytest.TempPathFactory) -> tuple[Poisoned, Path, Path]:
    """Build the project with every payload the validator accepts; return it, its folder and its site."""
    assert not probe.stray, "text payloads refused, or refusals at no payload's place:\n" + "\n".join(probe.stray)

    def kept(payloads: tuple[Payload, ...]) -> list[Payload]:
        return [p for p in payloads if p.name not in probe.refused]

    contact = CONTACT_CANDIDATE if CONTACT_CANDIDATE.name not in probe.refused else None
    base_url = BASE_URL_CANDIDATE if BASE_URL_CANDIDATE.name not in probe.refused else None
    data = poisoned_project(kept(TEXT), kept(URL_CANDIDATES), contact, base_url)
    project = write_project(tmp_path_factory.mktemp("poisoned") / "project", data.files)
    site = build_project(project, project.parent / "site")
    return data, project, site


@pytest.fixture(scope="module")
def pages(poisoned: tuple[Poisoned, Path, Path]) -> dict[str, str]:
    """Every HTML page of the site by its path (`claims/claim-1/`, `404.html`)."""
    site = poisoned[2]
    found = {file.relative_to(site).as_posix().removesuffix("index.html"): file.read_text(encoding="utf-8")
             for file in sorted(site.rglob("*.html"))}
    assert "" in found and "claims/claim-0/" in found
    return found


def body_text(page: str) -> str:
    document = lxml.html.document_fromstring(page)
    return "".join(document.xpath("//body")[0].itertext())


# -- what reached the pages -------------------------------------------------------------------------


def test_payloads_fill_every_published_field(poisoned: tuple[Poisoned, Path, Path], probe: Probe) -> None:
    data = poisoned[0]
    payloads = len(TEXT) + len(MARKDOWN) + len(URL_CANDIDATES) + len(INVALID_HOST_URLS) + len(CONTROL) + len(
        REFUSED_MARKDOWN) + len(REFUSED_FIELDS) + len(REFUSED_SLUGS) + 2
    assert payloads >= 30
    assert data.fields() >= PUBLISHED_FIELDS, f"fields without payloads: {PUBLISHED_FIELDS - data.fields()}"
    published = {p.payload for p in data.placements}
    assert len(published) >= 30, "the bulk of the payloads must reach the pages"
    must = {p.name for p in TEXT if not p.may_refuse}
    assert must <= published
    assert not {"url-percent", "url-entities"} & set(probe.refused), "valid addresses are accepted"


def test_each_text_payload_shows_as_written(poisoned: tuple[Poisoned, Path, Path], pages: dict[str, str]) -> None:
    data = poisoned[0]
    texts = {path: body_text(page) for path, page in pages.items()}
    missing = [f"{p.field} ({p.payload}) on {p.page or 'the index'}: {p.text!r}"
               for p in data.placements if p.page is not None and p.text not in texts[p.page]]
    for name, page, payload in data.markdown:
        missing += [f"{name} ({payload.name}) on {page}: {text!r}"
                    for text in payload.expect if text not in texts[page]]
    assert not missing, "not shown as text:\n" + "\n".join(missing)


def test_template_syntax_shows_literally(poisoned: tuple[Poisoned, Path, Path], pages: dict[str, str]) -> None:
    texts = "".join(body_text(page) for page in pages.values())
    for literal in ("{{ 7*7 }}", "{{ config }}", "{% raw %}", "{% endraw %}", "${7*7}", "#{7*7}", "<%= 7*7 %>"):
        assert literal in texts
    about = "".join(lxml.html.document_fromstring(pages["about/"]).xpath("//article")[0].itertext())
    assert "{{ 7*7 }} {% raw %}x{% endraw %} ${7*7}" in about  # written \{{ in a content page
    site_title = next(p.text for p in poisoned[0].placements if p.field == "site.title")
    assert "{{ site.title }}" not in about and site_title in about  # site values filled in, as text


def test_pages_keep_their_policy_and_no_url_runs_script(pages: dict[str, str]) -> None:
    problems = []
    for path, page in pages.items():
        problems += [f"{path or 'index'}: {problem}" for problem in policy_problems(page.encode("utf-8"))]
        document = lxml.html.document_fromstring(page)
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.rsplit("}", 1)[-1].lower()
            if tag in INJECTED_TAGS and not (tag == "input" and element.get("id") in THEME_INPUTS):
                problems.append(f"{path or 'index'}: <{tag}> element at line {element.sourceline}")
            for name, value in element.attrib.items():
                if name.rsplit("}", 1)[-1].lower() in URL_ATTRIBUTES or name.lower() in URL_ATTRIBUTES:
                    decoded = _DROPPED_FROM_URLS.sub("", html.unescape(html.unescape(value))).lower()
                    if "javascript:" in decoded or "vbscript:" in decoded:
                        problems.append(f"{path or 'index'}: {name}={value!r} on <{tag}>")
        refreshes = document.xpath("//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']")
        if refreshes and not (path.startswith("claims/old-claim-") and len(refreshes) == 1):
            problems.append(f"{path or 'index'}: meta refresh outside a former id's redirect")
        scripts = document.xpath("//script[@type='application/ld+json']")
        if len(scripts) != (1 if re.fullmatch(r"claims/claim-[0-9]+/", path) else 0):
            problems.append(f"{path or 'index'}: {len(scripts)} JSON-LD blocks")
    assert not problems, "\n".join(problems)


def test_json_ld_parses_and_reviews_the_claim_shown(poisoned: tuple[Poisoned, Path, Path],
                                                    pages: dict[str, str]) -> None:
    data = poisoned[0]
    for claim_id, claim in data.claims.items():
        document = lxml.html.document_fromstring(pages[f"claims/{claim_id}/"])
        (script,) = document.xpath("//script[@type='application/ld+json']")
        review = json.loads(script.text)
        (heading,) = document.xpath("//h1")
        assert review["claimReviewed"] == heading.text_content() == claim
        assert "<" not in script.text and "\u2028" not in script.text and "\u2029" not in script.text
        appearance = review["itemReviewed"]["appearance"]
        assert appearance["headline"] in body_text(pages[""])


# -- feeds and open data ----------------------------------------------------------------------------


def parse_xml(raw: bytes) -> ET.Element:
    """Parse XML that may declare no DOCTYPE and no entity (so nothing can be expanded)."""
    assert b"<!DOCTYPE" not in raw and b"<!ENTITY" not in raw
    return ET.fromstring(raw)


def test_feed_and_sitemap_are_xml_with_the_payloads_escaped(poisoned: tuple[Poisoned, Path, Path]) -> None:
    data, _, site = poisoned
    atom = "{http://www.w3.org/2005/Atom}"
    raw = (site / "feed.xml").read_bytes()
    feed = parse_xml(raw)
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert titles == list(data.claims.values())
    assert feed.findtext(f"{atom}title") == data.placements[0].text  # site.title
    for claim in data.claims.values():
        if "<" in claim:
            assert claim.encode("utf-8") not in raw, "markup in the feed must be escaped"
    assert b"<script" not in raw.lower() and b"<!--" not in raw and b"<![CDATA[" not in raw
    sitemap = parse_xml((site / "sitemap.xml").read_bytes())
    locs = [loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(("https://x.example/", "http://x.example/")) for loc in locs)


def test_claims_json_parses_and_keeps_each_text(poisoned: tuple[Poisoned, Path, Path]) -> None:
    data, _, site = poisoned
    feed = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    reviewed = {item["factsite"]["id"]: item["item"]["claimReviewed"] for item in feed["dataFeedElement"]}
    assert reviewed == data.claims


def test_claims_csv_has_no_formula_cells(poisoned: tuple[Poisoned, Path, Path]) -> None:
    data, _, site = poisoned
    with (site / "claims.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    formulas = [cell for row in body for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not formulas, f"cells a spreadsheet would run: {formulas}"
    claims = {row[0]: row[header.index("claim")] for row in body}
    for claim_id, claim in data.claims.items():
        expected = "'" + claim if claim[:1] in ("=", "+", "-", "@") else claim
        assert claims[claim_id] == expected
    assert any(cell.startswith("'") for cell in claims.values()), "the formula payloads reach the CSV's claims"


# -- every page in Chromium -------------------------------------------------------------------------

_EVENTS = ("mouseover", "mouseenter", "mousemove", "pointerover", "pointerenter", "focus", "focusin", "blur",
           "toggle", "animationstart", "animationend", "transitionend", "load", "error", "input", "keydown",
           "wheel", "scroll", "copy", "paste", "beforeprint", "hashchange", "pageshow")

_PROBE = """(events) => {
  const all = [...document.querySelectorAll('*')];
  const handlers = [];
  all.forEach((el, index) => {
    if ([...el.attributes].some((a) => a.name.toLowerCase().startsWith('on'))) {
      el.setAttribute('data-injection-probe', String(index));
      handlers.push(`<${el.localName} ${[...el.attributes].map((a) => a.name).join(' ')}>`);
    }
  });
  for (const el of [...all, window, document]) {
    for (const type of events) { el.dispatchEvent(new Event(type)); }
  }
  const urls = [];
  for (const el of all) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc',
           'values', 'to', 'from'].includes(name)) {
        const value = a.value.replace(/[\\u0000-\\u0020\\u007f]+/g, '').toLowerCase();
        if (value.includes('javascript:') || value.includes('vbscript:') ||
            (name === 'srcdoc') || (name !== 'href' && value.startsWith('data:text/html'))) {
          urls.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
      }
    }
  }
  const injected = [...document.querySelectorAll(arguments_tags)]
    .filter((el) => !(el.localName === 'input' && theme_inputs.includes(el.id))).map((el) => `<${el.localName}>`);
  const scripts = [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json')
    .map((s) => `inline <script> ${s.textContent.slice(0, 60)}`);
  const review = document.querySelector('script[type="application/ld+json"]');
  let parsed = null, jsonError = null;
  if (review) { try { parsed = JSON.parse(review.textContent); } catch (e) { jsonError = String(e); } }
  const heading = document.querySelector('h1');
  return {handlers, urls, injected, scripts, jsonError,
          claimReviewed: parsed ? parsed.claimReviewed : null,
          heading: heading ? heading.textContent : null,
          pwned: typeof window.__pwned !== 'undefined' || typeof window.top.__pwned !== 'undefined'};
}"""


@dataclass
class Visit:
    """What one page did in Chromium."""

    url: str
    problems: list[str]
    claim_reviewed: str | None
    heading: str | None


def visit_every_page(browser: Browser, site: Path, paths: list[str], prefix: str) -> list[Visit]:
    """Load each page with the Content-Security-Policy bypassed (so escaping alone must hold), fire events at
    every element, hover and focus any that carries a handler, and note all that should not happen."""
    probe_script = _PROBE.replace("arguments_tags", json.dumps(", ".join(INJECTED_TAGS))).replace(
        "theme_inputs", json.dumps(sorted(THEME_INPUTS)))
    visits: list[Visit] = []
    with serve_directory(site, prefix) as base:
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            watcher = PageWatcher(page)
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type} dialog: {dialog.message}"),
                                              dialog.dismiss()))
            page.on("popup", lambda popup: dialogs.append(f"popup window: {popup.url}"))
            for path in paths:
                url = base + path
                dialogs.clear()
                problems = watcher.visit(url)
                result = page.evaluate(probe_script, list(_EVENTS))
                for index in range(len(result["handlers"])):
                    target = page.locator(f'[data-injection-probe="{index}"]').first
                    with contextlib.suppress(PlaywrightError):
                        target.hover(timeout=500)
                        target.focus(timeout=500)
                pwned = page.evaluate("typeof window.__pwned !== 'undefined'")
                problems += watcher.problems[len(problems):] + dialogs
                problems += [f"event handler attribute: {h}" for h in result["handlers"]]
                problems += [f"script URL: {u}" for u in result["urls"]]
                problems += [f"injected element {e}" for e in result["injected"]]
                problems += result["scripts"]
                if result["jsonError"]:
                    problems.append(f"JSON-LD does not parse: {result['jsonError']}")
                if result["pwned"] or pwned:
                    problems.append("window.__pwned is set: a payload ran")
                if len(page.frames) != 1:
                    problems.append(f"{len(page.frames) - 1} frame(s) on the page")
                if page.url != url.replace("/old-claim-", "/claim-"):  # a former id redirects to the claim
                    problems.append(f"navigated away to {page.url}")
                visits.append(Visit(url, problems, result["claimReviewed"], result["heading"]))
        finally:
            context.close()
    return visits


@pytest.fixture(scope="module")
def sweep(browser: Browser, poisoned: tuple[Poisoned, Path, Path], pages: dict[str, str]) -> list[Visit]:
    """Every page of the poisoned site, visited in Chromium, served under its base URL's path (as 404.html expects)."""
    _, project, site = poisoned
    base_url = re.search(r"^  base_url: (.*)$", (project / "claims.yaml").read_text(encoding="utf-8"), re.M)
    assert base_url is not None
    prefix = unquote(urlsplit(json.loads(base_url.group(1))).path)
    return visit_every_page(browser, site, list(pages), prefix)


def test_no_page_runs_a_payload_or_asks_another_host(sweep: list[Visit], pages: dict[str, str]) -> None:
    assert len(sweep) == len(pages)
    problems = [f"{visit.url}: {problem}" for visit in sweep for problem in visit.problems]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_browser_reads_each_claim_review_as_the_claim_shown(sweep: list[Visit],
                                                               poisoned: tuple[Poisoned, Path, Path]) -> None:
    claims = poisoned[0].claims
    seen = {visit.url.rstrip("/").rsplit("/", 1)[-1]: visit for visit in sweep
            if re.search(r"/claims/claim-[0-9]+/$", visit.url)}
    assert set(seen) == set(claims)
    for claim_id, visit in seen.items():
        assert visit.claim_reviewed == visit.heading == claims[claim_id]


# -- what must be refused at its place --------------------------------------------------------------


def test_dangerous_markdown_links_and_images_are_refused_where_written(tmp_path: Path) -> None:
    explanation = "\n\n".join(f"{r.name}: {r.text}" for r in REFUSED_MARKDOWN)
    one = REFUSED_MARKDOWN[0].text
    claims = MINIMAL_CLAIMS.replace(
        "explanation: The pound is exactly 0.45359237 kg.",
        f"explanation: {yaml_markdown(explanation, '      ')}\n"
        f"    corrections:\n      - date: 2026-11-29\n        note: {yaml_text('note ' + one)}",
    ).replace("text: The court announced the sentences.", f"text: {yaml_text('event ' + one)}")
    about = MINIMAL_ABOUT + f"\nabout-page {one}\n"
    project = write_project(tmp_path / "project", {"claims.yaml": claims, "content/about.md": about})
    code, problems = check_json(project)
    assert code == 1
    expected = {r.name: ("claims.yaml", line_of(claims, f"{r.name}:")) for r in REFUSED_MARKDOWN}
    expected |= {"correction note": ("claims.yaml", line_of(claims, "note ")),
                 "event text": ("claims.yaml", line_of(claims, "event ")),
                 "content page": ("content/about.md", line_of(about, "about-page"))}
    assert_refused_at(problems, expected)


def test_dangerous_urls_and_identifiers_are_refused_where_written(tmp_path: Path) -> None:
    bad = [(name, text) for name, text in REFUSED_FIELDS] + [(p.name, p.text) for p in INVALID_HOST_URLS]
    sources = "".join(f"      - title: Source {name}\n        publisher: P\n        kind: primary\n"
                      f"        url: {yaml_text(text)}\n        published: 2019\n" for name, text in bad)
    claims = MINIMAL_CLAIMS.replace(
        "    tags: [units, seizure]",
        sources.rstrip("\n") + "\n    tags: [" + ", ".join(yaml_text(slug) for slug in REFUSED_SLUGS) + "]", 1)
    claims = claims.replace("claimant: The Example Times",
                            f"claimant: {{name: The Example Times, slug: {yaml_text(REFUSED_SLUGS[2])}}}")
    claims = claims.replace("      - id: court-2019", f"      - id: {yaml_text(REFUSED_SLUGS[0])}")
    claims = claims.replace("  publisher:\n    name: Test desk\n    url: https://example.org/",
                            f"  publisher:\n    name: Test desk\n    url: {yaml_text(REFUSED_FIELDS[0][1])}\n"
                            f"    logo: {yaml_text('../' + REFUSED_SLUGS[0])}")
    claims = claims.replace("  url: https://news.example.com/report", f"  url: {yaml_text(REFUSED_FIELDS[5][1])}")
    project = write_project(tmp_path / "project", {"claims.yaml": claims})
    code, problems = check_json(project)
    assert code == 1
    start = line_of(claims, "Weights and measures act")
    expected = {name: ("claims.yaml", line_of(claims, f"url: {yaml_text(text)}", start)) for name, text in bad}
    expected |= {"tags": ("claims.yaml", line_of(claims, "tags: [" + yaml_text(REFUSED_SLUGS[0]))),
                 "claimant slug": ("claims.yaml", line_of(claims, "claimant: {name: The Example Times")),
                 "source id": ("claims.yaml", line_of(claims, f"- id: {yaml_text(REFUSED_SLUGS[0])}")),
                 "publisher url": ("claims.yaml", line_of(claims, "    url: " + yaml_text(REFUSED_FIELDS[0][1]))),
                 "logo": ("claims.yaml", line_of(claims, "    logo: ")),
                 "article url": ("claims.yaml", line_of(claims, "  url: " + yaml_text(REFUSED_FIELDS[5][1])))}
    assert_refused_at(problems, expected)


def test_each_refused_tag_is_named(tmp_path: Path) -> None:
    tags = "".join(f"\n      - {yaml_text(slug)}" for slug in REFUSED_SLUGS)
    claims = MINIMAL_CLAIMS.replace("    tags: [units, seizure]", "    tags:" + tags)
    project = write_project(tmp_path / "project", {"claims.yaml": claims})
    code, problems = check_json(project)
    assert code == 1
    assert_refused_at(problems, {slug: ("claims.yaml", line_of(claims, f"- {yaml_text(slug)}"))
                                 for slug in REFUSED_SLUGS})


def test_template_syntax_in_content_pages_is_refused_where_written(tmp_path: Path) -> None:
    body = MINIMAL_ABOUT + "\nAn expression {{ 7*7 }}, an object {{ config }}, a loop {{ site.__class__ }}.\n"
    front = MINIMAL_ABOUT.replace("title: About this site", 'title: "About {{ 7*7 }}"')
    for pages in ({"content/about.md": body}, {"content/about.md": front}):
        project = write_project(tmp_path / f"project{len(str(pages))}", pages)
        code, problems = check_json(project)
        assert code == 1
        text = pages["content/about.md"]
        assert_refused_at(problems, {"template syntax": ("content/about.md", line_of(text, "{{ 7*7 }}"))})
        written = [p for p in errors(problems) if p["path"] == "content/about.md"]
        assert all(p["column"] for p in written), written


def test_control_characters_are_refused_or_kept_out_of_every_format(tmp_path: Path) -> None:
    claims = MINIMAL_CLAIMS
    fields = ("claim: Police seized 11.9 kg of fentanyl.", "summary: The court gave the same figure.",
              "title: Court statement", "publisher: Example Court", "summary: The conversion is right.",
              "title: Sentences announced")
    for (original, payload) in zip(fields, CONTROL, strict=True):
        key = original.split(":", 1)[0]
        claims = claims.replace(original, f"{key}: {yaml_text(payload.text)}", 1)
    project = write_project(tmp_path / "project", {"claims.yaml": claims})
    code, problems = check_json(project)
    refused = {(p["path"], p["line"]) for p in errors(problems)}
    places = {p.name: ("claims.yaml", line_of(claims, yaml_text(p.text))) for p in CONTROL}
    accepted = [name for name, place in places.items() if place not in refused]
    if code == 1:
        stray = refused - set(places.values())
        assert not stray, f"errors at no payload's place: {stray}"
    if not accepted:
        return
    assert code == 0, f"{accepted} accepted, but the project does not build: {errors(problems)}"
    site = build_project(project, project / "site")
    for name in ("feed.xml", "sitemap.xml"):
        parse_xml((site / name).read_bytes())
    json.loads((site / "claims.json").read_text(encoding="utf-8"))
    for file in site.rglob("*.html"):
        assert "\x00" not in file.read_text(encoding="utf-8"), f"{file}: a NUL character"
