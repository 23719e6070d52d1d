"""The preview's front door: the limits every connection and request meets before the application.

Tornado serves every connection on one thread, one coroutine each, so a slow or hostile client
cannot hold the others up; what it can do is hold resources. The front door bounds them:

- at most `connection_limit()` connections at once (a new one past that gets a 503), kept below
  the process's file limit so that accepting never fails;
- a request head must arrive whole within HEAD_TIMEOUT seconds (slowloris): a part-sent head gets
  a 408, an idle kept-alive connection is closed;
- the head is bounded: a request target over MAX_TARGET bytes gets a 414, a header line over
  MAX_HEADER_LINE bytes, more than MAX_HEADERS header lines or a head over MAX_HEAD bytes a 431
  (and a head still unfinished after HEAD_READ_LIMIT bytes, which cannot be read to its end to
  answer it, closes the connection);
- the preview serves GET and HEAD only and reads no request body: any other method gets a 405
  and a request announcing a body a 413, both answered before a byte of the body is read. The
  connection is then closed gently (the answer is sent, the rest of what the client sends is
  read and dropped for at most LINGER seconds), so that the client sees the answer rather than
  a reset.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Coroutine
from contextlib import suppress
from typing import Any

from tornado import gen, httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.iostream import IOStream, StreamClosedError
from tornado.log import access_log
from tornado.web import Application, RequestHandler

MAX_CONNECTIONS = 1000
"""Connections open at once (tabs' reload sockets included), if the process may open that many files."""
FILES_IN_RESERVE = 100
"""File descriptors kept for everything else: the files served and built, the watcher."""
HEAD_TIMEOUT = 5.0
"""Seconds a request head may take to arrive, and a kept-alive connection may stay idle."""
HEAD_READ_LIMIT = 128 * 1024
"""Bytes read looking for the end of a head; past this the connection is closed unanswered."""
MAX_HEAD = 64 * 1024
MAX_TARGET = 8 * 1024
MAX_HEADER_LINE = 8 * 1024
MAX_HEADERS = 100
METHODS = ("GET", "HEAD")
LINGER = 2.0
"""Seconds spent reading and dropping what a refused client still sends, so it sees the answer."""
LINGER_BYTES = 4 * 1024 * 1024
LOGGED_TARGET = 200
"""Characters of a request target a log line shows."""

_DIGITS = re.compile(r"[0-9]{1,18}")
_REASONS = {400: "Bad Request", 405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large",
            414: "URI Too Long", 431: "Request Header Fields Too Large", 503: "Service Unavailable"}


def printable(text: str, limit: int = LOGGED_TARGET) -> str:
    """Return `text` fit for one terminal line: control characters escaped, at most `limit` characters."""
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def log_request(handler: RequestHandler) -> None:
    """Log a finished request as Tornado does, with its target shortened and made printable."""
    status = handler.get_status()
    log = access_log.info if status < 400 else access_log.warning if status < 500 else access_log.error
    request = handler.request
    log("%d %s %s (%s) %.2fms", status, request.method, printable(request.uri or ""), request.remote_ip,
        1000.0 * request.request_time())


def connection_limit() -> int:
    """Return how many connections to accept at once: MAX_CONNECTIONS, or fewer if files are short.

    Raises the process's soft limit on open files towards its hard limit first (a default of 256
    or 1024 is common), as servers do.
    """
    try:
        import resource
    except ImportError:  # not on Unix: no limit to query
        return MAX_CONNECTIONS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + FILES_IN_RESERVE
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft - FILES_IN_RESERVE))


def _answer(status: int, *, allow: bool = False) -> bytes:
    reason = _REASONS[status]
    body = f"{status} {reason}\n".encode()
    head = [f"HTTP/1.1 {status} {reason}", "Content-Type: text/plain; charset=utf-8",
            f"Content-Length: {len(body)}", "Cache-Control: no-store", "Connection: close"]
    if allow:
        head.append(f"Allow: {', '.join(METHODS)}")
    if status == 503:
        head.append("Retry-After: 1")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _spawn(work: Coroutine[Any, Any, None]) -> None:
    """Run `work` on the IO loop; it handles its own errors (a client gone is not one to report)."""
    IOLoop.current().add_future(gen.convert_yielded(work), lambda done: done.exception())


async def _answer_and_close(stream: IOStream, answer: bytes) -> None:
    """Send `answer`, then close gently: end our side, drop what the client still sends, close."""
    try:
        await stream.write(answer)
        try:
            stream.socket.shutdown(socket.SHUT_WR)
        except OSError:
            return
        deadline = IOLoop.current().time() + LINGER
        dropped = 0
        while dropped < LINGER_BYTES:
            chunk = await gen.with_timeout(deadline, stream.read_bytes(65536, partial=True),
                                           quiet_exceptions=(StreamClosedError,))
            dropped += len(chunk)
    except (StreamClosedError, gen.TimeoutError, OSError, AttributeError):  # AttributeError: socket gone
        pass
    finally:
        stream.close()


