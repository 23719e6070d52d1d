"""Find each claim's quote in the article text it comes from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")
_WHITESPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\s\.\s\.|\.\.\.)\s*")
_WORD = re.compile(r"\S+")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found, and why it does or does not pass."""

    found_in_stated: bool
    found_in: int | None
    reason: str
    in_quotation_marks: bool = False
    """Whether any of the words, where found in the stated paragraph, are inside the article's quotation marks."""


def split_paragraphs(text: str) -> list[str]:
    """Split text into its non-empty blank-line-separated blocks, in order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [block.strip() for block in _BLANK_LINE.split(text) if block.strip()]


def normalize(text: str) -> str:
    """Fold text for comparison: NFKC, plain quotes and dashes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _WHITESPACE.sub(" ", text).strip()


def _segments(quote: str) -> list[str]:
    """Split a normalised quote at its ellipses into the parts that must appear verbatim."""
    return [part for part in _ELLIPSIS.split(quote) if part]


def _at_word_edges(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] neither starts nor ends inside a word."""
    starts_clean = start == 0 or not (text[start].isalnum() and text[start - 1].isalnum())
    ends_clean = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    return starts_clean and ends_clean


def _find_segment(text: str, segment: str, start: int) -> int:
    """Return the first index at or after start where segment occurs on word edges, or -1."""
    index = text.find(segment, start)
    while index != -1 and not _at_word_edges(text, index, index + len(segment)):
        index = text.find(segment, index + 1)
    return index


def _spans(paragraph: str, segments: list[str]) -> list[tuple[int, int]] | None:
    """Locate the segments, in order, in one normalised paragraph; None if any is missing."""
    spans: list[tuple[int, int]] = []
    position = 0
    for segment in segments:
        index = _find_segment(paragraph, segment, position)
        if index == -1:
            return None
        position = index + len(segment)
        spans.append((index, position))
    return spans


def _any_quoted(text: str, spans: list[tuple[int, int]]) -> bool:
    """Tell whether a word of any span lies between an opening and a closing double quotation mark."""
    inside = False
    quoted = [False] * len(text)
    for index, char in enumerate(text):
        if char == '"':
            inside = not inside
        else:
            quoted[index] = inside
    return any(quoted[i] and text[i].isalnum() for start, end in spans for i in range(start, end))


def _matched_prefix(paragraph: str, segment: str) -> str:
    """Return the longest start of segment that occurs in the paragraph."""
    low, high = 0, len(segment)
    while low < high:
        middle = (low + high + 1) // 2
        if segment[:middle] in paragraph:
            low = middle
        else:
            high = middle - 1
    return segment[:low]


def find_quote(paragraphs: list[str], quote: str, paragraph: int) -> QuoteMatch:
    """Check that quote occurs in the 1-based paragraph, and say where it occurs if elsewhere."""
    segments = _segments(normalize(quote))
    if not segments:
        return QuoteMatch(False, None, "the quote is empty")
    texts = [normalize(text) for text in paragraphs]
    spans = _spans(texts[paragraph - 1], segments) if 1 <= paragraph <= len(texts) else None
    if spans is not None:
        return QuoteMatch(True, paragraph, f"found in paragraph {paragraph}",
                          _any_quoted(texts[paragraph - 1], spans))
    elsewhere = next(
        (number for number, text in enumerate(texts, 1) if _spans(text, segments) is not None),
        None,
    )
    if elsewhere is not None:
        reason = f"found in paragraph {elsewhere}, not in paragraph {paragraph}"
        return QuoteMatch(False, elsewhere, reason)
    if not 1 <= paragraph <= len(texts):
        count = f"{len(texts)} paragraph" + ("" if len(texts) == 1 else "s")
        return QuoteMatch(False, None, f"the article has {count}, none of which contains it")
    prefix = _matched_prefix(texts[paragraph - 1], segments[0])
    if len(prefix.split()) >= 2:
        return QuoteMatch(False, None, f"paragraph {paragraph} matches it only up to {prefix!r}")
    return QuoteMatch(False, None, "no paragraph contains it")


def quoted_fraction(article: str, quotes: list[str]) -> float:
    """Return the fraction of the article's words that the quotes reproduce, overlaps counted once."""
    texts = [normalize(text) for text in split_paragraphs(article)]
    covered: list[set[int]] = [set() for _ in texts]
    for quote in quotes:
        segments = _segments(normalize(quote))
        if not segments:
            continue
        for number, text in enumerate(texts):
            spans = _spans(text, segments)
            if spans is not None:
                for start, end in spans:
                    covered[number].update(range(start, end))
                break
    total = quoted = 0
    for text, chars in zip(texts, covered, strict=True):
        for word in _WORD.finditer(text):
            if not any(char.isalnum() for char in word.group()):
                continue
            total += 1
            if chars.intersection(range(word.start(), word.end())):
                quoted += 1
    return quoted / total if total else 0.0
