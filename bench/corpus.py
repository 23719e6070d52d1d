"""A realistic, seeded benchmark corpus, written as a factsite project and as the same site for Hugo.

    .venv/bin/python bench/corpus.py OUT --claims 1000 [--seed 15] [--layout single|split|per-claim]

Each claim has what a real fact-check has, at realistic sizes: a claim under 75 characters, a
25-word quote, a one-sentence summary, a Markdown explanation of about 150 words with a link and a
list, 3 sources from 3 different publishers, 2 checks whose stated figures are computed so that
they hold, 2 of 20 tags and one of 200 claimants (people and organisations); the corpus has one
timeline event per 20 claims. Claims that are rated needs-context, misleading or inaccurate carry a
`verdict_basis`, so `check` finds nothing to warn of.

The text of claim i depends only on the seed and i: the corpus of 100 claims is the first 100 of
the corpus of 1,000, and two runs write the same bytes.

Writes OUT/factsite/ (claims.yaml, or claims.yaml plus claims/*.yaml: `--layout split` puts 100
claims in each file, `per-claim` one claim in each) and OUT/hugo/ (hugo.toml, content/claims/<id>.md
with the same text in front matter and body, and a minimal theme in layouts/: a page per claim with
quote, explanation and sources; the home page and the claims section listing every claim; taxonomy
and term pages for tags, verdicts and claimants).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

SEED = 15
CLAIMANTS = 200
TAGS = 20
CLAIMS_PER_EVENT = 20
CHUNK = 100
"""Claims per file in the `split` layout."""
LAYOUTS = ("single", "split", "per-claim")

PUBLISHED = date(2024, 3, 4)
"""The checked article's publication date; every review follows it by up to 120 days."""
OUTLET = "The Riverside Ledger"

VERDICTS = (  # (id, weight): most checked claims are neither wholly right nor wholly wrong
    ("accurate", 20), ("mostly-accurate", 20), ("needs-context", 20), ("misleading", 15),
    ("inaccurate", 15), ("unverifiable", 5), ("opinion", 5))
DOUBTFUL = {"needs-context", "misleading", "inaccurate"}
"""Verdicts that, with every check holding, need a `verdict_basis` to pass the editorial checks."""

WORDS = """
the council budget city county state agency report data figures year month week percent share rise
fall record level since before after during under over about more than less fewer most least
spending revenue tax rate rates housing homes rent prices wages jobs workers unemployment schools
pupils teachers hospital patients waiting list beds nurses doctors police crime arrests courts
cases prison transport buses trains roads bridge traffic cycling parking emissions energy power
water river flood rainfall heat summer winter audit office minister mayor officials spokesperson
said says told announced claimed promised reported estimated counted published released showed
found compared measured increased decreased doubled halved grew fell rose dropped remained stayed
new old first last second third largest smallest highest lowest average median total annual
monthly weekly daily public private local national regional federal official independent survey
census review inquiry committee board plan programme scheme grant fund funding contract loan debt
deficit surplus million billion thousand hundred dozen residents families children adults older
younger voters election campaign policy law rule vote votes seats district ward neighbourhood
centre north south east west harbour market industry business firms shops farms food prices
electricity gas fuel petrol diesel homes permits planning construction rebuilt opened closed
delayed cancelled approved rejected proposed expected forecast projected target goal promise
""".split()  # noqa: SIM905

FIRST_NAMES = """Ada Amara Ben Carmen Dana Elif Farid Grace Hana Ivan Jonas Kemi Lena Marco Nadia Omar
Priya Rosa Samir Tomas Una Viktor Wen Yara Zoe""".split()  # noqa: SIM905
LAST_NAMES = """Adeyemi Brandt Castillo Dufresne Eriksen Fischer Gallo Haddad Ibarra Jansen Kowalski
Lindqvist Moreau Novak Okafor Petrov Quinn Rossi Sato Tanaka""".split()  # noqa: SIM905
ROLES = ("mayor", "council member", "state senator", "county executive", "campaign spokesperson",
         "chief economist", "police chief", "school board chair", "union leader", "party chair")
BODIES = ("Ministry", "Department", "Institute", "Council", "Association", "Agency", "Foundation", "Union")
SUBJECTS = ("Housing", "Transport", "Health", "Education", "Energy", "Finance", "Labour", "Water",
            "Planning", "Justice")
