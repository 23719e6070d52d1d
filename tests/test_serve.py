"""The preview server without a browser: watching, rebuilding, and refusing what it must refuse."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from factsite.core.names import PREVIEW_DIR, THEME_DIR
from factsite.preview.builder import PreviewBuilder
from factsite.preview.http import _with_build
from factsite.preview.server import INDEX_DELAY, _index
from factsite.preview.state import Preview
from factsite.preview.watch import Watcher
from factsite.site.options import BuildOptions

from support.preview import PreviewServer, run_preview
from support.project import REPO, MakeProject


def request(server: PreviewServer, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Send a GET with the path exactly as given (no normalising); return the status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    """Serve the minimal test project (its base_url has the path /checks/)."""
    from support.project import write_project

    project = write_project(tmp_path_factory.mktemp("serve") / "project")
    with run_preview(project) as running:
        yield running


# -- serving -----------------------------------------------------------------------------------


def test_serves_the_preview_at_the_root_and_under_the_base_path(server: PreviewServer) -> None:
    for path in ("/", "/checks/", "/claims/seized-amount/", "/checks/claims/seized-amount/"):
        status, body = request(server, path)
        assert status == 200, path
        assert b'<meta name="factsite-build"' in body
        assert b"_factsite/preview.js" in body
    status, _ = request(server, "/checks/_factsite/livereload.js")
    assert status == 200


def test_the_preview_csp_adds_only_the_websocket_origin_to_connect_src(server: PreviewServer) -> None:
    _, body = request(server, "/")
    assert f"connect-src &#39;self&#39; ws://127.0.0.1:{server.port};".encode() in body


def test_an_unknown_page_is_the_sites_404_page(server: PreviewServer) -> None:
    status, body = request(server, "/no-such-page/")
    assert status == 404
    assert b"<!DOCTYPE html>" in body and b"_factsite/preview.js" in body


@pytest.mark.parametrize("path", ["/../claims.yaml", "/%2e%2e/claims.yaml", "/%2E%2E/%2E%2E/claims.yaml",
                                  "/checks/../../claims.yaml", "/..%2fclaims.yaml", "//etc/passwd",
                                  "/.factsite", "/forcereload"])
def test_nothing_outside_the_preview_folder_is_served(server: PreviewServer, path: str) -> None:
    status, body = request(server, path)
    assert status in (403, 404)
    assert b"base_url" not in body and b"root:" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "127.0.0.1:1"])
def test_a_foreign_host_header_is_refused(server: PreviewServer, host: str) -> None:
    status, _ = request(server, "/", {"Host": host.format(port=server.port)})
    assert status == 403
    status, _ = request(server, "/_factsite/status.json", {"Host": host.format(port=server.port)})
    assert status == 403


def test_loopback_names_are_accepted_as_host(server: PreviewServer) -> None:
    for host in ("127.0.0.1", "localhost", "[::1]"):
        assert request(server, "/", {"Host": f"{host}:{server.port}"})[0] == 200


async def _socket_exchange(server: PreviewServer, origin: str | None, messages: list[dict]) -> list[dict]:
    headers = {"Origin": origin} if origin else {}
    if origin is not None:
        headers["Host"] = f"127.0.0.1:{server.port}"
    connection = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload",
                                                     headers=headers))
    replies = []
    try:
        for message in messages:
            await connection.write_message(json.dumps(message))
            if message["command"] == "hello" or message["command"] == "info":
                reply = await asyncio.wait_for(connection.read_message(), timeout=5)
                replies.append(json.loads(reply or "null"))
    finally:
        connection.close()
    return replies


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1.evil.example", "null",
                                    "https://127.0.0.1"])
def test_a_websocket_from_a_foreign_origin_is_refused(server: PreviewServer, origin: str) -> None:
    with pytest.raises(HTTPClientError) as refused:
        asyncio.run(_socket_exchange(server, origin, [{"command": "hello"}]))
    assert refused.value.code == 403


def test_a_tab_showing_an_older_build_is_told_to_reload_when_it_says_hello(server: PreviewServer) -> None:
    origin = f"http://127.0.0.1:{server.port}"
    hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
    info = {"command": "info", "url": origin + "/", "plugins": {"factsite": {"build": "an-old-build"}}}
    replies = asyncio.run(_socket_exchange(server, origin, [hello, info]))
    assert replies[0]["command"] == "hello"
    assert replies[1] == {"command": "reload", "path": "*", "liveCSS": True, "liveImg": False}


def test_port_in_use_exits_with_code_2_and_says_so(tmp_path: Path, make_project: MakeProject) -> None:
    project = make_project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "serve",
                                 "--port", str(port)], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


# -- rebuilding ----------------------------------------------------------------------------------


def test_a_broken_first_build_recovers_and_a_burst_of_saves_builds_once(make_project: MakeProject) -> None:
    project = make_project(replace=[("summary: The court gave the same figure.", "summary: The court: gave")])
    with run_preview(project) as server:
        status, body = request(server, "/")
        assert status == 503 and b"/_factsite/preview.js" in body
        _, data = request(server, "/_factsite/status.json")
        problems = json.loads(data)["problems"]
        assert problems and problems[0]["where"] == "claims.yaml:25:23"
        claims = project / "claims.yaml"
        text = claims.read_text()
        for summary in ("First.", "Second.", "Third and last."):
            claims.write_text(text.replace("The court: gave", summary))
            time.sleep(0.03)
        server.wait_for("Built in")
        time.sleep(0.5)
        later = []
        while not server.output.empty():
            later.append(server.output.get())
        assert not [line for line in later if "Built in" in line]
        status, body = request(server, "/claims/seized-amount/")
        assert status == 200 and b"Third and last." in body
        assert json.loads(request(server, "/_factsite/status.json")[1])["problems"] == []
        assert server.process.poll() is None



def test_a_save_rebuilds_and_a_mistake_keeps_the_last_good_site(make_project: MakeProject) -> None:
    project = make_project()
    out = project / PREVIEW_DIR
    builder = PreviewBuilder(project, out, BuildOptions(preview=True, connect_src="ws://127.0.0.1:8000"))
    first = builder.build(set())
    assert not first.problems and "claims/seized-amount/index.html" in first.changed
    assert (out / "_factsite" / "preview.js").is_file() and (out / "_factsite" / "overlay.css").is_file()
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text().replace("The court gave the same figure.", "Edited summary."))
    second = builder.build({"claims.yaml"})
    assert not second.problems
    assert "claims/seized-amount/index.html" in second.changed and "sources/index.html" not in second.changed
    assert second.pages_rendered < first.pages_rendered
    good = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    claims.write_text(claims.read_text().replace("verdict: accurate", "verdict: accurate: yes", 1))
    broken = builder.build({"claims.yaml"})
    assert broken.problems and not broken.changed
    problem = broken.problems[0]
    assert problem["path"] == "claims.yaml" and problem["line"] and problem["where"].startswith("claims.yaml:")
    assert "verdict: accurate: yes" in problem["excerpt"] and problem["hint"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == good


def _resident_bytes() -> int:
    """Return this process's resident memory, from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc to read the process's memory")
