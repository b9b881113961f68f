"""The member directory: grouping, counts, reverse links, governance, growth."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from conftest import FIXTURE, read


def test_directory_groups_by_region_then_country(built: Path) -> None:
    html = read(built, "members/index.html")
    regions = re.findall(r'<h2 id="h-([a-z-]+)">', html)
    assert regions == ["asia-pacific", "europe", "latin-america", "north-america"]
    asia = html.split('id="h-asia-pacific"')[1].split('id="h-europe"')[0]
    countries = re.findall(r'<h3 id="c-[A-Z]{2}"><a href="[^"]+">([^<]+)</a></h3>', asia)
    assert countries == sorted(countries) == ["Kazakhstan", "Republic of Korea"]
    korea = asia.split("Republic of Korea")[1]
    names = re.findall(r'<a href="/members/[^"]+/">([^<]+)</a>', korea)
    assert names == ["Seoul", "Smart Institute"]


def test_counts_per_type_and_region(built: Path) -> None:
    html = read(built, "members/index.html")
    assert "Local Government: <strong>5</strong>" in html
    assert "Corporation: <strong>1</strong>" in html
    assert "Institution: <strong>1</strong>" in html
    assert "Asia-Pacific</a>: <strong>3</strong>" in html


def test_non_ascii_names_intact(built: Path) -> None:
    assert "São Paulo" in read(built, "members/index.html")
    assert ">Beyoğlu</h1>" in read(built, "members/beyoglu/index.html")
    assert "Beyoğlu hosts the <strong>Mediterranean</strong>" in read(
        built, "members/beyoglu/index.html"
    )


def test_member_page_roles_and_reverse_links(built: Path) -> None:
    html = read(built, "members/almaty/index.html")
    assert "Central Asia Regional Office" in html and "since 2024" in html
    assert "term 2024-2026" in html
    assert 'href="/events/2024/excom-2024/"' in html
    assert 'href="/projects/almaty-data-lake/"' in html
    assert "Kazakhstan" in html and "5 March 2020" in html
    seoul = read(built, "members/seoul/index.html")
    assert 'href="/events/2025/general-assembly/"' in seoul  # host
    assert 'href="/events/2024/prize-ceremony/"' in seoul  # partner
    assert 'href="/projects/big-data-campus/"' in seoul


def test_facet_pages_for_directory(built: Path) -> None:
    html = read(built, "members/type/corporation/index.html")
    assert re.findall(r'<li data-item="([^"]+)"', html) == ["oslo-tech"]
    html = read(built, "members/type/local-government/region/asia-pacific/index.html")
    assert sorted(re.findall(r'<li data-item="([^"]+)"', html)) == ["almaty", "seoul"]


def test_governance_page(built: Path) -> None:
    html = read(built, "members/governance/index.html")
    excom = html.split("Executive Committee 2024-2026")[1].split("</section>")[0]
    assert "Almaty" in excom and "Seoul" in excom
    assert "As listed in The Fixture Report" in html
    offices = html.split('id="offices"')[1]
    assert offices.index("Mediterranean") < offices.index("Central Asia")


def test_growth_chart_numbers_equal_table(built: Path) -> None:
    html = read(built, "members/growth/index.html")
    table = re.findall(r'<tr><th scope="row">(\d{4})</th><td>(\d+)</td><td>(\d+)</td></tr>', html)
    assert table[0] == ("2010", "1", "1")
    assert table[-1] == ("2020", "2", "5")
    labels = re.findall(r'class="value">(\d+)</text>', html)
    assert labels == [cum for _, _, cum in table]
    assert "<svg" in html and 'role="img"' in html
    assert "2 members have no recorded join date" in html


def test_members_csv(built: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(read(built, "data/members.csv"))))
    assert len(rows) == 7
    beyoglu = next(r for r in rows if r["slug"] == "beyoglu")
    assert beyoglu["name"] == "Beyoğlu" and beyoglu["region"] == "europe"
    assert "regional-office (Mediterranean Regional Office)" in beyoglu["roles"]


def test_the_member_map_has_one_linked_shape_per_member_country(built: Path) -> None:
    html = read(built, "members/index.html")
    svg = html.split('<figure class="world-map"')[1].split("</figure>")[0]
    links = re.findall(
        r'<a href="(/members/country/([a-z]{2})/)" class="m\d" aria-label="([^"]+)">', svg
    )
    members = sorted(
        {p.read_text().split("country:")[1].split()[0] for p in (FIXTURE / "members").iterdir()}
    )
    assert sorted(code.upper() for _, code, _ in links) == members
    for path, _, label in links:
        assert (built / path.strip("/") / "index.html").is_file(), path
        assert re.fullmatch(r"[A-Z][\w ]+: \d+ members?", label), label
    # every shape is a path or, for a country too small to draw, a dot
    assert svg.count("<path d=") + svg.count("<circle") == len(links)
    assert 'class="land" aria-hidden="true"' in svg
    table = html.split('<details class="map-table">')[1].split("</details>")[0]
    assert len(re.findall(r'<tr><th scope="row"><a href="/members/country/', table)) == len(links)
    assert "Members worldwide" in read(built, "index.html")


def test_a_country_page_lists_its_members_projects_and_events(built: Path) -> None:
    html = read(built, "members/country/kr/index.html")
    assert "<h1>Republic of Korea</h1>" in html
    assert '<a href="/members/seoul/">Seoul</a>' in html
    assert "President City" in html
    assert '<a href="/members/region/asia-pacific/">Asia-Pacific</a>' in html  # breadcrumb
    member = read(built, "members/seoul/index.html")
    assert '<dd><a href="/members/country/kr/">Republic of Korea</a></dd>' in member


def test_roles_read_as_copy_with_the_documents_in_the_footnote(built: Path) -> None:
    html = read(built, "members/seoul/index.html")
    roles = html.split('<ul class="roles">', 1)[1].split("</ul>", 1)[0]
    assert "muted" not in roles  # no document titles beside the roles
    assert "Source" in html.split("</article>")[0].rsplit('<p class="sources"', 1)[-1]
    assert '<h1 data-pagefind-weight="10">' in html
    assert '<p class="subtitle" data-pagefind-weight="10">' in html


def test_a_member_page_shows_what_is_nearby(built: Path) -> None:
    """A short member page ends with its network: other members of its country
    (else of its region, with their countries), projects from its region not its
    own, and events held in its country (else its region) that are not its own."""

    def nearby(slug: str) -> str:
        html = read(built, f"members/{slug}/index.html")
        return html.split('<aside class="nearby"')[1].split("</aside>")[0]

    institute = nearby("smart-institute")
    assert 'Other members in <a href="/members/country/kr/">Republic of Korea</a>' in institute
    assert 'href="/members/seoul/"' in institute and "smart-institute" not in institute
    assert "Events in Republic of Korea" in institute
    # Almaty is Kazakhstan's only member: its region's members, with their country
    almaty = nearby("almaty")
    assert 'Members in <a href="/members/region/asia-pacific/">Asia-Pacific</a>' in almaty
    assert '<a href="/members/seoul/">Seoul</a> <span class="muted">(Republic of Korea)' in almaty
    # its own project is on its page, not among the nearby ones
    assert "/projects/almaty-data-lake/" not in almaty
    assert '<a href="/projects/region/asia-pacific/">All 2 projects from Asia-Pacific</a>' in almaty
    assert "Events in Asia-Pacific" in almaty
    # Seoul's events are its own: none is repeated as nearby
    assert "Events in" not in nearby("seoul")
