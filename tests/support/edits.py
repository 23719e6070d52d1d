"""Seeded random edits to a project, for tests/test_incremental.py.

Each edit is a small function `(workspace, rng) -> description | None` that changes the project's files the way an
editor would (a claim's text, a verdict, a template override, a static file, a content page, the rating scale,
the site settings, the timeline...) and returns one line saying what it did, or None when it does not apply
to the project as it stands (the caller then picks another). VALID_EDITS keep the project buildable: whatever
they remove, they also remove every reference to. BREAKING_EDITS introduce one error each (exit code 1).

claims.yaml and claims/*.yaml are read and written with PyYAML (round-tripped: dates stay dates, numbers
numbers), so an edit changes values, not formatting by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import yaml

from factsite.core.names import THEME_DIR
from factsite.project.model import DEFAULT_VERDICTS

Claim = dict[str, Any]

WORDS = ("bridge", "council", "figure", "budget", "survey", "record", "river", "lane", "month", "report",
         "engineer", "ledger", "traffic", "notice", "contract", "harbour", "census", "plan", "inspector", "deck")
ODD = ("café", "“quoted”", "R&D", "<b>not bold</b>", "50%", "a*b*c", "naïve", "x < y", "Ünïcode")
"""Words that need escaping somewhere (HTML, Markdown, CSV, XML, JSON)."""
CLAIM_LINK = re.compile(r"\[([^\]]*)\]\(claims/([a-z0-9-]+)/\)")
STYLES = tuple(v.id for v in DEFAULT_VERDICTS)
TEMPLATES = ("claim.html", "base.html", "_macros.html", "index.html", "verdict.html", "tag.html",
             "claimant.html", "sources.html", "timeline.html", "page.html", "methodology.html",
             "corrections.html", "embed.html", "404.html", "redirect.html")


class Dumper(yaml.SafeDumper):
    """A YAML writer that never writes anchors and keeps Markdown's line breaks as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    """Return `data` as YAML that factsite reads back to the same values."""
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)


@dataclass
class Doc:
    """claims.yaml and claims/*.yaml, loaded for one edit."""

    main: dict[str, Any]
    extra: dict[str, list[Claim]]

    def lists(self) -> list[list[Claim]]:
        """Every list of claims: claims.yaml's, then each claims/*.yaml's."""
        return [self.main["claims"], *self.extra.values()]

    def claims(self) -> list[Claim]:
        """Every claim, in file order."""
        return [c for claims in self.lists() for c in claims]

    def ids(self) -> set[str]:
        """Every claim id and alias (the names a claim page may take)."""
        return {name for c in self.claims() for name in [c["id"], *c.get("aliases", [])]}

    def verdict_ids(self) -> list[str]:
        """The ids of the rating scale in use."""
        return [v["id"] for v in self.main.get("verdicts", [])] or list(STYLES)

    def claimants(self) -> list[Any]:
        """Every claimant written in the claims (names or mappings)."""
        return [c["claimant"] for c in self.claims()]


