"""The data model of claims.yaml: frozen records, each knowing where in the file it was written.

Each field's metadata (see `fields.spec`) gives its type and meaning; validation and the
JSON Schema are both derived from these classes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..checks.kinds import EXPECTATIONS, KINDS, params_problem
from ..core.errors import Location, Problems, did_you_mean
from ..core.fields import (
    INVALID,
    LINE,
    PARAGRAPHS,
    Boolean,
    Choice,
    Date,
    FieldType,
    Integer,
    ListOf,
    Located,
    Record,
    Text,
    Url,
    is_null,
    slug_text,
    spec,
)
from ..core.nodes import Map, Node, Scalar


@dataclass(frozen=True, kw_only=True)
class Publisher(Located):
    """The organisation publishing the fact-checks (ClaimReview author)."""

    name: str = spec(LINE, "the publisher's name")
    url: str = spec(Url(), "the publisher's home page")
    logo: str | None = spec(Text(pattern=r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*",
                                 pattern_hint="Write a path inside static/, e.g. logo.svg or images/logo.png."),
                            "path of a logo inside static/", required=False)
    contact: str | None = spec(Text(pattern=r"[^@\s\"'<>()\[\],;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+",
                                    pattern_hint="Write an email address, e.g. desk@example.org."),
                               "email address readers can write to", required=False)


@dataclass(frozen=True, kw_only=True)
class License(Located):
    """The licence of fact-checks and data: an SPDX id, all-rights-reserved, or another licence's name and url."""

    name: str = spec(LINE, "the licence's name, e.g. Open Government Licence v2.0")
    url: str | None = spec(Url(), "where its terms are published")
    """None only for all rights reserved, which has no licence to link to."""


ALL_RIGHTS_RESERVED = "all-rights-reserved"
"""What `license:` says when no licence is granted."""

LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC-BY-ND-4.0": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "CC-BY-NC-4.0": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC-BY-NC-SA-4.0": ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "CC-BY-NC-ND-4.0": ("CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("ODbL 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "ODC-By-1.0": ("ODC-By 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "PDDL-1.0": ("PDDL 1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
    "OGL-UK-3.0": ("Open Government Licence v3.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
}
"""Common SPDX ids of licences for writing and data: (name readers see, URL of the terms)."""

DEFAULT_LICENSE = License(name=LICENSES["CC-BY-4.0"][0], url=LICENSES["CC-BY-4.0"][1])
"""The licence when claims.yaml names none: CC BY 4.0."""


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class LicenseRecord(Record):
    """A licence: an SPDX id of `LICENSES`, `all-rights-reserved`, or a mapping of `name` and `url`."""

    def read(self, node: Node, problems: Problems) -> Any:
        if not isinstance(node, Scalar) or is_null(node):
            return super().read(node, problems)
        text = node.text.strip()
        if text in LICENSES:
            name, url = LICENSES[text]
            return License(name=name, url=url, loc=node.loc)
        if text == ALL_RIGHTS_RESERVED:
            return License(name="All rights reserved", url=None, loc=node.loc)
        known = [*LICENSES, ALL_RIGHTS_RESERVED]
        same = [key for key, (name, _) in LICENSES.items() if _squash(text) in (_squash(key), _squash(name))]
        hint = f"Did you mean '{same[0]}'?" if same else did_you_mean(text, known)
        problems.error(node.loc, f"unknown licence '{text}'",
                       (hint + " " if hint else "") + "Known SPDX ids: " + ", ".join(LICENSES)
                       + f"; or {ALL_RIGHTS_RESERVED}. For another licence write 'name:' and 'url:' "
                       "indented under 'license:'.")
        return INVALID


@dataclass(frozen=True, kw_only=True)
class Site(Located):
    """The site as a whole."""

    title: str = spec(LINE, "the site's name")
    description: str = spec(LINE, "one sentence on what the site is")
    base_url: str = spec(Url(trailing_slash=True), "absolute URL the site is served from, ending in /")
    language: str = spec(Text(pattern=r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*",
                              pattern_hint="Use a BCP 47 language tag such as en or en-GB."),
                         "BCP 47 language tag of the pages", required=False, default="en")
    publisher: Publisher = spec(Record(Publisher), "who publishes the fact-checks")
    license: License = spec(LicenseRecord(License, shorthand_schema={"enum": [*LICENSES, ALL_RIGHTS_RESERVED]}),
                            "the licence of the fact-checks and the open data: an SPDX id, "
                            f"{ALL_RIGHTS_RESERVED}, or the name and url of another licence",
                            required=False, default=DEFAULT_LICENSE)


@dataclass(frozen=True, kw_only=True)
class Article(Located):
    """The news article whose claims are checked."""

    title: str = spec(LINE, "the headline")
    outlet: str = spec(LINE, "the publication, e.g. The Washington Post")
    url: str = spec(Url(), "where the article is published")
    published: dt.date = spec(Date(), "publication date")
    authors: tuple[str, ...] = spec(ListOf(LINE), "bylines", required=False, default=())


VERDICT_STYLES = ("accurate", "mostly-accurate", "needs-context", "misleading", "inaccurate",
                  "unverifiable", "opinion")


@dataclass(frozen=True, kw_only=True)
class Verdict(Located):
    """One step of the rating scale."""

    id: str = spec(slug_text(), "identifier used in claims' verdict and in URLs")
    label: str = spec(LINE, "the label readers see")
    rating: int | None = spec(Integer(minimum=1), "place on the numeric scale (higher is better); "
                              "leave out for verdicts off the scale", required=False)
    description: str = spec(PARAGRAPHS, "what the verdict means (Markdown)")
    style: str | None = spec(Choice(VERDICT_STYLES), "which built-in icon and colours to use",
                             required=False)


DEFAULT_VERDICTS: tuple[Verdict, ...] = (
    Verdict(id="accurate", label="Accurate", rating=5, style="accurate",
            description="The claim is correct and nothing significant is missing."),
    Verdict(id="mostly-accurate", label="Mostly accurate", rating=4, style="mostly-accurate",
            description="The claim is correct but needs a minor clarification or carries a small error."),
    Verdict(id="needs-context", label="Needs context", rating=3, style="needs-context",
            description="The claim is technically correct but leaves out context that changes "
                        "how a reader would understand it."),
    Verdict(id="misleading", label="Misleading", rating=2, style="misleading",
            description="The claim mixes correct elements with errors or omissions that leave a "
                        "false impression."),
    Verdict(id="inaccurate", label="Inaccurate", rating=1, style="inaccurate",
            description="The claim is wrong on the evidence available."),
    Verdict(id="unverifiable", label="Unverifiable", style="unverifiable",
            description="The evidence to confirm or refute the claim is not available."),
    Verdict(id="opinion", label="Opinion, not a factual claim", style="opinion",
            description="The statement is a judgement or prediction that evidence cannot settle."),
)


def _claimant_from_name(node: Scalar) -> dict[str, Any]:
    return {"name": node.text.strip(), "type": "Organization"}


@dataclass(frozen=True, kw_only=True)
class Claimant(Located):
    """Who made the claim; a bare name stands for an organisation."""

    name: str = spec(LINE, "a person's or a body's name (not a role)")
    type: str = spec(Choice(("Person", "Organization")), "Person or Organization",
                     required=False, default="Organization")
    title: str | None = spec(LINE, "their position, e.g. deputy director", required=False)
    url: str | None = spec(Url(), "a page that identifies them (ClaimReview sameAs)", required=False)
    slug: str | None = spec(slug_text(), "the page name, when the name does not make a good one",
                            required=False)


THE_ARTICLE = "article"
"""What a source's `copy_of` says when the source is the checked article (or a copy of it)."""


@dataclass(frozen=True, kw_only=True)
class Source(Located):
    """A document the fact-check relies on."""

    id: str | None = spec(slug_text(), "identifier that checks use to cite this source",
                          required=False)
    title: str = spec(LINE, "the document's title")
    publisher: str = spec(LINE, "who published it")
    kind: str = spec(Choice(("primary", "secondary")),
                     "primary (the original record) or secondary (a report about it)")
    url: str | None = spec(Url(), "where it can be read", required=False)
    published: str | dt.date | None = spec(Date(partial=True), "publication date (YYYY-MM-DD, YYYY-MM or YYYY)",
                                           required=False)
    accessed: dt.date | None = spec(Date(), "when it was read", required=False)
    archive_url: str | None = spec(Url(), "an archived copy", required=False)
    unverified: bool = spec(Boolean(), "true when the URL is known but was not seen",
                            required=False, default=False)
    copy_of: str | None = spec(slug_text(), "the id of the source this one reproduces (a syndicated copy, "
                               f"reprint or mirror), or '{THE_ARTICLE}' for the checked article itself; "
                               "copies are not counted as independent sources", required=False)


@dataclass(frozen=True, kw_only=True)
class Correction(Located):
    """A dated note of what changed after publication."""

    date: dt.date = spec(Date(), "when the correction was made")
    note: str = spec(PARAGRAPHS, "what was wrong and what changed (Markdown)")


@dataclass(frozen=True, kw_only=True)
class Check(Located):
    """A computation the build re-runs: a figure of the claim against its inputs."""

    kind: str = spec(Choice(tuple(KINDS)), "what to compute")
    label: str | None = spec(LINE, "what the check is about, shown to readers", required=False)
    expect: str = spec(Choice(EXPECTATIONS), "fails documents a figure the claim gets wrong",
                       required=False, default="holds")
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str) -> Any:
        """Return a parameter's value, or None."""
        return dict(self.params).get(name)



class CheckRecord(Record):
    """A check: the common keys, then the parameters its `kind` takes (see `checks.kinds.KINDS`)."""

    def read(self, node: Node, problems: Problems) -> Any:
        if not isinstance(node, Map):
            return super().read(node, problems)
        kind_entry = node.entries.get("kind")
        kind = Choice(tuple(KINDS)).read(kind_entry[1], problems) if kind_entry else INVALID
        if kind is INVALID:
            if kind_entry is None:
                problems.error(node.loc, "missing required key 'kind'",
                               "Add 'kind: ...', one of " + ", ".join(KINDS) + ".")
            return INVALID
        common = self.read_map(node, problems, extra=KINDS[kind].keys)
        params = []
        ok = common is not INVALID
        for param in KINDS[kind].params:
            entry = node.entries.get(param.name)
            if entry is None or is_null(entry[1]):
                if param.required:
                    problems.error(node.loc, f"missing required key '{param.name}' for a {kind} check",
                                   f"Add '{param.name}: ...' ({param.doc}).")
                    ok = False
                continue
            value = param.type.read(entry[1], problems)
            if value is INVALID:
                ok = False
            params.append((param.name, value, entry[1].loc))
        if not ok:
            return INVALID
        problem = params_problem(kind, {name: value for name, value, _ in params})
        if problem is not None:
            key, message = problem
            where = next((loc for name, _, loc in params if name == key), node.loc)
            problems.error(where, message)
            return INVALID
        return dataclasses.replace(
            common,
            params=tuple((name, value) for name, value, _ in params),
            field_locs=common.field_locs + tuple((name, where) for name, _, where in params),
        )

    def nested(self) -> list[FieldType]:
        """Return the field types of every kind's parameters (for the schema)."""
        return [param.type for kind in KINDS.values() for param in kind.params]

    def definition(self) -> dict[str, Any]:
        """Return one JSON Schema variant per kind: the common keys and that kind's parameters."""
        base = super().definition()
        variants = []
        for kind in KINDS.values():
            properties = dict(base["properties"])
            properties["kind"] = {"const": kind.name, "description": base["properties"]["kind"]["description"]}
            for param in kind.params:
                properties[param.name] = {**param.type.schema(), "description": param.doc}
            required = ["kind"] + [param.name for param in kind.params if param.required]
            variants.append({"type": "object", "properties": properties, "required": required,
                             "additionalProperties": False})
        return {"description": base["description"], "oneOf": variants}


@dataclass(frozen=True, kw_only=True)
class Claim(Located):
    """One checkable claim of the article and its fact-check."""

    id: str = spec(slug_text(), "stable identifier; the page is claims/<id>/")
    claim: str = spec(Text(max_length=300, warn_length=75), "the claim in neutral words, at most 75 characters")
    quote: str = spec(Text(max_length=1000), "the article's exact words, with its quotation marks")
    paragraph: int = spec(Integer(minimum=1), "1-based paragraph of the article the quote is in")
    claimant: Claimant = spec(Record(Claimant, shorthand=_claimant_from_name,
                                     shorthand_schema={"type": "string", "minLength": 1}),
                              "who made the statement as judged: the outlet, when the verdict judges "
                              "the article's own wording")
    attributed_to: Claimant | None = spec(Record(Claimant, shorthand=_claimant_from_name,
                                                 shorthand_schema={"type": "string", "minLength": 1}),
                                          "whom the article attributes the statement to, when the claimant "
                                          "is the outlet reporting it in its own words", required=False)
    verdict: str = spec(slug_text(), "one of the verdict ids")
    summary: str = spec(Text(max_length=400), "one sentence: the bottom line")
    explanation: str = spec(PARAGRAPHS, "the fact-check (Markdown)")
    verdict_basis: str | None = spec(Text(max_length=600),
                                     "why the verdict does not follow from the checks alone, shown with them",
                                     required=False)
    checks: tuple[Check, ...] = spec(ListOf(CheckRecord(Check)), "the arithmetic behind the claim",
                                     required=False, default=())
    sources: tuple[Source, ...] = spec(ListOf(Record(Source), min_items=1), "documents relied on")
    tags: tuple[str, ...] = spec(ListOf(slug_text(), unique=True), "topics", required=False, default=())
    reviewed: dt.date = spec(Date(), "when the fact-check was published")
    reviewed_by: tuple[str, ...] = spec(ListOf(LINE), "fact-checkers' names", required=False, default=())
    aliases: tuple[str, ...] = spec(ListOf(slug_text(), unique=True), "former ids, kept as redirects",
                                    required=False, default=())
    corrections: tuple[Correction, ...] = spec(ListOf(Record(Correction)), "corrections log",
                                               required=False, default=())
    draft: bool = spec(Boolean(), "true keeps the claim out of the site unless --drafts",
                       required=False, default=False)


@dataclass(frozen=True, kw_only=True)
class Event(Located):
    """A dated event on the timeline."""

    date: str | dt.date = spec(Date(partial=True), "when it happened (YYYY-MM-DD, YYYY-MM or YYYY)")
    title: str = spec(LINE, "what happened, in a few words")
    text: str = spec(PARAGRAPHS, "details (Markdown)")
    claims: tuple[str, ...] = spec(ListOf(slug_text(), unique=True), "ids of the claims it bears on",
                                   required=False, default=())


@dataclass(frozen=True, kw_only=True)
class ClaimsFile(Located):
    """claims.yaml: the site, the article, the rating scale, the claims and the timeline."""

    site: Site = spec(Record(Site), "the site")
    article: Article = spec(Record(Article), "the article checked")
    verdicts: tuple[Verdict, ...] = spec(ListOf(Record(Verdict), min_items=1),
                                         "replaces the default rating scale", required=False, default=())
    claims: tuple[Claim, ...] = spec(ListOf(Record(Claim)), "the claims, in any order")
    events: tuple[Event, ...] = spec(ListOf(Record(Event)), "the timeline", required=False, default=())


@dataclass(frozen=True, kw_only=True)
class ContentPage:
    """A content page from content/<name>.md."""

    name: str
    title: str
    description: str
    order: int
    template: str
    body: str
    loc: Location


@dataclass(frozen=True)
class Project:
    """Everything a build needs, validated."""

    site: Site
    article: Article
    verdicts: tuple[Verdict, ...]
    claims: tuple[Claim, ...]
    events: tuple[Event, ...]
    content_pages: tuple[ContentPage, ...]
