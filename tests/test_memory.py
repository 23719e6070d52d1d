"""The preview server pauses the collector while it builds and keeps its caches out of later passes,
yet garbage in reference cycles is still freed."""

from __future__ import annotations

import gc
import weakref

from factsite.core.memory import LongLived


class _Node:
    """An object that can sit in a reference cycle."""

    other: _Node | None = None


def test_a_build_runs_with_the_collector_paused_and_leaves_it_running() -> None:
    collector = LongLived()
    with collector.build():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_garbage_in_a_cycle_is_freed_within_a_few_builds() -> None:
    collector = LongLived()
    with collector.build():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        watch = weakref.ref(first)
        del first, second
    assert watch() is not None  # frozen with what the build kept
    for _ in range(LongLived.COLLECT_EVERY):
        with collector.build():
            pass
    assert watch() is None
    gc.unfreeze()
