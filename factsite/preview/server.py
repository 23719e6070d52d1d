"""The preview server: build into .factsite/preview/, serve it, rebuild and reload on every save."""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import secrets
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from ..core.errors import BuildFailed, Location, Problem, UsageError, format_problem, source_excerpt
from ..core.names import PREVIEW_DIR, inputs_sentence
from ..project.claimcache import ClaimCache
from ..site.csp import content_security_policy
from ..site.pipeline import Rendered, render_project
from ..site.render import BuildOptions, RenderCache
from ..site.write import OutputError, update_in_place
from .http import make_app
from .watch import Watcher

PREVIEW = Path(PREVIEW_DIR)
CLIENT = Path(__file__).with_name("client")
CLIENT_FILES = ("preview.js", "overlay.css")
STATUS = "_factsite/status.json"
POLL = 0.025
"""Seconds between two looks at the watched files."""
QUIET = 0.1
"""A rebuild starts once the files have been quiet this long, so a burst of saves builds once."""
_WILDCARDS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class Outcome:
    """What one build did: the output paths it rewrote, or the errors that stopped it."""

    changed: list[str]
    problems: list[dict[str, Any]]
    """The errors, as the overlay shows them; empty when the build succeeded."""
    report: str
    """Problems (warnings too) formatted for the terminal."""
    base_path: str
    seconds: float
    rendered: int


def _problem_data(root: Path, problem: Problem) -> dict[str, Any]:
    """Return a problem as the overlay shows it: place, message, hint and the offending source line."""
    return {**problem.as_dict(), "where": str(problem.location), "excerpt": source_excerpt(root, problem.location)}


class Builder:
    """Render the project into the preview folder, reusing the pages a save did not affect."""

    def __init__(self, root: Path, out: Path, options: BuildOptions) -> None:
        self.root, self.out, self.options = root, out, options
        self.cache = RenderCache()
        self.claim_cache = ClaimCache()
        self.client = {f"_factsite/{name}": (CLIENT / name).read_bytes() for name in CLIENT_FILES}
        self.base_path = "/"
        self.written: dict[str, bytes] | None = None
        """What the last successful build wrote, to compare the next one against."""

    def build(self, changed: set[str]) -> Outcome:
        """Rebuild after the given project files changed; never raise."""
        start = time.perf_counter()
        if any(path.startswith("templates/") for path in changed):
            self.cache = RenderCache()
        try:
            rendered = self._render()
            outputs = {**rendered.outputs, **self.client}
            written = update_in_place(outputs, self.out, self.written)
            self.written = outputs
        except BuildFailed as failure:
            return self._outcome([], failure.problems, start)
        except (OSError, OutputError) as exc:
            return self._outcome([], [Problem(Location(PREVIEW.as_posix()), f"cannot write the preview: {exc}",
                                              "Check the free disk space and the folder's permissions.")], start)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server either
            traceback.print_exc()
            return self._outcome([], [Problem(Location("factsite"), f"internal error: {exc!r}",
                                              "This is a bug in factsite; the terminal shows the details to report.")],
                                 start)
        return self._outcome(written, rendered.warnings, start)

    def write_placeholder(self) -> None:
        """Give a preview folder that holds no site yet a page that shows why."""
        if not (self.out / "index.html").is_file():
            update_in_place(self.client, self.out)

    def _render(self) -> Rendered:
        rendered = render_project(self.root, self.options, cache=self.cache, claim_cache=self.claim_cache)
        self.base_path = urlsplit(rendered.project.site.base_url).path or "/"
        return rendered

    def _outcome(self, written: list[str], problems: list[Problem], start: float) -> Outcome:
        errors = [_problem_data(self.root, p) for p in problems if p.severity == "error"]
        report = "\n".join(format_problem(self.root, p) for p in problems)
        return Outcome(written, errors, report, self.base_path, time.perf_counter() - start, self.cache.rendered)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class Preview:
    """The server's state: the current build, its errors, and the open tabs to tell about them.

    Lives on the IO loop; builds run on the watcher's thread and hand their outcome over.
    """

    def __init__(self, root: Path, out: Path, host: str, port: int) -> None:
        self.root, self.out, self.port = root, out, port
        self.wildcard = host in _WILDCARDS
        self.address = "127.0.0.1" if self.wildcard else (f"[{host}]" if ":" in host else host)
        self.connect_src = f"ws://{self.address}:{port}"
        self.csp = content_security_policy(self.connect_src)
        self.run = secrets.token_hex(4)
        self.number = 0
        self.token = f"{self.run}-0"
        """The build every page served now shows; a tab whose page carries another one reloads."""
        self.problems: list[dict[str, Any]] = []
        self.base_path = "/"
        self.tabs: set[Any] = set()
        names = {"127.0.0.1", "localhost", "[::1]", self.address.lower()}
        self.hosts = {f"{name}:{port}" for name in names} | (names if port == 80 else set())

    def url(self, path: str = "/") -> str:
        """Return the address of the preview at `path`."""
        return f"http://{self.address}:{self.port}{path}"

    def allows_host(self, host: str) -> bool:
        """Accept the Host header of a request: loopback or the --host value, on our port.

        A name that resolves to this machine only through an attacker's DNS (rebinding) is refused.
        """
        host = host.lower()
        if host in self.hosts:
            return True
        name, _, port = host.rpartition(":")
        return self.wildcard and port == str(self.port) and _is_ip(name)

    def allows_origin(self, origin: str) -> bool:
        """Accept a WebSocket only from a page of this preview."""
        parts = urlsplit(origin)
        return parts.scheme == "http" and self.allows_host(parts.netloc)

    def publish(self, outcome: Outcome) -> None:
        """Take a finished build: remember its errors or its new build number, and tell every tab."""
        cleared = bool(self.problems) and not outcome.problems
        self.problems = outcome.problems
        if outcome.report:
            print(outcome.report, file=sys.stderr, flush=True)
        if outcome.problems:
            count = len(outcome.problems)
            print(f"Build failed with {count} error{'s' * (count != 1)} in {outcome.seconds:.2f} s; "
                  "the preview keeps the last good site and shows the errors on every page.", flush=True)
            self._tell(STATUS)
            return
        if outcome.base_path != self.base_path:
            self.base_path = outcome.base_path
            if self.base_path != "/" and self.number:
                print(f"Also serving the preview at {self.url(self.base_path)}", flush=True)
        if cleared:
            self._tell(STATUS)
        if outcome.changed:
            self.number += 1
            self.token = f"{self.run}-{self.number}"
            stylesheets = all(p.startswith("static/") and p.endswith(".css") for p in outcome.changed)
            for path in outcome.changed if stylesheets else ["*"]:
                self._tell(path)
        print(f"Built in {outcome.seconds:.2f} s: {outcome.rendered} pages rendered, "
              f"{len(outcome.changed)} files changed.", flush=True)

    def greet(self, tab: Any, build: str) -> None:
        """Register a tab whose socket said hello; bring it up to date if it missed a broadcast."""
        self.tabs.add(tab)
        if build != self.token:
            tab.send_message(_reload("*"))
        elif self.problems:
            tab.send_message(_reload(STATUS))

    def status(self) -> dict[str, Any]:
        """Return what the overlay shows."""
        return {"build": self.token, "problems": self.problems}

    def _tell(self, path: str) -> None:
        for tab in list(self.tabs):
            tab.send_message(_reload(path))


