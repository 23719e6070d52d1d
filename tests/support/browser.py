"""Launch the system Chromium through Playwright for browser-driven checks."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)

from .markers import require_marker

CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

META_REFRESH = re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)

_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
)


def find_chromium() -> str | None:
    """Return the path of a system Chromium, or None when none is installed."""
    override = os.environ.get("FACTSITE_CHROMIUM")
    if override and Path(override).is_file():
        return override
    for candidate in _CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Return the Chromium path; skip the test without it, or fail it when CI=true."""
    path = find_chromium()
    if path is None:
        reason = "Chromium not found (install it with `apt-get install -y chromium`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Launch headless system Chromium once and close it on exit (in a test, one marked `browser`)."""
    require_marker("browser", "starts Chromium")
    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _redirects(response: Response) -> bool:
    try:
        return META_REFRESH.search(response.text()) is not None
    except PlaywrightError:
        return True  # The body is gone: a refresh already replaced the document.


def open_page(page: Page, url: str) -> None:
    """Load url; when it is a meta-refresh redirect, wait until its target has loaded."""
    response = page.goto(url, wait_until="load")
    if response is not None and _redirects(response):
        page.wait_for_url(lambda now: now != url, wait_until="load")


@dataclass
class PageWatcher:
    """Record what a page does while it loads: requests to other hosts and errors."""

    page: Page
    allowed_hosts: tuple[str, ...] = ("127.0.0.1",)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def visit(self, url: str) -> list[str]:
        """Load url and return the problems seen while loading it."""
        self.problems = []
        open_page(self.page, url)
        return list(self.problems)

    def _foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and (parts.hostname not in self.allowed_hosts)

    def _route(self, route: Route) -> None:
        if self._foreign(route.request.url):
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _failed(self, request: Request) -> None:
        if not self._foreign(request.url):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")
