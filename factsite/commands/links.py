"""`links`: check that every source's url and archive_url still answers, and report the dead ones at their place."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildFailed, Location, Problem, Problems
from ..core.files import write_atomic
from ..core.linkcheck import HOME, LOOP, OK, SOFT_404, UNREACHABLE, LinkChecker, LinkResult, host_of
from ..core.names import LINKS_CACHE
from . import EXIT_OK, EXIT_PROJECT
from .report import report

CACHE_VERSION = 1
ARCHIVE_LOOKUP = "https://web.archive.org/web/*/"


@dataclass(frozen=True)
class Link:
    """One address written in claims.yaml: a source's url or archive_url."""

    url: str
    field: str
    """'url' or 'archive_url'."""
    location: Location
    source_url: str | None
    archive_url: str | None


def positive_seconds(text: str) -> float:
    """Parse --timeout: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text} must be more than 0 and at most 600 seconds")
    return value


def hours(text: str) -> float:
    """Parse --max-age: a number of hours, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} must be 0 or more hours")
    return value


def add_arguments(sub: argparse.ArgumentParser) -> None:
    """Add the command's options to its parser."""
    sub.add_argument("--timeout", type=positive_seconds, default=10.0, metavar="S",
                     help="seconds to wait for each answer (default: 10)")
    sub.add_argument("--max-age", type=hours, default=24.0, metavar="H",
                     help="reuse results younger than H hours from .factsite/cache/links.json (default: 24)")
    sub.add_argument("--no-cache", action="store_true", help="check every link again, ignoring the cache")
    sub.add_argument("--strict", action="store_true", help="treat dead and unreachable links as errors")
    sub.add_argument("--format", choices=("text", "json", "github"), default="text",
                     help="json prints the problems as machine-readable data, github as GitHub Actions annotations")


def run(args: argparse.Namespace) -> int:
    """Check the project's links; print the problems and a summary line."""
    root: Path = args.project
    links = project_links(root)
    urls = list(dict.fromkeys(link.url for link in links))
    cache_path = root / LINKS_CACHE
    stored = read_cache(cache_path, max_age=args.max_age * 3600)
    cached = {} if args.no_cache else stored
    results = {url: cached[url] for url in urls if url in cached}
    to_check = [url for url in urls if url not in results]
    if to_check:
        results.update(LinkChecker(timeout=args.timeout).check_all(to_check))
    write_cache(cache_path, {**stored, **results})

    problems = [problem for link in links if (problem := link_problem(link, results[link.url])) is not None]
    if args.strict:
        problems = [Problem(p.location, p.message, p.hint, "error") for p in problems]
    problems.sort(key=lambda p: (p.location, p.message))
    if problems or args.format == "json":
        report(root, problems, args.format)
    if not args.quiet:
        print(summary(urls, results, cached), file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_PROJECT if args.strict and problems else EXIT_OK


def project_links(root: Path) -> list[Link]:
    """Return every source's url and archive_url in file order, placeholders from `init` left out.

    Raises BuildFailed when the project's files have errors.
    """
    from ..project.placeholders import is_placeholder
    from ..project.read import read_project

    problems = Problems()
    project = read_project(root, problems)
    if project is None or problems.errors:
        raise BuildFailed(problems.sorted())
    links = []
    for claim in project.claims:
        for source in claim.sources:
            for field in ("url", "archive_url"):
                url = getattr(source, field)
                if url and not is_placeholder(url):
                    links.append(Link(url, field, source.where(field), source.url, source.archive_url))
    return sorted(links, key=lambda link: link.location)


def link_problem(link: Link, result: LinkResult) -> Problem | None:
    """Return the warning a link's result calls for, or None when it is alive."""
    if result.status == OK:
        return None
    where = link.location
    if result.status == UNREACHABLE:
        return Problem(where, f"could not reach {host_of(link.url)}: {result.reason}",
                       "Check the address; an unreachable host is asked again on every run.", "warning")
    if result.status == HOME:
        message = "redirected to the home page, probably gone"
        hint = f"It now leads to {result.final_url}. " + _replacement_hint(link)
    elif result.status == SOFT_404:
        message = f"soft 404: the page answers but says it is not found ({result.reason})"
        hint = _replacement_hint(link)
    elif result.status == LOOP:
        message = f"redirect loop: {result.reason}" if "→" in result.reason else result.reason
        hint = _replacement_hint(link)
    else:
        moved = f" at {result.final_url}" if result.final_url and result.final_url != link.url else ""
        message = f"dead link: {result.reason}{moved}"
        hint = _replacement_hint(link)
    return Problem(where, message, hint, "warning")


def _replacement_hint(link: Link) -> str:
    """Say where to find a copy: the Wayback Machine's list of captures, or the archive_url already given."""
    if link.field == "archive_url":
        lookup = ARCHIVE_LOOKUP + (link.source_url or link.url)
        return f"Find another archived copy at {lookup} and replace archive_url."
    if link.archive_url:
        return "The source's archive_url keeps a copy; update url if the document has moved."
    return f"Find an archived copy at {ARCHIVE_LOOKUP}{link.url} and add it as archive_url."


def summary(urls: list[str], results: dict[str, LinkResult], cached: dict[str, LinkResult]) -> str:
    """Return 'N links: N ok, N dead, N unreachable, N from cache'."""
    statuses = [results[url].status for url in urls]
    ok = statuses.count(OK)
    unreachable = statuses.count(UNREACHABLE)
    dead = len(statuses) - ok - unreachable
    from_cache = sum(1 for url in urls if url in cached)
    noun = "link" if len(urls) == 1 else "links"
    return f"{len(urls)} {noun}: {ok} ok, {dead} dead, {unreachable} unreachable, {from_cache} from cache"


def read_cache(path: Path, *, max_age: float, now: float | None = None) -> dict[str, LinkResult]:
    """Return the cached results younger than `max_age` seconds; {} when there is no usable cache."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("links"), dict):
        return {}
    now = time.time() if now is None else now
    found = {}
    for url, entry in data["links"].items():
        result = LinkResult.from_dict(entry)
        if result is not None and result.status != UNREACHABLE and 0 <= now - result.checked < max_age:
            found[str(url)] = result
    return found


def write_cache(path: Path, results: dict[str, LinkResult]) -> None:
    """Write the results atomically, unreachable ones left out (they are asked again next time)."""
    kept = {url: result.as_dict() for url, result in sorted(results.items()) if result.status != UNREACHABLE}
    data = json.dumps({"version": CACHE_VERSION, "links": kept}, indent=1, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data.encode("utf-8"))
    except OSError as exc:  # the results are printed all the same; only the next run is slower
        print(f"warning: cannot write the links cache {path}: {exc.strerror or exc}", file=sys.stderr)
