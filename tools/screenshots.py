"""Build the site, serve it on 127.0.0.1 and save PNG screenshots of the index and a claim page.

Run from the project folder: `python -m tools.screenshots` (or `make screenshots`).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.browser import CHROMIUM_ARGS, find_chromium
from tests.support.static_server import serve_directory

ROOT = Path(__file__).resolve().parents[1]
VIEWPORTS: dict[str, tuple[int, int]] = {"desktop": (1280, 800), "phone": (390, 844)}
CLAIM_LINK = re.compile(r'href="claims/([a-z0-9-]+)/"')


def build_site(project: Path, out: Path) -> None:
    """Build the project into out, or exit with the build's own message."""
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "--quiet", "build",
                             "--out", str(out)], check=False)
    if result.returncode != 0:
        sys.exit(f"screenshots: the build failed (exit {result.returncode})")


def first_claim(site: Path) -> str:
    """Return the id of the first claim the index lists."""
    found = CLAIM_LINK.search((site / "index.html").read_text(encoding="utf-8"))
    if found is None:
        sys.exit("screenshots: the index lists no claim")
    return found.group(1)


def capture(site: Path, claim: str, dest: Path, full_page: bool) -> list[Path]:
    """Save index-<size>.png and claim-<size>.png for every viewport into dest."""
    chromium = find_chromium()
    if chromium is None:
        sys.exit("screenshots: Chromium not found (install it with `apt-get install -y chromium`)")
    dest.mkdir(parents=True, exist_ok=True)
    pages = {"index": "", "claim": f"claims/{claim}/"}
    saved = []
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            for size, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light",
                                              reduced_motion="reduce")
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path, wait_until="load")
                    target = dest / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    saved.append(target)
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build, serve and capture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="project folder (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--claim", help="claim id to capture (default: the first in article order)")
    parser.add_argument("--full-page", action="store_true", help="capture whole pages, not just the first screen")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="factsite-shots-") as tmp:
        site = Path(tmp) / "site"
        build_site(args.project, site)
        for path in capture(site, args.claim or first_claim(site), args.out, args.full_page):
            print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
