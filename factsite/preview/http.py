"""The preview's Tornado application, made of livereload's handlers with our checks added."""

from __future__ import annotations

import json
import os
import re
from asyncio import Future
from pathlib import Path
from typing import Any

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from tornado import web
from tornado.websocket import WebSocketClosedError

from ..core import urls
from .guard import log_request
from .state import Preview

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
          "serverName": "factsite"}
_PLACEHOLDER = Path(__file__).with_name("client") / "unbuilt.html"


def _with_build(html: bytes, token: str) -> bytes:
    """Stamp a page with the build it shows, for the reload client to report."""
    meta = f'\n<meta name="factsite-build" content="{token}">'.encode()
    match = _HEAD.search(html)
    return html[:match.end()] + meta + html[match.end():] if match else meta + html


def _check_host(handler: web.RequestHandler, preview: Preview) -> None:
    """Refuse a request whose Host header names another site (DNS rebinding)."""
    if not preview.allows_host(handler.request.headers.get("Host", "")):
        raise web.HTTPError(403, reason="Unknown Host")


class _ReloadSocket(LiveReloadHandler):
    """The livereload WebSocket: hello, then info carrying the build the tab shows."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _check_host(self, self.preview)

    def check_origin(self, origin: str) -> bool:
        return self.preview.allows_origin(origin)

    def on_close(self) -> None:
        self.preview.tabs.discard(self)

    def send_message(self, message: dict[str, Any]) -> None:
        """Send a message; a tab that has gone, even in the middle of the write, is forgotten quietly."""
        try:
            sent = self.write_message(json.dumps(message))
        except WebSocketClosedError:
            self.preview.tabs.discard(self)
            return
        sent.add_done_callback(self._sent)

    def _sent(self, sent: Future[None]) -> None:
        if sent.cancelled() or sent.exception() is not None:
            self.preview.tabs.discard(self)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "hello":
            self.send_message(_HELLO)
        elif data.get("command") == "info":
            plugins = data.get("plugins")
            plugin = plugins.get("factsite") if isinstance(plugins, dict) else None
            build = plugin.get("build") if isinstance(plugin, dict) else None
            self.preview.greet(self, str(build))


class _ReloadScript(LiveReloadJSHandler):
    """livereload.js, at any depth under /_factsite/ so it loads under the site's base path."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _check_host(self, self.preview)
        self.set_header("Cache-Control", "no-store")


class _Status(web.RequestHandler):
    """The current build and its errors, which the overlay shows."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _check_host(self, self.preview)

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write(self.preview.status())


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _SiteFiles(StaticFileHandler):
    """The preview folder, at / and under the site's base path; nothing outside it, no dot files.

    A path that could lead out of the folder (`..`, a backslash, an absolute path, a symbolic
    link pointing out) is a 404, as if the file did not exist; one with a NUL or another control
    character a 400. The path is decoded once, by Tornado: `%252e` stays the name `%2e`.
    """

    def initialize(self, path: str, preview: Preview) -> None:  # type: ignore[override]
        super().initialize(path, default_filename="index.html")
        self.preview = preview
        self.real_root = os.path.realpath(path)

    def prepare(self) -> None:
        _check_host(self, self.preview)

    def parse_url_path(self, url_path: str) -> str:
        prefix = self.preview.base_path.lstrip("/")
        if prefix and url_path.startswith(prefix):
            url_path = url_path[len(prefix):]
        if _CONTROL.search(url_path):
            raise web.HTTPError(400, reason="Control character in the path")
        parts = url_path.split("/")
        if "\\" in url_path or url_path.startswith("/") or any(part.startswith(".") for part in parts):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """Return the file to serve; a 404 for a directory or anything that resolves outside the folder."""
        try:
            absolute = super().validate_absolute_path(root, absolute_path)
        except web.HTTPError as error:
            if error.status_code == 403:  # a directory without index.html, or outside the folder
                raise web.HTTPError(404) from None
            raise
        if absolute is not None and not self._inside(absolute):
            raise web.HTTPError(404)
        return absolute

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real.startswith(self.real_root + os.sep)

    async def get(self, path: str, include_body: bool = True) -> None:
        prefix = self.preview.base_path.strip("/")
        if prefix and path == prefix:
            self.redirect(self.request.path + "/")
            return
        token = self.preview.token  # read before the file: a page is never older than its stamp
        self.path = self.parse_url_path(path)
        absolute = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
        if absolute is None:
            return
        self.absolute_path = absolute
        try:
            data = Path(absolute).read_bytes()
        except OSError:
            raise web.HTTPError(404) from None
        self._send(data, self.get_content_type(), token, include_body)

    def _send(self, data: bytes, content_type: str, token: str, include_body: bool = True) -> None:
        if content_type.startswith("text/html"):
            data = _with_build(data, token)
            content_type = "text/html; charset=utf-8"
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        if include_body:
            self.write(data)
        else:
            self.set_header("Content-Length", len(data))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 404 and self.request.method in ("GET", "HEAD"):
            page = Path(self.root) / urls.NOT_FOUND
            if page.is_file():
                self._send(page.read_bytes(), "text/html", self.preview.token)
                return
            if not (Path(self.root) / "index.html").is_file():
                self.set_status(503)
                html = _PLACEHOLDER.read_text(encoding="utf-8").replace("{csp}", self.preview.csp)
                self._send(html.encode("utf-8"), "text/html", self.preview.token)
                return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")


def make_app(preview: Preview) -> web.Application:
    """Return the preview's application: the reload socket, its client, the status and the files."""
    args = {"preview": preview}
    return web.Application([
        (r"/livereload", _ReloadSocket, args),
        (r"/(?:.*/)?_factsite/livereload\.js", _ReloadScript, args),
        (r"/(?:.*/)?_factsite/status\.json", _Status, args),
        (r"/(.*)", _SiteFiles, {"path": str(preview.out.resolve()), **args}),
    ], websocket_max_message_size=65536, websocket_ping_interval=30, log_function=log_request)

