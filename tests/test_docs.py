"""The README documents every command, option and claims.yaml field the code offers."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from factsite.commands.cli import _parser
from factsite.core.fields import model_fields
from factsite.project.model import (
    CHECK_PARAMS,
    Article,
    Check,
    Claim,
    Claimant,
    Correction,
    Event,
    Publisher,
    Site,
    Source,
    Verdict,
)

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
MAKEFILE = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_and_option_is_documented(command: str) -> None:
    sub = _subcommands()[command]
    assert f"`{command}" in README, f"README does not document the '{command}' command"
    for action in sub._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"README does not mention {command} {flag}"


def test_global_options_are_documented() -> None:
    for action in _parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"README does not mention {flag}"


@pytest.mark.parametrize("record", [Site, Publisher, Article, Verdict, Claim, Claimant, Source, Check, Correction,
                                    Event], ids=lambda cls: cls.__name__)
def test_every_claims_yaml_field_is_documented(record: type) -> None:
    for field in model_fields(record):
        key = field.name.rstrip("_")
        assert f"`{key}`" in README or f"`{key}: " in README, f"README does not document {record.__name__}.{key}"


@pytest.mark.parametrize("kind", sorted(CHECK_PARAMS))
def test_every_check_kind_and_key_is_documented(kind: str) -> None:
    row = next((line for line in README.splitlines() if line.startswith(f"| `{kind}` |")), None)
    assert row is not None, f"README's checks table lacks {kind}"
    for key in CHECK_PARAMS[kind]:
        assert f"`{key}`" in row, f"README's {kind} row lacks `{key}`"


def test_make_targets_in_readme_exist() -> None:
    for target in set(re.findall(r"`make (\w+)", README)):
        assert re.search(rf"^{target}:", MAKEFILE, re.M), f"README names make {target}, the Makefile lacks it"
