"""Markdown to safe HTML: no raw HTML, only http/https/mailto and site links, alignment as classes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

EXTERNAL_SCHEMES = ("http", "https", "mailto")
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")


LinkRef = tuple[str, int, str]
"""A site link in Markdown: (site-root-relative target, line within the text, the link as written)."""
LinkProblem = tuple[str, str, int, str]
"""A link or image that cannot be used: (message, hint, line within the text, the link as written)."""


@dataclass
class LinkContext:
    """What a rendering needs from the page it lands on, and what it found."""

    site_link: Callable[[str], str]
    """Turn a site-root-relative target (`claims/x/`) into a link from this page."""
    asset_link: Callable[[str], str | None]
    """Turn `static/name.ext` into the fingerprinted asset's link, or None if there is none."""
    heading_offset: int = 0
    links: list[LinkRef] = field(default_factory=list)
    """(site-root-relative target, line within the text, the link as written), checked once every page is known."""
    problems: list[LinkProblem] = field(default_factory=list)
    """(message, hint, line within the text, the link as written) for each link or image that cannot be used."""


def _scheme(href: str) -> str:
    """Return the link's scheme in lower case ('' for none); markdown-it has already encoded its host."""
    return urlsplit(href).scheme.lower()


def _rewrite(state: StateCore) -> None:
    context: LinkContext = state.env["factsite"]
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and context.heading_offset:
            level = min(6, int(token.tag[1]) + context.heading_offset)
            token.tag = f"h{level}"
        elif token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            match = _ALIGN.search(str(style or ""))
            if match:
                token.attrSet("class", f"align-{match.group(1)}")
        if token.children:
            _rewrite_inline(token.children, context, token.map[0] if token.map else 0)


def _rewrite_inline(tokens: list[Token], context: LinkContext, line: int) -> None:
    for index, token in enumerate(tokens):
        if token.type == "softbreak":
            line += 1
        elif token.type == "link_open":
            _rewrite_link(tokens, index, context, line)
        elif token.type == "image":
            _rewrite_image(token, context, line)


def _rewrite_link(tokens: list[Token], index: int, context: LinkContext, line: int) -> None:
    token = tokens[index]
    href = str(token.attrGet("href") or "")
    scheme = _scheme(href)
    if href.startswith("//") or (scheme and scheme not in EXTERNAL_SCHEMES):
        context.problems.append((f"link '{href}' is not allowed", "Use an http:, https: or mailto: link, or a "
                                 "site path like claims/some-id/.", line, href))
        _unlink(tokens, index)
        return
    if scheme in ("http", "https"):
        token.attrSet("rel", "noopener")
        return
    if scheme == "mailto" or href.startswith("#"):
        return
    target = unquote(href)
    if target.startswith("/"):
        context.problems.append((f"link '{href}' starts with '/'",
                                 "Write site paths without the leading slash, e.g. claims/some-id/, "
                                 "so the site works under any path.", line, href))
        target = target.lstrip("/")
    context.links.append((target.split("#", 1)[0], line, href))
    token.attrSet("href", context.site_link(target))


def _unlink(tokens: list[Token], index: int) -> None:
    """Drop a refused link's tags, keeping its text."""
    depth = 0
    for close in range(index, len(tokens)):
        if tokens[close].type == "link_open":
            depth += 1
        elif tokens[close].type == "link_close":
            depth -= 1
            if depth == 0:
                tokens[close].type = tokens[index].type = "text"
                tokens[close].content = tokens[index].content = ""
                tokens[close].tag = tokens[index].tag = ""
                return


def _rewrite_image(token: Token, context: LinkContext, line: int) -> None:
    src = unquote(str(token.attrGet("src") or ""))
    link = context.asset_link(src) if src.startswith("static/") else None
    if link is None:
        context.problems.append((f"image '{src}' is not in static/",
                                 "Put the image in static/ and write static/name.png.", line, src))
        token.attrSet("src", "")
    else:
        token.attrSet("src", link)
    if not token.children or not "".join(c.content for c in token.children).strip():
        context.problems.append((f"image '{src}' has no description",
                                 "Describe it for readers who cannot see it: ![what it shows](static/...).", line, src))


def _allow_all(url: str) -> bool:
    """Let every link through to `_rewrite`, which decides and reports."""
    return True


def make_markdown(left_out: frozenset[str] = frozenset()) -> MarkdownIt:
    """Return the site's Markdown renderer: CommonMark plus tables, raw HTML off; `left_out` names block rules
    to leave out because the text has nothing they could match (see `_renderer`)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # With raw HTML off these two rules never match, yet they would be tried on every line and at every '<'.
    md.disable(["html_block", "html_inline", *sorted(left_out)])
    md.validateLink = _allow_all  # type: ignore[method-assign]
    md.core.ruler.push("factsite_rewrite", _rewrite)
    return md


_MD = make_markdown()

_BLOCK_MARKERS = {"table": "|", "fence": "`~", "blockquote": ">", "heading": "#"}
"""Block rules and the characters they need: a rule cannot match a text holding none of its characters."""


@functools.cache
def _renderer(left_out: frozenset[str]) -> MarkdownIt:
    return make_markdown(left_out)


def _markdown_for(text: str) -> MarkdownIt:
    """Return a renderer without the block rules `text` gives nothing to match: each would be tried, and fail,
    at every line; the HTML is the same as the full renderer's."""
    return _renderer(frozenset(rule for rule, markers in _BLOCK_MARKERS.items()
                               if not any(marker in text for marker in markers)))


_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _is_control(code: int) -> bool:
    """Tell whether a code point is a control character (tab and line breaks aside) or a noncharacter."""
    return (code < 0x20 and code not in (0x09, 0x0A, 0x0D)) or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF)


def _control_references(text: str, context: LinkContext) -> None:
    """Report each numeric character reference (`&#7;`, `&#x1b;`) that would publish a control character."""
    for match in _NUMERIC_REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if _is_control(code):
            context.problems.append((f"character reference {match.group()} makes the control character U+{code:04X}",
                                     "Remove it: control characters have no place in published text.",
                                     text.count("\n", 0, match.start()), match.group()))


def render_markdown(text: str, context: LinkContext) -> str:
    """Render Markdown to HTML for one page; a reference to a control character is a problem."""
    if "&#" in text:
        _control_references(text, context)
    return _markdown_for(text).render(text, {"factsite": context})


def plain_text(text: str) -> str:
    """Return the text of Markdown without markup, for feeds and meta descriptions."""
    tokens = _MD.parseInline(text, {"factsite": LinkContext(lambda t: t, lambda s: s)})
    return "".join(child.content for token in tokens for child in (token.children or [])
                   if child.type in ("text", "code_inline", "softbreak")).strip()
