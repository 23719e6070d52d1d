"""Rebuilds are correct: building again into the same output folder, with factsite's caches in `.factsite/`
kept, gives exactly what a clean build of the same files gives.

The property (test_random_edits_build_as_a_clean_build_would): a copy of tests/fixtures/rich (a page of every
template) goes through a seeded random sequence of edits (tests/support/edits.py: claims' text, verdicts, adding,
removing, reordering and renaming claims, tags, claimants, sources, template overrides, static files and the
stylesheet, content pages, the rating scale, the site's settings, the timeline). After each edit the project is
built again into its output folder, and also copied (inputs only, no `.factsite/`) and built into a fresh folder.
The two must agree: the same exit code, the same stderr (warnings are printed again by a rebuild that changed
nothing), the same files with the same bytes. Files whose bytes did not change keep their inode and mtime, so
rsync and deploy tools see only what changed. Each sequence has one edit that breaks the build: it must fail with
the clean build's report and leave the output folder exactly as it was (bytes, inodes, mtimes); the next step
undoes it (sometimes with a valid edit on top) and must build correctly again. Now and then an edited file gets
an old modification time, as `cp -p`, `rsync -a` or `tar x` leave it: a changed file is changed whatever its
mtime says.

A failure names the seed and lists the edits applied so far, the differing files and a diff of the first one.

The default run tries 4 sequences (seeds 0-3) of 7 edits, which between them make every kind of edit at least
once (planned_edits); about 40 s of CPU with the focused tests. Environment variables make a longer run:
FACTSITE_INCREMENTAL_SEQUENCES (how many sequences), FACTSITE_INCREMENTAL_STEPS (edits in each) and
FACTSITE_INCREMENTAL_SEED (the first seed, default 0), e.g.

    FACTSITE_INCREMENTAL_SEQUENCES=200 FACTSITE_INCREMENTAL_STEPS=12 \
        .venv/bin/python -m pytest tests/test_incremental.py

Rerun one failing sequence with the same variables and `-k 'seed_N'`.

The focused tests below document what a user sees: a rebuild with no change rewrites no file and repeats the
warnings; editing one claim rewrites the pages that show it and leaves an unrelated claim's page alone; a
deleted, emptied or hand-edited output folder is rebuilt whole (the marker file says "a build replaces all of
it", so a hand edit in the output is undone by the next build, like any file factsite did not write); command
line options (--base-url, --file-urls, --drafts, --strict) are inputs too; a project copied with its cache
builds correctly.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from random import Random

import pytest

from factsite.commands.cli import main

from support import edits
from support.edits import BREAKING_EDITS, VALID_EDITS, Workspace
from support.project import RICH, Result, copy_project, tree_bytes

Build = Callable[..., Result]
Stats = dict[str, tuple[int, int]]

SEQUENCES = int(os.environ.get("FACTSITE_INCREMENTAL_SEQUENCES", "") or 4)
"""How many random sequences of edits to try."""
STEPS = max(3, int(os.environ.get("FACTSITE_INCREMENTAL_STEPS", "") or 7))
"""Edits per sequence (at least 3: one of them breaks the build and the next repairs it)."""
FIRST_SEED = int(os.environ.get("FACTSITE_INCREMENTAL_SEED", "") or 0)
OLD_MTIME_CHANCE = 0.25
"""How often an edit's files are given an old modification time (a copy restored with cp -p)."""


# Comparing output folders.

