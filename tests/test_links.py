"""`links`: every source's url and archive_url is asked, against a local HTTP server, and each dead,
moved-away or unreachable one is a warning at its place in claims.yaml."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factsite.core import linkcheck
from factsite.core.names import LINKS_CACHE

from support.project import MakeProject, Result, run_cli

TIMEOUT = "0.5"
"""--timeout of the runs: the slow page answers only after SLOW seconds."""
SLOW = 2.0
OLD_SOURCE = "        url: https://court.example.com/statement\n        published: 2019-11-08\n"
OTHER_URLS = ("        url: https://agency.example.com/verdict\n",
              "        url: https://laws.example.gov/weights-and-measures\n",
              "        url: https://standards.example.org/pound\n")
"""The minimal project's other source addresses: left out, so that the tests ask nothing of the real network."""


class Server(ThreadingHTTPServer):
    """A local server whose pages each answer one way, counting the requests and how many run at once."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.active = 0
        self.peak = 0
        self.flaky_seen = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet about the connections the reset page breaks."""

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, seen in self.requests if seen == path)


PAGE = "<!doctype html><html><head><title>{}</title></head><body>text</body></html>"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        """Count the request as waiting until its answer starts: the client may send its next request
        as soon as it has read this answer, so counting up to the end of the write would race."""
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path))
            server.active += 1
            server.peak = max(server.peak, server.active)
        if self.path.startswith("/page/"):
            time.sleep(0.15)  # long enough for the client to send every request its limits allow
        with server.lock:
            server.active -= 1
        self.route()

    def route(self) -> None:
        path = self.path
        if path in ("/", "/ok"):
            return self.send(200, PAGE.format("Example home" if path == "/" else "Court statement"))
        if path == "/missing":
            return self.send(404, PAGE.format("Not here"))
        if path == "/gone":
            return self.send(410, "")
        if path == "/loop-a":
            return self.send(302, "", location="/loop-b")
        if path == "/loop-b":
            return self.send(302, "", location="/loop-a")
        if path == "/moved/old-report":
            return self.send(301, "", location="/")
        if path == "/soft":
            return self.send(200, PAGE.format("Page not found | Example"))
        if path == "/no-head":
            return self.send(405 if self.command == "HEAD" else 200, PAGE.format("A report"))
        if path == "/flaky":
            with self.server.lock:
                self.server.flaky_seen += 1
                first = self.server.flaky_seen == 1
            return self.send(503 if first else 200, "up", content_type="text/plain")
        if path == "/slow":
            time.sleep(SLOW)
            return self.send(200, "late", content_type="text/plain")
        if path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if path.startswith("/page/"):
            return self.send(200, "a page", content_type="text/plain")
        return self.send(404, "")

    def send(self, code: int, body: str, *, location: str = "", content_type: str = "text/html; charset=utf-8"
             ) -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry at once: the tests wait for the timeouts, not for the pauses between tries."""
    monkeypatch.setattr(linkcheck, "BACKOFF", 0.01)


def closed_port() -> int:
    """Return a local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def source(n: int, url: str, archive_url: str | None = None) -> str:
    archive = f"        archive_url: {archive_url}\n" if archive_url else ""
    return (f"      - title: Source {n}\n        publisher: Example\n        kind: secondary\n"
            f"        url: {url}\n{archive}")


def project_with(make_project: MakeProject, *links: tuple[str, str | None]) -> Path:
    """Return the minimal project whose first claim cites a source at each (url, archive_url), its only links."""
    return make_project(replace=[(OLD_SOURCE, _sources(links)), *((url, "") for url in OTHER_URLS)])


def _sources(links: tuple[tuple[str, str | None], ...]) -> str:
    """Replace the court source's url with the first link, then add a source for each further one."""
    url, archive = links[0]
    text = f"        url: {url}\n" + (f"        archive_url: {archive}\n" if archive else "")
    text += "        published: 2019-11-08\n"
    return text + "".join(source(n, url, archive) for n, (url, archive) in enumerate(links[1:], start=1))


