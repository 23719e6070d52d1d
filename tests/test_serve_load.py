"""The preview server under load: many requests, a burst of saves, hundreds of open tabs, a lost file.

Timings are printed, never asserted tightly (the machines are shared); what is asserted is that
nothing fails and nothing is lost. bench/serve_load.py measures the request figures properly.
"""

from __future__ import annotations

import asyncio
import http.client
import importlib.util
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from types import ModuleType

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from factsite.core.names import PREVIEW_DIR

from support.preview import PreviewServer, run_preview
from support.project import REPO, write_project

SUMMARY = "The court gave the same figure."
PAGE = "/claims/seized-amount/"


def _bench() -> ModuleType:
    """Load bench/serve_load.py, whose client the benchmark and this test share."""
    spec = importlib.util.spec_from_file_location("bench_serve_load", REPO / "bench" / "serve_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


serve_load = _bench()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("load") / "project")


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[PreviewServer]:
    with run_preview(project) as running:
        yield running


@pytest.fixture(autouse=True)
def no_traceback(server: PreviewServer) -> Iterator[None]:
    """After each test: the server is running and printed no traceback."""
    yield
    server.assert_running_quietly()


def fetch(server: PreviewServer, path: str) -> tuple[int, bytes]:
    """GET a path on a fresh connection; return the status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def status(server: PreviewServer) -> dict:
    code, body = fetch(server, "/_factsite/status.json")
    assert code == 200
    return json.loads(body)


def settled_build(server: PreviewServer) -> str:
    """Return the build the server shows once none has been published for 0.3 s.

    A page shows a build's files a moment before the build is published (its number, the tabs
    told): a tab that connected in between would be told to reload by that build, not by ours.
    """
    build = status(server)["build"]
    while True:
        time.sleep(0.3)
        latest = status(server)["build"]
        if latest == build:
            return build
        build = latest


def wait_until(condition, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    """Poll `condition` every 50 ms; return the seconds it took to hold, fail after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - start


def shows(server: PreviewServer, text: str) -> bool:
    code, body = fetch(server, PAGE)
    return code == 200 and text.encode() in body


# -- requests ------------------------------------------------------------------------------------


def test_2000_requests_over_50_connections_without_an_error(server: PreviewServer, project: Path) -> None:
    paths = serve_load.preview_paths(project / PREVIEW_DIR)
    assert len(paths) > 20
    load = asyncio.run(serve_load.hammer(server.port, paths, 2000, 50, check=b'<meta name="factsite-build"'))
    print(f"\npreview under load: {load.summary()}")
    assert load.errors == []
    assert len(load.latencies) == 2000
    assert load.percentile(99) < 2


# -- saves ---------------------------------------------------------------------------------------


def test_100_saves_in_10_seconds_end_with_the_last_one_shown(server: PreviewServer, project: Path) -> None:
    """Save claims.yaml 100 times, every 0.1 s, alternately in place and by replacing the file as
    editors do; within a few seconds of the last save the page shows its text, without errors."""
    claims = project / "claims.yaml"
    original = claims.read_text(encoding="utf-8")
    try:
        start = time.monotonic()
        for number in range(1, 101):
            text = original.replace(SUMMARY, f"Save number {number} of 100.")
            if number % 2:
                claims.write_text(text, encoding="utf-8")
            else:
                temporary = claims.with_name(".claims.yaml.swp")
                temporary.write_text(text, encoding="utf-8")
                os.replace(temporary, claims)
            time.sleep(max(0.0, start + number * 0.1 - time.monotonic()))
        burst = time.monotonic() - start
        settled = wait_until(lambda: shows(server, "Save number 100 of 100."), 5, "the last save on the page")
        assert status(server)["problems"] == []
        builds = 0
        while not server.output.empty():
            builds += "Built in" in server.output.get()
        print(f"\n100 saves in {burst:.1f} s; {builds}+ builds; the last save showed {settled:.2f} s after it")
        assert not shows(server, "Save number 99 of 100.")
    finally:
        claims.write_text(original, encoding="utf-8")
        wait_until(lambda: shows(server, SUMMARY), 5, "the original text back")


# -- open tabs -----------------------------------------------------------------------------------


async def _open_tab(server: PreviewServer, build: str) -> WebSocketClientConnection:
    """Connect a reload socket as a tab showing `build` does: hello, then info."""
    origin = f"http://127.0.0.1:{server.port}"
    connection = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload",
                                                     headers={"Origin": origin}, connect_timeout=10))
    await connection.write_message(json.dumps({"command": "hello",
                                               "protocols": ["http://livereload.com/protocols/official-7"]}))
    hello = json.loads(await asyncio.wait_for(connection.read_message(), 10) or "null")
    assert hello["command"] == "hello"
    await connection.write_message(json.dumps({"command": "info", "url": origin + PAGE,
                                               "plugins": {"factsite": {"build": build}}}))
    return connection


