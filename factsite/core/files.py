"""Write a file so that readers see the old content or the new, never a part; and say what an OSError means."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def describe_os_error(error: OSError) -> str:
    """Return what went wrong in words, with the error's symbol: 'no space left on device (ENOSPC)'.

    Without an error number (an OSError raised with a message only), return that message.
    """
    if error.errno is None:
        return str(error)
    text = error.strerror or os.strerror(error.errno)
    text = text[:1].lower() + text[1:] if text[1:2].islower() else text
    symbol = errno.errorcode.get(error.errno)
    return f"{text} ({symbol})" if symbol else text
