"""The command line: help for every command, exit codes, and the defaults a newcomer relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MakeProject, run_cli, run_process

from factsite import __version__

OPTIONS = {
    None: ["--version", "--project", "--quiet", "build", "check", "serve", "new"],
    "build": ["--out", "--drafts", "--strict", "--base-url", "--file-urls"],
    "check": ["--drafts", "--strict", "--base-url", "--article", "--format"],
    "serve": ["--host", "--port", "--open", "--drafts"],
    "new": ["claim", "id"],
}


@pytest.mark.parametrize("command", list(OPTIONS))
def test_help_of_every_command_mentions_its_options(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli([command, "--help"] if command else ["--help"], capsys)
    assert result.code == 0
    assert result.out.startswith("usage: build.py")
    for option in OPTIONS[command]:
        assert option in result.out, option


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["--version"], capsys)
    assert result.code == 0
    assert result.out.strip() == f"factsite {__version__}"


@pytest.mark.parametrize("args", [["publish"], ["build", "--outt", "x"], ["--nope"], ["check", "--format", "xml"],
                                  ["serve", "--port", "eighty"], ["new", "page", "x"], ["new", "claim"]])
def test_unusable_command_lines_exit_2_with_a_hint(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(args, capsys)
    assert result.code == 2
    assert "build.py" in result.err and "error:" in result.err
    assert "Traceback" not in result.err


def test_unknown_command_in_a_real_process() -> None:
    result = run_process(["publish"])
    assert result.code == 2
    assert "invalid choice: 'publish'" in result.err
    assert "Run 'build.py --help' for the options." in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("url", ["example.org/", "https://example.org", "ftp://example.org/", "/checks/"])
def test_bad_base_url_option_exits_2(make_project: MakeProject, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    result = run_cli(["--project", str(project), "build", "--out", str(project / "site"), "--base-url", url], capsys)
    assert result.code == 2
    assert f"--base-url '{url}' must be an absolute http(s) URL ending in /" in result.err
    assert not (project / "site").exists()


def test_base_url_option_changes_absolute_links_only(make_project: MakeProject,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    out = project / "site"
    result = run_cli(["--project", str(project), "build", "--out", str(out), "--base-url",
                      "https://user.github.io/repo/"], capsys)
    assert result.code == 0, result.err
    html = (out / "claims/seized-amount/index.html").read_text()
    assert '<link rel="canonical" href="https://user.github.io/repo/claims/seized-amount/">' in html
    assert "example.org/checks" not in html
    assert "https://user.github.io/repo/" in result.out


def test_no_command_builds_site_in_the_project_folder(make_project: MakeProject) -> None:
    project = make_project()
    result = run_process([], cwd=project)
    assert result.code == 0, result.err
    assert (project / "site" / "index.html").is_file()
    assert re.search(r"^Built \d+ pages \(\d+ files, \d+ changed\) into site/$", result.out, re.M)


def test_build_reports_and_check_writes_nothing(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    result = run_cli(["--project", str(project), "check"], capsys)
    assert result.code == 0, result.err
    assert result.out.startswith("OK: 2 claims, ")
    assert "2 checks: 2 hold." in result.out
    assert not (project / "site").exists()


def test_quiet_prints_nothing_on_success(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    result = run_cli(["--quiet", "--project", str(project), "build", "--out", str(project / "site")], capsys)
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("option", ["--quiet", "--project"])
def test_global_options_also_work_after_the_command(make_project: MakeProject, option: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    extra = ["--project", str(project)] if option == "--project" else ["--quiet"]
    prefix = [] if option == "--project" else ["--project", str(project)]
    result = run_cli([*prefix, "check", *extra], capsys)
    assert result.code == 0, result.err


def test_strict_turns_warnings_into_a_failure(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    long = "A claim that goes on and on about kilograms, pounds and the court in many words."
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", f"    claim: {long}")])
    relaxed = run_cli(["--project", str(project), "check"], capsys)
    assert relaxed.code == 0
    assert f"claims.yaml:48:12: warning: text is {len(long)} characters, more than 75" in relaxed.err
    strict = run_cli(["--project", str(project), "check", "--strict"], capsys)
    assert strict.code == 1
    assert f"claims.yaml:48:12: warning: text is {len(long)} characters" in strict.err


def test_check_article_finds_the_quotes(make_project: MakeProject, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    article = tmp_path / "article.txt"
    article.write_text("Police seized 11.9 kilograms (26.2 pounds) of fentanyl, officials said.\n\n"
                       "That is (26.2 pounds) in all.\n", encoding="utf-8")
    result = run_cli(["--project", str(project), "check", "--article", str(article)], capsys)
    assert result.code == 0, result.err
    assert "Quotes: 2 of 2 found in their stated paragraphs" in result.out


def test_a_bug_exits_3_with_the_traceback(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import factsite.site.pipeline

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(factsite.site.pipeline, "render_project", explode)
    result = run_cli(["--project", str(make_project()), "check"], capsys)
    assert result.code == 3
    assert "RuntimeError: boom" in result.err
    assert "This is a bug in factsite, not in your files." in result.err
