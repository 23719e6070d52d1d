"""The preview server (placeholder until the live-reload server lands)."""

from __future__ import annotations

from pathlib import Path


def serve(root: Path, *, host: str, port: int, open_browser: bool, drafts: bool) -> int:
    """Explain that the preview server is not available yet."""
    print("build.py serve: the live-reload preview server is not available in this version; "
          "run 'python build.py build' and open site/index.html.")
    return 2
