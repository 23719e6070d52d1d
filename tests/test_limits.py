"""Inputs built to exhaust time or memory are refused quickly, in bounded memory, with a located message.

The big inputs are made at test time in tmp_path. Each build runs in a fresh process that reports its own
peak memory (VmHWM: the process's high-water mark since it started, not its parent's), so the bounds below
are what a user's machine would see. They are generous: the point is that nothing grows with the input.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from factsite.commands.report import MAX_SHOWN, not_shown
from factsite.core.errors import EXCERPT_WIDTH, Location, Problem, excerpt_window, source_excerpt
from factsite.core.fields import MAX_DIGITS, MAX_TEXT, MAX_URL
from factsite.core.nodes import MAX_BYTES, MAX_DEPTH, MAX_LISTED, MAX_NODES

from support.project import MINIMAL_CLAIMS, REPO, write_project

SECONDS = 5.0
"""The longest a refusal may take, process start included."""
MEGABYTES = 200
"""The most memory a refusal may use."""

_RUNNER = """
import resource, sys
from factsite.commands.cli import main
code = main(sys.argv[1:], prog="build.py")
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"PEAK-KB {peak}", file=sys.stderr)
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    """What a `check` in its own process printed, and what it cost."""

    code: int
    err: str
    seconds: float
    megabytes: float

    @property
    def headlines(self) -> list[str]:
        return [line for line in self.err.splitlines() if re.match(r"^\S+?(:\d+){0,2}: (error|warning): ", line)]


def check(project: Path) -> Run:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER, "--project", str(project), "check"], cwd=REPO,
                          capture_output=True, text=True, check=False, timeout=120)
    seconds = time.perf_counter() - start
    peak = re.search(r"PEAK-KB (\d+)", done.stderr)
    assert peak, done.stderr[-2000:]
    return Run(done.returncode, done.stderr, seconds, int(peak.group(1)) / 1024)


def assert_refused(run: Run, *starts: str, seconds: float = SECONDS, megabytes: float = MEGABYTES) -> None:
    """The check failed with exit 1, no traceback, these headlines first, within the bounds."""
    assert run.code == 1, run.err[-3000:]
    assert "Traceback" not in run.err
    for line, start in zip(run.headlines, starts, strict=False):
        assert line.startswith(start), f"\nexpected: {start}\nprinted:  {line}"
    assert len(run.headlines) >= len(starts), run.err[-3000:]
    assert run.seconds < seconds, f"took {run.seconds:.1f} s"
    assert run.megabytes < megabytes, f"used {run.megabytes:.0f} MB"
    assert max(len(line) for line in run.err.splitlines()) < 2 * EXCERPT_WIDTH + 300, "a printed line is too long"


def project_with(tmp_path: Path, claims: str | bytes) -> Path:
    project = write_project(tmp_path / "project")
    data = claims.encode("utf-8") if isinstance(claims, str) else claims
    (project / "claims.yaml").write_bytes(data)
    return project


def patched(old: str, new: str) -> str:
    assert MINIMAL_CLAIMS.count(old) == 1
    return MINIMAL_CLAIMS.replace(old, new)


# --- size ---------------------------------------------------------------------------------------------

def test_a_50_mb_claims_file_is_refused_unread(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL_CLAIMS + "# " + "x" * (50 * 2**20) + "\n")
    run = check(project)
    assert_refused(run, "claims.yaml: error: file is 50.0 MB; at most 20 MB is read. Split the claims into")
    assert run.megabytes < 100, "the file was read"


def test_a_file_just_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path: Path) -> None:
    over = project_with(tmp_path / "over", MINIMAL_CLAIMS + "#" * (MAX_BYTES - len(MINIMAL_CLAIMS)) + "\n")
    assert_refused(check(over), "claims.yaml: error: file is 20.0 MB; at most 20 MB is read")
    at = project_with(tmp_path / "at", MINIMAL_CLAIMS + "#" * (MAX_BYTES - len(MINIMAL_CLAIMS) - 1) + "\n")
    run = check(at)
    assert run.code == 0, run.err[-2000:]


def test_a_content_page_over_the_limit_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    (project / "content" / "big.md").write_bytes(b"---\ntitle: Big\ndescription: Big.\n---\n" + b"x" * (21 * 2**20))
    assert_refused(check(project), "content/big.md: error: file is 21.0 MB; at most 20 MB is read")


