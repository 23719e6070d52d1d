"""Crawl a served site from a start URL and report every link, asset and anchor that is broken."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html

# (element, attribute) pairs whose value is one URL; srcset is handled apart.
URL_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("video", "poster"),
    ("iframe", "src"),
    ("use", "href"),
    ("use", "{http://www.w3.org/1999/xlink}href"),
)
_SKIPPED_SCHEMES = ("mailto:", "tel:", "data:")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A URL found on a page, with the element that holds it."""

    page: str
    element: str
    url: str


@dataclass(frozen=True)
class BrokenLink:
    """A link that fails, with the page it is on and why."""

    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


@dataclass
class _Resource:
    status: int
    content_type: str
    body: bytes
    final_url: str


@dataclass
class CrawlResult:
    """Everything one crawl saw: pages, links between them, and the broken ones."""

    base: str
    pages: list[str] = field(default_factory=list)
    links: dict[str, list[Link]] = field(default_factory=dict)
    external: list[Link] = field(default_factory=list)
    broken: list[BrokenLink] = field(default_factory=list)

    def anchor_graph(self) -> dict[str, set[str]]:
        """Map each page to the pages its <a href> links lead to, fragments dropped."""
        return {
            page: {urldefrag(link.url)[0] for link in links if link.element == "a"}
            for page, links in self.links.items()
        }


