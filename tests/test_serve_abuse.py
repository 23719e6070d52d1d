"""The preview server against hostile or broken clients, over raw sockets on the loopback.

Malformed requests, traversal attempts, oversized heads and bodies, slow and vanishing clients:
each gets a short answer (400, 404, 405, 408, 413, 414, 431) or a closed connection, never a file
from outside the preview folder, and the server keeps serving everyone else without printing a
traceback (the autouse fixture checks both after every test).
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import pytest
from tornado.netutil import bind_sockets

from factsite.core.names import PREVIEW_DIR
from factsite.preview.guard import HEAD_TIMEOUT, make_server
from factsite.preview.http import make_app
from factsite.preview.state import Preview

from support.preview import PreviewServer, run_preview
from support.project import write_project

SECRET = "secret-outside-the-preview-7f3a"
"""Text of a file next to the project, outside the preview folder, that no answer may contain."""
BIG = b"x" * (4 * 2**20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    """Serve the minimal project, with symbolic links out of its preview folder and one large file."""
    folder = tmp_path_factory.mktemp("abuse")
    (folder / "secret.txt").write_text(SECRET)
    project = write_project(folder / "project")
    with run_preview(project) as running:
        out = project / PREVIEW_DIR
        (out / "leak.txt").symlink_to(folder / "secret.txt")
        (out / "leak-dir").symlink_to(folder)
        (out / "passwd.html").symlink_to("/etc/passwd")
        (out / "claims" / "up.html").symlink_to("../../../../secret.txt")
        (out / "big.bin").write_bytes(BIG)
        running.secret_path = str(folder / "secret.txt")  # type: ignore[attr-defined]
        yield running


@pytest.fixture(autouse=True)
def still_serving(server: PreviewServer) -> Iterator[None]:
    """After each test: the server still answers a page quickly and has printed no traceback."""
    yield
    start = time.monotonic()
    status, _, body = exchange(server, get(server, "/claims/seized-amount/"))
    assert status == 200 and b"The court gave the same figure." in body
    assert time.monotonic() - start < 2
    text = server.assert_running_quietly()
    assert not re.search(r"(?m)^5\d\d ", text), text


def get(server: PreviewServer, target: str, extra: str = "", method: str = "GET") -> bytes:
    """Return a request head for `target`, sent exactly as given, that closes the connection after."""
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n{extra}Connection: close\r\n\r\n".encode(
        "latin-1")


def exchange(server: PreviewServer, data: bytes, *, timeout: float = 5, half_close: bool = False,
             ) -> tuple[int | None, bytes, bytes]:
    """Send raw bytes, read until the server closes; return the status (None if no answer), head and body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as connection:
        try:
            connection.sendall(data)
            if half_close:
                connection.shutdown(socket.SHUT_WR)
        except OSError:  # the server may close before taking everything (an oversized head)
            pass
        answer = _read_all(connection)
    return parse(answer)


def parse(answer: bytes) -> tuple[int | None, bytes, bytes]:
    """Split an answer into its status, head and body."""
    head, _, body = answer.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        assert not answer, f"not an HTTP/1.1 answer: {answer[:200]!r}"
        return None, b"", b""
    return int(head.split()[1]), head, body


