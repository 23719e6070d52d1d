"""Field types of claims.yaml: each reads a node into a typed value and describes itself as JSON Schema.

The model's dataclasses name a field type in their metadata (see `spec`); validation and the
generated `claims.schema.json` both come from there, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from .errors import Location, Problems, char_name, did_you_mean, shown
from .names import WINDOWS_DEVICES
from .nodes import Map, Node, Scalar, Seq

INVALID: Any = object()
"""Returned by a field type when the node cannot be read; the problem is already recorded."""

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLEAN_LIKE = {"yes", "no", "on", "off", "y", "n", "true", "false"}
MAX_DIGITS = 100
"""The most digits a number may have (before and after the point together)."""
MAX_TEXT = 100_000
"""The most characters of any text without a bound of its own (an explanation, a note): about 15,000 words."""


def is_null(node: Node) -> bool:
    """Tell whether a node is YAML's empty value (`key:` or `~` or `null`, unquoted)."""
    return isinstance(node, Scalar) and node.plain and node.text in _NULLS


def describe(node: Node) -> str:
    """Name a node's shape for messages."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return f"'{shown(node.text)}'"


class FieldType:
    """Base of all field types."""

    def read(self, node: Node, problems: Problems) -> Any:
        """Return the typed value of a node, or INVALID after recording a problem."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """Return the JSON Schema of the field."""
        raise NotImplementedError

    def scalar(self, node: Node, problems: Problems, expected: str) -> Scalar | None:
        """Return the node if it is a scalar, else record a problem."""
        if isinstance(node, Scalar):
            return node
        problems.error(node.loc, f"expected {expected}, found {describe(node)}",
                       "Write a single value here.")
        return None


def _odd_character(text: str) -> str:
    """Name the first invisible or non-ASCII character of a value meant to be ASCII (a look-alike letter)."""
    odd = next((c for c in text if not c.isascii() or not c.isprintable()), None)
    if odd is None:
        return ""
    if not odd.isprintable():
        return f"It holds the invisible character {char_name(odd)}. "
    return f"It holds {char_name(odd)}, which is not an ASCII character (it may only look like one). "


_compiled = functools.cache(re.compile)
"""The compiled form of a field's pattern (re's own cache costs a lookup by pattern and flags per value)."""


@dataclasses.dataclass(frozen=True)
class Text(FieldType):
    """A string kept exactly as written (a plain `no` or `1e3` stays that text)."""

    max_length: int | None = None
    warn_length: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    multiline: bool = False
    reserved: frozenset[str] = frozenset()
    """Values the pattern allows but that cannot be used (device names of Windows for a page name)."""

    def read(self, node: Node, problems: Problems) -> Any:
        scalar = self.scalar(node, problems, "text")
        if scalar is None:
            return INVALID
        text = scalar.text if self.multiline else scalar.text.strip()
        if not text.strip():
            problems.error(scalar.loc, "value is empty", "Write a value or remove the key.")
            return INVALID
        limit = self.max_length or MAX_TEXT
        if len(text) > limit:
            problems.error(scalar.loc, f"text is {len(text):,} characters, more than {limit:,}",
                           "Shorten it." if self.max_length else "Shorten it, or split it into content pages.")
            return INVALID
        if not self.multiline and "\n" in text:
            problems.error(scalar.loc, "expected a single line of text",
                           "Join the lines, or use a plain scalar without '|'.")
            return INVALID
        if not self.multiline and "\t" in text:
            problems.error(scalar.loc, "a tab in a single line of text", "Write a space instead.")
            return INVALID
        if self.pattern and not _compiled(self.pattern).fullmatch(text):
            ascii_only = "".join(c for c in text if c.isascii() and c.isprintable())
            odd = _odd_character(text) if _compiled(self.pattern).fullmatch(ascii_only) else ""
            problems.error(scalar.loc, f"'{shown(text)}' is not a valid value here", odd + self.pattern_hint)
            return INVALID
        if text.lower() in self.reserved:
            problems.error(scalar.loc, f"'{text}' is a device name on Windows: no file or folder can take it there",
                           "Choose another name, e.g. " + text + "-1.")
            return INVALID
        if self.warn_length and len(text) > self.warn_length:
            problems.warning(scalar.loc, f"text is {len(text)} characters, more than {self.warn_length}",
                             "Shorten it: fact-check tools show about that much.")
        return text

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.max_length:
            out["maxLength"] = self.max_length
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})$"
        return out


@dataclasses.dataclass(frozen=True)
class Choice(FieldType):
    """One of a fixed set of words."""

    choices: tuple[str, ...]

    def read(self, node: Node, problems: Problems) -> Any:
        if isinstance(node, Scalar) and node.text in self.choices:  # the common case, without building a message
            return node.text
        scalar = self.scalar(node, problems, "one of " + ", ".join(self.choices))
        if scalar is None:
            return INVALID
        hint = did_you_mean(scalar.text, self.choices) or ""
        problems.error(scalar.loc, f"'{shown(scalar.text)}' is not allowed here",
                       (hint + " " if hint else "") + "Use one of: " + ", ".join(self.choices) + ".")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


@dataclasses.dataclass(frozen=True)
class Boolean(FieldType):
    """`true` or `false`, nothing else (no YAML 1.1 `yes`/`on`)."""

    def read(self, node: Node, problems: Problems) -> Any:
        scalar = self.scalar(node, problems, "true or false")
        if scalar is None:
            return INVALID
        if scalar.plain and scalar.text in ("true", "false"):
            return scalar.text == "true"
        hint = "Write true or false."
        if scalar.text.lower() in _BOOLEAN_LIKE:
            hint = f"Write {'true' if scalar.text.lower() in ('yes', 'on', 'y', 'true') else 'false'}."
        problems.error(scalar.loc, f"expected true or false, found '{shown(scalar.text)}'", hint)
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclasses.dataclass(frozen=True)
class Integer(FieldType):
    """A whole number written in plain decimal digits."""

    minimum: int | None = None

    def read(self, node: Node, problems: Problems) -> Any:
        scalar = self.scalar(node, problems, "a whole number")
        if scalar is None:
            return INVALID
        if not re.fullmatch(r"-?[0-9]+", scalar.text):
            problems.error(scalar.loc, f"expected a whole number, found '{shown(scalar.text)}'",
                           "Write digits only, e.g. 3.")
            return INVALID
        if not _few_digits(scalar.text, scalar.loc, problems):
            return INVALID
        value = int(scalar.text)
        if self.minimum is not None and value < self.minimum:
            problems.error(scalar.loc, f"{value} is less than {self.minimum}",
                           f"Use {self.minimum} or more.")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _few_digits(text: str, loc: Location, problems: Problems) -> bool:
    """Refuse a number of more than MAX_DIGITS digits (no figure has that many; Python's int stops at 4300)."""
    digits = sum(1 for c in text if c.isdigit())
    if digits <= MAX_DIGITS:
        return True
    problems.error(loc, f"number has {digits} digits; at most {MAX_DIGITS}",
                   "Check the figure: a digit may be repeated, or two numbers run together.")
    return False


def _number_hint(text: str) -> str:
    """Say how to write a number that YAML 1.1 or a spreadsheet would read but factsite does not."""
    if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return f"Leave out the thousands separators: {text.replace(',', '')}."
    if re.fullmatch(r"-?[0-9]+(_[0-9]+)+(\.[0-9]+)?", text):
        return f"Leave out the underscores: {text.replace('_', '')}."
    exponent = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?[eE][-+]?([0-9]{1,2})", text)
    if exponent:
        return f"Write it out in full: {Decimal(text):f}."
    if re.fullmatch(r"0[xX][0-9a-fA-F]{1,20}", text):
        return f"Write it in decimal: {int(text, 16)}."
    if re.fullmatch(r"-?0+[0-9]+(\.[0-9]+)?", text):
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        digits = digits.lstrip("0")
        return f"Leave out the leading zeros: {sign}{digits if digits[:1].isdigit() else '0' + digits}."
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)", text):
        return "A figure must be a finite number, written in digits."
    if re.fullmatch(r"-?[0-9]+(:[0-5]?[0-9])+(\.[0-9]*)?", text):
        return "A time or a ratio is not a number: write the figure the claim states, e.g. 750 for minutes."
    if text.startswith("+") and _NUMBER.fullmatch(text[1:]):
        return f"Leave out the plus sign: {text[1:]}."
    return "Write a plain decimal such as 31335 or 26.2."


