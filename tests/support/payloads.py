"""Script-injection payloads, and a project that carries them in every text field the site publishes.

tests/test_injection.py builds `poisoned_project()` once, loads every page in Chromium and reads every
feed and export. Each payload that could run sets `window.__pwned` (and most call alert()), so a payload
that executes shows up in the page's state, as a dialog, or as a request to another host.

Three kinds of payload:

- TEXT: single-line text for the plain text fields (claim, quote, summary, names, titles, labels...).
  The validator must accept them (they are text a fact-check may quote); each must reach a page as text.
- MARKDOWN: bodies for the Markdown fields (explanation, correction notes, event texts, verdict
  descriptions, content pages). Raw HTML is off, so each renders as text; `expect` is text the page shows.
- URL_CANDIDATES: addresses that the URL validator may accept or refuse: accepted ones are published in
  every URL field (and must come out escaped), refused ones must be refused at their place.

REFUSED holds what must never build: dangerous link schemes in Markdown, dangerous URLs, payloads in
identifiers, template syntax where only site values may go. Each must be an error at its place (exit 1).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

PWNED = "window.__pwned=1"
"""What every executable payload runs: the page's `window.__pwned` must stay undefined."""

EVIL_HOST = "evil.example"
"""The host payloads try to load from: any request to it (or anywhere but the local server) fails the test."""


@dataclass(frozen=True)
class Payload:
    """A named injection attempt. `may_refuse`: the validator may refuse it (at its place) instead of publishing it."""

    name: str
    text: str
    may_refuse: bool = False


