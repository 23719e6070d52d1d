"""Write a rendered site: stage beside the output, then swap, so a failed or killed build changes nothing.

The staging folder (`.site.factsite-new-PID-XXXXXX`) holds factsite's marker from its first moment, so
the next build can prove that a folder a killed build left behind is its own before removing it. A lock
file beside the output (`.site.factsite-lock`, holding the writer's pid) lets one build write at a time;
the kernel releases it when its process ends, however it ends, so a killed build never blocks the next.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import filecmp
import functools
import os
import posixpath
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.files import describe_os_error, write_atomic
from ..core.names import MARKER

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialised
    fcntl = None  # type: ignore[assignment]

MARKER_TEXT = b"This folder is written by factsite; a build replaces all of it.\n"

Output = bytes | Path
"""A file of the site: its bytes, or a file that holds them (a cached image, an unchanged page)."""

LOCK_WAIT = 60.0
"""Seconds a build waits for another one writing the same output folder before giving up."""


class OutputError(Exception):
    """The output folder cannot be used (it is not ours, or a path would escape it)."""


class WriteError(OutputError, OSError):
    """The output folder could not be written (disk full, read-only, another build writing it).

    Its message says what happened, what to do, and that the previous folder is unchanged. It is an
    OSError too, as the failure that caused it was.
    """


def safe_relative(path: str) -> str:
    """Return `path` if it stays inside the output folder; raise OutputError otherwise."""
    normal = posixpath.normpath(path)
    if (not path or path.startswith(("/", "\\")) or "\\" in path or normal.startswith("..")
            or normal != path or ":" in path.split("/")[0]):
        raise OutputError(f"refusing to write '{path}': it is not a plain path inside the output folder")
    return normal


def check_output_folder(out: Path) -> None:
    """Refuse an output folder that exists, is not empty and was not written by factsite, or cannot be read."""
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
            raise OutputError(f"{out} is not empty and was not written by factsite (no {MARKER} file in it); "
                              "choose another --out folder or empty this one")
    except OSError as exc:
        raise OutputError(f"{out} cannot be read: {describe_os_error(exc)}. Check its permissions, or choose "
                          "another --out folder; it is unchanged") from exc


def temporary_name(out: Path, kind: str = "new") -> str:
    """Return a fresh name for a folder beside `out` that a build writes: `.site.factsite-new-PID-XXXXXX`."""
    return f".{out.name}.factsite-{kind}-{os.getpid()}-{secrets.token_hex(3)}"


def lock_path(out: Path) -> Path:
    """Return the lock file of the output folder `out`: `.site.factsite-lock` beside it."""
    return out.with_name(f".{out.name}.factsite-lock")


def is_leftover(folder: Path, out: Path) -> bool:
    """Return whether `folder` is provably a temporary folder a build of `out` left behind.

    Its name must follow the pattern (`.site.factsite-new-PID-XXXXXX`, `-old-`, or the unnumbered
    names of earlier versions), it must be a real folder, and it must hold factsite's marker; or hold
    nothing; or nothing but the start of the marker (a build killed while writing it). Anything else,
    however it is named, may be someone's work and is left alone.
    """
    pattern = rf"\.{re.escape(out.name)}\.factsite-(?:new|old)(?:-[0-9]+-[0-9a-f]+)?"
    if not re.fullmatch(pattern, folder.name) or folder.is_symlink() or not folder.is_dir():
        return False
    try:
        entries = os.listdir(folder)
        if not entries:
            return True
        marker = folder / MARKER
        if marker.is_symlink() or not marker.is_file():
            return False
        data = marker.read_bytes()
    except OSError:
        return False
    return data == MARKER_TEXT or (entries == [MARKER] and MARKER_TEXT.startswith(data))


def write_site(outputs: dict[str, Output], out: Path) -> tuple[int, tuple[int, int]]:
    """Replace `out` with exactly `outputs` (plus the marker); return how many files changed, and the
    new folder's (device, inode), by which a later build knows it still stands there.

    Unchanged files are hard-linked from the current folder into the staging one (an output given
    as the current file is unchanged without being read), so a large site is cheap to rebuild; the
    swap is one atomic exchange of the two folders where the system offers it (Linux), two renames
    elsewhere. A failure of the disk or of permissions raises WriteError, whose message says so;
    the previous folder is then unchanged.
    """
    for path in outputs:
        safe_relative(path)
    shown = out
    existed = os.path.isdir(out)
    try:
        check_output_folder(out)
        # A symlinked output folder stays a symlink: the site is swapped in where it points.
        out = Path(os.path.realpath(out)) if out.is_symlink() else out.absolute()
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out, shown, existed):
            check_output_folder(out)
            existed = out.is_dir()
            _remove_leftovers(out)
            return _stage_and_swap(outputs, out)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(_fault_message(shown, out.absolute(), exc, existed)) from exc


def remove_leftovers(out: Path) -> None:
    """Remove the temporary folders killed builds of `out` left beside it, for a build that writes
    nothing else (nothing changed); a folder that cannot be removed now is removed by a later build."""
    out = Path(os.path.realpath(out))
    with contextlib.suppress(OSError), _locked(out, out, existed=True):
        _remove_leftovers(out)


def _fault_message(shown: Path, out: Path, error: OSError, existed: bool) -> str:
    """Say what went wrong writing `shown`, what to do about it, and that nothing changed."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        advice = "Free some space and build again"
    elif code == errno.EROFS:
        advice = "The disk is mounted read-only: build into a writable folder with --out DIR"
    elif code in (errno.EACCES, errno.EPERM):
        advice = (f"factsite writes beside {shown}/ and swaps it in, so it needs to write to {out.parent}/: "
                  "check the permissions there, or build into another folder with --out DIR")
    elif code in (errno.EBUSY, errno.EXDEV):
        advice = (f"{shown}/ may be a mount point, which cannot be swapped: mount the folder above it "
                  "instead, or build into another folder with --out DIR and copy it")
    elif code == errno.EIO:
        advice = "Check the disk, then build again"
    else:
        advice = "Fix the cause and build again"
    kept = f"the previous {shown}/ is unchanged" if existed else f"no {shown}/ was created"
    return f"could not write {shown}/: {describe_os_error(error)}. {advice}; {kept}."


