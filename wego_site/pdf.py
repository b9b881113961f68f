"""HTML to PDF for the booklets, with WeasyPrint (``weasyprint`` from PyPI; it
draws with Debian's Pango).

A booklet is a Jinja template rendered like any page, with a stylesheet for
paged media (``templates/booklet/booklet.css``: ``@page`` margin boxes, running
heads from ``string-set``, ``break-*``), then laid out here. The PDF is tagged
(PDF/UA-1: structure tree, document language and title), its outline comes
from the headings' ``bookmark-level``, its links are absolute URLs, and its
fonts are the vendored DejaVu Sans (``data/fonts/``), embedded as subsets, so
that no machine's own fonts change a page.

The same HTML gives the same bytes: WeasyPrint writes no date unless the
document has one (the templates give the build time, from
``SOURCE_DATE_EPOCH`` when set), and its file identifier is a hash of the
content. :func:`key` names the PDF of an HTML text in the build cache.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

FONTS = Path(__file__).parent / "data" / "fonts"
#: The faces a booklet uses: (file, weight, style).
FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
)
#: Bump when what this module adds to a PDF changes (part of every cache key).
VERSION = "1"


def font_faces() -> str:
    """``@font-face`` rules for the vendored fonts (family "Booklet Sans")."""
    rules = []
    for name, weight, style in FACES:
        uri = (FONTS / name).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "Booklet Sans"; src: url("{uri}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


@cache
def engine() -> str:
    """The engine's name and version, and the fonts' sizes: what else decides the bytes."""
    from importlib.metadata import version

    sizes = ",".join(str((FONTS / name).stat().st_size) for name, _, _ in FACES)
    return f"weasyprint {version('weasyprint')}, pydyf {version('pydyf')}, fonts {sizes}"


def key(html: str) -> str:
    """The build cache's name for the PDF of ``html``."""
    h = hashlib.sha256(f"pdf {VERSION}\0{engine()}\0".encode())
    h.update(html.encode())
    return "pdf-" + h.hexdigest()[:32]


def render(html: str) -> bytes:
    """The PDF of a booklet's HTML (links in it must be absolute)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs what it ignores (an unknown CSS property) as warnings:
    # the tests check the output itself, so the build stays quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html, base_url=str(FONTS)).write_pdf(pdf_variant="pdf/ua-1")
