"""Put a Pagefind index's filters in a fixed order, so that equal pages always make an equal index.

Pagefind 1.5 writes each filter's values, and the list of filters in the index's metadata, in the
order of a hash map seeded afresh in every run: two runs over the same pages differ in
`filter/*.pf_filter`, `pagefind.*.pf_meta` and `pagefind-entry.json`, though they hold the same data.
This module decodes those files (gzip around a `pagefind_dcd` signature and CBOR), sorts filters
and values by name, encodes them again, and renames them after a digest of their new content. A
file that is not laid out as expected is left as it is: search still works, only the order stays
Pagefind's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class Layout(Exception):
    """A file is not laid out as this module expects (another Pagefind version)."""


def reorder(bundle: Path) -> None:
    """Rewrite the index in `bundle` (Pagefind's output folder) with its filters in a fixed order."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        for language in languages.values():
            language["hash"] = _reorder_language(bundle, language["hash"])
    except (Layout, KeyError, TypeError, ValueError, OSError):
        return
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _reorder_language(bundle: Path, meta_hash: str) -> str:
    """Reorder one language's filters; return the new name of its metadata file."""
    prefix = meta_hash.split("_", 1)[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    filters = _filter_list(meta, {path.name.removesuffix(".pf_filter")
                                  for path in (bundle / "filter").glob(f"{prefix}_*.pf_filter")})
    read = []
    for pair in filters:  # every file is read and checked before any is rewritten
        path = bundle / "filter" / f"{pair[1]}.pf_filter"
        data = _read(path)
        if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list)
                and all(isinstance(value, list) and value and isinstance(value[0], str) for value in data[1])):
            raise Layout(path.name)
        read.append((path, data))
    renamed = {}
    for (path, data), pair in zip(read, filters, strict=True):
        data[1].sort(key=lambda value: value[0])
        digest, packed = _packed(data, 7)
        renamed[pair[1]] = f"{prefix}_{digest}"
        path.unlink()
        (bundle / "filter" / f"{prefix}_{digest}.pf_filter").write_bytes(packed)
    for pair in filters:
        pair[1] = renamed[pair[1]]
    filters.sort(key=lambda pair: pair[0])
    digest, packed = _packed(meta, 10)
    meta_path.unlink()
    (bundle / f"pagefind.{prefix}_{digest}.pf_meta").write_bytes(packed)
    return f"{prefix}_{digest}"


def _filter_list(meta: Any, files: set[str]) -> list[list[str]]:
    """Return the metadata's list of filters, pairs of a filter's name and its file's name (one of
    `files`); an empty list when the index has no filters."""
    if not files:
        return []
    if isinstance(meta, list):
        for item in meta:
            if (isinstance(item, list) and len(item) == len(files)
                    and all(isinstance(pair, list) and len(pair) == 2 and pair[1] in files for pair in item)):
                return item
    raise Layout("no list of filters in the metadata")


def _read(path: Path) -> Any:
    """Decode one of Pagefind's files; raise Layout unless encoding it again gives the same bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise Layout(path.name)
    body = raw[len(SIGNATURE):]
    value, end = _decode(body, 0)
    if end != len(body) or _encode(value) != body:
        raise Layout(path.name)  # only what this module can write back exactly is rewritten
    return value


def _packed(value: Any, length: int) -> tuple[str, bytes]:
    """Return `value` as Pagefind's file holds it (gzip without a timestamp), and a digest of it."""
    data = gzip.compress(SIGNATURE + _encode(value), mtime=0)
    return hashlib.sha256(data).hexdigest()[:length], data


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    """Decode the CBOR item at `at` (unsigned integers, byte and text strings, arrays, maps)."""
    if at >= len(data):
        raise Layout("truncated")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise Layout("indefinite length")
    if major == 0:
        return argument, at
    if major in (2, 3):
        chunk = data[at:at + argument]
        return (chunk if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise Layout(f"CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise Layout("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise Layout("simple value")
    if isinstance(value, int):
        if value < 0:
            raise Layout("negative integer")
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise Layout(type(value).__name__)