PUBLISHERS = tuple(f"{a} {b}" for a in ("Riverside", "Harbour", "Northfield", "Westbrook", "Eastgate")
                   for b in ("Statistics Office", "Times", "Budget Office", "Gazette", "Research Centre",
                         "Transport Authority", "Health Trust", "Audit Office"))
TAG_NAMES = ("budget", "housing", "transport", "health", "education", "crime", "energy", "climate",
             "jobs", "taxes", "elections", "water", "planning", "wages", "prices", "schools",
             "policing", "courts", "debt", "census")
CONVERSIONS = (("kg", "lb", Decimal(1) / Decimal("0.45359237")), ("mi", "km", Decimal("1.609344")),
               ("km", "mi", Decimal(1) / Decimal("1.609344")), ("ha", "acre", Decimal(10000) / Decimal("4046.8564224")),
               ("t", "kg", Decimal(1000)), ("gal", "l", Decimal("3.785411784")))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Claimant:
    name: str
    type: str
    title: str
    slug: str

    @property
    def url(self) -> str:
        return f"https://people.example.org/{self.slug}"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    kind: str
    url: str
    published: date


@dataclass(frozen=True)
class Claim:
    id: str
    paragraph: int
    claim: str
    quote: str
    claimant: Claimant
    verdict: str
    summary: str
    verdict_basis: str
    explanation: str
    checks: tuple[dict[str, object], ...]
    sources: tuple[Source, ...]
    tags: tuple[str, ...]
    reviewed: date


@dataclass(frozen=True)
class Event:
    date: date
    title: str
    text: str
    claims: tuple[str, ...]


# --- text ------------------------------------------------------------------------------------------

def _words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(count)]


def _sentence(rng: random.Random, count: int) -> str:
    words = _words(rng, count)
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences, left = [], words
    while left > 0:
        size = min(left, rng.randint(10, 18))
        sentences.append(_sentence(rng, size))
        left -= size
    return " ".join(sentences)


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


# --- the corpus ------------------------------------------------------------------------------------

def claimants() -> list[Claimant]:
    """The 200 claimants: four people to one organisation."""
    people = []
    for n in range(CLAIMANTS):
        if n % 5 == 4:
            name = f"{SUBJECTS[n % len(SUBJECTS)]} {BODIES[(n // 5) % len(BODIES)]} of Region {n // 5 + 1}"
            people.append(Claimant(name, "Organization", "", f"org-{n + 1:03d}"))
        else:
            first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n // len(FIRST_NAMES) + n) % len(LAST_NAMES)]
            name = f"{first} {last} {n + 1}" if n >= len(FIRST_NAMES) * len(LAST_NAMES) else f"{first} {last}"
            people.append(Claimant(name, "Person", ROLES[n % len(ROLES)].capitalize(), f"person-{n + 1:03d}"))
    return people


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def _safe_round(value: Decimal, places: int) -> Decimal | None:
    """Round `value`, or None when it lies too near a rounding boundary to be a fair test."""
    step = Decimal(1).scaleb(-places)
    offset = (value / step) % 1
    return None if abs(offset - Decimal("0.5")) < Decimal("0.01") else _round(value, places)


def _check(rng: random.Random, kind: str, sources: tuple[Source, ...]) -> dict[str, object]:
    """One check of `kind` whose stated figure is computed from its inputs, so it holds."""
    while True:
        if kind == "convert":
            src, dst, factor = rng.choice(CONVERSIONS)
            value = _round(Decimal(rng.randint(10, 99999)) / 10, 1)
            stated = _safe_round(value * factor, 1)
            if stated is not None:
                return {"kind": kind, "label": f"The stated figure in {dst}", "value": value, "from": src,
                        "to": dst, "stated": stated}
        elif kind in ("percent", "ratio"):
            whole = rng.randint(200, 900000)
            part = rng.randint(1, whole - 1)
            scale, places = (100, 1) if kind == "percent" else (1, 3)
            stated = _safe_round(Decimal(part) * scale / whole, places)
            if stated is not None:
                return {"kind": kind, "label": "The share as stated", "part": part, "whole": whole, "stated": stated}
        elif kind == "sum":
            parts = [rng.randint(100, 250000) for _ in range(3)]
            return {"kind": kind, "label": "The total of the parts", "parts": [
                {"label": label, "value": v} for label, v in zip(("North", "Centre", "South"), parts, strict=True)],
                "stated": sum(parts)}
        elif kind == "date_span":
            start = date(2010, 1, 1) + timedelta(days=rng.randint(0, 4000))
            end = start + timedelta(days=rng.randint(30, 2000))
            return {"kind": kind, "label": "The days between the two dates", "from": start, "to": end,
                    "unit": "days", "stated": (end - start).days}
        elif kind == "weekday":
            day = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000))
            return {"kind": kind, "label": "The day of the week", "date": day, "stated": WEEKDAYS[day.weekday()]}
        elif kind == "compare":
            value = rng.randint(1000, 999999)
            return {"kind": kind, "label": "The figure against the source's", "stated": value,
                    "reference": value, "source": rng.choice(sources).id, "relation": "equal"}


