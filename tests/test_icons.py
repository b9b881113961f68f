"""The favicon set: PNG icons beside the SVG, linked from every page."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from conftest import read
from wego_site.icons import ASSETS, ICONS, drawn


def test_the_committed_icons_are_the_drawing() -> None:
    """Regenerate with ``python -m wego_site.icons`` after changing the drawing."""
    for name, data in drawn().items():
        assert (ASSETS / name).read_bytes() == data, f"{name}: run python -m wego_site.icons"
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (ICONS[name], ICONS[name])


def test_the_touch_icon_has_no_transparent_corner() -> None:
    # iOS shows a transparent corner as black; it rounds the corners itself
    with Image.open(ASSETS / "apple-touch-icon.png") as img:
        assert img.convert("RGBA").getpixel((0, 0))[3] == 255


def test_every_page_links_the_icons_that_exist(built: Path) -> None:
    for rel in ["index.html", "calendar/2024/index.html", "projects/index.html"]:
        html = read(built, rel)
        for kind in ['rel="icon"', 'rel="apple-touch-icon"']:
            hrefs = re.findall(rf'<link {kind} href="([^"]+)"', html)
            assert hrefs, (rel, kind)
            for href in hrefs:
                assert (built / href.lstrip("/")).is_file(), href
