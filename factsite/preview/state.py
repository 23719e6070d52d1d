"""The preview's state: the build the open tabs should show, its errors, and who may connect."""

from __future__ import annotations

import ipaddress
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import urls
from ..site.csp import content_security_policy
from .builder import BuildOutcome

STATUS = f"{urls.PREVIEW_FOLDER}status.json"
_WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
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

    def publish(self, outcome: BuildOutcome) -> None:
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
        print(f"Built in {outcome.seconds:.2f} s: {outcome.pages_rendered} pages rendered, "
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
