"""Garbage-collector tuning for builds, which make many small objects and few cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_shot() -> Iterator[None]:
    """Pause the collector for a build that runs once and exits, then put it back as it was.

    Its passes over the loaded project would otherwise take a third of the time. A process that
    builds again and again (the preview server) uses `LongLived`, which also frees what it no
    longer needs.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class LongLived:
    """Garbage-collector tuning for a process that builds again and again and keeps its caches.

    Each build runs with the collector paused, as a one-shot build does. Afterwards what the build
    kept (the caches: hundreds of thousands of objects for a large project) is frozen, so the
    collector's later passes skip it instead of walking all of it. Objects freed by their last
    reference are freed as ever; only garbage in reference cycles waits, until every
    `COLLECT_EVERY` builds a full collection, which unfreezes, collects and freezes again.
    """

    COLLECT_EVERY = 20

    def __init__(self) -> None:
        self.builds = 0

    @contextmanager
    def build(self) -> Iterator[None]:
        """Run one build with the collector paused; freeze what it kept."""
        self.builds += 1
        if self.builds % self.COLLECT_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        with one_shot():
            yield
        gc.freeze()
