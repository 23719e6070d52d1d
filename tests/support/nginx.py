"""Serve a built site with nginx, configured by the shipped deploy/nginx example."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .markers import require_marker

DEPLOY_NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
EXAMPLE = DEPLOY_NGINX / "factsite.conf.example"
NGINX = "/usr/sbin/nginx"
_EXAMPLE_PREFIX = "/fentanyl-factcheck"
_EXAMPLE_ROOT = "/srv/factsite/site/"
_EXAMPLE_SNIPPETS = "/etc/nginx/snippets/factsite/"
_SAFE_PATH = re.compile(r"[A-Za-z0-9_./+-]+")
_SAFE_PREFIX = re.compile(r"/(?:[a-z0-9-]+/)*")

_MAIN_CONF = """\
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{
    worker_connections 64;
}}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
{server}
}}
"""


def require_nginx() -> str:
    """Return the nginx binary; skip the test without it, or fail it when CI=true."""
    if os.access(NGINX, os.X_OK):
        return NGINX
    reason = f"nginx not found at {NGINX} (install it with `apt-get install -y nginx`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def server_block(root: Path, prefix: str, port: int) -> str:
    """Return the example server block, serving `root` at `prefix` on 127.0.0.1:`port`."""
    if not _SAFE_PREFIX.fullmatch(prefix):
        raise ValueError(f"prefix must look like /a/b/ or /, got {prefix!r}")
    for path in (root, DEPLOY_NGINX):
        if not _SAFE_PATH.fullmatch(str(path)):
            raise ValueError(f"path not usable in an nginx config: {path}")
    text = EXAMPLE.read_text(encoding="utf-8")
    replacements = {
        "    listen [::]:80;\n": "",
        "listen 80;": f"listen 127.0.0.1:{port};",
        _EXAMPLE_ROOT: f"{root.resolve()}/",
        _EXAMPLE_SNIPPETS: f"{DEPLOY_NGINX}/",
        _EXAMPLE_PREFIX: prefix.rstrip("/"),
    }
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{EXAMPLE.name} no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def _free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until nginx accepts connections; raise with its error log if it exits or hangs."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{_read(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within 10 s:\n{_read(log)}")


def _read(path: Path) -> str:
    """Return a file's text, or an empty string when it does not exist."""
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop nginx gracefully by its PID, then forcibly if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextmanager
def run_nginx(root: Path, prefix: str) -> Iterator[str]:
    """Serve `root` at `prefix` with the example config; yield the base URL, ending in /.

    In a test, use it through the `nginx` fixture (conftest.py), which marks the test `nginx`.
    """
    require_marker("nginx", "starts nginx")
    binary = require_nginx()
    tmp = Path(tempfile.mkdtemp(prefix="factsite-nginx-"))
    try:
        port = _free_port()
        conf = tmp / "nginx.conf"
        error_log = tmp / "error.log"
        conf.write_text(
            _MAIN_CONF.format(tmp=tmp, server=server_block(root, prefix, port)), encoding="utf-8"
        )
        process = subprocess.Popen(
            [binary, "-p", f"{tmp}/", "-c", str(conf), "-e", str(error_log)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, process, error_log)
            yield f"http://127.0.0.1:{port}{prefix}"
        finally:
            _stop(process)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
