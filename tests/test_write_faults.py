"""Faults while writing the site: a full or read-only disk, unreadable static files, builds killed at random
moments, two builds at once. Whatever happens, the output folder is the previous complete site or the new
complete site, never a mix; the message says what happened and what to do; nothing a user wrote is removed.

Tests may run as root, where permissions do not bite, and cannot count on mounting a small or read-only disk,
so disk and permission faults are raised in-process by patching the calls that would meet them, with the errno
the system gives. Kills and concurrent builds are real processes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from factsite.core.errors import Problems
from factsite.core.files import describe_os_error
from factsite.site import assets, write
from factsite.site.write import MARKER, MARKER_TEXT, WriteError, is_leftover, lock_path, write_site

from support.project import REPO, RICH, MakeProject, Result, copy_project, tree_bytes

Build = Callable[..., Result]
REAL_WRITE_BYTES = Path.write_bytes


def ours(folder: Path, name: str = "site") -> list[str]:
    """Return the names beside an output folder that a build writes for itself: temporary folders, lock."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}.factsite"))


@pytest.fixture
def built(make_project: MakeProject, build: Build) -> tuple[Path, Path, dict[str, bytes]]:
    """A project with its site built: (project, site, the site's files)."""
    project = make_project()
    out = project / "site"
    assert build(project, out=out).code == 0
    return project, out, tree_bytes(out)