def test_too_many_values_are_refused_at_the_limit(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL_CLAIMS + "".join(f"k{n}: v\n" for n in range(1_000_000)))
    run = check(project)
    assert_refused(run)
    assert any(f"error: file holds more than {MAX_NODES:,} values" in line for line in run.headlines), run.err[-2000:]


def test_thousands_of_errors_print_a_bounded_report(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL_CLAIMS + "".join(f"k{n}: v\n" for n in range(40_000)))
    run = check(project)
    assert_refused(run, "claims.yaml:85:1: error: unknown key 'k0'")
    assert len(run.headlines) == MAX_SHOWN
    rest = f"{40_000 - MAX_SHOWN:,}"
    assert (f"... {rest} more problems not shown ({40_000 - MAX_SHOWN} errors, 0 warnings: {rest} × error: "
            "unknown key '…'). "
            "Fix the first ones and run again, or see them all with 'check --format json'.") in run.err
    assert "40000 errors, 0 warnings." in run.err


def test_the_problems_not_shown_are_counted_by_kind() -> None:
    shown = [Problem(Location("claims.yaml", n, 1), "missing required key 'claim'") for n in range(1, MAX_SHOWN + 1)]
    rest = [Problem(Location("claims.yaml", 200 + n, 1), f"unknown verdict 'v{n}'") for n in range(3)]
    rest += [Problem(Location("claims.yaml", 300 + n, 1), f"check {n} of 12 fails", severity="warning")
             for n in range(2)]
    rest += [Problem(Location("claims.yaml", 400 + n, 1), f"message {chr(97 + n)} kind") for n in range(5)]
    line = not_shown(shown + rest)
    assert line.startswith("... 10 more problems not shown (8 errors, 2 warnings: 3 × error: unknown verdict '…'; "
                           "2 × warning: check N of N fails; 1 × error: message a kind; ")
    assert "; 2 of 2 other kinds). Fix the first ones" in line


# --- one huge value -----------------------------------------------------------------------------------

def test_a_1_mb_line_of_text_is_refused_and_its_line_cut(tmp_path: Path) -> None:
    project = project_with(tmp_path, patched("title: Test fact-check", "title: " + "x" * 2**20))
    run = check(project)
    assert_refused(run, "claims.yaml:3:10: error: text is 1,048,576 characters, more than 300. Shorten it.")
    lines = run.err.splitlines()
    assert lines[1] == "    3 |   title: " + "x" * (EXCERPT_WIDTH - 9) + "…"
    assert lines[2] == "      |          ^"


