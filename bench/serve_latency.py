"""Benchmark: preview save-to-visible latency, from a file write to the new text showing in Chromium.

    .venv/bin/python bench/serve_latency.py [--edits 20] [--runs 3] [--claims 24 1000]

For each project size, starts `build.py serve` on a copy, opens a claim page in headless Chromium,
then edits that claim's summary `--edits` times (one edit every --gap seconds) and times each edit
from the write to the first paint of the reloaded page showing the new text (the browser's own
first-contentful-paint time, so the driver's polling is not counted). Prints the median and p90
of each run, and the server's own build time per edit.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from make_project import make_project  # noqa: E402

from support.browser import launch_browser  # noqa: E402
from support.preview import PreviewServer, run_preview  # noqa: E402

CLAIM = "claims/fentanyl-seized/"
SUMMARY = "The seizure figures are the ones Chinese officials"


_PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return paint ? performance.timeOrigin + paint.startTime : null;
}"""


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def _build_seconds(server: PreviewServer) -> float | None:
    """Return the build time the server printed for the last build, if it printed one."""
    seconds = None
    while not server.output.empty():
        match = re.search(r"Built in ([\d.]+) s", server.output.get())
        if match:
            seconds = float(match.group(1))
    return seconds


def measure(project: Path, edits: int, gap: float) -> tuple[list[float], list[float]]:
    """Return the save-to-visible latencies and the server's build times, in seconds."""
    claims = project / "claims.yaml"
    latencies, builds = [], []
    with run_preview(project) as server, launch_browser() as browser:
        page = browser.new_page()
        page.goto(server.url + CLAIM)
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7",
                               timeout=10000)
        text = claims.read_text(encoding="utf-8")
        assert text.count(SUMMARY) >= 1
        marker = SUMMARY
        for n in range(edits):
            time.sleep(gap)
            _build_seconds(server)
            new = f"Edit {n} at {time.time_ns()}. {SUMMARY}"
            text = text.replace(marker, new, 1)
            marker = new
            start = time.time() * 1000
            claims.write_text(text, encoding="utf-8")
            page.wait_for_function("text => document.body && document.body.innerText.includes(text)",
                                   arg=new.split(". ")[0], timeout=30000, polling=5)
            painted = page.evaluate(_PAINTED)
            latencies.append(((painted or time.time() * 1000) - start) / 1000)
            time.sleep(0.2)
            build = _build_seconds(server)
            if build is not None:
                builds.append(build)
    return latencies, builds


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between the end of one edit and the next")
    parser.add_argument("--claims", type=int, nargs="+", default=[24, 1000])
    args = parser.parse_args()
    print(f"{'claims':>7} {'run':>4} {'median ms':>10} {'p90 ms':>8} {'build ms':>9}")
    for size in args.claims:
        medians = []
        for run in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory() as folder:
                project = make_project(Path(folder) / "project", size)
                subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "-q", "check"],
                               check=True, capture_output=True)
                latencies, builds = measure(project, args.edits, args.gap)
            medians.append(statistics.median(latencies))
            build = f"{statistics.median(builds) * 1000:9.0f}" if builds else f"{'-':>9}"
            print(f"{size:>7} {run:>4} {medians[-1] * 1000:10.0f} {_p90(latencies) * 1000:8.0f} {build}", flush=True)
        print(f"{size:>7} {'all':>4} {statistics.median(medians) * 1000:10.0f}  (median of the runs' medians)")


if __name__ == "__main__":
    main()
