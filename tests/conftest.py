"""Fixtures: tiny projects, the shipped site built once, Chromium and nginx; and the markers they imply.

Helpers that are not fixtures (MakeProject, run_cli, MINIMAL_CLAIMS, ...) live in tests/support/:
import them from there, never from conftest.py or another test module.

A test that uses the `browser` fixture is marked `browser`, one that uses `nginx` is marked `nginx`
(pytest_collection_modifyitems below), so `pytest -m "not browser and not nginx"` starts neither. A test
that starts them some other way without the marker fails (support/markers.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from support import markers, sweep
from support.browser import launch_browser
from support.nginx import require_nginx, run_nginx
from support.project import (
    MakeProject,
    Result,
    copy_project,
    run_cli,
    run_process,
    write_project,
)

MARKED_BY_FIXTURE = {"browser": "browser", "nginx": "nginx"}
"""Fixture name -> the marker every test using it (directly or through another fixture) gets."""


def pytest_report_header(config: pytest.Config) -> str:
    """Say whether the browser sweeps visit every page or one of each template."""
    return sweep.describe()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use Chromium or nginx before `-m` deselects by marker."""
    for item in items:
        used = getattr(item, "fixturenames", ())
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in used and item.get_closest_marker(marker) is None:
                item.add_marker(marker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Let launch_browser() and run_nginx() see which test they run for (support/markers.py)."""
    with markers.running(item):
        return (yield)


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Return a factory: make_project({path: text or None}, replace=[(old, new)]) -> project folder."""
    counter = iter(range(1000))

    def make(files: Mapping[str, str | bytes | None] | None = None, *,
             replace: list[tuple[str, str]] | None = None) -> Path:
        return write_project(tmp_path / f"project{next(counter)}", files, replace=replace)

    return make


@pytest.fixture
def build(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Return a function that builds a project in-process: build(project, *extra_args, out=None)."""

    def run(project: Path, *extra: str, out: Path | None = None) -> Result:
        target = out or project / "site"
        return run_cli(["--project", str(project), "build", "--out", str(target), *extra], capsys)

    return run


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the shipped project once for the whole run (tests read it, never change it)."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run_process(["build", "--out", str(out)])
    assert result.code == 0, f"the shipped project does not build:\n{result.out}\n{result.err}"
    return out


@pytest.fixture(scope="session")
def swept_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the shipped project once more with a former id for its first claim, so that the site has a
    page of every template (the shipped data alone has no redirect page) for the page sweeps."""
    project = copy_project(tmp_path_factory.mktemp("swept") / "project")
    claims = project / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    if not re.search(r"^    aliases:", text, re.M):
        first = re.search(r"^  - id: ([a-z0-9-]+)\n", text, re.M)
        assert first, "claims.yaml has no `  - id:` line to add a former id to"
        alias = f"    aliases: [{first.group(1)}-former-id]\n"
        claims.write_text(text[: first.end()] + alias + text[first.end() :], encoding="utf-8")
    out = tmp_path_factory.mktemp("swept-site") / "site"
    result = run_process(["--project", str(project), "build", "--out", str(out)])
    assert result.code == 0, f"the shipped project with a former id does not build:\n{result.out}\n{result.err}"
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Chromium once per test module; it closes with the module, as an open Playwright keeps an
    event loop running that other modules' tests may need. Its users are marked `browser`."""
    with launch_browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def nginx() -> Callable[[Path, str], AbstractContextManager[str]]:
    """Return run_nginx(root, prefix), serving a folder with deploy/nginx's example config; skip
    without nginx (fail under CI=true). Its users are marked `nginx`."""
    require_nginx()
    return run_nginx