def test_a_1_mb_explanation_is_refused(tmp_path: Path) -> None:
    project = project_with(tmp_path, patched("explanation: The pound is exactly 0.45359237 kg.",
                                             "explanation: " + "word " * (2**20 // 5)))
    assert_refused(check(project), f"claims.yaml:59:18: error: text is 1,048,574 characters, more than {MAX_TEXT:,}")


def test_a_1_mb_url_is_refused(tmp_path: Path) -> None:
    project = project_with(tmp_path, patched("url: https://court.example.com/statement",
                                             "url: https://court.example.com/" + "a" * 2**20))
    assert_refused(check(project), f"claims.yaml:42:14: error: URL is 1,048,602 characters, more than {MAX_URL:,}")


@pytest.mark.parametrize(("old", "digits", "where"), [
    ("        stated: 26.2", 10_000, "65:17"),      # a Decimal
    ("paragraph: 2", 5_000, "55:16"),              # a whole number: Python's int() stops at 4300 digits
], ids=["decimal", "whole-number"])
def test_a_number_of_thousands_of_digits_is_refused(tmp_path: Path, old: str, digits: int, where: str) -> None:
    project = project_with(tmp_path, patched(old, old.split(":")[0] + ": " + "9" * digits))
    assert_refused(check(project), f"claims.yaml:{where}: error: number has {digits} digits; at most {MAX_DIGITS}")


# --- structure ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("nesting", [
    "[" * 10_000 + "x" + "]" * 10_000,
    "{" + "a: {" * 10_000 + "}" * 10_001,
    "\n" + "".join("  " * depth + "-\n" for depth in range(3, 3_000)),
], ids=["lists", "mappings", "block-lists"])
def test_nesting_10_000_deep_is_refused_without_recursion(tmp_path: Path, nesting: str) -> None:
    project = project_with(tmp_path, patched("    tags: [units, seizure]", "    tags: " + nesting))
    run = check(project)
    assert_refused(run)
    assert any(f"error: nesting deeper than {MAX_DEPTH} levels" in line for line in run.headlines), run.err[-2000:]
    assert "RecursionError" not in run.err


def test_an_alias_bomb_is_refused_before_any_expansion(tmp_path: Path) -> None:
    bomb = ['lol: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]  # 9^11 strings if expanded
    run = check(project_with(tmp_path, MINIMAL_CLAIMS + "\n".join(bomb) + "\n"))
    assert_refused(run, "claims.yaml:85:1: error: unknown key 'lol'",
                   "claims.yaml:85:6: error: anchors and aliases (&a0) are not supported", megabytes=100)
    refused = [line for line in run.headlines if "alias" in line]
    assert len(refused) == MAX_LISTED + 1
    assert "more anchors, aliases or tags, from here on" in refused[-1]


def test_a_million_aliases_are_refused_quickly(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL_CLAIMS + "x: &a 1\n" + "y: [" + ", ".join(["*a"] * 1_000_000) + "]\n")
    run = check(project)
    assert_refused(run)
    assert len(run.headlines) < 20, run.err[-2000:]


# --- characters and bytes -----------------------------------------------------------------------------

def test_a_megabyte_of_nul_characters_lists_the_first_ones(tmp_path: Path) -> None:
    run = check(project_with(tmp_path, patched("title: Test fact-check", "title: " + "\0" * 2**20)))
    starts = [f"claims.yaml:3:{column}: error: control character U+0000 (NUL) is not allowed"
              for column in range(10, 10 + MAX_LISTED)]
    assert_refused(run, *starts, f"claims.yaml:3:{10 + MAX_LISTED}: error: more characters that are not allowed")
    assert len(run.headlines) == MAX_LISTED + 1
    assert "\0" not in run.err


def test_a_megabyte_of_bad_bytes_lists_the_first_ones(tmp_path: Path) -> None:
    data = patched("title: Test fact-check", "title: XX").encode().replace(b"XX", b"\xffa" * 2**19)
    run = check(project_with(tmp_path, data))
    assert_refused(run, "claims.yaml:3:10: error: file is not valid UTF-8 (byte 0xff)",
                   "claims.yaml:3:12: error: file is not valid UTF-8 (byte 0xff)")
    assert len(run.headlines) == MAX_LISTED + 1
    assert "more bytes that are not valid UTF-8, from here on" in run.headlines[-1]


def test_escaped_control_characters_in_many_values_list_the_first_ones(tmp_path: Path) -> None:
    values = "".join(f'k{n}: "bell\\a"\n' for n in range(10_000))
    run = check(project_with(tmp_path, MINIMAL_CLAIMS + values))
    assert_refused(run, "claims.yaml:85:1: error: unknown key 'k0'")
    bells = [line for line in run.headlines if "U+0007" in line or "control characters, from here" in line]
    assert len(bells) == MAX_LISTED + 1


# --- messages stay readable ---------------------------------------------------------------------------

def test_a_short_line_is_shown_whole() -> None:
    assert excerpt_window("  title: x", 10) == ("  title: x", 10)


@pytest.mark.parametrize("column", [1, 50, 51, 52, 500, 999_950, 1_000_000])
def test_a_long_line_is_cut_around_the_column_with_the_caret_under_it(column: int) -> None:
    line = "".join(chr(ord("a") + n % 26) for n in range(1_000_000))
    text, caret = excerpt_window(line, column)
    assert len(text) <= EXCERPT_WIDTH + 2
    assert text[caret - 1] == line[column - 1]
    assert text.startswith("…") == (column > EXCERPT_WIDTH // 2 + 1)
    assert text.endswith("…") == (column <= len(line) - EXCERPT_WIDTH // 2)


def test_invisible_characters_are_shown_as_replacement_characters_in_place() -> None:
    text, caret = excerpt_window("id: a\u202eb\x1b[2Jc\td", 12)
    assert text == "id: a\ufffdb\ufffd[2Jc d"
    assert text[caret - 1] == "c"


def test_the_excerpt_of_a_huge_one_line_file_is_cut(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("title: " + "é" * 2**20 + "\n", encoding="utf-8")
    excerpt = source_excerpt(tmp_path, Location("claims.yaml", 1, 2**19))
    first, second = excerpt.splitlines()
    assert first.startswith("    1 | …é") and first.endswith("é…")
    assert len(first) <= EXCERPT_WIDTH + 10
    assert second.index("^") < len(first)
