"""Fixtures: tiny projects, the rich fixture project and the shipped site built once, Chromium and nginx;
and the markers they imply.

Helpers that are not fixtures (MakeProject, run_cli, MINIMAL_CLAIMS, ...) live in tests/support/:
import them from there, never from conftest.py or another test module.

A test that uses the `browser` fixture is marked `browser`, one that uses `nginx` is marked `nginx`
(pytest_collection_modifyitems below), so `pytest -m "not browser and not nginx"` starts neither. A test
that starts them some other way without the marker fails (support/markers.py).

The engine's tests build fixture projects: `make_project` (the minimal project of support/project.py) and
`rich_site` (tests/fixtures/rich, a page of every template). Tests of the shipped Xingtai fact-check's
content are marked `shipped` (users of the `shipped` fixture are marked here) and skipped when the
repository's claims.yaml is another project, as in a desk's fork (support/shipped.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from support import markers, sweep
from support.browser import launch_browser
from support.nginx import require_nginx, run_nginx
from support.project import (
    REPO,
    RICH,
    MakeProject,
    Result,
    build_project,
    copy_project,
    run_cli,
    write_project,
)
from support.shipped import SKIP_REASON, is_shipped

# Builds seal their caches with a key kept in the user's cache folder: the tests use a folder of their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="factsite-tests-cache-")

MARKED_BY_FIXTURE = {"browser": "browser", "nginx": "nginx", "shipped": "shipped"}
"""Fixture name -> the marker every test using it (directly or through another fixture) gets."""


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say whether the browser sweeps visit every page or one of each template, and whether the shipped
    site's tests run."""
    shipped = "run" if is_shipped() else f"skipped: {SKIP_REASON}"
    return [sweep.describe(), f"tests marked shipped (the Xingtai fact-check's content): {shipped}"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use Chromium, nginx or the shipped site before `-m` deselects by marker, and
    skip the shipped site's tests when claims.yaml is another project."""
    skip_shipped = None if is_shipped() else pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        used = getattr(item, "fixturenames", ())
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in used and item.get_closest_marker(marker) is None:
                item.add_marker(marker)
        if skip_shipped is not None and item.get_closest_marker("shipped") is not None:
            item.add_marker(skip_shipped)


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
    """Build the shipped project (the repository's own claims.yaml) once for the whole run; tests read it,
    never change it. Its users are marked `shipped` and skipped when claims.yaml is another project."""
    if not is_shipped():
        pytest.skip(SKIP_REASON)
    out = tmp_path_factory.mktemp("shipped") / "site"
    return build_project(REPO, out)


@pytest.fixture(scope="session")
def rich_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of tests/fixtures/rich, the fixture project with a page of every template (tests read
    it, never change it)."""
    return copy_project(tmp_path_factory.mktemp("rich") / "project", RICH)


@pytest.fixture(scope="session")
def rich_site(rich_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the rich fixture project once for the whole run: the site the engine's site-wide tests, page
    sweeps and quality gates read (never change)."""
    return build_project(rich_project, tmp_path_factory.mktemp("rich-site") / "site")


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
