"""Notice saves to a project's inputs by polling file stamps, without inotify and without missing a save."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.names import INPUTS

RACY_NS = 100_000_000
"""A file modified less than this long ago may change again within the same timestamp tick."""


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, int, int]
    """Modification time (ns), size and inode."""
    digest: bytes | None
    """The content's digest while the stamp is too recent to trust, else None."""


def _ignored(name: str) -> bool:
    """Tell editor litter (dot files, backups) from project files."""
    return name.startswith((".", "#")) or name.endswith("~")


def _digest(path: str) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "blake2b").digest()
    except OSError:
        return None


class Watcher:
    """Report which watched files were created, changed or deleted since the last poll.

    Stamps alone can miss a second save in the same filesystem timestamp tick when its size is
    unchanged, so a file stamped within RACY_NS of a poll is also compared by content until its
    stamp is old enough to trust (the idea of git's "racy clean" check).
    """

    def __init__(self, root: Path, names: tuple[str, ...] = INPUTS) -> None:
        self.root = str(root)
        self.names = names
        self.entries: dict[str, _Entry] = {}
        self.poll()

    def poll(self) -> set[str]:
        """Return the paths (relative to the project, with /) that changed since the last poll."""
        now = time.time_ns()
        stamps = self._scan()
        changed = set(self.entries) - set(stamps)
        entries: dict[str, _Entry] = {}
        for relative, stamp in stamps.items():
            old = self.entries.get(relative)
            racy = now - stamp[0] < RACY_NS
            if old is None or old.stamp != stamp:
                changed.add(relative)
                digest = _digest(os.path.join(self.root, relative)) if racy else None
            elif old.digest is not None:
                digest = _digest(os.path.join(self.root, relative))
                if digest != old.digest:
                    changed.add(relative)
                if not racy:
                    digest = None
            else:
                digest = None
            entries[relative] = _Entry(stamp, digest)
        self.entries = entries
        return changed

    def _scan(self) -> dict[str, tuple[int, int, int]]:
        """Stat every watched file."""
        stamps: dict[str, tuple[int, int, int]] = {}
        for name in self.names:
            path = os.path.join(self.root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                self._scan_folder(path, name, stamps)
            else:
                stamps[name] = (info.st_mtime_ns, info.st_size, info.st_ino)
        return stamps

    def _scan_folder(self, path: str, relative: str, stamps: dict[str, tuple[int, int, int]]) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for entry in entries:
            if _ignored(entry.name):
                continue
            child = f"{relative}/{entry.name}"
            try:
                if entry.is_dir():
                    self._scan_folder(entry.path, child, stamps)
                else:
                    info = entry.stat()
                    stamps[child] = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                continue
