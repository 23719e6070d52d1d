"""Read content/*.md: YAML front matter between `---` lines, then a Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Location, Problems
from ..core.fields import LINE, SLUG, SLUG_HINT, Choice, Integer, Located, Record, spec
from ..core.names import CONTENT_DIR, THEME_DIR, WINDOWS_DEVICES
from ..core.nodes import Map, check_characters, decode, outside_project, parse_yaml, read_bytes
from ..core.urls import RESERVED
from .model import ContentPage

TEMPLATES = ("page", "methodology", "corrections")


@dataclass(frozen=True, kw_only=True)
class FrontMatter(Located):
    """The front matter of a content page."""

    title: str = spec(LINE, "the page title")
    description: str = spec(LINE, "one sentence for search results and link previews")
    order: int = spec(Integer(minimum=0), "position in the footer menu", required=False, default=100)
    template: str = spec(Choice(TEMPLATES), "page, methodology (appends the rating scale) or "
                         "corrections (appends the corrections log)", required=False, default="page")


_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def read_content_pages(root: Path, problems: Problems) -> tuple[ContentPage, ...]:
    """Read every content page, in menu order then name: the theme's, each replaced by the project's of its name.

    A page of the project that is a symbolic link out of the project (or content/ itself, if it is one) is
    an error, and not read.
    """
    files = {path.stem: path for path in sorted((THEME_DIR / CONTENT_DIR).glob("*.md"))}
    folder = root / CONTENT_DIR
    if folder.is_dir() and outside_project(folder, root):
        problems.error(Location(f"{CONTENT_DIR}/"), "symbolic link to a folder outside the project, or to a hidden "
                       "one", f"Make {CONTENT_DIR}/ a real folder and copy the pages into it.")
    else:
        for path in sorted(folder.glob("*.md")):
            if path.is_symlink() and outside_project(path, root):
                problems.error(Location(path.relative_to(root).as_posix()), "symbolic link to a file outside the "
                               "project, or to a hidden one",
                               f"Copy the page into {CONTENT_DIR}/ instead: a build publishes only the project's "
                               "own files.")
                files.pop(path.stem, None)
                continue
            files[path.stem] = path
    pages = [page for path in files.values() if (page := _read_page(root, path, problems)) is not None]
    return tuple(sorted(pages, key=lambda p: (p.order, p.name)))


def _read_page(root: Path, path: Path, problems: Problems) -> ContentPage | None:
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    name = path.stem
    if not re.fullmatch(SLUG, name) or name in RESERVED or name in WINDOWS_DEVICES:
        hint = SLUG_HINT
        if name in RESERVED:
            hint = f"'{name}' is used by the site; rename the file."
        elif name in WINDOWS_DEVICES:
            hint = f"'{name}' is a device name on Windows, where no file or folder can take it; rename the file."
        problems.error(Location(relative), f"'{name}' cannot be a page name", hint)
        return None
    data = read_bytes(path, relative, problems)
    text = decode(data, relative, problems) if data is not None else None
    if text is None or not check_characters(text, relative, problems):
        return None
    match = _FENCE.match(text)
    if not match:
        problems.error(Location(relative, 1, 1), "missing front matter",
                       "Start the file with '---', then 'title: ...' and 'description: ...', then '---'.")
        return None
    node = parse_yaml(match.group(1), relative, problems, line_offset=1)
    if node is None:
        problems.error(Location(relative, 2), "front matter is empty", "Add 'title:' and 'description:'.")
        return None
    if not isinstance(node, Map):
        problems.error(node.loc, "front matter must be 'key: value' lines", "Add 'title:' and 'description:'.")
        return None
    meta = Record(FrontMatter).read(node, problems)
    if not isinstance(meta, FrontMatter):
        return None
    for key in ("title", "description"):
        if "{{" in getattr(meta, key):
            problems.error(_braces(text, meta.where(key)), "site values such as {{ site.title }} work only in "
                           "the page's text, not in its front matter", f"Write the {key} out in full.")
    body_line = text[: match.end()].count("\n") + 1
    return ContentPage(name=name, title=meta.title, description=meta.description, order=meta.order,
                template=meta.template, body=text[match.end():], loc=Location(relative, body_line))


def _braces(text: str, where: Location) -> Location:
    """Return the place of the first `{{` on the line of `where` from its column on, else `where`."""
    lines = text.split("\n")
    line = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
    column = line.find("{{", max(where.column - 1, 0))
    return Location(where.path, where.line, column + 1) if column >= 0 else where