TEXT: tuple[Payload, ...] = (
    Payload("script-tag", f"<script>{PWNED};alert(1)</script>"),
    Payload("script-close-in-json", f"</script><script>{PWNED};alert(1)</script>"),
    Payload("script-close-case", f"</SCRIPT ><ScRiPt>{PWNED};alert(1)</sCrIpT>"),
    Payload("script-data-escape", f"<!--<script>{PWNED}</script>-->"),
    Payload("img-onerror", f'<img src=x onerror="{PWNED};alert(1)">'),
    Payload("img-onerror-unquoted", f"<img src=x onerror={PWNED};alert(1)//>"),
    Payload("svg-onload", f"<svg onload={PWNED};alert(1)>"),
    Payload("svg-script", f"<svg><script>{PWNED};alert(1)</script></svg>"),
    Payload("svg-animate-href",
            f"<svg><a><animate attributeName=href values=javascript:{PWNED} /><text>x</text></a></svg>"),
    Payload("svg-xlink", f'<svg><a xlink:href="javascript:{PWNED}"><text>x</text></a></svg>'),
    Payload("mathml-mglyph", f"<math><mtext><table><mglyph><style><img src=x onerror={PWNED}>"),
    Payload("mathml-href", f'<math href="javascript:{PWNED}"><mi>x</mi></math>'),
    Payload("attr-break-double", f'" onmouseover="{PWNED};alert(1)" x="'),
    Payload("attr-break-single", f"' autofocus onfocus='{PWNED};alert(1)' x='"),
    Payload("attr-break-tag", f'"><svg/onload={PWNED};alert(1)>'),
    Payload("attr-unquoted", f"x autofocus onfocus={PWNED} tabindex=0"),
    Payload("css-url", f'<div style="background:url(javascript:{PWNED})">x</div>'),
    Payload("css-expression", '<p style="width:expression(alert(1))">x</p>'),
    Payload("css-import", f"<style>@import 'https://{EVIL_HOST}/x.css';</style>"),
    Payload("link-stylesheet", f'<link rel=stylesheet href="https://{EVIL_HOST}/x.css">'),
    Payload("img-remote", f'<img src="https://{EVIL_HOST}/pixel.png">'),
    Payload("iframe-srcdoc", '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'),
    Payload("iframe-javascript", '<iframe src="javascript:parent.__pwned=1"></iframe>'),
    Payload("base-href", f'<base href="https://{EVIL_HOST}/">'),
    Payload("meta-refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{PWNED}">'),
    Payload("a-javascript", f'<a href="javascript:{PWNED}">click</a>'),
    Payload("entity-scheme", f'<a href="javascript&#58;{PWNED}">x</a> &#x6A;avascript&colon;alert(1)'),
    Payload("form-action",
            f'<form action="javascript:{PWNED}"><button formaction="javascript:{PWNED}">go</button></form>'),
    Payload("object-embed", f'<object data="javascript:{PWNED}"></object><embed src="javascript:{PWNED}">'),
    Payload("details-toggle", f"<details open ontoggle={PWNED};alert(1)>"),
    Payload("input-autofocus", f"<input autofocus onfocus={PWNED};alert(1)>"),
    Payload("body-onload", f"<body onload={PWNED};alert(1)>"),
    Payload("title-break", f"</title><script>{PWNED};alert(1)</script>"),
    Payload("textarea-break", f"</textarea><script>{PWNED};alert(1)</script>"),
    Payload("noscript-mxss", f'<noscript><p title="</noscript><img src=x onerror={PWNED}>">'),
    Payload("comment-break", f"--><script>{PWNED};alert(1)</script><!--"),
    Payload("cdata", f"<![CDATA[<script>{PWNED};alert(1)</script>]]>"),
    Payload("cdata-close", f"]]><script>{PWNED}</script><![CDATA["),
    Payload("xml-entity", '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;'),
    Payload("html-entities", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot; &#39; &#x3C;"),
    Payload("json-break", '"}]},"@type":"Person","name":"x\\"</script>'),
    Payload("jinja-expression", "{{ 7*7 }} {{ config }} {{ self.__init__ }}"),
    Payload("jinja-statement", "{% raw %}{{ site }}{% endraw %} {% if 1 %}x{% endif %} {# c #}"),
    Payload("other-templates", "${7*7} #{7*7} <%= 7*7 %> {{constructor.constructor('" + PWNED + "')()}}"),
    Payload("markdown-in-text", f"[x](javascript:{PWNED}) ![x](javascript:alert(1)) <javascript:alert(1)> **b**"),
    Payload("line-separators", "one\u2028two\u2029three</script>", may_refuse=True),
    Payload("bidi", "\u202eevil\u202c \u2066isolate\u2069 \u200fRLM \u200bzero\ufeffwidth", may_refuse=True),
    Payload("csv-formula", '=HYPERLINK("https://evil.example/","x")'),
    Payload("csv-plus", "+1+cmd|' /C calc'!A0"),
    Payload("csv-minus", "-2+3+cmd|' /C calc'!A0"),
    Payload("csv-at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    Payload("other-schemes", "vbscript:msgbox(1) data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    Payload("null-words", "null None undefined NaN ~ __proto__ constructor"),
)


@dataclass(frozen=True)
class MarkdownPayload:
    """A Markdown body the build must accept; `expect` are texts the page then shows, as written."""

    name: str
    text: str
    expect: tuple[str, ...] = ()


MARKDOWN: tuple[MarkdownPayload, ...] = (
    MarkdownPayload("raw-script-block", f"<script>{PWNED};alert(1)</script>\n\nAfter the block.",
                    (f"<script>{PWNED};alert(1)</script>",)),
    MarkdownPayload("raw-inline-html", f"Text <img src=x onerror={PWNED}> and <svg onload={PWNED}> and "
                    f'<a href="javascript:{PWNED}">a</a>.',
                    (f"<img src=x onerror={PWNED}>", f'<a href="javascript:{PWNED}">')),
    MarkdownPayload("link-title-break", f'[title break](https://x.example/ "a\\" onmouseover=\\"{PWNED}")',
                    ("title break",)),
    MarkdownPayload("link-quote-in-url", f'[quote in url](https://x.example/"onmouseover="{PWNED})', ("quote in url",)),
    MarkdownPayload("autolink-quote", f'<https://x.example/"onmouseover="{PWNED}>', ("https://x.example/",)),
    MarkdownPayload("mailto-break", f'[mail](mailto:"><script>{PWNED}</script>@x.example)', ("mail",)),
    MarkdownPayload("site-link-fragment", f'[site link](claims/claim-1/#"onmouseover="{PWNED})', ("site link",)),
    MarkdownPayload("code", f"`<script>{PWNED}</script>`\n\n```html\n<img src=x onerror={PWNED}>\n```",
                    (f"<script>{PWNED}</script>", f"<img src=x onerror={PWNED}>")),
    MarkdownPayload("table-cell", f"| a | b |\n|---|---|\n| <img src=x onerror={PWNED}> | <svg onload={PWNED}> |",
                    (f"<img src=x onerror={PWNED}>",)),
    MarkdownPayload("entities", f"&lt;script&gt;{PWNED}&lt;/script&gt; &#x3C;img src=x onerror={PWNED}&#x3E;",
                    (f"<script>{PWNED}</script>", f"<img src=x onerror={PWNED}>")),
    MarkdownPayload("comment-cdata", f"<!-- <script>{PWNED}</script> -->\n\n<![CDATA[<script>{PWNED}</script>]]>",
                    ("<!-- <script>", "<![CDATA[<script>")),
    MarkdownPayload("link-text-html", f"[<img src=x onerror={PWNED}>](https://x.example/)",
                    (f"<img src=x onerror={PWNED}>",)),
    MarkdownPayload("heading-html", f"## <script>{PWNED}</script>\n\nText.", (f"<script>{PWNED}</script>",)),
    MarkdownPayload("reference-title", f"[ref link][r]\n\n[r]: https://x.example/ '\" onmouseover=\"{PWNED}'",
                    ("ref link",)),
    MarkdownPayload("image-alt", f'![" onerror="{PWNED} <script>x</script>](static/dot.svg)', ()),
    MarkdownPayload("text-schemes", f"javascript:{PWNED} and vbscript:msgbox(1) as plain words, "
                    "no link.", (f"javascript:{PWNED} and vbscript:msgbox(1)",)),
    MarkdownPayload("separators-bidi", "one\u2028two \u202eevil\u202c </script> end", ("</script> end",)),
)

MARKDOWN_TEMPLATE_SYNTAX = MarkdownPayload(
    "template-syntax", "{{ 7\\*7 }} {{ config }} {% raw %}x{% endraw %} ${7\\*7}",
    ("{{ 7*7 }} {{ config }} {% raw %}x{% endraw %} ${7*7}",))
"""For claims' Markdown, which is not a template: shown as written. Content pages escape `{{` as `\\{{`."""

URL_CANDIDATES: tuple[Payload, ...] = tuple(Payload(name, text, may_refuse=True) for name, text in (
    ("url-tag-break", f'https://x.example/"><script>{PWNED};alert(1)</script>'),
    ("url-single-quote", f"https://x.example/'><svg/onload={PWNED}>"),
    ("url-script-close", f"https://x.example/?q=</script><script>{PWNED}</script>"),
    ("url-fragment-break", f'https://x.example/#"onmouseover="{PWNED}'),
    ("url-entities", f"https://x.example/&quot;&gt;&lt;img/src=x/onerror={PWNED}&gt;"),
    ("url-template", "https://x.example/{{7*7}}/{%raw%}"),
    ("url-percent", f"https://x.example/%22%3E%3Cscript%3E{PWNED}%3C/script%3E"),
    ("url-bidi", "https://x.example/\u202e/gpj.exe"),
))
"""Addresses in every URL field of the poisoned project, when the validator accepts them."""

INVALID_HOST_URLS: tuple[Payload, ...] = (
    Payload("url-host-tag", f'https://"><svg/onload={PWNED}>'),
    Payload("url-host-quote", f'https://x.example"onmouseover="{PWNED}/'),
)
"""Not addresses at all: the host is not a host name. The URL validator should refuse them."""

CONTACT_CANDIDATE = Payload("contact-break", f'"><script>{PWNED}</script>@x.example', may_refuse=True)
BASE_URL_CANDIDATE = Payload("base-url-break", f'https://x.example/checks/"><script>{PWNED}</script>/',
                             may_refuse=True)

CONTROL: tuple[Payload, ...] = tuple(Payload(name, text, may_refuse=True) for name, text in (
    ("nul", "before\x00after"),
    ("vertical-tab", "before\x0bafter"),
    ("escape", "before\x1b[31mafter"),
    ("delete", "before\x7fafter"),
    ("c1-control", "before\x9bafter"),
    ("noncharacter", "before\ufffeafter"),
))
"""Null-ish and control characters: refused at their place, or published without breaking any XML or JSON."""


@dataclass(frozen=True)
class Refused:
    """Input the build must refuse with an error at its place. `where`: claims.yaml or a content page."""

    name: str
    where: str
    text: str


REFUSED_MARKDOWN: tuple[Refused, ...] = tuple(Refused(name, "claims.yaml", text) for name, text in (
    ("md-javascript-link", f"[x](javascript:{PWNED})"),
    ("md-javascript-mixed-case", f"[x](JaVaScRiPt:{PWNED})"),
    ("md-javascript-image", f"![x](javascript:{PWNED})"),
    ("md-javascript-autolink", f"<javascript:{PWNED}>"),
    ("md-reference-link", f"[x][evil] and [evil]\n\n[evil]: javascript:{PWNED}"),
    ("md-entity-colon", f"[x](javascript&#58;{PWNED})"),
    ("md-entity-named-colon", f"[x](javascript&colon;{PWNED})"),
    ("md-entity-letter", f"[x](&#x6A;avascript:{PWNED})"),
    ("md-entity-tab", f"[x](java&#9;script:{PWNED})"),
    ("md-backslash-colon", f"[x](javascript\\:{PWNED})"),
    ("md-percent-colon", f"[x](javascript%3A{PWNED})"),
    ("md-data-link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md-vbscript-link", "[x](vbscript:msgbox(1))"),
    ("md-protocol-relative", f"[x](//{EVIL_HOST}/)"),
    ("md-remote-image", f"![x](https://{EVIL_HOST}/pixel.png)"),
    ("md-image-break", f'![x](static/dot.svg"onerror="{PWNED})'),
))
"""Dangerous links and images in Markdown, each refused where it is written."""

REFUSED_FIELDS: tuple[tuple[str, str], ...] = (
    ("url-javascript", f"javascript:{PWNED}"),
    ("url-javascript-case", f"JaVaScRiPt:{PWNED}"),
    ("url-javascript-slashes", "javascript://x.example/%0Aalert(1)"),
    ("url-javascript-tab", f"java\tscript:{PWNED}"),
    ("url-javascript-newline", f"java\nscript:{PWNED}"),
    ("url-data", "data:text/html,<script>alert(1)</script>"),
    ("url-vbscript", "vbscript:msgbox(1)"),
    ("url-file", "file:///etc/passwd"),
    ("url-protocol-relative", f"//{EVIL_HOST}/x"),
    ("url-no-host", f"https:javascript:{PWNED}"),
    ("url-space-break", f'https://x.example/" onmouseover="{PWNED}'),
)
"""Addresses that are never a source, claimant page or archive: each refused where it is written."""

REFUSED_SLUGS: tuple[str, ...] = (
    "<script>", f"javascript:{PWNED}", '"><svg/onload=x>', "__proto__", "x onmouseover=1", "{{7*7}}",
)
"""Identifiers (tags, ids, slugs) that payloads cannot be: only lowercase letters, digits and hyphens."""

SAFE_TAGS: tuple[str, ...] = ("script", "javascript", "null", "undefined", "constructor", "prototype", "onerror")
"""Tags that look like code but are valid slugs: published as ordinary topics."""


def yaml_text(text: str) -> str:
    """Return a YAML double-quoted scalar of `text` (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=True)


def _plain_block(text: str) -> bool:
    """Tell whether `text` can be a YAML block scalar: printable, no YAML line breaks, no edge whitespace."""
    return text == text.strip() and all(
        ch == "\n" or (unicodedata.category(ch)[0] != "C" and ch not in "\u2028\u2029\x85") for ch in text)


def yaml_markdown(text: str, indent: str) -> str:
    """Return a Markdown value: a literal block (so lines match the file) when possible, else double-quoted."""
    if not _plain_block(text):
        return yaml_text(text)
    return "|-\n" + "\n".join(indent + line if line else "" for line in text.split("\n"))


@dataclass(frozen=True)
class Placement:
    """A payload put in a field: the page (site path) that must show `text`, as text or as its description."""

    field: str
    payload: str
    text: str
    page: str | None
    shown: str = "text"
    """`text`: the page's body shows the value as written; `description`: its meta description is the value."""


@dataclass
class Poisoned:
    """The poisoned project's files and where every payload was put."""

    files: dict[str, str] = field(default_factory=dict)
    placements: list[Placement] = field(default_factory=list)
    claims: dict[str, str] = field(default_factory=dict)
    """Each claim's text by id."""
    markdown: list[tuple[str, str, MarkdownPayload]] = field(default_factory=list)
    """(field, page, payload) of each Markdown body."""

    def fields(self) -> set[str]:
        """Return the fields that carry a payload, claim numbers left out (`claims[].summary`)."""
        return {_generic(p.field) for p in self.placements} | {_generic(f) for f, _, _ in self.markdown}


def _generic(name: str) -> str:
    """Return a field's name without its item numbers: `claims[3].sources[1].title` -> `claims[].sources[].title`."""
    return re.sub(r"^content/[a-z-]+\.md:", "content/*.md:", re.sub(r"\[[0-9]+\]", "[]", name))


class _Cycle:
    """Hand out text payloads in turn, two per value, so each payload lands in many fields."""

    def __init__(self, payloads: Sequence[Payload]) -> None:
        self.payloads, self.index = list(payloads), 0

    def take(self, *, avoid: str = "", lead: Payload | None = None) -> tuple[str, list[str]]:
        chosen: list[Payload] = [] if lead is None else [lead]
        while len(chosen) < 2:
            payload = self.payloads[self.index % len(self.payloads)]
            self.index += 1
            if avoid and avoid in payload.text:
                continue
            chosen.append(payload)
        return " ".join(p.text for p in chosen), [p.name for p in chosen]


CLAIM_COUNT = 8
VERDICT_STYLES = ("accurate", "mostly-accurate", "needs-context", "misleading", "inaccurate", "unverifiable",
                  "opinion")
# The payloads that start claims and claimant names: the CSV's cells, and what closes a <script> or a JSON string.
_LEADS = ("csv-formula", "script-close-in-json", "csv-plus", "json-break", "csv-minus", "comment-break", "csv-at",
          "cdata-close")


def poisoned_project(text: Sequence[Payload] = TEXT, urls: Sequence[Payload] = URL_CANDIDATES,
                     contact: Payload | None = CONTACT_CANDIDATE, base_url: Payload | None = BASE_URL_CANDIDATE
                     ) -> Poisoned:
    """Return a valid project with payloads in every published text field, Markdown field and URL field."""
    out = Poisoned()
    cycle = _Cycle(text)
    by_name = {p.name: p for p in text}
    leads = [by_name[name] for name in _LEADS if name in by_name]
    url_list = [u.text for u in urls] or ["https://x.example/plain"]
    url_index = iter(range(10_000))

    def url() -> str:
        return url_list[next(url_index) % len(url_list)]

    markdown_index = iter(range(10_000))

    def markdown(name: str, page: str, indent: str, *, template_syntax: bool = True) -> str:
        pool = [*MARKDOWN, MARKDOWN_TEMPLATE_SYNTAX] if template_syntax else list(MARKDOWN)
        chosen = pool[next(markdown_index) % len(pool)]
        out.markdown.append((name, page, chosen))
        return yaml_markdown(chosen.text, indent)

    def value(name: str, page: str | None, *, shown: str = "text", avoid: str = "",
              lead: Payload | None = None) -> str:
        text_value, names = cycle.take(avoid=avoid, lead=lead)
        out.placements.extend(Placement(name, n, text_value, page, shown) for n in names)
        return text_value

    site_title = value("site.title", "")
    site_description = value("site.description", "")
    publisher = value("site.publisher.name", "")
    license_name = value("site.license.name", "")
    article_title = value("article.title", "")
    outlet = value("article.outlet", "")
    authors = [value("article.authors[0]", ""), value("article.authors[1]", "")]
    lines = [
        "# A project with a script-injection payload in every field the site publishes (tests/support/payloads.py).",
        "site:",
        f"  title: {yaml_text(site_title)}",
        f"  description: {yaml_text(site_description)}",
        f"  base_url: {yaml_text(base_url.text if base_url else 'https://x.example/checks/')}",
        "  language: en",
        "  publisher:",
        f"    name: {yaml_text(publisher)}",
        f"    url: {yaml_text(url())}",
        *([f"    contact: {yaml_text(contact.text)}"] if contact else []),
        "  license:",
        f"    name: {yaml_text(license_name)}",
        f"    url: {yaml_text(url())}",
        "",
        "article:",
        f"  title: {yaml_text(article_title)}",
        f"  outlet: {yaml_text(outlet)}",
        f"  url: {yaml_text(url())}",
        "  published: 2019-11-07",
        f"  authors: [{', '.join(yaml_text(a) for a in authors)}]",
        "",
        "verdicts:",
    ]
    verdict_ids = [f"v-{style}" for style in VERDICT_STYLES]
    for number, (verdict_id, style) in enumerate(zip(verdict_ids, VERDICT_STYLES, strict=True)):
        page = f"verdicts/{verdict_id}/"
        lines += [
            f"  - id: {verdict_id}",
            f"    label: {yaml_text(value(f'verdicts[{number}].label', page))}",
            *([f"    rating: {5 - number}"] if number < 5 else []),
            f"    description: {markdown(f'verdicts[{number}].description', page, '      ')}",
            f"    style: {style}",
        ]
    lines += ["", "claims:"]
    for number in range(CLAIM_COUNT):
        claim_id = f"claim-{number}"
        page = f"claims/{claim_id}/"
        lead = leads[number % len(leads)] if leads else None
        claim = value(f"claims[{number}].claim", page, lead=lead)
        out.claims[claim_id] = claim
        lines += [
            f"  - id: {claim_id}",
            f"    claim: {yaml_text(claim)}",
            f"    quote: {yaml_text(value(f'claims[{number}].quote', page))}",
            f"    paragraph: {number + 1}",
        ]
        if number == 0:  # the outlet's own wording, attributed to someone: that branch of the claim page
            lines += [
                f"    claimant: {{name: {yaml_text(outlet)}, type: Organization, slug: the-outlet}}",
                "    attributed_to:",
                f"      name: {yaml_text(value('claims[0].attributed_to.name', page))}",
                "      type: Person",
                f"      title: {yaml_text(value('claims[0].attributed_to.title', page))}",
                f"      url: {yaml_text(url())}",
                "      slug: attributed-0",
            ]
        else:
            lines += [
                "    claimant:",
                f"      name: {yaml_text(value(f'claims[{number}].claimant.name', page, lead=lead))}",
                f"      type: {'Person' if number % 2 else 'Organization'}",
                f"      title: {yaml_text(value(f'claims[{number}].claimant.title', page))}",
                f"      url: {yaml_text(url())}",
                f"      slug: claimant-{number}",
            ]
        lines += [
            f"    verdict: {verdict_ids[number % len(verdict_ids)]}",
            f"    summary: {yaml_text(value(f'claims[{number}].summary', page))}",
            f"    explanation: {markdown(f'claims[{number}].explanation', page, '      ')}",
            f"    verdict_basis: {yaml_text(value(f'claims[{number}].verdict_basis', page))}",
            "    checks:",
            "      - kind: sum",
            f"        label: {yaml_text(value(f'claims[{number}].checks[0].label', page))}",
            "        parts:",
            f"          - {{label: {yaml_text(value(f'claims[{number}].checks[0].parts[0].label', page))}, value: 1}}",
            f"          - {{label: {yaml_text(value(f'claims[{number}].checks[0].parts[1].label', page))}, value: 2}}",
            "        stated: 3",
            "    sources:",
        ]
        for index in range(2):
            lines += [
                f"      - title: {yaml_text(value(f'claims[{number}].sources[{index}].title', page))}",
                f"        publisher: {yaml_text(value(f'claims[{number}].sources[{index}].publisher', page))}",
                f"        kind: {'primary' if index == 0 else 'secondary'}",
                f"        url: {yaml_text(url())}",
                "        published: 2019-11-08",
                f"        archive_url: {yaml_text(url())}",
            ]
        tags = [SAFE_TAGS[(number + k) % len(SAFE_TAGS)] for k in range(2)]
        lines += [
            f"    tags: [{', '.join(tags)}]",
            "    reviewed: 2020-01-02",
            f"    reviewed_by: [{yaml_text(value(f'claims[{number}].reviewed_by[0]', page))}]",
            *([f"    aliases: [old-claim-{number}]"] if number < 2 else []),
            "    corrections:",
            "      - date: 2020-01-03",
            f"        note: {markdown(f'claims[{number}].corrections[0].note', page, '          ')}",
            "",
        ]
    lines.append("events:")
    for number in range(3):
        lines += [
            f"  - date: 2019-11-0{number + 1}",
            f"    title: {yaml_text(value(f'events[{number}].title', 'timeline/'))}",
            f"    text: {markdown(f'events[{number}].text', 'timeline/', '      ')}",
            f"    claims: [claim-{number}, claim-{number + 3}]",
        ]
    out.files["claims.yaml"] = "\n".join(lines) + "\n"
    out.files["static/dot.svg"] = ('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2" viewBox="0 0 2 2">'
                                   '<rect width="2" height="2"/></svg>\n')
    for name, template in (("about", "page"), ("methodology", "methodology"), ("corrections", "corrections")):
        page = f"{name}/"
        title = value(f"content/{name}.md:title", page, avoid="{{")
        description = value(f"content/{name}.md:description", page, avoid="{{")
        body = [MARKDOWN[(len(out.markdown) + k) % len(MARKDOWN)] for k in range(2)]
        for chosen in body:
            out.markdown.append((f"content/{name}.md:body", page, chosen))
        out.files[f"content/{name}.md"] = "\n".join([
            "---",
            f"title: {yaml_text(title)}",
            f"description: {yaml_text(description)}",
            f"template: {template}",
            "---",
            body[0].text,
            "",
            "Site values, as text: {{ site.title }} / {{ site.publisher.name }} / {{ article.title }} / "
            "{{ article.outlet }} / {{ article.authors }} / {{ site.description }}.",
            "",
            "[{{ article.title }}]({{ article.url }}) and [{{ site.publisher.name }}]({{ site.publisher.url }}).",
            "",
            "Template syntax, escaped: \\{{ 7\\*7 }} {% raw %}x{% endraw %} ${7\\*7}",
            "",
            body[1].text,
            "",
        ])
    return out
