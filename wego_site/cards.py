"""Share cards: the 1200 x 630 JPEG a link preview shows (Open Graph, Twitter),
drawn at build time with Pillow on the brand background: the site's name, a
kicker ("Governance · Calendar 2024"), the title and a line of date and place.

The same card gives the same bytes: one vendored font (DejaVu Sans Bold 2.37,
``data/fonts/``), fixed JPEG settings, no metadata. JPEG, not PNG: a card
encodes in 3 ms instead of 25 and weighs about 40 KB. Cards depend on
their text only, so a build keeps them on disk by that text (``PageItem.cache_key``).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FONT = Path(__file__).parent / "data" / "fonts" / "DejaVuSans-Bold.ttf"
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (0, 61, 102)  # --brand-dark
LIGHT = (124, 199, 244)  # the wordmark's globe
WHITE = (255, 255, 255)
#: Drawing code version: part of every cache key, bumped when cards change.
VERSION = "3"


@dataclass(frozen=True)
class Card:
    """What one share card says."""

    site: str  # "WeGO"
    full_name: str  # "World Smart Sustainable Cities Organization"
    kicker: str  # "Governance · Calendar 2024"
    title: str
    detail: str = ""  # "19-21 September 2024 · Almaty, Kazakhstan"
    colour: str = ""  # "#00558c": the programme area's band at the left edge

    @property
    def key(self) -> str:
        """The card's cache key: its text, its colour and the drawing version."""
        text = "\x1f".join((VERSION, self.site, self.full_name, self.kicker, self.title))
        text += "\x1f" + self.detail + "\x1f" + self.colour
        return "card-" + hashlib.sha256(text.encode()).hexdigest()[:32]


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT), size)


@cache
def _drawn(char: str) -> bool:
    """Whether the font has ``char``: a missing one is drawn as the font's
    "no glyph" box, the same bitmap as a code point no font has."""
    font = _font(30)

    def bitmap(c: str) -> tuple[tuple[int, int], bytes]:
        mask = font.getmask(c)
        return mask.size, bytes(mask)

    return bitmap(char) != bitmap("\U0010fffd")


def covers(text: str) -> bool:
    """Whether the card font draws every character of ``text``. The vendored
    font has Latin, Greek, Cyrillic and Arabic but no Hangul or CJK: a page
    whose title it cannot draw shows its section's card, not boxes."""
    return all(_drawn(c) for c in set(text) if not c.isspace())


def _wrap(draw: Any, text: str, size: int, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` at ``size`` (words kept whole,
    a word longer than a line cut)."""
    font = _font(size)
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width:  # one very long word
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fit(draw: Any, text: str, width: int) -> tuple[int, list[str]]:
    """The largest title size (64 to 40 px) that fits in three lines; past that,
    three lines at 40 px with an ellipsis."""
    for size in (64, 58, 52, 46, 40):
        lines = _wrap(draw, text, size, width)
        if len(lines) <= 3:
            return size, lines
    lines = _wrap(draw, text, 40, width)[:3]
    return 40, [*lines[:2], lines[2].rstrip(".,;: ") + " …"]


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


@cache
def _background(colour: str) -> Any:
    """The brand background with the wordmark's globe, large and quiet, at the
    right, and the programme area's band at the left (drawn once per colour)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    d = ImageDraw.Draw(img)
    if colour:
        d.rectangle((0, 0, 28, HEIGHT), fill=_rgb(colour))
    cx, cy, r = WIDTH - 150, HEIGHT - 140, 210
    globe = (22, 86, 128)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=globe, width=14)
    d.ellipse((cx - r * 0.42, cy - r, cx + r * 0.42, cy + r), outline=globe, width=8)
    for dy in (-r * 0.3, r * 0.3):
        half = (r * r - dy * dy) ** 0.5
        d.line((cx - half, cy + dy, cx + half, cy + dy), fill=globe, width=6)
    return img


def draw(card: Card) -> bytes:
    """The JPEG of ``card``."""
    from PIL import ImageDraw

    img = _background(card.colour).copy()
    d = ImageDraw.Draw(img)
    inner = WIDTH - 2 * MARGIN
    d.text((MARGIN, 64), card.site, font=_font(46), fill=WHITE)
    site_w = d.textlength(card.site, font=_font(46))
    d.text((MARGIN + site_w + 22, 80), card.full_name, font=_font(24), fill=LIGHT)
    y = 200
    if card.kicker and covers(card.kicker):
        d.text((MARGIN, y), card.kicker, font=_font(30), fill=LIGHT)
        y += 58
    size, lines = _fit(d, card.title, inner)
    for line in lines:
        d.text((MARGIN, y), line, font=_font(size), fill=WHITE)
        y += int(size * 1.22)
    if card.detail and covers(card.detail):  # a place the font lacks: no line
        detail = _wrap(d, card.detail, 30, inner)[:2]
        y = max(y + 24, HEIGHT - 72 - 42 * len(detail))
        for line in detail:
            d.text((MARGIN, y), line, font=_font(30), fill=WHITE)
            y += 42
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80, optimize=False, progressive=False)
    return out.getvalue()
