"""Every page of the site and what each one shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from . import claimreview, feeds, opendata, shareimage
from .markdown import plain_text
from ..project.model import Claim, Source, Verdict
from ..core.urls import claimant_slug

if TYPE_CHECKING:
    from .render import Renderer


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


def render_pages(r: Renderer) -> None:
    """Render the HTML pages of the site."""
    claims = r.project.claims
    listed = [r.claim_context(c) for c in claims]
    r.page("index.html", "", title=r.project.site.title, description=r.project.site.description,
           claims=listed, chart=verdict_chart(claims, r.project.verdicts),
           tags=sorted({t for c in claims for t in c.tags}),
           claimants=[(name, claimant_slug(p)) for name, p in r.claimants.items()])
    reviews = claimreview.published_reviews(r)
    _claim_pages(r, reviews)
    for verdict in r.project.verdicts:
        url = f"verdicts/{verdict.id}/"
        r.page("verdict.html", url, title=f"Claims rated {verdict.label}",
               description=plain_text(verdict.description),
               verdict=verdict, description_html=r.markdown(verdict.description, url, verdict.loc),
               claims=[x for x in listed if x["claim"].verdict == verdict.id])
    for name, person in r.claimants.items():
        slug = claimant_slug(person)
        r.page("claimant.html", f"claimants/{slug}/", title=f"Claims by {name}",
               description=f"Fact-checks of statements by {name}.", claimant=person,
               claims=[x for x in listed if x["claim"].claimant.name == name])
    for tag in sorted({t for c in claims for t in c.tags}):
        r.page("tag.html", f"tags/{tag}/", title=f"Claims tagged {tag}",
               description=f"Fact-checks about {tag.replace('-', ' ')}.", tag=tag,
               claims=[x for x in listed if tag in x["claim"].tags])
    r.page("sources.html", "sources/", title="Sources",
           description="Every document these fact-checks rely on, with the claims that cite it.",
           sources=_sources(claims))
    if r.project.events:
        r.page("timeline.html", "timeline/", title="Timeline",
               description="The dated events behind the claims, in order.",
               events=[_event(r, e) for e in r.project.events])
    for page in r.project.pages:
        url = f"{page.name}/"
        extra: dict[str, Any] = {}
        if page.template == "methodology":
            extra["scale_html"] = [(v, r.markdown(v.description, url, v.loc)) for v in r.project.verdicts]
        if page.template == "corrections":
            extra["corrections"] = _corrections(r, url)
        r.page(f"{page.template}.html", url, title=page.title, description=page.description,
               page=page, body_html=r.markdown(page.body, url, page.loc), **extra)
    r.page("404.html", "404.html", title="Page not found",
           description="The page you asked for is not on this site.", noindex=True)
    opendata.add_exports(r, reviews)
    feeds.add_feeds(r)


def _claim_pages(r: Renderer, reviews: dict[str, dict[str, Any]]) -> None:
    claims = r.project.claims
    fonts = shareimage.read_fonts() if reviews else None
    for index, claim in enumerate(claims):
        url = f"claims/{claim.id}/"
        events = [_event(r, e, url) for e in r.project.events if claim.id in e.claims]
        r.page("claim.html", url, title=claim.claim, description=claim.summary,
               noindex=claim.draft, **_published(r, claim, url, reviews.get(claim.id), fonts),
               claim=claim, verdict=r.verdicts[claim.verdict],
               claimant_url=f"claimants/{claimant_slug(claim.claimant)}/",
               explanation_html=r.markdown(claim.explanation, url, claim.where("explanation"),
                                           heading_offset=1),
               results=r.evidence.of(claim),
               events=events,
               corrections=[(c, r.markdown(c.note, url, c.where("note"))) for c in claim.corrections],
               previous=claims[index - 1] if index > 0 else None,
               next=claims[index + 1] if index + 1 < len(claims) else None)
        for alias in claim.aliases:
            r.page("redirect.html", f"claims/{alias}/", title=claim.claim, description=claim.summary,
                   noindex=True, target=url)


def _published(r: Renderer, claim: Claim, url: str, review: dict[str, Any] | None,
               fonts: shareimage.Fonts | None) -> dict[str, Any]:
    """Render a published claim's embed page and share image; return what its page shows of them."""
    if review is None:
        return {"claim_review": None, "og_image": None, "embed_snippet": None}
    verdict = r.verdicts[claim.verdict]
    embed = f"{url}embed/"
    r.page("embed.html", embed, title=claim.claim, description=claim.summary, noindex=True,
           canonical=r.linker.absolute(url), claim=claim, verdict=verdict, claim_url=url)
    snippet = (f'<iframe src="{escape(r.linker.absolute(embed))}" title="{escape("Fact-check: " + claim.claim)}" '
               'width="560" height="360" loading="lazy" '
               'sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin"></iframe>')
    image = shareimage.add_share_image(r, claim, verdict, fonts) if fonts else None
    return {"claim_review": claimreview.script_json(review),
            "og_image": r.linker.absolute(image) if image else None,
            "embed_snippet": snippet}


def _event(r: Renderer, event: Any, url: str = "timeline/") -> dict[str, Any]:
    anchor = f"{event.date}-" + "-".join("".join(ch for ch in word.lower() if ch.isalnum())
                                         for word in event.title.split())
    return {"event": event, "anchor": anchor.strip("-"),
            "text_html": r.markdown(event.text, url, event.where("text")),
            "claims": [c for c in r.project.claims if c.id in event.claims]}


@dataclass(frozen=True)
class SourceEntry:
    """A source and the claims citing it."""

    source: Source
    claims: tuple[Claim, ...]


def _sources(claims: tuple[Claim, ...]) -> list[SourceEntry]:
    """Return one entry per distinct source (by URL, else title), sorted by publisher and title."""
    entries: dict[str, tuple[Source, dict[str, Claim]]] = {}
    for claim in claims:
        for source in claim.sources:
            key = source.url or f"{source.publisher}|{source.title}"
            entries.setdefault(key, (source, {}))[1].setdefault(claim.id, claim)
    ordered = sorted(entries.values(), key=lambda e: (e[0].publisher.lower(), e[0].title.lower()))
    return [SourceEntry(source, tuple(cited.values())) for source, cited in ordered]


def _corrections(r: Renderer, url: str) -> list[dict[str, Any]]:
    """Return every claim's corrections, newest first."""
    log = [{"claim": claim, "date": c.date, "note_html": r.markdown(c.note, url, c.where("note"))}
           for claim in r.project.claims for c in claim.corrections]
    return sorted(log, key=lambda item: (item["date"], item["claim"].id), reverse=True)
