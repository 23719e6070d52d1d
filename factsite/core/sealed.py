"""Keep Python values between runs in a file only this user's factsite will read back.

A build keeps its caches in the project's `.factsite/` folder as a pickle. Unpickling runs code, so
a cache file that came with a project from elsewhere (an archive, a shared drive) must never be
loaded: each file is sealed with an HMAC under a key kept in the user's own cache folder
(`~/.cache/factsite/cache-key`, readable by the user alone). A file sealed under another key, or
changed, or cut short, reads as no cache at all, and the build simply does all its work.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

from .files import write_atomic

SEAL = b"factsite-sealed-1\n"
"""The first bytes of a sealed file, before the HMAC (32 bytes) and the pickle."""
_DIGEST = hashlib.sha256().digest_size


def key_path() -> Path:
    """Return the file holding this user's sealing key: $XDG_CACHE_HOME/factsite/cache-key."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsite" / "cache-key"


def _key(create: bool) -> bytes | None:
    """Return the sealing key, made on first use when `create`; None when it cannot be read or made."""
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == 32 and path.stat().st_mode & 0o077 == 0:
            return key
        return None  # a key others could read is no seal: ignore it rather than trust it
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(32))
    except FileExistsError:
        pass  # another build made it a moment ago
    except OSError:
        return None
    return _key(create=False)


def store(path: Path, value: Any) -> bool:
    """Seal `value` into `path`; return False (and write nothing) where that is not possible."""
    key = _key(create=True)
    if key is None:
        return False
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, SEAL + hmac.digest(key, data, "sha256") + data)
    except OSError:
        return False
    return True


def load(path: Path) -> Any | None:
    """Return the value sealed in `path` by this user, or None: no file, another key, or any damage."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SEAL) + _DIGEST)
            if not head.startswith(SEAL):
                return None
            key = _key(create=False)
            if key is None:
                return None
            data = file.read()
    except OSError:
        return None
    if not hmac.compare_digest(head[len(SEAL):], hmac.digest(key, data, "sha256")):
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a cache written by another version of factsite is no cache
        return None