def stats(folder: Path) -> Stats:
    """Return (inode, mtime in ns) of every file under `folder`, by relative path."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_difference(got: Path, want: Path) -> str | None:
    """Say how the file tree `got` differs from `want` (missing, extra, differing files, and a diff of the first
    differing text file), or return None when they are the same paths with the same bytes."""
    mine, theirs = tree_bytes(got), tree_bytes(want)
    if mine == theirs:
        return None
    missing = sorted(set(theirs) - set(mine))
    extra = sorted(set(mine) - set(theirs))
    differ = sorted(p for p in set(mine) & set(theirs) if mine[p] != theirs[p])
    lines = [f"{got} differs from the clean build {want}:",
             f"  missing ({len(missing)}): {missing[:8]}", f"  extra ({len(extra)}): {extra[:8]}",
             f"  different bytes ({len(differ)}): {differ[:8]}"]
    for path in differ:
        try:
            old, new = theirs[path].decode("utf-8"), mine[path].decode("utf-8")
        except UnicodeDecodeError:
            continue
        diff = difflib.unified_diff(old.splitlines(), new.splitlines(), f"clean/{path}", f"rebuilt/{path}",
                                    n=1, lineterm="")
        lines += ["", *[line[:300] for line in list(diff)[:30]]]
        break
    return "\n".join(lines)


def untouched(out: Path, before: dict[str, bytes], before_stats: Stats) -> str | None:
    """Say how `out` changed since `before` (bytes, then inodes and mtimes), or return None if it did not."""
    if not before:
        return None if not out.exists() else f"{out} was created"
    if tree_bytes(out) != before:
        return f"{out}'s files changed"
    if stats(out) != before_stats:
        changed = [p for p, s in stats(out).items() if before_stats.get(p) != s]
        return f"{out}'s files have the same bytes but were rewritten: {changed[:8]}"
    return None


def rewritten_unchanged(out: Path, before: dict[str, bytes], before_stats: Stats) -> list[str]:
    """Return the files of `out` whose bytes are what they were but whose inode or mtime changed."""
    now = stats(out)
    after = tree_bytes(out)
    return sorted(p for p, data in after.items() if before.get(p) == data and before_stats.get(p) != now[p])


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """A clean build of the rich fixture project as it is (what every session's first build must equal)."""
    project = copy_project(tmp_path_factory.mktemp("reference") / "project", RICH)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project), "build", "--out", str(project / "site")], prog="build.py")
    assert code == 0, err.getvalue()
    return Result(code, out.getvalue(), err.getvalue()), project / "site"


# A project being edited and rebuilt.

class Session:
    """A copy of the rich fixture project, built into its own site/ after every edit, and the edits so far."""

    def __init__(self, tmp_path: Path, build: Build, label: str, reference: tuple[Result, Path]) -> None:
        self.tmp = tmp_path
        self.build = build
        self.project = copy_project(tmp_path / "project", RICH)
        self.out = self.project / "site"
        self.workspace = Workspace(self.project)
        self.log: list[str] = []
        self.label = label
        self.clean_count = 0
        self.last: Result | None = None
        self.start(reference)

    def start(self, reference: tuple[Result, Path]) -> None:
        """Build the unedited project (no cache yet): it must equal the module's clean build of it."""
        self.log.append("(the rich fixture project as it is)")
        first = self.build(self.project, out=self.out)
        assert (first.code, first.err) == (reference[0].code, reference[0].err), self.context(first.err)
        difference = tree_difference(self.out, reference[1])
        assert difference is None, self.context(difference)
        self.last = first

    def context(self, message: str) -> str:
        """Return `message` with the sequence's edits, for an assertion."""
        steps = "\n".join(f"  {n}. {line}" for n, line in enumerate(self.log, 1))
        return f"{self.label}, after the edits:\n{steps}\n{message}"

    def clean_build(self, *extra: str) -> tuple[Result, Path]:
        """Copy the project's inputs into a fresh folder (no .factsite/) and build it into a fresh folder."""
        self.clean_count += 1
        root = self.tmp / f"clean{self.clean_count}"
        shutil.rmtree(root, ignore_errors=True)
        project = copy_project(root / "project", self.project)
        out = root / "site"
        return self.build(project, *extra, out=out), out

    def check(self, *extra: str, expect_code: int | None = None) -> Result:
        """Rebuild incrementally and cleanly, and assert they agree (see the module's docstring)."""
        before, before_stats = (tree_bytes(self.out), stats(self.out)) if self.out.exists() else ({}, {})
        rebuilt = self.build(self.project, *extra, out=self.out)
        clean, clean_out = self.clean_build(*extra)
        assert "Traceback" not in rebuilt.err + clean.err, self.context(rebuilt.err + clean.err)
        if expect_code is not None:
            assert clean.code == expect_code, self.context(
                f"the clean build exited {clean.code}, not {expect_code} (a bug in the edit?):\n{clean.err}")
        assert (rebuilt.code, rebuilt.err) == (clean.code, clean.err), self.context(
            f"the rebuild exited {rebuilt.code} with stderr:\n{rebuilt.err}\n"
            f"the clean build exited {clean.code} with stderr:\n{clean.err}")
        if clean.code == 0:
            difference = tree_difference(self.out, clean_out)
            assert difference is None, self.context(difference or "")
            needless = rewritten_unchanged(self.out, before, before_stats)
            assert not needless, self.context(f"files whose bytes did not change were rewritten: {needless[:8]}")
        else:
            changed = untouched(self.out, before, before_stats)
            assert changed is None, self.context(f"the failed build touched the output folder: {changed}")
            assert not clean_out.exists(), self.context("the failed clean build created its output folder")
        shutil.rmtree(clean_out.parent, ignore_errors=True)
        self.last = rebuilt
        return rebuilt

    def check_unchanged(self) -> Result:
        """Build again with no edit since the last check: the same exit code and stderr, and (when it built)
        not one file of the output folder rewritten."""
        assert self.last is not None
        before, before_stats = (tree_bytes(self.out), stats(self.out)) if self.out.exists() else ({}, {})
        again = self.build(self.project, out=self.out)
        assert (again.code, again.err) == (self.last.code, self.last.err), self.context(
            f"the build before exited {self.last.code} with stderr:\n{self.last.err}\n"
            f"the same build again exited {again.code} with stderr:\n{again.err}")
        changed = untouched(self.out, before, before_stats)
        assert changed is None, self.context(f"a build with no change touched the output folder: {changed}")
        return again

    def apply(self, edit: edits.EditFunction, rng: Random) -> bool:
        """Apply `edit`, log it, and now and then give the files it changed an old mtime; False if it did not
        apply."""
        before = self.workspace.inputs()
        said = edit(self.workspace, rng)
        if said is None:
            return False
        after = self.workspace.inputs()
        changed = sorted(p for p, data in after.items() if before.get(p) != data)
        if changed and rng.random() < OLD_MTIME_CHANCE:
            old = time.time() - 86400 * (30 + len(self.log))  # distinct for each step
            for path in changed:
                os.utime(self.project / path, (old, old))
            said += f" [mtime of {', '.join(changed)} set {30 + len(self.log)} days back]"
        self.log.append(said)
        return True


