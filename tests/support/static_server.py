"""Serve a folder over HTTP on 127.0.0.1 under a URL prefix, as a static host would."""

from __future__ import annotations

import mimetypes
import posixpath
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


def content_type(path: Path) -> str:
    """Return the Content-Type a static host sends for this file."""
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    """Answer GET and HEAD for files under the root, mounted at the prefix."""

    protocol_version = "HTTP/1.1"

    def __init__(self, *args: object, root: Path, prefix: str, **kwargs: object) -> None:
        self.root = root
        self.prefix = prefix
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_HEAD(self) -> None:
        """Send headers only."""
        self._respond(body=False)

    def do_GET(self) -> None:
        """Send the file, its index.html, or the 404 page."""
        self._respond(body=True)

    def _respond(self, body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        normal = posixpath.normpath("/" + url_path.lstrip("/"))
        if url_path.endswith("/") and normal != "/":
            normal += "/"
        if normal + "/" == self.prefix:
            self._send(301, b"", "text/plain", body, location=self.prefix)
            return
        if normal != url_path or not url_path.startswith(self.prefix):
            self._not_found(body)
            return
        relative = url_path[len(self.prefix) :]
        target = self.root / relative if relative else self.root
        if target.is_dir():
            if not url_path.endswith("/"):
                self._send(301, b"", "text/plain", body, location=url_path + "/")
                return
            target = target / "index.html"
        if not target.is_file():
            self._not_found(body)
            return
        self._send(200, target.read_bytes(), content_type(target), body)

    def _not_found(self, body: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            self._send(404, page.read_bytes(), CONTENT_TYPES[".html"], body)
        else:
            self._send(404, b"Not Found\n", CONTENT_TYPES[".txt"], body)

    def _send(self, status: int, data: bytes, ctype: str, body: bool, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if body:
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    """A threaded server that ignores browsers closing connections mid-response."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore dropped connections; report anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve_directory(root: Path, prefix: str = "/") -> Iterator[str]:
    """Serve root under prefix on a free 127.0.0.1 port; yield the base URL ending in prefix."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    handler = partial(_Handler, root=Path(root).resolve(), prefix=prefix)
    server = _Server(("127.0.0.1", 0), handler)
    # A short poll: shutdown() waits for the loop to notice, 0.5 s per server with the default.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
