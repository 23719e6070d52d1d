"""The names of a project's files and folders, and of the folders factsite writes."""

from __future__ import annotations

from pathlib import Path

CLAIMS_FILE = "claims.yaml"
CLAIMS_DIR = "claims"
"""Further claims, each file a YAML list of claims."""
CONTENT_DIR = "content"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
INPUTS = (CLAIMS_FILE, CLAIMS_DIR, CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)
"""Everything a build reads from the project folder, in the order the preview names them."""

THEME_DIR = Path(__file__).resolve().parents[1] / "theme"
"""The built-in theme: templates/, static/ and content/ that a project's own folders override file by file."""

OUTPUT_DIR = "site"
"""The default output folder."""
TOOL_DIR = ".factsite"
"""factsite's own state in a project: the preview's output and caches (git-ignored)."""
PREVIEW_DIR = f"{TOOL_DIR}/preview"
SHARE_CACHE_DIR = f"{TOOL_DIR}/cache/share"
SEARCH_CACHE_DIR = f"{TOOL_DIR}/cache/search"
"""Search indexes the pagefind binary wrote, by a digest of the pages they index."""
TEMPLATE_CACHE_DIR = f"{TOOL_DIR}/cache/templates"
"""Compiled templates, sealed (see core/sealed.py): Jinja2 need not compile them again at each build."""
LINKS_CACHE = f"{TOOL_DIR}/cache/links.json"
"""What `links` found for each address, kept --max-age hours."""
MARKER = ".factsite"
"""The file that marks an output folder as factsite's to replace."""


def inputs_sentence() -> str:
    """Return the inputs as readers see them: 'claims.yaml, claims/, content/, templates/ and static/'."""
    shown = [name if "." in name else f"{name}/" for name in INPUTS]
    return ", ".join(shown[:-1]) + " and " + shown[-1]

WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})
"""Names Windows keeps for devices: no file or folder can take them, so no page either."""
