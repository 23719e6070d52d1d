"""The command line: help for every command, exit codes, and the defaults a newcomer relies on."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from factsite import __version__
from factsite.commands.cli import main
from factsite.core.errors import BuildFailed

from support.project import REPO, MakeProject, Result, run_cli, run_process

OPTIONS = {
    None: ["--version", "--project", "--quiet", "build", "check", "links", "serve", "new"],
    "build": ["--out", "--drafts", "--strict", "--base-url", "--file-urls"],
    "check": ["--drafts", "--strict", "--base-url", "--article", "--format"],
    "serve": ["--host", "--port", "--open", "--drafts"],
    "links": ["--timeout", "--max-age", "--no-cache", "--strict", "--format"],
    "new": ["claim", "id"],
}


def run_module(args: list[str]) -> Result:
    """Run `python -m factsite ARGS` as a real process."""
    completed = subprocess.run([sys.executable, "-m", "factsite", *args], cwd=REPO, capture_output=True, text=True,
                               check=False, timeout=120)
    return Result(completed.returncode, completed.stdout, completed.stderr)


StartedAs = Callable[[str], None]


@pytest.fixture
def started_as(monkeypatch: pytest.MonkeyPatch) -> StartedAs:
    """Return a function that makes the program look started by the path given (sys.argv[0])."""

    def start(path: str) -> None:
        monkeypatch.setattr(sys, "argv", [path])

    return start


@pytest.mark.parametrize("command", list(OPTIONS))
def test_help_of_every_command_mentions_its_options(command: str | None, started_as: StartedAs,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    started_as(str(REPO / "build.py"))
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
def test_unusable_command_lines_exit_2_with_a_hint(args: list[str], started_as: StartedAs,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    started_as(str(REPO / "build.py"))
    result = run_cli(args, capsys)
    assert result.code == 2
    assert "build.py" in result.err and "error:" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(("argv0", "prog"), [("/usr/local/bin/factsite", "factsite"),
                                             ("build.py", "build.py"),
                                             (str(REPO / "factsite" / "__main__.py"), "python -m factsite")])
def test_usage_errors_name_the_program_as_it_was_started(argv0: str, prog: str, started_as: StartedAs,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    started_as(argv0)
    unknown = run_cli(["build", "--outt", "x"], capsys, prog=None)
    assert unknown.code == 2
    assert unknown.err.startswith(f"usage: {prog} [-h]")
    assert f"\n{prog}: error: unrecognized arguments: --outt x\n" in unknown.err
    assert f"Run '{prog} --help' for the options." in unknown.err
    bad_value = run_cli(["check", "--format", "xml"], capsys, prog=None)
    assert bad_value.code == 2
    assert bad_value.err.startswith(f"usage: {prog} check ")
    assert f"\n{prog} check: error: argument --format: invalid choice: 'xml'" in bad_value.err
    assert f"Run '{prog} check --help' for the options." in bad_value.err


def test_project_errors_name_the_program_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["--project", str(tmp_path), "check"], prog="mysite")
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"mysite: error: no claims.yaml in {tmp_path.resolve()}")


def test_python_m_factsite_names_itself() -> None:
    version = run_module(["--version"])
    assert (version.code, version.out.strip()) == (0, f"factsite {__version__}")
    help_ = run_module(["--help"])
    assert help_.code == 0
    assert help_.out.startswith("usage: python -m factsite [-h]")
    wrong = run_module(["publish"])
    assert wrong.code == 2
    assert "python -m factsite: error: argument COMMAND: invalid choice: 'publish'" in wrong.err
    assert "Run 'python -m factsite --help' for the options." in wrong.err


def test_serve_warning_names_the_program_and_keeps_the_collector_on(make_project: MakeProject,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import factsite.preview.server

    seen: dict[str, object] = {}

    def fake_serve(root: Path, **kwargs: object) -> int:
        seen.update(kwargs, collecting=gc.isenabled())
        return 0

    monkeypatch.setattr(factsite.preview.server, "serve", fake_serve)
    capsys.readouterr()
    assert main(["--project", str(make_project()), "serve", "--host", "0.0.0.0"], prog="factsite") == 0
    assert seen == {"host": "0.0.0.0", "port": 8000, "open_browser": False, "drafts": False, "prog": "factsite",
                    "collecting": True}


@pytest.mark.parametrize("command", ["build", "check"])
def test_one_shot_commands_pause_the_collector(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch,
                                               command: str, capsys: pytest.CaptureFixture[str]) -> None:
    import factsite.site.pipeline

    collecting: list[bool] = []

    def fake(*args: object, **kwargs: object) -> None:
        collecting.append(gc.isenabled())
        raise BuildFailed([])

    monkeypatch.setattr(factsite.site.pipeline, "read_and_render", fake)
    result = run_cli(["--project", str(make_project()), command], capsys)
    assert result.code == 1
    assert collecting == [False]
    assert gc.isenabled()


def test_unknown_command_in_a_real_process() -> None:
    result = run_process(["publish"])
    assert result.code == 2
    assert "invalid choice: 'publish'" in result.err
    assert "Run 'build.py --help' for the options." in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("url", ["example.org/", "https://example.org", "ftp://example.org/", "/checks/", "http://[/",
                                 "http://\u2100/"])
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


def test_no_command_reads_the_arguments_given_not_the_process_s(make_project: MakeProject,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    other = make_project()
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "argv", ["factsite", "--quiet", "--project", str(other), "check"])
    result = run_cli([], capsys)
    assert result.code == 0, result.err
    assert (project / "site" / "index.html").is_file()
    assert re.search(r"^Built \d+ pages \(\d+ files, \d+ changed\) into site/$", result.out, re.M)
    assert not (other / "site").exists()


def test_without_arguments_main_reads_the_process_s(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    monkeypatch.setattr(sys, "argv", ["factsite", "--project", str(project), "check"])
    capsys.readouterr()
    assert main() == 0
    assert capsys.readouterr().out.startswith("OK: 2 claims, ")


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_nothing_on_success(make_project: MakeProject, command: str, where: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    extra = ["--out", str(project / "site")] if command == "build" else []
    args = (["--quiet", "--project", str(project), command, *extra] if where == "before"
            else ["--project", str(project), command, *extra, "--quiet"])
    result = run_cli(args, capsys)
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (project / "site").exists() == (command == "build")


@pytest.mark.parametrize("command", ["build", "check"])
def test_quiet_still_prints_warnings_and_errors(make_project: MakeProject, command: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    long = "A claim that goes on and on about kilograms, pounds and the court in many words."
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", f"    claim: {long}")])
    extra = ["--out", str(project / "site")] if command == "build" else []
    warned = run_cli(["--quiet", "--project", str(project), command, *extra], capsys)
    assert (warned.code, warned.out) == (0, "")
    assert "claims.yaml:53:12: warning: text is" in warned.err
    assert "0 errors, 1 warning." in warned.err
    failed = run_cli(["--quiet", "--project", str(project), command, *extra, "--strict"], capsys)
    assert (failed.code, failed.out) == (1, "")
    assert "claims.yaml:53:12: warning: text is" in failed.err


def test_project_option_also_works_after_the_command(make_project: MakeProject,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["check", "--project", str(make_project())], capsys)
    assert result.code == 0, result.err
    assert result.out.startswith("OK: 2 claims, ")


def test_strict_turns_warnings_into_a_failure(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    long = "A claim that goes on and on about kilograms, pounds and the court in many words."
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", f"    claim: {long}")])
    relaxed = run_cli(["--project", str(project), "check"], capsys)
    assert relaxed.code == 0
    assert f"claims.yaml:53:12: warning: text is {len(long)} characters, more than 75" in relaxed.err
    strict = run_cli(["--project", str(project), "check", "--strict"], capsys)
    assert strict.code == 1
    assert f"claims.yaml:53:12: warning: text is {len(long)} characters" in strict.err


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

    monkeypatch.setattr(factsite.site.pipeline, "read_and_render", explode)
    result = run_cli(["--project", str(make_project()), "check"], capsys)
    assert result.code == 3
    assert "RuntimeError: boom" in result.err
    assert "This is a bug in factsite, not in your files." in result.err


class _ClosedPipe:
    """Standard output whose reader has gone away, as under `| head`."""

    def __init__(self, spare: Path) -> None:
        self.file = spare.open("wb")

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.file.fileno()


def test_a_reader_that_stops_early_ends_the_command_quietly(make_project: MakeProject, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    with capsys.disabled():
        pipe = _ClosedPipe(tmp_path / "stdout")
        monkeypatch.setattr(sys, "stdout", pipe)
        code = main(["--project", str(project), "check", "--format", "json"], prog="build.py")
        monkeypatch.undo()
        pipe.file.close()
    assert code == 141
    assert "Traceback" not in capsys.readouterr().err