def place(project: Path, url: str, key: str = "url") -> tuple[int, int]:
    """Return the 1-based line and column of `key: url` in the project's claims.yaml (the first one)."""
    for number, line in enumerate((project / "claims.yaml").read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() == f"{key}: {url}":
            return number, line.index(url) + 1
    raise AssertionError(f"{key}: {url} is not in claims.yaml")


def links(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Result:
    return run_cli(["--project", str(project), "links", "--timeout", TIMEOUT, *extra], capsys)


def problems_by_place(result: Result) -> dict[tuple[int, int], dict[str, object]]:
    found = json.loads(result.out)["problems"]
    assert all(p["path"] == "claims.yaml" for p in found)
    return {(p["line"], p["column"]): p for p in found}


def test_every_kind_of_broken_link_is_a_warning_at_its_place(server: Server, make_project: MakeProject,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    base, closed = server.base, f"http://127.0.0.1:{closed_port()}"
    project = project_with(
        make_project, (f"{base}/ok", f"{base}/gone"), (f"{base}/missing", None), (f"{base}/gone", None),
        (f"{base}/loop-a", None), (f"{base}/moved/old-report", None), (f"{base}/soft", None),
        (f"{base}/slow", None), (f"{base}/reset", None), (f"{base}/no-head", None), (f"{base}/flaky", None),
        (f"{closed}/report", None), (f"{base}/missing", f"{base}/ok"))
    started = time.monotonic()
    result = links(project, capsys, "--format", "json", "--no-cache")
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert elapsed < 3 * float(TIMEOUT) + SLOW, "bounded: three tries of the slow page, not its full answers"
    found = problems_by_place(result)
    archive = "https://web.archive.org/web/*/"

    def at(url: str, key: str = "url", nth: int = 0) -> dict[str, object]:
        line, column = place(project, url, key)
        if nth:  # the same address written again further down
            lines = (project / "claims.yaml").read_text(encoding="utf-8").splitlines()
            line = [n for n, text in enumerate(lines, 1) if text.strip() == f"{key}: {url}"][nth]
        problem = found.pop((line, column))
        assert problem["severity"] == "warning"
        return problem

    gone_archive = at(f"{base}/gone", "archive_url")
    assert gone_archive["message"] == "dead link: HTTP 410 Gone"
    assert gone_archive["hint"] == f"Find another archived copy at {archive}{base}/ok and replace archive_url."
    missing = at(f"{base}/missing")
    assert missing["message"] == "dead link: HTTP 404 Not Found"
    assert missing["hint"] == f"Find an archived copy at {archive}{base}/missing and add it as archive_url."
    missing_with_copy = at(f"{base}/missing", nth=1)
    assert missing_with_copy["message"] == "dead link: HTTP 404 Not Found"
    assert missing_with_copy["hint"] == "The source's archive_url keeps a copy; update url if the document has moved."
    assert at(f"{base}/gone")["message"] == "dead link: HTTP 410 Gone"
    loop = at(f"{base}/loop-a")
    assert loop["message"] == f"redirect loop: {base}/loop-a → {base}/loop-b → {base}/loop-a"
    home = at(f"{base}/moved/old-report")
    assert home["message"] == "redirected to the home page, probably gone"
    assert str(home["hint"]).startswith(f"It now leads to {base}/. Find an archived copy at {archive}{base}/moved/")
    soft = at(f"{base}/soft")
    assert soft["message"] == "soft 404: the page answers but says it is not found (its title is " \
                              "'Page not found | Example')"
    host = base.removeprefix("http://")
    assert at(f"{base}/slow")["message"] == f"could not reach {host}: no answer within 0.5 s"
    reset = at(f"{base}/reset")
    assert reset["message"] in (f"could not reach {host}: the connection was reset",
                                f"could not reach {host}: the connection was closed without an answer")
    refused = at(f"{closed}/report")
    assert refused["message"] == (f"could not reach {closed.removeprefix('http://')}: "
                                  "connection refused (nothing listens at that port)")
    assert found == {}, "ok, no-head (GET after 405) and flaky (200 after a 503) are alive"

    assert server.count("/slow") == 3 and server.count("/reset") == 3, "timeouts and resets are retried twice"
    assert server.count("/missing") == 1 and server.count("/gone") == 1, "404 and 410 are not retried"
    assert server.count("/flaky") == 2
    assert ("GET", "/no-head") in server.requests
    assert result.err.strip().splitlines()[-1] == "11 links: 3 ok, 5 dead, 3 unreachable, 0 from cache"


def test_strict_makes_the_warnings_errors_in_text_and_github_formats(server: Server, make_project: MakeProject,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(make_project, (f"{server.base}/missing", None))
    line, column = place(project, f"{server.base}/missing")
    warned = links(project, capsys)
    assert warned.code == 0
    assert f"claims.yaml:{line}:{column}: warning: dead link: HTTP 404 Not Found. Find an archived copy" in warned.err
    assert "^" in warned.err, "the offending line is shown with a caret"
    assert warned.out.strip() == "1 link: 0 ok, 1 dead, 0 unreachable, 0 from cache"

    strict = links(project, capsys, "--strict", "--no-cache")
    assert strict.code == 1
    assert f"claims.yaml:{line}:{column}: error: dead link: HTTP 404 Not Found" in strict.err
    assert "1 error, 0 warnings." in strict.err

    github = links(project, capsys, "--strict", "--format", "github")
    assert github.code == 1
    assert github.out.startswith("::error file=")
    assert f",line={line},col={column},title=factsite::dead link" in github.out


def test_a_rerun_reports_from_the_cache_without_asking_again(server: Server, make_project: MakeProject,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    closed = f"http://127.0.0.1:{closed_port()}/x"
    project = project_with(make_project, (f"{server.base}/ok", None), (f"{server.base}/missing", None),
                           (f"{server.base}/soft", None), (closed, None))
    first = links(project, capsys)
    asked = len(server.requests)
    assert asked >= 3
    cache = json.loads((project / LINKS_CACHE).read_text(encoding="utf-8"))
    assert sorted(cache["links"]) == sorted([f"{server.base}/ok", f"{server.base}/missing", f"{server.base}/soft"]), \
        "unreachable hosts are not cached: they are asked again next time"

    second = links(project, capsys)
    assert len(server.requests) == asked, "nothing asked again"
    assert second.err == first.err
    assert second.out.strip() == "4 links: 1 ok, 2 dead, 1 unreachable, 3 from cache"

    for fresh in (["--no-cache"], ["--max-age", "0"]):
        again = links(project, capsys, *fresh)
        assert len(server.requests) > asked
        asked = len(server.requests)
        assert again.out.strip().endswith("0 from cache")
    assert not list((project / LINKS_CACHE).parent.glob(".*.tmp")), "written atomically, nothing left over"


def test_one_host_gets_two_requests_at_a_time_and_each_address_is_asked_once(
        server: Server, make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    pages = [(f"{server.base}/page/{n}", None) for n in range(10)]
    project = project_with(make_project, *pages, (f"{server.base}/page/0", None))
    result = links(project, capsys, "--no-cache")
    assert result.code == 0 and result.err == ""
    assert server.peak == linkcheck.PER_HOST == 2
    assert server.count("/page/0") == 1, "an address written twice is asked once"
    assert result.out.strip() == "10 links: 10 ok, 0 dead, 0 unreachable, 0 from cache"


def test_an_unknown_host_is_reported_plainly(make_project: MakeProject, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    project = project_with(make_project, ("https://gone.invalid/a", None), ("https://gone.invalid/b", None))
    result = links(project, capsys)
    assert result.code == 0 and "Traceback" not in result.err
    assert result.err.count("warning: could not reach gone.invalid: the name does not resolve") == 2


@pytest.mark.parametrize("args", [["--timeout", "0"], ["--timeout", "soon"], ["--max-age", "-1"],
                                  ["--format", "xml"]])
def test_bad_options_are_usage_errors(args: list[str], make_project: MakeProject,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["--project", str(make_project()), "links", *args], capsys)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_a_project_with_errors_is_not_checked(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[("verdict: accurate\n    summary: The court",
                                     "verdict: nonsense\n    summary: The court")])
    result = run_cli(["--project", str(project), "links"], capsys)
    assert result.code == 1
    assert "error:" in result.err and "links:" not in result.out