class Workspace:
    """A project folder being edited, with a counter for fresh names."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.counter = 0

    def fresh(self, stem: str) -> str:
        """Return a name used nowhere yet: `stem-N`."""
        self.counter += 1
        return f"{stem}-{self.counter}"

    def read(self) -> Doc:
        """Load claims.yaml and claims/*.yaml."""
        extra_paths = sorted((self.root / "claims").glob("*.yaml"))
        return Doc(yaml.safe_load((self.root / "claims.yaml").read_text(encoding="utf-8")),
                   {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or [] for p in extra_paths})

    @contextlib.contextmanager
    def doc(self) -> Iterator[Doc]:
        """Load claims.yaml and claims/*.yaml, let the block change them, write them back."""
        doc = self.read()
        yield doc
        (self.root / "claims.yaml").write_text(dump(doc.main), encoding="utf-8")
        for name, claims in doc.extra.items():
            (self.root / "claims" / name).write_text(dump(claims), encoding="utf-8")

    def markdown_files(self) -> list[Path]:
        """The project's content pages."""
        return sorted((self.root / "content").glob("*.md"))

    def inputs(self) -> dict[str, bytes]:
        """Every input file by relative path, to see what an edit changed."""
        return {p.relative_to(self.root).as_posix(): p.read_bytes()
                for name in ("claims.yaml", "claims", "content", "templates", "static")
                for p in ([self.root / name] if (self.root / name).is_file() else sorted((self.root / name).rglob("*")))
                if p.is_file()}


def sentence(rng: Random, words: int = 6, odd: bool = True) -> str:
    """Return a short sentence of random words, now and then with a character that needs escaping."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if odd and rng.random() < 0.3:
        chosen[rng.randrange(words)] = rng.choice(ODD)
    return " ".join(chosen).capitalize() + "."


def markdown_fields(doc: Doc) -> Iterator[tuple[dict[str, Any], str]]:
    """Every Markdown value of claims.yaml and claims/*.yaml, as (mapping, key)."""
    for claim in doc.claims():
        yield claim, "explanation"
        for correction in claim.get("corrections", []):
            yield correction, "note"
    for event in doc.main.get("events", []):
        yield event, "text"
    for verdict in doc.main.get("verdicts", []):
        yield verdict, "description"


def unlink_claims(ws: Workspace, doc: Doc, names: set[str]) -> None:
    """Turn every Markdown link to the pages `names` into plain text, in claims and content pages."""

    def strip(text: str) -> str:
        return CLAIM_LINK.sub(lambda m: m.group(1) if m.group(2) in names else m.group(0), text)

    for mapping, key in markdown_fields(doc):
        mapping[key] = strip(str(mapping[key]))
    for page in ws.markdown_files():
        page.write_text(strip(page.read_text(encoding="utf-8")), encoding="utf-8")


def relink_claims(ws: Workspace, doc: Doc, old: str, new: str) -> None:
    """Point every Markdown link to claims/<old>/ at claims/<new>/, in claims and content pages."""

    def move(text: str) -> str:
        return text.replace(f"](claims/{old}/)", f"](claims/{new}/)")

    for mapping, key in markdown_fields(doc):
        mapping[key] = move(str(mapping[key]))
    for page in ws.markdown_files():
        page.write_text(move(page.read_text(encoding="utf-8")), encoding="utf-8")


# Claims' text fields and verdicts.

def edit_claim_text(ws: Workspace, rng: Random) -> str:
    """Rewrite a claim's `claim` (sometimes past 75 characters: a warning) or `summary`."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        key = rng.choice(["claim", "summary"])
        claim[key] = sentence(rng, rng.choice([5, 8, 16]) if key == "claim" else 9)
        return f"claim {claim['id']}: {key} = {claim[key]!r}"


def edit_explanation(ws: Workspace, rng: Random) -> str:
    """Append a paragraph to an explanation, add a link to another claim's page, or remove its links."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        text = str(claim["explanation"]).rstrip("\n")
        how = rng.choice(["paragraph", "link", "unlink", "heading"])
        if how == "link":
            other = rng.choice(doc.claims())["id"]
            text += f"\n\nCompare [{rng.choice(WORDS)}](claims/{other}/)."
            what = f"link to claims/{other}/"
        elif how == "unlink":
            text = CLAIM_LINK.sub(r"\1", text)
            what = "links to claims removed"
        elif how == "heading":
            text += f"\n\n## {sentence(rng, 3, odd=False)}\n\n{sentence(rng, 8)}"
            what = "section added"
        else:
            text += "\n\n" + sentence(rng, 10)
            what = "paragraph added"
        claim["explanation"] = text + "\n"
        return f"claim {claim['id']}: explanation, {what}"


def edit_verdict(ws: Workspace, rng: Random) -> str:
    """Give a claim another verdict of the scale (the editorial checks may warn)."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        claim["verdict"] = rng.choice(doc.verdict_ids())
        return f"claim {claim['id']}: verdict = {claim['verdict']}"


def edit_basis_or_correction(ws: Workspace, rng: Random) -> str:
    """Set or drop a claim's verdict_basis, or log a correction (the corrections page, the feed)."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        if rng.random() < 0.5:
            if "verdict_basis" in claim and rng.random() < 0.5:
                del claim["verdict_basis"]
                return f"claim {claim['id']}: verdict_basis removed"
            claim["verdict_basis"] = sentence(rng, 8)
            return f"claim {claim['id']}: verdict_basis = {claim['verdict_basis']!r}"
        day = dt.date(2024, 9, 21) + dt.timedelta(days=rng.randrange(60))
        claim.setdefault("corrections", []).append({"date": day, "note": sentence(rng, 7)})
        return f"claim {claim['id']}: correction dated {day} added"


# Adding, removing, reordering and renaming claims.

def new_claim(ws: Workspace, rng: Random, doc: Doc) -> Claim:
    """Return a valid new claim with a fresh id."""
    claim_id = ws.fresh(rng.choice(WORDS))
    claim: Claim = {
        "id": claim_id,
        "claim": sentence(rng, 6),
        "quote": f"\u201c{sentence(rng, 4, odd=False)}\u201d",
        "paragraph": rng.randint(1, 7),
        "claimant": rng.choice(doc.claimants()) if rng.random() < 0.7 else {"name": f"Office {claim_id}",
                                                                            "type": "Organization"},
        "verdict": rng.choice(doc.verdict_ids()),
        "summary": sentence(rng, 9),
        "explanation": sentence(rng, 12) + "\n",
        "sources": [{"title": sentence(rng, 4, odd=False), "publisher": "Riverside City Council",
                     "kind": "primary", "url": f"https://riverside.example.org/{claim_id}",
                     "published": "2024-08"}],
        "tags": sorted(set(rng.sample(["bridge", "figures", "dates", "safety", f"{claim_id}-tag"], 2))),
        "reviewed": dt.date(2024, 9, 20),
    }
    if rng.random() < 0.5:
        claim["checks"] = [{"kind": "percent", "label": "A share", "part": 3, "whole": 4, "stated": 75}]
    if rng.random() < 0.5:
        other = rng.choice(doc.claims())["id"]
        claim["explanation"] += f"\nSee [the other claim](claims/{other}/).\n"
    return claim


def add_claim(ws: Workspace, rng: Random) -> str:
    """Add a claim at a random place of claims.yaml or claims/*.yaml, sometimes on the timeline."""
    with ws.doc() as doc:
        claim = new_claim(ws, rng, doc)
        target = rng.choice(doc.lists())
        target.insert(rng.randint(0, len(target)), claim)
        events = doc.main.get("events", [])
        if events and rng.random() < 0.5:
            rng.choice(events).setdefault("claims", []).append(claim["id"])
        return f"claim {claim['id']} added ({claim['verdict']}, tags {claim['tags']})"


def remove_claim(ws: Workspace, rng: Random) -> str | None:
    """Remove a claim and every reference to it: links to its page and aliases, events, copies of its sources."""
    with ws.doc() as doc:
        if len(doc.claims()) <= 3:
            return None
        claim = rng.choice(doc.claims())
        for claims in doc.lists():
            if claim in claims:
                claims.remove(claim)
        names = {claim["id"], *claim.get("aliases", [])}
        unlink_claims(ws, doc, names)
        for event in doc.main.get("events", []):
            if claim["id"] in event.get("claims", []):
                event["claims"].remove(claim["id"])
        gone = {s["id"] for s in claim["sources"] if "id" in s}
        for other in doc.claims():
            for source in other["sources"]:
                if source.get("copy_of") in gone:
                    del source["copy_of"]
        return f"claim {claim['id']} removed"


def reorder_claims(ws: Workspace, rng: Random) -> str:
    """Shuffle claims.yaml's claims, move a claim to another file, or change a claim's paragraph."""
    with ws.doc() as doc:
        how = rng.choice(["shuffle", "move", "paragraph"])
        if how == "move" and doc.extra:
            source, target = rng.sample(doc.lists(), 2)
            if source:
                claim = source.pop(rng.randrange(len(source)))
                target.insert(rng.randint(0, len(target)), claim)
                return f"claim {claim['id']} moved to another claims file"
        if how == "paragraph":
            claim = rng.choice(doc.claims())
            claim["paragraph"] = rng.randint(1, 7)
            return f"claim {claim['id']}: paragraph = {claim['paragraph']}"
        rng.shuffle(doc.main["claims"])
        return "claims.yaml's claims shuffled: " + ", ".join(c["id"] for c in doc.main["claims"])


def rename_claim(ws: Workspace, rng: Random) -> str:
    """Give a claim a new id, pointing every link and event at it; sometimes keep the old id as an alias."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        old, new = claim["id"], ws.fresh("renamed")
        claim["id"] = new
        relink_claims(ws, doc, old, new)
        for event in doc.main.get("events", []):
            event["claims"] = [new if c == old else c for c in event.get("claims", [])]
        kept = rng.random() < 0.5
        if kept:
            claim["aliases"] = [*claim.get("aliases", []), old]
        return f"claim {old} renamed {new}" + (" (old id kept as an alias)" if kept else "")


# Tags, claimants, sources.

def edit_tags(ws: Workspace, rng: Random) -> str:
    """Add a tag (known or new) to a claim, or remove one."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        tags = list(claim.get("tags", []))
        if tags and rng.random() < 0.4:
            tag = tags.pop(rng.randrange(len(tags)))
            what = f"tag {tag} removed"
        else:
            known = sorted({t for c in doc.claims() for t in c.get("tags", [])} - set(tags))
            tag = rng.choice(known) if known and rng.random() < 0.6 else ws.fresh("topic")
            tags.insert(rng.randint(0, len(tags)), tag)
            what = f"tag {tag} added"
        claim["tags"] = tags
        if not tags:
            del claim["tags"]
        return f"claim {claim['id']}: {what}"


def edit_claimant(ws: Workspace, rng: Random) -> str:
    """Give a claim another claimant (known, a new organisation or a new person), or change attributed_to."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        how = rng.choice(["known", "organisation", "person", "attributed"])
        if how == "attributed":
            if "attributed_to" in claim:
                del claim["attributed_to"]
                return f"claim {claim['id']}: attributed_to removed"
            claim["attributed_to"] = {"name": f"Councillor {rng.choice(WORDS).title()}", "type": "Person"}
            return f"claim {claim['id']}: attributed_to = {claim['attributed_to']['name']}"
        if how == "person":
            claim["claimant"] = {"name": f"Pat {rng.choice(WORDS).title()}", "type": "Person",
                                 "title": sentence(rng, 3, odd=False).rstrip(".")}
        elif how == "organisation":
            claim["claimant"] = f"The {rng.choice(WORDS).title()} Office"
        else:
            claim["claimant"] = rng.choice(doc.claimants())
        shown = claim["claimant"]["name"] if isinstance(claim["claimant"], dict) else claim["claimant"]
        return f"claim {claim['id']}: claimant = {shown}"


def edit_sources(ws: Workspace, rng: Random) -> str | None:
    """Add a source to a claim, retitle one, or remove one that nothing refers to."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        sources = claim["sources"]
        how = rng.choice(["add", "retitle", "remove"])
        if how == "remove":
            used = {c.get("source") for c in claim.get("checks", [])}
            used |= {s.get("copy_of") for other in doc.claims() for s in other["sources"]}
            free = [s for s in sources if s.get("id") not in used or "id" not in s]
            if len(sources) < 2 or not free:
                return None
            sources.remove(rng.choice(free))
            return f"claim {claim['id']}: a source removed"
        if how == "retitle":
            source = rng.choice(sources)
            source["title"] = sentence(rng, 5)
            return f"claim {claim['id']}: a source retitled {source['title']!r}"
        source_id = ws.fresh("source")
        new = {"id": source_id, "title": sentence(rng, 5), "publisher": f"{rng.choice(WORDS).title()} Gazette",
               "kind": rng.choice(["primary", "secondary"]), "url": f"https://gazette.example.com/{source_id}",
               "published": rng.choice([2023, "2024-05", dt.date(2024, 9, 1)])}
        sources.insert(rng.randint(0, len(sources)), new)
        return f"claim {claim['id']}: source {source_id} added"


# Templates, static files, content pages.

def edit_template(ws: Workspace, rng: Random) -> str:
    """Override a theme template with a visible change, change an override, or remove one."""
    folder = ws.root / "templates"
    overrides = sorted(folder.glob("*.html")) if folder.is_dir() else []
    if overrides and rng.random() < 0.4:
        victim = rng.choice(overrides)
        victim.unlink()
        return f"template override {victim.name} removed"
    name = rng.choice(TEMPLATES)
    text = (THEME_DIR / "templates" / name).read_text(encoding="utf-8")
    mark = f"edited {ws.fresh('mark')}"
    if name == "_macros.html":
        text = text.replace('<p class="claim-card__summary">', f'<p class="claim-card__summary">{mark}: ')
    elif "</main>" in text:
        text = text.replace("</main>", f"<p>{mark}</p>\n</main>", 1)
    elif "{% block main %}" in text:
        text = text.replace("{% block main %}", f"{{% block main %}}<p>{mark}</p>", 1)
    else:
        text = text.replace("{% block appendix %}", f"{{% block appendix %}}<p>{mark}</p>", 1)
    assert mark in text, f"no place for a visible change in {name}"
    folder.mkdir(exist_ok=True)
    existed = (folder / name).exists()
    (folder / name).write_text(text, encoding="utf-8")
    return f"template {name} {'changed' if existed else 'overridden'} ({mark})"


def referenced(ws: Workspace, name: str) -> bool:
    """Return whether claims.yaml, claims/ or content/ mention static/<name> (or the logo's name)."""
    files = [ws.root / "claims.yaml", *sorted((ws.root / "claims").glob("*.yaml")), *ws.markdown_files()]
    return any(name in f.read_text(encoding="utf-8") for f in files)


def edit_static(ws: Workspace, rng: Random) -> str | None:
    """Add, change or remove a static file: a plain file, an image shown in an explanation, the stylesheet
    override (whose verdict colours the share images use) or the publisher's logo."""
    folder = ws.root / "static"
    folder.mkdir(exist_ok=True)
    how = rng.choice(["file", "image", "css", "logo", "remove"])
    if how == "file":
        path = rng.choice([folder / "notes.txt", folder / "data" / "extra.json"])
        path.parent.mkdir(exist_ok=True)
        existed = path.exists()
        path.write_text(f'{{"note": "{sentence(rng, 4, odd=False)}"}}\n', encoding="utf-8")
        return f"static/{path.relative_to(folder).as_posix()} {'changed' if existed else 'added'}"
    if how == "image":
        name = f"{ws.fresh('figure')}.svg"
        colour = f"#{rng.randrange(0x1000000):06x}"
        (folder / name).write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
                                   f'<rect width="8" height="8" fill="{colour}"/></svg>\n', encoding="utf-8")
        with ws.doc() as doc:
            claim = rng.choice(doc.claims())
            claim["explanation"] = f"{str(claim['explanation']).rstrip()}\n\n![A {colour} square](static/{name})\n"
        return f"static/{name} added and shown in claim {claim['id']}'s explanation"
    if how == "css":
        path = folder / "site.css"
        text = path.read_text(encoding="utf-8") if path.exists() else \
            (THEME_DIR / "static" / "site.css").read_text(encoding="utf-8")
        if path.exists() and rng.random() < 0.3:
            path.unlink()
            return "static/site.css override removed"
        style = rng.choice(STYLES)
        colour = f"#{rng.randrange(0x400000):06x}"  # dark enough for white text
        text = re.sub(rf"(\n  --{style}: )#[0-9a-f]{{6}};", rf"\g<1>{colour};", text, count=1)
        path.write_text(text, encoding="utf-8")
        return f"static/site.css: --{style} = {colour}"
    if how == "logo":
        logo = folder / "desk.svg"
        if not logo.exists():
            return None
        colour = f"#{rng.randrange(0x1000000):06x}"
        logo.write_text(re.sub(r'fill="#[0-9a-f]{6}"', f'fill="{colour}"', logo.read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")
        return f"static/desk.svg (the logo) recoloured {colour}"
    removable = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "desk.svg"
                 and not referenced(ws, f"static/{p.relative_to(folder).as_posix()}")]
    if not removable:
        return None
    victim = rng.choice(removable)
    victim.unlink()
    return f"static/{victim.relative_to(folder).as_posix()} removed"


def page_text(ws: Workspace, rng: Random, title: str, template: str = "page") -> str:
    """Return a content page: front matter, then Markdown using site values and a link to a claim."""
    other = rng.choice(ws.read().claims())["id"]
    lines = ["---", f"title: {title}", f"description: {sentence(rng, 6, odd=False)}",
             f"order: {rng.randint(1, 9)}", f"template: {template}", "---",
             f"## {sentence(rng, 3, odd=False)}", "", sentence(rng, 10)]
    if rng.random() < 0.5:
        lines += ["", "Published by {{ site.publisher.name }} for {{ site.title }}, on {{ article.title }}."]
    if rng.random() < 0.5:
        lines += ["", f"Read [a claim](claims/{other}/)."]
    return "\n".join(lines) + "\n"


def edit_content(ws: Workspace, rng: Random) -> str:
    """Add a content page, rewrite one (the theme's page names included), or remove one."""
    folder = ws.root / "content"
    folder.mkdir(exist_ok=True)
    pages = ws.markdown_files()
    how = rng.choice(["add", "edit", "remove"])
    if how == "remove" and pages:
        victim = rng.choice(pages)
        victim.unlink()
        return f"content/{victim.name} removed"
    if how == "edit" and pages:
        page = rng.choice(pages)
        template = {"methodology": "methodology", "corrections": "corrections"}.get(page.stem, "page")
        page.write_text(page_text(ws, rng, sentence(rng, 3, odd=False).rstrip("."), template), encoding="utf-8")
        return f"content/{page.name} rewritten"
    name = rng.choice(["about", "methodology", "corrections", ws.fresh("page")])
    template = {"methodology": "methodology", "corrections": "corrections"}.get(name, "page")
    (folder / f"{name}.md").write_text(page_text(ws, rng, sentence(rng, 2, odd=False).rstrip("."), template),
                                       encoding="utf-8")
    return f"content/{name}.md written"


# The rating scale, the site's settings, the timeline.

def edit_verdicts(ws: Workspace, rng: Random) -> str:
    """Write the scale out, relabel or redescribe a verdict, add one off the scale, or drop an unused one."""
    with ws.doc() as doc:
        scale = doc.main.get("verdicts")
        if scale is None:
            doc.main["verdicts"] = [{k: v for k, v in (("id", d.id), ("label", d.label), ("rating", d.rating),
                                                       ("description", d.description), ("style", d.style))
                                     if v is not None} for d in DEFAULT_VERDICTS]
            keys = list(doc.main)
            doc.main = {k: doc.main[k] for k in [*keys[:2], "verdicts", *keys[2:-1]]}
            return "verdicts: the default scale written out"
        used = {c["verdict"] for c in doc.claims()}
        how = rng.choice(["label", "description", "add", "remove"])
        if how == "remove":
            unused = [v for v in scale if v["id"] not in used]
            if unused and len(scale) > 1:
                scale.remove(rng.choice(unused))
                return "verdicts: an unused verdict removed"
            how = "add"
        if how == "add":
            verdict_id = ws.fresh("verdict")
            scale.insert(rng.randint(0, len(scale)), {"id": verdict_id, "label": sentence(rng, 2, odd=False),
                                                      "description": sentence(rng, 8), "style": rng.choice(STYLES)})
            if rng.random() < 0.7:
                claim = rng.choice(doc.claims())
                claim["verdict"] = verdict_id
                return f"verdicts: {verdict_id} added, claim {claim['id']} rated {verdict_id}"
            return f"verdicts: {verdict_id} added"
        verdict = rng.choice(scale)
        if how == "label":
            verdict["label"] = sentence(rng, 2).rstrip(".")
        else:
            verdict["description"] = sentence(rng, 9)
        return f"verdicts: {verdict['id']} {how} = {verdict[how]!r}"


def edit_site(ws: Workspace, rng: Random) -> str:
    """Change the site's title, description, base_url or publisher, or the article's title."""
    with ws.doc() as doc:
        site = doc.main["site"]
        how = rng.choice(["title", "description", "base_url", "publisher", "article"])
        if how == "base_url":
            site["base_url"] = rng.choice(["https://checks.riverside.example.org/", "https://example.net/sub/path/",
                                           f"https://{ws.fresh('host')}.example.com/"])
            return f"site.base_url = {site['base_url']}"
        if how == "publisher":
            site["publisher"]["name"] = f"{rng.choice(WORDS).title()} desk"
            return f"site.publisher.name = {site['publisher']['name']}"
        if how == "article":
            doc.main["article"]["title"] = sentence(rng, 5).rstrip(".")
            return f"article.title = {doc.main['article']['title']!r}"
        site[how] = sentence(rng, 4).rstrip(".") if how == "title" else sentence(rng, 10)
        return f"site.{how} = {site[how]!r}"


def edit_events(ws: Workspace, rng: Random) -> str:
    """Add an event, remove one (keeping at least one: the about page links to the timeline), or edit one."""
    with ws.doc() as doc:
        events = doc.main.setdefault("events", [])
        how = rng.choice(["add", "remove", "edit", "claims"])
        if how == "remove" and len(events) > 1:
            events.pop(rng.randrange(len(events)))
            return "an event removed"
        if how == "add" or not events:
            ids = [c["id"] for c in doc.claims()]
            event = {"date": rng.choice([dt.date(2023, rng.randint(1, 12), rng.randint(1, 28)), "2021-06", 2020]),
                     "title": sentence(rng, 3, odd=False).rstrip("."), "text": sentence(rng, 8),
                     "claims": rng.sample(ids, rng.randint(0, 2))}
            events.insert(rng.randint(0, len(events)), event)
            return f"event {event['title']!r} added on {event['date']}"
        event = rng.choice(events)
        if how == "claims":
            ids = [c["id"] for c in doc.claims()]
            event["claims"] = rng.sample(ids, rng.randint(0, min(3, len(ids))))
            return f"event {event['title']!r}: claims = {event['claims']}"
        key = rng.choice(["title", "text", "date"])
        event[key] = {"title": sentence(rng, 3, odd=False).rstrip("."), "text": sentence(rng, 9),
                      "date": dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))}[key]
        return f"event: {key} = {event[key]!r}"


# Edits that break the build (exit code 1). The caller undoes them before going on.

def break_verdict(ws: Workspace, rng: Random) -> str:
    """Rate a claim with a verdict that does not exist."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        claim["verdict"] = "acurate"
        return f"BREAK claim {claim['id']}: unknown verdict 'acurate'"


def break_link(ws: Workspace, rng: Random) -> str:
    """Link an explanation to a claim page that does not exist."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        claim["explanation"] = f"{str(claim['explanation']).rstrip()}\n\nSee [gone](claims/no-such-claim/).\n"
        return f"BREAK claim {claim['id']}: link to claims/no-such-claim/"


def break_yaml(ws: Workspace, rng: Random) -> str:
    """Leave a flow sequence unclosed in claims.yaml."""
    path = ws.root / "claims.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbroken: [unclosed\n", encoding="utf-8")
    return "BREAK claims.yaml: unclosed ["


def break_template(ws: Workspace, rng: Random) -> str:
    """Override a template with a syntax error or an undefined name."""
    name = rng.choice(["claim.html", "tag.html", "_macros.html", "base.html"])
    text = (THEME_DIR / "templates" / name).read_text(encoding="utf-8")
    bad = rng.choice(["{% if %}", "{{ no_such_value.field }}"])
    (ws.root / "templates").mkdir(exist_ok=True)
    (ws.root / "templates" / name).write_text(text.replace("</a>", f"</a>{bad}", 1), encoding="utf-8")
    return f"BREAK templates/{name}: {bad}"


def break_content(ws: Workspace, rng: Random) -> str:
    """Use an unknown site value in a content page."""
    path = ws.root / "content" / "about.md"
    path.parent.mkdir(exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else page_text(ws, rng, "About")
    path.write_text(text + "\nWritten by {{ site.editor }}.\n", encoding="utf-8")
    return "BREAK content/about.md: unknown {{ site.editor }}"


def break_check(ws: Workspace, rng: Random) -> str:
    """Add a sum that does not hold."""
    with ws.doc() as doc:
        claim = rng.choice(doc.claims())
        claim.setdefault("checks", []).append({"kind": "sum", "parts": [{"label": "One", "value": 1},
                                                                        {"label": "Two", "value": 2}], "stated": 4})
        return f"BREAK claim {claim['id']}: a sum that does not hold"


def break_duplicate(ws: Workspace, rng: Random) -> str:
    """Give two claims the same id."""
    with ws.doc() as doc:
        first, second = rng.sample(doc.claims(), 2)
        second["id"] = first["id"]
        return f"BREAK two claims with id {first['id']}"


def break_logo(ws: Workspace, rng: Random) -> str | None:
    """Remove the publisher's logo that claims.yaml names."""
    logo = ws.root / "static" / "desk.svg"
    if not logo.exists():
        return None
    logo.unlink()
    return "BREAK static/desk.svg (site.publisher.logo) removed"


EditFunction = Callable[[Workspace, Random], "str | None"]

VALID_EDITS: tuple[EditFunction, ...] = (
    edit_claim_text, edit_explanation, edit_verdict, edit_basis_or_correction, add_claim, remove_claim,
    reorder_claims, rename_claim, edit_tags, edit_claimant, edit_sources, edit_template, edit_static,
    edit_content, edit_verdicts, edit_site, edit_events,
)
BREAKING_EDITS: tuple[EditFunction, ...] = (
    break_verdict, break_link, break_yaml, break_template, break_content, break_check, break_duplicate,
    break_logo,
)


def snapshot(root: Path) -> dict[str, bytes]:
    """Return the project's input files, to restore them after a breaking edit."""
    return Workspace(root).inputs()


def restore(root: Path, files: dict[str, bytes]) -> None:
    """Put the project's inputs back exactly as `files` (removing any file added since)."""
    for name in ("claims", "content", "templates", "static"):
        shutil.rmtree(root / name, ignore_errors=True)
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
