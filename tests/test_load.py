"""Loading YAML: text kept as written, every node placed, unsafe or ambiguous YAML refused where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsite.core.errors import Location, Problems
from factsite.core.nodes import MAX_DEPTH, Map, Scalar, Seq, load_file, parse_yaml


def parse(text: str) -> tuple[Map | Seq | Scalar | None, list[str]]:
    problems = Problems()
    node = parse_yaml(text, "claims.yaml", problems)
    return node, [p.headline() for p in problems.items]


def value(node: Map | Seq | Scalar | None, key: str) -> Scalar:
    assert isinstance(node, Map)
    found = node.entries[key][1]
    assert isinstance(found, Scalar)
    return found


@pytest.mark.parametrize("written", ["no", "yes", "on", "off", "1e3", "2019-11-07", "12:30", "0x1F", "~x", "007"])
def test_plain_scalars_stay_the_text_written(written: str) -> None:
    node, problems = parse(f"summary: {written}\n")
    assert problems == []
    scalar = value(node, "summary")
    assert (scalar.text, scalar.plain, scalar.loc) == (written, True, Location("claims.yaml", 1, 10))


def test_quoted_and_empty_values_are_told_apart() -> None:
    node, _ = parse("a:\nb: ''\nc: \"no\"\n")
    assert (value(node, "a").text, value(node, "a").plain) == ("", True)
    assert (value(node, "b").text, value(node, "b").plain) == ("", False)
    assert (value(node, "c").text, value(node, "c").plain) == ("no", False)


def test_every_node_knows_its_line_and_column() -> None:
    node, _ = parse("site:\n  title: Checks\nclaims:\n  - id: one\n    tags: [a, b]\n")
    assert isinstance(node, Map)
    site_key, site = node.entries["site"]
    assert site_key == Location("claims.yaml", 1, 1)
    assert value(site, "title").loc == Location("claims.yaml", 2, 10)
    claims = node.entries["claims"][1]
    assert isinstance(claims, Seq)
    first = claims.items[0]
    assert first.loc == Location("claims.yaml", 4, 5)
    tags = first.entries["tags"][1]
    assert isinstance(tags, Seq)
    assert [t.loc.column for t in tags.items] == [12, 15]


def test_duplicate_key_is_reported_at_the_repeat() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\n")
    assert problems == ["claims.yaml:3:1: error: duplicate key 'a' (first at line 1). "
                        "Remove one of them or merge their values."]


def test_a_key_that_is_not_text_is_refused() -> None:
    _, problems = parse("a: 1\n? [x]\n: 2\n")
    assert problems == ["claims.yaml:2:3: error: a key must be plain text. Use a simple name as key."]


def test_anchor_and_alias_are_each_reported_once() -> None:
    _, problems = parse("a: &x one\nb: *x\n")
    assert problems == [
        "claims.yaml:1:4: error: anchors and aliases (&x) are not supported. Write the value out in full where it "
        "is needed.",
        "claims.yaml:2:4: error: aliases (*x) are not supported. Write the value out in full where it is needed.",
    ]


def test_merge_key_alias_is_refused() -> None:
    _, problems = parse("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert any("anchors and aliases (&b)" in p for p in problems)
    assert any("aliases (*b)" in p for p in problems)


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!custom", "!!binary", "!!int"])
def test_tags_are_refused(tag: str) -> None:
    _, problems = parse(f"a: {tag} x\n")
    assert len(problems) == 1
    assert problems[0].startswith("claims.yaml:1:4: error: YAML tags such as ")
    assert "are not supported" in problems[0]


def test_a_second_document_is_refused_where_it_starts() -> None:
    node, problems = parse("a: 1\n---\nb: 2\n")
    assert node is None
    assert problems == ["claims.yaml:2:1: error: a second YAML document ('---') is not allowed. "
                        "Keep one document per file."]


def test_an_empty_document_gives_no_node_and_no_problem() -> None:
    assert parse("") == (None, [])
    assert parse("# only a comment\n") == (None, [])


def test_syntax_error_is_placed_and_hinted() -> None:
    node, problems = parse("a: 1\nb: \"unclosed\nc: 2\n")
    assert node is None
    assert len(problems) == 1
    assert problems[0].startswith("claims.yaml:4:1: error: invalid YAML: while scanning a quoted scalar")
    assert "<byte string>" not in problems[0]
    assert problems[0].endswith("Check the indentation and that quotes are closed.")


def test_tab_indentation_gets_a_hint() -> None:
    _, problems = parse("a:\n\tb: 1\n")
    assert len(problems) == 1
    assert problems[0].startswith("claims.yaml:2:1: error: invalid YAML:")
    assert problems[0].endswith("Indent with spaces, not tabs.")


def test_nesting_is_bounded() -> None:
    node, problems = parse("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert node is None
    assert problems[0].startswith("claims.yaml:1:")
    assert f"nesting deeper than {MAX_DEPTH} levels" in problems[0]


def test_unicode_line_separators_do_not_shift_later_lines() -> None:
    # U+2028 inside a quoted value is not a line break for editors; later positions must match the file's lines.
    node, problems = parse("x: \"a\u2028b\"\ny: ok\nz: [\n")
    assert node is None
    assert problems[0].startswith("claims.yaml:4:1: error: invalid YAML")
    node, _ = parse("x: \"a\u2028b\"\ny: ok\n")
    assert value(node, "y").loc == Location("claims.yaml", 2, 4)


def test_front_matter_lines_are_offset(tmp_path: Path) -> None:
    problems = Problems()
    node = parse_yaml("title: x\norder: 1\n", "content/a.md", problems, line_offset=1)
    assert value(node, "order").loc == Location("content/a.md", 3, 8)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    problems = Problems()
    assert load_file(tmp_path, "claims.yaml", problems) is None
    assert [p.headline() for p in problems.items] == [
        "claims.yaml: error: file not found. Create claims.yaml, or run the command in the project folder."]


def test_invalid_utf8_names_the_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    problems = Problems()
    assert load_file(tmp_path, "claims.yaml", problems) is None
    assert [p.headline() for p in problems.items] == [
        "claims.yaml:2:7: error: file is not valid UTF-8 (byte 0xe9). Save the file as UTF-8."]
