"""The preview's claim cache reads exactly what a full read gives, and only what changed."""

from __future__ import annotations

from pathlib import Path

from factsite.core.errors import Problems
from factsite.project.claimcache import ClaimCache, split_claims
from factsite.project.evidence import gather_evidence
from factsite.project.read import read_project

from support.project import RICH, MakeProject


def _read(root: Path, cache: ClaimCache | None = None) -> tuple[object, list[str]]:
    problems = Problems()
    project = read_project(root, problems, cache=cache)
    return project, [p.headline() for p in problems.sorted()]


def test_split_keeps_every_line_in_place() -> None:
    text = (RICH / "claims.yaml").read_text(encoding="utf-8")
    split = split_claims(text)
    assert split is not None
    skeleton, chunks = split
    assert len(chunks) == 7
    lines = skeleton.splitlines(keepends=True)
    for chunk, first in chunks:
        for offset, line in enumerate(chunk.splitlines(keepends=True)):
            assert lines[first - 1 + offset] == "\n"
            lines[first - 1 + offset] = line
    assert "".join(lines) == text


def test_split_handles_items_at_the_margin_and_comments_between_them() -> None:
    text = "site: {}\nclaims:\n# first\n- id: a\n  x: 1\n\n# second\n- id: b\nevents: []\n"
    split = split_claims(text)
    assert split is not None
    assert [first for _, first in split[1]] == [4, 8]
    assert "events: []" in split[0] and "id: a" not in split[0]


def test_cached_reads_equal_full_reads_and_reuse_unchanged_claims(make_project: MakeProject) -> None:
    root = make_project()
    cache = ClaimCache()
    full, full_problems = _read(root)
    first, first_problems = _read(root, cache)
    assert first == full and first_problems == full_problems
    again, _ = _read(root, cache)
    assert cache.reused == len(full.claims)  # type: ignore[attr-defined]
    assert all(a is b for a, b in zip(again.claims, first.claims, strict=True))  # type: ignore[attr-defined]

    claims_file = root / "claims.yaml"
    claims_file.write_text(claims_file.read_text(encoding="utf-8").replace(
        "summary: ", "summary: Edited. ", 1), encoding="utf-8")
    edited, _ = _read(root, cache)
    assert edited == _read(root)[0]
    assert cache.reused == len(full.claims) - 1  # type: ignore[attr-defined]
    assert edited.claims[0].summary.startswith("Edited.")  # type: ignore[attr-defined]


def test_a_mistake_gives_the_same_report_as_a_full_read(make_project: MakeProject) -> None:
    root = make_project(replace=[("  - id: seized-amount\n", "  - id: seized-amount\n    verdikt: accurate\n")])
    cache = ClaimCache()
    assert _read(root, cache) == _read(root)
    assert _read(root, cache)[0] is None


def test_positions_stay_right_when_lines_are_added_above(make_project: MakeProject) -> None:
    root = make_project()
    cache = ClaimCache()
    before, _ = _read(root, cache)
    claims_file = root / "claims.yaml"
    text = claims_file.read_text(encoding="utf-8")
    claims_file.write_text(text.replace("claims:\n", "claims:\n# a new comment\n", 1), encoding="utf-8")
    after, _ = _read(root, cache)
    assert [c.loc.line for c in after.claims] == [c.loc.line + 1 for c in before.claims]  # type: ignore[attr-defined]


def test_claims_made_a_mapping_are_reported_not_taken_from_the_cache(make_project: MakeProject) -> None:
    """A key inserted above the items makes `claims:` a mapping: the cache must not return the old claims."""
    root = make_project()
    cache = ClaimCache()
    assert _read(root, cache)[0] is not None
    claims_file = root / "claims.yaml"
    text = claims_file.read_text(encoding="utf-8")
    claims_file.write_text(text.replace("claims:\n", "claims:\n  all:\n", 1), encoding="utf-8")
    cached, problems = _read(root, cache)
    assert cached is None
    assert (cached, problems) == _read(root)
    assert any("claims must be a list" in line for line in problems), problems


def test_claim_files_are_read_again_only_when_they_change(make_project: MakeProject) -> None:
    root = make_project()
    claims_file = root / "claims.yaml"
    text = claims_file.read_text(encoding="utf-8")
    head, rest = text.split("\n  - id: pound-figure\n")
    lines = rest.split("\n")
    end = next(n for n, line in enumerate(lines) if line and not line.startswith(" "))  # the next section
    claims_file.write_text(head + "\n\n" + "\n".join(lines[end:]), encoding="utf-8")
    more = root / "claims" / "more.yaml"
    more.parent.mkdir()
    more.write_text("- id: pound-figure\n" + "\n".join(line[2:] for line in lines[:end]), encoding="utf-8")
    cache = ClaimCache()
    full, full_problems = _read(root)
    first, first_problems = _read(root, cache)
    assert (first, first_problems) == (full, full_problems)
    again, _ = _read(root, cache)
    assert again.claims[1] is first.claims[1]  # type: ignore[attr-defined]

    more.write_text(more.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    edited, _ = _read(root, cache)
    assert edited == _read(root)[0]
    assert edited.claims[1].summary.startswith("Edited.")  # type: ignore[attr-defined]

    more.write_text(more.read_text(encoding="utf-8").replace("verdict: ", "verdikt: ", 1), encoding="utf-8")
    assert _read(root, cache) == _read(root) == _read(root, cache)
    assert _read(root, cache)[0] is None


def test_checks_are_run_again_only_for_claims_that_changed(make_project: MakeProject) -> None:
    """The preview and incremental builds keep each claim's check results; a failing check is reported
    at every build all the same."""
    root = make_project(replace=[("        stated: 11.9\n", "        stated: 12.9\n")])
    cache = ClaimCache()
    reports = []
    results = []
    for _ in range(2):
        problems = Problems()
        project = read_project(root, problems, cache=cache)
        assert project is not None
        evidence = gather_evidence(project, problems, cache.evidence)
        reports.append([p.headline() for p in problems.sorted()])
        results.append([evidence.of(claim) for claim in project.claims])
    assert reports[0] == reports[1]
    assert any("check was declared to hold but does not hold" in line for line in reports[0]), reports[0]
    assert all(a is b for a, b in zip(*results, strict=True))

    claims_file = root / "claims.yaml"
    claims_file.write_text(claims_file.read_text(encoding="utf-8").replace("stated: 12.9", "stated: 11.9"),
                           encoding="utf-8")
    problems = Problems()
    project = read_project(root, problems, cache=cache)
    assert project is not None
    evidence = gather_evidence(project, problems, cache.evidence)
    assert problems.errors == []
    assert evidence.of(project.claims[0]) is not results[0][0]
    assert evidence.of(project.claims[1]) is results[0][1]
