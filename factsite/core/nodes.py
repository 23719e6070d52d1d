"""Read YAML into position-carrying nodes: plain strings, lists and mappings, nothing typed.

One pass over the parser's events (libyaml's when available) builds the tree. Anchors,
aliases, tags, duplicate or non-string keys and extra documents are rejected where they
occur; typing a scalar is left to the schema, so `no` or `2019-11-07` stay the text written.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Location, Problems, char_name

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_ScalarEvent, _SequenceEndEvent, _MappingEndEvent = yaml.ScalarEvent, yaml.SequenceEndEvent, yaml.MappingEndEvent
_BLOCK_STYLES = ("|", ">")
_EXTRA_BREAKS = re.compile("[\x85\u2028\u2029\r]")
MAX_BYTES = 20 * 2**20
"""The largest claims.yaml, claims/*.yaml or content page read (20 MB); a larger one is refused unread."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings (claims.yaml needs 6)."""
MAX_NODES = 100_000
"""The most values (scalars, lists and mappings) one file may hold; the 24 claims shipped hold 3,655."""
MAX_LISTED = 10
"""The most bad characters, bytes, escapes, anchors or aliases listed one by one in a file; one more problem
says where the rest begin."""

_UNREADABLE = re.compile(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters a YAML file may not hold as they are: control characters (but tab and line breaks), DEL, C1 controls,
surrogates, U+FFFE and U+FFFF."""
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no value may hold, as they are or as an escape ("\\0", "\\x07", "\\e"): controls but tab and line feed."""
_unwanted = _UNWANTED.search
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", "e": "\x1b", "N": "\x85"}


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar exactly as written; `plain` is False when it was quoted or a block."""

    text: str
    loc: Location
    plain: bool
    block: bool = False
    """True for `|` and `>` scalars, whose text starts on the next line."""
    reported: bool = False
    """True for a stand-in whose problem is already reported (an alias): readers skip it."""


@dataclass(frozen=True, slots=True)
class Seq:
    """A YAML sequence."""

    items: tuple[Node, ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Map:
    """A YAML mapping: key -> (where the key is, value)."""

    entries: dict[str, tuple[Location, Node]]
    loc: Location


Node = Scalar | Seq | Map


class _Stop(Exception):
    """Raised to end a file's parse after a problem that makes the rest meaningless."""


class _TreeBuilder:
    """Turn a stream of parser events into nodes, recording problems."""

    def __init__(self, path: str, problems: Problems, line_offset: int, text: str,
                 next_event: Callable[[], yaml.Event]) -> None:
        self.path = path
        self.next_event = next_event
        """The parser's next event."""
        self.problems = problems
        self.line_offset = line_offset
        self.text = text if _EXTRA_BREAKS.search(text) else None
        self.source = text
        self.unwanted = 0
        """How many values with unwanted characters were found (the first MAX_LISTED are reported)."""
        self.refused = 0
        """How many anchors, aliases and tags were found (the first MAX_LISTED are reported)."""
        self.count = 0
        """How many nodes were read."""

    def refuse(self, where: Location, message: str, hint: str) -> None:
        """Report an anchor, alias or tag; past MAX_LISTED of them, only say once that more follow."""
        self.refused += 1
        if self.refused <= MAX_LISTED:
            self.problems.error(where, message, hint)
        elif self.refused == MAX_LISTED + 1:
            self.problems.error(where, f"more anchors, aliases or tags, from here on (only the first {MAX_LISTED} "
                                "are listed)", "Write each value out in full, without &, * or !.")

    def loc(self, mark: yaml.Mark) -> Location:
        if self.text is not None:  # YAML counts U+0085/U+2028/U+2029 as line breaks; editors do not
            start = self.text.rfind("\n", 0, mark.index) + 1
            line = self.text.count("\n", 0, mark.index)
            return Location(self.path, line + 1 + self.line_offset, mark.index - start + 1)
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def check_event(self, event: yaml.Event) -> None:
        if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent):
            self.refuse(
                self.loc(event.start_mark),
                f"anchors and aliases (&{event.anchor}) are not supported",
                "Write the value out in full where it is needed.",
            )
        tag = getattr(event, "tag", None)
        if tag and tag not in ("!", "tag:yaml.org,2002:str") and not (
            isinstance(event, yaml.ScalarEvent) and event.implicit[0]
        ):
            self.refuse(
                self.loc(event.start_mark),
                f"YAML tags such as '{tag}' are not supported",
                "Remove the tag; the field's type decides how the value is read.",
            )

    def node(self, event: yaml.Event, depth: int) -> Node:
        """Return the node that starts with `event`, reading the events of its content."""
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            self.too_much(event, depth)
        if type(event) is _ScalarEvent:  # the most common by far: the quickest path
            if event.anchor or (event.tag and not event.implicit[0]):
                self.check_event(event)
            if _unwanted(event.value):
                return self.unwanted_scalar(event)
            mark, style = event.start_mark, event.style
            where = Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1) \
                if self.text is None else self.loc(mark)
            return Scalar(event.value, where, not style, style in _BLOCK_STYLES)
        self.check_event(event)
        if isinstance(event, yaml.AliasEvent):
            self.refuse(
                self.loc(event.start_mark),
                f"aliases (*{event.anchor}) are not supported",
                "Write the value out in full where it is needed.",
            )
            return Scalar("", self.loc(event.start_mark), False, reported=True)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(event, depth)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(event, depth)
        raise _Stop  # unreachable for a well-formed event stream

    def sequence(self, start: yaml.Event, depth: int) -> Seq:
        """Read a sequence's items up to its end event."""
        items = []
        next_event, node = self.next_event, self.node
        event = next_event()
        while type(event) is not _SequenceEndEvent:
            items.append(node(event, depth + 1))
            event = next_event()
        return Seq(tuple(items), self.loc(start.start_mark))

    def key(self, event: yaml.Event, depth: int) -> tuple[str | None, Location]:
        """Return a mapping key's text (None when it is not a scalar) and where it is.

        Only a key's text and place are kept, so a plain one (nearly every key) skips making a node.
        """
        if type(event) is _ScalarEvent and self.text is None and not (event.anchor or event.tag) \
                and self.count < MAX_NODES and depth <= MAX_DEPTH and not _unwanted(event.value):
            self.count += 1
            mark = event.start_mark
            return event.value, Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)
        key = self.node(event, depth)
        return (key.text if isinstance(key, Scalar) else None), key.loc

    def too_much(self, event: yaml.Event, depth: int) -> None:
        """Stop reading a file that holds too many values or nests too deep."""
        if depth > MAX_DEPTH:
            self.problems.error(self.loc(event.start_mark), f"nesting deeper than {MAX_DEPTH} levels",
                                "claims.yaml never needs that much nesting; check the indentation.")
        else:
            self.problems.error(self.loc(event.start_mark), f"file holds more than {MAX_NODES:,} values",
                                "Split the claims into claims/*.yaml files.")
        raise _Stop

    def unwanted_scalar(self, event: yaml.ScalarEvent) -> Scalar:
        """Report a value holding a control character (most often written as an escape such as "\\x07")."""
        char = _UNWANTED.search(event.value).group()  # type: ignore[union-attr]
        escape = self.find_escape(event, char) if event.style == '"' else None
        where = self.loc(escape[0] if escape else event.start_mark)
        self.unwanted += 1
        if self.unwanted == MAX_LISTED + 1:
            self.problems.error(where, f"more values with control characters, from here on (only the first "
                                f"{MAX_LISTED} are listed)", "Remove them all.")
        if self.unwanted <= MAX_LISTED:
            given = f"the escape '{escape[1]}' gives" if escape else "value holds"
            kind = "control character" if ord(char) < 0xA0 else "character"
            self.problems.error(where, f"{given} {kind} {char_name(char)}, which no value may hold",
                                "Remove it; write a line break as a new line of a '|' block, and any other "
                                "character as itself.")
        return Scalar(_UNWANTED.sub("\ufffd", event.value), where, not event.style, event.style in ("|", ">"),
                      reported=True)

    def find_escape(self, event: yaml.ScalarEvent, char: str) -> tuple[yaml.Mark, str] | None:
        """Return where, in a double-quoted scalar, the escape that gives `char` is written, and the escape."""
        start, end = event.start_mark, event.end_mark
        raw = self.source[start.index:end.index]
        for match in _ESCAPE.finditer(raw):
            code = match.group()[1:]
            value = chr(int(code[1:], 16)) if len(code) > 1 and code[0] in "xuU" else _SIMPLE_ESCAPES.get(code)
            if value == char:
                offset = match.start()
                breaks = raw.count("\n", 0, offset)
                column = offset - raw.rfind("\n", 0, offset) - 1 if breaks else start.column + offset
                return yaml.Mark(start.name, start.index + offset, start.line + breaks, column, None, None), \
                    match.group()
        return None

    def mapping(self, start: yaml.Event, depth: int) -> Map:
        """Read a mapping's entries up to its end event."""
        entries: dict[str, tuple[Location, Node]] = {}
        next_event, node = self.next_event, self.node
        event = next_event()
        while type(event) is not _MappingEndEvent:
            key, where = self.key(event, depth + 1)
            value = node(next_event(), depth + 1)
            if key is None:
                self.problems.error(where, "a key must be plain text", "Use a simple name as key.")
            elif key in entries:
                first = entries[key][0]
                self.problems.error(
                    where,
                    f"duplicate key '{key}' (first at line {first.line})",
                    "Remove one of them or merge their values.",
                )
            else:
                entries[key] = (where, value)
            event = next_event()
        return Map(entries, self.loc(start.start_mark))


def parse_yaml(text: str, path: str, problems: Problems, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; None when it is empty or not valid YAML.

    `line_offset` is the number of lines before `text` in its file (front matter).
    """
    if len(text) > MAX_BYTES:
        problems.error(Location(path), f"file is {_megabytes(len(text))}; at most {_megabytes(MAX_BYTES)} is read",
                       "Split the claims into claims/*.yaml files.")
        return None
    text = text.removeprefix("\ufeff")
    if not check_characters(text, path, problems, line_offset):
        return None
    loader = _Loader(text)
    builder = _TreeBuilder(path, problems, line_offset, text, loader.get_event)
    try:
        loader.get_event()  # StreamStart
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        root = builder.node(loader.get_event(), 0)
        loader.get_event()  # DocumentEnd
        if not isinstance(loader.peek_event(), yaml.StreamEndEvent):
            extra = loader.peek_event()
            problems.error(builder.loc(extra.start_mark), "a second YAML document ('---') is not allowed",
                           "Keep one document per file.")
            return None
        return root
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = builder.loc(mark) if mark else Location(path)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        if exc.context == "while scanning a quoted scalar" and exc.context_mark and mark \
                and exc.context_mark.line < mark.line:
            opened = builder.loc(exc.context_mark)
            message += f" (the quote at line {opened.line}, column {opened.column} is never closed)"
        quote = _unclosed_quote(text, exc.context_mark.line if exc.context_mark else 0, mark.line) \
            if mark and exc.context != "while scanning a quoted scalar" else None
        if quote is not None:
            problems.error(builder.loc(quote), "invalid YAML: the quote opened here is not closed on its line",
                           f"Close it before the end of the line (YAML read on to line {where.line} and stopped "
                           f"there: {exc.problem}).")
            return None
        opened = exc.context_mark
        if opened and mark and opened.line < mark.line and 0 <= opened.index < len(text) \
                and exc.problem and "did not find expected ','" in exc.problem:
            bracket = text[opened.index]
            closing = {"[": "]", "{": "}"}.get(bracket, "")
            problems.error(builder.loc(opened), f"invalid YAML: the '{bracket}' opened here is not closed",
                           f"Close it with '{closing}' on its line, or write the items on lines of their own "
                           f"(YAML read on to line {where.line} and stopped there).")
            return None
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


_QUOTED_VALUE = re.compile(r"""[ \t]*(?:-[ \t]+)*(?:[^\s'"#][^#]*?:[ \t]+)?(?:-[ \t]+)*(["'])""")
_KEY_LINE = re.compile(r"\n[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*:[ \t\n]")
_CLOSED = {'"': re.compile(r'(?:[^"\\]|\\.)*"'), "'": re.compile(r"(?:[^']|'')*'(?!')")}


def _unclosed_quote(text: str, first: int, last: int) -> yaml.Mark | None:
    """Return where a value's quote opens without closing on its line, between two 0-based lines, if one does.

    A parse error that a quoted scalar running on over several lines caused is reported there.
    """
    if last <= first:
        return None
    start = 0
    for _ in range(first):
        start = text.find("\n", start) + 1
        if not start:
            return None
    for number in range(first, last):
        end = text.find("\n", start)
        if end < 0:
            return None
        match = _QUOTED_VALUE.match(text, start, end)
        if match and not _CLOSED[match.group(1)].match(text, match.end(), end):
            closing = _CLOSED[match.group(1)].match(text, match.end())
            if closing is None or _KEY_LINE.search(text, end, closing.end()):  # not a quoted text over lines
                index = match.end() - 1
                return yaml.Mark("", index, number, index - start, None, None)
        start = end + 1
    return None


def _yaml_hint(message: str, at: str) -> str:
    """Suggest a fix for the YAML syntax errors people make most (`at`: the character at the error)."""
    if "mapping values are not allowed" in message:
        return "A value containing ': ' must be quoted, e.g. title: \"Before: after\"."
    if "tab" in message or at == "\t":
        return "Indent with spaces, not tabs."
    if ("found character" in message and "'@'" in message) or "'`'" in message:
        return "A value starting with @ or ` must be quoted."
    if "invalid Unicode character escape" in message:
        return ("Write the character itself instead of its escape; a \\uD800-\\uDFFF escape is half of a "
                "character and means nothing alone.")
    if "could not find expected ':'" in message:
        return "Each entry needs 'key: value'; check the line above for a missing colon or quote."
    return "Check the indentation and that quotes are closed."


def check_characters(text: str, path: str, problems: Problems, line_offset: int = 0) -> bool:
    """Report each character a project file may not hold (control characters but tab and line breaks, DEL,
    U+FFFE, U+FFFF) at its line and column, naming it; return True when there is none."""
    found = list(itertools.islice(_UNREADABLE.finditer(text), MAX_LISTED + 1))
    for number, match in enumerate(found, 1):
        char = match.group()
        where = _location(text, match.start(), path, line_offset)
        if number > MAX_LISTED:
            problems.error(where, f"more characters that are not allowed, from here on (only the first "
                           f"{MAX_LISTED} are listed)", "Delete them all.")
            break
        kind = "control character" if ord(char) < 0xA0 else "character"
        problems.error(where, f"{kind} {char_name(char)} is not allowed",
                       "Delete it: most editors do not show it (it often comes with text pasted from a PDF or "
                       "a terminal).")
    return not found


def _location(text: str, index: int, path: str, line_offset: int = 0) -> Location:
    """Return the line and column (both from 1, only line feeds counted) of an index of `text`."""
    line = text.count("\n", 0, index) + 1
    return Location(path, line + line_offset, index - text.rfind("\n", 0, index))


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


_UTF16_32 = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
             (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _wide_encoding(data: bytes) -> str | None:
    """Return 'UTF-16' or 'UTF-32' when the bytes are text in that encoding (by its BOM or its zero bytes)."""
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            return name
    head = data[:400]
    if len(head) < 4:
        return None
    quarters = [head[n::4].count(0) * 2 > len(head[n::4]) for n in range(4)]
    if quarters in ([True, True, True, False], [False, True, True, True]):
        return "UTF-32"
    halves = [head[n::2].count(0) * 2 > len(head[n::2]) for n in range(2)]
    return "UTF-16" if halves in ([True, False], [False, True]) else None


def outside_project(path: Path, root: Path) -> bool:
    """Tell whether a path of the project leads, through symbolic links, out of the project folder or to a
    hidden file of it (.git, .env): such a file is never read into the site."""
    try:
        target = path.resolve()
        folder = root.resolve()
    except (OSError, RuntimeError):  # a link loop
        return True
    if not target.is_relative_to(folder):
        return True
    return any(part.startswith(".") for part in target.relative_to(folder).parts)


def read_bytes(file: Path, path: str, problems: Problems, missing_hint: str = "") -> bytes | None:
    """Read a project file of at most MAX_BYTES; None after reporting why it cannot be read."""
    try:
        with file.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    except FileNotFoundError:
        problems.error(Location(path), "file not found", missing_hint)
        return None
    except IsADirectoryError:
        problems.error(Location(path), "is a folder, not a file", "Remove the folder or rename it.")
        return None
    except OSError as exc:
        problems.error(Location(path), f"cannot read file: {exc.strerror}", "Check the file's permissions.")
        return None
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        problems.error(Location(path), f"file is {_megabytes(max(size, len(data)))}; at most "
                       f"{_megabytes(MAX_BYTES)} is read", "Split the claims into claims/*.yaml files."
                       if path.endswith(".yaml") else "Split it into smaller files.")
        return None
    return data


def decode(data: bytes, path: str, problems: Problems) -> str | None:
    """Return a file's bytes as text: UTF-8, a leading BOM dropped; None after reporting each bad byte."""
    wide = _wide_encoding(data)
    if wide:
        problems.error(Location(path), f"file is {wide}", "Save it as UTF-8 (in most editors: Save with "
                       "Encoding, or Save As and choose UTF-8).")
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    runs = itertools.islice(re.finditer("[\udc80-\udcff]+", text), MAX_LISTED + 1)
    for number, run in enumerate(runs, 1):
        where = _location(text, run.start(), path)
        if number > MAX_LISTED:
            problems.error(where, f"more bytes that are not valid UTF-8, from here on (only the first {MAX_LISTED} "
                           "are listed)", "Save the file as UTF-8.")
            break
        byte = ord(run.group()[0]) - 0xDC00
        problems.error(where, f"file is not valid UTF-8 (byte 0x{byte:02x})",
                       "Save the file as UTF-8.")
    return None


def load_file(root: Path, relative: str, problems: Problems) -> Node | None:
    """Read and parse one YAML file of the project."""
    data = read_bytes(root / relative, relative, problems,
                      f"Create {relative}, or run the command in the project folder.")
    if data is None:
        return None
    text = decode(data, relative, problems)
    if text is None:
        return None
    return parse_yaml(text, relative, problems)
