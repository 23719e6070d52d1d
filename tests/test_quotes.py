"""Quote integrity: each quote must appear, word for word, in the paragraph it names."""

from __future__ import annotations

import pytest

from factsite.checks.quotes import QuoteMatch, find_quote, quoted_fraction, split_paragraphs

ARTICLE = (
    "The harbour board said on Monday that 4.2 tonnes (9,259 pounds) of cargo were lost.\n"
    "It blamed the storm.\n"
    "\n"
    "  \t\n"
    "Mayor Ada Obi called the loss \u201ca blow to the town\u2019s pride\u201d and said\n"
    "repairs would take \u2018about a year\u2019 \u2014 perhaps longer.\n"
    "\n"
    "The board\u2019s report quoted \u201cdelays . . . and rising costs\u201d as the reasons.\n"
)


@pytest.fixture
def paragraphs() -> list[str]:
    """Return the test article split into paragraphs."""
    return split_paragraphs(ARTICLE)


def test_paragraphs_are_blank_line_separated_blocks() -> None:
    assert len(split_paragraphs(ARTICLE)) == 3
    assert split_paragraphs(ARTICLE)[0].endswith("It blamed the storm.")
    assert split_paragraphs("one\r\n\r\ntwo\n\n\n\nthree\n\n") == ["one", "two", "three"]


def test_quote_found_in_its_paragraph(paragraphs: list[str]) -> None:
    match = find_quote(paragraphs, "4.2 tonnes (9,259 pounds) of cargo", 1)
    assert match == QuoteMatch(True, 1, "found in paragraph 1")


def test_quote_may_cross_a_line_break(paragraphs: list[str]) -> None:
    assert find_quote(paragraphs, "and said repairs would take", 2).found_in_stated


def test_curly_and_straight_quotes_are_interchangeable(paragraphs: list[str]) -> None:
    assert find_quote(paragraphs, '"a blow to the town\'s pride"', 2).found_in_stated
    assert find_quote(paragraphs, "\u201ca blow to the town\u2019s pride\u201d", 2).found_in_stated
    assert find_quote(paragraphs, "'about a year'", 2).found_in_stated


def test_double_and_single_quotes_stay_distinct(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, '"about a year"', 2).found_in_stated


def test_dashes_match_a_hyphen(paragraphs: list[str]) -> None:
    assert find_quote(paragraphs, "a year' - perhaps longer", 2).found_in_stated
    assert find_quote(paragraphs, "a year\u2019 \u2013 perhaps longer", 2).found_in_stated


@pytest.mark.parametrize("ellipsis", ["\u2026", "...", ". . ."])
def test_ellipsis_stands_for_left_out_words(paragraphs: list[str], ellipsis: str) -> None:
    quote = f"The harbour board said {ellipsis} cargo were lost"
    assert find_quote(paragraphs, quote, 1).found_in_stated


def test_ellipsis_keeps_the_order_of_the_parts(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, "cargo were lost \u2026 The harbour board", 1).found_in_stated


def test_ellipsis_does_not_reach_into_another_paragraph(paragraphs: list[str]) -> None:
    match = find_quote(paragraphs, "It blamed the storm \u2026 Mayor Ada Obi", 1)
    assert match.found_in_stated is False
    assert match.found_in is None


def test_article_text_with_its_own_ellipsis_matches(paragraphs: list[str]) -> None:
    assert find_quote(paragraphs, "\u201cdelays . . . and rising costs\u201d", 3).found_in_stated


def test_wrong_paragraph_reports_where_the_quote_is(paragraphs: list[str]) -> None:
    match = find_quote(paragraphs, "It blamed the storm.", 2)
    assert match.found_in_stated is False
    assert match.found_in == 1
    assert "paragraph 1" in match.reason


def test_paragraph_beyond_the_article(paragraphs: list[str]) -> None:
    assert find_quote(paragraphs, "It blamed the storm.", 9).found_in == 1
    missing = find_quote(paragraphs, "no such words", 9)
    assert missing.found_in is None
    assert "3 paragraphs" in missing.reason


def test_one_changed_word_fails(paragraphs: list[str]) -> None:
    match = find_quote(paragraphs, "4.2 tonnes (9,259 pounds) of freight were lost", 1)
    assert match.found_in_stated is False
    assert match.found_in is None
    assert "(9,259 pounds) of " in match.reason


def test_changed_number_fails(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, "4.3 tonnes", 1).found_in_stated


def test_case_counts(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, "mayor ada obi", 2).found_in_stated


def test_quote_must_not_start_or_end_inside_a_word(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, "arbour board", 1).found_in_stated
    assert not find_quote(paragraphs, "the stor", 1).found_in_stated


def test_empty_quote_is_never_found(paragraphs: list[str]) -> None:
    assert not find_quote(paragraphs, " \u2026 ", 1).found_in_stated


def test_quoted_share_counts_each_word_once() -> None:
    article = "one two three four\n\nfive six seven eight nine ten"
    assert quoted_fraction(article, ["two three"]) == pytest.approx(0.2)
    assert quoted_fraction(article, ["two three", "three four"]) == pytest.approx(0.3)


def test_quoted_share_counts_only_the_words_an_ellipsis_keeps() -> None:
    article = "one two three four\n\nfive six seven eight nine ten"
    assert quoted_fraction(article, ["five \u2026 ten"]) == pytest.approx(0.2)


def test_quoted_share_ignores_quotes_not_in_the_article() -> None:
    assert quoted_fraction("alpha beta gamma delta", ["beta", "omega"]) == pytest.approx(0.25)
    assert quoted_fraction("", ["beta"]) == 0.0


def test_quoted_share_skips_lone_punctuation() -> None:
    assert quoted_fraction("alpha \u2014 beta", ["beta"]) == pytest.approx(0.5)