def make_claim(seed: int, index: int, people: list[Claimant]) -> Claim:
    """Claim number `index` (from 0), its text fixed by the seed and the index alone."""
    rng = random.Random(f"{seed}:{index}")
    cid = f"claim-{index + 1:05d}"
    verdict = rng.choices([v for v, _ in VERDICTS], [w for _, w in VERDICTS])[0]
    claim = _sentence(rng, 12)
    while len(claim) > 75:
        claim = claim.rsplit(" ", 1)[0].rstrip(".") + "."
    publishers = rng.sample(PUBLISHERS, 3)
    sources = tuple(Source(
        id=f"{cid}-s{k + 1}", title=_sentence(rng, 8)[:-1], publisher=publisher,
        kind="primary" if k == 0 else "secondary",
        url=f"https://{publisher.lower().replace(' ', '-')}.example.org/{rng.randint(2019, 2024)}/{cid}-{k + 1}",
        published=PUBLISHED - timedelta(days=rng.randint(1, 900)),
    ) for k, publisher in enumerate(publishers))
    kinds = rng.sample(("convert", "percent", "ratio", "sum", "date_span", "weekday", "compare"), 2)
    link = sources[0]
    items = [_sentence(rng, rng.randint(6, 9)) for _ in range(3)]
    explanation = "\n".join([
        *_wrap(_paragraph(rng, 40) + f" The [{link.publisher} figures]({link.url}) show"
               " it, and the other sources agree."),
        "",
        *(f"- {item}" for item in items),
        "",
        *_wrap(_paragraph(rng, 45)),
        "",
        *_wrap(_paragraph(rng, 25)),
    ])
    return Claim(
        id=cid, paragraph=index + 1, claim=claim, quote=" ".join(_words(rng, 25)),
        claimant=people[rng.randrange(len(people))], verdict=verdict, summary=_sentence(rng, 24),
        verdict_basis=_sentence(rng, 20) if verdict in DOUBTFUL else "",
        explanation=explanation, checks=tuple(_check(rng, kind, sources) for kind in kinds), sources=sources,
        tags=tuple(rng.sample(TAG_NAMES, 2)), reviewed=PUBLISHED + timedelta(days=rng.randint(0, 120)))


