"""`check --format github`: every problem as a GitHub Actions annotation at its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsite.commands.report import escape_data, escape_property, github_annotation
from factsite.core.errors import Location, Problem

from support.project import MakeProject, run_cli, run_process

UNKNOWN_VERDICT = ("    verdict: accurate\n    summary: The court", "    verdict: acurate\n    summary: The court")
LONG = "A claim that goes on and on about kilograms, pounds and the court in many words."
LONG_CLAIM = ("    claim: 11.9 kg is 26.2 pounds.", f"    claim: {LONG}")
VERDICT_MESSAGE = ("unknown verdict 'acurate'. Did you mean 'accurate'? Known verdicts: accurate, mostly-accurate, "
                   "needs-context, misleading, inaccurate, unverifiable, opinion.")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path, as a checkout's root, with GITHUB_WORKSPACE unset."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_messages_escape_percent_and_line_breaks() -> None:
    assert escape_data("100% sure\r\nsecond line: a, b") == "100%25 sure%0D%0Asecond line: a, b"


def test_properties_also_escape_colons_and_commas() -> None:
    assert escape_property("C:/desk/a,b 100%\n") == "C%3A/desk/a%2Cb 100%25%0A"


def test_an_annotation_names_file_line_column_and_title(tmp_path: Path) -> None:
    problem = Problem(Location("claims/a,b.yaml", 42, 14), "50% off:\nsee below", "Fix it, then rebuild.")
    line = github_annotation(tmp_path / "desk", problem, tmp_path)
    assert line == ("::error file=desk/claims/a%2Cb.yaml,line=42,col=14,title=factsite::"
                    "50%25 off:%0Asee below. Fix it, then rebuild.")


def test_a_warning_without_a_column_or_line_leaves_them_out(tmp_path: Path) -> None:
    no_column = Problem(Location("content/about.md", 3), "odd heading.", "Use ## for sections.", "warning")
    assert github_annotation(tmp_path, no_column, tmp_path) == (
        "::warning file=content/about.md,line=3,title=factsite::odd heading. Use ## for sections.")
    no_line = Problem(Location("claims.yaml"), "file not found")
    assert github_annotation(tmp_path, no_line, tmp_path) == "::error file=claims.yaml,title=factsite::file not found"


def test_a_project_outside_the_workspace_gets_its_absolute_path(tmp_path: Path) -> None:
    problem = Problem(Location("claims.yaml", 1, 1), "bad")
    line = github_annotation(tmp_path / "elsewhere", problem, tmp_path / "checkout")
    assert line.startswith(f"::error file={escape_property((tmp_path / 'elsewhere' / 'claims.yaml').as_posix())},")


def test_check_annotates_errors_and_warnings_relative_to_the_current_folder(
        workspace: Path, make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[UNKNOWN_VERDICT, LONG_CLAIM])
    folder = project.relative_to(workspace).as_posix()
    result = run_cli(["--project", folder, "check", "--format", "github"], capsys)
    assert result.code == 1
    error, warning = result.out.splitlines()
    assert error == f"::error file={folder}/claims.yaml,line=24,col=14,title=factsite::{VERDICT_MESSAGE}"
    assert warning.startswith(f"::warning file={folder}/claims.yaml,line=53,col=12,title=factsite::"
                              f"text is {len(LONG)} characters, more than 75. ")
    assert result.err.strip() == "1 error, 1 warning."


def test_github_workspace_sets_the_folder_paths_are_relative_to(
        workspace: Path, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[UNKNOWN_VERDICT])
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace.parent))
    result = run_cli(["--project", str(project), "check", "--format", "github"], capsys)
    assert result.code == 1
    relative = project.relative_to(workspace.parent).as_posix()
    assert result.out.startswith(f"::error file={relative}/claims.yaml,line=24,col=14,title=factsite::")


def test_a_real_process_in_a_workflow_prints_annotations(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project(replace=[UNKNOWN_VERDICT])
    result = run_process(["--project", project.name, "check", "--format", "github"], cwd=tmp_path,
                         env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert result.code == 1
    assert result.out == f"::error file={project.name}/claims.yaml,line=24,col=14,title=factsite::{VERDICT_MESSAGE}\n"
    assert "Traceback" not in result.err


def test_a_clean_project_prints_no_annotation(workspace: Path, make_project: MakeProject,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["--project", str(make_project()), "check", "--format", "github"], capsys)
    assert result.code == 0, result.err
    assert "::" not in result.out + result.err


def test_a_passing_check_annotates_its_warnings(workspace: Path, make_project: MakeProject,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(replace=[LONG_CLAIM])
    result = run_cli(["--project", str(project), "check", "--format", "github"], capsys)
    assert result.code == 0
    assert any(line.startswith("::warning file=") for line in result.out.splitlines())
