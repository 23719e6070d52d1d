"""Benchmark: preview save-to-visible latency, from a file write to the new text showing in Chromium.

    .venv/bin/python bench/serve_latency.py [--edits 20] [--runs 3] [--claims 24 1000]
    .venv/bin/python bench/serve_latency.py --corpus [--claims 1000 10000] [--share-cache DIR] [--edits 10] [--runs 2]

For each project size, starts `build.py serve` on a fresh project, opens a claim page in headless
Chromium, then edits that claim's summary `--edits` times (one edit every --gap seconds) and times
each edit from the write to the first paint of the reloaded page showing the new text (the
browser's own first-contentful-paint time, so the driver's polling is not counted). Prints the
median and p90 of each run, the server's own build time per edit (its "Built in" line), the time
from starting the server to its first successful build, and a Markdown table row per size.

The project is the shipped claims repeated (make_project.py; the edited claim is the shipped
`fentanyl-seized` in claims.yaml), or with `--corpus` the realistic corpus of corpus.py in its
`split` layout (claims.yaml plus claims/*.yaml of 100 claims; the edited claim is the middle one,
in its claims/*.yaml file). `--share-cache DIR` hard-links the share images kept in DIR into the
corpus project's cache first (as vs_hugo.py does), so the first build need not draw them.
"""

from __future__ import annotations

import argparse
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from corpus import CHUNK, SEED, make_corpus, write_factsite  # noqa: E402
from make_project import make_project  # noqa: E402
from vs_hugo import seed_share_cache  # noqa: E402

from support.browser import launch_browser  # noqa: E402
from support.preview import PreviewServer  # noqa: E402

SHIPPED = "fentanyl-seized"
"""The shipped claim the default project's runs edit, in claims.yaml."""


_PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return paint ? performance.timeOrigin + paint.startTime : null;
}"""

_BUILT = re.compile(r"Built in ([\d.]+) s")


@dataclass(frozen=True)
class Target:
    """The claim a run edits: the page that shows it, the file that holds it, and its summary text."""

    page: str
    """The claim page's site URL, e.g. claims/claim-00501/"""
    file: Path
    summary: str
    """A piece of the summary, unique in `file` from `offset` on; each edit puts a new sentence before it."""
    offset: int = 0
    """Where in `file` the claim starts (the first occurrence of `summary` from here is edited)."""


@dataclass
class Run:
    latencies: list[float]
    """Save to first paint of the page showing the edit, seconds."""
    builds: list[float]
    """The server's own build time per edit ("Built in"), seconds."""
    start: float
    """Wall-clock time from starting `build.py serve` to its first successful build printed, seconds."""
    first_build: float | None
    """The first build's own time, as the server printed it, seconds."""


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def _build_seconds(server: PreviewServer, echo: bool = False) -> float | None:
    """Return the build time the server printed for the last build, if it printed one; `echo` prints its lines."""
    seconds = None
    while not server.output.empty():
        line = server.output.get()
        if echo:
            print(f"    server: {line.rstrip()}", flush=True)
        match = _BUILT.search(line)
        if match:
            seconds = float(match.group(1))
    return seconds


@contextmanager
def start_preview(project: Path, timeout: float) -> Iterator[tuple[PreviewServer, float, float | None]]:
    """Start `build.py serve --port 0` on a project; yield it, the seconds to its first build and that build's time.

    As tests/support/preview.py's run_preview, but it waits up to `timeout` for the first build (a large
    project takes longer than the tests' minute) and keeps the first build's "Built in" line.
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project), "serve",
                                "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        printed, first, built = [], None, None
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"the server did not start within {timeout:.0f} s:\n{''.join(printed)}") from None
            printed.append(line)
            if "Build failed" in line:
                raise SystemExit(f"the first build failed:\n{''.join(printed)}")
            if first is None and (match := _BUILT.search(line)):
                first, built = float(match.group(1)), time.perf_counter() - started
            if "Serving the preview at" in line:
                break
        server = PreviewServer(process, line.split(" at ", 1)[1].split()[0], lines)
        yield server, built if built is not None else time.perf_counter() - started, first
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(project: Path, target: Target, edits: int, gap: float, timeout: float, echo: bool = False) -> Run:
    """Edit the target claim's summary `edits` times; return the latencies and the server's build times."""
    latencies, builds = [], []
    with start_preview(project, timeout) as (server, start, first), launch_browser() as browser:
        page = browser.new_page()
        page.goto(server.url + target.page)
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7",
                               timeout=10000)
        text = target.file.read_text(encoding="utf-8")
        at = text.index(target.summary, target.offset)
        marker = target.summary
        for n in range(edits):
            time.sleep(gap)
            _build_seconds(server, echo)
            new = f"Edit {n} at {time.time_ns()}. {target.summary}"
            text = text[:at] + new + text[at + len(marker):]
            marker = new
            start_ms = time.time() * 1000
            target.file.write_text(text, encoding="utf-8")
            page.wait_for_function("text => document.body && document.body.innerText.includes(text)",
                                   arg=new.split(". ")[0], timeout=timeout * 1000, polling=5)
            painted = page.evaluate(_PAINTED)
            latencies.append(((painted or time.time() * 1000) - start_ms) / 1000)
            time.sleep(0.2)
            build = _build_seconds(server, echo)
            if build is not None:
                builds.append(build)
    return Run(latencies, builds, start, first)


def shipped_project(folder: Path, size: int) -> tuple[Path, Target]:
    """The shipped claims repeated to `size`, checked; the edited claim is the shipped fentanyl-seized."""
    project = make_project(folder / "project", size)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "-q", "check"],
                   check=True, capture_output=True)
    file = project / "claims.yaml"
    return project, Target(f"claims/{SHIPPED}/", file, *_summary_at(file.read_text(encoding="utf-8"), SHIPPED))


def _summary_at(text: str, claim: str) -> tuple[str, int]:
    """Return the start of a claim's summary (its first 50 characters of text) and where the claim starts."""
    offset = text.index(f"- id: {claim}\n")
    lines = iter(text[offset:].split("\n"))
    line = next(li for li in lines if li.strip().startswith("summary:"))
    value = line.split("summary:", 1)[1].strip()
    if value in {"", ">", ">-", "|", "|-"}:  # a block scalar: the text starts on the next line
        value = next(lines).strip()
    summary = value.strip('"')[:50]
    assert summary and '"' not in summary and "\\" not in summary, summary
    return summary, offset


