"""The README documents every command, option, claims.yaml key and kind of check, each in its own section."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from factsite.checks.kinds import KINDS, Kind
from factsite.commands.cli import _parser
from factsite.core.fields import FieldType, ListOf, Record, model_fields
from factsite.project.content import TEMPLATES, FrontMatter
from factsite.project.model import (
    DEFAULT_VERDICTS,
    Article,
    Check,
    Claim,
    Event,
    Site,
    Verdict,
)

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
MAKEFILE = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")

SITE, ARTICLE, VERDICTS = "### `site`", "### `article`", "### `verdicts`"
CLAIMS, EVENTS, CHECKS = "### `claims`", "### `events`", "### Checks"
CONTENT, COMMANDS = "## Content pages", "## Commands"


def section(heading: str) -> str:
    """Return the README's text under the heading that starts with `heading`, up to the next heading."""
    lines = README.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith(heading)), None)
    assert start is not None, f"README has no section {heading!r}"
    end = next((n for n in range(start + 1, len(lines)) if re.match(r"#{1,6} ", lines[n])), len(lines))
    return "\n".join(lines[start + 1:end])


def table(text: str) -> list[list[str]]:
    """Return the body rows of the Markdown table in `text`, each a list of cells."""
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    assert len(rows) > 2, "no table here"
    return [[cell.strip() for cell in row] for row in rows[2:]]


def prose(text: str) -> str:
    """Return a section's text without its tables and indented code blocks."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(("|", "    ")))


def keys(text: str) -> list[str]:
    """Return the keys written in backticks, `key` or `key: value`, leaving out those inside parentheses."""
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    return re.findall(r"`([a-z_]+)(?::[^`]*)?`", text)


def yaml_keys(record: type) -> list[str]:
    """Return the claims.yaml keys of a record of the model, in order."""
    return [field.name.rstrip("_") for field in model_fields(record)]


def record_of(kind: FieldType) -> type | None:
    """Return the record class a field holds (one or a list of), or None."""
    if isinstance(kind, ListOf):
        return record_of(kind.item)
    return kind.cls if isinstance(kind, Record) else None


def nested_records(record: type) -> dict[str, type]:
    """Return the record-typed fields of a record by key: claimant -> Claimant."""
    found = {}
    for field in model_fields(record):
        cls = record_of(field.metadata["type"])
        if cls is not None:
            found[field.name.rstrip("_")] = cls
    return found


# claims.yaml

@pytest.mark.parametrize(("heading", "record"), [(SITE, Site), (CLAIMS, Claim)], ids=["site", "claims"])
def test_a_table_section_lists_exactly_its_records_keys(heading: str, record: type) -> None:
    rows = table(section(heading))
    assert all(len(keys(row[0])) == 1 for row in rows), f"README's {heading} table has a row of no single key"
    assert sorted(keys(row[0])[0] for row in rows) == sorted(yaml_keys(record)), \
        f"README's {heading} table does not list exactly {record.__name__}'s keys"
    meanings = {keys(row[0])[0]: row[-1] for row in rows}
    for key, nested in nested_records(record).items():
        if nested is Check:
            continue  # documented in the checks section
        assert sorted(keys(meanings[key])) == sorted(yaml_keys(nested)), \
            f"README's {heading} row `{key}` does not list exactly {nested.__name__}'s keys"


@pytest.mark.parametrize(("heading", "record"), [(ARTICLE, Article), (VERDICTS, Verdict), (EVENTS, Event)],
                         ids=["article", "verdicts", "events"])
def test_a_prose_section_names_every_key_of_its_record(heading: str, record: type) -> None:
    named = keys(prose(section(heading)))
    missing = [key for key in yaml_keys(record) if key not in named]
    assert missing == [], f"README's {heading} section does not name {missing}"


def test_the_default_rating_scale_is_the_one_documented() -> None:
    rows = table(section(VERDICTS))
    documented = [(row[0].strip("`"), row[1], row[2]) for row in rows]
    assert documented == [(v.id, v.label, str(v.rating) if v.rating is not None else "none")
                          for v in DEFAULT_VERDICTS], "README's default scale is not DEFAULT_VERDICTS"


def test_the_checks_section_names_the_keys_every_check_takes() -> None:
    named = keys(prose(section(CHECKS)))
    missing = [key for key in yaml_keys(Check) if key not in named]
    assert missing == [], f"README's checks section does not name {missing}"


def check_rows() -> dict[str, list[str]]:
    """Return the checks table's rows by kind."""
    return {row[0].strip("`"): row for row in table(section(CHECKS))}


def test_the_checks_table_has_exactly_one_row_per_kind_in_order() -> None:
    documented = [row[0].strip("`") for row in table(section(CHECKS))]
    assert documented == list(KINDS), f"README's checks table has rows {documented}, not one per kind {list(KINDS)}"


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda kind: kind.name)
def test_a_kinds_row_lists_exactly_its_keys_and_when_it_holds(kind: Kind) -> None:
    row = check_rows().get(kind.name)
    assert row is not None, f"README's checks table has no row for {kind.name}"
    assert keys(row[1]) == list(kind.keys), f"README's {kind.name} row lists {keys(row[1])}, not {list(kind.keys)}"
    for param in kind.params:
        nested = record_of(param.type)
        if nested is not None:
            assert all(f"`{key}`" in row[1] for key in yaml_keys(nested)), \
                f"README's {kind.name} row does not name the keys of each of its {param.name}"
    assert row[2] == kind.holds_when, f"README's {kind.name} row says when it holds unlike checks.kinds"


def test_content_front_matter_is_documented_with_every_key_and_template() -> None:
    text = section(CONTENT)
    example = re.findall(r"^    ([a-z_]+):", text, re.M)
    assert example == yaml_keys(FrontMatter), "README's front matter example does not show exactly its keys"
    named = keys(prose(text))
    missing = [template for template in TEMPLATES if template not in named]
    assert missing == [], f"README's content pages section does not name the templates {missing}"


# commands

def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Return the command-line's commands by name."""
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def long_options(parser: argparse.ArgumentParser) -> set[str]:
    """Return a parser's --options, --help left out."""
    return {flag for action in parser._actions for flag in action.option_strings
            if flag.startswith("--") and flag != "--help"}


def command_rows() -> dict[str, str]:
    """Return the commands table's first cells by command name."""
    cells = [row[0].strip("`") for row in table(section(COMMANDS))]
    return {cell.split()[0]: cell for cell in cells}


def test_the_commands_table_has_one_row_per_command() -> None:
    assert sorted(command_rows()) == sorted(subcommands())


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_each_commands_options_are_in_its_row(command: str) -> None:
    sub = subcommands()[command]
    row = command_rows().get(command, "")
    own = long_options(sub) - long_options(_parser())
    documented = set(re.findall(r"--[a-z-]+", row))
    assert sorted(own - documented) == [], f"README's commands table row `{command}` lacks options"
    assert sorted(documented - own) == [], f"README's commands table row `{command}` names options it does not have"
    for action in sub._actions:
        if not action.option_strings and action.choices:
            assert all(choice in row.split() for choice in action.choices), \
                f"README's commands table row `{command}` does not name {sorted(action.choices)}"


def test_global_options_are_documented_with_the_commands() -> None:
    text = section(COMMANDS)
    missing = sorted(flag for flag in long_options(_parser()) if flag not in text)
    assert missing == [], f"README's commands section does not mention {missing}"


def test_make_targets_in_readme_exist() -> None:
    for target in set(re.findall(r"`make (\w+)", README)):
        assert re.search(rf"^{target}:", MAKEFILE, re.M), f"README names make {target}, the Makefile lacks it"
