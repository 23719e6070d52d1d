"""Write a rendered site: stage beside the output, then swap, so a failed build changes nothing."""

from __future__ import annotations

import os
import posixpath
import shutil
from pathlib import Path

from ..core.files import write_atomic
from ..core.names import MARKER

MARKER_TEXT = b"This folder is written by factsite; a build replaces all of it.\n"


class OutputError(Exception):
    """The output folder cannot be used (it is not ours, or a path would escape it)."""


def safe_relative(path: str) -> str:
    """Return `path` if it stays inside the output folder; raise OutputError otherwise."""
    normal = posixpath.normpath(path)
    if (not path or path.startswith(("/", "\\")) or "\\" in path or normal.startswith("..")
            or normal != path or ":" in path.split("/")[0]):
        raise OutputError(f"refusing to write '{path}': it is not a plain path inside the output folder")
    return normal


def check_output_folder(out: Path) -> None:
    """Refuse an output folder that exists, is not empty and was not written by factsite."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"{out} is not empty and was not written by factsite (no {MARKER} file in it); "
                          "choose another --out folder or empty this one")


def write_site(outputs: dict[str, bytes], out: Path) -> int:
    """Replace `out` with exactly `outputs` (plus the marker); return how many files changed.

    Unchanged files are hard-linked from the current folder into the staging one, so a large
    site is cheap to rebuild; the swap is two renames.
    """
    check_output_folder(out)
    for path in outputs:
        safe_relative(path)
    out = out.absolute()
    stage = out.with_name(f".{out.name}.factsite-new")
    old = out.with_name(f".{out.name}.factsite-old")
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    changed = 0
    stage.mkdir(parents=True)
    try:
        for path, data in {**outputs, MARKER: MARKER_TEXT}.items():
            target = stage / path
            target.parent.mkdir(parents=True, exist_ok=True)
            current = out / path
            if _same_bytes(current, data):
                try:
                    os.link(current, target)
                    continue
                except OSError:
                    pass
            target.write_bytes(data)
            changed += 1
        if out.exists():
            out.rename(old)
        stage.rename(out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return changed


def update_in_place(outputs: dict[str, bytes], out: Path, previous: dict[str, bytes] | None = None) -> list[str]:
    """Bring `out` to `outputs` file by file, touching only what changed; return the changed paths.

    For the preview folder, which a server reads while it changes: each file is replaced
    atomically, and stale files are removed last. `previous` is what the last call wrote: when
    given, files are compared with it instead of being read back from disk.
    """
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, data in {**outputs, MARKER: MARKER_TEXT}.items():
        target = out / safe_relative(path)
        if previous is not None and path != MARKER:
            if previous.get(path) == data:
                continue
        elif _same_bytes(target, data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
        changed.append(path)
    wanted = set(outputs) | {MARKER}
    if previous is not None:
        for path in sorted(set(previous) - wanted):
            (out / safe_relative(path)).unlink(missing_ok=True)
            changed.append(path)
        return changed
    for file in sorted(out.rglob("*"), reverse=True):
        relative = file.relative_to(out).as_posix()
        if file.is_file() and relative not in wanted:
            file.unlink()
            changed.append(relative)
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()
    return changed


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
