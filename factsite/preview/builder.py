"""Rebuild the project into the preview folder, reusing what a save did not change; never raise."""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import urls
from ..core.errors import BuildFailed, Location, Problem, format_problem, source_excerpt
from ..core.memory import LongLived
from ..core.names import PREVIEW_DIR
from ..project.claimcache import ClaimCache
from ..site.options import BuildOptions
from ..site.pipeline import Rendered, read_and_render
from ..site.render import RenderCache
from ..site.search import SearchIndexError, search_bundle
from ..site.write import Output, OutputError, update_in_place

CLIENT = Path(__file__).with_name("client")
CLIENT_FILES = ("preview.js", "overlay.css")


@dataclass(frozen=True)
class BuildOutcome:
    """What one build did: the output paths it rewrote, or the errors that stopped it."""

    changed: list[str]
    problems: list[dict[str, Any]]
    """The errors, as the overlay shows them; empty when the build succeeded."""
    report: str
    """Problems (warnings too) formatted for the terminal."""
    base_path: str
    seconds: float
    pages_rendered: int
    """How many pages were rendered rather than reused."""


def _problem_data(root: Path, problem: Problem) -> dict[str, Any]:
    """Return a problem as the overlay shows it: place, message, hint and the offending source line."""
    return {**problem.as_dict(), "where": str(problem.location), "excerpt": source_excerpt(root, problem.location)}


class PreviewBuilder:
    """Render the project into the preview folder, reusing the pages a save did not affect."""

    def __init__(self, root: Path, out: Path, options: BuildOptions) -> None:
        self.root, self.out, self.options = root, out, options
        self.cache = RenderCache()
        self.claim_cache = ClaimCache()
        self.collector = LongLived()
        self.client = {f"{urls.PREVIEW_FOLDER}{name}": (CLIENT / name).read_bytes() for name in CLIENT_FILES}
        self.base_path = "/"
        self.written: dict[str, bytes] | None = None
        """What the last successful build wrote, to compare the next one against."""
        self.searchable: dict[str, Output] = {}
        """The searchable pages of the last successful build, which `index_search` indexes."""
        self.bundle: dict[str, Output] = {}
        """The search index `index_search` last wrote."""
        self.writing = threading.Lock()
        """Held while a build or the search index writes into the preview folder (they run on two threads)."""

    def build(self, changed: set[str]) -> BuildOutcome:
        """Rebuild after the given project files changed; never raise."""
        start = time.perf_counter()
        if any(path.startswith("templates/") for path in changed):
            self.cache = RenderCache()
        try:
            with self.collector.build():
                rendered = self._render()
            outputs = {**rendered.outputs, **self.client}
            with self.writing:
                written = update_in_place(outputs, self.out, self.written)
            self.written = outputs
            self.searchable = {output: outputs[output] for output in self.cache.searchable}
        except BuildFailed as failure:
            return self._outcome([], failure.problems, start)
        except (OSError, OutputError) as exc:
            return self._outcome([], [Problem(Location(PREVIEW_DIR), f"cannot write the preview: {exc}",
                                              "Check the free disk space and the folder's permissions.")], start)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server either
            traceback.print_exc()
            return self._outcome([], [Problem(Location("factsite"), f"internal error: {exc!r}",
                                              "This is a bug in factsite; the terminal shows the details to report.")],
                                 start)
        return self._outcome(written, rendered.warnings, start)

    def index_search(self) -> str:
        """Index the last successful build's searchable pages into the preview folder, if they changed
        since the last index; return a warning for the terminal if that failed. Never raise.

        The server runs this on a thread of its own once the browser has been told to reload, so
        neither a save's first paint nor the next save waits for the index: the search page finds
        the saved text a moment later.
        """
        try:
            bundle = search_bundle(self.root, self.searchable, keep=self.options.write_caches)
            if bundle != self.bundle:
                with self.writing:
                    update_in_place(bundle, self.out, self.bundle)
                self.bundle = bundle
        except (SearchIndexError, OSError, OutputError) as exc:
            return f"warning: the preview's search index is not up to date: {exc}"
        return ""

    def write_placeholder(self) -> None:
        """Give a preview folder that holds no site yet a page that shows why."""
        if not (self.out / "index.html").is_file():
            update_in_place(self.client, self.out)

    def _render(self) -> Rendered:
        rendered = read_and_render(self.root, self.options, cache=self.cache, claim_cache=self.claim_cache)
        self.base_path = urlsplit(rendered.project.site.base_url).path or "/"
        return rendered

    def _outcome(self, written: list[str], problems: list[Problem], start: float) -> BuildOutcome:
        errors = [_problem_data(self.root, p) for p in problems if p.severity == "error"]
        report = "\n".join(format_problem(self.root, p) for p in problems)
        return BuildOutcome(written, errors, report, self.base_path, time.perf_counter() - start,
                            self.cache.pages_rendered)
