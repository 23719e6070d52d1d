"""The verdict colours, read from the site's stylesheet, which defines them once for pages and share images."""

from __future__ import annotations

import re

from .assets import Assets

STYLESHEET = "site.css"
"""The stylesheet under static/ whose `:root` custom properties name each verdict style's colour."""
_ROOT = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
_PROPERTY = re.compile(r"--(?P<name>[a-z][a-z0-9-]*)\s*:\s*(?P<value>#[0-9a-fA-F]{6})\s*;")


def verdict_colours(css: str, styles: tuple[str, ...]) -> dict[str, str]:
    """Return the colour of each verdict style that the first `:root` rule (the light theme) defines."""
    root = _ROOT.search(css)
    found = {m["name"]: m["value"].lower() for m in _PROPERTY.finditer(root["body"])} if root else {}
    return {style: found[style] for style in styles if style in found}


def site_verdict_colours(assets: Assets, styles: tuple[str, ...]) -> dict[str, str]:
    """Return the verdict colours of the site's own static/site.css (none if it has no such file)."""
    path = assets.output(STYLESHEET)
    if path is None:
        return {}
    return verdict_colours(assets.files[path].decode("utf-8", errors="replace"), styles)
