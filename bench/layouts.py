"""Benchmark: is the corpus faster to load from one claims.yaml or from claims/*.yaml files?

    .venv/bin/python bench/layouts.py [--sizes 100 1000] [--runs 5] [--share-cache DIR]

Writes the corpus of corpus.py three ways: every claim in claims.yaml (`single`), claims/*.yaml of
100 claims each (`split`), and one file per claim (`per-claim`). For each, interleaved, `--runs`
times: the loading alone, in this process (read_project: parse, validate, cross-check; the
collector paused as the commands pause it), and `check` as a process (share-image cache warm).
A layout factsite refuses (one YAML file may hold at most 100,000 values: about 970 of these
claims) is reported as refused.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import LAYOUTS, SEED, make_corpus, write_factsite
from vs_hugo import keep_share_cache, seed_share_cache, timed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factsite.core.errors import Problems  # noqa: E402
from factsite.core.memory import one_shot  # noqa: E402
from factsite.project.read import read_project  # noqa: E402


def load_seconds(project: Path) -> float | None:
    """Seconds to read and validate the project in this process; None when factsite refuses it."""
    problems = Problems()
    with one_shot():
        start = time.perf_counter()
        loaded = read_project(project, problems)
        seconds = time.perf_counter() - start
    return None if loaded is None else seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--share-cache", type=Path, default=None, metavar="DIR",
                        help="seed the share-image cache from DIR and keep new images there (as vs_hugo.py)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="factsite-layouts-"))
    try:
        for claims in args.sizes:
            made, events = make_corpus(claims, SEED)
            projects = {layout: write_factsite(work / f"{claims}-{layout}", made, events, layout) for layout in LAYOUTS}
            usable = {layout: p for layout, p in projects.items() if load_seconds(p) is not None}
            first = next(iter(usable.values()))
            seed_share_cache(first, args.share_cache)
            timed([sys.executable, str(ROOT / "build.py"), "--project", str(first), "--quiet", "build",
                   "--out", str(work / "out")], work / "warm.log")  # draws the share images once
            keep_share_cache(first, args.share_cache)
            for project in usable.values():
                if project != first:
                    shutil.copytree(first / ".factsite", project / ".factsite", dirs_exist_ok=True)
            loads: dict[str, list[float]] = {layout: [] for layout in usable}
            checks: dict[str, list[float]] = {layout: [] for layout in usable}
            for run in range(args.runs + 1):  # the first is the warm-up
                for layout, project in usable.items():
                    seconds = load_seconds(project)
                    wall, _, _ = timed([sys.executable, str(ROOT / "build.py"), "--project", str(project),
                                        "--quiet", "check"], work / "check.log")
                    if run and seconds is not None:
                        loads[layout].append(seconds)
                        checks[layout].append(wall)
            print(f"\n{claims:,} claims, median of {args.runs} interleaved runs:")
            print(f"  {'layout':<10} {'files':>6} {'load + validate':>16} {'check (process)':>16}")
            for layout, project in projects.items():
                files = 1 + len(list((project / "claims").glob("*.yaml")))
                if layout not in usable:
                    print(f"  {layout:<10} {files:>6} {'refused: more than 100,000 values in one file':>34}")
                    continue
                print(f"  {layout:<10} {files:>6} {statistics.median(loads[layout]) * 1000:>13.0f} ms"
                      f" {statistics.median(checks[layout]) * 1000:>13.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