def _reload(path: str) -> dict[str, Any]:
    """Return a livereload protocol `reload` command ('*' reloads the page, a .css path swaps it)."""
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": False}


def _watch(watcher: Watcher, builder: Builder, deliver: Any, stop: threading.Event) -> None:
    """Poll the inputs; once a burst of saves is over, rebuild and deliver the outcome to the IO loop.

    Saves made during a build are seen by the next poll, so none is lost.
    """
    pending: set[str] = set()
    last = 0.0
    while not stop.wait(POLL):
        changed = watcher.poll()
        now = time.monotonic()
        if changed:
            pending |= changed
            last = now
        elif pending and now - last >= QUIET:
            outcome = builder.build(pending)
            pending = set()
            deliver(outcome)


def _listen(host: str, port: int) -> list[Any]:
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number; use one from 1024 to 65535, e.g. --port 8001")
    try:
        return bind_sockets(port, host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another preview?); stop that server "
                             f"or pass another port, e.g. --port {port + 1}") from None
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}; "
                         "check --host and --port") from None


def serve(root: Path, *, host: str, port: int, open_browser: bool, drafts: bool) -> int:
    """Build the preview, serve it and rebuild on every save until interrupted."""
    sockets = _listen(host, port)
    port = sockets[0].getsockname()[1]
    if not _is_loopback(host):
        print(f"build.py: warning: --host {host} lets other machines read the preview, which has no "
              "authentication; use it only on a network you trust.", file=sys.stderr, flush=True)
    out = root / PREVIEW
    preview = Preview(root, out, host, port)
    builder = Builder(root, out, BuildOptions(drafts=drafts, preview=True, connect_src=preview.connect_src))
    watcher = Watcher(root)
    first = builder.build(set())
    if first.problems:
        builder.write_placeholder()
    preview.publish(first)
    stop = threading.Event()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        server = HTTPServer(make_app(preview), xheaders=False)
        server.add_sockets(sockets)
        print(f"Serving the preview at {preview.url()}" + (
            f" and {preview.url(preview.base_path)}" if preview.base_path != "/" else ""), flush=True)
        print(f"Watching {inputs_sentence()}; press Ctrl+C to stop.", flush=True)
        thread = threading.Thread(target=_watch, name="factsite-watch", daemon=True,
                                  args=(watcher, builder, lambda o: loop.call_soon_threadsafe(preview.publish, o),
                                        stop))
        thread.start()
        if open_browser:
            loop.run_in_executor(None, webbrowser.open, preview.url(preview.base_path))
        await asyncio.Event().wait()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        print("\nStopped the preview server.", flush=True)
    finally:
        stop.set()
    return 0
