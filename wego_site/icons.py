"""The PNG icons beside the theme's SVG favicon: a 32 px favicon for browsers
that take no SVG, and the 180 px touch icon phones put on a home screen.

They are drawn with Pillow from the same shapes as ``templates/assets/favicon.svg``
(a rounded square, a globe of one circle, one ellipse and two parallels) and
committed with the theme. After changing the drawing, regenerate them with
``python -m wego_site.icons``; a test fails while the files and the drawing differ.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from .cards import BACKGROUND, LIGHT

ASSETS = Path(__file__).resolve().parent.parent / "templates" / "assets"
#: File name and size in pixels of each icon.
ICONS = {"favicon-32.png": 32, "apple-touch-icon.png": 180}
#: Drawn this many times larger, then reduced: smooth edges at every size.
SUPERSAMPLE = 8


def draw(size: int, *, rounded: bool = True) -> bytes:
    """The icon at ``size`` x ``size`` pixels as PNG bytes (no metadata).

    The touch icon is square (``rounded=False``): phones round its corners
    themselves, and a transparent corner would show as black on iOS.
    """
    from PIL import Image, ImageDraw

    big = size * SUPERSAMPLE
    unit = big / 32  # the SVG's viewBox is 32 x 32

    def box(cx: float, cy: float, rx: float, ry: float) -> tuple[float, ...]:
        return ((cx - rx) * unit, (cy - ry) * unit, (cx + rx) * unit, (cy + ry) * unit)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=7 * unit if rounded else 0, fill=BACKGROUND
    )
    # Strokes are centred on the SVG's paths: outer box = radius + half the width.
    pen.ellipse(box(16, 16, 10.5 + 1.5, 10.5 + 1.5), outline=LIGHT, width=round(3 * unit))
    pen.ellipse(box(16, 16, 4.4 + 1, 10.5 + 1), outline=LIGHT, width=round(2 * unit))
    for y in (13, 19):
        pen.rectangle((6 * unit, (y - 0.8) * unit, 26 * unit, (y + 0.8) * unit), fill=LIGHT)
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def drawn() -> dict[str, bytes]:
    """Every icon's file name and bytes, as the drawing makes them now."""
    return {name: draw(size, rounded=size < 64) for name, size in ICONS.items()}


def main() -> None:
    for name, data in drawn().items():
        (ASSETS / name).write_bytes(data)
        sys.stdout.write(f"wrote {ASSETS / name} ({len(data)} bytes)\n")


if __name__ == "__main__":
    main()
