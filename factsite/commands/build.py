"""`build`: validate everything, then write the site into its output folder."""

from __future__ import annotations

import argparse

from ..core.memory import one_shot
from . import EXIT_OK
from .options import build_options, output_folder
from .report import report


def run(args: argparse.Namespace) -> int:
    """Build the site; print the warnings, and unless --quiet what was written and where to deploy it."""
    from ..site import incremental

    root = args.project
    out = output_folder(root, args.out)
    options = build_options(args, file_urls=args.file_urls)
    with one_shot():
        built = incremental.build(root, out, options, strict=args.strict, clean=args.clean)
    if built.warnings:
        report(root, built.warnings)
    if not args.quiet:
        if built.skipped:
            print(f"Up to date: nothing changed since the last build of {out}/ ({built.pages} pages, "
                  f"{built.files} files).")
        else:
            print(f"Built {built.pages} pages ({built.files} files, {built.changed} changed) into {out}/")
        print(built.summary + ".")
        print(f"Deploy: upload the contents of {out}/ so that index.html is served at {built.base_url}")
    return EXIT_OK