def _refusal(start_line: httputil.RequestStartLine, headers: httputil.HTTPHeaders) -> int | None:
    """Return the status that refuses this request head, or None to let it through."""
    if len(start_line.path) > MAX_TARGET:
        return 414
    size = 0
    for count, (name, value) in enumerate(headers.get_all(), 1):
        line = len(name) + len(value) + 4
        size += line
        if line > MAX_HEADER_LINE or count > MAX_HEADERS or size > MAX_HEAD:
            return 431
    if start_line.method not in METHODS:
        return 405
    if "Transfer-Encoding" in headers:
        return 413
    length = headers.get("Content-Length")
    if length is not None:
        if not _DIGITS.fullmatch(length):  # "1,2" (two of them), "-1", "abc", "²"
            return 400
        if int(length) > 0:
            return 413
    return None


class _Checked(httputil.HTTPMessageDelegate):
    """One request: timed until its head is in, refused or handed to the application."""

    def __init__(self, inner: httputil.HTTPMessageDelegate, connection: Any) -> None:
        self.inner, self.connection = inner, connection
        self.passed = False
        self.expired = False
        self.timer = IOLoop.current().call_later(HEAD_TIMEOUT, self._expire)

    def _expire(self) -> None:
        """The head did not arrive in time: a 408 if part of it did, else close an idle connection."""
        stream = self.connection.stream
        if stream is None or stream.closed():
            return
        self.expired = True
        if getattr(stream, "_read_buffer_size", 0):  # tornado's count of bytes read and not yet parsed
            access_log.warning("408 (a request head unfinished after %g s) (%s)", HEAD_TIMEOUT,
                               _peer(stream))

            async def answer() -> None:  # no lingering: a read of the head is still pending
                with suppress(StreamClosedError):
                    await stream.write(_answer(408))
                stream.close()

            _spawn(answer())
        else:
            stream.close()

    def headers_received(self, start_line: Any, headers: httputil.HTTPHeaders) -> Any:
        self.timer.cancel()
        if self.expired:
            return None
        status = _refusal(start_line, headers)
        if status is None:
            self.passed = True
            return self.inner.headers_received(start_line, headers)
        stream = self.connection.detach()
        access_log.warning("%d %s %s (%s)", status, printable(start_line.method, 20), printable(start_line.path),
                           _peer(stream))
        _spawn(_answer_and_close(stream, _answer(status, allow=status == 405)))
        return None

    def data_received(self, chunk: bytes) -> Any:
        return self.inner.data_received(chunk) if self.passed else None

    def finish(self) -> None:
        self.timer.cancel()
        if self.passed:
            self.inner.finish()

    def on_connection_close(self) -> None:
        self.timer.cancel()
        if self.passed:
            self.inner.on_connection_close()


def _peer(stream: IOStream) -> str:
    try:
        return str(stream.socket.getpeername()[0])
    except (OSError, AttributeError, IndexError):
        return "?"


class _Gate(httputil.HTTPServerConnectionDelegate):
    def __init__(self, app: Application) -> None:
        self.app = app

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> httputil.HTTPMessageDelegate:
        return _Checked(self.app.start_request(server_conn, request_conn), request_conn)

    def on_close(self, server_conn: object) -> None:
        self.app.on_close(server_conn)


class PreviewHTTPServer(HTTPServer):
    """Tornado's HTTP server behind the front door; refuses connections past `max_connections`."""

    def initialize(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self._open: set[IOStream] = set()
        self._crowded = False

    def handle_stream(self, stream: IOStream, address: Any) -> None:
        if len(self._open) >= self.max_connections:
            self._open = {s for s in self._open if not s.closed()}
        if len(self._open) >= self.max_connections:
            if not self._crowded:
                access_log.warning("503 %d connections are open; refusing new ones until some close",
                                   len(self._open))
                self._crowded = True
            _spawn(_answer_and_close(stream, _answer(503)))
            return
        self._crowded = False
        self._open.add(stream)
        super().handle_stream(stream, address)


def make_server(app: Application, max_connections: int = MAX_CONNECTIONS) -> HTTPServer:
    """Return an HTTP server for `app` with the front door's limits."""
    return PreviewHTTPServer(_Gate(app), max_connections=max_connections, xheaders=False, decompress_request=False,
                             max_header_size=HEAD_READ_LIMIT, idle_connection_timeout=HEAD_TIMEOUT + 1,
                             body_timeout=HEAD_TIMEOUT, max_body_size=0)
