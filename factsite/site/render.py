"""Render the validated project into {output path: bytes}; nothing here touches the disk but reads."""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from .. import __version__
from .assets import Assets, read_assets
from ..core.names import TEMPLATES_DIR
from ..core.urls import claimant_slug, output_for, url_for
from ..core.errors import Location, Problems
from ..project.evidence import Evidence
from .csp import content_security_policy
from .links import Linker
from .markdown import LinkContext, LinkProblem, LinkRef, render_markdown
from ..project.model import Claim, Project, Verdict
from ..project.read import merged_claimants

TEMPLATES = TEMPLATES_DIR


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where the site will live, and which kind of build."""

    base_url: str | None = None
    """Overrides site.base_url (a deploy at another address)."""
    drafts: bool = False
    file_urls: bool = False
    preview: bool = False
    """A preview build: asset names without hashes, the reload client on every page."""
    connect_src: str = ""
    """Extra connect-src origin for the preview's WebSocket."""


def format_date(value: dt.date | str | None) -> str:
    """Return a date for readers: 7 November 2019, November 2019 or 2019."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    parts = value.split("-")
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    return value


def make_environment(root: Path) -> jinja2.Environment:
    """Return the Jinja environment: autoescaping everywhere, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["claimant_slug"] = claimant_slug
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda value: value.isoformat() if isinstance(value, dt.date) else str(value)
    return env


@dataclass
class _Link:
    target: str
    where: Location


@dataclass
class RenderCache:
    """Pages and Markdown from the previous render, reused when their inputs are equal.

    The preview server keeps one across rebuilds so a save re-renders only the pages it
    affects; start a new one when templates change.
    """

    pages: dict[str, tuple[Any, bytes]] = field(default_factory=dict)
    markdown: dict[tuple[str, str, int], tuple[str, list[LinkRef], list[LinkProblem]]] = field(default_factory=dict)
    rendered: int = 0
    """How many pages the last render actually rendered (the rest came from the cache)."""
    cards: dict[tuple[str, int], tuple[Any, Markup]] = field(default_factory=dict)
    """Claim cards of the lists, by claim id and page depth."""
    environment: jinja2.Environment | None = None
    """The template environment, which keeps compiled templates (and reloads changed ones)."""