def apply_one(session: Session, rng: Random, choices: tuple[edits.EditFunction, ...],
              first: edits.EditFunction | None = None) -> None:
    """Apply `first`, or if it does not apply to the project as it stands a random edit of `choices` that does."""
    for _ in range(50):
        if session.apply(first or rng.choice(choices), rng):
            return
        first = None
    raise AssertionError(session.context("no edit applied in 50 tries"))


def planned_edits(seed: int, count: int) -> list[edits.EditFunction]:
    """Return the kinds of valid edits of sequence `seed`: the slice [seed * count, (seed + 1) * count) of a
    stream of shuffles of VALID_EDITS, so that the default run's few sequences try every kind between them."""
    stream: list[edits.EditFunction] = []
    shuffle = 0
    while len(stream) < (seed + 1) * count:
        deck = list(VALID_EDITS)
        Random(f"deck {shuffle}").shuffle(deck)
        stream += deck
        shuffle += 1
    return stream[seed * count:(seed + 1) * count]


# The property.

@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed_{s}") for s in range(FIRST_SEED, FIRST_SEED + SEQUENCES)])
def test_random_edits_build_as_a_clean_build_would(tmp_path: Path, build: Build, reference: tuple[Result, Path],
                                                   seed: int) -> None:
    """After every edit of a random sequence, the rebuild equals a clean build: exit code, stderr, every byte."""
    rng = Random(seed)
    session = Session(tmp_path, build, f"seed {seed}", reference)
    planned = planned_edits(seed, STEPS - 2)
    breaking_step = rng.randrange(1, STEPS)
    saved: dict[str, bytes] | None = None
    for step in range(1, STEPS + 1):
        if step == breaking_step:
            saved = edits.snapshot(session.project)
            apply_one(session, rng, BREAKING_EDITS)
            session.check(expect_code=1)
            continue
        if saved is not None:
            edits.restore(session.project, saved)
            saved = None
            session.log.append("undo the breaking edit (every input file as before it)")
            if rng.random() < 0.5:
                session.check(expect_code=0)
                continue
        apply_one(session, rng, VALID_EDITS, planned.pop() if planned else None)
        session.check(expect_code=0)
    session.log.append("build again with no change")
    assert session.check_unchanged().code == 0


