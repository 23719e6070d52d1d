"""The reader's search: a Pagefind index of the claim and content pages, made by the pagefind binary.

The binary comes from the pinned `pagefind-bin-extended` package (the extended build segments
Chinese and Japanese text into words). It indexes a folder, so the pages to index are linked or
written into a scratch folder first; the index it writes there becomes the site's `pagefind/`. An
index is kept in `.factsite/cache/search/`, named after a digest of the pages it indexes, so a
build whose searchable pages did not change reuses it without running the binary.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from importlib import metadata
from pathlib import Path

from ..core import urls
from ..core.files import describe_os_error
from ..core.names import SEARCH_CACHE_DIR
from .searchorder import reorder
from .write import Output

PACKAGE = "pagefind-bin-extended"
TIMEOUT = 600.0
"""Seconds the binary may take: far more than 10,000 claims need, but a hung process ends."""
UNUSED = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"})
"""Pagefind's ready-made interfaces: the site has its own (static/search.js), so they are not published."""
COMPLETE = ".complete"
"""The file a cached index holds once every file of it is in place."""


class SearchIndexError(Exception):
    """The index could not be made; the message says why and what to do."""


def executable() -> Path:
    """Return the pagefind binary the pinned package ships; raise SearchIndexError if it is missing."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found, import-untyped]
    except ImportError as exc:
        raise SearchIndexError(f"the {PACKAGE} package is not installed. Install factsite's dependencies "
                               "again: pip install -r requirements.txt") from exc
    return Path(get_executable())


def search_bundle(root: Path, pages: dict[str, Output], *, keep: bool) -> dict[str, Output]:
    """Return the site's `pagefind/` files indexing `pages` (output path -> HTML), by output path.

    With `keep`, the index is kept in the project's cache and its files are given as paths there;
    without (`check`, which writes nothing into the project), it is made in a temporary folder and
    its files given as bytes.
    """
    if not pages:
        return {}  # nothing to index: the search page lists every claim (none) instead
    key = _digest(pages)
    cache = root / SEARCH_CACHE_DIR
    kept = cache / key
    if keep and (kept / COMPLETE).is_file():
        return _listed(kept)
    try:
        if keep:
            cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="index-", dir=cache if keep else None) as scratch:
            work = Path(scratch)
            _index(pages, work / "pages", work / "bundle")
            if not keep:
                return {output: path.read_bytes() for output, path in _listed(work / "bundle").items()}
            (work / "bundle" / COMPLETE).touch()
            _forget_others(cache, keep=key)
            try:
                os.replace(work / "bundle", kept)
            except OSError:
                if not (kept / COMPLETE).is_file():  # else another build made the same index meanwhile
                    raise
    except OSError as exc:
        raise SearchIndexError(f"could not write the search index in {cache}: {describe_os_error(exc)}. "
                               "Check the free disk space and the folder's permissions") from exc
    return _listed(kept)


def _digest(pages: dict[str, Output]) -> str:
    """Return a digest of the pages and of the binary's version: equal digests make equal indexes."""
    digest = hashlib.sha256(metadata.version(PACKAGE).encode())
    for output in sorted(pages):
        data = pages[output]
        content = data if isinstance(data, bytes) else data.read_bytes()
        digest.update(f"\0{output}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def _index(pages: dict[str, Output], site: Path, bundle: Path) -> None:
    """Put the pages into `site` (linking files that exist, writing the rest) and index them into `bundle`."""
    for output in sorted(pages):
        data = pages[output]
        target = site / output
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            try:
                os.link(data, target)
                continue
            except OSError:
                data = data.read_bytes()
        target.write_bytes(data)
    binary = executable()
    command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                              env={**os.environ, "NO_COLOR": "1"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run {binary.name}: {exc}. Install factsite's dependencies again: "
                               "pip install -r requirements.txt") from exc
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = " ".join((done.stderr or done.stdout).split())[:500] or f"exit code {done.returncode}"
        raise SearchIndexError(f"{binary.name} could not index the pages: {said}")
    reorder(bundle)


def _listed(bundle: Path) -> dict[str, Output]:
    """Return the files of an index folder as the site's `pagefind/` outputs, leaving out what the site does not use."""
    found: dict[str, Output] = {}
    for folder, _, names in os.walk(bundle):
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(bundle).as_posix()
            if relative != COMPLETE and relative not in UNUSED:
                found[urls.SEARCH_BUNDLE + relative] = path
    return dict(sorted(found.items()))


def _forget_others(cache: Path, keep: str) -> None:
    """Remove the indexes kept for earlier versions of the pages (only the newest is reused), and
    scratch folders that builds killed over an hour ago left behind."""
    stale = time.time() - 3600
    for entry in os.scandir(cache):
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.name == keep:
                continue
            if not entry.name.startswith("index-") or entry.stat(follow_symlinks=False).st_mtime < stale:
                shutil.rmtree(entry.path)
        except OSError:
            continue  # another build's, or gone already: a later build tries again