def test_memory_stays_flat_over_hundreds_of_rebuilds(make_project: MakeProject) -> None:
    project = make_project()
    builder = PreviewBuilder(project, project / PREVIEW_DIR, BuildOptions(preview=True))
    claims, template = project / "claims.yaml", project / "templates" / "page.html"
    template.parent.mkdir()
    versions = [(claims.read_text(), (THEME_DIR / "templates" / "page.html").read_text())]
    versions.append((versions[0][0].replace("The court gave the same figure.", "Edited."), versions[0][1] + "\n"))
    settled = 0
    for number in range(500):  # every tenth save edits a template, which starts a new template environment
        claims.write_text(versions[number % 2][0])
        changed = {"claims.yaml"}
        if number % 10 == 0:
            template.write_text(versions[number // 10 % 2][1])
            changed.add("templates/page.html")
        assert not builder.build(changed).problems
        if number == 49:
            settled = _resident_bytes()
    growth = _resident_bytes() - settled
    assert growth < 5 * 2**20, f"memory grew by {growth / 2**20:.1f} MB over 450 rebuilds"


@pytest.mark.parametrize(("change", "where"), [
    ({"templates/claim.html": "{% if %}"}, "templates/claim.html:1"),
    ({"claims.yaml": None}, "claims.yaml"),
    ({"content/about.md": "---\ntitle: [\n---\n"}, "content/about.md"),
])
def test_every_kind_of_mistake_is_reported_not_raised(make_project: MakeProject, change: dict, where: str) -> None:
    project = make_project()
    builder = PreviewBuilder(project, project / PREVIEW_DIR, BuildOptions(preview=True))
    assert not builder.build(set()).problems
    for name, text in change.items():
        if text is None:
            (project / name).unlink()
        else:
            (project / name).parent.mkdir(exist_ok=True)
            (project / name).write_text(text)
    outcome = builder.build(set(change))
    assert any(p["where"].startswith(where) for p in outcome.problems), outcome.problems
    assert (project / PREVIEW_DIR / "index.html").is_file()


def test_a_build_stamp_is_added_to_the_head() -> None:
    assert _with_build(b"<html><head><title>x</title>", "r-3") == (
        b'<html><head>\n<meta name="factsite-build" content="r-3"><title>x</title>')


# -- watching ------------------------------------------------------------------------------------


def test_the_watcher_sees_created_changed_and_deleted_files(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("a")
    (tmp_path / "content").mkdir()
    watcher = Watcher(tmp_path)
    assert watcher.poll() == set()
    (tmp_path / "content" / "about.md").write_text("x")
    (tmp_path / "content" / ".about.md.swp").write_text("x")
    (tmp_path / "notes.txt").write_text("not an input")
    assert watcher.poll() == {"content/about.md"}
    (tmp_path / "claims.yaml").write_text("ab")
    (tmp_path / "content" / "about.md").unlink()
    assert watcher.poll() == {"claims.yaml", "content/about.md"}
    assert watcher.poll() == set()


def test_the_watcher_sees_a_same_size_save_within_one_timestamp_tick(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("summary: one")
    watcher = Watcher(tmp_path)
    stamp = path.stat()
    path.write_text("summary: two")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_mtime_ns == stamp.st_mtime_ns and path.stat().st_size == stamp.st_size
    assert watcher.poll() == {"claims.yaml"}


# -- the server's rules --------------------------------------------------------------------------


def test_only_loopback_or_the_given_host_is_accepted(tmp_path: Path) -> None:
    preview = Preview(tmp_path, tmp_path, "127.0.0.1", 8000)
    assert preview.allows_host("localhost:8000") and preview.allows_host("127.0.0.1:8000")
    assert not preview.allows_host("localhost:8001") and not preview.allows_host("192.168.1.2:8000")
    assert preview.allows_origin("http://localhost:8000") and not preview.allows_origin("http://evil.example:8000")
    lan = Preview(tmp_path, tmp_path, "192.168.1.2", 8000)
    assert lan.allows_host("192.168.1.2:8000") and not lan.allows_host("evil.example:8000")
    anywhere = Preview(tmp_path, tmp_path, "0.0.0.0", 8000)
    assert anywhere.allows_host("10.0.0.7:8000") and not anywhere.allows_host("rebind.evil.example:8000")


def test_a_fresh_tab_gets_the_errors_and_a_stale_one_a_reload(tmp_path: Path) -> None:
    preview = Preview(tmp_path, tmp_path, "127.0.0.1", 8000)

    class Tab:
        def __init__(self) -> None:
            self.sent: list[dict] = []

        def send_message(self, message: dict) -> None:
            self.sent.append(message)

    current, stale = Tab(), Tab()
    preview.problems = [{"where": "claims.yaml:3:1", "message": "invalid YAML"}]
    preview.greet(current, preview.token)
    preview.greet(stale, "older")
    assert [m["path"] for m in current.sent] == ["_factsite/status.json"]
    assert [m["path"] for m in stale.sent] == ["*"]


def test_saves_made_while_the_index_is_made_are_indexed_once_together() -> None:
    class SlowIndex:
        """Stands in for the builder: each index takes 0.3 s, as a large site's takes seconds."""

        def __init__(self) -> None:
            self.calls = 0

        def index_search(self) -> str:
            self.calls += 1
            time.sleep(0.3)
            return ""

    builder, wanted, stop = SlowIndex(), threading.Event(), threading.Event()
    thread = threading.Thread(target=_index, args=(builder, wanted, stop), daemon=True)
    thread.start()
    wanted.set()
    time.sleep(INDEX_DELAY + 0.1)  # the first index is under way: three builds finish meanwhile
    for _ in range(3):
        wanted.set()
    time.sleep(INDEX_DELAY + 1.0)
    stop.set()
    thread.join(2)
    assert builder.calls == 2, "one index for the first build, one for the three that came during it"