# Focused tests: what a user sees.

@pytest.fixture
def session(tmp_path: Path, build: Build, reference: tuple[Result, Path]) -> Session:
    """The rich fixture project with its site built, ready to edit."""
    return Session(tmp_path, build, "focused test", reference)


def add_warnings(session: Session) -> None:
    """Make the project warn: a claim longer than 75 characters and a source without a date."""
    with session.workspace.doc() as doc:
        claim = doc.claims()[0]
        claim["claim"] = "A claim written far too long for the card, the share image and a search result's title."
        del claim["sources"][0]["published"]
        del claim["sources"][0]["accessed"]
    session.log.append("two warnings added")


def test_a_rebuild_with_no_change_rewrites_no_file_and_prints_the_warnings_again(session: Session) -> None:
    """A second build of unchanged inputs leaves every output file as it was (inode and mtime) and prints the
    same warnings, exit code 0; so does a build after files were saved again without a change (new mtimes)."""
    add_warnings(session)
    first = session.check(expect_code=0)
    assert first.err.count(": warning: ") == 2, first.err
    session.log.append("build again")
    assert session.check_unchanged().err == first.err

    later = time.time() + 5
    for path in session.workspace.inputs():
        os.utime(session.project / path, (later, later))
    session.log.append("every input saved again unchanged (mtimes moved 5 s on)")
    assert session.check_unchanged().err == first.err


def test_warnings_still_fail_a_strict_rebuild_with_no_change(session: Session) -> None:
    """`--strict` turns warnings into errors on every build, including one whose inputs did not change."""
    add_warnings(session)
    session.check(expect_code=0)
    before, before_stats = tree_bytes(session.out), stats(session.out)
    strict = session.check("--strict", expect_code=1)
    assert "0 errors, 2 warnings." in strict.err
    assert untouched(session.out, before, before_stats) is None
    session.check(expect_code=0)


def test_editing_a_summary_rewrites_the_pages_that_show_it_and_no_unrelated_page(session: Session) -> None:
    """The claim's page and every list showing the summary change; an unrelated claim's page file is the same
    file as before (inode and mtime), and so is every other file whose bytes did not change."""
    before_stats = stats(session.out)
    summary = "The accounts were audited, and the auditors found the same total."
    with session.workspace.doc() as doc:
        next(c for c in doc.claims() if c["id"] == "budget-total")["summary"] = summary
    session.log.append(f"claim budget-total: summary = {summary!r}")
    session.check(expect_code=0)
    showing = ["claims/budget-total/index.html", "claims/budget-total/embed/index.html", "index.html",
               "verdicts/needs-context/index.html", "tags/budget/index.html", "tags/figures/index.html",
               "claimants/riverside-public-works/index.html", "feed.xml"]
    for page in showing:
        assert summary in (session.out / page).read_text(encoding="utf-8"), page
        assert stats(session.out)[page] != before_stats[page], f"{page} shows the new summary from an old file?"
    for page in ["claims/no-injuries/index.html", "claims/no-injuries/embed/index.html", "tags/safety/index.html",
                 "verdicts/unverifiable/index.html", "sources/index.html"]:
        assert summary not in (session.out / page).read_text(encoding="utf-8"), page
        assert stats(session.out)[page] == before_stats[page], f"{page} was rewritten"


@pytest.mark.parametrize("damage", ["deleted", "emptied", "a page deleted", "a page edited by hand",
                                    "a file added by hand", "a new output folder"])
