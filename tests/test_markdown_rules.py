"""Markdown rendered with block rules left out, for a text with nothing they could match, is the same HTML.

`render_markdown` leaves out the table, fence, blockquote and heading rules when the text holds none of
their characters, and the raw-HTML rules always (raw HTML is off): both only save time. Each text below,
and every text Hypothesis makes of Markdown's marker characters, renders as the full CommonMark-plus-tables
renderer renders it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factsite.site import markdown
from factsite.site.markdown import LinkContext, render_markdown


def _full() -> MarkdownIt:
    """Return the renderer with every rule of CommonMark plus tables, as it was before any was left out."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("factsite_rewrite", markdown._rewrite)
    return md


FULL = _full()


def _context() -> LinkContext:
    return LinkContext(lambda target: "../" + target, lambda src: "../" + src, heading_offset=1)


def _same(text: str) -> None:
    expected = FULL.render(text, {"factsite": _context()})
    assert render_markdown(text, _context()) == expected


SAMPLES = [
    "Plain words over\ntwo lines.\n\nA second paragraph.",
    "- a list\n- of [links](https://example.org/) and [site](claims/x/)\n\n1. ordered\n2. items",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2",
    "```\ncode\n```\n\n~~~python\nmore\n~~~",
    "> quoted\n> lines\n\n>> nested",
    "# Heading\n\n## Second\n\nText\n===\n\nMore\n---",
    "<div>raw html</div>\n\n<span>inline</span> and <b>bold</b>",
    "Text with `code`, *emphasis*, __strong__, \\*escapes\\*, &amp; entities and ![alt](static/x.png).",
    "    indented code\n\n***\n\n- - -",
    "[ref]\n\n[ref]: https://example.org/ \"title\"",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_a_sample_renders_as_the_full_renderer_renders_it(text: str) -> None:
    _same(text)


@settings(max_examples=300, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["a", "b ", " ", "\n", "\n\n", "|", "-", "#", ">", "`", "~", "*", "_", "=", "[",
                                 "]", "(", ")", "<", "&", "1.", "    ", ":", "!", "\\", "x|y\n--|--\n"]),
                max_size=40).map("".join))
def test_any_text_renders_as_the_full_renderer_renders_it(text: str) -> None:
    _same(text)
