"""Keep `-m "not browser"` and `-m "not nginx"` honest.

conftest.py marks every test that uses the `browser` or `nginx` fixture. A test that starts Chromium
or nginx some other way (calling launch_browser() or run_nginx() itself) must carry the marker too:
those helpers call require_marker(), which fails such a test and says which marker it lacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

_running: list[pytest.Item] = []


@contextmanager
def running(item: pytest.Item) -> Iterator[None]:
    """Note the test being run (its setup, call and teardown) until the block ends."""
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


def require_marker(name: str, what: str) -> None:
    """Fail the running test when it lacks @pytest.mark.NAME; do nothing outside pytest."""
    if _running and _running[-1].get_closest_marker(name) is None:
        pytest.fail(
            f"{_running[-1].nodeid} {what} but is not marked `{name}`, so `-m \"not {name}\"` would still run it: "
            f"use the `{name}` fixture (conftest.py marks its users) or add @pytest.mark.{name}",
            pytrace=False,
        )
