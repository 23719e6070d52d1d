"""Fuzzing whole projects (Hypothesis): generated claims.yaml documents through load, validate, render, write.

- Every valid document builds (exit 0), and building it again gives the same files, byte for byte.
- A corrupted document (a key deleted, a value of the wrong shape, garbage dates, huge numbers, broken
  references, shifted indentation, the text cut short, control characters or bytes that are not UTF-8
  inserted, a line repeated) never crashes factsite: the exit code is 0 or 1, never 3 (a bug), no traceback
  is printed, every problem is printed as `path:line:col: error: ...` or `path: error: ...` (then its source
  line and caret), and a second run reports the same.
- Arbitrary text or bytes as claims.yaml (or as claims/extra.yaml beside a valid one) never crash it either.

The commands run in-process (`factsite.commands.cli.main`), each example in a temporary folder of its own.
`make test` runs a few hundred examples with a fixed seed (derandomized, no example database), so every run
tries the same documents. `make fuzz` runs FACTSITE_FUZZ_EXAMPLES examples in all (20,000) with a random
seed, keeps Hypothesis's database in .hypothesis/ so a failure replays, and prints the examples run by each
property. Each crash found is kept below as a regression test of its minimal document; while it is not fixed,
the test is a strict xfail and KNOWN_CRASHES (or KNOWN_BAD_LINES) lets the properties look past it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, reject, settings
from hypothesis import strategies as st

from factsite.commands.cli import main

from support.generators import Document, corrupted_documents, random_bytes, valid_documents
from support.project import MINIMAL_CLAIMS, tree_bytes

FUZZ_TOTAL = int(os.environ.get("FACTSITE_FUZZ_EXAMPLES", "0") or 0)
"""Examples in all when fuzzing (`make fuzz`); 0 for the fixed, quick run of `make test`."""
SHARES = {"valid": 0.10, "corrupted": 0.45, "raw": 0.45}
"""How the examples of a fuzzing run are shared out: a valid document is built twice, so it costs most."""
QUICK = {"valid": 20, "corrupted": 80, "raw": 200}
"""Examples per property in `make test`."""
BATCH = 500
"""Examples per Hypothesis run when fuzzing: its record of every example tried grows without bound (some
0.6 MB per document), so a long run is many runs of this many examples, each with a seed of its own."""
TIME_LIMIT = float(os.environ.get("FACTSITE_FUZZ_TIME_LIMIT", "120"))
"""Seconds one command may take on one example before it counts as a hang."""


def examples(prop: str) -> int:
    """Return how many examples a property runs."""
    if FUZZ_TOTAL:
        return max(1, round(FUZZ_TOTAL * SHARES[prop]))
    return QUICK[prop]


def fuzz_settings(max_examples: int) -> settings:
    """Return the settings of a property: fixed seed in `make test`, random and remembered in `make fuzz`."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=not FUZZ_TOTAL,
        database=settings.default.database if FUZZ_TOTAL else None,
        print_blob=True,
        # Shrinking a whole document takes minutes: worth it when fuzzing, not in `make test`, whose failure
        # report shows the document as generated (see `note`).
        phases=list(Phase) if FUZZ_TOTAL else [Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.large_base_example],
    )


# Running the command line

@dataclass(frozen=True)
class Run:
    """One command's exit code and output."""

    code: int
    out: str
    err: str