def _sockets(server: PreviewServer) -> int:
    """Return how many sockets the server process holds open."""
    count = 0
    for fd in Path(f"/proc/{server.process.pid}/fd").iterdir():
        with suppress(OSError):  # closed meanwhile
            count += fd.readlink().as_posix().startswith("socket:")
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts the server's sockets in /proc")
def test_200_open_tabs_all_reload_after_one_save_and_are_released(server: PreviewServer, project: Path) -> None:
    claims = project / "claims.yaml"
    original = claims.read_text(encoding="utf-8")
    before = _sockets(server)

    async def scenario() -> tuple[float, float, list[float]]:
        build = await asyncio.to_thread(settled_build, server)
        start = time.monotonic()
        tabs = await asyncio.gather(*(_open_tab(server, build) for _ in range(200)))
        opened = time.monotonic() - start
        await asyncio.sleep(0.2)  # the last info messages are in
        assert _sockets(server) >= 200  # (a kept-alive socket of an earlier test may close meanwhile)
        saved = time.monotonic()
        claims.write_text(original.replace(SUMMARY, "Seen by 200 tabs."), encoding="utf-8")
        reloads = [asyncio.ensure_future(_next_message(tab, saved, "*")) for tab in tabs]
        pages = await asyncio.gather(*(asyncio.to_thread(fetch, server, PAGE) for _ in range(20)))
        assert all(code == 200 for code, _ in pages)
        received = await asyncio.gather(*reloads)
        assert all(message["command"] == "reload" and message["path"] == "*" for message, _ in received)
        served = time.monotonic()
        assert all(code == 200 for code, _ in await asyncio.gather(
            *(asyncio.to_thread(fetch, server, PAGE) for _ in range(20))))
        for tab in tabs:
            tab.close()
        return opened, time.monotonic() - served, [seconds for _, seconds in received]

    try:
        opened, _, delays = asyncio.run(scenario())
        wait_until(lambda: shows(server, "Seen by 200 tabs."), 2, "the saved text on the page")
        released = wait_until(lambda: _sockets(server) <= before + 2, 5, "the 200 sockets released")
        print(f"\n200 tabs connected in {opened:.2f} s; reload reached all of them {max(delays):.2f} s after the "
              f"save (first {min(delays):.2f} s); their sockets were released {released:.2f} s after closing")
    finally:
        claims.write_text(original, encoding="utf-8")
        wait_until(lambda: shows(server, SUMMARY), 5, "the original text back")


async def _next_message(tab: WebSocketClientConnection, since: float, path: str | None = None) -> tuple[dict, float]:
    """Return the tab's next message (the next one reloading `path`, if given) and its delay since `since`."""
    while True:
        message = await asyncio.wait_for(tab.read_message(), 10)
        assert message is not None, "the server closed a tab's socket"
        data = json.loads(message)
        if path is None or data.get("path") == path:
            return data, time.monotonic() - since


# -- a lost file ---------------------------------------------------------------------------------


def test_claims_yaml_deleted_then_restored(server: PreviewServer, project: Path) -> None:
    """While claims.yaml is gone every page still answers and the status lists the error (which the
    overlay shows, and open tabs are told to fetch); the restored file is shown as soon as it is back."""
    claims = project / "claims.yaml"
    original = claims.read_text(encoding="utf-8")

    async def tab_told_of(path: str, action) -> None:  # type: ignore[no-untyped-def]
        """Open a tab, do `action`, wait until the tab is told to reload `path`."""
        tab = await _open_tab(server, await asyncio.to_thread(settled_build, server))
        await asyncio.sleep(0.1)
        action()
        try:
            await _next_message(tab, time.monotonic(), path)
        finally:
            tab.close()

    try:
        asyncio.run(tab_told_of("_factsite/status.json", claims.unlink))
        problems = status(server)["problems"]
        assert problems and "claims.yaml" in problems[0]["where"] + problems[0]["message"]
        for path in ("/", PAGE, "/no-such-page/"):
            code, body = fetch(server, path)
            assert code == (404 if "no-such" in path else 200) and b"_factsite/preview.js" in body
        assert shows(server, SUMMARY)
        restored = original.replace(SUMMARY, "Restored after deletion.")
        asyncio.run(tab_told_of("*", lambda: claims.write_text(restored, encoding="utf-8")))
        assert status(server)["problems"] == []
        assert shows(server, "Restored after deletion.")
    finally:
        claims.write_text(original, encoding="utf-8")
        wait_until(lambda: shows(server, SUMMARY), 5, "the original text back")
