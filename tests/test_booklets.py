"""The booklets: each calendar year's Calendar of Activities as an A4 PDF, read
back with pypdf as a reader would check it (text, outline, links, metadata)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
import yaml

from conftest import EPOCH, FIXTURE, build_to, read

BASE = "https://example.org/wego/"


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


def uris(reader: pypdf.PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                found.append(str(action["/URI"]))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus with its booklets, under a sub-path base URL."""
    import shutil

    content = tmp_path_factory.mktemp("booklets") / "content"
    shutil.copytree(FIXTURE, content)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text().replace("booklets: false", "booklets: true"))
    out = content.parent / "site"
    res = build_to(content, out, "--no-search", "--base-url", BASE)
    assert res.code == 0, res.err
    return out


def test_each_year_has_a_booklet_linked_from_its_page(site: Path) -> None:
    for year in (2024, 2025):
        pdf = site / "calendar" / str(year) / "booklet.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        page = read(site, f"calendar/{year}/index.html")
        assert f'<a href="/wego/calendar/{year}/booklet.pdf" type="application/pdf">' in page


def test_the_booklet_reads_in_wegos_order(site: Path) -> None:
    reader = pypdf.PdfReader(site / "calendar" / "2024" / "booklet.pdf")
    marks = outline(reader)
    parts = [title for level, title, _ in marks if level == 1]
    # the programme areas in the vocabulary's order (taxonomies.yaml), then the rest
    assert parts == [
        "Contents",
        "Overview of 2024 activities",
        "Governance",
        "Prize & Awards",
        "Capacity-Building",
        "Regional Networks",
        "Conferences and expos with Fixture",
        "Governance in 2024",
        "Contact",
    ]
    pages = [page for _, _, page in marks]
    assert pages == sorted(pages) and pages[0] == 2  # the cover comes first
    assert len(reader.pages) == pages[-1]  # the contact page ends it
    cover = reader.pages[0].extract_text()
    assert "2024" in cover and "Calendar of Activities" in cover and "Fixture Org" in cover
    # the contents give each part's page
    contents = reader.pages[1].extract_text()
    for title, page in [(t, p) for level, t, p in marks if level == 1][1:]:
        assert re.search(rf"{re.escape(title)}\s*{page}\b", contents), (title, page)


def test_every_event_of_the_year_appears_once(site: Path) -> None:
    """WeGO's own events each have their entry (a bookmark) in their area's
    section; those others organise are in the conferences table; none twice."""
    reader = pypdf.PdfReader(site / "calendar" / "2024" / "booklet.pdf")
    areas = {"Governance", "Prize & Awards", "Capacity-Building", "Regional Networks"}
    entries, part = [], ""
    for level, title, _ in outline(reader):
        part = title if level == 1 else part
        if level == 2 and part in areas:
            entries.append(title)
    own, others = [], []
    for path in sorted((FIXTURE / "events" / "2024").glob("*.md")):
        data = yaml.safe_load(path.read_text().split("---")[1])
        (others if data.get("external") else own).append(data["title"])
    assert own and others
    assert sorted(entries) == sorted(own)
    (page,) = [n for _, t, n in outline(reader) if t == "Conferences and expos with Fixture"]
    table = reader.pages[page - 1].extract_text()
    for title in others:
        assert title not in entries and table.count(title) == 1, title


def test_the_overview_gives_month_and_city_as_the_calendar_does(site: Path) -> None:
    reader = pypdf.PdfReader(site / "calendar" / "2024" / "booklet.pdf")
    overview = reader.pages[2].extract_text()
    assert overview.startswith("Overview of 2024 activities")
    # the area headings in order, each activity with its month (or Q, or Year-round)
    areas = [a for a in ("Governance", "Prize & Awards", "Capacity-Building", "Regional Networks")]
    positions = [overview.index(a) for a in areas]
    assert positions == sorted(positions)
    assert re.search(r"Executive Committee Meeting 2024\s+Sep\s+Almaty", overview), overview
    assert re.search(r"CJK Smart City Forum \(postponed\)\s+Jun", overview), overview


@pytest.mark.parametrize("name", ["booklet.pdf", "review.pdf"])
def test_links_are_absolute_under_the_base_url_and_lead_to_pages(site: Path, name: str) -> None:
    reader = pypdf.PdfReader(site / "calendar" / "2024" / name)
    links = [u for u in uris(reader) if not u.startswith("mailto:")]
    assert len(links) > 10
    for link in links:
        assert link.startswith(BASE), link
        page = site / link[len(BASE) :] / "index.html" if link.endswith("/") else None
        assert page is not None and page.is_file(), link


def test_metadata_tags_and_fonts(site: Path) -> None:
    reader = pypdf.PdfReader(site / "calendar" / "2024" / "booklet.pdf")
    meta = reader.metadata
    assert meta is not None and meta.title == "Fixture 2024 Calendar of Activities"
    assert meta.author == "Fixture Org"
    built = datetime.fromtimestamp(int(EPOCH), tz=UTC)
    assert meta.creation_date == built  # SOURCE_DATE_EPOCH, not the clock
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # tagged, with a language
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    # the vendored DejaVu faces (@font-face "Booklet Sans"), not the machine's fonts
    assert fonts and all(name.startswith("Booklet-Sans") for name in fonts), fonts


