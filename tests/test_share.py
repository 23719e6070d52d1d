"""Sharing a fact-check: the 1200×630 share image, the embed page and the copy-paste snippet."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import struct
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from playwright.sync_api import Browser

from factsite.core.names import THEME_DIR
from factsite.site import shareimage as share
from factsite.site.shareimage import Card, draw_card, read_fonts
from factsite.site.templates import make_environment

from support.project import MakeProject, Result, published_claims, read_page

BASE = "https://checks.riverside.example.org/"
"""The rich fixture project's base_url (tests/fixtures/rich)."""
STYLES = ("accurate", "mostly-accurate", "needs-context", "misleading", "inaccurate", "unverifiable", "opinion")
CARD = Card("Police seized 11.9 kg of fentanyl and 19.1 kg of other drugs.", "Accurate", "accurate", "#17693a",
            "Xingtai fentanyl fact-check")


@pytest.fixture(scope="module")
def fonts() -> share.Fonts:
    """Return the committed fonts."""
    return read_fonts()


def png_chunks(data: bytes) -> list[str]:
    """Return the chunk types of a PNG file, in order."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunks.append(kind.decode("ascii"))
        offset += 12 + length
    return chunks


# -- share images -------------------------------------------------------------------------------

def test_every_claim_has_one_1200_by_630_share_image(rich_site: Path, rich_project: Path) -> None:
    for claim_id in sorted(published_claims(rich_project)):
        claim = rich_site / "claims" / claim_id
        images = list(claim.glob("share-*.png"))
        assert len(images) == 1, claim
        assert re.fullmatch(r"share-[0-9a-f]{8}\.png", images[0].name)
        with Image.open(images[0]) as image:
            assert image.size == (1200, 630) and image.format == "PNG"


def test_the_same_card_always_gives_the_same_bytes_and_no_metadata(fonts: share.Fonts) -> None:
    first, second = draw_card(CARD, fonts), draw_card(CARD, fonts)
    assert first == second
    assert png_chunks(first) == ["IHDR"] + ["IDAT"] * (len(png_chunks(first)) - 2) + ["IEND"]


@pytest.mark.parametrize("change", [{"claim": "Police seized 12 kg of fentanyl."}, {"label": "Misleading"},
                                    {"style": "misleading"}, {"colour": "#a23c00"},
                                    {"site": "Another desk"}])
def test_a_change_to_what_the_card_shows_changes_its_name_and_pixels(fonts: share.Fonts,
                                                                     change: dict[str, str]) -> None:
    other = Card(**{**CARD.__dict__, **change})
    assert share.card_key(other, fonts) != share.card_key(CARD, fonts)
    assert draw_card(other, fonts) != draw_card(CARD, fonts)


def test_each_share_image_is_drawn_in_its_verdicts_colour_from_the_stylesheet(rich_site: Path) -> None:
    light = (THEME_DIR / "static" / "site.css").read_text(encoding="utf-8").split("@media", 1)[0]
    css = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", light))
    seen = set()
    for page in sorted((rich_site / "claims").glob("*/index.html")):
        style = re.search(r'class="verdict verdict--([a-z-]+)', page.read_text(encoding="utf-8"))
        image = next(page.parent.glob("share-*.png"), None)
        if style is None or image is None:
            continue
        with Image.open(image) as png:
            bar = png.convert("RGB").getpixel((5, 300))
        assert "#" + bytes(bar).hex() == css[style.group(1)], page
        seen.add(style.group(1))
    assert len(seen) == len(STYLES), "the fixture site shows share images in every verdict colour"


def test_a_very_long_claim_still_fits(fonts: share.Fonts) -> None:
    long = dataclasses.replace(CARD, claim=" ".join(["fentanyl"] * 80) + " " + "x" * 200)
    with Image.open(io.BytesIO(draw_card(long, fonts))) as image:
        assert image.size == (1200, 630)


def test_rebuilds_reuse_cached_images(make_project: MakeProject, build: Callable[..., Result],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    assert build(project).code == 0
    cached = sorted((project / ".factsite" / "cache" / "share").glob("*.png"))
    assert len(cached) == 2
    before = {p.name: p.read_bytes() for p in (project / "site" / "claims").glob("*/share-*.png")}

    def no_drawing(*_: object) -> bytes:
        raise AssertionError("an unchanged image was drawn again")

    monkeypatch.setattr(share, "draw_card", no_drawing)
    assert build(project).code == 0
    after = {p.name: p.read_bytes() for p in (project / "site" / "claims").glob("*/share-*.png")}
    assert after == before


def test_a_changed_claim_gets_a_new_image_name(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project()
    assert build(project).code == 0
    old = {p.name for p in (project / "site" / "claims" / "seized-amount").glob("share-*.png")}
    claims = project / "claims.yaml"
    claims.write_text(claims.read_text().replace("seized 11.9 kg of fentanyl.", "seized 12 kg of fentanyl."))
    assert build(project).code == 0
    new = {p.name for p in (project / "site" / "claims" / "seized-amount").glob("share-*.png")}
    assert len(new) == 1 and new != old


def test_the_fonts_are_not_published_with_the_site(rich_site: Path) -> None:
    assert not [p for p in rich_site.rglob("*") if p.suffix in (".ttf", ".otf")]


def test_the_font_licence_is_committed_beside_the_fonts() -> None:
    licence = (share.FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


# -- embed pages and the snippet ----------------------------------------------------------------

def test_embed_page_is_a_noindex_card_pointing_back_at_the_claim(rich_site: Path, rich_project: Path) -> None:
    embeds = sorted((rich_site / "claims").glob("*/embed/index.html"))
    assert sorted(embed.parent.parent.name for embed in embeds) == sorted(published_claims(rich_project))
    for embed in embeds:
        claim_id = embed.parent.parent.name
        document = lxml.html.parse(str(embed)).getroot()
        assert document.xpath('//meta[@name="robots"]/@content') == ["noindex"]
        assert document.xpath('//link[@rel="canonical"]/@href') == [f"{BASE}claims/{claim_id}/"]
        assert document.xpath("//script") == []
        links = document.xpath("//a")
        assert links and all(a.get("target") == "_blank" and a.get("rel") == "noopener" for a in links)
        assert {a.get("href") for a in links} == {f"../../../claims/{claim_id}/"}
        page = lxml.html.parse(str(rich_site / "claims" / claim_id / "index.html")).getroot()
        claim = " ".join(page.xpath("//h1")[0].text_content().split())
        assert " ".join(document.xpath("//h1")[0].text_content().split()) == claim
        label = page.xpath('//*[contains(@class, "claim__badge")]//*[contains(@class, "verdict__label")]')
        assert document.xpath('//*[contains(@class, "verdict__label")]')[0].text == label[0].text


def test_claim_page_offers_a_labelled_iframe_snippet_for_its_embed(rich_site: Path) -> None:
    page = lxml.html.parse(str(rich_site / "claims" / "budget-total" / "index.html")).getroot()
    area = page.xpath("//textarea")[0]
    assert area.get("readonly") is not None
    assert page.xpath(f'//label[@for="{area.get("id")}"]')
    snippet = lxml.html.fragment_fromstring(area.text)
    assert snippet.tag == "iframe"
    assert snippet.get("src") == f"{BASE}claims/budget-total/embed/"
    assert snippet.get("title").startswith("Fact-check: ")


def test_snippet_escapes_quotes_in_the_claim(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("claim: Police seized 11.9 kg of fentanyl.",
                                     "claim: 'Police \"seized\" <b>11.9 kg</b>'")])
    assert build(project).code == 0
    page = read_page(project / "site", "claims/seized-amount/index.html")
    area = lxml.html.document_fromstring(page).xpath("//textarea")[0]
    snippet = lxml.html.fragment_fromstring(area.text)
    assert snippet.get("title") == 'Fact-check: Police "seized" <b>11.9 kg</b>'
    assert html.escape('<b>') not in snippet.get("title")


def test_drafts_get_no_embed_share_image_or_snippet(make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project(replace=[("  - id: pound-figure\n", "  - id: pound-figure\n    draft: true\n")])
    assert build(project, "--drafts").code == 0
    folder = project / "site" / "claims" / "pound-figure"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<textarea" not in page and "og:image" not in page


def _dark_pixels(image: Image.Image) -> set[tuple[int, int]]:
    grey = image.convert("L")
    return {(x, y) for x in range(grey.width) for y in range(grey.height) if grey.getpixel((x, y)) < 128}


def test_share_image_icons_match_the_pages_icons(browser: Browser, tmp_path: Path) -> None:
    """The share image draws each verdict icon with Pillow; it must look like the SVG the theme's pages show."""
    icon = make_environment(tmp_path).get_template("_macros.html").module.icon
    page = browser.new_page()
    try:
        drawn_by_browser = {}
        for style in STYLES:
            page.set_content(f"<style>body{{margin:0;background:#fff;color:#000}}"
                             f"svg{{display:block;width:96px;height:96px}}</style>{icon(style)}")
            with Image.open(io.BytesIO(page.locator("svg").screenshot())) as shot:
                drawn_by_browser[style] = _dark_pixels(shot)
    finally:
        page.close()
    for style in STYLES:
        tile = Image.new("RGBA", (96, 96), "#ffffff")
        tile.alpha_composite(share._icon(style, 96, "#000000"))
        mine = _dark_pixels(tile)
        overlap = {other: len(mine & svg) / len(mine | svg) for other, svg in drawn_by_browser.items()}
        assert overlap[style] >= 0.9, f"{style}: the share image's icon overlaps the page's by {overlap[style]:.0%}"
        assert max(overlap, key=overlap.__getitem__) == style