def corpus_project(folder: Path, corpus: tuple[list, list], share: Path | None) -> tuple[Path, Target]:
    """corpus.py's corpus in its split layout, share images seeded; the edited claim is the middle one."""
    claims, events = corpus
    project = write_factsite(folder / "project", claims, events, layout="split")
    seed_share_cache(project, share)
    index = len(claims) // 2
    claim = claims[index]
    file = project / "claims" / f"{index // CHUNK + 1:05d}.yaml"
    return project, Target(f"claims/{claim.id}/", file, *_summary_at(file.read_text(encoding="utf-8"), claim.id))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between the end of one edit and the next")
    parser.add_argument("--claims", type=int, nargs="+",
                        help="project sizes (default: 24 1000; with --corpus, 1000 10000)")
    parser.add_argument("--corpus", action="store_true",
                        help="the realistic corpus of corpus.py (split layout) instead of the shipped claims repeated")
    parser.add_argument("--seed", type=int, default=SEED, help="the corpus's seed (with --corpus)")
    parser.add_argument("--share-cache", type=Path, metavar="DIR",
                        help="share images to hard-link into the corpus project's cache (with --corpus)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds to wait for the first build, and for each edit to show")
    parser.add_argument("--echo", action="store_true", help="print what the server prints after each edit")
    args = parser.parse_args()
    sizes = args.claims or ([1000, 10000] if args.corpus else [24, 1000])
    if args.share_cache is not None and not args.share_cache.is_dir():
        parser.error(f"--share-cache {args.share_cache} is not a folder")
    print(f"{'claims':>7} {'run':>4} {'median ms':>10} {'p90 ms':>8} {'build ms':>9} {'start s':>8} "
          f"{'1st build s':>11}", flush=True)
    rows = []
    for size in sizes:
        corpus = make_corpus(size, args.seed) if args.corpus else None
        runs: list[Run] = []
        for run in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory(prefix="factsite-serve-latency-") as folder:
                if corpus is not None:
                    project, target = corpus_project(Path(folder), corpus, args.share_cache)
                else:
                    project, target = shipped_project(Path(folder), size)
                result = measure(project, target, args.edits, args.gap, args.timeout, args.echo)
            runs.append(result)
            build = f"{statistics.median(result.builds) * 1000:9.0f}" if result.builds else f"{'-':>9}"
            first = f"{result.first_build:11.1f}" if result.first_build is not None else f"{'-':>11}"
            print(f"{size:>7} {run:>4} {statistics.median(result.latencies) * 1000:10.0f} "
                  f"{_p90(result.latencies) * 1000:8.0f} {build} {result.start:8.1f} {first}", flush=True)
        medians = [statistics.median(r.latencies) for r in runs]
        builds = [b for r in runs for b in r.builds]
        firsts = [r.first_build for r in runs if r.first_build is not None]
        print(f"{size:>7} {'all':>4} {statistics.median(medians) * 1000:10.0f}  (median of the runs' medians)",
              flush=True)
        rows.append("| " + " | ".join([
            f"{size:,}",
            f"{statistics.median(firsts):.1f} s" if firsts else "-",
            f"{statistics.median(r.start for r in runs):.1f} s",
            _ms(statistics.median(builds)) if builds else "-",
            _ms(statistics.median(medians)),
            ", ".join(f"{m * 1000:,.0f}" for m in medians),
            ", ".join(f"{_p90(r.latencies) * 1000:,.0f}" for r in runs),
        ]) + " |")
        print(f"markdown: {rows[-1]}", flush=True)
    print("\n| claims | first build | start to first build | server build per edit | save to paint, median "
          "| run medians (ms) | p90 per run (ms) |")
    print("|---:|---:|---:|---:|---:|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