@contextlib.contextmanager
def _locked(out: Path, shown: Path, existed: bool) -> Iterator[None]:
    """Hold the output folder's lock file while the block runs, waiting up to LOCK_WAIT for it.

    The lock is an flock on `.site.factsite-lock`, which also names the holder's pid for the message.
    The holder removes the file before letting go; a waiting build that locked a file removed meanwhile
    starts again, so two builds never both think they hold it.
    """
    path = lock_path(out)
    fd = _acquire(path, shown, existed)
    try:
        if fd is not None:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        if fd is not None:
            os.close(fd)


def _acquire(path: Path, shown: Path, existed: bool) -> int | None:
    """Lock `path` (created if need be) and return its descriptor; None where files cannot be locked."""
    if fcntl is None:  # pragma: no cover - not POSIX
        return None
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                who = f"another build (pid {holder})" if holder else "another build"
                kept = f"the previous {shown}/ is unchanged" if existed else f"no {shown}/ was created"
                raise WriteError(f"{who} is writing {shown}/ and has not finished after {LOCK_WAIT:g} s. "
                                 f"Let it finish (or stop it), then build again; {kept}.") from None
            time.sleep(0.05)
            continue
        except FileNotFoundError:
            same = False  # the holder removed the file as we locked it
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                return None  # a file system without locks: build unserialised
            raise
        except BaseException:
            os.close(fd)
            raise
        if same:
            return fd
        os.close(fd)  # we locked a file its holder had removed: lock the current one


def _read_pid(fd: int) -> int | None:
    """Return the pid a lock file names, or None."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _remove_leftovers(out: Path) -> None:
    """Remove the temporary folders a killed build of `out` left beside it (only those provably ours)."""
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return
    for folder in siblings:
        if is_leftover(folder, out):
            _remove_own(folder)


def _remove_own(folder: Path) -> None:
    """Remove a temporary folder of ours, its marker last, so that a build killed meanwhile leaves a
    folder the next build can still prove is ours. Errors are ignored: a folder left is removed next time."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name == MARKER:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            pass
    try:
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        pass


