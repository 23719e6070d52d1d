"""`new claim ID` appends a draft skeleton to the claims list and leaves every other byte as it was."""

from __future__ import annotations

import pytest

from factsite.site.options import BuildOptions
from factsite.site.pipeline import read_and_render

from support.project import MINIMAL_CLAIMS, MakeProject, run_cli, run_process

END_OF_CLAIMS = "    reviewed: 2026-11-29\n\nevents:\n"


def test_new_claim_is_inserted_at_the_end_of_the_claims_list(make_project: MakeProject,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    result = run_cli(["--project", str(project), "new", "claim", "my-id"], capsys)
    assert result.code == 0, result.err
    assert "Added draft claim 'my-id'" in result.out
    text = (project / "claims.yaml").read_text(encoding="utf-8")
    cut = MINIMAL_CLAIMS.index(END_OF_CLAIMS) + len("    reviewed: 2026-11-29\n")
    prefix, suffix = MINIMAL_CLAIMS[:cut], MINIMAL_CLAIMS[cut:]
    assert text.startswith(prefix)
    assert text.endswith(suffix)
    inserted = text[len(prefix):len(text) - len(suffix)]
    assert inserted.startswith("  - id: my-id\n    draft: true")
    assert all(line.startswith("    ") for line in inserted.splitlines()[1:] if line.strip())


def test_the_new_draft_still_builds_with_warnings_only(make_project: MakeProject,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    assert run_cli(["--project", str(project), "new", "claim", "my-id"], capsys).code == 0
    result = run_cli(["--project", str(project), "build", "--out", str(project / "site")], capsys)
    assert result.code == 0, result.err
    assert ": warning: draft: " in result.err
    assert ": error:" not in result.err
    assert not (project / "site" / "claims" / "my-id").exists()
    rendered = read_and_render(project, BuildOptions())
    assert all(p.severity == "warning" for p in rendered.warnings)
    assert [c.id for c in rendered.project.claims] == ["seized-amount", "pound-figure"]


def test_new_claim_at_the_end_of_the_file_without_final_newline(make_project: MakeProject,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    claims = MINIMAL_CLAIMS[: MINIMAL_CLAIMS.index("\nevents:")].rstrip("\n")
    project = make_project({"claims.yaml": claims})
    assert run_cli(["--project", str(project), "new", "claim", "last-one"], capsys).code == 0
    text = (project / "claims.yaml").read_text(encoding="utf-8")
    assert text.startswith(claims + "\n  - id: last-one\n")
    assert read_and_render(project, BuildOptions()).project.claims


def test_new_claim_keeps_comments_and_crlf_untouched(make_project: MakeProject,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    claims = MINIMAL_CLAIMS.replace("events:\n", "# the timeline\nevents:\n")
    project = make_project({"claims.yaml": claims})
    assert run_cli(["--project", str(project), "new", "claim", "my-id"], capsys).code == 0
    text = (project / "claims.yaml").read_text(encoding="utf-8")
    assert text.endswith("\n# the timeline\nevents:\n" + claims.split("events:\n", 1)[1])


def test_duplicate_id_is_refused_and_the_file_untouched(make_project: MakeProject) -> None:
    project = make_project()
    before = (project / "claims.yaml").read_bytes()
    result = run_process(["--project", str(project), "new", "claim", "pound-figure"])
    assert result.code == 2
    assert "already has a claim 'pound-figure'" in result.err
    assert "Traceback" not in result.err
    assert (project / "claims.yaml").read_bytes() == before


@pytest.mark.parametrize("claim_id", ["My-Id", "my_id", "my--id", "my-", "x" * 65, "my id", "../x"])
def test_bad_id_is_refused(make_project: MakeProject, claim_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    before = (project / "claims.yaml").read_bytes()
    result = run_cli(["--project", str(project), "new", "claim", claim_id], capsys)
    assert result.code == 2
    assert "cannot be a claim id" in result.err
    assert (project / "claims.yaml").read_bytes() == before


def test_new_claim_without_a_claims_file_exits_2(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["--project", str(tmp_path), "new", "claim", "my-id"], capsys)
    assert result.code == 2
    assert "Traceback" not in result.err
