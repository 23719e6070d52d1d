"""Garbage-collector tuning for a one-shot build, which makes many small objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_shot() -> Iterator[None]:
    """Pause the collector for a build that runs once and exits, then put it back as it was.

    Its passes over the loaded project would otherwise take a third of the time. A process that
    builds again and again (the preview server) must not use this: what it makes must be freed.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
