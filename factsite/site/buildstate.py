"""What a build keeps for the next one: the digest of its inputs, what it reported, and its caches.

`build` seals this into `.factsite/cache/builds/`, two files per output folder: a small stamp
(digest, folder, report) and the caches. The next build into the same folder reads the stamp and
compares digests: when no input changed, and the folder is still the one it wrote, it repeats the
last report and touches nothing; otherwise it reads the claims that changed, renders the pages
whose inputs changed, and takes every other page from the folder as it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import stat
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import sealed
from ..core.errors import Problem
from ..core.names import INPUTS, TEMPLATES_DIR, TOOL_DIR
from .options import BuildOptions

if TYPE_CHECKING:  # the caches' modules import the template engine, which a build that is up to date never needs
    from ..project.claimcache import ClaimCache
    from .render import RenderCache

STATE_DIR = f"{TOOL_DIR}/cache/builds"
PACKAGE = Path(__file__).resolve().parents[1]
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdurl", "pyyaml", "pillow")
"""The libraries whose version can change a page: a new one makes every page render again."""


@dataclass(frozen=True)
class Built:
    """What a build reports: its warnings, what it wrote, and the checks' summary."""

    warnings: list[Problem]
    pages: int
    files: int
    changed: int
    """How many files of the output folder this build wrote, replaced or removed."""
    summary: str
    """The checks' results in one line."""
    base_url: str
    skipped: bool = False
    """True when no input had changed, so nothing was read, rendered or written."""


@dataclass(frozen=True)
class Stamp:
    """What the last build into a folder read and wrote, and what it reported."""

    inputs: str
    folder: tuple[int, int]
    """The output folder written, as (device, inode): another folder put in its place is not trusted."""
    files: str
    """A digest of the folder's files, names, sizes and modification times: one changed, added or
    removed by hand makes the next build do its work again."""
    built: Built
    caches: str
    """A random name shared with the caches kept beside the stamp, so a stamp is never paired with
    caches another build wrote."""


@dataclass(frozen=True)
class Caches:
    """The caches that spare the next build work: claims read, Markdown, cards and pages rendered."""

    name: str
    templates: str
    """The project's templates that rendered them (`templates_digest`): others would render otherwise."""
    render: RenderCache
    claims: ClaimCache
    files: dict[str, tuple[int, int]]
    """Each file of the output folder written, by path: (size, modification time in ns)."""


def _path(root: Path, out: Path, kind: str) -> Path:
    """Return the file keeping the stamp or the caches of builds of `root` into `out`.

    Each version of factsite's code keeps its own folder, so none ever reads another's files.
    """
    name = hashlib.sha256(os.fsencode(os.path.realpath(out))).hexdigest()[:32]
    return root / STATE_DIR / code_digest()[:16] / f"{name}.{kind}"


def _remove_other_versions(root: Path) -> None:
    """Remove the files other versions of factsite kept: they will never be read."""
    mine = code_digest()[:16]
    with contextlib.suppress(OSError):
        for folder in (root / STATE_DIR).iterdir():
            if folder.name != mine and re.fullmatch("[0-9a-f]{16}", folder.name) and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


def load_stamp(root: Path, out: Path) -> Stamp | None:
    """Return the stamp the last build into `out` left, if it is intact and sealed by this user, and
    `out` is still the folder that build wrote."""
    stamp = sealed.load(_path(root, out, "stamp"))
    if not isinstance(stamp, Stamp) or stamp.folder != folder_identity(out):
        return None
    if stamp.files != files_digest(scan_folder(out)):
        return None
    return stamp


def load_caches(root: Path, out: Path, stamp: Stamp) -> Caches | None:
    """Return the caches the build that left `stamp` kept."""
    caches = sealed.load(_path(root, out, "caches"))
    if not isinstance(caches, Caches) or caches.name != stamp.caches or caches.templates != templates_digest(root):
        return None
    return caches


def save(root: Path, out: Path, stamp: Stamp, caches: Caches) -> None:
    """Keep the stamp and caches of a build into `out`; a project that cannot be written keeps none."""
    _remove_other_versions(root)
    if sealed.store(_path(root, out, "caches"), caches):
        sealed.store(_path(root, out, "stamp"), stamp)


def forget(root: Path, out: Path) -> None:
    """Remove the stamp of builds into `out` (before a build that changes the folder may fail half-way)."""
    _path(root, out, "stamp").unlink(missing_ok=True)


def scan_folder(out: Path) -> dict[str, tuple[int, int]]:
    """Return each file under `out` by its path there: (size, modification time in ns); (-1, -1) for
    what is not a regular file or a folder, and for what cannot be read."""
    files: dict[str, tuple[int, int]] = {}

    def scan(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            files[prefix] = (-1, -1)
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path, f"{prefix}{entry.name}/")
                    continue
                found = entry.stat(follow_symlinks=False)
                regular = stat.S_ISREG(found.st_mode)
                files[prefix + entry.name] = (found.st_size, found.st_mtime_ns) if regular else (-1, -1)
            except OSError:
                files[prefix + entry.name] = (-1, -1)

    scan(os.fspath(out), "")
    return files


def files_digest(files: dict[str, tuple[int, int]]) -> str:
    """Return a digest of a folder's scan."""
    return hashlib.sha256(repr(sorted(files.items())).encode("utf-8")).hexdigest()


def folder_identity(out: Path) -> tuple[int, int] | None:
    """Return the output folder's (device, inode), or None when it does not exist."""
    try:
        found = os.stat(out)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def inputs_digest(root: Path, options: BuildOptions, today: dt.date) -> str:
    """Return a digest of everything a build's result depends on.

    That is every file a build reads from the project (claims.yaml, claims/, content/, templates/,
    static/), factsite's own code and theme, the libraries' versions, the options and today's date
    (the editorial checks compare dates with it).
    """
    return _files_digest(root, _input_files(root), code_digest(), repr(options), today.isoformat())


def templates_digest(root: Path) -> str:
    """Return a digest of the project's own templates."""
    return _files_digest(root, _input_files(root, (TEMPLATES_DIR,)))


def _files_digest(root: Path, files: list[Path | OSError], *extra: str) -> str:
    """Return a digest of the files' names (relative to `root`) and contents, and of `extra`."""
    digest = hashlib.sha256(repr(extra).encode("utf-8"))
    for path in files:
        if isinstance(path, OSError):
            digest.update(f"unlistable: {path.filename} {path.errno}\0".encode())
            continue
        digest.update(os.fsencode(path.relative_to(root)) + b"\0")
        try:
            with path.open("rb") as file:
                digest.update(hashlib.file_digest(file, "sha256").digest())
        except OSError as exc:
            digest.update(f"unreadable: {exc.errno}".encode())
    return digest.hexdigest()


def _input_files(root: Path, names: tuple[str, ...] = INPUTS) -> list[Path | OSError]:
    """Return every file under the project's inputs (or those named), in a fixed order, and the
    errors met listing their folders (for the digest to differ from one of a complete listing)."""
    files: list[Path | OSError] = []
    for name in names:
        path = root / name
        if path.is_file():
            files.append(path)
            continue
        for folder, folders, file_names in os.walk(path, onerror=files.append):  # symlinked folders are not read
            folders.sort()
            files.extend(Path(folder, file) for file in sorted(file_names))
    return files


@functools.cache
def code_digest() -> str:
    """Return a digest of factsite's code and theme, Python's version and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    for folder, folders, names in os.walk(PACKAGE):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(names):
            path = Path(folder, name)
            digest.update(os.fsencode(path.relative_to(PACKAGE)) + b"\0" + path.read_bytes())
    return digest.hexdigest()
