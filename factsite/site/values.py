"""Site values in content pages: `{{ site.title }}` in content/*.md becomes the project's value, as plain text.

A value can never add markup: every ASCII punctuation character in it is backslash-escaped for
Markdown (which renders it literally, in text and in link destinations alike), and raw HTML is off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.errors import Location, Problems, did_you_mean
from ..project.model import Project
from .templates import format_date


def _names(names: tuple[str, ...]) -> str | None:
    """Return names as a phrase: 'A', 'A and B', 'A, B and C'; None for none."""
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class SiteValue:
    """A value content pages may use: its name, how to get it, and for an optional one how to set it."""

    name: str
    doc: str
    get: Callable[[Project], str | None]
    unset_hint: str = ""
    """For a value that may be absent: what to add to claims.yaml."""


VALUES: tuple[SiteValue, ...] = (
    SiteValue("site.title", "the site's name", lambda p: p.site.title),
    SiteValue("site.description", "the site's one-sentence description", lambda p: p.site.description),
    SiteValue("site.publisher.name", "the publisher's name", lambda p: p.site.publisher.name),
    SiteValue("site.publisher.url", "the publisher's home page", lambda p: p.site.publisher.url),
    SiteValue("site.publisher.contact", "the publisher's email address (optional)",
              lambda p: p.site.publisher.contact,
              "Add 'contact: <email address>' under 'publisher:' in the site section of claims.yaml, "
              "or leave the value out of the page."),
    SiteValue("site.license.name", "the licence's name, e.g. CC BY 4.0, or All rights reserved",
              lambda p: p.site.license.name),
    SiteValue("site.license.url", "the address of the licence's terms (none for all rights reserved)",
              lambda p: p.site.license.url,
              "The site's licence is all-rights-reserved, which has no terms to link to: set 'license:' in the "
              "site section of claims.yaml to a licence, or use {{ site.license.name }} instead."),
    SiteValue("article.title", "the article's headline", lambda p: p.article.title),
    SiteValue("article.outlet", "the publication that ran it", lambda p: p.article.outlet),
    SiteValue("article.url", "where the article is published", lambda p: p.article.url),
    SiteValue("article.published", "its publication date, written like the site's dates: 7 November 2019",
              lambda p: format_date(p.article.published)),
    SiteValue("article.authors", "its bylines: 'A', 'A and B' or 'A, B and C' (optional)",
              lambda p: _names(p.article.authors),
              "Add 'authors: [name, ...]' under the article section of claims.yaml, "
              "or leave the value out of the page."),
)

Values = Mapping[str, str | None]
"""Each site value by name; None when the project leaves it unset."""

_OPEN = re.compile(r"(?<!\\)\{\{")
_PLACEHOLDER = re.compile(r"\{\{[ \t]*([^{}\n]*?)[ \t]*\}\}")
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def site_values(project: Project) -> dict[str, str | None]:
    """Return every site value of the project by name."""
    return {value.name: value.get(project) for value in VALUES}


def as_markdown_text(value: str) -> str:
    """Return text that Markdown renders exactly as written: each ASCII punctuation character backslash-escaped."""
    return _MARKDOWN_PUNCTUATION.sub(lambda match: "\\" + match.group(), value)


def fill_values(text: str, where: Location, values: Values, problems: Problems) -> str:
    """Replace each `{{ name }}` in Markdown written at `where` by its value, as text; `\\{{` stays literal.

    An unknown name, an unset value or an unclosed `{{` is an error at the line and column of its `{{`.
    """
    out: list[str] = []
    done = 0
    for match in _OPEN.finditer(text):
        start = match.start()
        if start < done:
            continue
        out.append(text[done:start])
        placeholder = _PLACEHOLDER.match(text, start)
        done = placeholder.end() if placeholder else match.end()
        written = text[start:done]
        value = _value(placeholder.group(1) if placeholder else None, values,
                       _place(text, start, where), problems)
        out.append(written if value is None else as_markdown_text(value))
    out.append(text[done:])
    return "".join(out)


def _value(name: str | None, values: Values, where: Location, problems: Problems) -> str | None:
    """Return the value named, or None after recording why there is none."""
    known = "Known values: " + ", ".join(values) + "."
    if name is None:
        problems.error(where, "'{{' is not closed by '}}' on its line",
                       "Write a site value as {{ site.title }}, or \\{{ for two literal braces. " + known)
        return None
    if name not in values:
        hint = did_you_mean(name, values)
        problems.error(where, f"unknown site value '{name}'" if name else "empty '{{ }}'",
                       f"{hint} {known}".strip())
        return None
    value = values[name]
    if value is None:
        unset = next((v.unset_hint for v in VALUES if v.name == name), "")
        problems.error(where, f"site value '{name}' is not set", unset)
    return value


def _place(text: str, offset: int, where: Location) -> Location:
    """Return the place of `offset` in `text`, which starts at `where` in its file."""
    line_start = text.rfind("\n", 0, offset) + 1
    column = offset - line_start + 1
    if line_start == 0 and where.column:
        column += where.column - 1
    return Location(where.path, where.line + text.count("\n", 0, offset), column)