def test_the_same_content_gives_the_same_pdf(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    content = site.parent / "content"
    res = build_to(content, again, "--no-search", "--no-cache", "--base-url", BASE)
    assert res.code == 0, res.err
    for year in (2024, 2025):
        rel = f"calendar/{year}/booklet.pdf"
        assert (again / rel).read_bytes() == (site / rel).read_bytes()


def test_no_pdf_skips_the_booklets_and_their_links(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = build_to(site.parent / "content", out, "--no-search", "--no-pdf")
    assert res.code == 0, res.err
    assert not list(out.rglob("*.pdf"))
    assert "booklet.pdf" not in read(out, "calendar/2024/index.html")


def test_the_real_2024_booklet_follows_the_content(real_site: Path) -> None:
    """WeGO's 2024 calendar: the overview lists the programme areas in WeGO's
    order, each activity with its month (or season) and city as the content has
    them, and every event of 2024 is in the booklet once."""
    from conftest import ROOT
    from wego_site.loader import load_content
    from wego_site.site import build_site

    model = build_site(load_content(ROOT / "content"), date(2024, 6, 15), datetime(2024, 6, 15))
    events = model.events_in(2024)
    reader = pypdf.PdfReader(real_site / "calendar" / "2024" / "booklet.pdf")
    marks = outline(reader)
    (first,) = [n for _, t, n in marks if t == "Overview of 2024 activities"]
    (after,) = [n for level, t, n in marks if level == 1 and t == "Governance"]
    overview = " ".join(reader.pages[n].extract_text() for n in range(first - 1, after - 1))
    overview = re.sub(r"\s+", " ", overview)
    labels = model.taxonomies.event_categories
    shown = [labels[k] for k in labels if any(e.data.category == k for e in events)]
    assert [overview.index(label) for label in shown] == sorted(
        overview.index(label) for label in shown
    )
    for e in events:
        if not e.data.external:
            row = f"{e.data.title} {e.month_label} {e.short_place or 'TBD'}"
            assert row in overview, row
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages[after - 1 :]))
    entries = [t for level, t, _ in marks if level == 2]
    for e in events:
        if e.data.external:
            assert text.count(e.data.title) >= 1, e.data.title
        else:
            assert entries.count(e.data.title) == 1, e.data.title


# -- the year in review ---------------------------------------------------------


def test_a_year_that_has_begun_has_its_review(site: Path) -> None:
    """The build date is 15 June 2024: 2024 has a review, 2025 not yet."""
    page = read(site, "calendar/2024/review/index.html")
    assert "<h1" in page and "2024 in review" in page
    assert not (site / "calendar" / "2025" / "review").exists()
    year = read(site, "calendar/2024/index.html")
    assert '<a href="/wego/calendar/2024/review/">2024 in review</a>' in year
    assert "/calendar/2025/review/" not in read(site, "calendar/2025/index.html")
    # quarter by quarter, governance meetings apart, then the next year's plans
    quarters = re.findall(r'<h3 id="q-\d">([^<]+)</h3>', page)
    assert quarters == ["Q2: April to June", "Q3: July to September", "Q4: October to December"]
    meetings = page.split('id="governance-title"')[1].split("</section>")[0]
    for title in ("Kick-off Briefing Session", "WeGO Executive Committee Meeting 2024"):
        assert title in meetings and page.count(f">{title}</a>") == 1
    assert 'CJK Smart City Forum</a> <strong class="status">Postponed</strong>' in page
    assert 'Cancelled Expo</a> <strong class="status">Cancelled</strong>' in page
    forward = page.split('id="forward-title"')[1]
    assert "Forward to 2025" in forward and "General Assembly 2025" in forward


def test_the_review_pdf_has_the_pages_parts(site: Path) -> None:
    reader = pypdf.PdfReader(site / "calendar" / "2024" / "review.pdf")
    parts = [t for level, t, _ in outline(reader) if level == 1]
    assert parts == [
        "Contents",
        "2024 quarter by quarter",
        "Governance meetings",
        "Conferences and expos with Fixture",
        "Forward to 2025",
        "Contact",
    ]
    assert reader.metadata is not None and reader.metadata.title == "Fixture 2024 in Review"
    assert '<a href="/wego/calendar/2024/review.pdf" type="application/pdf">' in read(
        site, "calendar/2024/review/index.html"
    )


def test_the_2020_review_lists_new_members_and_the_region_counts(real_site: Path) -> None:
    """WeGO's 2020 in review, from the content: the members who joined in 2020
    with their dates, and the Annual Report's members by region and country."""
    from conftest import ROOT

    joined = []
    for path in sorted((ROOT / "content" / "members").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        when = str(data.get("joined", ""))
        if when.startswith("2020"):
            joined.append((data["name"], when))
    assert len(joined) == 19
    page = read(real_site, "calendar/2020/review/index.html")
    members = page.split('id="members-title"')[1].split('id="membership-title"')[0]
    reader = pypdf.PdfReader(real_site / "calendar" / "2020" / "review.pdf")
    (start,) = [n for lv, t, n in outline(reader) if lv == 1 and t == "Members"]
    (end,) = [n for lv, t, n in outline(reader) if lv == 1 and t.startswith("Forward")]
    text = re.sub(
        r"\s+", " ", " ".join(reader.pages[n].extract_text() for n in range(start - 1, end - 1))
    )
    for name, when in joined:
        y, m, d = (int(x) for x in when.split("-"))
        day = f"{d} {date(y, m, d):%B} {y}"
        assert re.search(rf"<td>{day}</td><td><a [^>]+>{re.escape(name)}</a>", members), name
        assert f"{day} {name}" in text, name
    # the report's own figures: 209 members, local governments by region and country
    assert "<strong>209</strong> members" in page and "209 members" in text
    for region, count in [("Africa", 47), ("Asia-Pacific", 73), ("Europe", 17), ("Middle East", 8)]:
        assert f'<th scope="rowgroup">{region}</th><td class="num"><strong>{count}</strong>' in page
        assert f"{region} {count}" in text
    assert "Americas 10 (9 named)" in text
    assert re.search(r"Nepal</td><td class=\"num\">18<", page) and "Nepal 18" in text