def test_a_damaged_output_folder_is_rebuilt_whole(session: Session, build: Build, damage: str) -> None:
    """With inputs and caches unchanged, a build still writes the whole site: after the output folder was
    deleted or emptied (all but its marker), a page deleted or edited by hand, a stray file added, or into a
    new --out folder. factsite owns the output folder (its marker says a build replaces all of it)."""
    out = session.out
    if damage == "deleted":
        shutil.rmtree(out)
    elif damage == "emptied":
        for entry in out.iterdir():
            if entry.name != ".factsite":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    elif damage == "a page deleted":
        (out / "claims" / "opening-day" / "index.html").unlink()
    elif damage == "a page edited by hand":
        page = out / "claims" / "opening-day" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("Sunday", "Monday"), encoding="utf-8")
    elif damage == "a file added by hand":
        (out / "claims" / "notes.txt").write_text("not factsite's\n", encoding="utf-8")
    else:
        session.out = session.project / "elsewhere"
    session.log.append(f"output folder: {damage}")
    session.check(expect_code=0)


def test_a_failed_build_keeps_the_site_and_the_fix_builds_again(session: Session) -> None:
    """A broken claims.yaml fails with the clean build's report and leaves site/ as it was, byte for byte;
    undoing the mistake builds the previous site again without rewriting a file; a further edit builds too."""
    saved = edits.snapshot(session.project)
    before, before_stats = tree_bytes(session.out), stats(session.out)
    session.apply(edits.break_verdict, Random(1))
    failed = session.check(expect_code=1)
    assert "unknown verdict 'acurate'" in failed.err
    edits.restore(session.project, saved)
    session.log.append("undo the breaking edit")
    session.check(expect_code=0)
    assert untouched(session.out, before, before_stats) is None
    session.apply(edits.break_template, Random(2))
    session.check(expect_code=1)
    edits.restore(session.project, saved)
    session.apply(edits.edit_claim_text, Random(3))
    session.check(expect_code=0)


@pytest.mark.parametrize("option", [("--base-url", "https://mirror.example.net/checks/"), ("--file-urls",),
                                    ("--drafts",)])
def test_command_line_options_are_inputs_of_the_build(session: Session, option: tuple[str, ...]) -> None:
    """Building the same files with another option gives that option's site, and dropping it gives the first
    site back: a rebuild is never skipped because only the options changed."""
    with session.workspace.doc() as doc:
        doc.claims()[-1]["draft"] = True
        doc.main["events"] = [{**e, "claims": [c for c in e["claims"] if c != doc.claims()[-1]["id"]]}
                              for e in doc.main["events"]]
    session.log.append(f"claim {session.workspace.read().claims()[-1]['id']} made a draft")
    plain = tree_bytes(session.out) if session.check(expect_code=0).code == 0 else {}
    session.log.append(f"build with {' '.join(option)}")
    session.check(*option, expect_code=0)
    assert tree_bytes(session.out) != plain, f"{option} changes nothing: the test proves nothing"
    session.log.append("build without it")
    session.check(expect_code=0)
    assert tree_bytes(session.out) == plain


def test_a_project_copied_with_its_cache_builds_correctly(session: Session) -> None:
    """`cp -a` of a project with its .factsite/ cache, then an edit of the copy: the copy builds as a clean
    build would, and the original's next build is unaffected."""
    original = session.project
    copy = session.tmp / "copied"
    shutil.copytree(original, copy, symlinks=True)
    shutil.rmtree(copy / "site")
    session.project, session.out = copy, copy / "site"
    session.workspace = Workspace(copy)
    session.log.append("project copied with its .factsite/ cache (not its site/)")
    session.check(expect_code=0)
    session.apply(edits.edit_claim_text, Random(4))
    session.check(expect_code=0)
    session.project, session.out, session.workspace = original, original / "site", Workspace(original)
    session.log.append("back to the original project, unedited")
    session.check(expect_code=0)


def test_two_output_folders_built_in_turn_each_stay_correct(session: Session) -> None:
    """Building one project into two folders in turn (site/ and --out elsewhere): an edit built into one folder
    is built into the other too when its turn comes, though the cache has just seen those inputs."""
    first, second = session.out, session.project / "elsewhere"
    session.out = second
    session.log.append("build into a second folder")
    session.check(expect_code=0)
    session.apply(edits.edit_claim_text, Random(5))
    session.apply(edits.edit_template, Random(6))
    session.check(expect_code=0)
    session.out = first
    session.log.append("build into the first folder again")
    session.check(expect_code=0)
    session.log.append("and into the second again, with no change")
    session.out = second
    session.check_unchanged()