# -- malformed requests ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "request_bytes", "statuses"), [
    ("garbage request line", b"GARBAGE\r\n\r\n", {400}),
    ("binary garbage", bytes(range(1, 256)) + b"\r\n\r\n", {400}),
    ("no HTTP version", b"GET /\r\n\r\n", {400}),
    ("unknown HTTP version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", {400}),
    ("HTTP/2 preface on HTTP/1", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", {400}),
    ("header without a colon", b"GET / HTTP/1.1\r\nHost: {host}\r\nNoColonHere\r\n\r\n", {400}),
    ("NUL in the raw path", b"GET /a\x00b HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", {400}),
    ("NUL in a header", b"GET / HTTP/1.1\r\nHost: {host}\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n", {400}),
    ("no Host header", b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", {400}),
    ("two Content-Lengths", b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
     {400, 413}),
    ("Content-Length not a number", b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: abc\r\n\r\n", {400}),
    ("Content-Length a superscript digit", b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: \xb2\r\n\r\n", {400}),
    ("Content-Length negative", b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n", {400}),
    ("absurd method", b"FOOBARBAZ / HTTP/1.1\r\nHost: {host}\r\n\r\n", {405}),
    ("5,000-letter method", b"X" * 5000 + b" / HTTP/1.1\r\nHost: {host}\r\n\r\n", {400, 405}),
    ("OPTIONS *", b"OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n", {405}),
    ("DELETE", b"DELETE /index.html HTTP/1.1\r\nHost: {host}\r\n\r\n", {405}),
    ("invalid UTF-8 in the path", b"GET /%e2%28%a1 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", {400}),
    ("overlong UTF-8 dots", b"GET /%c0%ae%c0%ae/claims.yaml HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
     {400}),
    ("percent sign without hex digits", b"GET /%zz%4 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", {404}),
    ("percent-encoded control character", b"GET /a%0d%0aSet-Cookie:x HTTP/1.1\r\nHost: {host}\r\nConnection: close"
     b"\r\n\r\n", {400}),
    ("GET with a body", b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello", {413}),
    ("GET with a chunked body", b"GET / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     {413}),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_malformed_request_gets_a_short_answer(server: PreviewServer, name: str, request_bytes: bytes,
                                                 statuses: set[int]) -> None:
    start = time.monotonic()
    status, head, body = exchange(server, request_bytes.replace(b"{host}", f"127.0.0.1:{server.port}".encode()))
    assert status in statuses, (name, head)
    assert time.monotonic() - start < 2, name
    if status != 404:  # a 404 is the site's own 404 page
        assert b"<html" not in body.lower(), name
    if status == 405:
        assert b"\r\nAllow: GET, HEAD" in head


def test_an_http_0_9_request_gets_no_page(server: PreviewServer) -> None:
    """HTTP/0.9 (`GET /` and nothing else) would get a bare body: the answer is a 400 or nothing at all."""
    status, _, body = exchange(server, b"GET /\r\n", half_close=True)
    assert status in (None, 400) and b"<html" not in body.lower()


def test_a_request_split_into_single_bytes_is_still_served(server: PreviewServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        for byte in get(server, "/"):
            connection.send(bytes([byte]))
        assert parse(_read_all(connection))[0] == 200


# -- traversal -----------------------------------------------------------------------------------


TRAVERSALS = [
    "/../claims.yaml", "/../../../../../../etc/passwd", "/%2e%2e/claims.yaml", "/%2E%2E%2Fclaims.yaml",
    "/%2e%2e%2f%2e%2e%2fsecret.txt", "/%252e%252e%252fclaims.yaml", "/%252e%252e/%252e%252e/secret.txt",
    "/..\\claims.yaml", "/..%5cclaims.yaml", "/%5c..%5c..%5csecret.txt", "/checks/../../claims.yaml",
    "/checks/%2e%2e/%2e%2e/claims.yaml", "//etc/passwd", "/%2fetc%2fpasswd", "/etc/passwd",
    "/claims/./../../claims.yaml", "/.%2e/claims.yaml", "/claims.yaml%00.html", "/index.html%00",
    "/.factsite/preview/index.html", "/%2efactsite", "/leak.txt", "/checks/leak.txt", "/leak-dir/secret.txt",
    "/leak-dir/project/claims.yaml", "/leak-dir/", "/passwd.html", "/claims/up.html", "{secret}", "/{secret}",
    "http://127.0.0.1/../claims.yaml", "/%c0%ae%c0%ae/claims.yaml",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_nothing_outside_the_preview_folder_is_served(server: PreviewServer, target: str) -> None:
    target = target.format(secret=server.secret_path)  # type: ignore[attr-defined]
    status, _, body = exchange(server, get(server, target))
    assert status in (400, 404), target
    assert SECRET.encode() not in body and b"root:" not in body and b"base_url" not in body, target


def test_the_same_files_are_served_by_their_proper_paths(server: PreviewServer) -> None:
    """The refusals above are not refusing everything: the files that are there are served."""
    for target in ("/", "/index.html", "/checks/claims/seized-amount/", "/_factsite/preview.js"):
        assert exchange(server, get(server, target))[0] == 200, target
    assert exchange(server, get(server, "/checks"))[0] in (301, 302)


# -- oversized heads and bodies ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "request_bytes", "status"), [
    ("100 KB header line", b"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", 431),
    ("1,000 headers", b"GET / HTTP/1.1\r\nHost: {host}\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(1000))
     + b"\r\n", 431),
    ("70 KB of headers in 7 KB lines", b"GET / HTTP/1.1\r\nHost: {host}\r\n"
     + b"".join(b"Cookie: " + b"c" * 7000 + b"\r\n" for _ in range(10)) + b"\r\n", 431),
    ("9 KB request target", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: {host}\r\n\r\n", 414),
    ("100 KB request target", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: {host}\r\n\r\n", 414),
], ids=lambda value: value if isinstance(value, str) else "")
def test_an_oversized_head_gets_414_or_431_quickly(server: PreviewServer, name: str, request_bytes: bytes,
                                                   status: int) -> None:
    start = time.monotonic()
    answer, head, _ = exchange(server, request_bytes.replace(b"{host}", f"127.0.0.1:{server.port}".encode()))
    assert answer == status, (name, head)
    assert time.monotonic() - start < 2, name


def test_a_head_too_large_to_read_closes_the_connection_quickly(server: PreviewServer) -> None:
    """Past the read limit (128 KB) the server stops reading: the connection closes, unanswered or with a 431."""
    start = time.monotonic()
    status, _, _ = exchange(server, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 4_000_000 + b"\r\n\r\n")
    assert status in (None, 431)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_method_not_served_is_refused_before_its_body_is_read(server: PreviewServer, method: str) -> None:
    """A 1 GB body is announced and never sent: the 405 comes at once, and the server closes."""
    start = time.monotonic()
    status, head, _ = exchange(server, get(server, "/", "Content-Length: 1000000000\r\n", method=method))
    assert status == 405 and b"\r\nAllow: GET, HEAD" in head
    assert time.monotonic() - start < 1


def test_a_large_body_that_is_sent_gets_its_405_and_the_server_stops_reading(server: PreviewServer) -> None:
    """The client sends 64 MB after its head; it reads the 405 and the server gives up on the rest."""
    size = 64 * 2**20
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(get(server, "/upload", f"Content-Length: {size}\r\n", method="PUT"))
        sent = [0]

        def send_body() -> None:
            chunk = b"b" * 65536
            try:
                while sent[0] < size:
                    sent[0] += connection.send(chunk)
            except OSError:
                pass

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        answer = _read_all(connection)
        sender.join(timeout=10)
    assert parse(answer)[0] == 405
    assert sent[0] < size, "the server read the whole 64 MB body of a request it refused"


def test_a_chunked_upload_is_refused_before_its_body(server: PreviewServer) -> None:
    status, _, _ = exchange(server, get(server, "/", "Transfer-Encoding: chunked\r\n", method="POST"))
    assert status == 405


# -- slow and vanishing clients ------------------------------------------------------------------


def test_slow_clients_do_not_block_others_and_time_out_with_408(server: PreviewServer) -> None:
    """20 clients send their head one header every half second (slowloris), two say nothing.

    Meanwhile the others are served at once. Once HEAD_TIMEOUT has passed, the slow ones get a
    408; the silent ones are closed without an answer: a new connection that never sent a byte,
    and a kept-alive one idle since its first answer (no stray 408 for its next request to read).
    """
    slow = []
    for number in range(20):
        connection = socket.create_connection(("127.0.0.1", server.port), timeout=HEAD_TIMEOUT + 5)
        connection.sendall(f"GET /?slow={number} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())
        slow.append(connection)
    silent = socket.create_connection(("127.0.0.1", server.port), timeout=HEAD_TIMEOUT + 5)
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=HEAD_TIMEOUT + 5)
    idle.sendall(f"GET /_factsite/status.json HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    assert idle.recv(65536).startswith(b"HTTP/1.1 200")
    opened = time.monotonic()
    stop = threading.Event()

    def dribble() -> None:
        number = 0
        while not stop.wait(0.5):
            number += 1
            for connection in slow:
                with suppress(OSError):
                    connection.sendall(f"X-Slow-{number}: still typing\r\n".encode())

    dribbler = threading.Thread(target=dribble, daemon=True)
    dribbler.start()
    try:
        for _ in range(3):
            with ThreadPoolExecutor(10) as pool:
                timings = list(pool.map(lambda _: _timed(server), range(20)))
            assert all(status == 200 for status, _ in timings)
            assert max(seconds for _, seconds in timings) < 1, timings
            time.sleep(0.5)
        with ThreadPoolExecutor(22) as pool:
            answers = list(pool.map(_read_all, [*slow, silent, idle]))
    finally:
        stop.set()
        dribbler.join()
        for connection in [*slow, silent, idle]:
            connection.close()
    elapsed = time.monotonic() - opened
    assert [parse(answer)[0] for answer in answers[:20]] == [408] * 20
    assert answers[20:] == [b"", b""]
    assert HEAD_TIMEOUT - 0.5 < elapsed < HEAD_TIMEOUT + 3


def _timed(server: PreviewServer) -> tuple[int | None, float]:
    start = time.monotonic()
    status, _, _ = exchange(server, get(server, "/claims/seized-amount/"))
    return status, time.monotonic() - start


def _read_all(connection: socket.socket) -> bytes:
    answer = bytearray()
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return bytes(answer)


def test_clients_that_hang_up_mid_answer_do_not_disturb_the_server(server: PreviewServer) -> None:
    """30 clients ask for a 4 MB file and hang up after the first bytes, half of them with a reset."""
    for number in range(30):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
            if number % 2:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.sendall(get(server, "/big.bin"))
            assert connection.recv(1024).startswith(b"HTTP/1.1 200")
    for number in range(10):  # and some that hang up before the answer starts
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
            connection.sendall(get(server, "/claims/seized-amount/")[: 10 + number * 5])
    time.sleep(0.3)
    assert exchange(server, get(server, "/big.bin"), timeout=10)[2] == BIG


def test_many_connections_opened_and_dropped_at_once(server: PreviewServer) -> None:
    """300 connections opened together and dropped without a word; the server closes its ends."""
    connections = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(300)]
    for connection in connections:
        connection.close()
    time.sleep(0.3)
    with ThreadPoolExecutor(10) as pool:
        assert all(status == 200 for status, _ in pool.map(lambda _: _timed(server), range(20)))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts the server's sockets in /proc")
def test_refused_and_dropped_connections_release_their_sockets(server: PreviewServer) -> None:
    before = _sockets(server)
    for _ in range(50):
        exchange(server, get(server, "/", "Content-Length: 10\r\n", method="POST"))
        exchange(server, b"GARBAGE\r\n\r\n")
    deadline = time.monotonic() + 5
    while _sockets(server) > before + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sockets(server) <= before + 2


def _sockets(server: PreviewServer) -> int:
    count = 0
    for fd in Path(f"/proc/{server.process.pid}/fd").iterdir():
        with suppress(OSError):  # closed meanwhile
            count += fd.readlink().as_posix().startswith("socket:")
    return count


def test_connections_past_the_limit_get_a_503_until_some_close(tmp_path: Path) -> None:
    """In-process, with a limit of 3: a fourth connection gets a 503 at once; once one closes, it is served."""

    async def scenario() -> tuple[bytes, bytes]:
        sockets = bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        preview = Preview(tmp_path, tmp_path, "127.0.0.1", port)
        server = make_server(make_app(preview), max_connections=3)
        server.add_sockets(sockets)
        try:
            held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
            reader, _ = await asyncio.open_connection("127.0.0.1", port)
            refused = await asyncio.wait_for(reader.read(), 5)
            held[0][1].close()
            await asyncio.sleep(0.1)
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET /_factsite/status.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         "Connection: close\r\n\r\n".encode())
            served = await asyncio.wait_for(reader.read(), 5)
            for _, other in held[1:]:
                other.close()
            return refused, served
        finally:
            server.stop()
            await server.close_all_connections()

    refused, served = asyncio.run(scenario())
    assert refused.startswith(b"HTTP/1.1 503 ") and b"\r\nRetry-After: 1" in refused
    assert served.startswith(b"HTTP/1.1 200 ")
