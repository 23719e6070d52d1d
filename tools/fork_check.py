"""Check that a desk's fork stays green: copy the repository, replace claims.yaml, run the tests there.

A desk forks the repository and replaces claims.yaml with its own fact-check. The engine's tests use
fixture projects and the shipped site's tests (marked `shipped`) skip themselves, so `make test-fast`
must still pass in the fork. This script makes such a fork in a temporary folder (the files git tracks or
would track, so uncommitted work is included; .venv and node_modules are linked, not copied), writes
another valid project's claims.yaml into it, and runs the make target there:

    python tools/fork_check.py                    # or: make test-fork
    python tools/fork_check.py --claims my.yaml   # another replacement claims.yaml
    python tools/fork_check.py --target test      # the whole suite, browser tests included

It exits 0 when the target passed, the replacement is not taken for the shipped project, and the shipped
tests were skipped with their reason; it prints the target's closing lines either way.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINKED = (".venv", "node_modules")
"""Folders the fork links to instead of copying: installed tools, not the project's sources."""
NOT_COPIED = {".git", ".venv", "node_modules", "site", ".factsite", ".pytest_cache", ".ruff_cache", ".hypothesis",
              "build", "dist"}
"""Top-level folders that are not the repository's sources (when git cannot list them)."""

REPLACEMENT = ROOT / "tests" / "fixtures" / "fork" / "claims.yaml"
"""Another desk's project, complete enough for the shipped content pages' site values."""

sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from support.shipped import SKIP_REASON, is_shipped  # noqa: E402


def source_files(root: Path) -> list[str]:
    """Return the repository's files as git sees them (tracked, or untracked and not ignored)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                                capture_output=True, check=True).stdout.decode("utf-8")
        names = sorted({name for name in listed.split("\0") if name})
    except (OSError, subprocess.CalledProcessError):
        names = sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    return [name for name in names if (root / name).is_file() and name.split("/")[0] not in NOT_COPIED
            and "__pycache__" not in name.split("/")]


def make_fork(root: Path, fork: Path, claims: str) -> None:
    """Copy the repository into `fork`, link its installed tools and write `claims` as its claims.yaml."""
    for name in source_files(root):
        target = fork / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)  # keeps modification times, so make sees .venv as up to date
    for name in LINKED:
        if (root / name).is_dir():
            (fork / name).symlink_to(root / name, target_is_directory=True)
    (fork / "claims.yaml").write_text(claims, encoding="utf-8")
    shutil.rmtree(fork / "claims", ignore_errors=True)


def closing_lines(output: str, count: int = 15) -> str:
    """Return the last lines of the target's output."""
    return "\n".join(output.rstrip().splitlines()[-count:])


def main(argv: list[str] | None = None) -> int:
    """Make the fork, run the target in it and judge the result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=Path, default=REPLACEMENT,
                        help="the replacement claims.yaml (default: tests/fixtures/fork/claims.yaml)")
    parser.add_argument("--target", default="test-fast", help="the make target to run in the fork (default: test-fast)")
    parser.add_argument("--keep", action="store_true", help="keep the fork's folder and print where it is")
    args = parser.parse_args(argv)
    claims = args.claims.read_text(encoding="utf-8")
    folder = Path(tempfile.mkdtemp(prefix="factsite-fork-"))
    fork = folder / "repository"
    try:
        make_fork(ROOT, fork, claims)
        print(f"fork-check: a copy of {ROOT} with another claims.yaml in {fork}", flush=True)
        if is_shipped(fork):
            print("fork-check: the replacement claims.yaml is the shipped project's; give another with --claims")
            return 2
        env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL")}
        check = subprocess.run([str(fork / ".venv" / "bin" / "python"), "build.py", "check"], cwd=fork, env=env,
                               capture_output=True, text=True, check=False)
        print(f"fork-check: `build.py check` in the fork exited {check.returncode}: {check.stdout.strip()}")
        if check.returncode != 0:
            print(check.stderr)
            return 1
        run = subprocess.run(["make", args.target], cwd=fork, env=env, capture_output=True, text=True, check=False)
        output = run.stdout + run.stderr
        (folder / "output.txt").write_text(output, encoding="utf-8")
        print(f"fork-check: `make {args.target}` in the fork exited {run.returncode}; its closing lines:")
        print(closing_lines(output))
        skipped = sum(int(n) for n in re.findall(rf"^SKIPPED \[(\d+)\] .*: {re.escape(SKIP_REASON)}$", output, re.M))
        print(f"fork-check: {skipped} shipped tests skipped with the reason '{SKIP_REASON}'")
        if run.returncode != 0:
            print(f"fork-check: FAILED: make {args.target} failed in the fork (output: {folder / 'output.txt'})")
            args.keep = True
            return 1
        if skipped == 0:
            print("fork-check: FAILED: no test was skipped as the shipped site's own")
            return 1
        print("fork-check: OK")
        return 0
    finally:
        if args.keep:
            print(f"fork-check: kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