def _fetch(url: str) -> _Resource:
    request = urllib.request.Request(url, headers={"User-Agent": "factsite-crawl"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            ctype = response.headers.get("Content-Type", "")
            return _Resource(response.status, ctype, response.read(), response.geturl())
    except urllib.error.HTTPError as error:
        return _Resource(error.code, error.headers.get("Content-Type", ""), b"", url)
    except (urllib.error.URLError, OSError) as error:
        return _Resource(0, "", str(error).encode(), url)


def _srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def _html_links(page: str, body: bytes) -> tuple[list[Link], set[str]]:
    document = lxml.html.document_fromstring(body)
    base_hrefs = document.xpath("//base/@href")
    base = urljoin(page, base_hrefs[0]) if base_hrefs else page
    found: list[tuple[str, str]] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        for name, attribute in URL_ATTRIBUTES:
            if tag == name and element.get(attribute) is not None:
                found.append((tag, element.get(attribute).strip()))
        if tag in ("img", "source") and element.get("srcset"):
            found += [(tag, url) for url in _srcset_urls(element.get("srcset"))]
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH_URL.search(element.get("content") or "")
            if match:
                found.append(("meta", match.group(1).strip()))
    links = [Link(page, tag, urljoin(base, url)) for tag, url in found]
    return links, _anchors(document)


def _anchors(document: lxml.etree._Element) -> set[str]:
    ids = {str(value) for value in document.xpath("//@id")}
    names = {str(value) for value in document.xpath("//a/@name")}
    return ids | names


def _xml_anchors(body: bytes) -> set[str]:
    try:
        root = lxml.etree.fromstring(body, lxml.etree.XMLParser(resolve_entities=False))
    except lxml.etree.XMLSyntaxError:
        return set()
    return {str(value) for value in root.xpath("//@id")}


def _css_links(page: str, body: bytes) -> list[Link]:
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return [
        Link(page, "css", urljoin(page, match.group(2).strip()))
        for match in _CSS_URL.finditer(text)
        if not match.group(2).strip().startswith(("data:", "#"))
    ]


def crawl(start: str, base: str | None = None, extra_starts: tuple[str, ...] = ()) -> CrawlResult:
    """Follow every same-origin link under base from start; report broken links and anchors."""
    base = base or start
    origin = urlsplit(base)[:2]
    result = CrawlResult(base=base)
    resources: dict[str, _Resource] = {}
    anchors: dict[str, set[str]] = {}
    queue: deque[str] = deque([start, *extra_starts])
    pending: list[Link] = []

    def inside(url: str) -> bool:
        return urlsplit(url)[:2] == origin and url.startswith(base)

    while queue:
        url = queue.popleft()
        if url in resources:
            continue
        resource = resources[url] = _fetch(url)
        if resource.status != 200:
            continue
        ctype = resource.content_type.split(";")[0].strip().lower()
        if ctype == "text/html":
            links, anchors[url] = _html_links(resource.final_url, resource.body)
            result.pages.append(url)
        elif ctype == "text/css":
            links = _css_links(resource.final_url, resource.body)
        elif ctype in ("image/svg+xml", "application/xml"):
            anchors[url], links = _xml_anchors(resource.body), []
        else:
            links = []
        result.links[url] = links
        for link in links:
            if link.url.lower().startswith(_SKIPPED_SCHEMES):
                continue
            target = urldefrag(link.url)[0]
            scheme = urlsplit(target).scheme
            if scheme not in ("http", "https"):
                result.broken.append(BrokenLink(url, link.url, f"unsupported scheme {scheme!r}"))
            elif urlsplit(target)[:2] != origin:
                result.external.append(link)
            elif not inside(target):
                result.broken.append(BrokenLink(url, link.url, f"leaves the site root {base}"))
            else:
                pending.append(link)
                queue.append(target)
    for link in pending:
        target, fragment = urldefrag(link.url)
        resource = resources[target]
        if resource.status != 200:
            result.broken.append(BrokenLink(link.page, link.url, f"HTTP {resource.status}"))
        elif fragment and fragment.lower() != "top" and target in anchors and unquote(fragment) not in anchors[target]:
            result.broken.append(BrokenLink(link.page, link.url, f"no #{fragment} there"))
    result.broken = list(dict.fromkeys(result.broken))
    return result


CSP_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'"
)
SEARCH_CSP_POLICY = CSP_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
"""The search page's policy: Pagefind's index reader is WebAssembly, which it may compile; no other page may."""
REFERRER_POLICY = "strict-origin-when-cross-origin"


def _directives(policy: str) -> list[str]:
    return [" ".join(part.split()) for part in policy.split(";") if part.strip()]


def policy_problems(html: bytes, own_hosts: tuple[str, ...] = ()) -> list[str]:
    """List the page's breaches of the site's CSP, referrer, inline-code and link rules."""
    document = lxml.html.document_fromstring(html)
    problems = []
    csp = document.xpath(
        "//meta[translate(@http-equiv, 'CONTENT-SECURITYPOLICY', 'content-securitypolicy')"
        "='content-security-policy']/@content"
    )
    expected = SEARCH_CSP_POLICY if document.xpath("//form[@id='search']") else CSP_POLICY
    if [_directives(value) for value in csp] != [_directives(expected)]:
        problems.append(f"CSP meta tag is {csp!r}, expected exactly one: {expected}")
    referrer = document.xpath("//meta[@name='referrer']/@content")
    if referrer != [REFERRER_POLICY]:
        problems.append(f"referrer meta is {referrer!r}, expected {REFERRER_POLICY!r}")
    icons = [link for link in document.xpath("//link[@rel and @href]") if "icon" in link.get("rel").lower().split()]
    if not icons:
        problems.append("no <link rel=icon>, so browsers ask the host for /favicon.ico")
    for script in document.xpath("//script[not(@src)]"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            problems.append(f"inline <script> at line {script.sourceline}")
    for element in document.xpath("//style"):
        problems.append(f"<style> element at line {element.sourceline}")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == "style":
                problems.append(f"style attribute on <{element.tag}> at line {element.sourceline}")
            elif name.startswith("on"):
                problems.append(f"{name} handler on <{element.tag}> at line {element.sourceline}")
            elif value.strip().lower().startswith("javascript:"):
                problems.append(f"javascript: URL on <{element.tag}> at line {element.sourceline}")
    for anchor in document.xpath("//a[@href]"):
        parts = urlsplit(anchor.get("href").strip())
        external = parts.scheme in ("http", "https") and parts.hostname not in own_hosts
        if external and "noopener" not in (anchor.get("rel") or "").lower().split():
            problems.append(f"external link without rel=noopener at line {anchor.sourceline}: {anchor.get('href')}")
    return problems
