"""The preview server: build into .factsite/preview/, serve it, rebuild and reload on every save."""

from __future__ import annotations

import asyncio
import errno
import sys
import threading
import time
import webbrowser
from contextlib import suppress
from pathlib import Path
from typing import Any

from tornado.netutil import bind_sockets

from ..core.errors import UsageError
from ..core.names import PREVIEW_DIR, inputs_sentence
from ..site.options import BuildOptions
from .builder import PreviewBuilder
from .guard import connection_limit, make_server
from .http import make_app
from .state import Preview, is_loopback
from .watch import Watcher

PREVIEW = Path(PREVIEW_DIR)
POLL = 0.025
"""Seconds between two looks at the watched files."""
QUIET = 0.1
"""A rebuild starts once the files have been quiet this long, so a burst of saves builds once."""
BACKLOG = 1024
"""Connections the system may hold for the server to accept: a burst (many tabs) is not turned away."""
INDEX_DELAY = 0.3
"""Seconds the search index waits after a build, so that the tabs' reload and repaint have the cores first."""
LONGEST_WAIT = 1.0
"""A burst of saves that goes on for longer than this is built without waiting for it to end."""


def _watch(watcher: Watcher, builder: PreviewBuilder, deliver: Any, stop: threading.Event,
           index_wanted: threading.Event) -> None:
    """Poll the inputs; once a burst of saves is over, rebuild and deliver the outcome to the IO loop.

    Saves made during a build are seen by the next poll, so none is lost. A burst that never
    pauses for QUIET seconds is built every LONGEST_WAIT seconds meanwhile.
    """
    pending: set[str] = set()
    first = last = 0.0
    while not stop.wait(POLL):
        changed = watcher.poll()
        now = time.monotonic()
        if changed:
            if not pending:
                first = now
            pending |= changed
            last = now
        if pending and (now - last >= QUIET or now - first >= LONGEST_WAIT):
            outcome = builder.build(pending)
            pending = set()
            deliver(outcome)
            if not outcome.problems:  # a failed build leaves the pages, and so the index, as they were
                index_wanted.set()


def _index(builder: PreviewBuilder, wanted: threading.Event, stop: threading.Event) -> None:
    """Make the search index whenever a build asks for it, on a thread of its own, so that a save
    never waits for the index of the save before (about 30 s at 10,000 claims). Builds that finish
    while it indexes are indexed once, by the next pass."""
    while not stop.is_set():
        if wanted.wait(0.5) and not stop.wait(INDEX_DELAY):
            wanted.clear()
            _say(builder.index_search())


def _say(warning: str) -> None:
    """Print a warning for the terminal, if there is one."""
    if warning:
        print(warning, file=sys.stderr, flush=True)


def _listen(host: str, port: int) -> list[Any]:
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number; use one from 1024 to 65535, e.g. --port 8001")
    try:
        return bind_sockets(port, host, backlog=BACKLOG)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another preview?); stop that server "
                             f"or pass another port, e.g. --port {port + 1}") from None
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}; "
                         "check --host and --port") from None


def serve(root: Path, *, host: str, port: int, open_browser: bool, drafts: bool, prog: str = "factsite") -> int:
    """Build the preview, serve it and rebuild on every save until interrupted."""
    sockets = _listen(host, port)
    port = sockets[0].getsockname()[1]
    if not is_loopback(host):
        print(f"{prog}: warning: --host {host} lets other machines read the preview, which has no "
              "authentication; use it only on a network you trust.", file=sys.stderr, flush=True)
    out = root / PREVIEW
    preview = Preview(root, out, host, port)
    builder = PreviewBuilder(root, out, BuildOptions(drafts=drafts, preview=True, connect_src=preview.connect_src,
                                                     search=False))
    watcher = Watcher(root)
    first = builder.build(set())
    if first.problems:
        builder.write_placeholder()
    preview.publish(first)
    stop = threading.Event()
    index_wanted = threading.Event()
    if not first.problems:
        index_wanted.set()

    async def run() -> None:
        loop = asyncio.get_running_loop()

        def deliver(outcome: Any) -> None:
            with suppress(RuntimeError):  # the loop has closed: the server is stopping
                loop.call_soon_threadsafe(preview.publish, outcome)

        server = make_server(make_app(preview), connection_limit())
        server.add_sockets(sockets)
        print(f"Serving the preview at {preview.url()}" + (
            f" and {preview.url(preview.base_path)}" if preview.base_path != "/" else ""), flush=True)
        print(f"Watching {inputs_sentence()}; press Ctrl+C to stop.", flush=True)
        thread = threading.Thread(target=_watch, name="factsite-watch", daemon=True,
                                  args=(watcher, builder, deliver, stop, index_wanted))
        thread.start()
        threading.Thread(target=_index, name="factsite-search-index", daemon=True,
                         args=(builder, index_wanted, stop)).start()
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