def make_corpus(claims: int, seed: int = SEED) -> tuple[list[Claim], list[Event]]:
    """The corpus of `claims` claims and its timeline (one event per 20 claims)."""
    people = claimants()
    made = [make_claim(seed, n, people) for n in range(claims)]
    events = []
    for n in range(max(1, claims // CLAIMS_PER_EVENT)):
        rng = random.Random(f"{seed}:event:{n}")
        block = made[n * CLAIMS_PER_EVENT:(n + 1) * CLAIMS_PER_EVENT] or made
        events.append(Event(PUBLISHED - timedelta(days=rng.randint(1, 1500)), _sentence(rng, 6)[:-1],
                            _paragraph(rng, 30), tuple(c.id for c in rng.sample(block, min(2, len(block))))))
    return made, events


# --- factsite --------------------------------------------------------------------------------------

def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return _q(value)
    return str(value)  # numbers (int, Decimal) and dates are written plain


def _block(key: str, text: str, indent: str) -> list[str]:
    return [f"{indent}{key}: |", *(f"{indent}  {line}" if line else "" for line in text.split("\n"))]


def claim_yaml(claim: Claim) -> str:
    """One claim as an item of a YAML list, two spaces in (as under `claims:`)."""
    c = claim.claimant
    person = f"{{name: {_q(c.name)}, type: {c.type}, url: {_q(c.url)}, slug: {c.slug}"
    person += f", title: {_q(c.title)}}}" if c.title else "}"
    lines = [
        f"  - id: {claim.id}",
        f"    claim: {_q(claim.claim)}",
        f"    quote: {_q(claim.quote)}",
        f"    paragraph: {claim.paragraph}",
        f"    claimant: {person}",
        f"    verdict: {claim.verdict}",
        f"    summary: {_q(claim.summary)}",
    ]
    if claim.verdict_basis:
        lines.append(f"    verdict_basis: {_q(claim.verdict_basis)}")
    lines += _block("explanation", claim.explanation, "    ")
    lines.append("    checks:")
    for check in claim.checks:
        first = True
        for key, value in check.items():
            lead = "      - " if first else "        "
            first = False
            if key == "parts":
                lines.append(f"{lead}parts:")
                lines += [f"          - {{label: {_q(p['label'])}, value: {p['value']}}}" for p in value]  # type: ignore[attr-defined]
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    lines.append("    sources:")
    for s in claim.sources:
        lines += [f"      - id: {s.id}", f"        title: {_q(s.title)}", f"        publisher: {_q(s.publisher)}",
                  f"        kind: {s.kind}", f"        url: {_q(s.url)}", f"        published: {s.published}"]
    lines += [f"    tags: [{', '.join(claim.tags)}]", f"    reviewed: {claim.reviewed}"]
    return "\n".join(lines) + "\n"


def _dedent(item: str) -> str:
    """A claim item at the left margin, for a claims/*.yaml file (a bare list)."""
    return "\n".join(line[2:] for line in item.split("\n"))


HEAD = f"""\
site:
  title: Benchmark fact-check
  description: A generated fact-check of a long article, for measuring build times.
  base_url: https://factcheck.example.org/
  language: en
  publisher:
    name: Benchmark desk
    url: https://factcheck.example.org/
    contact: desk@factcheck.example.org

article:
  title: The city's budget, housing and transport in figures
  outlet: {OUTLET}
  url: https://ledger.example.org/2024/03/04/city-in-figures
  published: {PUBLISHED}
  authors: [Mara Lindqvist, Tomas Okafor]
"""


def write_factsite(folder: Path, claims: list[Claim], events: list[Event], layout: str = "single") -> Path:
    """Write the corpus as a factsite project in `folder` (made anew); return the folder."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    items = [claim_yaml(c) for c in claims]
    event_lines = ["events:"]
    for e in events:
        event_lines += [f"  - date: {e.date}", f"    title: {_q(e.title)}", f"    text: {_q(e.text)}",
                        f"    claims: [{', '.join(e.claims)}]"]
    if layout == "single":
        body = "claims:\n" + "".join(items)
    else:
        body = "claims: []\n"
        per = CHUNK if layout == "split" else 1
        (folder / "claims").mkdir()
        for start in range(0, len(items), per):
            name = f"{start // per + 1:05d}.yaml" if per > 1 else f"{claims[start].id}.yaml"
            (folder / "claims" / name).write_text("".join(_dedent(i) for i in items[start:start + per]),
                                                  encoding="utf-8")
    (folder / "claims.yaml").write_text(HEAD + "\n" + body + "\n" + "\n".join(event_lines) + "\n",
                                        encoding="utf-8")
    return folder


# --- Hugo ------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://factcheck.example.org/"
languageCode = "en"
title = "Benchmark fact-check"
disableHugoGeneratorInject = true
enableRobotsTXT = true

[taxonomies]
  tag = "tags"
  verdict = "verdict"
  claimant = "claimant"

[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="{{ site.Language.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
<link rel="stylesheet" href="{{ "site.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/verdict/" | relURL }}">Verdicts</a> <a href="{{ "/tags/" | relURL }}">Tags</a>
<a href="{{ "/claimant/" | relURL }}">Claimants</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
""",
    "_partials/card.html": """\
<li class="card card--{{ .Params.verdict }}">
<a href="{{ .RelPermalink }}">{{ .Title }}</a>
<span class="badge">{{ .Params.verdict }}</span>
<span class="claimant">{{ .Params.claimant }}</span>
<p>{{ .Params.summary }}</p>
</li>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $claims := where site.RegularPages "Section" "claims" }}
<p>{{ len $claims }} claims checked.</p>
<ul class="verdicts">{{ range site.Taxonomies.verdict.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
<ol class="cards">{{ range $claims.ByParam "paragraph" }}{{ partial "card.html" . }}{{ end }}</ol>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol class="cards">{{ range .Pages.ByParam "paragraph" }}{{ partial "card.html" . }}{{ end }}</ol>
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
{{/* The claim page: quote, verdict, explanation and sources. */}}
<article class="claim">
<nav><a href="{{ "/" | relURL }}">Claims</a> &rsaquo;
{{ range .GetTerms "verdict" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</nav>
<h1>{{ .Title }}</h1>
<figure><blockquote><p>{{ .Params.quote }}</p></blockquote>
<figcaption>{{ range .GetTerms "claimant" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</figcaption>
</figure>
<p class="verdict">Verdict: <strong>{{ .Params.verdict }}</strong></p>
<p class="summary">{{ .Params.summary }}</p>
{{ with .Params.verdict_basis }}<p class="basis">{{ . }}</p>{{ end }}
<div class="explanation">{{ .Content }}</div>
<h2>Sources</h2>
<ol class="sources">{{ range .Params.sources }}
<li><a href="{{ .url }}">{{ .title }}</a>, {{ .publisher }} ({{ .kind }}, {{ .published }})</li>{{ end }}
</ol>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<p>Reviewed {{ .Date.Format "2 January 2006" }}</p>
</article>
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol class="cards">{{ range .Pages.ByParam "paragraph" }}{{ partial "card.html" . }}{{ end }}</ol>
{{ end }}
""",
}


def hugo_page(claim: Claim) -> str:
    """A claim as content/claims/<id>.md: YAML front matter, the explanation as the body."""
    lines = [
        "---",
        f"title: {_q(claim.claim)}",
        f"date: {claim.reviewed}",
        f"paragraph: {claim.paragraph}",
        f"claimant: {_q(claim.claimant.name)}",
        f"verdict: {claim.verdict}",
        f"tags: [{', '.join(claim.tags)}]",
        f"quote: {_q(claim.quote)}",
        f"summary: {_q(claim.summary)}",
    ]
    if claim.verdict_basis:
        lines.append(f"verdict_basis: {_q(claim.verdict_basis)}")
    lines.append("sources:")
    for s in claim.sources:
        lines += [f"  - title: {_q(s.title)}", f"    publisher: {_q(s.publisher)}", f"    kind: {s.kind}",
                  f"    url: {_q(s.url)}", f"    published: {s.published}"]
    lines += ["---", "", claim.explanation, ""]
    return "\n".join(lines)


def write_hugo(folder: Path, claims: list[Claim], stylesheet: Path | None = None) -> Path:
    """Write the corpus as a Hugo site in `folder` (made anew); return the folder."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content" / "claims").mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folder / "content" / "_index.md").write_text("---\ntitle: Benchmark fact-check\n---\n", encoding="utf-8")
    (folder / "content" / "claims" / "_index.md").write_text("---\ntitle: Claims\n---\n", encoding="utf-8")
    for claim in claims:
        (folder / "content" / "claims" / f"{claim.id}.md").write_text(hugo_page(claim), encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = folder / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "static").mkdir()
    if stylesheet is not None:  # the same stylesheet as factsite's, so both sites copy the same bytes
        shutil.copyfile(stylesheet, folder / "static" / "site.css")
    return folder


def write_corpus(out: Path, claims: int, seed: int = SEED, layout: str = "single") -> tuple[Path, Path]:
    """Write OUT/factsite and OUT/hugo for `claims` claims; return both folders."""
    made, events = make_corpus(claims, seed)
    theme_css = Path(__file__).resolve().parents[1] / "factsite" / "theme" / "static" / "site.css"
    return (write_factsite(out / "factsite", made, events, layout),
            write_hugo(out / "hugo", made, theme_css if theme_css.is_file() else None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write factsite/ and hugo/ into")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--layout", choices=LAYOUTS, default="single",
                        help="claims.yaml alone, or claims/*.yaml of 100 claims, or one file per claim")
    args = parser.parse_args()
    factsite, hugo = write_corpus(args.out, args.claims, args.seed, args.layout)
    print(f"wrote {args.claims} claims to {factsite} and {hugo}")


if __name__ == "__main__":
    main()
