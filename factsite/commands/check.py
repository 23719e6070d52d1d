"""`check`: run the whole build without writing, and optionally verify the quotes against the article."""

from __future__ import annotations

import argparse

from ..core.errors import BuildFailed
from ..core.memory import one_shot
from . import EXIT_OK
from .options import build_options
from .report import report


def run(args: argparse.Namespace) -> int:
    """Check the project; print its warnings, and unless --quiet (or with --format json) a summary."""
    from ..project.article import check_quotes
    from ..site import pipeline

    root = args.project
    options = build_options(args, writes=False)
    with one_shot():
        rendered = pipeline.read_and_render(root, options, strict=args.strict)
    findings = list(rendered.warnings)
    coverage = None
    if args.article is not None:
        quote_problems, coverage = check_quotes(rendered.project, args.article)
        if any(p.severity == "error" or args.strict for p in quote_problems):
            raise BuildFailed(sorted([*findings, *quote_problems], key=lambda p: p.location))
        findings.extend(quote_problems)
    if args.format == "json":
        report(root, findings, "json")
        return EXIT_OK
    if findings:
        report(root, findings, args.format)
    if not args.quiet:
        claims = len(rendered.project.claims)
        print(f"OK: {claims} claims, {len(rendered.outputs)} files would be written.")
        print(rendered.evidence.summary() + ".")
        if coverage is not None:
            print(f"Quotes: {claims} of {claims} found in their stated paragraphs; "
                  f"together they are {coverage:.1%} of the article's words.")
    return EXIT_OK
