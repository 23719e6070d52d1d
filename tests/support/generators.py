"""Hypothesis strategies for whole projects: valid claims.yaml documents, and corruptions of them.

A document is generated as a tree (`dict` for a mapping, `list` for a sequence, `S` for a scalar
that knows what kind of value it holds) and written out by a small YAML emitter of our own, which
picks each scalar's style at random (plain, single-quoted, double-quoted, a `|` block) and checks
with libyaml's untyped loader that the text reads back exactly, so `no`, `1e3`, `- x` or `#` are
sometimes written unquoted. Valid documents respect every rule of the model: unique ids, references
that resolve, claimants that agree, Markdown whose links lead somewhere, and checks whose stated
figures are computed so that they hold (or, with `expect: fails`, so that they fail).

`corrupted_documents()` takes a valid document and breaks it: on the tree (a required key deleted,
a value of the wrong shape, a date or number replaced by garbage or a huge figure, a reference to
nothing) or on the text (an indentation shifted or tabbed, the text cut short, control characters or
random bytes inserted, a line repeated so a key is duplicated).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import Any, Union

import yaml
from hypothesis import strategies as st

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_EXACT = Context(prec=400)


# The tree

@dataclass(frozen=True)
class S:
    """A scalar: its text, and what it is (text, markdown, slug, date, partial-date, number, integer,
    boolean, url, choice), which the corruptions use to pick what to break."""

    text: str
    kind: str = "text"


Tree = Union[dict[str, "Tree"], list["Tree"], S]  # noqa: UP007 - a recursive alias, evaluated at import


@dataclass
class Document:
    """A generated project: claims.yaml's tree and its text, and any claims/*.yaml files."""

    tree: dict[str, Tree]
    text: str
    extra: dict[str, str] = field(default_factory=dict)
    """claims/NAME.yaml -> its text."""
    extra_trees: dict[str, list[Tree]] = field(default_factory=dict)
    description: str = ""
    """What was done to a corrupted document, for the failure report."""

    def files(self) -> dict[str, bytes]:
        """Return the project's files by relative path, as bytes (see `to_bytes`)."""
        return {"claims.yaml": to_bytes(self.text), **{f"claims/{name}": to_bytes(text)
                                                       for name, text in self.extra.items()}}


# The emitter

