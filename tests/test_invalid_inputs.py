"""Each folder of tests/invalid/ is a broken project: the build names every problem and leaves site/ alone.

A case folder holds `expected.yaml`: a comment saying what the case proves, the exit code and, in file order,
the start of every error line (`{project}` stands for the project folder). The project is the minimal valid
one (see tests/support/project.py) with, over it, the case's other files, as they are, and what its
`patch.yaml` says, so that most cases are a few lines that survive changes to the minimal project:

    replace:            # text replacements in the minimal claims.yaml; each old text must occur once
      - ["verdict: accurate\n    summary: The court", "verdict: acurate\n    summary: The court"]
    encoding: utf-16    # how claims.yaml is saved (default utf-8; latin-1 makes an é an invalid byte)
    files:              # further files, or (null) files removed
      content/extra.md: "..."
    outside:            # files in a folder beside the project's, for links to point at
      secret.txt: "..."
    symlinks:           # symbolic links made at test time: link -> target as the link holds it
      static/leak.txt: ../../outside/secret.txt
    args: [--out, content]   # the build's options (default: --out site)

Control characters go in double-quoted YAML strings ("\x07"); a raw escape for claims.yaml in single quotes.
Nothing of the project may change, whatever the build is asked to do: not site/, not any other file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.project import Result, run_cli, run_process, tree_bytes, write_project

CASES = Path(__file__).parent / "invalid"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
HEADLINE = re.compile(r"^\S+?(:\d+){0,2}: (error|warning): ")
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a report may never print as it is: it could move the cursor, recolour or reorder the terminal."""


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal valid project once; each case starts from a copy of its site/."""
    project = write_project(tmp_path_factory.mktemp("valid") / "project")
    result = run_process(["--project", str(project), "build", "--out", str(project / "site")])
    assert result.code == 0, result.err
    return project / "site"


CASE_FILES = ("expected.yaml", "patch.yaml")


def expectation(name: str) -> dict[str, Any]:
    return yaml.safe_load((CASES / name / "expected.yaml").read_text(encoding="utf-8"))


def patch(name: str) -> dict[str, Any]:
    path = CASES / name / "patch.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.is_file() else {}


def broken_project(name: str, root: Path, valid_site: Path) -> Path:
    """Write the minimal project with the case's files and patch over it, and a site/ built from the valid one."""
    folder = CASES / name
    changes = patch(name)
    files: dict[str, str | bytes | None] = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder).as_posix() not in CASE_FILES
    }
    files.update(dict.fromkeys(expectation(name).get("remove", [])))
    files.update(changes.get("files") or {})
    project = write_project(root, files, replace=[tuple(pair) for pair in changes.get("replace") or ()])
    if "encoding" in changes:
        claims = project / "claims.yaml"
        claims.write_bytes(claims.read_text(encoding="utf-8").encode(changes["encoding"]))
    for relative, text in (changes.get("outside") or {}).items():
        (root.parent / "outside" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root.parent / "outside" / relative).write_text(text, encoding="utf-8")
    for link, target in (changes.get("symlinks") or {}).items():
        (project / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, project / link)
    shutil.copytree(valid_site, project / "site")
    return project


def build_args(name: str, project: Path) -> list[str]:
    """Return the case's command line: `build` with its options (--out site unless patch.yaml says)."""
    return ["--project", str(project), "build", *(patch(name).get("args") or ["--out", str(project / "site")])]


def project_files(project: Path) -> dict[str, bytes]:
    """Return every file of the project but factsite's cache (a failed build may keep the share images it made)."""
    return {path: data for path, data in tree_bytes(project).items() if not path.startswith(".factsite/cache/")}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if HEADLINE.match(line)]