def _stage_and_swap(outputs: dict[str, Output], out: Path) -> tuple[int, tuple[int, int]]:
    """Write `outputs` into a new folder beside `out`, then swap it in; return how many files changed,
    and the new folder's (device, inode)."""
    stage = out.with_name(temporary_name(out))
    changed = 0
    stage.mkdir()
    made = os.stat(stage)
    try:
        # The marker first: from now on the folder is provably ours, should the build be killed.
        folders: set[str] = set()
        for path, data in {MARKER: MARKER_TEXT, **outputs}.items():
            target = stage / path
            folder = path.rpartition("/")[0]
            if folder and folder not in folders:  # each folder made once, not once per file in it
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(folder)
            current = out / path
            if _same_file(current, data):
                try:
                    os.link(current, target)
                    continue
                except OSError:
                    pass
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                shutil.copyfile(data, target)
            changed += 1
        _swap(stage, out)
    except BaseException:
        _remove_own(stage)
        raise
    # `stage` now holds the previous site, or nothing at all.
    _remove_own(stage)
    return changed, (made.st_dev, made.st_ino)


def _swap(stage: Path, out: Path) -> None:
    """Put `stage` in the place of `out`; afterwards `stage` holds the previous `out`, or does not exist.

    Readers, and a build killed at any moment, see the previous folder or the new one, never a mix:
    the exchange is one atomic step. Where the system cannot exchange two folders, the previous one
    is renamed aside, then the new one into its place, and a failure of the second puts it back; a
    build killed between the two leaves no `out` at all (the next build writes it).
    """
    if not out.exists():
        stage.rename(out)
        return
    if _exchange(stage, out):
        return
    old = out.with_name(temporary_name(out, "old"))
    out.rename(old)
    try:
        stage.rename(out)
    except BaseException:
        old.rename(out)
        raise
    _remove_own(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); return False where that is unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # the file system or kernel cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(second))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """Return the C library's renameat2, or None where there is none (not Linux, or an old C library)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


def update_in_place(outputs: dict[str, Output], out: Path, previous: dict[str, Output] | None = None) -> list[str]:
    """Bring `out` to `outputs` file by file, touching only what changed; return the changed paths.

    For the preview folder, which a server reads while it changes: each file is replaced
    atomically, and stale files are removed last. `previous` is what the last call wrote: when
    given, files are compared with it instead of being read back from disk.
    """
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, data in {**outputs, MARKER: MARKER_TEXT}.items():
        target = out / safe_relative(path)
        if previous is not None and path != MARKER:
            if _same_output(previous.get(path), data):
                continue
        elif _same_file(target, data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data if isinstance(data, bytes) else data.read_bytes())
        changed.append(path)
    wanted = set(outputs) | {MARKER}
    if previous is not None:
        for path in sorted(set(previous) - wanted):
            (out / safe_relative(path)).unlink(missing_ok=True)
            changed.append(path)
        return changed
    for file in sorted(out.rglob("*"), reverse=True):
        relative = file.relative_to(out).as_posix()
        if file.is_file() and relative not in wanted:
            file.unlink()
            changed.append(relative)
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()
    return changed


def _same_output(before: Output | None, now: Output) -> bool:
    """Tell whether two outputs hold the same bytes: a file given once as bytes, once as a file, too."""
    if before is None or type(before) is type(now):
        return before == now
    try:
        return (before if isinstance(before, bytes) else before.read_bytes()) == (
            now if isinstance(now, bytes) else now.read_bytes())
    except OSError:
        return False


def _same_file(path: Path, data: Output) -> bool:
    """Tell whether the file at `path` already holds `data` (a file given as itself holds it)."""
    try:
        if not isinstance(data, bytes):
            here, there = os.lstat(path), os.stat(data)
            return os.path.samestat(here, there) or (here.st_size == there.st_size
                                                      and filecmp.cmp(path, data, shallow=False))
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