_NULLS = {"", "~", "null", "Null", "NULL"}
_PRINTABLE = re.compile("[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_SAFE_IN_DOUBLE = re.compile("[\x20-\x7e]|[^\x00-\x7f]")


def _reads_back(rendered: str, value: Any) -> bool:
    try:
        return yaml.load(f"k: {rendered}\n", Loader=_Loader) == {"k": value}
    except yaml.YAMLError:
        return False


def double_quoted(text: str) -> str:
    """Return a double-quoted YAML scalar of any text, escaping all but plainly printable characters."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif _SAFE_IN_DOUBLE.fullmatch(ch) and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn",
                                                                                  "Zl", "Zp"):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _block(text: str, indent: int) -> str | None:
    """Return a `|` block scalar of the text (content indented by `indent`), or None if it cannot be one."""
    if not text.strip() or not _PRINTABLE.fullmatch(text) or "\t" in text or "\r" in text:
        return None
    if text.endswith("\n\n"):
        chomp = "+"
    elif text.endswith("\n"):
        chomp = ""
    else:
        chomp = "-"
    lines = text.rstrip("\n").split("\n") if chomp != "+" else text[:-1].split("\n")
    head = "|" + ("2" if lines[0].startswith(" ") else "") + chomp
    pad = " " * indent
    return head + "".join("\n" + (pad + line if line else "") for line in lines)


def render_scalar(scalar: S, indent: int, rnd: random.Random) -> str:
    """Return the scalar written after `key: ` or `- `: in a style picked at random that reads back exactly."""
    text = scalar.text
    if scalar.kind == "boolean" and text in ("true", "false"):
        return text  # booleans are true or false unquoted, nothing else
    styles = ["plain", "plain", "single", "double"]
    if "\n" in text:
        styles = ["block", "block", "double"]
    rnd.shuffle(styles)
    for style in styles:
        if style == "plain":
            if text in _NULLS or "\n" in text or text != text.strip():
                continue
            rendered = text
            if _reads_back(rendered, text):
                return rendered
        elif style == "single":
            if "\n" in text or not _PRINTABLE.fullmatch(text) or "\t" in text:
                continue
            rendered = "'" + text.replace("'", "''") + "'"
            if _reads_back(rendered, text):
                return rendered
        elif style == "block":
            rendered = _block(text, indent)
            if rendered is not None and _reads_back(_block(text, 2) or "", text):
                return rendered
    return double_quoted(text)


def _flow(items: list[Tree]) -> str | None:
    """Return a flow list `[a, b]` of simple scalars, or None."""
    if not all(isinstance(item, S) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*[A-Za-z0-9]|[A-Za-z0-9]",
                                                    item.text) for item in items):
        return None
    rendered = "[" + ", ".join(item.text for item in items if isinstance(item, S)) + "]"
    try:
        ok = yaml.load(f"k: {rendered}\n", Loader=_Loader) == {"k": [i.text for i in items if isinstance(i, S)]}
    except yaml.YAMLError:
        ok = False
    return rendered if ok else None


def emit(tree: Tree, rnd: random.Random) -> str:
    """Write a tree as block-style YAML, with comments and styles picked at random."""
    lines: list[str] = []
    if isinstance(tree, dict):
        _emit_map(tree, 0, lines, rnd, None)
    elif isinstance(tree, list):
        _emit_seq(tree, 0, lines, rnd)
    else:
        lines.append(render_scalar(tree, 2, rnd))
    return "\n".join(lines) + "\n"


def _comment(indent: int, lines: list[str], rnd: random.Random) -> None:
    if rnd.random() < 0.05:
        lines.append(" " * indent + rnd.choice(["# a comment", "#", "# key: value", "# - id: x", "#\u00e9\u2603"]))


def _emit_map(tree: dict[str, Tree], indent: int, lines: list[str], rnd: random.Random, first: str | None) -> None:
    if not tree:
        lines.append((first or " " * indent) + "{}")
        return
    for number, (key, value) in enumerate(tree.items()):
        prefix = first if number == 0 and first is not None else " " * indent
        if number:
            _comment(indent, lines, rnd)
        if isinstance(value, S):
            lines.append(f"{prefix}{key}: {render_scalar(value, indent + 2, rnd)}")
        elif isinstance(value, dict):
            if not value:
                lines.append(f"{prefix}{key}: {{}}")
                continue
            lines.append(f"{prefix}{key}:")
            _emit_map(value, indent + 2, lines, rnd, None)
        else:
            flow = _flow(value) if rnd.random() < 0.5 else None
            if not value or flow is not None:
                lines.append(f"{prefix}{key}: {flow or '[]'}")
                continue
            lines.append(f"{prefix}{key}:")
            # A block sequence under a key may sit at the key's indentation or deeper.
            _emit_seq(value, indent + rnd.choice([0, 2, 2, 4]), lines, rnd)


def _emit_seq(items: list[Tree], indent: int, lines: list[str], rnd: random.Random) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, S):
            lines.append(f"{pad}- {render_scalar(item, indent + 2, rnd)}")
        elif isinstance(item, dict):
            _emit_map(item, indent + 2, lines, rnd, f"{pad}- ")
        else:
            lines.append(f"{pad}-")
            _emit_seq(item, indent + 2, lines, rnd)


# Text

SPECIAL = [
    "no", "yes", "on", "off", "y", "n", "true", "false", "True", "null", "~", "1e3", "0x1F", "007", "12:30",
    "2019-11-07", "- x", ": y", "#", "# not a comment", "a #b", "&anchor", "*alias", "!tag", "!!str", "%YAML 1.2",
    "@handle", "`tick`", "|", ">", "?", "? key", "{a: b}", "[a, b]", "'single'", '"double"', "---", "...",
    "key: value", "-", "--", ",", "<<", ".inf", ".nan", "-.inf", "0o17", "1_000", "+1", "1,234", "½", "=SUM(A1)",
    "+cmd", "@SUM(1)", "-1+1", "' OR 1=1 --", "%s", "{0}", "${x}", "{{ site.title }}", "{% raw %}", "\\", "\\\\",
    "\\n", "</p>", "]]>", "<!-- c -->", "&amp;", "&lt;", "&#0;", "&#x1F600;", "*em*", "**strong**", "_u_",
    "`code`", "~~del~~", "<b>bold</b>", "<script>alert(1)</script>", "> quote", "1. item", "|a|b|", "***",
    "javascript:alert(1)", "../../etc/passwd", "C:\\temp",
]
UNICODE = [
    "café", "naïve", "日本語のテキスト", "Ελληνικά", "Русский", "עברית", "مرحبا", "🎉", "👩\u200d👩\u200d👧", "e\u0301",
    "ß", "ﬁ", "\u200b", "\u202e", "İ", "ǅ", "\U0001d400", "—", "…", "“curly”", "‘single’", "«guillemets»",
    "\u00a0x", "Ω", "ℌ", "\ufeff", "\u2028", "\U0010fffd", "\ud7ff", "\ufffd",
]
_WORD_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"))
_SAFE_WORD_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"),
                                 blacklist_characters="[]<>\\`*_#|")
"""For Markdown: nothing that could open a link, an image or an autolink (those are written on purpose)."""
MARKDOWN_SAFE = [*(s for s in SPECIAL + UNICODE if not re.search(r"[\[\]<>\\]", s) and "\u2028" not in s
                   and s != "&#0;"), "a\tb"]
"""Tabs are for Markdown only (a single line of text may not hold one); a character reference to a control
character (&#0;) is refused in Markdown."""


def _join(parts: list[str], limit: int) -> str:
    text = " ".join(parts)[:limit].strip()
    return text


@functools.cache
def line_text(limit: int = 300, markdown_safe: bool = False) -> st.SearchStrategy[str]:
    """A non-empty single line: words, YAML-special strings, Markdown and Unicode."""
    fragments = MARKDOWN_SAFE if markdown_safe else SPECIAL + UNICODE
    words = st.text(_SAFE_WORD_CHARS if markdown_safe else _WORD_CHARS, min_size=1, max_size=12)
    plain = st.sampled_from(["Police", "seized", "11.9", "kg", "of", "the", "report", "said", "court", "2019"])
    part = st.one_of(plain, plain, st.sampled_from(fragments), words)
    return (st.lists(part, min_size=1, max_size=8).map(lambda p: _join(p, limit))
            .map(lambda t: t.replace("\n", " ").replace("\r", " "))
            .filter(lambda t: bool(t.strip()) and t == t.strip()))


def markdown_text(links: list[str]) -> st.SearchStrategy[str]:
    """Markdown of a few blocks: paragraphs, headings, lists, quotes, code, tables and links that resolve."""
    return _markdown_text(tuple(links))


@functools.cache
def _markdown_text(links: tuple[str, ...]) -> st.SearchStrategy[str]:
    line = line_text(120, markdown_safe=True).filter(lambda t: "\u2028" not in t)
    targets = ["https://example.org/a?b=1&c=2#d", "http://example.com/", "mailto:desk@example.org", "#top",
               *links]
    link = st.builds(lambda text, target: f"[{text}]({target})",
                     st.sampled_from(["see", "the source", "dört", "**bold** link"]), st.sampled_from(targets))
    block = st.one_of(
        line, line,
        st.builds(lambda a, b, c: f"{a} {b} {c}", line, link, line),
        st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), line),
        st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
        st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in
                                                                            enumerate(items, 1))),
        line.map(lambda t: "> " + t),
        st.sampled_from(["```\ncode [not](a link) <x:y> ![no](image)\n```", "    indented code x",
                         "| a | b |\n|:--|--:|\n| 1 | 2 |", "---", "<div>raw <b>html</b></div>",
                         "<https://example.org/auto>", "<desk@example.org>", "Text with a\nsoft break"]),
    )
    return st.lists(block, min_size=1, max_size=4).map("\n\n".join)


