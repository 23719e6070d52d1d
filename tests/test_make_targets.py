"""The make targets work on any project folder: `make site|serve|check|clean PROJECT=dir`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.project import REPO, RICH

SEED_ARTICLE = REPO.parent / "shared" / "seed" / "article.txt"


def make(*args: str, dry: bool = True) -> subprocess.CompletedProcess[str]:
    """Run make in the repository, never reinstalling .venv (-o); with `dry`, only print the commands."""
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", *(["-n"] if dry else []), *args]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def command_words(*args: str) -> list[str]:
    """Return the words of the one build.py command a dry run of the target prints."""
    lines = [line for line in make(*args).stdout.splitlines() if "build.py" in line]
    assert len(lines) == 1, lines
    return lines[0].split()


@pytest.mark.parametrize("target", ["site", "serve", "check"])
def test_the_repository_project_is_the_default(target: str) -> None:
    words = command_words(target)
    assert words[:3] == [".venv/bin/python", "build.py", "build" if target == "site" else target]
    assert "--project" not in words


@pytest.mark.parametrize("target", ["site", "serve", "check"])
def test_project_names_another_folder(target: str) -> None:
    words = command_words(target, "PROJECT=../elsewhere")
    assert words[2] == ("build" if target == "site" else target)
    assert words[3:5] == ["--project", "../elsewhere"]


def test_site_takes_project_and_base_url_together() -> None:
    words = command_words("site", "PROJECT=../elsewhere", "BASE_URL=https://example.test/sub/")
    assert words[2:] == ["build", "--project", "../elsewhere", "--base-url", "https://example.test/sub/"]


def test_check_verifies_quotes_only_against_an_article_that_exists(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(RICH, project)
    assert command_words("check", f"PROJECT={project}")[-2:] == ["--article", f"{project}/article.txt"]
    (project / "article.txt").unlink()
    assert "--article" not in command_words("check", f"PROJECT={project}")
    assert "--article" not in command_words("check", f"ARTICLE={tmp_path}/missing.txt")
    given = tmp_path / "given.txt"
    given.write_text("Text.\n", encoding="utf-8")
    assert command_words("check", f"ARTICLE={given}")[-2:] == ["--article", str(given)]


def test_check_of_the_repository_uses_the_article_beside_it_when_there() -> None:
    words = command_words("check")
    assert ("--article" in words) == SEED_ARTICLE.is_file()
    if SEED_ARTICLE.is_file():
        assert words[-2:] == ["--article", "../shared/seed/article.txt"]


def test_check_runs_on_a_project_folder_and_its_article() -> None:
    result = make("check", f"PROJECT={RICH.relative_to(REPO)}", dry=False)
    assert "OK: 8 claims" in result.stdout
    assert "Quotes: 8 of 8 found in their stated paragraphs" in result.stdout


def test_clean_removes_only_the_projects_output_and_state() -> None:
    assert [line for line in make("clean", "PROJECT=../elsewhere").stdout.splitlines() if line.startswith("rm")] == [
        "rm -rf ../elsewhere/site ../elsewhere/.factsite"]


def test_the_linter_reads_every_python_file_of_the_package_and_none_of_the_built_site() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.is_file():
        pytest.skip("ruff is not installed beside this Python")
    shown = subprocess.run([str(ruff), "check", "--show-files", "."], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout
    linted = {Path(line.strip()).resolve() for line in shown.splitlines() if line.strip().endswith(".py")}
    package = {path.resolve() for path in (REPO / "factsite").rglob("*.py")}
    assert package - linted == set(), "`make lint` must not leave out package files (a folder named site, say)"
