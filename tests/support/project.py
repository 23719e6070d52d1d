"""The tests' tiny projects and ways to run the command line on them (fixtures stay in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from factsite.commands.cli import main
from factsite.core.names import INPUTS

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
RICH = FIXTURES / "rich"
"""A fictional fact-check with a page of every template (timeline, redirect, every verdict, the three
content page templates, claims/*.yaml, a logo): the engine's site-wide tests and quality gates build it.
Copy it (copy_project(folder, RICH)) before building: a build writes its cache into the project folder."""

# A small valid project. Tests patch it with `replace=` and assert positions in it, so keep
# the line numbers of the lines below in mind when editing (see tests/test_validate.py).
MINIMAL_CLAIMS = """\
# yaml-language-server: $schema=claims.schema.json
site:
  title: Test fact-check
  description: A tiny site for the tests.
  base_url: https://example.org/checks/
  language: en
  publisher:
    name: Test desk
    url: https://example.org/

article:
  title: A report on a seizure
  outlet: The Example Times
  url: https://news.example.com/report
  published: 2019-11-07
  authors: [Ann Writer]

claims:
  - id: seized-amount
    claim: Police seized 11.9 kg of fentanyl.
    quote: "seized 11.9 kilograms (26.2 pounds) of fentanyl"
    paragraph: 1
    claimant: {name: Example Police, type: Organization}
    verdict: accurate
    summary: The court gave the same figure.
    explanation: |
      The court's account gives 11.86 kg, which rounds to 11.9 kg.

      See also [the other claim](claims/pound-figure/).
    checks:
      - kind: compare
        label: Court figure against the article's
        stated: 11.9
        reference: 11.86
        source: court-2019
        relation: equal
    sources:
      - id: court-2019
        title: Court statement
        publisher: Example Court
        kind: primary
        url: https://court.example.com/statement
        published: 2019-11-08
      - title: Agency report on the verdict
        publisher: Example News Agency
        kind: secondary
        url: https://agency.example.com/verdict
        published: 2019-11-08
    tags: [seizure]
    reviewed: 2026-11-29

  - id: pound-figure
    claim: 11.9 kg is 26.2 pounds.
    quote: "(26.2 pounds)"
    paragraph: 2
    claimant: The Example Times
    verdict: accurate
    summary: The conversion is right.
    explanation: The pound is exactly 0.45359237 kg.
    checks:
      - kind: convert
        value: 11.9
        from: kg
        to: lb
        stated: 26.2
    sources:
      - title: Weights and measures act
        publisher: Example Government
        kind: primary
        url: https://laws.example.gov/weights-and-measures
        published: 1985
      - title: The international yard and pound
        publisher: Example Standards Institute
        kind: secondary
        url: https://standards.example.org/pound
        published: 1959
    tags: [units, seizure]
    reviewed: 2026-11-29

events:
  - date: 2019-11-07
    title: Sentences announced
    text: The court announced the sentences.
    claims: [seized-amount]
"""

MINIMAL_ABOUT = """\
---
title: About this site
description: Who publishes these checks.
order: 1
---
## Who we are

A test desk. Read [the seizure claim](claims/seized-amount/) or [the sources](sources/).
"""


@dataclass(frozen=True)
class Result:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], prog: str | None = "build.py") -> Result:
    """Run the command line in-process and capture its output; `prog=None` names it from sys.argv[0]."""
    capsys.readouterr()
    try:
        code = main(args, prog=prog)
    except SystemExit as exit_:  # argparse exits on --help and usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_process(args: list[str], cwd: Path = REPO, env: Mapping[str, str] | None = None) -> Result:
    """Run `python build.py ARGS` as a real process."""
    completed = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                               text=True, check=False, env={**os.environ, **(env or {})}, timeout=120)
    return Result(completed.returncode, completed.stdout, completed.stderr)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` (hidden ones too) by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


MakeProject = Callable[..., Path]


def write_project(root: Path, files: Mapping[str, str | bytes | None] | None = None, *,
                  replace: list[tuple[str, str]] | None = None) -> Path:
    """Write the minimal project into `root`, with `files` added or (None) removed and claims.yaml patched."""
    root.mkdir(parents=True, exist_ok=True)
    base: dict[str, str | bytes | None] = {"claims.yaml": MINIMAL_CLAIMS, "content/about.md": MINIMAL_ABOUT}
    for name, data in {**base, **(files or {})}.items():
        path = root / name
        if data is None:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    for old, new in replace or ():
        claims = root / "claims.yaml"
        text = claims.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"the patch target {old!r} must occur once in claims.yaml"
        claims.write_text(text.replace(old, new), encoding="utf-8")
    return root


def read_page(site: Path, path: str) -> str:
    """Return a built page's text."""
    return (site / path).read_text(encoding="utf-8")


def copy_project(root: Path, source: Path = REPO) -> Path:
    """Copy a project's inputs (claims.yaml, claims/, content/, templates/, static/) into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, root / name)
    return root


def build_project(project: Path, out: Path, *extra: str, env: Mapping[str, str] | None = None) -> Path:
    """Build a project into `out` in a real process, failing the test with factsite's output if it fails."""
    result = run_process(["--project", str(project), "build", "--out", str(out), *extra], env=env)
    assert result.code == 0, f"{project} does not build:\n{result.out}\n{result.err}"
    assert "Traceback" not in result.err
    return out


def published_claims(project: Path) -> dict[str, str]:
    """Return {id: claim text} of the published claims in a project's claims.yaml and claims/*.yaml."""
    claims: dict[str, str] = {}
    for file in [project / "claims.yaml", *sorted((project / "claims").glob("*.yaml"))]:
        if not file.is_file():
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        entries = data.get("claims", []) if isinstance(data, dict) else data
        for entry in entries or []:
            if not entry.get("draft"):
                claims[entry["id"]] = entry["claim"]
    return claims