# Values

WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


@functools.cache
def slugs() -> st.SearchStrategy[str]:
    """An identifier: lowercase letters, digits and single hyphens (not a device name of Windows)."""
    return st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
        lambda s: s not in WINDOWS_DEVICES)


@functools.cache
def dates() -> st.SearchStrategy[dt.date]:
    """A date, mostly of recent times, sometimes of any year 0001 to 9999."""
    return st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
                     st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))


@functools.cache
def partial_dates() -> st.SearchStrategy[str]:
    """A date as YYYY-MM-DD, YYYY-MM or YYYY."""
    return st.builds(lambda day, form: day.isoformat()[:form], dates(), st.sampled_from([10, 10, 7, 4]))


@functools.cache
def urls() -> st.SearchStrategy[str]:
    """An absolute http(s) address: ordinary ones and odd but valid ones."""
    host = st.sampled_from(["example.org", "www.example.com", "news.example.net", "bücher.example",
                            "user:pw@host.example:8080", "[::1]", "EXAMPLE.ORG", "a.b.c.d.example"])
    path = st.sampled_from(["", "/", "/report", "/a/b.html", "/%20space", "/ü/ß", "/?q=1&r=%3Cx%3E", "/#frag",
                            "/path;p=1", "/a'b%22c", "/(x)", "/a?b=c&d=e#f"])
    return st.builds(lambda scheme, h, p: f"{scheme}://{h}{p}", st.sampled_from(["https", "http", "HTTPS"]), host,
                     path)


@functools.cache
def base_urls() -> st.SearchStrategy[str]:
    """A site's base_url: absolute, its path ending in /."""
    return st.builds(lambda u, extra: u.split("?")[0].split("#")[0].rstrip("/") + extra + "/", urls(),
                     st.sampled_from(["", "/checks", "/a/b", "/ü", "/x%2Fy"]))


@functools.cache
def decimals(max_digits: int = 9, max_places: int = 4) -> st.SearchStrategy[Decimal]:
    """An exact decimal as claims.yaml writes them (no exponent), of a few or many digits."""
    return st.builds(lambda mantissa, places: Decimal(mantissa).scaleb(-places),
                     st.one_of(st.integers(-(10 ** max_digits), 10 ** max_digits),
                               st.integers(-(10 ** 40), 10 ** 40)),
                     st.integers(0, max_places))


def number(value: Decimal) -> S:
    """Write a decimal plainly, as the model reads it."""
    text = format(value, "f")
    return S(text, "number")


