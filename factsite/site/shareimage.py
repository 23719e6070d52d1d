"""Share images: a 1200×630 PNG per claim for link previews, cached by the hash of what it shows."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..core.files import write_atomic
from ..core.names import SHARE_CACHE_DIR

WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path(__file__).parent / "fonts"
"""DejaVu Sans, shipped with factsite (licence in the folder): the images do not depend on the system."""
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
DESIGN = "5"
"""Bump when the drawing changes, so cached images are redrawn."""

BACKGROUND, TEXT, MUTED, RULE, SURFACE = "#fbfaf7", "#1b1b1f", "#55565e", "#d9d6cf", "#ffffff"
_MARGIN = 80
_CLAIM_TOP, _CLAIM_BOTTOM = 150, 440
_CLAIM_SIZES = (64, 58, 52, 46, 40)


@dataclass(frozen=True)
class Card:
    """What a share image shows."""

    claim: str
    label: str
    style: str
    """The verdict's built-in style: which icon to draw."""
    colour: str
    """The verdict's colour, as the site's stylesheet defines it."""
    site: str


@dataclass(frozen=True)
class Fonts:
    """The share image's font files."""

    regular: bytes
    bold: bytes

    @functools.cached_property
    def digest(self) -> str:
        """Return a hash of both files (computed once: they are large)."""
        return hashlib.sha256(self.regular + b"\0" + self.bold).hexdigest()


@functools.cache
def read_fonts() -> Fonts:
    """Read the fonts shipped with factsite."""
    return Fonts((FONT_DIR / REGULAR).read_bytes(), (FONT_DIR / BOLD).read_bytes())


def card_key(card: Card, fonts: Fonts) -> str:
    """Return the hash naming an image: equal for equal content, fonts and design."""
    text = json.dumps([DESIGN, fonts.digest, card.claim, card.label, card.style, card.colour, card.site])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _font(data: bytes, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(data), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text into lines no wider than `width`, splitting a too-long word where it must."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def _fit_claim(text: str, data: bytes) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """Return the largest font at which the claim fits its box, its lines and line height."""
    width, height = WIDTH - 2 * _MARGIN, _CLAIM_BOTTOM - _CLAIM_TOP
    for size in _CLAIM_SIZES:
        font, step = _font(data, size), round(size * 1.22)
        lines = _wrap(text, font, width)
        if len(lines) * step <= height:
            return font, lines, step
    keep = height // step
    last = lines[keep - 1]
    while last and font.getlength(last + " …") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    return font, [*lines[: keep - 1], last + " …"], step


def _icon(style: str, size: int, colour: str) -> Image.Image:
    """Draw the verdict icon of templates/_macros.html (a 16-unit SVG), supersampled for smooth edges."""
    scale = size * 4 / 16
    tile = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)

    def pts(*xy: float) -> list[tuple[float, float]]:
        return [(xy[i] * scale, xy[i + 1] * scale) for i in range(0, len(xy), 2)]

    def dot(x: float, y: float, radius: float) -> None:
        draw.ellipse(pts(x - radius, y - radius, x + radius, y + radius), fill=colour)

    def line(*xy: float, width: float = 2.2) -> None:
        """Draw a polyline with round caps and joins."""
        draw.line(pts(*xy), fill=colour, width=round(width * scale), joint="curve")
        for i in range(0, len(xy), 2):
            dot(xy[i], xy[i + 1], width / 2)

    def outline(*xy: float, width: float) -> None:
        """Draw a closed path with its stroke centred on the path, as SVG does."""
        draw.line(pts(*xy, *xy[:4]), fill=colour, width=round(width * scale), joint="curve")

    def ring() -> None:
        """Draw the r=6.5 circle; Pillow strokes inwards, so widen the box by half the stroke."""
        draw.ellipse(pts(0.6, 0.6, 15.4, 15.4), outline=colour, width=round(1.8 * scale))

    if style == "accurate":
        line(2.5, 8.5, 6, 12, 13.5, 4, width=2.4)
    elif style == "mostly-accurate":
        line(1.5, 8, 4.5, 11, 10.5, 4.5)
        line(11, 12.5, 14.5, 12.5)
    elif style == "needs-context":
        ring()
        line(8, 7.2, 8, 11.8, width=2)
        dot(8, 4.6, 1.15)
    elif style == "misleading":
        outline(8, 1.8, 14.6, 14, 1.4, 14, width=1.8)
        line(8, 6.3, 8, 10.1, width=1.9)
        dot(8, 12, 1.05)
    elif style == "inaccurate":
        line(3.5, 3.5, 12.5, 12.5, width=2.4)
        line(12.5, 3.5, 3.5, 12.5, width=2.4)
    elif style == "unverifiable":
        ring()
        draw.arc(pts(5.1, 3.3, 10.9, 9.1), 180, 73, fill=colour, width=round(1.8 * scale))
        line(8.6, 8.1, 8, 9.2, 8, 9.7, width=1.8)
        dot(8, 11.6, 1.05)
    else:
        outline(2.5, 3, 13.5, 3, 13.5, 10.5, 7.5, 10.5, 4.3, 13.3, 4.3, 10.5, 2.5, 10.5, width=1.7)
    return tile.resize((size, size), Image.Resampling.LANCZOS)


def draw_card(card: Card, fonts: Fonts) -> bytes:
    """Draw the share image; the same card and fonts always give the same bytes."""
    colour = card.colour
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 23, HEIGHT), fill=colour)
    site = _font(fonts.regular, 30)
    draw.text((_MARGIN, 64), card.site, font=site, fill=MUTED)
    draw.line((_MARGIN, 118, WIDTH - _MARGIN, 118), fill=RULE, width=2)

    font, lines, step = _fit_claim(card.claim, fonts.bold)
    for index, text in enumerate(lines):
        draw.text((_MARGIN, _CLAIM_TOP + index * step), text, font=font, fill=TEXT)

    label_font = _font(fonts.bold, 40)
    icon_size, pad = 48, 22
    label_width = round(label_font.getlength(card.label))
    box = (_MARGIN, 478, _MARGIN + pad + icon_size + 16 + label_width + pad + 8, 566)
    draw.rounded_rectangle(box, radius=44, fill=SURFACE, outline=colour, width=5)
    icon = _icon(card.style, icon_size, colour)
    middle = (box[1] + box[3]) // 2
    image.paste(icon, (box[0] + pad + 6, middle - icon_size // 2), icon)
    draw.text((box[0] + pad + 6 + icon_size + 16, middle), card.label, font=label_font, fill=colour, anchor="lm")

    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=3)  # no metadata chunks; fast, ~60 KB
    return out.getvalue()


class CardCache:
    """The share images drawn before, in the project's .factsite/cache/share/, listed once per build."""

    def __init__(self, root: Path, *, keep: bool = True) -> None:
        """`keep`: keep newly drawn images in the cache (never for `check`, which writes nothing)."""
        self.folder, self.keep = root / SHARE_CACHE_DIR, keep
        try:
            self.names = set(os.listdir(self.folder))
        except OSError:
            self.names = set()

    def card(self, card: Card, fonts: Fonts) -> tuple[str, bytes | Path]:
        """Return the card's hash and its PNG: the cached file that holds it, or the image newly drawn."""
        key = card_key(card, fonts)
        name = f"{key}.png"
        if name in self.names:
            return key, self.folder / name
        data = draw_card(card, fonts)
        if self.keep:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomic(self.folder / name, data)
            except OSError:
                pass  # a read-only project still builds; the image is drawn again next time
        return key, data
