"""Run `build.py serve` as a real process for the preview tests and benchmarks."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from support.project import REPO


@dataclass
class PreviewServer:
    """A `build.py serve` process and what it printed."""

    process: subprocess.Popen[str]
    url: str
    """The preview's root, e.g. http://127.0.0.1:40123/"""
    output: queue.Queue[str] = field(default_factory=queue.Queue)

    @property
    def port(self) -> int:
        """Return the port it listens on."""
        return urlsplit(self.url).port or 80

    def wait_for(self, text: str, timeout: float = 10) -> str:
        """Return the first line printed from now on that contains `text`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.output.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the server printed no line with {text!r} within {timeout} s") from None
            if text in line:
                return line

    def printed_since(self) -> str:
        """Return everything printed since the last call (or since the start)."""
        printed = []
        while not self.output.empty():
            printed.append(self.output.get())
        return "".join(printed)

    def assert_running_quietly(self) -> str:
        """Assert the server still runs and printed no traceback or error since the last look; return the text."""
        assert self.process.poll() is None
        text = self.printed_since()
        for sign in ("Traceback", "Uncaught exception", "Exception in callback", "exception was never retrieved",
                     "Error sending message"):
            assert sign not in text, text
        return text


@contextmanager
def run_preview(project: Path, *args: str) -> Iterator[PreviewServer]:
    """Start `build.py serve --port 0` on a project; stop it with Ctrl+C at the end."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(project), "serve",
                                "--port", "0", *args], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        server = PreviewServer(process, "", lines)
        line = server.wait_for("Serving the preview at", timeout=60)
        server.url = line.split(" at ", 1)[1].split()[0]
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
