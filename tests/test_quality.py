"""Quality gates without a browser: valid HTML, no broken links, page weight."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT
from quality import PAGE_TYPES, readers_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.imgs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "canonical"):
                self.refs.append(str(a[key]))
        if tag == "img":
            self.imgs.append(a)


def parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_html_is_valid(real_site: Path) -> None:
    """The Nu HTML Checker reports no error on any generated page."""
    java = shutil.which("java")
    assert java, "Java is required for the Nu HTML Checker (apt-get install openjdk-17-jre)"
    assert VNU.is_file(), "vnu.jar missing: run 'npm install' (make test does)"
    proc = subprocess.run(
        [
            java,
            "-Xss8m",
            # a short run: the quick compiler alone and one GC thread take half
            # the CPU time of the JVM's defaults (8 s against 17 s for 490 pages)
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(VNU),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "gnu",
            str(real_site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 0 and not errors, "\n".join(errors[:30])


def test_every_internal_link_and_anchor_resolves(real_site: Path) -> None:
    parsed = {p: parse(p) for p in readers_pages(real_site)}
    ids = {p: r.ids for p, r in parsed.items()}
    broken: list[str] = []
    for page, refs in parsed.items():
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "data:")):
                continue
            if ref.startswith("#"):
                target = page
            else:
                assert parts.path.startswith("/wego/"), f"{page}: {ref} ignores the base URL"
                target = real_site / unquote(parts.path[len("/wego/") :])
                if parts.path.endswith("/"):
                    target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(real_site)} -> {ref}")
                continue
            frag = parts.fragment
            if frag and target.suffix == ".html":
                target_ids = ids.get(target) or parse(target).ids
                if frag not in target_ids:
                    broken.append(f"{page.relative_to(real_site)} -> {ref} (no #{frag})")
    assert not broken, "\n".join(sorted(set(broken))[:40])


def _size(site: Path, rel: str) -> int:
    return (site / rel).stat().st_size


def test_page_weight_budgets(real_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """HTML+CSS+JS <= 150 KB, CSS <= 30 KB, JS <= 20 KB per page; figures printed."""
    rows = []
    over = []
    for name, path in PAGE_TYPES.items():
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        html = (real_site / rel).read_text(encoding="utf-8")
        css = sum(
            _size(real_site, u.removeprefix("/wego/"))
            for u in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        )
        js = sum(
            _size(real_site, u.removeprefix("/wego/"))
            for u in re.findall(r'<script src="([^"]+)"', html)
        )
        h = len(html.encode())
        total = h + css + js
        rows.append(
            f"{name:16} html {h / 1024:6.1f} KB  css {css / 1024:5.1f} KB  "
            f"js {js / 1024:5.1f} KB  total {total / 1024:6.1f} KB"
        )
        if total > 150 * 1024 or css > 30 * 1024 or js > 20 * 1024:
            over.append(rows[-1])
        assert "@font-face" not in html and "fonts.googleapis" not in html
    with capsys.disabled():
        print("\npage weight per page type (uncompressed):\n  " + "\n  ".join(rows))
    assert not over, "over budget:\n" + "\n".join(over)


def test_images_are_lazy_with_dimensions(real_site: Path) -> None:
    """Content images load lazily; the header's wordmark (always in view) does not."""
    for page in readers_pages(real_site):
        for img in parse(page).imgs:
            wordmark = img.get("class") == "wordmark"
            assert img.get("loading") == (None if wordmark else "lazy"), page
            assert img.get("width") and img.get("height"), page
            assert img.get("alt") is not None, page


def test_every_feed_parses_back(real_site: Path) -> None:
    """Every .ics of the real site parses with icalendar; CRLF and folding per RFC 5545."""
    from icalendar import Calendar

    feeds = sorted(real_site.rglob("*.ics"))
    assert len(feeds) > 100
    for path in feeds:
        raw = path.read_bytes()
        assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
        assert b"\n" not in raw.replace(b"\r\n", b""), path
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), path
        cal = Calendar.from_ical(raw)
        events = cal.walk("VEVENT")
        assert events, path
        for ev in events:
            assert ev.get("uid") and ev.get("dtstart") and ev.get("dtstamp"), path
        tzids = {
            str(ev["dtstart"].params["TZID"]) for ev in events if "TZID" in ev["dtstart"].params
        }
        assert tzids <= {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}, path
    import xml.etree.ElementTree as ET

    ET.fromstring((real_site / "feed.xml").read_bytes())
    ET.fromstring((real_site / "sitemap.xml").read_bytes())


def test_every_page_has_a_share_card_that_exists(real_site: Path) -> None:
    """og:image on every page, pointing at a 1200 x 630 JPEG of the build: the
    page's own card (entries, sections, years), else its section's."""
    from PIL import Image

    prefix = "https://example.org/wego/"
    own = 0
    for page in readers_pages(real_site):
        html = page.read_text()
        found = re.search(r'<meta property="og:image" content="([^"]+)">', html)
        assert found, page
        assert found.group(1).startswith(prefix), (page, found.group(1))
        card = real_site / found.group(1)[len(prefix) :]
        assert card.is_file(), (page, card)
        own += card.parent == page.parent
        assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert own > 300  # entries and sections have their own
    with Image.open(real_site / "events/2024/excom-2024-almaty/card.jpg") as img:
        assert img.format == "JPEG" and img.size == (1200, 630)
    html = (real_site / "members/country/kr/index.html").read_text()
    assert 'content="https://example.org/wego/members/card.jpg"' in html
