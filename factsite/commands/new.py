"""`new claim ID`: append a commented draft claim to the project's claims."""

from __future__ import annotations

import argparse

from . import EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Add the draft claim; unless --quiet, say where."""
    from ..project.newclaim import add_claim

    path = add_claim(args.project, args.id)
    if not args.quiet:
        print(f"Added draft claim '{args.id}' at the end of the claims list in {path}.")
    return EXIT_OK
