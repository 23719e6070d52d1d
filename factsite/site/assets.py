"""Static assets: copied with a content hash in their names, CSS `url()` references rewritten."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.names import STATIC_DIR as STATIC
from ..core.errors import Location, Problems

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
    """Read static/ (dot files skipped) and name each output after its content."""
    folder = root / STATIC
    sources: dict[str, bytes] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_dir() or any(part.startswith(".") for part in relative.split("/")):
                continue
            try:
                sources[relative] = path.read_bytes()
            except OSError as exc:
                problems.error(Location(f"{STATIC}/{relative}"), f"cannot read file: {exc.strerror}",
                               "Check the file's permissions.")
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}

    def place(name: str, data: bytes) -> None:
        out = f"{STATIC}/{_hashed(name, data) if fingerprint else name}"
        names[name] = out
        files[out] = data

    for name, data in sources.items():
        if not name.endswith(".css"):
            place(name, data)
    for name, data in sources.items():
        if name.endswith(".css"):
            place(name, _rewrite_css(name, data, names, problems))
    return Assets(names, files)


def _rewrite_css(name: str, data: bytes, names: dict[str, str], problems: Problems) -> bytes:
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
            problems.error(Location(f"{STATIC}/{name}", line), f"url({ref}) points to a missing file",
                           "Check the path; it is relative to the stylesheet.")
            return match.group(0)
        new = posixpath.relpath(names[target][len(STATIC) + 1:], base or ".")
        return f'url("{new}{"#" + suffix if suffix else ""}")'

    return _CSS_URL.sub(replace, text).encode("utf-8")
