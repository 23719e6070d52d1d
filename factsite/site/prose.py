"""The project's Markdown rendered for the page it lands on; its site links checked once every page is known."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..core.errors import Location, Problems
from ..core.urls import NOT_FOUND, output_for
from .assets import Assets
from .links import Linker
from .markdown import LinkContext, LinkProblem, LinkRef, render_markdown
from .values import Values, fill_values

Memo = dict[tuple[str, str | None, int], tuple[str, list[LinkRef], list[LinkProblem]]]
"""Rendered Markdown by (text, page URL, heading offset), kept across the preview's rebuilds; the URL is None
for Markdown that renders the same on every page (no site link, no image), such as a timeline event's text shown
on the timeline and on each of its claims' pages."""


@dataclass(frozen=True)
class _Link:
    target: str
    where: Location


class Prose:
    """Render Markdown written in the project's files; report its problems at their place in those files."""

    def __init__(self, root: Path, linker: Linker, assets: Assets, problems: Problems, memo: Memo) -> None:
        self.root, self.linker, self.assets, self.problems, self.memo = root, linker, assets, problems, memo
        self._links: list[_Link] = []
        self._sources: dict[str, list[str]] = {}

    def render(self, text: str, url: str, where: Location, heading_offset: int = 0) -> str:
        """Render Markdown written at `where` for the page at `url`; its links are checked later."""
        rendered = self.memo.get((text, None, heading_offset)) or self.memo.get((text, url, heading_offset))
        if rendered is None:
            rendered, anywhere = self._render(text, url, heading_offset)
            self.memo[(text, None if anywhere else url, heading_offset)] = rendered
        html, links, problems = rendered
        for message, hint, line, written in problems:
            self.problems.error(self._spot(where, line, written), message, hint)
        self._links.extend(_Link(target, self._spot(where, line, written)) for target, line, written in links)
        return html

    def _render(self, text: str, url: str,
                heading_offset: int) -> tuple[tuple[str, list[LinkRef], list[LinkProblem]], bool]:
        """Render Markdown for the page at `url`; also tell whether the HTML is the same on any page."""
        output = output_for(url)
        linked = False

        def site_link(target: str) -> str:
            nonlocal linked
            linked = True
            return self.linker.rooted(target) if output == NOT_FOUND else self.linker.relative(output, target)

        def asset_link(src: str) -> str | None:
            nonlocal linked
            linked = True
            path = self.assets.output(src[len("static/"):])
            return site_link(path) if path else None

        context = LinkContext(site_link, asset_link, heading_offset)
        html = render_markdown(text, context)
        return (html, context.links, context.problems), not linked

    def render_page(self, text: str, url: str, where: Location, values: Values) -> str:
        """Render a content page's Markdown written at `where`, its site values (`{{ site.title }}`) filled in."""
        return self.render(fill_values(text, where, values, self.problems), url, where)

    def check_links(self, outputs: Collection[str]) -> None:
        """Report each site link whose target is not among the outputs (or pages that failed to render)."""
        for link in self._links:
            if output_for(link.target) not in outputs:
                self.problems.error(link.where, f"link to '{link.target}' leads to no page of the site",
                                    "Link to a page that exists, e.g. claims/<id>/ or methodology/.")

    def _spot(self, where: Location, lines: int, written: str) -> Location:
        """Return the place of `written` (a link) `lines` lines below the start of Markdown at `where`."""
        line = where.line + lines
        try:
            source = self._source_lines(where.path)[line - 1]
        except IndexError:
            return Location(where.path, line)
        for needle in (written, unquote(written)):
            column = source.find(needle) if needle else -1
            if column >= 0:
                return Location(where.path, line, column + 1)
        return Location(where.path, line)

    def _source_lines(self, path: str) -> list[str]:
        """Return a project file's lines (read once per render)."""
        if path not in self._sources:
            try:
                self._sources[path] = (self.root / path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                self._sources[path] = []
        return self._sources[path]
