"""Regenerate the golden pages in tests/golden/expected/ after an intended change: `make golden`."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from factsite.site.options import BuildOptions
from factsite.site.pipeline import read_and_render

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECT = GOLDEN / "project"
EXPECTED = GOLDEN / "expected"
PAGES = ("index.html", "claims/seized-amount/index.html", "verdicts/accurate/index.html", "sources/index.html",
         "search/index.html", "404.html")
_FINGERPRINT = re.compile(rb"(static/[A-Za-z0-9_-]+)\.[0-9a-f]{8}\.")


def render_golden() -> dict[str, bytes]:
    """Build the fixed golden project with factsite's built-in theme; return the golden pages.

    The repository's own templates/ and static/ (a desk's overrides) are left out: the golden pages pin
    the engine's output, not the shipped site's. Asset fingerprints are replaced by `HASH`, so a
    stylesheet edit alone does not change every page.
    """
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "project"
        shutil.copytree(PROJECT, root)
        outputs = read_and_render(root, BuildOptions()).outputs
    return {page: _FINGERPRINT.sub(rb"\1.HASH.", outputs[page]) for page in PAGES}


def main() -> None:
    """Write the golden pages."""
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for page, data in render_golden().items():
        target = EXPECTED / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
