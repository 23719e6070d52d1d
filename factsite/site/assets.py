"""Static assets: copied with a content hash in their names, CSS `url()` references rewritten."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Location, Problems
from ..core.names import STATIC_DIR as STATIC
from ..core.names import THEME_DIR

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

    A project file replaces the theme's file of the same name; dot files are skipped.
    """
    sources: dict[str, tuple[bytes, str]] = {}  # name under static/ -> content, and its folder as problems name it
    for folder, shown in ((THEME_DIR / STATIC, (THEME_DIR / STATIC).as_posix()), (root / STATIC, STATIC)):
        _read_folder(folder, shown, sources, problems)
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


def _read_folder(folder: Path, shown: str, sources: dict[str, tuple[bytes, str]], problems: Problems) -> None:
    """Read every file below `folder` into `sources`, replacing what an earlier folder gave."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() or any(part.startswith(".") for part in relative.split("/")):
            continue
        try:
            sources[relative] = (path.read_bytes(), shown)
        except OSError as exc:
            problems.error(Location(f"{shown}/{relative}"), f"cannot read file: {exc.strerror}",
                           "Check the file's permissions.")


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