def fail_writes_in_stage(monkeypatch: pytest.MonkeyPatch, error: BaseException, after: int = 5) -> None:
    """Make the staging folder's writes fail with `error` once `after` files are written."""
    count = iter(range(10**6))

    def write_bytes(self: Path, data: bytes) -> int:
        if ".factsite-new-" in str(self) and next(count) >= after:
            raise error
        return REAL_WRITE_BYTES(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def refused(out: Path, said: str, advice: str) -> str:
    """Return what a build says when it could not write a site it had built before."""
    return f"build.py: error: could not write {out}/: {said}. {advice}; the previous {out}/ is unchanged.\n"


# The disk fills up, or fails, while the new site is written.

@pytest.mark.parametrize(("code", "said", "advice"), [
    (errno.ENOSPC, "no space left on device (ENOSPC)", "Free some space and build again"),
    (errno.EDQUOT, "disk quota exceeded (EDQUOT)", "Free some space and build again"),
    (errno.EIO, "input/output error (EIO)", "Check the disk, then build again"),
])
def test_a_disk_fault_mid_write_keeps_the_previous_site_and_says_what_to_do(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch,
        code: int, said: str, advice: str) -> None:
    project, out, before = built
    fail_writes_in_stage(monkeypatch, OSError(code, os.strerror(code)))
    result = build(project, "--file-urls", out=out)
    assert result.code == 2
    assert result.err == refused(out, said, advice)
    assert tree_bytes(out) == before
    assert ours(project) == []


def test_a_full_disk_on_the_first_build_creates_no_site(make_project: MakeProject, build: Build,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    out = project / "site"
    fail_writes_in_stage(monkeypatch, OSError(errno.ENOSPC, "No space left on device"), after=0)
    result = build(project, out=out)
    assert result.code == 2
    assert result.err.endswith(f"Free some space and build again; no {out}/ was created.\n")
    assert not out.exists()
    assert ours(project) == []


# The output folder, or the folder holding it, cannot be written.

@pytest.mark.parametrize("step", ["lock", "stage", "swap"])
@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_output_folder_keeps_the_previous_site(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch,
        step: str, code: int) -> None:
    project, out, before = built
    error = OSError(code, os.strerror(code))
    real_open, real_mkdir = os.open, Path.mkdir

    def open_(path: str | Path, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if step == "lock" and str(path).endswith(".site.factsite-lock"):
            raise error
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if step == "stage" and ".factsite-new-" in self.name:
            raise error
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    def exchange(first: Path, second: Path) -> bool:
        raise error

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    if step == "swap":
        monkeypatch.setattr(write, "_exchange", exchange)
    result = build(project, "--file-urls", out=out)
    assert result.code == 2
    if code == errno.EROFS:
        advice = "The disk is mounted read-only: build into a writable folder with --out DIR"
        said = "read-only file system (EROFS)"
    else:
        advice = (f"factsite writes beside {out}/ and swaps it in, so it needs to write to {project.absolute()}/: "
                  "check the permissions there, or build into another folder with --out DIR")
        said = "permission denied (EACCES)"
    assert result.err == refused(out, said, advice)
    assert tree_bytes(out) == before
    assert ours(project) == []


def test_without_an_atomic_exchange_the_site_is_swapped_by_two_renames(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    assert build(project, "--file-urls", out=out).code == 0
    assert tree_bytes(out) != before and (out / MARKER).read_bytes() == MARKER_TEXT
    assert ours(project) == []


def test_without_an_atomic_exchange_a_failed_second_rename_puts_the_previous_site_back(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if ".factsite-new-" in self.name:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    monkeypatch.setattr(Path, "rename", rename)
    result = build(project, "--file-urls", out=out)
    assert result.code == 2
    assert "permission denied (EACCES)" in result.err and f"the previous {out}/ is unchanged." in result.err
    assert tree_bytes(out) == before
    assert ours(project) == []


# Interrupted, or a bug, while writing: the staging folder goes, the previous site stays.

@pytest.mark.parametrize(("error", "code"), [(KeyboardInterrupt(), 130), (ValueError("a bug"), 3)])
def test_an_interruption_or_a_bug_mid_write_keeps_the_previous_site(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch,
        error: BaseException, code: int) -> None:
    project, out, before = built
    fail_writes_in_stage(monkeypatch, error)
    assert build(project, "--file-urls", out=out).code == code
    assert tree_bytes(out) == before
    assert ours(project) == []


# A static file that cannot be read, or disappears while the site is built: a project error, at its place.

def test_an_unreadable_static_file_fails_the_build_at_its_place(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    secret = project / "static" / "secret.css"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("body { color: black; }\n")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.css":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = build(project, out=out)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("static/secret.css: error: "), result.err
    assert "Traceback" not in result.err
    assert tree_bytes(out) == before
    assert ours(project) == []


def test_a_static_file_that_disappears_after_listing_fails_the_build_at_its_place(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    gone = project / "static" / "gone.css"
    gone.parent.mkdir(exist_ok=True)
    gone.write_text("body { color: black; }\n")
    real_entries = assets._entries_below

    def entries_below(folder: Path, shown: str, problems: Problems) -> list[Path]:
        listed = real_entries(folder, shown, problems)
        if gone in listed:
            gone.unlink()  # listed, then removed before it is read
        return listed

    monkeypatch.setattr(assets, "_entries_below", entries_below)
    result = build(project, out=out)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == ["static/gone.css: error: the file disappeared while the site was being built. "
                      "Build again once nothing is changing files in static/."], result.err
    assert "Traceback" not in result.err
    assert tree_bytes(out) == before


def test_a_static_folder_that_cannot_be_listed_fails_the_build_at_its_place(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    locked = project / "static" / "locked"
    locked.mkdir(parents=True, exist_ok=True)
    (locked / "hidden.css").write_text("body { color: black; }\n")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = build(project, out=out)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == ["static/locked/: error: cannot read folder: permission denied (EACCES). "
                      "Check the folder's permissions."], result.err
    assert tree_bytes(out) == before


# What killed builds leave behind is removed by the next one, but only what is provably theirs.

def test_the_next_build_removes_only_provable_leftovers(built: tuple[Path, Path, dict[str, bytes]],
                                                        build: Build) -> None:
    project, out, _ = built
    removed = {
        ".site.factsite-new-123-abcdef": {MARKER: MARKER_TEXT, "index.html": b"half"},
        ".site.factsite-old-123-abcdef": {MARKER: MARKER_TEXT, "index.html": b"old"},
        ".site.factsite-new-124-abcdef": {},
        ".site.factsite-new-125-abcdef": {MARKER: MARKER_TEXT[:10]},
        ".site.factsite-new": {MARKER: MARKER_TEXT, "a/b.html": b"an earlier version's"},
    }
    kept = {
        ".site.factsite-new-126-abcdef": {"notes.txt": b"mine"},
        ".site.factsite-new-127-abcdef": {MARKER: MARKER_TEXT[:10], "notes.txt": b"mine"},
        ".site.factsite-new-128-abcdef": {MARKER: b"not the marker"},
        ".site.factsite-newer": {MARKER: MARKER_TEXT},
        ".public.factsite-new-1-abcdef": {MARKER: MARKER_TEXT},
        "site.factsite-new-1-abcdef": {MARKER: MARKER_TEXT},
    }
    for name, files in {**removed, **kept}.items():
        (project / name).mkdir()
        for path, data in files.items():
            (project / name / path).parent.mkdir(parents=True, exist_ok=True)
            (project / name / path).write_bytes(data)
    target = project / "elsewhere"
    target.mkdir()
    (target / MARKER).write_bytes(MARKER_TEXT)
    (project / ".site.factsite-old-129-abcdef").symlink_to(target)
    (project / ".site.factsite-lock").write_text("999999999\n")  # a killed build's
    kept_files = {name: tree_bytes(project / name) for name in kept}
    assert build(project, out=out).code == 0
    for name in removed:
        assert not (project / name).exists(), name
    for name in kept:
        assert tree_bytes(project / name) == kept_files[name], name
    assert (project / ".site.factsite-old-129-abcdef").is_symlink() and (target / MARKER).is_file()
    assert not (project / ".site.factsite-lock").exists()


def test_is_leftover_wants_the_pattern_a_real_folder_and_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "public"
    folder = tmp_path / ".public.factsite-new-1-ab"
    folder.mkdir()
    assert is_leftover(folder, out)
    (folder / "x.html").write_bytes(b"x")
    assert not is_leftover(folder, out)
    (folder / MARKER).write_bytes(MARKER_TEXT)
    assert is_leftover(folder, out)
    assert not is_leftover(folder, tmp_path / "site")


def test_a_symlinked_output_folder_stays_a_symlink(make_project: MakeProject, build: Build) -> None:
    project = make_project()
    real = project / "www" / "site"
    real.parent.mkdir()
    link = project / "site"
    link.symlink_to(real, target_is_directory=True)
    for extra in ((), ("--file-urls",)):
        assert build(project, *extra, out=link).code == 0
        assert link.is_symlink() and (real / "index.html").is_file()
    assert ours(project) == [] and ours(real.parent) == []


# Two builds of the same output: one writes at a time.

def test_a_build_waits_for_another_one_writing_the_same_folder(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    waited = []
    with contextlib.ExitStack() as other:
        other.enter_context(held_lock(out, pid=4242))

        def sleep(seconds: float) -> None:  # the other build finishes while this one waits
            waited.append(tree_bytes(out) == before)
            other.close()

        monkeypatch.setattr(write, "time", SimpleNamespace(monotonic=time.monotonic, sleep=sleep))
        result = build(project, "--file-urls", out=out)
    assert result.code == 0, result.err
    assert waited == [True], "it waited once, the site unchanged meanwhile"
    assert tree_bytes(out) != before
    assert ours(project) == []


def test_a_build_gives_up_clearly_when_another_one_keeps_writing(
        built: tuple[Path, Path, dict[str, bytes]], build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    monkeypatch.setattr(write, "LOCK_WAIT", 0.3)
    with held_lock(out, pid=4242):
        result = build(project, "--file-urls", out=out)
        assert (project / ".site.factsite-lock").read_text() == "4242\n", "the holder's lock is left alone"
    assert result.code == 2
    assert result.err == (f"build.py: error: another build (pid 4242) is writing {out}/ and has not finished "
                          f"after 0.3 s. Let it finish (or stop it), then build again; the previous {out}/ is "
                          "unchanged.\n")
    assert tree_bytes(out) == before


def test_a_stale_lock_of_a_killed_build_does_not_block(built: tuple[Path, Path, dict[str, bytes]],
                                                      build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, _ = built
    monkeypatch.setattr(write, "LOCK_WAIT", 0.0)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (project / ".site.factsite-lock").write_text(f"{dead.pid}\n")
    assert build(project, "--file-urls", out=out).code == 0
    assert ours(project) == []


def test_two_builds_started_at_once_both_finish_and_leave_one_complete_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", RICH)
    out = project / "site"
    sites = [build_variant(project, out, variant)[0] for variant in (0, 1)]
    processes = [start_build(project, out, variant) for variant in (0, 1)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert tree_bytes(out) in sites
    assert ours(project) == []


# Builds killed at random moments.

KILLS = 20
SEED = 14


def test_a_build_killed_at_any_moment_leaves_the_previous_site_or_the_new_one(tmp_path: Path) -> None:
    """SIGKILL real builds at 20 seeded random moments: half anywhere in the build, half while it writes (once
    its staging folder has appeared). Each build makes the other variant of the site, so a mix would show."""
    project = copy_project(tmp_path / "project", RICH)
    out = project / "site"
    sites: dict[int, dict[str, bytes]] = {}
    sites[0], _, _ = build_variant(project, out, 0)  # also fills the share-image cache
    sites[1], staged, swapped = build_variant(project, out, 1)  # timed: a build as the killed ones run
    writing = swapped - staged
    assert sites[0] != sites[1]
    rng = random.Random(SEED)
    current = 1
    landed: dict[str, int] = {}
    for kill in range(KILLS):
        target = 1 - current
        process = start_build(project, out, target)
        started = time.monotonic()
        if kill % 2:  # from the moment the staging folder appears to a while after the swap
            wait_for_stage(project, process, started + 10)
            time.sleep(rng.uniform(0, 2 * writing))
        else:  # anywhere from the start to the swap
            time.sleep(max(0.0, rng.uniform(0, swapped) - (time.monotonic() - started)))
        finished = process.poll() is not None
        process.kill()
        process.communicate()
        site = tree_bytes(out)
        assert site in (sites[current], sites[target]), f"kill {kill}: the site is a mix"
        left = [name for name in ours(project) if f".factsite-new-{process.pid}-" in name]
        if finished:
            moment = "after the build ended"
        elif site == sites[current]:
            moment = "while staging" if left else "before writing"
        else:
            moment = "after the swap, while removing the old site" if left else "after the swap"
        landed[moment] = landed.get(moment, 0) + 1
        current = target if site == sites[target] else current
    print(f"\n{KILLS} kills (seed {SEED}; swap {swapped:.2f} s after the start, writing {writing:.3f} s): {landed}")
    site, _, _ = build_variant(project, out, 1 - current)
    assert site == sites[1 - current]
    assert ours(project) == []


def start_build(project: Path, out: Path, variant: int) -> subprocess.Popen[str]:
    """Start a real build of a variant of the site: 0 links to folders, 1 to index.html files."""
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(project), "build", "-q",
                             "--out", str(out), *(["--file-urls"] if variant else [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def build_variant(project: Path, out: Path, variant: int) -> tuple[dict[str, bytes], float, float]:
    """Build a variant to the end; return the site, when its staging folder appeared and when it was swapped
    in (seconds from the start)."""
    started = time.monotonic()
    process = start_build(project, out, variant)
    staged = wait_for_stage(project, process, started + 120) - started
    before = out.stat().st_ino if out.exists() else None
    while process.poll() is None and (out.stat().st_ino if out.exists() else None) == before:
        time.sleep(0.0005)
    swapped = time.monotonic() - started
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return tree_bytes(out), staged, swapped


def wait_for_stage(project: Path, process: subprocess.Popen[str], deadline: float) -> float:
    """Wait until the build's own staging folder appears (or the build ends); return when."""
    mine = f".factsite-new-{process.pid}-"
    while process.poll() is None and time.monotonic() < deadline:
        if any(mine in name for name in os.listdir(project)):
            break
        time.sleep(0.0005)
    return time.monotonic()


@contextlib.contextmanager
def held_lock(out: Path, pid: int | None = None) -> Iterator[None]:
    """Hold an output folder's lock as a running build does (naming `pid`), in this process."""
    path = lock_path(out)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{pid or os.getpid()}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def test_describe_os_error() -> None:
    assert describe_os_error(OSError(errno.ENOSPC, "No space left on device")) == "no space left on device (ENOSPC)"
    assert describe_os_error(OSError(errno.EROFS, "Read-only file system")) == "read-only file system (EROFS)"
    assert describe_os_error(OSError("just words")) == "just words"


def test_a_write_error_is_an_os_error_and_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as failure:
        write_site({"index.html": b"x", "index.html/y": b"a file cannot also be a folder"}, tmp_path / "site")
    assert isinstance(failure.value, OSError) and isinstance(failure.value, write.OutputError)
    assert str(failure.value).startswith(f"could not write {tmp_path / 'site'}/: ")
    assert not (tmp_path / "site").exists() and ours(tmp_path) == []


def test_an_unreadable_output_folder_is_reported_not_a_bug(built: tuple[Path, Path, dict[str, bytes]],
                                                          build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    project, out, before = built
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = build(project, "--file-urls", out=out)
    assert result.code == 2
    assert result.err.endswith(f"{out} cannot be read: permission denied (EACCES). Check its permissions, or "
                               "choose another --out folder; it is unchanged\n"), result.err
    assert "Traceback" not in result.err
    monkeypatch.undo()
    assert tree_bytes(out) == before
