"""Share cards: drawn the same every time, cached by their text, off by default."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from conftest import build_to
from wego_site.cards import Card, draw


def card(**kw: str) -> Card:
    base = {
        "site": "WeGO",
        "full_name": "World Smart Sustainable Cities Organization",
        "kicker": "Governance · 2024 calendar",
        "title": "WeGO Executive Committee Meeting 2024",
        "detail": "19-21 September 2024 · Almaty, Kazakhstan",
        "colour": "#00558c",
    }
    return Card(**{**base, **kw})


def test_a_card_is_a_reproducible_jpeg() -> None:
    one = draw(card())
    assert one == draw(card())
    with Image.open(io.BytesIO(one)) as img:
        assert img.format == "JPEG" and img.size == (1200, 630)
        assert not img.info.get("exif")
    assert draw(card(title="Another title")) != one


def test_the_cache_key_follows_the_text() -> None:
    assert card().key == card().key
    assert card(detail="Postponed").key != card().key
    assert card(colour="").key != card().key


def test_long_titles_shrink_then_end_in_an_ellipsis() -> None:
    from PIL import ImageDraw

    from wego_site.cards import _fit

    d = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    size, lines = _fit(d, "Seoul Smart City Prize", 1056)
    assert size == 64 and lines == ["Seoul Smart City Prize"]
    size, lines = _fit(d, "word " * 80, 1056)
    assert size == 40 and len(lines) == 3 and lines[-1].endswith(" …")
    draw(card(title="x" * 400))  # one unbreakable word still fits


def test_cards_are_off_unless_the_site_asks(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build_to(corpus, out, "--no-search").code == 0
    assert not list(out.rglob("card.jpg"))
    assert 'property="og:image"' not in (out / "index.html").read_text()
    assert '<meta property="og:title" content="' in (out / "index.html").read_text()
    settings = corpus / "site.yaml"
    settings.write_text(settings.read_text() + "share_cards: true\n")
    res = build_to(corpus, tmp_path / "with", "--no-search")
    assert res.code == 0, res.err
    cards = {
        p.parent.relative_to(tmp_path / "with").as_posix()
        for p in (tmp_path / "with").rglob("card.jpg")
    }
    assert {".", "projects", "members", "calendar", "calendar/2024", "members/seoul"} <= cards
    home = (tmp_path / "with" / "index.html").read_text()
    assert '<meta property="og:image" content="https://example.org/card.jpg">' in home


def test_a_title_the_font_cannot_draw_gets_the_sections_card(corpus: Path, tmp_path: Path) -> None:
    """The vendored font has no Hangul: a member named in Hangul shows the
    directory's card instead of a card of boxes."""
    from wego_site.cards import covers

    assert covers("Almaty · Қазақстан · São Paulo · أبوظبي")
    assert not covers("서울특별시") and not covers("北京")
    (corpus / "site.yaml").write_text((corpus / "site.yaml").read_text() + "share_cards: true\n")
    member = corpus / "members" / "seoul.yaml"
    text = member.read_text().replace("name: Seoul Metropolitan Government", "name: 서울특별시", 1)
    member.write_text(text.replace("short_name: Seoul\n", ""))
    res = build_to(corpus, tmp_path / "out", "--no-search")
    assert res.code == 0, res.err
    assert not (tmp_path / "out" / "members" / "seoul" / "card.jpg").exists()
    page = (tmp_path / "out" / "members" / "seoul" / "index.html").read_text()
    assert '<meta property="og:image" content="https://example.org/members/card.jpg">' in page
