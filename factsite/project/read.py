"""Turn the loaded files into a validated `Project`, collecting every problem on the way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..core.errors import Location, Problem, Problems, did_you_mean
from ..core.fields import INVALID, Boolean, Record, is_null
from ..core.names import CLAIMS_DIR, CLAIMS_FILE, STATIC_DIR, THEME_DIR
from ..core.nodes import Map, Node, Scalar, Seq, decode, load_file, parse_yaml, read_bytes
from .claimants import check_claimants
from .claimcache import ClaimCache, FileClaims, ReadClaims
from .content import read_content_pages
from .evidence import gather_evidence
from .model import DEFAULT_VERDICTS, Claim, ClaimsFile, Project
from .placeholders import warn_placeholders


def read_project(root: Path, problems: Problems, *, drafts: bool = False,
                 cache: ClaimCache | None = None) -> Project | None:
    """Load and validate claims.yaml (and claims/*.yaml) and content/; None if there are errors.

    With a `cache` (the preview server keeps one), claims whose text did not change since the
    last call are not read again.
    """
    def read_claims(nodes: list[Node], found: Problems) -> list[Claim]:
        warn_placeholders(nodes, found)
        return [Record(Claim).read(claim, found) for claim in _drop_drafts(nodes, found, drafts)]

    loaded = _load_cached(root, drafts, cache, read_claims)
    if loaded is not None:
        node, read, warnings = loaded
        problems.extend(warnings)
        unreadable: set[str] = set()
    else:
        node = load_file(root, CLAIMS_FILE, problems)
        if node is None:
            if not problems.errors:
                problems.error(Location(CLAIMS_FILE, 1, 1), "file is empty",
                               "Add the site:, article: and claims: sections (see the README).")
            return None
        if not isinstance(node, Map):
            problems.error(node.loc, "claims.yaml must be a mapping of sections",
                           "Start with 'site:', 'article:' and 'claims:' at the left margin.")
            return None
        kept = _drop_drafts(_claim_nodes(node, problems), problems, drafts)
        read = [Record(Claim).read(claim, problems) for claim in kept]
        unreadable = {_id_text(n) for n, claim in zip(kept, read, strict=True) if claim is INVALID} - {None}
    warn_placeholders([node], problems)  # the sections (a cached load has its claims warned of in read_claims)
    files = _claim_files(root, problems)

    def read_file(relative: str, data: bytes) -> FileClaims:
        found = Problems()
        nodes = _claim_nodes_of_file(relative, data, found)
        warn_placeholders(nodes, found)
        kept = _drop_drafts(nodes, found, drafts)
        claims = [Record(Claim).read(claim, found) for claim in kept]
        bad = {_id_text(n) for n, claim in zip(kept, claims, strict=True) if claim is INVALID} - {None}
        return FileClaims(claims, found.items, frozenset(bad))

    read = list(read)
    for claims_of_file in (cache.read_files(files, drafts, read_file) if cache is not None
                           else [read_file(relative, data) for relative, data in files]):
        read.extend(claims_of_file.claims)
        problems.extend(claims_of_file.problems)
        unreadable |= claims_of_file.unreadable
    content_pages = read_content_pages(root, problems)
    entries = dict(node.entries)
    if "claims" in entries:  # read one by one above, so one bad claim does not hide the others' problems
        entries["claims"] = (entries["claims"][0], Seq((), entries["claims"][0]))
    data = Record(ClaimsFile).read(Map(entries, node.loc), problems)
    if data is INVALID:
        return None
    logo = data.site.publisher.logo
    if logo and not any((folder / STATIC_DIR / logo).is_file() for folder in (root, THEME_DIR)):
        problems.error(data.site.publisher.where("logo"), f"logo '{logo}' is not in static/",
                       f"Put the image at static/{logo}, or remove 'logo:'.")
    project = Project(
        site=data.site,
        article=data.article,
        verdicts=data.verdicts or DEFAULT_VERDICTS,
        claims=tuple(sorted((c for c in read if c is not INVALID), key=lambda c: c.paragraph)),
        events=tuple(sorted(data.events, key=lambda e: str(e.date))),
        content_pages=content_pages,
    )
    _cross_check(project, problems, unreadable)
    if not project.claims and not unreadable and not problems.errors:
        problems.warning(node.entries["claims"][0] if "claims" in node.entries else node.loc,
                         "there are no claims to publish", "Add one with the command 'new claim ID'.")
    if problems.errors:
        gather_evidence(project, problems)  # the valid claims' arithmetic, reported in the same run
        return None
    return project


def _load_cached(root: Path, drafts: bool, cache: ClaimCache | None,
                 read_claims: ReadClaims) -> tuple[Map, list[Claim], list[Problem]] | None:
    """Read claims.yaml through the cache; None when there is none or the file must be read in full."""
    if cache is None:
        return None
    try:
        text = (root / CLAIMS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return cache.load(text, CLAIMS_FILE, drafts, read_claims)


def _claim_nodes(node: Map, problems: Problems) -> list[Node]:
    entry = node.entries.get("claims")
    if entry is None or is_null(entry[1]):
        return []
    if not isinstance(entry[1], Seq):
        problems.error(entry[1].loc, "claims must be a list", "Start each claim with '- id: ...'.")
        return []
    return list(entry[1].items)


def _claim_files(root: Path, problems: Problems) -> list[tuple[str, bytes]]:
    """Return the bytes of each of claims/*.yaml, in file-name order, by its path in the project."""
    folder = root / CLAIMS_DIR
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.glob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        data = read_bytes(path, relative, problems)
        if data is not None:
            files.append((relative, data))
    return files


def _claim_nodes_of_file(relative: str, data: bytes, problems: Problems) -> list[Node]:
    """Return the claims of one of claims/*.yaml, a list of claims, as nodes."""
    text = decode(data, relative, problems)
    node = parse_yaml(text, relative, problems) if text is not None else None
    if node is None:
        return []
    if not isinstance(node, Seq):
        problems.error(node.loc, f"{relative} must be a list of claims", "Start each claim with '- id: ...'.")
        return []
    return list(node.items)


def _drop_drafts(nodes: list[Node], problems: Problems, drafts: bool) -> list[Node]:
    """Leave out draft claims unless asked for; still validate them, their errors as warnings."""
    kept = []
    for node in nodes:
        flag = node.entries.get("draft") if isinstance(node, Map) else None
        is_draft = flag is not None and Boolean().read(flag[1], Problems()) is True
        if not is_draft or drafts:
            kept.append(node)
            continue
        scratch = Problems()
        Record(Claim).read(node, scratch)
        problems.extend(dataclasses.replace(p, severity="warning", message=f"draft: {p.message}")
                        for p in scratch.items)
    return kept


def _id_text(node: Node) -> str | None:
    """Return the id written in a claim's mapping, if any."""
    entry = node.entries.get("id") if isinstance(node, Map) else None
    return entry[1].text.strip() if entry and isinstance(entry[1], Scalar) else None


def _cross_check(project: Project, problems: Problems, unreadable: set[str]) -> None:
    """Check what single fields cannot: ids, references between sections, claimants.

    `unreadable` holds the ids of claims with errors of their own: references to them are not
    reported again.
    """
    verdict_ids = _unique([(v.id, v.where("id")) for v in project.verdicts], "verdict id", problems)
    rated: dict[int, str] = {}
    for verdict in project.verdicts:
        if verdict.rating is None:
            continue
        if verdict.rating in rated:
            problems.error(verdict.where("rating"), f"verdicts '{rated[verdict.rating]}' and '{verdict.id}' "
                           f"share the rating {verdict.rating}", "Give each verdict on the scale its own number.")
        rated.setdefault(verdict.rating, verdict.id)
    claim_ids = _unique([(c.id, c.where("id")) for c in project.claims], "claim id", problems)
    _unique([(a, c.where("aliases")) for c in project.claims for a in c.aliases], "alias", problems)
    for claim in project.claims:
        for alias in claim.aliases:
            if alias in claim_ids:
                problems.error(claim.where("aliases"), f"alias '{alias}' is the id of a claim",
                               "An alias is a former id whose page now redirects; remove it or rename the claim.")
    for claim in project.claims:
        if claim.verdict not in verdict_ids:
            hint = did_you_mean(claim.verdict, verdict_ids)
            problems.error(claim.where("verdict"), f"unknown verdict '{claim.verdict}'",
                           f"{hint} Known verdicts: {', '.join(verdict_ids)}.".strip())
        source_ids = _unique([(s.id, s.loc) for s in claim.sources if s.id], "source id", problems)
        for check in claim.checks:
            source = check.param("source")
            if source is not None and source not in source_ids:
                hint = did_you_mean(source, source_ids)
                known = f"Sources of this claim with an id: {', '.join(source_ids)}." if source_ids else \
                    "Give the source an 'id:' and use it here."
                problems.error(check.where("source"), f"unknown source '{source}'", f"{hint} {known}".strip())
    for event in project.events:
        for claim_id in event.claims:
            if claim_id not in claim_ids and claim_id not in unreadable:
                hint = did_you_mean(claim_id, claim_ids)
                problems.error(event.loc, f"event '{event.title}' names unknown claim '{claim_id}'",
                               hint or "Use the id of a claim in this file.")
    check_claimants(project, problems)


def _unique(items: list[tuple[str, Location]], what: str, problems: Problems) -> list[str]:
    """Report repeated ids; return the ids in first-seen order."""
    seen: dict[str, Location] = {}
    for value, loc in items:
        if value in seen:
            problems.error(loc, f"duplicate {what} '{value}' (first at line {seen[value].line})",
                           "Each must be unique; rename one.")
        seen.setdefault(value, loc)
    return list(seen)