def rounded(value: Decimal, places: int) -> Decimal:
    """Round to `places` decimals (half to even; either way the result is within half a unit)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=_EXACT)


# Checks, their stated figures computed so they hold

UNITS = {
    "mass": {"mg": "0.000001", "g": "0.001", "kg": "1", "t": "1000", "oz": "0.028349523125", "lb": "0.45359237"},
    "length": {"mm": "0.001", "cm": "0.01", "m": "1", "km": "1000", "in": "0.0254", "ft": "0.3048",
               "yd": "0.9144", "mi": "1609.344"},
    "volume": {"ml": "0.000001", "l": "0.001", "m3": "1", "gal": "0.003785411784"},
    "area": {"m2": "1", "km2": "1000000", "ha": "10000", "acre": "4046.8564224"},
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _add_months(start: dt.date, months: int) -> dt.date | None:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    if not 1 <= year <= 9999:
        return None
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def elapsed(start: dt.date, end: dt.date, unit: str) -> int:
    """Whole days, weeks, calendar months (clamped at month ends) or years from start to end."""
    days = (end - start).days
    if unit == "days":
        return days
    if unit == "weeks":
        return days // 7
    months = (end.year - start.year) * 12 + end.month - start.month  # reached, or passed by a few days
    while months > 0 and (_add_months(start, months) or end) > end:
        months -= 1
    return months if unit == "months" else months // 12


def _miss(value: Decimal, places: int, far: int) -> Decimal:
    """Return a figure that misses `value` by more than half a unit at `places` decimals."""
    return rounded(value, places) + Decimal(far + 1).scaleb(-places)


@st.composite
def checks(draw: Callable[..., Any], source_ids: list[str]) -> dict[str, Tree]:
    """One check whose stated figure holds (or, declared `expect: fails`, does not)."""
    with localcontext(_EXACT):  # exact arithmetic on figures of 40 digits and more
        return _check(draw, source_ids)


def _check(draw: Callable[..., Any], source_ids: list[str]) -> dict[str, Tree]:
    kinds = ["convert", "sum", "percent", "ratio", "date_span", "weekday"] + (["compare"] if source_ids else [])
    kind = draw(st.sampled_from(kinds))
    fails = draw(st.integers(0, 5)) == 0
    far = draw(st.integers(0, 1000))
    places = draw(st.integers(0, 4))
    out: dict[str, Tree] = {"kind": S(kind, "choice")}
    if draw(st.booleans()):
        out["label"] = S(draw(line_text(80)))
    if kind == "convert":
        dimension = draw(st.sampled_from(sorted(UNITS)))
        units = st.sampled_from(sorted(UNITS[dimension]))
        source, target = draw(units), draw(units)
        value = draw(decimals())
        exact = _EXACT.divide(value * Decimal(UNITS[dimension][source]), Decimal(UNITS[dimension][target]))
        stated = _miss(exact, places, far) if fails else rounded(exact, places)
        out.update({"value": number(value), "from": S(source, "choice"), "to": S(target, "choice"),
                    "stated": number(stated)})
    elif kind == "sum":
        parts = draw(st.lists(decimals(), min_size=1, max_size=5))
        total = sum(parts, Decimal(0))
        out["parts"] = [{"label": S(draw(line_text(60))), "value": number(p)} for p in parts]
        out["stated"] = number(_miss(total, places, far) if fails else rounded(total, places))
    elif kind in ("percent", "ratio"):
        part, whole = draw(decimals()), draw(decimals().filter(lambda d: d != 0))
        exact = _EXACT.divide(part * (100 if kind == "percent" else 1), whole)
        out.update({"part": number(part), "whole": number(whole),
                    "stated": number(_miss(exact, places, far) if fails else rounded(exact, places))})
    elif kind == "date_span":
        start, end = sorted([draw(dates()), draw(dates())])
        unit = draw(st.sampled_from(["days", "weeks", "months", "years"]))
        count = elapsed(start, end, unit)
        out.update({"from": S(start.isoformat(), "date"), "to": S(end.isoformat(), "date"),
                    "unit": S(unit, "choice"), "stated": S(str(count + 1 + far if fails else count), "number")})
    elif kind == "weekday":
        day = draw(dates())
        shift = draw(st.integers(1, 6)) if fails else 0
        out.update({"date": S(day.isoformat(), "date"), "stated": S(WEEKDAYS[(day.weekday() + shift) % 7], "choice")})
    else:
        reference = draw(decimals())
        relation = draw(st.sampled_from(["equal", "about", "at_most", "at_least"] if not fails else
                                        ["equal", "at_most", "at_least"]))
        delta = Decimal(far).scaleb(-places)
        unit = Decimal(1).scaleb(-places)
        if relation == "equal":
            stated = _miss(reference, places, far) if fails else rounded(reference, places)
        elif relation == "at_most":
            stated = rounded(reference, places) - delta - unit if fails else \
                (reference + delta).quantize(unit, rounding=ROUND_CEILING, context=_EXACT)
        elif relation == "at_least":
            stated = rounded(reference, places) + delta + unit if fails else \
                (reference - delta).quantize(unit, rounding=ROUND_FLOOR, context=_EXACT)
        else:
            stated = rounded(reference, places)
            gap = (stated - reference).copy_abs()
            if reference == 0:
                stated = Decimal(0)
                tolerance = Decimal(far)
            else:
                tolerance = (_EXACT.divide(100 * gap, reference.copy_abs())
                             .quantize(Decimal("0.01"), rounding=ROUND_CEILING, context=_EXACT)
                             + Decimal(far).scaleb(-2))
            out["tolerance"] = number(tolerance)
        out.update({"stated": number(stated), "reference": number(reference),
                    "source": S(draw(st.sampled_from(source_ids)), "slug"), "relation": S(relation, "choice")})
        if "tolerance" in out:  # keep it after relation, as people write it
            out["tolerance"] = out.pop("tolerance")
    if fails:
        out["expect"] = S("fails", "choice")
    return out


# The document

LICENSES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "OGL-UK-3.0", "all-rights-reserved"]
VERDICT_STYLES = ["accurate", "mostly-accurate", "needs-context", "misleading", "inaccurate", "unverifiable",
                  "opinion"]


def _fold(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "claimant"


def _maybe(draw: Callable[..., Any], chance: float = 0.5) -> bool:
    """Draw True with about this chance; shrinks to False, so a minimal example leaves optional keys out."""
    return draw(st.integers(0, 99)) >= round(100 * (1 - chance))


@st.composite
def claimant_pool(draw: Callable[..., Any]) -> list[Tree]:
    """Claimants with distinct names and page names, each always written the same way."""
    names = draw(st.lists(line_text(60), min_size=1, max_size=4, unique=True))
    used: set[str] = set()
    pool: list[Tree] = []
    for number_, name in enumerate(names):
        details: dict[str, Tree] = {"name": S(name)}
        slug = _fold(name)
        if slug in used:
            slug = f"claimant-{number_}-{len(used)}"
            while slug in used:
                slug += "x"
            details["slug"] = S(slug, "slug")
        used.add(slug)
        kind = draw(st.sampled_from(["Person", "Organization"]))
        if kind == "Person" or _maybe(draw, 0.3):
            details["type"] = S(kind, "choice")
        if _maybe(draw, 0.3):
            details["title"] = S(draw(line_text(60)))
        if _maybe(draw, 0.3):
            details["url"] = S(draw(urls()), "url")
        if len(details) == 1 and _maybe(draw):
            pool.append(S(name))  # a bare name: an organisation
        else:
            pool.append(details)
    return pool


@st.composite
def valid_documents(draw: Callable[..., Any]) -> Document:
    """A whole valid project: site, article, maybe a rating scale, 1-5 claims, maybe events."""
    site: dict[str, Tree] = {
        "title": S(draw(line_text(80))),
        "description": S(draw(line_text(200))),
        "base_url": S(draw(base_urls()), "url"),
    }
    if _maybe(draw):
        site["language"] = S(draw(st.from_regex(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}", fullmatch=True)),
                             "text")
    publisher: dict[str, Tree] = {"name": S(draw(line_text(80))), "url": S(draw(urls()), "url")}
    if _maybe(draw, 0.3):
        publisher["contact"] = S(draw(st.sampled_from(["desk@example.org", "a+b@ex-ample.co.uk",
                                                       "δέσκ@example.org", "x@y.zz"])), "text")
    site["publisher"] = publisher
    license_ = draw(st.sampled_from([*LICENSES, None, "custom"]))
    if license_ == "custom":
        site["license"] = {"name": S(draw(line_text(60))), "url": S(draw(urls()), "url")}
    elif license_ is not None:
        site["license"] = S(license_, "choice")

    published = draw(dates())
    article: dict[str, Tree] = {"title": S(draw(line_text(120))), "outlet": S(draw(line_text(60))),
                                "url": S(draw(urls()), "url"), "published": S(published.isoformat(), "date")}
    if _maybe(draw):
        article["authors"] = [S(a) for a in draw(st.lists(line_text(40), max_size=3))]

    verdict_ids = VERDICT_STYLES
    verdicts: list[Tree] | None = None
    if _maybe(draw, 0.2):
        verdict_ids = draw(st.lists(slugs(), min_size=1, max_size=6, unique=True))
        ratings = draw(st.permutations(range(1, len(verdict_ids) + 1)))
        # A scale, if any, has two ratings at least: ClaimReview's worstRating must be below its bestRating.
        rated = [_maybe(draw, 0.7) for _ in verdict_ids]
        if sum(rated) == 1:
            rated = [False] * len(rated)
        verdicts = []
        for number_, verdict_id in enumerate(verdict_ids):
            verdict: dict[str, Tree] = {"id": S(verdict_id, "slug"), "label": S(draw(line_text(40)))}
            if rated[number_]:
                verdict["rating"] = S(str(ratings[number_]), "integer")
            verdict["description"] = S(draw(markdown_text([])), "markdown")
            if _maybe(draw):
                verdict["style"] = S(draw(st.sampled_from(VERDICT_STYLES)), "choice")
            verdicts.append(verdict)

    claim_ids = draw(st.lists(slugs(), min_size=1, max_size=5, unique=True))
    drafts = [len(claim_ids) > 1 and _maybe(draw, 0.1) for _ in claim_ids]
    published_ids = [c for c, draft in zip(claim_ids, drafts, strict=True) if not draft]
    alias_pool = draw(st.lists(slugs().filter(lambda s: s not in claim_ids), max_size=4, unique=True))
    links = [f"claims/{c}/" for c in published_ids] + ["sources/", "claims.csv", "claims.json", "feed.xml"]
    pool = draw(claimant_pool())
    source_ids: list[str] = []  # every source id so far, unique in the whole document
    tags_pool = draw(st.lists(slugs(), min_size=1, max_size=4, unique=True))
    claims: list[Tree] = []
    for number_, claim_id in enumerate(claim_ids):
        claim: dict[str, Tree] = {
            "id": S(claim_id, "slug"),
            "claim": S(draw(line_text(draw(st.sampled_from([75, 75, 300]))))),
            "quote": S(draw(line_text(300))),
            "paragraph": S(str(draw(st.integers(1, 10 ** draw(st.sampled_from([2, 2, 12]))))), "integer"),
            "claimant": draw(st.sampled_from(pool)),
        }
        if _maybe(draw, 0.2):
            claim["attributed_to"] = draw(st.sampled_from(pool))
        claim["verdict"] = S(draw(st.sampled_from(verdict_ids)), "slug")
        claim["summary"] = S(draw(line_text(300)))
        claim["explanation"] = S(draw(markdown_text(links)), "markdown")
        if _maybe(draw, 0.2):
            claim["verdict_basis"] = S(draw(line_text(300)))
        sources: list[Tree] = []
        mine: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            source: dict[str, Tree] = {}
            if _maybe(draw) or (not mine and _maybe(draw)):
                taken = {*source_ids, *mine, "article"}
                source_id = draw(slugs().filter(lambda s, taken=taken: s not in taken))
                source["id"] = S(source_id, "slug")
            source["title"] = S(draw(line_text(120)))
            source["publisher"] = S(draw(line_text(60)))
            source["kind"] = S(draw(st.sampled_from(["primary", "secondary"])), "choice")
            if _maybe(draw, 0.8):
                source["url"] = S(draw(urls()), "url")
            if _maybe(draw, 0.7):
                source["published"] = S(draw(partial_dates()), "partial-date")
            if _maybe(draw, 0.2):
                source["accessed"] = S(draw(dates()).isoformat(), "date")
            if _maybe(draw, 0.2):
                source["archive_url"] = S(draw(urls()), "url")
            if _maybe(draw, 0.2):
                source["unverified"] = S(draw(st.sampled_from(["true", "false"])), "boolean")
            if _maybe(draw, 0.2) and not drafts[number_]:
                source["copy_of"] = S(draw(st.sampled_from(["article", *source_ids])), "slug")
            if "id" in source:
                assert isinstance(source["id"], S)
                mine.append(source["id"].text)
                if not drafts[number_]:
                    source_ids.append(source["id"].text)
            sources.append(source)
        if _maybe(draw, 0.7):
            claim["checks"] = [draw(checks(mine)) for _ in range(draw(st.integers(1, 3)))]
        claim["sources"] = sources
        if _maybe(draw, 0.6):
            claim["tags"] = [S(t, "slug") for t in draw(st.lists(st.sampled_from(tags_pool), max_size=3, unique=True))]
        claim["reviewed"] = S(draw(dates()).isoformat(), "date")
        if _maybe(draw, 0.2):
            claim["reviewed_by"] = [S(n) for n in draw(st.lists(line_text(40), min_size=1, max_size=2))]
        if _maybe(draw, 0.2) and alias_pool:
            claim["aliases"] = [S(alias_pool.pop(), "slug")]
        if _maybe(draw, 0.2):
            claim["corrections"] = [{"date": S(draw(dates()).isoformat(), "date"),
                                     "note": S(draw(markdown_text(links)), "markdown")}
                                    for _ in range(draw(st.integers(1, 2)))]
        if drafts[number_] or _maybe(draw, 0.1):
            claim["draft"] = S("true" if drafts[number_] else "false", "boolean")
        claims.append(claim)

    events: list[Tree] = []
    for _ in range(draw(st.integers(0, 3))):
        event: dict[str, Tree] = {"date": S(draw(partial_dates()), "partial-date"), "title": S(draw(line_text(80))),
                                  "text": S(draw(markdown_text(links)), "markdown")}
        if _maybe(draw) and published_ids:  # every claim may be a draft
            event["claims"] = [S(c, "slug") for c in draw(st.lists(st.sampled_from(published_ids), max_size=3,
                                                                   unique=True))]
        events.append(event)

    tree: dict[str, Tree] = {"site": site, "article": article}
    if verdicts is not None:
        tree["verdicts"] = verdicts
    extra_trees: dict[str, list[Tree]] = {}
    if len(claims) > 1 and _maybe(draw, 0.15):
        split = draw(st.integers(1, len(claims) - 1))
        claims, extra_trees["more.yaml"] = claims[:split], claims[split:]
    tree["claims"] = claims
    if events:
        tree["events"] = events
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    order = list(tree)
    if _maybe(draw, 0.3):
        rnd.shuffle(order)
    tree = {key: tree[key] for key in order}
    text = emit(tree, rnd)
    if _maybe(draw, 0.7):
        text = "# yaml-language-server: $schema=claims.schema.json\n" + text
    ending = draw(st.sampled_from(["", "", "", "---\n", "\ufeff", "crlf"]))
    text = text.replace("\n", "\r\n") if ending == "crlf" else ending + text
    extra = {name: emit(items, rnd) for name, items in extra_trees.items()}
    return Document(tree, text, extra, extra_trees)


# Corruptions

def _paths(tree: Tree, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Tree]]:
    """Yield (path, node) for every node under the tree, the root included."""
    yield path, tree
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _paths(value, (*path, index))


def _replace(tree: Tree, path: tuple[Any, ...], new: Tree | None) -> Tree:
    """Return a copy of the tree with the node at `path` replaced (or, for None, removed)."""
    if not path:
        return new if new is not None else S("")
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        out = dict(tree)
        if rest:
            out[head] = _replace(tree[head], rest, new)
        elif new is None:
            del out[head]
        else:
            out[head] = new
        return out
    assert isinstance(tree, list)
    items = list(tree)
    if rest:
        items[head] = _replace(tree[head], rest, new)
    elif new is None:
        del items[head]
    else:
        items[head] = new
    return items


GARBAGE_DATES = ["2019-02-30", "2019-13-01", "0000-00-00", "99999-01-01", "2019-1-1", "yesterday", "2019/11/07",
                 "2019-11-07T10:00:00", "20191107", "-2019-11-07", "2019-11-07 ", "１９９９-０１-０１", "2019-W45",
                 "[2019-11-07]", "{}", "2019-00", "0000", "10000-01-01"]
HUGE_NUMBERS = ["1" + "0" * 400, "9" * 4299, "9" * 4301, "9" * 20000, "0." + "0" * 5000 + "1", "-" + "9" * 5000,
                "1e999999", "1E-999999", "NaN", "Infinity", "-inf", "1_000", "0x10", "١٢٣", "1.", ".5", "+5", "--1",
                "1" + "0" * 100000]
GARBAGE_URLS = ["http://[", "https://[x/", "https://[::1/a", "http://]/", "http://exa\u2100mple.com/",
                "https://\uff21.example/", "http://ex%ample.com", "https://", "https:///path", "http://a b/",
                "ftp://example.org/", "javascript:alert(1)", "//example.org/", "https:example.org",
                "http://example.org:99999/", "http://example.org:port/", "http://[::1]:80/", "https://例え.テスト/",
                "http://user@/", "https://example.org/" + "a" * 5000, "https://example.org/\u200b",
                "mailto:desk@example.org", "HTTP://EXAMPLE.ORG", "https://example.org/<script>"]
NASTY_SCALARS = ["", "~", "null", "[]", "{}", "- a", "|", "true", "0", "-1", "\x00", "a\tb", "\ud7ff",
                 "claims/", "../x", "x" * 70000]


@st.composite
def corrupted_documents(draw: Callable[..., Any]) -> Document:
    """A valid document with one to three things broken, on its tree or its text."""
    doc = draw(valid_documents())
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    tree: Tree = doc.tree
    done: list[str] = []
    text_mutations: list[tuple[str, Callable[[str], str]]] = []
    for _ in range(draw(st.integers(1, 3))):
        nodes = list(_paths(tree))
        what = draw(st.sampled_from(["delete", "retype", "date", "number", "url", "reference", "nasty", "indent",
                                     "truncate", "control", "bytes", "duplicate", "swap-lines"]))
        if what == "delete":
            path, _ = draw(st.sampled_from([n for n in nodes if n[0]]))
            tree = _replace(tree, path, None)
            done.append(f"deleted {path}")
        elif what == "retype":
            path, node = draw(st.sampled_from([n for n in nodes if n[0]]))
            new: Tree = (draw(st.sampled_from([[S("x")], {"x": S("y")}, [], {}])) if isinstance(node, S)
                         else S(draw(st.sampled_from(["x", "1", "2019-11-07", "true"]))))
            tree = _replace(tree, path, new)
            done.append(f"retyped {path} to {new!r}")
        elif what in ("date", "number", "url", "nasty"):
            wanted = {"date": ("date", "partial-date"), "number": ("number", "integer"), "url": ("url",)}.get(what)
            candidates = [n for n in nodes if isinstance(n[1], S) and (wanted is None or n[1].kind in wanted)]
            if not candidates:
                continue
            path, _ = draw(st.sampled_from(candidates))
            pool = {"date": GARBAGE_DATES, "number": HUGE_NUMBERS, "url": GARBAGE_URLS}.get(what, NASTY_SCALARS)
            new = S(draw(st.sampled_from(pool)))
            tree = _replace(tree, path, new)
            done.append(f"set {path} to {new.text[:40]!r}")
        elif what == "reference":
            candidates = [n for n in nodes if isinstance(n[1], S) and n[1].kind in ("slug", "markdown")]
            if not candidates:
                continue
            path, node = draw(st.sampled_from(candidates))
            assert isinstance(node, S)
            new = S(node.text + "\n\n[broken](claims/nowhere/)" if node.kind == "markdown" else
                    draw(st.sampled_from(["nowhere", "article", node.text + "-x"])), node.kind)
            tree = _replace(tree, path, new)
            done.append(f"broke reference {path}")
        else:
            mutation = {
                "indent": _shift_indent, "truncate": _truncate, "control": _control, "bytes": _raw_bytes,
                "duplicate": _duplicate_line, "swap-lines": _swap_lines,
            }[what]
            position = draw(st.floats(0, 1))
            choice = draw(st.integers(0, 1000))
            file = draw(st.sampled_from(["claims.yaml", *(f"claims/{name}" for name in doc.extra)]))
            text_mutations.append((file, lambda text, m=mutation, p=position, c=choice: m(text, p, c)))
            done.append(f"{what} in {file}" if file != "claims.yaml" else what)
    assert isinstance(tree, dict)
    text, extra = emit(tree, rnd), dict(doc.extra)
    for file, mutate in text_mutations:
        if file == "claims.yaml":
            text = mutate(text)
        else:
            extra[file.removeprefix("claims/")] = mutate(extra[file.removeprefix("claims/")])
    return Document(tree, text, extra, doc.extra_trees, "; ".join(done))


def _line_at(text: str, position: float) -> tuple[list[str], int]:
    lines = text.split("\n")
    return lines, min(int(position * len(lines)), len(lines) - 1)


def _shift_indent(text: str, position: float, choice: int) -> str:
    lines, at = _line_at(text, position)
    line = lines[at]
    how = choice % 4
    lines[at] = (" " + line if how == 0 else line[1:] if how == 1 and line.startswith(" ")
                 else "\t" + line if how == 2 else "   " + line.lstrip())
    return "\n".join(lines)


def _truncate(text: str, position: float, choice: int) -> str:
    return text[: int(position * len(text))]


CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\r",
           "\ufeff", "\ud800", "\udfff", "\uffff", "\ufffe", "\t", "\n", "\u202e", "\x9b"]


def _control(text: str, position: float, choice: int) -> str:
    at = int(position * len(text))
    return text[:at] + CONTROL[choice % len(CONTROL)] * (1 + choice // len(CONTROL) % 3) + text[at:]


def _raw_bytes(text: str, position: float, choice: int) -> str:
    """Insert 1-4 bytes that are not UTF-8, as the surrogates `to_bytes` writes as raw bytes."""
    at = int(position * len(text))
    raw = "".join(chr(0xDC80 + (choice * 7 + n * 13) % 128) for n in range(1 + choice % 4))
    return text[:at] + raw + text[at:]


def to_bytes(text: str) -> bytes:
    """Encode as UTF-8, writing U+DC80-U+DCFF as the raw bytes 0x80-0xFF and other surrogates as they come."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return b"".join(bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF else c.encode("utf-8", "surrogatepass")
                        for c in text)


def _duplicate_line(text: str, position: float, choice: int) -> str:
    lines, at = _line_at(text, position)
    lines.insert(at, lines[at])
    return "\n".join(lines)


def _swap_lines(text: str, position: float, choice: int) -> str:
    lines, at = _line_at(text, position)
    other = choice % len(lines)
    lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines)


def random_bytes() -> st.SearchStrategy[bytes]:
    """claims.yaml's bytes: random text, random bytes, or YAML-looking junk."""
    yamlish = st.lists(st.sampled_from(["site:", "  title: x", "claims:", "  - id: a", "article:", "- ", ": ",
                                        "{", "[", "]", "}", "&a", "*a", "!!binary", "---", "...", "|", ">",
                                        '"', "'", "#", "\t", "\n", "  ", "? ", "%YAML 1.1", "<<: *a", "\ufeff"]),
                       max_size=40).map("".join)
    return st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        yamlish.map(lambda t: t.encode("utf-8")),
    )