@dataclass
class Renderer:
    """Render every page of a project."""

    root: Path
    project: Project
    evidence: Evidence
    options: BuildOptions
    problems: Problems
    cache: RenderCache = field(default_factory=RenderCache)
    outputs: dict[str, bytes] = field(default_factory=dict)
    _links: list[_Link] = field(default_factory=list)
    _attempted: set[str] = field(default_factory=set)
    _sources: dict[str, list[str]] = field(default_factory=dict)
    """Every page asked for, rendered or not: a link to a page whose template failed is not broken."""

    def __post_init__(self) -> None:
        base_url = self.options.base_url or self.project.site.base_url
        self.linker = Linker(base_url, self.options.file_urls)
        if self.cache.environment is None:
            self.cache.environment = make_environment(self.root)
        self.env = self.cache.environment
        self.assets: Assets = read_assets(self.root, self.problems, fingerprint=not self.options.preview)
        self.verdicts: dict[str, Verdict] = {v.id: v for v in self.project.verdicts}
        self.claimants = merged_claimants(self.project)
        self.globals = {
            "site": self.project.site,
            "article": self.project.article,
            "verdicts": self.verdicts,
            "scale": self.project.verdicts,
            "content_pages": self.project.pages,
            "methodology_url": next((f"{p.name}/" for p in self.project.pages if p.template == "methodology"), None),
            "has_timeline": bool(self.project.events),
            "generator": f"factsite {__version__}",
            "csp": content_security_policy(self.options.connect_src),
            "preview": self.options.preview,
            "base_url": base_url,
        }

    # -- pages ---------------------------------------------------------------------------

    def render(self) -> dict[str, bytes]:
        """Render every output; problems are recorded, not raised."""
        from .pages import render_pages

        self.outputs.update(self.assets.files)
        self.cache.rendered = 0
        self._globals_key = (self.project.site, self.project.article, self.project.verdicts,
                             self.project.pages, bool(self.project.events), self.options,
                             tuple(sorted(self.assets.names.items())))
        render_pages(self)
        self._check_links()
        return dict(sorted(self.outputs.items()))

    def page(self, template: str, url: str, *, title: str, description: str,
             noindex: bool = False, **context: Any) -> None:
        """Render one HTML page at site URL `url` (`claims/x/` or `404.html`)."""
        output = output_for(url)
        self._attempted.add(output)
        key = (template, title, description, noindex, self._globals_key, tuple(context.items()))
        cached = self.cache.pages.get(output)
        if cached is not None and cached[0] == key:
            self.outputs[output] = cached[1]
            return
        rooted = output == "404.html"

        def link(target: str) -> str:
            return self.linker.rooted(target) if rooted else self.linker.relative(output, target)

        def asset(name: str) -> str:
            path = self.assets.output(name)
            if path is None:
                raise jinja2.TemplateRuntimeError(f"static/{name} does not exist")
            return link(path)

        def card(item: dict[str, Any]) -> Markup:
            return self._card(item, output.count("/"), link)

        values = {
            **self.globals,
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
        html = self._render_template(template, values)
        if html is not None:
            self.outputs[output] = html.encode("utf-8")
            self.cache.pages[output] = (key, self.outputs[output])
            self.cache.rendered += 1

    def _card(self, item: dict[str, Any], depth: int, link: Any) -> Markup:
        """Render a claim's card for a list, once per claim and page depth (lists repeat them)."""
        key = (item["claim"].id, depth)
        cached = self.cache.cards.get(key)
        if cached is not None and cached[0] == (item["claim"], item["verdict"]):
            return cached[1]
        html = Markup(self.env.get_template("_macros.html").module.claim_card(item, link))  # type: ignore[attr-defined]
        self.cache.cards[key] = ((item["claim"], item["verdict"]), html)
        return html

    def add(self, path: str, data: bytes) -> None:
        """Add a non-HTML output (feeds, data exports)."""
        self.outputs[path] = data

    def markdown(self, text: str, url: str, where: Location, heading_offset: int = 0) -> str:
        """Render Markdown written at `where` for the page at `url`; its links are checked later."""
        memo = (text, url, heading_offset)
        if memo in self.cache.markdown:
            html, links, problems = self.cache.markdown[memo]
            self._record_markdown(links, problems, where)
            return html
        output = output_for(url)
        rooted = output == "404.html"

        def site_link(target: str) -> str:
            return self.linker.rooted(target) if rooted else self.linker.relative(output, target)

        def asset_link(src: str) -> str | None:
            path = self.assets.output(src[len("static/"):])
            return site_link(path) if path else None

        context = LinkContext(site_link, asset_link, heading_offset)
        html = render_markdown(text, context)
        self.cache.markdown[memo] = (html, context.links, context.problems)
        self._record_markdown(context.links, context.problems, where)
        return html

    def _record_markdown(self, links: list[LinkRef], problems: list[LinkProblem], where: Location) -> None:
        for message, hint, line, written in problems:
            self.problems.error(self._spot(where, line, written), message, hint)
        self._links.extend(_Link(target, self._spot(where, line, written)) for target, line, written in links)

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

    def _render_template(self, name: str, values: dict[str, Any]) -> str | None:
        try:
            return self.env.get_template(name).render(values)
        except jinja2.TemplateSyntaxError as exc:
            where = Location(f"{TEMPLATES}/{exc.name or name}", exc.lineno or 0)
            self.problems.error(where, f"template syntax error: {exc.message}", "Fix the template tag.")
        except jinja2.TemplateNotFound as exc:
            self.problems.error(Location(f"{TEMPLATES}/{name}"), f"template '{exc.name}' not found",
                                f"Create {TEMPLATES}/{exc.name}.")
        except Exception as exc:  # noqa: BLE001 - any template failure is the user's to fix
            self.problems.error(self._template_location(exc, name), f"template error: {exc}",
                                "Check the names the template uses against the README's template variables.")
        return None

    def _template_location(self, exc: BaseException, name: str) -> Location:
        """Find the template line a rendering error came from."""
        templates = str((self.root / TEMPLATES).resolve())
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(templates):
                relative = Path(frame.filename).resolve().relative_to(self.root.resolve()).as_posix()
                return Location(relative, frame.lineno or 0)
        return Location(f"{TEMPLATES}/{name}")

    def _check_links(self) -> None:
        for item in self._links:
            target = output_for(item.target)
            if target not in self.outputs and target not in self._attempted:
                self.problems.error(item.where, f"link to '{item.target}' leads to no page of the site",
                                    "Link to a page that exists, e.g. claims/<id>/ or methodology/.")

    def claim_context(self, claim: Claim) -> dict[str, Any]:
        """Return what templates need to show a claim in a list."""
        return {"claim": claim, "verdict": self.verdicts[claim.verdict]}
