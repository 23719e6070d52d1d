"""What `build` keeps between runs is trusted only while it is provably still true, and is never code
that could run: an unchanged project is not rebuilt, a site changed by hand is repaired, a cache sealed
by someone else is ignored."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from factsite.core import sealed
from factsite.core.names import TEMPLATE_CACHE_DIR, THEME_DIR
from factsite.site import buildstate

from support.project import MakeProject, Result, tree_bytes

Build = Callable[..., Result]
COURT_DATE = "        published: 2019-11-08\n      - title: Agency report"


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give each test its own sealing key: some of them replace it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def cache_files(project: Path) -> list[Path]:
    return sorted((project / buildstate.STATE_DIR).rglob("*.*"))


def test_an_unchanged_project_is_not_built_again(make_project: MakeProject, build: Build) -> None:
    project = make_project()
    first = build(project)
    assert first.code == 0 and first.out.startswith("Built "), first.err
    site = project / "site"
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*")}
    again = build(project)
    assert again.code == 0
    assert again.out.startswith("Up to date: nothing changed since the last build"), again.out
    assert {path: path.stat().st_mtime_ns for path in site.rglob("*")} == before


def test_an_up_to_date_build_reports_its_warnings_again_and_strict_fails_on_them(
        make_project: MakeProject, build: Build) -> None:
    project = make_project(replace=[(COURT_DATE, "      - title: Agency report")])
    first = build(project)
    assert first.code == 0 and ": warning: " in first.err
    again = build(project)
    assert again.out.startswith("Up to date") and again.err == first.err
    strict = build(project, "--strict")
    assert strict.code == 1 and ": warning: " in strict.err


def test_a_site_changed_by_hand_is_built_again(make_project: MakeProject, build: Build) -> None:
    project = make_project()
    assert build(project).code == 0
    site = project / "site"
    built = tree_bytes(site)
    page = site / "claims" / "seized-amount" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"11.9", b"99.9"))  # the same size, a new modification time
    (site / "extra.html").write_text("not factsite's")
    result = build(project)
    assert result.out.startswith("Built ") and "1 changed)" in result.out, result.out
    assert tree_bytes(site) == built


def test_a_page_changed_by_hand_is_rendered_again_even_when_its_inputs_are_unchanged(
        make_project: MakeProject, build: Build) -> None:
    project = make_project()
    assert build(project).code == 0
    site = project / "site"
    page = site / "claims" / "seized-amount" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"11.9", b"99.9"))
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 2),
                      encoding="utf-8")
    assert build(project).code == 0
    clean = make_project({"claims.yaml": claims.read_text(encoding="utf-8")})
    assert build(clean).code == 0
    assert tree_bytes(site) == tree_bytes(clean / "site")
    assert b"99.9" not in page.read_bytes()


def test_clean_renders_everything_and_writes_the_same_site(make_project: MakeProject, build: Build) -> None:
    project = make_project()
    assert build(project).code == 0
    built = tree_bytes(project / "site")
    result = build(project, "--clean")
    assert result.code == 0 and result.out.startswith("Built "), result.out
    assert tree_bytes(project / "site") == built


def test_another_version_of_factsite_starts_from_nothing(make_project: MakeProject, build: Build,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    assert build(project).code == 0
    old = {path.parent.name for path in cache_files(project)}
    monkeypatch.setattr(buildstate, "code_digest", lambda: "0123456789abcdef" * 4)
    result = build(project)
    assert result.out.startswith("Built "), result.out
    assert {path.parent.name for path in cache_files(project)} == {"0123456789abcdef"}, old


def test_a_cache_sealed_with_another_key_is_never_read(make_project: MakeProject, build: Build,
                                                       tmp_path: Path) -> None:
    project = make_project()
    assert build(project).code == 0
    sealed.key_path().write_bytes(b"k" * 32)  # as if another user had sealed the files
    result = build(project)
    assert result.out.startswith("Built "), result.out


class _Planted:
    """A value whose unpickling would create a file: what a hostile cache would hold."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.target),))


def test_a_planted_cache_runs_no_code(make_project: MakeProject, build: Build, tmp_path: Path) -> None:
    project = make_project()
    assert build(project).code == 0
    evidence = tmp_path / "code-ran"
    payload = pickle.dumps(_Planted(evidence))
    for path in cache_files(project):  # a forged seal, and no seal at all
        path.write_bytes(sealed.SEAL + b"\0" * 32 + payload)
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(project).code == 0
    for path in cache_files(project):
        path.write_bytes(payload)
    claims.write_text(claims.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(project).code == 0
    assert not evidence.exists()


def test_the_sealing_key_is_readable_by_its_owner_alone(make_project: MakeProject, build: Build) -> None:
    assert build(make_project()).code == 0
    assert sealed.key_path().stat().st_mode & 0o777 == 0o600
    sealed.key_path().chmod(0o644)  # a key others can read seals nothing: it is not used
    assert sealed.load(sealed.key_path()) is None
    assert not sealed.store(sealed.key_path().with_name("x"), 1)


def test_compiled_templates_are_kept_sealed_and_a_planted_one_runs_no_code(
        make_project: MakeProject, build: Build, tmp_path: Path) -> None:
    project = make_project()
    assert build(project, "--clean").code == 0
    compiled = sorted((project / TEMPLATE_CACHE_DIR).glob("*.cache"))
    assert compiled, "the templates a build compiled are kept"
    assert all(path.read_bytes().startswith(sealed.SEAL) for path in compiled)
    built = tree_bytes(project / "site")
    evidence = tmp_path / "code-ran"
    for path in compiled:
        path.write_bytes(sealed.SEAL + b"\0" * 32 + pickle.dumps(_Planted(evidence)))
    assert build(project, "--clean").code == 0
    assert not evidence.exists()
    assert tree_bytes(project / "site") == built


def test_an_edited_template_is_compiled_again(make_project: MakeProject, build: Build) -> None:
    project = make_project()
    assert build(project).code == 0
    theme = (THEME_DIR / "templates" / "404.html").read_text(encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text(theme.replace("</ul>", "</ul><p>First.</p>"), encoding="utf-8")
    assert build(project).code == 0
    (project / "templates" / "404.html").write_text(theme.replace("</ul>", "</ul><p>Second.</p>"),
                                                    encoding="utf-8")
    assert build(project).code == 0
    page = (project / "site" / "404.html").read_text(encoding="utf-8")
    assert "Second." in page and "First." not in page
