"""Put the site together: static files, pages, structured data, share images, open data and feeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from ..core import urls
from ..core.errors import Location, Problems
from ..project.claimants import merged_claimants
from ..project.evidence import Evidence
from ..project.model import VERDICT_STYLES, Project, Verdict
from . import claimreview, feeds, opendata, search, shareimage
from .assets import Assets, read_assets
from .csp import content_security_policy
from .links import Linker
from .options import BuildOptions
from .pages import SiteData, render_pages
from .prose import Prose
from .render import PageRenderer, PreviousSite, RenderCache
from .templates import Templates, make_environment
from .verdictcolours import site_verdict_colours


def render_site(root: Path, project: Project, evidence: Evidence, options: BuildOptions,
                problems: Problems, cache: RenderCache,
                previous: PreviousSite | None = None) -> dict[str, bytes | Path]:
    """Return every file of the site by its path: its bytes, or the file that holds them (a share image
    in the project's cache; an unchanged page in `previous`, the output folder of the cache's last
    build). Problems are recorded, not raised."""
    base_url = options.base_url or project.site.base_url
    linker = Linker(base_url, options.file_urls)
    if cache.environment is None:
        cache.environment = make_environment(root, compiled=options.write_caches)
    assets = read_assets(root, problems, fingerprint=not options.preview)
    verdicts = {v.id: v for v in project.verdicts}
    claimants = merged_claimants(project)
    reviews = claimreview.published_reviews(project, claimants, linker, _logo_url(project, assets, linker), problems,
                                            cache.derived)
    colours = site_verdict_colours(assets, VERDICT_STYLES)
    images = _share_images(root, project, verdicts, reviews, colours, keep=options.write_caches, previous=previous)
    shared = {
        "site": project.site,
        "article": project.article,
        "verdicts": verdicts,
        "scale": project.verdicts,
        "content_pages": project.content_pages,
        "methodology_url": next((urls.page(p.name) for p in project.content_pages if p.template == "methodology"),
                                None),
        "has_timeline": bool(project.events),
        "generator": f"factsite {__version__}",
        "csp": content_security_policy(options.connect_src),
        "search_csp": content_security_policy(options.connect_src, search=True),
        "preview": options.preview,
        "base_url": base_url,
    }
    asset_names = tuple(sorted(assets.names.items()))
    shared_key = (project.site, project.article, project.verdicts, project.content_pages, bool(project.events), options,
                  asset_names)
    if cache.context != (options, base_url, asset_names):  # Markdown and cards link to pages and assets
        cache.markdown.clear()
        cache.cards.clear()
        cache.context = (options, base_url, asset_names)
    pages = PageRenderer(Templates(root, cache.environment, problems), linker, assets, shared, shared_key, cache,
                         previous)
    prose = Prose(root, linker, assets, problems, cache.markdown)
    data = SiteData(project, evidence, verdicts, claimants, reviews, {id_: url for id_, (url, _) in images.items()})
    render_pages(data, pages, prose)
    indexable = [url for url in pages.indexable if urls.output_for(url) in pages.outputs]
    outputs = {
        **assets.files,
        **pages.outputs,
        **dict(images.values()),
        **opendata.exports(project, evidence, reviews, linker, cache.derived),
        **feeds.feeds(project, linker, indexable, cache.derived),
    }
    cache.searchable = tuple(output for output in pages.searchable if output in pages.outputs)
    if options.search and not problems.errors:  # a build that fails has no use for an index
        searchable = {output: pages.outputs[output] for output in cache.searchable}
        outputs.update(_search_bundle(root, searchable, keep=options.write_caches, problems=problems))
    prose.check_links(outputs.keys() | pages.attempted)
    cache.derived.drop_unused()
    return dict(sorted(outputs.items()))


def _previous_copy(previous: PreviousSite | None, output: str, data: bytes | Path) -> Path | None:
    """Return the file at `output` in the previous output folder if it is unchanged there and has the
    size of `data`."""
    kept = previous.unchanged(output) if previous is not None else None
    if kept is None:
        return None
    try:
        size = len(data) if isinstance(data, bytes) else data.stat().st_size
    except OSError:
        return None
    return kept if previous.files[output][0] == size else None


def _search_bundle(root: Path, pages: dict[str, bytes | Path], *, keep: bool,
                   problems: Problems) -> dict[str, bytes | Path]:
    """Return the search index of `pages`; record why if it cannot be made."""
    try:
        return search.search_bundle(root, pages, keep=keep)
    except search.SearchIndexError as exc:
        problems.error(Location("factsite"), f"the search index could not be made: {exc}")
        return {}


def _logo_url(project: Project, assets: Assets, linker: Linker) -> str | None:
    """Return the absolute URL of the publisher's logo, if it has one."""
    logo = project.site.publisher.logo
    path = assets.output(logo) if logo else None
    return linker.absolute(path) if path else None


def _share_images(root: Path, project: Project, verdicts: dict[str, Verdict], reviews: dict[str, Any],
                  colours: dict[str, str], *, keep: bool,
                  previous: PreviousSite | None) -> dict[str, tuple[str, bytes | Path]]:
    """Return each published claim's share image, (site URL, PNG or a file holding it), by claim id.

    `colours` are the verdict styles' colours; a style the stylesheet leaves out is drawn in the text colour.
    An image is named after the hash of what it shows, so the file of that name and size in `previous`
    (the last build's output folder) is the same image, and is kept.
    """
    if not reviews:
        return {}
    fonts = shareimage.read_fonts()
    cache = shareimage.CardCache(root, keep=keep)
    images = {}
    for claim in project.claims:
        if claim.id not in reviews:
            continue
        verdict = verdicts[claim.verdict]
        style = verdict.style or "opinion"
        card = shareimage.Card(claim.claim, verdict.label, style, colours.get(style, shareimage.TEXT),
                               project.site.title)
        key, data = cache.card(card, fonts)
        url = urls.share_image(claim.id, key)
        images[claim.id] = (url, _previous_copy(previous, urls.output_for(url), data) or data)
    return images
