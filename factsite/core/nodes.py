"""Read YAML into position-carrying nodes: plain strings, lists and mappings, nothing typed.

One pass over the parser's events (libyaml's when available) builds the tree. Anchors,
aliases, tags, duplicate or non-string keys and extra documents are rejected where they
occur; typing a scalar is left to the schema, so `no` or `2019-11-07` stay the text written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Location, Problems

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_EXTRA_BREAKS = re.compile("[\x85\u2028\u2029\r]")
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32


@dataclass(frozen=True)
class Scalar:
    """A scalar exactly as written; `plain` is False when it was quoted or a block."""

    text: str
    loc: Location
    plain: bool
    block: bool = False
    """True for `|` and `>` scalars, whose text starts on the next line."""
    reported: bool = False
    """True for a stand-in whose problem is already reported (an alias): readers skip it."""


@dataclass(frozen=True)
class Seq:
    """A YAML sequence."""

    items: tuple[Node, ...]
    loc: Location


@dataclass(frozen=True)
class Map:
    """A YAML mapping: key -> (where the key is, value)."""

    entries: dict[str, tuple[Location, Node]]
    loc: Location


Node = Scalar | Seq | Map


class _Stop(Exception):
    """Raised to end a file's parse after a problem that makes the rest meaningless."""


class _TreeBuilder:
    """Turn a stream of parser events into nodes, recording problems."""

    def __init__(self, path: str, problems: Problems, line_offset: int, text: str) -> None:
        self.path = path
        self.problems = problems
        self.line_offset = line_offset
        self.text = text if _EXTRA_BREAKS.search(text) else None

    def loc(self, mark: yaml.Mark) -> Location:
        if self.text is not None:  # YAML counts U+0085/U+2028/U+2029 as line breaks; editors do not
            start = self.text.rfind("\n", 0, mark.index) + 1
            line = self.text.count("\n", 0, mark.index)
            return Location(self.path, line + 1 + self.line_offset, mark.index - start + 1)
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def check_event(self, event: yaml.Event) -> None:
        if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent):
            self.problems.error(
                self.loc(event.start_mark),
                f"anchors and aliases (&{event.anchor}) are not supported",
                "Write the value out in full where it is needed.",
            )
        tag = getattr(event, "tag", None)
        if tag and tag not in ("!", "tag:yaml.org,2002:str") and not (
            isinstance(event, yaml.ScalarEvent) and event.implicit[0]
        ):
            self.problems.error(
                self.loc(event.start_mark),
                f"YAML tags such as '{tag}' are not supported",
                "Remove the tag; the field's type decides how the value is read.",
            )

    def node(self, events: _Events, depth: int) -> Node:
        event = events.next()
        if depth > MAX_DEPTH:
            self.problems.error(
                self.loc(event.start_mark),
                f"nesting deeper than {MAX_DEPTH} levels",
                "claims.yaml never needs that much nesting; check the indentation.",
            )
            raise _Stop
        self.check_event(event)
        if isinstance(event, yaml.AliasEvent):
            self.problems.error(
                self.loc(event.start_mark),
                f"aliases (*{event.anchor}) are not supported",
                "Write the value out in full where it is needed.",
            )
            return Scalar("", self.loc(event.start_mark), False, reported=True)
        if isinstance(event, yaml.ScalarEvent):
            return Scalar(event.value, self.loc(event.start_mark), not event.style, event.style in ("|", ">"))
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not events.peek_is(yaml.SequenceEndEvent):
                items.append(self.node(events, depth + 1))
            events.next()
            return Seq(tuple(items), self.loc(event.start_mark))
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(events, event, depth)
        raise _Stop  # unreachable for a well-formed event stream

    def mapping(self, events: _Events, start: yaml.Event, depth: int) -> Map:
        entries: dict[str, tuple[Location, Node]] = {}
        while not events.peek_is(yaml.MappingEndEvent):
            key = self.node(events, depth + 1)
            value = self.node(events, depth + 1)
            if not isinstance(key, Scalar):
                self.problems.error(key.loc, "a key must be plain text", "Use a simple name as key.")
                continue
            if key.text in entries:
                first = entries[key.text][0]
                self.problems.error(
                    key.loc,
                    f"duplicate key '{key.text}' (first at line {first.line})",
                    "Remove one of them or merge their values.",
                )
                continue
            entries[key.text] = (key.loc, value)
        events.next()
        return Map(entries, self.loc(start.start_mark))


class _Events:
    """A one-event lookahead over a loader's events."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader

    def next(self) -> yaml.Event:
        return self.loader.get_event()

    def peek_is(self, kind: type) -> bool:
        return isinstance(self.loader.peek_event(), kind)


def parse_yaml(text: str, path: str, problems: Problems, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; None when it is empty or not valid YAML.

    `line_offset` is the number of lines before `text` in its file (front matter).
    """
    if len(text) > MAX_BYTES:
        problems.error(Location(path), f"file is larger than {MAX_BYTES // 2**20} MB",
                       "Split the claims into claims/*.yaml files.")
        return None
    builder = _TreeBuilder(path, problems, line_offset, text)
    loader = _Loader(text)
    events = _Events(loader)
    try:
        events.next()  # StreamStart
        if events.peek_is(yaml.StreamEndEvent):
            return None
        events.next()  # DocumentStart
        root = builder.node(events, 0)
        events.next()  # DocumentEnd
        if not events.peek_is(yaml.StreamEndEvent):
            extra = loader.peek_event()
            problems.error(builder.loc(extra.start_mark), "a second YAML document ('---') is not allowed",
                           "Keep one document per file.")
            return None
        return root
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = builder.loc(mark) if mark else Location(path)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        at = text[mark.index] if mark and 0 <= mark.index < len(text) else ""
        problems.error(where, f"invalid YAML: {message}", _yaml_hint(message, at))
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(path), f"invalid YAML: {exc}", "Check the indentation and quoting.")
        return None
    except _Stop:
        return None
    finally:
        loader.dispose()


def _yaml_hint(message: str, at: str) -> str:
    """Suggest a fix for the YAML syntax errors people make most (`at`: the character at the error)."""
    if "mapping values are not allowed" in message:
        return "A value containing ': ' must be quoted, e.g. title: \"Before: after\"."
    if "tab" in message or at == "\t":
        return "Indent with spaces, not tabs."
    if ("found character" in message and "'@'" in message) or "'`'" in message:
        return "A value starting with @ or ` must be quoted."
    if "could not find expected ':'" in message:
        return "Each entry needs 'key: value'; check the line above for a missing colon or quote."
    return "Check the indentation and that quotes are closed."


def load_file(root: Path, relative: str, problems: Problems) -> Node | None:
    """Read and parse one YAML file of the project."""
    path = root / relative
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.error(Location(relative), "file not found",
                       f"Create {relative}, or run the command in the project folder.")
        return None
    except OSError as exc:
        problems.error(Location(relative), f"cannot read file: {exc.strerror}", "Check the file's permissions.")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        problems.error(Location(relative, line, column), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                       "Save the file as UTF-8.")
        return None
    return parse_yaml(text, relative, problems)
