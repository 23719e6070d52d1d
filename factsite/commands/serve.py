"""`serve`: preview the site with live reload, rebuilding on every save."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Serve the preview until Ctrl+C.

    It builds again and again in one process, so it leaves the garbage collector on.
    """
    from ..preview.server import serve

    return serve(args.project, host=args.host, port=args.port, open_browser=args.open, drafts=args.drafts,
                 prog=args.prog)
