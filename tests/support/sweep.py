"""Which pages the browser sweeps visit: one page of each template, or every page in a full sweep.

The slow browser checks (axe at two viewports, no request to other hosts, the 320 px width) look at
a sample by default: of each template, the page with the most HTML (ties: the first path), so the
sample is the same for the same build. `FACTSITE_FULL_SWEEP=1` (set by `make test-all`) or `CI=true`
makes them visit every page. Every page of the site must map to a template and every page template
in templates/ must have a page, so a new template or a new kind of address fails here rather than
being left out of the sample without a word.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from factsite.core.names import THEME_DIR

from .browser import META_REFRESH

FULL_SWEEP_VARIABLE = "FACTSITE_FULL_SWEEP"
NOT_PAGES = frozenset({"base.html"})
"""Templates that only others extend; names starting with `_` are partials and left out too."""

# First path segment -> template of the pages one level below it (claims/ is handled apart).
_LISTS = {"verdicts": "verdict.html", "claimants": "claimant.html", "tags": "tag.html"}
_SINGLE = {"": "index.html", "404.html": "404.html", "sources/": "sources.html", "timeline/": "timeline.html",
           "search/": "search.html"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.S | re.M)


def full_sweep() -> bool:
    """Return whether the browser sweeps should visit every page."""
    return os.environ.get(FULL_SWEEP_VARIABLE, "") == "1" or os.environ.get("CI", "").lower() == "true"


def describe() -> str:
    """Say in one line which pages the sweeps visit, and why (for the pytest header)."""
    if full_sweep():
        return f"page sweeps: every page ({FULL_SWEEP_VARIABLE}=1 or CI=true)"
    return f"page sweeps: one page of each template ({FULL_SWEEP_VARIABLE}=1 for every page)"


def page_templates(project: Path) -> set[str]:
    """Return the templates of the theme and the project's templates/ that render pages of their own."""
    return {
        file.name
        for folder in (THEME_DIR, project)
        for file in (folder / "templates").glob("*.html")
        if not file.name.startswith("_") and file.name not in NOT_PAGES
    }


def _content_templates(project: Path) -> dict[str, str]:
    """Return {page address: template} of the content pages (content/NAME.md, `template:`, default page)."""
    found = {}
    for file in sorted((project / "content").glob("*.md")):
        match = _FRONT_MATTER.match(file.read_text(encoding="utf-8"))
        meta = yaml.safe_load(match.group(1)) if match else None
        template = meta.get("template", "page") if isinstance(meta, dict) else "page"
        found[f"{file.stem}/"] = f"{template}.html"
    return found


def template_of(path: str, html: str, content: dict[str, str]) -> str | None:
    """Return the template that rendered the page at `path` (`claims/x/`, `404.html`), or None."""
    if path in _SINGLE:
        return _SINGLE[path]
    if path in content:
        return content[path]
    parts = path.removesuffix("/").split("/")
    if parts[0] == "claims" and len(parts) == 3 and parts[2] == "embed":
        return "embed.html"
    if parts[0] == "claims" and len(parts) == 2:
        return "redirect.html" if META_REFRESH.search(html) else "claim.html"
    if parts[0] in _LISTS and len(parts) == 2:
        return _LISTS[parts[0]]
    return None


def pages_by_template(site: Path, project: Path) -> dict[str, list[tuple[str, int]]]:
    """Group the built site's pages by template: {template: [(path, size in bytes), ...]}.

    Fails when a page maps to no template: teach template_of() its address.
    """
    content = _content_templates(project)
    grouped: dict[str, list[tuple[str, int]]] = {}
    unknown = []
    for file in sorted(site.rglob("*.html")):
        path = file.relative_to(site).as_posix().removesuffix("index.html")
        html = file.read_text(encoding="utf-8")
        template = template_of(path, html, content)
        if template is None:
            unknown.append(path)
        else:
            grouped.setdefault(template, []).append((path, len(html.encode("utf-8"))))
    assert not unknown, (
        f"pages of no known template (add their address to template_of() in {__name__}): {unknown}"
    )
    return grouped


def sample(site: Path, project: Path, *, every_template: bool = True) -> list[str]:
    """Return one page path per template: the one with the most HTML, the first path on a tie.

    With `every_template`, fail unless each page template of the project has a page in the site.
    """
    grouped = pages_by_template(site, project)
    if every_template:
        missing = sorted(page_templates(project) - grouped.keys())
        assert not missing, (
            f"templates with no page in {site}, so no sweep would check them: {missing} "
            f"(make the swept site render one, or list a layout in {__name__}.NOT_PAGES)"
        )
    return sorted(min(pages, key=lambda page: (-page[1], page[0]))[0] for pages in grouped.values())


def swept(site: Path, project: Path, *, every_template: bool = True) -> list[str]:
    """Return the page paths a sweep visits: every page in a full sweep, else sample()."""
    chosen = sample(site, project, every_template=every_template)
    if full_sweep():
        return sorted(path for pages in pages_by_template(site, project).values() for path, _ in pages)
    return chosen
