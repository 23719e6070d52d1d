"""Every HTML page of the site and what each one shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from ..core import urls
from ..project.evidence import Evidence
from ..project.model import Claim, Claimant, Event, Project, Source, Verdict
from ..project.provenance import Provenance
from .claimreview import script_json
from .markdown import plain_text
from .prose import Prose
from .render import PageRenderer
from .values import site_values


@dataclass(frozen=True)
class SiteData:
    """What the pages show: the project, its checks' results, and what was made for its published claims."""

    project: Project
    evidence: Evidence
    verdicts: dict[str, Verdict]
    claimants: dict[str, Claimant]
    """Each claimant by name, details merged across mentions."""
    reviews: dict[str, dict[str, Any]]
    """The ClaimReview of each published claim, by claim id."""
    share_images: dict[str, str]
    """The share image's site URL of each published claim, by claim id."""


@dataclass(frozen=True)
class ChartBar:
    """One bar of the verdict chart."""

    verdict: Verdict
    count: int
    width: float
    y: int


def verdict_chart(claims: tuple[Claim, ...], scale: tuple[Verdict, ...]) -> list[ChartBar]:
    """Return the verdict chart's bars, one per verdict of the scale, widths in percent of the largest."""
    counts = Counter(c.verdict for c in claims)
    largest = max(counts.values(), default=1)
    return [ChartBar(v, counts[v.id], round(100 * counts[v.id] / largest, 2), index * 28)
            for index, v in enumerate(scale)]


def render_pages(data: SiteData, out: PageRenderer, prose: Prose) -> None:
    """Render every HTML page of the site."""
    project = data.project
    claims = project.claims
    listed = [{"claim": c, "verdict": data.verdicts[c.verdict]} for c in claims]
    tags = sorted({t for c in claims for t in c.tags})
    out.page("index.html", urls.INDEX, title=project.site.title, description=project.site.description,
             claims=listed, chart=verdict_chart(claims, project.verdicts), tags=tags,
             claimants=[(name, urls.claimant_slug(p)) for name, p in data.claimants.items()])
    events_of = _events_by_claim(project.events)
    event_claims = _event_claims(project, events_of)
    _claim_pages(data, out, prose, events_of, event_claims)
    by_verdict = _grouped(listed, lambda claim: (claim.verdict,))
    for verdict in project.verdicts:
        url = urls.verdict(verdict.id)
        out.page("verdict.html", url, title=f"Claims rated {verdict.label}",
                 description=plain_text(verdict.description),
                 verdict=verdict, description_html=prose.render(verdict.description, url, verdict.loc),
                 claims=by_verdict.get(verdict.id, []))
    by_claimant = _grouped(listed, lambda claim: (claim.claimant.name,))
    by_attribution = _grouped(listed, lambda claim: (claim.attributed_to.name,) if claim.attributed_to else ())
    for name, person in data.claimants.items():
        made = by_claimant.get(name, [])
        attributed = by_attribution.get(name, [])
        out.page("claimant.html", urls.claimant(person),
                 title=f"Claims by {name}" if made else f"Statements attributed to {name}",
                 description=f"Fact-checks of statements by {name}." if made else
                 f"Fact-checks of the article's reports of what {name} said.",
                 claimant=person, claims=made, attributed=attributed)
    by_tag = _grouped(listed, lambda claim: claim.tags)
    for tag in tags:
        out.page("tag.html", urls.tag(tag), title=f"Claims tagged {tag}",
                 description=f"Fact-checks about {tag.replace('-', ' ')}.", tag=tag,
                 claims=by_tag[tag])
    out.page("sources.html", urls.SOURCES, title="Sources",
             description="Every document these fact-checks rely on, with the claims that cite it.",
             **out.derived("sources", (project.article, [(c.id, c.claim, c.sources) for c in claims]),
                           lambda: _sources(claims, data.evidence.provenance)))
    if project.events:
        out.page("timeline.html", urls.TIMELINE, title="Timeline",
                 description="The dated events behind the claims, in order.",
                 events=[_event(prose, e, event_claims[index]) for index, e in enumerate(project.events)])
    values = site_values(project)
    for page in project.content_pages:
        url = urls.page(page.name)
        extra: dict[str, Any] = {}
        if page.template == "methodology":
            extra["scale_html"] = [(v, prose.render(v.description, url, v.loc)) for v in project.verdicts]
        if page.template == "corrections":
            extra["corrections"] = _corrections(project, prose, url)
        out.page(f"{page.template}.html", url, title=page.title, description=page.description, searchable=True,
                 page=page, body_html=prose.render_page(page.body, url, page.loc, values), **extra)
    out.page("search.html", urls.SEARCH, title="Search", noindex=True, csp=out.shared["search_csp"],
             description="Search every fact-check on this site: claims, quotes, people, sources and topics.",
             claims=listed, tags=tags, claimants=list(data.claimants))
    out.page("404.html", urls.NOT_FOUND, title="Page not found",
             description="The page you asked for is not on this site.", noindex=True)


@dataclass(frozen=True)
class CitedSource:
    """A source as a claim page lists it: what it reproduces, if anything."""

    source: Source
    copy_of: Source | None
    """The source this one is a copy of (a syndicated or mirrored copy), as first written."""
    is_article: bool
    """True when the source is the checked article itself."""