def assert_reported(name: str, result: Result, project: Path | None = None) -> None:
    expected = expectation(name)
    starts = [start.replace("{project}", str(project)) for start in expected["errors"]]
    assert result.code == expected["exit"], result.err
    assert "Traceback" not in result.err
    assert not TERMINAL_CONTROLS.search(result.err), "a control character reached the terminal"
    if expected["exit"] == 2:
        assert any(line.startswith(starts[0]) for line in result.err.splitlines()), result.err
        return
    lines = error_lines(result.err)
    assert len(lines) == len(expected["errors"]), result.err
    for line, start in zip(lines, starts, strict=True):
        assert line.startswith(start), f"\nexpected: {start}\nprinted:  {line}"
    count = sum(1 for line in expected["errors"] if ": error: " in line)
    assert f"{count} error{'s' * (count != 1)}, " in result.err


def test_there_are_enough_invalid_cases() -> None:
    assert len(CASE_NAMES) >= 60


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_case_says_what_it_proves(name: str) -> None:
    first = (CASES / name / "expected.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 10, f"{name}/expected.yaml starts with no comment"
    assert set(expectation(name)) <= {"exit", "errors", "remove"}
    assert set(patch(name)) <= {"replace", "encoding", "files", "outside", "symlinks", "args"}


@pytest.mark.parametrize("name", CASE_NAMES)
def test_invalid_project_is_reported_and_the_site_is_kept(
        name: str, tmp_path: Path, valid_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = broken_project(name, tmp_path / "project", valid_site)
    before = tree_bytes(project / "site")
    everything = project_files(project)
    result = run_cli(build_args(name, project), capsys)
    assert_reported(name, result, project)
    after = tree_bytes(project / "site")
    assert sorted(after) == sorted(before)
    assert after == before
    assert project_files(project) == everything, "a file of the project changed"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")], "staging folder left behind"


@pytest.mark.parametrize("name", ["unknown-verdict", "python-tag", "template-syntax-error", "missing-claims-file"])
def test_a_real_process_reports_without_a_traceback(name: str, tmp_path: Path, valid_site: Path) -> None:
    project = broken_project(name, tmp_path / "project", valid_site)
    before = tree_bytes(project / "site")
    result = run_process(build_args(name, project))
    assert_reported(name, result, project)
    assert tree_bytes(project / "site") == before


def test_a_utf8_bom_is_read_past(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    claims = project / "claims.yaml"
    claims.write_bytes(b"\xef\xbb\xbf" + claims.read_bytes())
    result = run_cli(["--project", str(project), "check"], capsys)
    assert result.code == 0, result.err


def test_project_option_after_the_command(tmp_path: Path, valid_site: Path) -> None:
    project = broken_project("unknown-verdict", tmp_path / "project", valid_site)
    result = run_process(["build", "--project", str(project), "--out", str(project / "site")])
    assert_reported("unknown-verdict", result)


def test_located_errors_show_the_source_line_and_a_caret(
        tmp_path: Path, valid_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = broken_project("unknown-verdict", tmp_path / "project", valid_site)
    result = run_cli(["--project", str(project), "check"], capsys)
    lines = result.err.splitlines()
    assert lines[0].startswith("claims.yaml:24:14: error: unknown verdict 'acurate'")
    assert lines[1] == "   24 |     verdict: acurate"
    assert lines[2] == "      |              ^"


def test_check_format_json_gives_every_problem_as_data(
        tmp_path: Path, valid_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = broken_project("several-problems", tmp_path / "project", valid_site)
    result = run_cli(["--project", str(project), "check", "--format", "json"], capsys)
    assert result.code == 1
    problems = json.loads(result.out)["problems"]
    assert len(problems) == 6
    assert problems[0] == {
        "path": "claims.yaml", "line": 20, "column": 12, "severity": "error",
        "message": "expected text, found a list", "hint": "Write a single value here.",
    }
    assert {(p["line"], p["column"]) for p in problems} >= {(26, 5), (46, 15), (48, 5), (55, 5), (68, 12)}


def test_check_format_json_of_a_valid_project_lists_no_problems(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    result = run_cli(["--project", str(project), "check", "--format", "json"], capsys)
    assert result.code == 0
    assert json.loads(result.out) == {"problems": []}

