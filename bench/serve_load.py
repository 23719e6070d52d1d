"""Benchmark: the preview server under load, many requests over many kept-alive connections.

    .venv/bin/python bench/serve_load.py [--requests 2000] [--concurrency 50] [--runs 3] [--claims 24]

Starts `build.py serve --port 0` on a copy of the shipped project (make_project.py), then sends
--requests GET requests for the preview's pages and assets, in turn, over --concurrency
connections that each send their next request as soon as the previous answer is in (HTTP/1.1
keep-alive; asyncio, in this one process, which shares the machine with the server). Prints
requests/s, the latency median, p90, p99 and maximum, and the errors: an answer other than 200,
a malformed answer or a connection error. tests/test_serve_load.py runs the same client.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = (".css", ".js", ".json", ".svg", ".xml")


@dataclass
class Load:
    """What a run of requests measured."""

    latencies: list[float] = field(default_factory=list)
    """Seconds from sending each request to the end of its answer."""
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Return the answered requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Return the latency at percentile `q` (nearest rank), in seconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else math.nan

    def summary(self) -> str:
        """Return one line: requests, rate, p50/p90/p99/max in ms, errors."""
        ms = {q: self.percentile(q) * 1000 for q in (50, 90, 99, 100)}
        return (f"{len(self.latencies) + len(self.errors)} requests in {self.seconds:.2f} s: {self.rate:.0f}/s, "
                f"p50 {ms[50]:.1f} ms, p90 {ms[90]:.1f} ms, p99 {ms[99]:.1f} ms, max {ms[100]:.1f} ms, "
                f"{len(self.errors)} errors")


def preview_paths(out: Path) -> list[str]:
    """Return the URL paths of the preview folder's pages (every index.html) and text assets."""
    paths = []
    for file in sorted(out.rglob("*")):
        relative = file.relative_to(out).as_posix()
        if not file.is_file() or any(part.startswith(".") for part in relative.split("/")):
            continue
        if file.name == "index.html":
            paths.append("/" + relative[: -len("index.html")])
        elif file.suffix in ASSETS:
            paths.append("/" + relative)
    return paths


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
              path: str) -> tuple[int, bytes, bool]:
    """Send one GET on an open connection; return the status, the body and whether the server keeps it open."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode("ascii"))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = lines[0].split(" ", 2)
    if not version.startswith("HTTP/1."):
        raise ValueError(f"malformed status line {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" not in headers:
        raise ValueError(f"no Content-Length in the answer to {path}")
    body = await reader.readexactly(int(headers["content-length"]))
    return int(status), body, headers.get("connection", "").lower() != "close"


async def hammer(port: int, paths: list[str], requests: int, concurrency: int, *, timeout: float = 10.0,
                 check: bytes | None = None) -> Load:
    """Send `requests` GETs for `paths` in turn over `concurrency` kept-alive connections to 127.0.0.1:`port`.

    An answer counts as an error unless it is a 200 (whose body contains `check`, if given).
    """
    host = f"127.0.0.1:{port}"
    load = Load()
    queue = iter(range(requests))

    async def worker() -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for number in queue:
            path = paths[number % len(paths)]
            start = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
                status, body, keep = await asyncio.wait_for(get(*connection, host, path), timeout)
            except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    TimeoutError) as error:
                load.errors.append(f"{path}: {type(error).__name__}: {error}")
                if connection is not None:
                    connection[1].close()
                connection = None
                continue
            load.latencies.append(time.perf_counter() - start)
            if status != 200 or (check is not None and path.endswith("/") and check not in body):
                load.errors.append(f"{path}: {status}")
            if not keep:
                connection[1].close()
                connection = None
        if connection is not None:
            connection[1].close()
            with suppress(OSError):
                await connection[1].wait_closed()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    load.seconds = time.perf_counter() - start
    return load


def main() -> None:
    """Run the benchmark and print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--claims", type=int, default=24)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from make_project import make_project

    from factsite.core.names import PREVIEW_DIR

    from support.preview import run_preview

    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "project", args.claims)
        with run_preview(project) as server:
            paths = preview_paths(project / PREVIEW_DIR)
            print(f"{len(paths)} paths, {args.requests} requests over {args.concurrency} connections, "
                  f"{args.claims} claims", flush=True)
            for run in range(1, args.runs + 1):
                load = asyncio.run(hammer(server.port, paths, args.requests, args.concurrency))
                print(f"run {run}: {load.summary()}", flush=True)
                for error in load.errors[:5]:
                    print(f"  {error}")


if __name__ == "__main__":
    main()