@dataclasses.dataclass(frozen=True)
class Number(FieldType):
    """A plain decimal (31335, 26.2), read exactly; the digits written set its precision."""

    def read(self, node: Node, problems: Problems) -> Any:
        scalar = self.scalar(node, problems, "a number")
        if scalar is None:
            return INVALID
        text = scalar.text.strip()
        if not _NUMBER.fullmatch(text):
            problems.error(scalar.loc, f"expected a number, found '{shown(text)}'", _number_hint(text))
            return INVALID
        if not _few_digits(text, scalar.loc, problems):
            return INVALID
        return Decimal(text)

    def schema(self) -> dict[str, Any]:
        return {"type": "number"}


_DATE_FORMS = {
    "day": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "YYYY-MM-DD"),
    "month": (re.compile(r"[0-9]{4}-[0-9]{2}"), "YYYY-MM"),
    "year": (re.compile(r"[0-9]{4}"), "YYYY"),
}


@dataclasses.dataclass(frozen=True)
class Date(FieldType):
    """A calendar date `YYYY-MM-DD` (a real day); with `partial`, also `YYYY-MM` or `YYYY` (kept as text)."""

    partial: bool = False

    def read(self, node: Node, problems: Problems) -> Any:
        forms = "YYYY-MM-DD, YYYY-MM or YYYY" if self.partial else "YYYY-MM-DD"
        scalar = self.scalar(node, problems, f"a date ({forms})")
        if scalar is None:
            return INVALID
        text = scalar.text.strip()
        for name, (pattern, _) in _DATE_FORMS.items():
            if not pattern.fullmatch(text) or (name != "day" and not self.partial):
                continue
            try:
                if name == "day":
                    return dt.date.fromisoformat(text)
                dt.date.fromisoformat(text + ("-01" if name == "month" else "-01-01"))
                return text
            except ValueError:
                problems.error(scalar.loc, f"'{text}' is not a real date",
                               "Check the month (01-12) and the day of the month.")
                return INVALID
        problems.error(scalar.loc, f"expected a date ({forms}), found '{shown(text)}'",
                       "Write it like 2019-11-07.")
        return INVALID

    def schema(self) -> dict[str, Any]:
        if self.partial:
            return {"anyOf": [{"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                              {"type": "integer", "minimum": 1000, "maximum": 9999}]}
        return {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


MAX_URL = 4096
"""The longest URL accepted, in characters."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_NOT_IN_URL = re.compile(r'[\s"<>\\`\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]')
"""Characters a URL cannot hold as they are: spaces, quotes and angle brackets (which would end an HTML
attribute or tag), backslashes, control and invisible characters."""


def _url_char(char: str) -> str:
    return "a space" if char == " " else f"'{char}'" if char.isprintable() and char.isascii() else char_name(char)


@dataclasses.dataclass(frozen=True)
class Url(FieldType):
    """An absolute URL with an allowed scheme (http and https by default)."""

    schemes: tuple[str, ...] = ("http", "https")
    trailing_slash: bool = False

    def read(self, node: Node, problems: Problems) -> Any:
        scalar = self.scalar(node, problems, "a URL")
        if scalar is None:
            return INVALID
        text = scalar.text.strip()
        allowed = " or ".join(f"{s}:" for s in self.schemes)
        if len(text) > MAX_URL:
            problems.error(scalar.loc, f"URL is {len(text):,} characters, more than {MAX_URL:,}",
                           "Link to the page itself, without search or tracking parameters.")
            return INVALID
        scheme = _SCHEME.match(text)
        if scheme is None or scheme.group(1).lower() not in self.schemes:
            problems.error(scalar.loc, f"'{shown(text)}' is not an allowed URL",
                           f"Use an absolute {allowed} URL, e.g. https://example.org/page.")
            return INVALID
        bad = _NOT_IN_URL.search(text)
        if bad:
            char = bad.group()
            how = f"write it as %{ord(char):02X}" if char.isascii() else "remove it"
            problems.error(scalar.loc, f"'{shown(text)}' holds {_url_char(char)}, which cannot be part of a URL",
                           f"Copy the address from the browser's address bar, or {how}.")
            return INVALID
        try:
            parts = urlsplit(text)
        except ValueError as exc:  # an unclosed '[' in the host, or a host that NFKC turns into '/', '@', ...
            problems.error(scalar.loc, f"'{shown(text)}' is not a valid URL: {str(exc).lower()}",
                           "Copy the address from the browser's address bar.")
            return INVALID
        if parts.scheme.lower() in ("http", "https") and (not parts.netloc or not text[len(scheme.group()):]
                                                          .startswith("//")):
            problems.error(scalar.loc, f"'{shown(text)}' is not a valid URL",
                           "Write the full address, e.g. https://example.org/page, without spaces.")
            return INVALID
        if self.trailing_slash and not parts.path.endswith("/"):
            problems.error(scalar.loc, f"'{shown(text)}' must end with '/'", f"Write {shown(text)}/.")
            return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri",
                "pattern": "^(" + "|".join(self.schemes) + "):"}


@dataclasses.dataclass(frozen=True)
class ListOf(FieldType):
    """A list of items of one type."""

    item: FieldType
    min_items: int = 0
    unique: bool = False

    def read(self, node: Node, problems: Problems) -> Any:
        if not isinstance(node, Seq):
            if isinstance(node, Scalar) and not self.min_items and is_null(node):
                return ()
            problems.error(node.loc, f"expected a list, found {describe(node)}",
                           "Start each item on its own line with '- ', or write [a, b].")
            return INVALID
        if len(node.items) < self.min_items:
            problems.error(node.loc, f"needs at least {self.min_items} item{'s' * (self.min_items != 1)}",
                           "Add one." if self.min_items == 1 else "Add more.")
            return INVALID
        values = [INVALID if isinstance(item, Scalar) and item.reported else self.item.read(item, problems)
                  for item in node.items]
        if any(v is INVALID for v in values):
            return INVALID
        if self.unique:
            seen: set[Any] = set()
            for item, value in zip(node.items, values, strict=False):
                if value in seen:
                    problems.error(item.loc, f"'{value}' is listed twice", "Remove the repeat.")
                seen.add(value)
        return tuple(values)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.unique:
            out["uniqueItems"] = True
        return out


SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_HINT = "Use lowercase letters, digits and single hyphens, e.g. fentanyl-seized."


def slug_text(max_length: int = 64) -> Text:
    """Return the field type of an identifier used in URLs (and so in file names)."""
    return Text(max_length=max_length, pattern=SLUG, pattern_hint=SLUG_HINT, reserved=WINDOWS_DEVICES)


LINE = Text(max_length=300)
"""A single line of text."""
PARAGRAPHS = Text(multiline=True)
"""Markdown, over as many lines as needed."""


def spec(kind: FieldType, doc: str, *, required: bool = True, default: Any = None) -> Any:
    """Declare a model field: its type, what it means, and whether it must be given."""
    metadata = {"type": kind, "doc": doc, "required": required}
    if required:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple for a mutable default")
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Located:
    """A record that knows where it, and each of its fields, was written."""

    loc: Location = dataclasses.field(default=Location(""), compare=False, repr=False)
    field_locs: tuple[tuple[str, Location], ...] = dataclasses.field(default=(), compare=False, repr=False)

    def where(self, name: str) -> Location:
        """Return where a field's value was written (the record's place if unknown)."""
        return dict(self.field_locs).get(name, self.loc)


def model_fields(cls: type) -> list[dataclasses.Field]:
    """Return the fields of a record that claims.yaml sets (not `loc`)."""
    return [f for f in dataclasses.fields(cls) if "type" in f.metadata]


@dataclasses.dataclass(frozen=True)
class Record(FieldType):
    """A mapping read into a frozen dataclass of the model, unknown keys refused."""

    cls: type
    shorthand: Callable[[Scalar], dict[str, Any]] | None = None
    shorthand_schema: dict[str, Any] | None = None

    def read(self, node: Node, problems: Problems) -> Any:
        if isinstance(node, Scalar) and self.shorthand and not is_null(node) and node.text.strip():
            return self.cls(**self.shorthand(node), loc=node.loc)
        if not isinstance(node, Map):
            problems.error(node.loc, f"expected a mapping of {', '.join(self.keys())}, found {describe(node)}",
                           "Write 'key: value' lines indented under this one.")
            return INVALID
        return self.read_map(node, problems)

    def keys(self) -> list[str]:
        """Return the YAML keys of the record."""
        return [_key(f.name) for f in model_fields(self.cls)]

    def read_map(self, node: Map, problems: Problems, extra: Sequence[str] = ()) -> Any:
        """Read a mapping's known keys; keys in `extra` are left for the caller."""
        specs = _field_specs(self.cls)
        entries = node.entries
        ok = entries.keys() <= specs.keys() or _no_unknown_keys(node, problems, list(specs), extra)
        values: dict[str, Any] = {}
        locs: list[tuple[str, Location]] = []
        for key, (name, kind, required, doc) in specs.items():
            entry = entries.get(key)
            value_node = entry[1] if entry is not None else None
            if isinstance(value_node, Scalar) and value_node.reported:
                ok = False
                continue
            if value_node is None or is_null(value_node):
                if required:
                    problems.error(node.loc if entry is None else entry[0], f"missing required key '{key}'",
                                   f"Add '{key}: ...' ({doc}).")
                    ok = False
                continue
            value = kind.read(value_node, problems)
            locs.append((name, _content_loc(value_node)))
            if value is INVALID:
                ok = False
            else:
                values[name] = value
        if not ok:
            return INVALID
        return self.cls(**values, loc=node.loc, field_locs=tuple(locs))

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.cls.__name__}"}

    def definition(self) -> dict[str, Any]:
        """Return the JSON Schema object definition of the record."""
        properties = {}
        required = []
        for field in model_fields(self.cls):
            prop = dict(field.metadata["type"].schema())
            prop["description"] = field.metadata["doc"]
            properties[_key(field.name)] = prop
            if field.metadata["required"]:
                required.append(_key(field.name))
        out: dict[str, Any] = {"type": "object", "description": (self.cls.__doc__ or "").strip(),
                               "properties": properties, "additionalProperties": False}
        if required:
            out["required"] = required
        if self.shorthand_schema:
            return {"anyOf": [out, self.shorthand_schema], "description": out["description"]}
        return out


def _no_unknown_keys(node: Map, problems: Problems, known: list[str], extra: Sequence[str]) -> bool:
    """Report the keys of a mapping that are neither known nor in `extra`; return True when there is none."""
    unknown = 0
    for key, (key_loc, _) in node.entries.items():
        if key not in known and key not in extra:
            unknown += 1  # past a few, no spelling suggestions: they cost time and help nobody
            hint = did_you_mean(key, known + list(extra)) if unknown <= 10 and len(key) < 100 else ""
            hint_known = "Known keys: " + ", ".join(known + list(extra)) + "."
            problems.error(key_loc, f"unknown key '{shown(key)}'", f"{hint} {hint_known}".strip())
    return not unknown


@functools.cache
def _field_specs(cls: type) -> dict[str, tuple[str, FieldType, bool, str]]:
    """Return a record's fields by YAML key: (field name, type, required, doc); read once per class."""
    return {_key(f.name): (f.name, f.metadata["type"], f.metadata["required"], f.metadata["doc"])
            for f in model_fields(cls)}


def _content_loc(node: Node) -> Location:
    """Return where a value's content starts: the line after `|` or `>` for block scalars."""
    if isinstance(node, Scalar) and node.block:
        return Location(node.loc.path, node.loc.line + 1)
    return node.loc


def _key(name: str) -> str:
    """Map a Python field name to its YAML key (`from_` -> `from`)."""
    return name.rstrip("_")
