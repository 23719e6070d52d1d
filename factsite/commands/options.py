"""Checks of option values the parser cannot make, and the build options they give."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from ..core.errors import UsageError
from ..core.files import describe_os_error
from ..core.names import INPUTS
from ..site.options import BuildOptions
from ..site.write import OutputError, check_output_folder


def check_base_url(base_url: str) -> None:
    """Refuse a --base-url that is not an absolute http(s) URL ending in /."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or not base_url.endswith("/"):
        raise UsageError(f"--base-url '{base_url}' must be an absolute http(s) URL ending in /, "
                         "e.g. https://user.github.io/repo/")


def output_folder(root: Path, out: Path) -> Path:
    """Return --out resolved against the project folder, refusing one that would replace the project's files.

    The folder may not be the project folder, hold it, or lie at or inside one of its inputs, and it must be
    new, empty or factsite's own (checked now, before the build, so that a mistaken --out costs nothing).
    """
    folder = out if out.is_absolute() else root / out
    resolved_out = folder.resolve()
    resolved_root = root.resolve()
    if resolved_out == resolved_root or resolved_root.is_relative_to(resolved_out):
        raise UsageError(f"--out {folder} would replace the project folder; choose a folder such as site/")
    for name in INPUTS:
        if resolved_out.is_relative_to((root / name).resolve()):
            raise UsageError(f"--out {folder} is inside the project's {name}; choose a folder such as site/")
    try:
        is_file = folder.exists() and not folder.is_dir()
    except OSError as exc:
        raise UsageError(f"--out {folder} cannot be reached: {describe_os_error(exc)}; "
                         "check the permissions of the folders above it, or choose another") from None
    if is_file:
        raise UsageError(f"--out {folder} is a file, not a folder; choose a folder such as site/")
    try:
        check_output_folder(folder)
    except OutputError as exc:
        raise UsageError(f"--out {exc}") from None
    return folder


def build_options(args: argparse.Namespace, *, file_urls: bool = False, writes: bool = True) -> BuildOptions:
    """Return the build options of a build or check command line, checking --base-url.

    `writes` is False for a command that must write nothing anywhere, not even to factsite's caches.
    """
    if args.base_url is not None:
        check_base_url(args.base_url)
    return BuildOptions(base_url=args.base_url, drafts=args.drafts, file_urls=file_urls, search=writes,
                        write_caches=writes)
