"""Benchmark: the search index's size, and the time it adds to a build, at 24, 1,000 and 10,000 claims.

    .venv/bin/python bench/search_index.py [--claims 24 1000 10000] [--runs 3] [--tmp DIR]

For each size (24: the shipped project; larger: the corpus of corpus.py, in claims/*.yaml of 100)
it builds the site once with `build.py`, then times, in this process, making the index of the
built pages as a build does: with the index cache empty (a claim or content page changed) and
with it warm (no searchable page changed: the pages are read and hashed, the binary not run).
It also times whole clean builds (`build --clean`, its own process, index cache emptied first) and
prints medians, the index's size on disk and its number of files, and the index's share of a
clean build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import make_corpus, write_factsite

from factsite.core.names import INPUTS, SEARCH_CACHE_DIR
from factsite.site.search import search_bundle

REPO = Path(__file__).resolve().parents[1]


def project_for(size: int, folder: Path) -> Path:
    """Write the project of `size` claims into `folder`: the shipped one at 24, else the corpus."""
    if size == 24:
        folder.mkdir(parents=True)
        for name in INPUTS:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, folder / name)
            elif source.is_file():
                shutil.copy2(source, folder / name)
        return folder
    claims, events = make_corpus(size)
    return write_factsite(folder, claims, events, "split")


def searchable_pages(site: Path) -> dict[str, Path]:
    """Return the built pages the index holds: those marked for it and not kept from search engines."""
    pages = {}
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html and '<meta name="robots" content="noindex">' not in html:
            pages[page.relative_to(site).as_posix()] = page
    return pages


def clean_build(project: Path) -> float:
    """Time one clean build of the project in its own process, with the index cache emptied."""
    shutil.rmtree(project / SEARCH_CACHE_DIR, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "-q", "build", "--clean"],
                   check=True)
    return time.perf_counter() - start


def measure(size: int, runs: int, tmp: Path) -> dict[str, float]:
    """Return the medians and sizes for one project size."""
    project = project_for(size, tmp / f"claims-{size}")
    builds = [clean_build(project) for _ in range(runs)]
    site = project / "site"
    pages = searchable_pages(site)
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(project / SEARCH_CACHE_DIR, ignore_errors=True)
        start = time.perf_counter()
        search_bundle(project, dict(pages), keep=True)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        search_bundle(project, dict(pages), keep=True)
        warm.append(time.perf_counter() - start)
    bundle = site / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return {"claims": size, "pages": len(pages), "files": len(files),
            "bytes": sum(p.stat().st_size for p in files), "build": statistics.median(builds),
            "cold": statistics.median(cold), "warm": statistics.median(warm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, nargs="+", default=[24, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the projects (default: a temporary one)")
    args = parser.parse_args()
    print("| claims | pages indexed | index files | index size | clean build | index, cache empty | share "
          "| index, cache warm |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(dir=args.tmp) as scratch:
        for size in args.claims:
            row = measure(size, args.runs, Path(scratch))
            print(f"| {row['claims']:,} | {row['pages']:,} | {row['files']:,} | {row['bytes'] / 1e6:.2f} MB "
                  f"| {row['build']:.2f} s | {row['cold']:.2f} s | {100 * row['cold'] / row['build']:.0f}% "
                  f"| {row['warm']:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
