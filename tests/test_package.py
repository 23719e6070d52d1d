"""factsite is a real package: the wheel holds the engine and its data files, and installed alone into a fresh
virtualenv it starts a project and builds it.

Marked `package` (a wheel build and an install from PyPI, cached by pip): `make test` and CI run it,
`make test-fast` leaves it out. The sources are copied first, so the build leaves nothing in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from factsite import __version__

from support.project import REPO

pytestmark = pytest.mark.package

PACKAGE = REPO / "factsite"
DATA_FOLDERS = ("theme/templates", "theme/static", "theme/content", "site/fonts", "preview/client")
"""Folders of the package whose files are data, not code: each must be in the wheel whole."""


def run(command: Sequence[str | Path], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a command without the test run's virtualenv in its environment; fail with its output if it fails."""
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def data_files() -> list[str]:
    """Return the package's files that are not Python code, as paths in the wheel (factsite/...)."""
    return sorted(path.relative_to(REPO).as_posix() for path in PACKAGE.rglob("*")
                  if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
                  and not path.name.startswith("."))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the sources (pyproject.toml, README.md, factsite/)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(PACKAGE, source / "factsite", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "--quiet",
         "-w", dist, source], cwd=source)
    wheels = list(dist.glob("factsite-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the wheel, and its dependencies from the package index, into a fresh virtualenv; return its bin/."""
    folder = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", "--without-pip", folder], cwd=folder.parent)
    python = folder / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--disable-pip-version-check", "--quiet",
         wheel], cwd=folder.parent)
    return folder / "bin"


def test_the_wheel_holds_every_data_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = data_files()
    for folder in DATA_FOLDERS:
        assert any(name.startswith(f"factsite/{folder}/") for name in expected), f"factsite/{folder}/ is empty"
    assert [name for name in expected if name not in names] == [], "fix [tool.setuptools.package-data]"
    kinds = {name.rsplit(".", 1)[-1] for name in names if name.startswith("factsite/theme/")}
    assert {"html", "css", "js", "svg", "md"} <= kinds


def test_the_package_version_is_the_one_factsite_reports(wheel: Path) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    assert wheel.name.startswith(f"factsite-{__version__}-")


def test_the_installed_command_names_itself_and_its_version(venv: Path, tmp_path: Path) -> None:
    version = run([venv / "factsite", "--version"], cwd=tmp_path)
    assert version.stdout.strip() == f"factsite {__version__}"
    usage = run([venv / "factsite", "--help"], cwd=tmp_path)
    assert usage.stdout.startswith("usage: factsite")


def test_the_installed_package_has_its_theme(venv: Path, tmp_path: Path) -> None:
    script = ("import pathlib, factsite.core.names as n; t = n.THEME_DIR; "
              "print(t); print(*sorted(p.relative_to(t).as_posix() for p in t.rglob('*') if p.is_file()), sep='\\n')")
    found = run([venv / "python", "-c", script], cwd=tmp_path).stdout.split()
    theme, files = Path(found[0]), found[1:]
    assert not theme.is_relative_to(REPO), f"the theme is read from {theme}, not from the installed package"
    source = REPO / "factsite" / "theme"
    assert files == sorted(p.relative_to(source).as_posix() for p in source.rglob("*")
                           if p.is_file() and not p.name.startswith("."))


def test_the_installed_command_starts_and_builds_a_project(venv: Path, tmp_path: Path) -> None:
    run([venv / "factsite", "init", "x"], cwd=tmp_path)
    run([venv / "factsite", "build", "--project", "x"], cwd=tmp_path)
    site = tmp_path / "x" / "site"
    assert (site / "index.html").is_file()
    stylesheets = list((site / "static").glob("site.*.css"))
    assert len(stylesheets) == 1, "the theme's stylesheet, fingerprinted"
    theme = (REPO / "factsite" / "theme" / "static" / "site.css").read_bytes()
    assert stylesheets[0].read_bytes() == theme
    assert stylesheets[0].name in (site / "index.html").read_text(encoding="utf-8")
