"""Benchmark: full build time at the shipped size and at 1,000 claims, cold and with a warm cache.

    .venv/bin/python bench/build_speed.py [--runs 5] [--claims 24 1000] [--corpus]

Prints the median and spread of several runs of each stage. Machines here are noisy: compare
ratios within one run rather than absolute times across machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import make_corpus, write_factsite
from make_project import make_project

from factsite.core.errors import Problems
from factsite.core.memory import one_shot
from factsite.project.evidence import gather_evidence
from factsite.project.read import read_project
from factsite.site.assemble import render_site
from factsite.site.options import BuildOptions
from factsite.site.render import RenderCache
from factsite.site.write import write_site


def measure(root: Path, runs: int) -> dict[str, list[float]]:
    """Time load+validate, evidence, cold render, warm render and write, `runs` times each.

    Each run pauses the garbage collector as the build command does.
    """
    times: dict[str, list[float]] = {k: [] for k in ("load", "evidence", "render", "render (cached)", "write")}
    out = root / "site"
    for _ in range(runs):
        with one_shot():
            _run(root, out, times)
    return times


def _run(root: Path, out: Path, times: dict[str, list[float]]) -> None:
    """Time one build, stage by stage."""
    problems = Problems()
    start = time.perf_counter()
    project = read_project(root, problems)
    assert project is not None, problems.errors[:3]
    lap = time.perf_counter()
    times["load"].append(lap - start)
    evidence = gather_evidence(project, problems)
    times["evidence"].append(time.perf_counter() - lap)
    cache = RenderCache()
    for stage in ("render", "render (cached)"):
        lap = time.perf_counter()
        outputs = render_site(root, project, evidence, BuildOptions(), problems, cache)
        times[stage].append(time.perf_counter() - lap)
    lap = time.perf_counter()
    write_site(outputs, out)
    times["write"].append(time.perf_counter() - lap)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--claims", type=int, nargs="+", default=[24, 1000])
    parser.add_argument("--corpus", action="store_true",
                        help="build the realistic corpus of corpus.py (claims/*.yaml) instead of the shipped claims "
                             "repeated; an untimed build first draws its share images")
    args = parser.parse_args()
    for count in args.claims:
        with tempfile.TemporaryDirectory() as folder:
            if args.corpus:
                root = write_factsite(Path(folder) / "project", *make_corpus(count), layout="split")
                measure(root, 1)  # the warm-up: draws the share images into the project's cache
            else:
                root = make_project(Path(folder), count)
            times = measure(root, args.runs)
            pages = sum(1 for _ in (root / "site").rglob("*.html"))
        print(f"\n{count} claims, {pages} pages, median of {args.runs} runs (min-max):")
        total = 0.0
        for stage, values in times.items():
            median = statistics.median(values)
            if stage != "render (cached)":
                total += median
            print(f"  {stage:<16} {median * 1000:8.1f} ms  ({min(values) * 1000:.1f}-{max(values) * 1000:.1f})")
        print(f"  {'full build':<16} {total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
