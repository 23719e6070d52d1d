"""URLs between pages: relative and in directory form, so one build works at any path."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Linker:
    """Make links from one page to another."""

    base_url: str
    """The site's absolute base URL, ending in '/'."""
    file_urls: bool = False
    """Link to `index.html` files rather than folders, for copies browsed from disk."""

    def relative(self, from_output: str, target: str) -> str:
        """Return a link from the page written at `from_output` to the site URL `target`."""
        path, hash_, fragment = target.partition("#")
        if self.file_urls and (path == "" or path.endswith("/")):
            path += "index.html"
        link = "../" * from_output.count("/") + path
        return (link or "./") + hash_ + fragment

    def rooted(self, target: str) -> str:
        """Return a link that starts at the base URL's path (for 404.html, served at any depth)."""
        return urlsplit(self.base_url).path + target

    def absolute(self, target: str) -> str:
        """Return the absolute URL of a site URL (canonical, feeds, structured data)."""
        return self.base_url + target
