"""Render HTML pages from templates, reusing the pages and claim cards whose inputs did not change."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..core.urls import NOT_FOUND, output_for, url_for
from .assets import Assets
from .derived import Derived, T
from .links import Linker
from .prose import Memo
from .templates import Templates


@dataclass
class RenderCache:
    """Pages, claim cards and Markdown from the previous render, reused when their inputs are equal.

    The preview server keeps one across rebuilds so a save re-renders only the pages it
    affects; start a new one when templates change.
    """

    pages: dict[str, tuple[Any, bytes | None]] = field(default_factory=dict)
    """Each page's inputs and its HTML; or, kept between runs of `build`, None: the HTML is the file
    the last build wrote into its output folder (reused while it is unchanged there)."""
    markdown: Memo = field(default_factory=dict)
    cards: dict[tuple[str, int], tuple[Any, Markup]] = field(default_factory=dict)
    """Claim cards of the lists, by claim id and page depth."""
    environment: jinja2.Environment | None = None
    """The template environment, which keeps compiled templates (and reloads changed ones)."""
    pages_rendered: int = 0
    """How many pages the last render actually rendered (the rest came from the cache)."""
    searchable: tuple[str, ...] = ()
    """The output paths of the last render's pages that go into the search index."""
    derived: Derived = field(default_factory=Derived)
    """Values computed from parts of the project (the sources page's list, each claim's ClaimReview),
    reused while those parts are equal."""
    context: Any = None
    """What the Markdown and the cards were rendered for (options and asset names); they are
    dropped when it changes."""

    def kept(self, written: Collection[str]) -> RenderCache:
        """Return this cache as a build keeps it between runs: the pages `written` without their HTML,
        which is in the output folder, and without the template environment (it is made again)."""
        pages = {output: (key, None) for output, (key, _) in self.pages.items() if output in written}
        return replace(self, pages=pages, environment=None, pages_rendered=0)


@dataclass(frozen=True)
class PreviousSite:
    """The output folder the last build wrote, and the size and modification time of each file it wrote."""

    folder: Path
    files: dict[str, tuple[int, int]]

    def unchanged(self, output: str) -> Path | None:
        """Return the file at `output` if it is still the one the last build wrote there."""
        recorded = self.files.get(output)
        if recorded is None:
            return None
        path = self.folder / output
        try:
            found = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode) or (found.st_size, found.st_mtime_ns) != recorded:
            return None
        return path


class PageRenderer:
    """Render each page of the site from its template; remember which pages search engines may index."""

    def __init__(self, templates: Templates, linker: Linker, assets: Assets, shared: dict[str, Any],
                 shared_key: Any, cache: RenderCache, previous: PreviousSite | None = None) -> None:
        """`shared` holds the values every page gets; `shared_key` changes whenever they do.

        `previous` is the output folder the cache's last build wrote: a page whose inputs are
        unchanged is then taken from there, as its file, instead of being rendered.
        """
        self.templates, self.linker, self.assets, self.cache = templates, linker, assets, cache
        self.shared, self.shared_key, self.previous = shared, shared_key, previous
        self.outputs: dict[str, bytes | Path] = {}
        self.attempted: set[str] = set()
        """Every page asked for, rendered or not: a link to a page whose template failed is not broken."""
        self.indexable: list[str] = []
        """The URLs of the pages that search engines may index, in the order rendered."""
        self.searchable: list[str] = []
        """The output paths of the pages the site's own search finds (claims and content pages)."""
        cache.pages_rendered = 0

    def page(self, template: str, url: str, *, title: str, description: str,
             noindex: bool = False, searchable: bool = False, **context: Any) -> None:
        """Render one HTML page at site URL `url` (`claims/x/` or `404.html`); a `searchable` page
        goes into the site's search index unless it is `noindex`."""
        output = output_for(url)
        self.attempted.add(output)
        if not noindex and output != NOT_FOUND:
            self.indexable.append(url_for(output))
            if searchable:
                self.searchable.append(output)
        key = (template, title, description, noindex, self.shared_key, tuple(context.items()))
        cached = self.cache.pages.get(output)
        if cached is not None and cached[0] == key:
            kept = cached[1] if cached[1] is not None else self.previous and self.previous.unchanged(output)
            if kept is not None:
                self.outputs[output] = kept
                return
        link = self.link_from(output)

        def asset(name: str) -> str:
            path = self.assets.output(name)
            if path is None:
                raise jinja2.TemplateRuntimeError(f"static/{name} does not exist")
            return link(path)

        def card(item: dict[str, Any]) -> Markup:
            return self._card(item, output.count("/"), link)

        values = {
            **self.shared,
            "link": link,
            "asset": asset,
            "card": card,
            "url": url,
            "canonical": self.linker.absolute(url_for(output)),
            "title": title,
            "description": description,
            "noindex": noindex,
            **context,
        }
        html = self.templates.render(template, values)
        if html is not None:
            data = html.encode("utf-8")
            self.outputs[output] = data
            self.cache.pages[output] = (key, data)
            self.cache.pages_rendered += 1

    def derived(self, name: str, inputs: Any, compute: Callable[[], T]) -> T:
        """Return `compute()`, or what it gave at an earlier render when `inputs` were equal to these.

        An unchanged value is the very object given before, so the page showing it compares equal at
        once and is not rendered again.
        """
        return self.cache.derived.reuse(name, inputs, compute)

    def link_from(self, output: str) -> Callable[[str], str]:
        """Return the function that links the page written at `output` to a site URL."""
        if output == NOT_FOUND:  # served at any depth, so its links start at the base URL's path
            return self.linker.rooted
        return lambda target: self.linker.relative(output, target)

    def _card(self, item: dict[str, Any], depth: int, link: Callable[[str], str]) -> Markup:
        """Render a claim's card for a list, once per claim and page depth (lists repeat them)."""
        key = (item["claim"].id, depth)
        cached = self.cache.cards.get(key)
        if cached is not None and cached[0] == (item["claim"], item["verdict"]):
            return cached[1]
        html = Markup(self.templates.macro("_macros.html", "claim_card")(item, link))
        self.cache.cards[key] = ((item["claim"], item["verdict"]), html)
        return html
