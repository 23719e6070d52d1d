"""Where sources come from: copies of one original count once, and the checked article never counts."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core.errors import Problems, did_you_mean
from .model import THE_ARTICLE, Project, Source


@functools.lru_cache(maxsize=1 << 16)
def _address(url: str | None) -> str | None:
    """Fold a URL for comparison: no scheme, no www., no trailing slash, lower-case host.

    Kept for the URLs of the last builds: the preview server folds the same tens of thousands of
    source URLs at every save of a large project."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Provenance:
    """The original behind every source id of a project, and the checked article's address."""

    originals: dict[str, str]
    """Each source id's original: its own id, another source's id, or THE_ARTICLE."""
    titles: dict[str, Source]
    """The first source written with each id, to name an original to readers."""
    article_address: str | None

    def original(self, source: Source) -> str | None:
        """Return the id of the source's original (THE_ARTICLE for the article); None for an unnamed original."""
        if self.is_article(source):
            return THE_ARTICLE
        if source.copy_of:
            return self.originals.get(source.copy_of, source.copy_of)
        return self.originals.get(source.id, source.id) if source.id else None

    def is_article(self, source: Source) -> bool:
        """Tell whether the source is the checked article itself, marked so or at the article's address."""
        if source.copy_of == THE_ARTICLE or (source.copy_of and self.originals.get(source.copy_of) == THE_ARTICLE):
            return True
        if self.article_address is None or not source.url:
            return False
        return _address(source.url) == self.article_address

    def copied_from(self, source: Source) -> Source | None:
        """Return the source this one reproduces, as first written, when it is a copy of another source."""
        if not source.copy_of or source.copy_of == THE_ARTICLE:
            return None
        return self.titles.get(source.copy_of)

    def independent(self, sources: Iterable[Source]) -> int:
        """Count the independent sources: one per original, the checked article left out."""
        seen: set[str] = set()
        count = 0
        for source in sources:
            original = self.original(source)
            if original == THE_ARTICLE:
                continue
            if original is None:
                count += 1
            elif original not in seen:
                seen.add(original)
                count += 1
        return count


def trace_provenance(project: Project, problems: Problems) -> Provenance:
    """Follow every `copy_of` to its original; report unknown ids, the reserved id, and loops."""
    titles: dict[str, Source] = {}
    copies: dict[str, str] = {}
    sources = [source for claim in project.claims for source in claim.sources]
    for source in sources:
        if source.id == THE_ARTICLE:
            problems.error(source.where("id"), f"source id '{THE_ARTICLE}' is reserved",
                           f"'copy_of: {THE_ARTICLE}' marks the checked article; give this source another id.")
            continue
        if source.id:
            titles.setdefault(source.id, source)
            if source.copy_of and source.copy_of != source.id:
                copies.setdefault(source.id, source.copy_of)
        if source.copy_of == source.id and source.id:
            problems.error(source.where("copy_of"), f"source '{source.id}' is marked a copy of itself",
                           "Name the source it reproduces, or remove 'copy_of:'.")
    for source in sources:
        target = source.copy_of
        if target and target != THE_ARTICLE and target not in titles:
            hint = did_you_mean(target, list(titles))
            problems.error(source.where("copy_of"), f"copy_of names unknown source '{target}'",
                           f"{hint} Use the id of a source listed in this file, or '{THE_ARTICLE}' for the "
                           "checked article.".strip())
    originals = {source_id: source_id for source_id in titles}
    reported: set[str] = set()
    for source_id in titles:
        path = [source_id]
        while path[-1] in copies and copies[path[-1]] in titles:
            following = copies[path[-1]]
            if following in path:
                loop = path[path.index(following):]
                if not reported.intersection(loop):
                    reported.update(loop)
                    problems.error(titles[source_id].where("copy_of"),
                                   "sources are marked copies of each other in a loop: "
                                   + " -> ".join([*loop, following]),
                                   "Mark only the copies, and leave 'copy_of:' off the original.")
                break
            path.append(following)
        last = path[-1]
        originals[source_id] = THE_ARTICLE if copies.get(last) == THE_ARTICLE else last
    return Provenance(originals, titles, _address(project.article.url))
