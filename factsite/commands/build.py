"""`build`: validate everything, then write the site into its output folder."""

from __future__ import annotations

import argparse

from ..core.memory import one_shot
from . import EXIT_OK
from .options import build_options, output_folder
from .report import report


def run(args: argparse.Namespace) -> int:
    """Build the site; print the warnings, and unless --quiet what was written and where to deploy it."""
    from ..site import pipeline

    root = args.project
    out = output_folder(root, args.out)
    options = build_options(args, file_urls=args.file_urls)
    with one_shot():
        rendered, changed = pipeline.build(root, out, options, strict=args.strict)
    if rendered.warnings:
        report(root, rendered.warnings)
    if not args.quiet:
        pages = sum(1 for path in rendered.outputs if path.endswith(".html"))
        base = args.base_url or rendered.project.site.base_url
        print(f"Built {pages} pages ({len(rendered.outputs)} files, {changed} changed) into {out}/")
        print(rendered.evidence.summary() + ".")
        print(f"Deploy: upload the contents of {out}/ so that index.html is served at {base}")
    return EXIT_OK
