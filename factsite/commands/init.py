"""`init DIR`: start a new fact-check in a new or empty folder, ready to build and deploy.

The folder gets claims.yaml (valid as written, its stand-in values marked: see
project/placeholders.py), the editor schema, copies of the theme's content pages to edit, a
.gitignore, requirements.txt, and deploy recipes for GitHub Pages and Netlify. The files are kept
as data in factsite/project/starter/; an init that fails removes what it wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shlex
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..core.errors import UsageError
from ..core.names import CLAIMS_FILE, CONTENT_DIR, OUTPUT_DIR, THEME_DIR
from ..project.placeholders import STARTER_DIR
from ..project.schema import schema_text
from . import EXIT_OK, invocation

STARTER_FILES = {
    "claims.yaml": CLAIMS_FILE,
    "gitignore": ".gitignore",
    "requirements.txt": "requirements.txt",
    "pages.yml": ".github/workflows/pages.yml",
    "netlify.toml": "netlify.toml",
}
"""Starter file -> where it goes in the new project (package data holds no hidden files)."""
SCHEMA_FILE = "claims.schema.json"
ALLOWED_ENTRIES = frozenset({".git"})
"""What a folder may already hold and still count as empty: a freshly created or cloned repository."""


def run(args: argparse.Namespace) -> int:
    """Create the project; unless --quiet, say what to do next (five lines at most)."""
    folder: Path = args.dir
    written = create_project(folder)
    if not args.quiet:
        command = f"{invocation(args.prog)} --project {shlex.quote(str(folder))}"
        pages = sum(1 for name in written if name.startswith(f"{CONTENT_DIR}/"))
        print(f"Created a new fact-check in {folder}/: claims.yaml, content/ ({pages} pages to edit), "
              "deploy recipes for GitHub Pages and Netlify.")
        print(f"1. Fill in {folder / CLAIMS_FILE}: '{command} check' lists each placeholder left to replace.")
        print(f"2. Preview while you edit: {command} serve")
        print(f"3. Build for its address: {command} build --base-url https://your.host/path/")
        print(f"4. Upload {folder / OUTPUT_DIR}/, or push the folder to GitHub (first point its "
              "requirements.txt at factsite).")
    return EXIT_OK


def create_project(folder: Path) -> list[str]:
    """Write a new project into `folder` (created if missing; it must be empty); return the paths written.

    On a failure, what was written is removed again, and the folders this call created.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; choose a new folder for the project, e.g. {folder}-factcheck")
    try:
        held = sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        raise UsageError(f"cannot read the folder {folder}: {exc.strerror or exc}") from exc
    if set(held) - ALLOWED_ENTRIES:
        shown = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
        raise UsageError(f"{folder} is not empty (it holds {shown}); init writes only into a new or "
                         "empty folder, so that it never overwrites your files. Choose another folder")
    files = starter_files()
    made: list[Path] = []
    written: list[Path] = []
    try:
        _make_folder(folder / CONTENT_DIR, made)  # the desk's own pages go here, even with none to copy
        for name, data in files.items():
            path = folder / name
            _make_folder(path.parent, made)
            with path.open("xb") as stream:  # never replace a file that appeared meanwhile
                written.append(path)
                stream.write(data)
    except OSError as exc:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for made_folder in reversed(made):  # innermost first; a folder holding anything else stays
            with contextlib.suppress(OSError):
                made_folder.rmdir()
        raise UsageError(f"cannot write the project into {folder}: {exc.strerror or exc}") from exc
    return list(files)


def starter_files() -> dict[str, bytes]:
    """Return every file of a new project by its path in the project, as it will be written."""
    today = dt.date.today().isoformat()
    files: dict[str, bytes] = {}
    for source, target in STARTER_FILES.items():
        text = (STARTER_DIR / source).read_text(encoding="utf-8")
        text = text.replace("@TODAY@", today).replace("@VERSION@", __version__)
        files[target] = text.replace("@REQUIREMENT@", requirement()).encode("utf-8")
    files[SCHEMA_FILE] = schema_text().encode("utf-8")
    for page in sorted((THEME_DIR / CONTENT_DIR).glob("*.md")):
        files[f"{CONTENT_DIR}/{page.name}"] = page.read_bytes()
    return files


def requirement() -> str:
    """Return the requirements line that installs this factsite: from the git commit it was installed
    from when pip recorded one (PEP 610), else by version from a package index."""
    try:
        recorded = json.loads(metadata.distribution("factsite").read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        recorded = None
    if isinstance(recorded, dict):
        vcs, url = recorded.get("vcs_info"), str(recorded.get("url", ""))
        if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://") and vcs.get("commit_id"):
            return f"factsite @ git+{url}@{vcs['commit_id']}"
    return f"factsite=={__version__}"


def _make_folder(folder: Path, made: list[Path]) -> None:
    """Create a folder and its missing parents, adding each one created to `made`, outermost first."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
