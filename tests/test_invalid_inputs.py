"""Each folder of tests/invalid/ is a broken project: the build names every problem and leaves site/ alone.

A case folder holds the files that differ from the minimal valid project (see tests/support/project.py)
and `expected.yaml`: the exit code and, in file order, the start of every error line.
"""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the minimal valid project once; each case starts from a copy of its site/."""
    project = write_project(tmp_path_factory.mktemp("valid") / "project")
    result = run_process(["--project", str(project), "build", "--out", str(project / "site")])
    assert result.code == 0, result.err
    return project / "site"


def expectation(name: str) -> dict[str, Any]:
    return yaml.safe_load((CASES / name / "expected.yaml").read_text(encoding="utf-8"))


def broken_project(name: str, root: Path, valid_site: Path) -> Path:
    """Write the minimal project with the case's files over it, and a site/ built from the valid one."""
    folder = CASES / name
    files: dict[str, str | bytes | None] = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "expected.yaml"
    }
    files.update(dict.fromkeys(expectation(name).get("remove", [])))
    project = write_project(root, files)
    shutil.copytree(valid_site, project / "site")
    return project


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if HEADLINE.match(line)]


def assert_reported(name: str, result: Result) -> None:
    expected = expectation(name)
    assert result.code == expected["exit"], result.err
    assert "Traceback" not in result.err
    if expected["exit"] == 2:
        assert any(line.startswith(expected["errors"][0]) for line in result.err.splitlines()), result.err
        return
    lines = error_lines(result.err)
    assert len(lines) == len(expected["errors"]), result.err
    for line, start in zip(lines, expected["errors"], strict=True):
        assert line.startswith(start), f"\nexpected: {start}\nprinted:  {line}"
    count = sum(1 for line in expected["errors"] if ": error: " in line)
    assert f"{count} error{'s' * (count != 1)}, " in result.err


def test_there_are_enough_invalid_cases() -> None:
    assert len(CASE_NAMES) >= 20


@pytest.mark.parametrize("name", CASE_NAMES)
def test_invalid_project_is_reported_and_the_site_is_kept(
        name: str, tmp_path: Path, valid_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = broken_project(name, tmp_path / "project", valid_site)
    before = tree_bytes(project / "site")
    result = run_cli(["--project", str(project), "build", "--out", str(project / "site")], capsys)
    assert_reported(name, result)
    after = tree_bytes(project / "site")
    assert sorted(after) == sorted(before)
    assert after == before
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")], "staging folder left behind"


@pytest.mark.parametrize("name", ["unknown-verdict", "python-tag", "template-syntax-error", "missing-claims-file"])
def test_a_real_process_reports_without_a_traceback(name: str, tmp_path: Path, valid_site: Path) -> None:
    project = broken_project(name, tmp_path / "project", valid_site)
    before = tree_bytes(project / "site")
    result = run_process(["--project", str(project), "build", "--out", str(project / "site")])
    assert_reported(name, result)
    assert tree_bytes(project / "site") == before


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