def _grouped(listed: list[dict[str, Any]], keys: Callable[[Claim], Iterable[str]]) -> dict[str, list[dict[str, Any]]]:
    """Return the listed claims by each of their keys, in the order listed (one pass, not one per key)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in listed:
        for key in dict.fromkeys(keys(item["claim"])):  # a claim is listed once per key, however often written
            groups.setdefault(key, []).append(item)
    return groups


def _events_by_claim(events: tuple[Event, ...]) -> dict[str, list[int]]:
    """Return the indices of the events that bear on each claim id, in timeline order."""
    found: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        for claim_id in dict.fromkeys(event.claims):
            found.setdefault(claim_id, []).append(index)
    return found


def _event_claims(project: Project, events_of: dict[str, list[int]]) -> list[list[Claim]]:
    """Return, for each event, the claims it bears on, in article order."""
    claims: list[list[Claim]] = [[] for _ in project.events]
    for claim in project.claims:
        for index in events_of.get(claim.id, ()):
            claims[index].append(claim)
    return claims


def _claim_pages(data: SiteData, out: PageRenderer, prose: Prose, events_of: dict[str, list[int]],
                 event_claims: list[list[Claim]]) -> None:
    claims = data.project.claims
    provenance = data.evidence.provenance
    ranks = {verdict.id: rank for rank, verdict in enumerate(data.project.verdicts)}
    for index, claim in enumerate(claims):
        url = urls.claim(claim.id)
        events = [_event(prose, data.project.events[e], event_claims[e], url) for e in events_of.get(claim.id, ())]
        out.page("claim.html", url, title=claim.claim, description=claim.summary,
                 noindex=claim.draft, searchable=True, **_published(data, out, claim),
                 claim=claim, verdict=data.verdicts[claim.verdict], verdict_rank=ranks[claim.verdict],
                 claimant_url=urls.claimant(claim.claimant),
                 explanation_html=prose.render(claim.explanation, url, claim.where("explanation"),
                                               heading_offset=1),
                 results=data.evidence.of(claim),
                 sources=[CitedSource(s, provenance.copied_from(s), provenance.is_article(s)) for s in claim.sources],
                 cited_here={s.id for s in claim.sources if s.id},
                 independent=provenance.independent(claim.sources),
                 events=events,
                 corrections=[(c, prose.render(c.note, url, c.where("note"))) for c in claim.corrections],
                 previous=claims[index - 1] if index > 0 else None,
                 next=claims[index + 1] if index + 1 < len(claims) else None)
        for alias in claim.aliases:
            out.page("redirect.html", urls.claim(alias), title=claim.claim, description=claim.summary,
                     noindex=True, target=url)


def _published(data: SiteData, out: PageRenderer, claim: Claim) -> dict[str, Any]:
    """Render a published claim's embed page; return what its page shows of its ClaimReview, image and embed."""
    review = data.reviews.get(claim.id)
    if review is None:
        return {"claim_review": None, "og_image": None, "embed_snippet": None}
    url, embed = urls.claim(claim.id), urls.embed(claim.id)
    out.page("embed.html", embed, title=claim.claim, description=claim.summary, noindex=True,
             canonical=out.linker.absolute(url), claim=claim, verdict=data.verdicts[claim.verdict], claim_url=url)
    snippet = (f'<iframe src="{escape(out.linker.absolute(embed))}" '
               f'title="{escape("Fact-check: " + claim.claim)}" width="560" height="360" loading="lazy" '
               'sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin"></iframe>')
    image = data.share_images.get(claim.id)
    return {"claim_review": out.derived(f"claimreview-script/{claim.id}", review, lambda: script_json(review)),
            "og_image": out.linker.absolute(image) if image else None,
            "embed_snippet": snippet}


def _event(prose: Prose, event: Event, claims: list[Claim], url: str = urls.TIMELINE) -> dict[str, Any]:
    """Return what a page shows of an event; `claims` are those it bears on."""
    anchor = f"{event.date}-" + "-".join("".join(ch for ch in word.lower() if ch.isalnum())
                                         for word in event.title.split())
    return {"event": event, "anchor": anchor.strip("-"),
            "text_html": prose.render(event.text, url, event.where("text")),
            "claims": claims}


@dataclass(frozen=True)
class SourceEntry:
    """A source and the claims citing it."""

    source: Source
    claims: tuple[Claim, ...]
    copy_of: Source | None
    is_article: bool


def _sources(claims: tuple[Claim, ...], provenance: Provenance) -> dict[str, Any]:
    """Return the sources page's entries, one per distinct source (by URL, else title) sorted by
    publisher and title, and how many independent sources they come to."""
    entries: dict[str, tuple[Source, dict[str, Claim]]] = {}
    for claim in claims:
        for source in claim.sources:
            key = source.url or f"{source.publisher}|{source.title}"
            entries.setdefault(key, (source, {}))[1].setdefault(claim.id, claim)
    ordered = sorted(entries.values(), key=lambda e: (e[0].publisher.lower(), e[0].title.lower()))
    return {"sources": [SourceEntry(source, tuple(cited.values()), provenance.copied_from(source),
                                    provenance.is_article(source)) for source, cited in ordered],
            "independent": provenance.independent(source for source, _ in ordered)}


def _corrections(project: Project, prose: Prose, url: str) -> list[dict[str, Any]]:
    """Return every claim's corrections, newest first."""
    log = [{"claim": claim, "date": c.date, "note_html": prose.render(c.note, url, c.where("note"))}
           for claim in project.claims for c in claim.corrections]
    return sorted(log, key=lambda item: (item["date"], item["claim"].id), reverse=True)
