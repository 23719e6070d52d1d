"""Static assets: copied with a content hash in their names, CSS `url()` references rewritten."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Location, Problems
from ..core.files import describe_os_error
from ..core.names import STATIC_DIR as STATIC
from ..core.names import THEME_DIR
from ..core.nodes import outside_project

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Assets:
    """The site's static files: source name (`css/site.css`) -> output path and bytes."""

    names: dict[str, str]
    """Source path under static/ -> output path under site/ (e.g. static/site.1a2b3c4d.css)."""
    files: dict[str, bytes]
    """Output path -> content."""

    def output(self, name: str) -> str | None:
        """Return the output path of a source asset, or None if there is no such file."""
        return self.names.get(name)


def _hashed(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:8]
    return f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"


def read_assets(root: Path, problems: Problems, *, fingerprint: bool = True) -> Assets:
    """Read the theme's static files, then the project's static/ over them, and name each output after its content.

    A project file replaces the theme's file of the same name; dot files are skipped, and a symbolic link
    that leads out of the project is an error, never read.
    """
    sources: dict[str, tuple[bytes, str]] = {}  # name under static/ -> content, and its folder as problems name it
    _read_folder(THEME_DIR / STATIC, (THEME_DIR / STATIC).as_posix(), sources, problems, None)
    _read_folder(root / STATIC, STATIC, sources, problems, root)
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}

    def place(name: str, data: bytes) -> None:
        out = f"{STATIC}/{_hashed(name, data) if fingerprint else name}"
        names[name] = out
        files[out] = data

    for name, (data, _) in sources.items():
        if not name.endswith(".css"):
            place(name, data)
    for name, (data, shown) in sources.items():
        if name.endswith(".css"):
            place(name, _rewrite_css(name, data, names, problems, f"{shown}/{name}"))
    return Assets(names, files)


def _read_folder(folder: Path, shown: str, sources: dict[str, tuple[bytes, str]], problems: Problems,
                 project: Path | None) -> None:
    """Read every file below `folder` into `sources`, replacing what an earlier folder gave.

    In a `project` folder, a symbolic link (or the folder itself) leading out of the project is reported.
    """
    if not folder.is_dir():
        return
    if project is not None and outside_project(folder, project):
        problems.error(Location(f"{shown}/"), "symbolic link to a folder outside the project, or to a hidden one",
                       f"Make {shown}/ a real folder and copy into it the files to publish.")
        return
    for path in _entries_below(folder, shown, problems):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        if project is not None and path.is_symlink() and outside_project(path, project):
            what = "folder" if path.is_dir() else "file"
            problems.error(Location(f"{shown}/{relative}"), f"symbolic link to a {what} outside the project, "
                           "or to a hidden one",
                           f"Copy the {what} into {shown}/ instead: a build publishes only the project's own files.")
            continue
        if path.is_dir():
            continue
        try:
            sources[relative] = (path.read_bytes(), shown)
        except FileNotFoundError:
            problems.error(Location(f"{shown}/{relative}"), "the file disappeared while the site was being built",
                           f"Build again once nothing is changing files in {shown}/.")
        except OSError as exc:
            problems.error(Location(f"{shown}/{relative}"), f"cannot read file: {describe_os_error(exc)}",
                           "Check the file's permissions." if isinstance(exc, PermissionError) else "")


def _entries_below(folder: Path, shown: str, problems: Problems) -> list[Path]:
    """Return every file and folder below `folder`, sorted; a folder that cannot be listed is an error.

    Symbolic links to folders are listed, not followed.
    """
    def unreadable(exc: OSError) -> None:
        relative = Path(exc.filename).relative_to(folder).as_posix() if exc.filename else "."
        where = shown if relative == "." else f"{shown}/{relative}"
        problems.error(Location(f"{where}/"), f"cannot read folder: {describe_os_error(exc)}",
                       "Check the folder's permissions.")

    entries: list[Path] = []
    for top, folders, files in os.walk(folder, onerror=unreadable):
        entries.extend(Path(top) / name for name in (*folders, *files))
    return sorted(entries)


def _rewrite_css(name: str, data: bytes, names: dict[str, str], problems: Problems, shown: str) -> bytes:
    """Point a stylesheet's relative url() references at the fingerprinted files."""
    text = data.decode("utf-8", errors="replace")
    base = posixpath.dirname(name)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", ref, re.I):
            return match.group(0)
        path, _, suffix = ref.partition("#")
        target = posixpath.normpath(posixpath.join(base, path))
        if target not in names:
            line = text.count("\n", 0, match.start()) + 1
            problems.error(Location(shown, line), f"url({ref}) points to a missing file",
                           "Check the path; it is relative to the stylesheet.")
            return match.group(0)
        new = posixpath.relpath(names[target][len(STATIC) + 1:], base or ".")
        return f'url("{new}{"#" + suffix if suffix else ""}")'

    return _CSS_URL.sub(replace, text).encode("utf-8")
