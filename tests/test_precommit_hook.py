"""The pre-commit hook a desk's repository can use: `factsite check` when the project's files change."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
import yaml

from factsite.commands.cli import make_parser

from support.project import REPO, MakeProject, run_process

HOOKS = REPO / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict[str, object]:
    """Return the factsite-check hook."""
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    found = [entry for entry in hooks if entry.get("id") == "factsite-check"]
    assert len(found) == 1, "the factsite-check hook is defined once"
    return found[0]


def test_the_hook_runs_factsite_check_once_as_a_python_package(hook: dict[str, object]) -> None:
    assert {"id", "name", "entry", "language"} <= set(hook), "pre-commit requires id, name, entry and language"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    command, *args = shlex.split(str(hook["entry"]))
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert command in scripts, "the entry is a console script the package installs"
    assert args == ["check"]
    parsed = make_parser("factsite").parse_args([*args, "--project", "desk"])
    assert parsed.command == "check"


@pytest.mark.parametrize(("path", "runs"), [
    ("claims.yaml", True), ("claims/more.yaml", True), ("content/about.md", True),
    ("README.md", False), ("claims.yaml.bak", False), ("claims/sub/x.yaml", False), ("content/img/a.md", False),
    ("docs/claims.yaml", False), ("content/about.txt", False),
])
def test_the_hook_runs_when_the_projects_files_change(hook: dict[str, object], path: str, runs: bool) -> None:
    assert bool(re.search(str(hook["files"]), path)) is runs


def test_the_hooks_command_fails_on_a_broken_project_and_passes_a_good_one(make_project: MakeProject) -> None:
    good = make_project()
    assert run_process(["check"], cwd=good).code == 0
    broken = make_project(replace=[("    verdict: accurate\n    summary: The court",
                                    "    verdict: acurate\n    summary: The court")])
    result = run_process(["check"], cwd=broken)
    assert result.code == 1
    assert "claims.yaml:24:14: error: unknown verdict 'acurate'" in result.err


def test_the_readme_shows_how_to_use_the_hook(hook: dict[str, object]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"- id: {hook['id']}" in readme
    assert ".pre-commit-config.yaml" in readme
