"""End to end: the fixture corpus builds into every page the contract names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import build_to, read

CONTRACT_FILES = [
    "index.html",
    "calendar/index.html",
    "calendar/2024/index.html",
    "calendar/2025/index.html",
    "calendar/2024.ics",
    "calendar.ics",
    "events/2024/excom-2024/index.html",
    "projects/index.html",
    "projects/big-data-campus/index.html",
    "projects/sector/public-safety/index.html",
    "projects/region/latin-america/index.html",
    "projects/stakeholder/academia/index.html",
    "members/index.html",
    "members/seoul/index.html",
    "about/index.html",
    "sitemap.xml",
    "404.html",
    "feed.xml",
    "robots.txt",
    "data/events.json",
    "data/projects.json",
    "data/members.json",
]


@pytest.mark.parametrize("rel", CONTRACT_FILES)
def test_contract_pages_exist(built: Path, rel: str) -> None:
    assert (built / rel).is_file()


def test_raw_html_and_unsafe_links_are_not_rendered(built: Path) -> None:
    html = read(built, "about/index.html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<code>{{ ''.__class__ }}</code>" in html and "{{ 7*7 }}" in html


def test_markdown_site_links_get_base_path(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "sub"
    assert build_to(corpus, out, "--base-url", "https://example.org/wego/").code == 0
    about = read(out, "about/index.html")
    assert 'href="/wego/members/seoul/"' in about
    hrefs = re.findall(r'(?:href|src)="(/[^"]*)"', about + read(out, "index.html"))
    assert hrefs and all(h.startswith("/wego/") for h in hrefs), hrefs
    assert "https://example.org/wego/sitemap.xml" in read(out, "robots.txt")
    assert "<loc>https://example.org/wego/calendar/2024/</loc>" in read(out, "sitemap.xml")


def test_every_internal_link_resolves(built: Path) -> None:
    missing = set()
    for page in built.rglob("*.html"):
        for ref in re.findall(r'(?:href|src)="([^"#?]*)[^"]*"', page.read_text()):
            if not ref.startswith("/") or ref.startswith("//"):
                continue
            target = built / ref.lstrip("/")
            if ref.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                missing.add((page.relative_to(built).as_posix(), ref))
    assert not missing, sorted(missing)[:20]


def test_home_shows_upcoming_events_from_build_date(built: Path) -> None:
    html = read(built, "index.html")
    upcoming = html.split('id="upcoming-title"')[1].split("<h3>")[0]
    # build date 2024-06-15: EXCOM (Sep), prize (Oct), GA 2025 are next; the briefing is past
    assert "WeGO Executive Committee Meeting 2024" in upcoming
    assert "Kick-off Briefing Session" not in upcoming
    assert upcoming.index("Executive Committee") < upcoming.index("Prize Ceremony")


def test_free_page_and_menu(built: Path) -> None:
    html = read(built, "index.html")
    assert 'href="/about/"' in html


def test_open_data_is_the_validated_content(built: Path) -> None:
    events = json.loads(read(built, "data/events.json"))
    assert events["count"] == len(events["items"]) == 9
    excom = next(e for e in events["items"] if e["slug"] == "excom-2024")
    assert excom["date"] == "2024-09-19" and excom["end"] == "2024-09-21"
    assert excom["location"]["country"] == "KZ"
    members = json.loads(read(built, "data/members.json"))
    oslo = next(m for m in members["items"] if m["slug"] == "oslo-tech")
    assert oslo["country"] == "NO" and oslo["region"] == "europe"
    projects = json.loads(read(built, "data/projects.json"))
    assert "draft-project" not in {p["slug"] for p in projects["items"]}


def test_404_and_sitemap(built: Path) -> None:
    assert "Page not found" in read(built, "404.html")
    sm = read(built, "sitemap.xml")
    assert "<loc>https://example.org/members/seoul/</loc>" in sm
    assert "404" not in sm


def test_static_files_are_copied_as_is(built: Path) -> None:
    src = Path(__file__).parent / "fixtures/site/static/projects/campus.svg"
    assert (built / "static/projects/campus.svg").read_bytes() == src.read_bytes()


def test_html_is_escaped_in_titles(corpus: Path, tmp_path: Path) -> None:
    p = corpus / "events/2024/excom-2024.md"
    p.write_text(
        p.read_text().replace(
            "title: WeGO Executive Committee Meeting 2024", "title: 'Meeting \"<b>&amp;</b>\" 2024'"
        )
    )
    out = tmp_path / "out"
    assert build_to(corpus, out).code == 0
    html = read(out, "events/2024/excom-2024/index.html")
    assert "<b>" not in html
    assert "&#34;&lt;b&gt;&amp;amp;&lt;/b&gt;&#34;" in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld and "<b>" not in ld.group(1)
    assert json.loads(ld.group(1))["name"] == 'Meeting "<b>&amp;</b>" 2024'