class TooSlow(BaseException):
    """Raised by the alarm when a command runs past TIME_LIMIT (a BaseException, so main() lets it through)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the running code after `seconds` (in the main thread only, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise TooSlow(f"the command ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(*args: str) -> Run:
    """Run the command line in-process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(TIME_LIMIT):
        try:
            code = main(list(args), prog="build.py")
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def project(files: Mapping[str, bytes]) -> Iterator[Path]:
    """Write a project into a new temporary folder; remove it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="factsite-fuzz-"))
    try:
        root = folder / "project"
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# What a run may print

HEADLINE = re.compile(r"(?P<path>[^\s:][^:]*?)(?::[1-9][0-9]*:[1-9][0-9]*)?: (?P<severity>error|warning): \S.*")
"""`path:line:col: error: message` or `path: error: message` (warnings alike)."""
EXCERPT = re.compile(r" *[0-9]+ \| .*| +\| *\^")
"""The source line under a problem, and the caret under its column."""
SUMMARY = re.compile(r"[0-9]+ errors?, [0-9]+ warnings?\.")


def bad_lines(err: str) -> list[str]:
    """Return the lines of stderr that are neither a problem, its source excerpt, the summary nor blank."""
    bad = []
    for line in err.split("\n"):
        if line and not (HEADLINE.fullmatch(line) or EXCERPT.fullmatch(line) or SUMMARY.fullmatch(line)):
            bad.append(line)
    return bad


def crash_signature(err: str) -> tuple[str, str]:
    """Name a crash by its exception line and the innermost frame in factsite:
    ('ValueError: Invalid IPv6 URL', 'core/fields.py in read')."""
    frames = re.findall(r'File ".*?/factsite/(.+?)", line [0-9]+, in (\S+)', err)
    lines = [line for line in err.split("\n") if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line)]
    return (lines[-1] if lines else "?"), (f"{frames[-1][0]} in {frames[-1][1]}" if frames else "?")


KNOWN_CRASHES: tuple[tuple[str, str, str], ...] = ()
"""Crashes found and not yet fixed, each held by a strict-xfail test_regression_*: (a regular expression of the
exception line, the innermost factsite frame as `core/fields.py in read`, the test's name). The properties set
such examples aside and keep looking for new crashes; once the test passes, remove its marker and its entry."""
KNOWN_BAD_LINES: tuple[tuple[str, str], ...] = (
    (r"[^:\s][^:]*:[0-9]+: error: (link|image) .*", "test_regression_link_in_a_quoted_or_folded_scalar"),
)
"""Problem lines of a known wrong form, each held by a strict-xfail test_regression_* (a regular expression, the
test's name): the properties count them and check the rest of the output. Remove an entry once its test passes."""


TALLY: dict[str, Counter[str]] = {prop: Counter() for prop in SHARES}
"""Per property: examples run, and how they ended."""


def report_tally(prop: str, started: float) -> None:
    """Print how many examples a property ran (shown by `make fuzz`, which passes -rP)."""
    tally = TALLY[prop]
    ends = ", ".join(f"{count} {what}" for what, count in sorted(tally.items()) if what != "examples")
    print(f"fuzz {prop}: {tally['examples']} examples in {time.monotonic() - started:.1f} s ({ends})")


def assert_no_crash(first: Run, prop: str, what: str) -> None:
    """Fail on exit 3 or any other unexpected code, a traceback, or an unreadable problem line."""
    if first.code == 3 or "Traceback" in first.err:
        exception, frame = crash_signature(first.err)
        for pattern, where, regression in KNOWN_CRASHES:
            if re.fullmatch(pattern, exception) and frame == where:
                TALLY[prop][f"known crash ({regression})"] += 1
                reject()
    assert first.code in (0, 1), f"{what}: exit code {first.code}\n{first.err}"
    assert "Traceback" not in first.err, f"{what}: a traceback\n{first.err}"
    bad = bad_lines(first.err)
    for pattern, regression in KNOWN_BAD_LINES:
        if any(re.fullmatch(pattern, line) for line in bad):
            TALLY[prop][f"known bad line ({regression})"] += 1
            bad = [line for line in bad if not re.fullmatch(pattern, line)]
    assert not bad, f"{what}: lines that are not 'path:line:col: error: ...' or an excerpt:\n" + "\n".join(bad)


# The properties

def check_valid(doc: Document) -> None:
    """A valid document builds, twice, to the same bytes; every published claim has its page."""
    TALLY["valid"]["examples"] += 1
    note(f"claims.yaml:\n{doc.text}")
    for name, text in doc.extra.items():
        note(f"claims/{name}:\n{text}")
    with project(doc.files()) as root:
        out = root.parent / "site"
        first = run("--project", str(root), "build", "--out", str(out))
        assert first.code == 0 and "Traceback" not in first.err, f"a valid document fails:\n{first.err}"
        built = tree_bytes(out)
        second = run("--project", str(root), "build", "--out", str(out))
        assert second.code == 0, f"the second build fails:\n{second.err}"
        assert first.err == second.err, "the two builds warn differently"
        rebuilt = tree_bytes(out)
        assert built.keys() == rebuilt.keys(), f"the files differ: {sorted(built.keys() ^ rebuilt.keys())}"
        changed = sorted(path for path in built if built[path] != rebuilt[path])
        assert not changed, f"the second build changed {changed}"
        assert bad_lines(first.err) == [], bad_lines(first.err)
    for claim in published(doc):
        assert f"claims/{claim}/index.html" in built
    TALLY["valid"]["built twice, identical"] += 1


def published(doc: Document) -> list[str]:
    """Return the ids of the document's claims that are not drafts."""
    claims = [*doc.tree["claims"], *(c for items in doc.extra_trees.values() for c in items)]  # type: ignore[misc]
    return [c["id"].text for c in claims if isinstance(c, dict) and getattr(c.get("draft"), "text", "") != "true"]


def check_corrupted(doc: Document) -> None:
    """A broken document never crashes the build, and a check then reports the same."""
    TALLY["corrupted"]["examples"] += 1
    note(f"corruption: {doc.description}")
    note(f"claims.yaml:\n{doc.text!r}")
    with project(doc.files()) as root:
        first = run("--project", str(root), "build", "--out", str(root.parent / "site"))
        assert_no_crash(first, "corrupted", "build")
        second = run("--project", str(root), "check")
        assert_no_crash(second, "corrupted", "check")
        assert second.code == first.code, f"build exited {first.code}, check {second.code}"
        assert second.err == first.err, "build and check report different problems"
    TALLY["corrupted"]["exit 0" if first.code == 0 else "exit 1"] += 1


def check_raw(file_and_data: tuple[str, bytes]) -> None:
    """Any bytes as claims.yaml, or as claims/extra.yaml beside a valid claims.yaml: exit 0 or 1, readable
    problems, the same twice."""
    file, data = file_and_data
    TALLY["raw"]["examples"] += 1
    note(f"{file} bytes: {data!r}")
    files = {"claims.yaml": MINIMAL_CLAIMS.encode(), file: data}
    with project(files) as root:
        first = run("--project", str(root), "check")
        assert_no_crash(first, "raw", "check")
        second = run("--project", str(root), "check")
        assert (second.code, second.err) == (first.code, first.err), "two checks of the same file differ"
    TALLY["raw"]["exit 0" if first.code == 0 else "exit 1"] += 1


def run_property(prop: str, body: Callable[..., None], strategy: st.SearchStrategy[object]) -> None:
    """Run a property for its number of examples and print the tally, pass or fail."""
    started = time.monotonic()
    total, done = examples(prop), 0
    try:
        while done < total:  # make test: one run (a fixed seed would only repeat itself); make fuzz: batches
            batch = total - done if not FUZZ_TOTAL else min(BATCH, total - done)
            fuzz_settings(batch)(given(strategy)(body))()
            done += batch
    finally:
        report_tally(prop, started)


# `make fuzz` runs the properties on two workers (pytest-xdist, --dist loadgroup): the two slow ones apart.
@pytest.mark.xdist_group("valid")
def test_valid_documents_build_and_rebuild_identically() -> None:
    run_property("valid", check_valid, valid_documents())


@pytest.mark.xdist_group("corrupted")
def test_corrupted_documents_never_crash() -> None:
    run_property("corrupted", check_corrupted, corrupted_documents())


def test_any_bytes_never_crash() -> None:
    run_property("raw", check_raw, st.tuples(st.sampled_from(["claims.yaml", "claims/extra.yaml"]), random_bytes()))


# Sanity checks of the harness itself

def test_crash_signature_names_the_exception_and_the_innermost_factsite_frame() -> None:
    err = ('Traceback (most recent call last):\n  File "/x/factsite/commands/cli.py", line 9, in _main\n'
           '  File "/x/factsite/core/fields.py", line 344, in read\n    parts = urlsplit(text)\n'
           '  File "/usr/lib/python3.11/urllib/parse.py", line 497, in urlsplit\n'
           '    raise ValueError("Invalid IPv6 URL")\nValueError: Invalid IPv6 URL\n\n'
           "This is a bug in factsite, not in your files. Please report it with the text above.\n")
    assert crash_signature(err) == ("ValueError: Invalid IPv6 URL", "core/fields.py in read")


def test_the_problem_line_pattern() -> None:
    assert bad_lines("claims.yaml:42:14: error: unknown verdict 'x'. Known: a\n   42 |     verdict: x\n"
                     "      |              ^\n\n1 error, 0 warnings.\n") == []
    assert bad_lines("claims.yaml: error: file not found. Create it.\n") == []
    assert bad_lines("claims/more.yaml:3:1: warning: text is long\n") == []
    assert bad_lines("Traceback (most recent call last):\n") != []
    assert bad_lines("claims.yaml:4: error: no column\n") != []
    assert bad_lines("claims.yaml:1:1: error: a message\nover two lines\n") != []


@given(valid_documents())
@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_valid_documents_read_back_as_generated(doc: Document) -> None:
    """The emitter writes what the generator meant: claims.yaml parses to the tree's texts (untyped)."""
    import yaml

    def plain(tree: object) -> object:
        if isinstance(tree, dict):
            return {k: plain(v) for k, v in tree.items()}
        if isinstance(tree, list):
            return [plain(v) for v in tree]
        return tree.text  # type: ignore[attr-defined]

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    text = doc.text.removeprefix("\ufeff").replace("\r\n", "\n")
    assert yaml.load(text, Loader=loader) == plain(doc.tree)


# Crashes fuzzing found, each kept as its minimal document: a URL that urllib.parse.urlsplit refuses.

def check_text(text: str) -> Run:
    """Run `check` on a project whose claims.yaml is `text`."""
    with project({"claims.yaml": text.encode("utf-8")}) as root:
        return run("--project", str(root), "check")


def assert_reported_at(result: Run, place: str) -> None:
    """The run ends with exit 1 and readable problems, one of them at `place` (claims.yaml:LINE:COL)."""
    assert result.code == 1, f"exit code {result.code}\n{result.err}"
    assert "Traceback" not in result.err
    assert bad_lines(result.err) == []
    assert f"\n{place}: error: " in "\n" + result.err, result.err


def test_regression_url_that_urlsplit_refuses() -> None:
    assert_reported_at(check_text("article:\n  url: http://[\n"), "claims.yaml:2:8")


def test_regression_url_whose_host_nfkc_breaks() -> None:
    assert_reported_at(check_text("site:\n  base_url: http://\u2100/\n"), "claims.yaml:2:13")


def check_minimal(old: str, new: str) -> Run:
    """Run `check` on the tests' minimal project with one text of claims.yaml replaced."""
    assert MINIMAL_CLAIMS.count(old) == 1
    return check_text(MINIMAL_CLAIMS.replace(old, new))


@pytest.mark.xfail(strict=True, reason="a link in Markdown written as a double-quoted scalar with \\n escapes, or "
                   "as a folded (>) scalar, is placed by counting Markdown lines from the value's first line: the "
                   "line is wrong and the column left out (claims.yaml:61: error: link to 'claims/nowhere/' ...)")
@pytest.mark.parametrize(("explanation", "place"), [
    ('"The pound is exactly 0.45359237 kg.\\n\\nSee [x](claims/nowhere/)."', "claims.yaml:59:"),
    (">\n      The pound is exactly 0.45359237 kg.\n      See [x](claims/nowhere/).", "claims.yaml:61:"),
], ids=["double-quoted", "folded"])
def test_regression_link_in_a_quoted_or_folded_scalar(explanation: str, place: str) -> None:
    result = check_minimal("explanation: The pound is exactly 0.45359237 kg.", f"explanation: {explanation}")
    assert result.code == 1
    assert bad_lines(result.err) == []
    assert re.search(rf"^{place}[0-9]+: error: link to 'claims/nowhere/'", result.err, re.M), result.err


@pytest.mark.parametrize("text", [
    'article:\n  url: "http\\ns://example.org"\n',
    "article:\n  url: 'http\r\rs://example.org'\n",  # two carriage returns: a quoted scalar's empty line
    "article:\n  published: 'a\n\n  b'\n",
], ids=["escaped", "carriage-returns", "date"])
def test_regression_message_quoting_a_value_with_a_line_break(text: str) -> None:
    """A message quotes the value on one line, its line break written as \\n."""
    result = check_text(text)
    assert result.code == 1
    assert bad_lines(result.err) == []
    assert re.search(r"^claims\.yaml:[0-9]+:[0-9]+: error: .*'[^'\n]*\\n[^'\n]*'", result.err, re.M), result.err
