"""The pages of a small fixed project match the reviewed golden copies in tests/golden/expected/."""

from __future__ import annotations

import difflib

import pytest
from golden_update import EXPECTED, PAGES, render_golden


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return render_golden()


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_its_golden_copy(rendered: dict[str, bytes], page: str) -> None:
    golden = EXPECTED / page
    assert golden.is_file(), f"{golden} is missing: run 'make golden' and review the new file"
    expected = golden.read_text(encoding="utf-8")
    actual = rendered[page].decode("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"golden/{page}", f"built/{page}", n=2))
        pytest.fail(f"{page} differs from its golden copy. If the change is intended, run 'make golden' "
                    f"and review the diff:\n{diff[:6000]}", pytrace=False)


def test_the_golden_copies_are_exactly_the_golden_pages() -> None:
    stored = sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())
    assert stored == sorted(PAGES), "run 'make golden' to regenerate tests/golden/expected/"
