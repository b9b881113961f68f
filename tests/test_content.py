"""The real WeGO content: valid, complete where the seeds are, spelled right."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, cli
from wego_site.loader import Content, load_content

#: Local governments named after the December 2020 overview (seed 004, 2024 EXCOM,
#: and the 2022 Lima feasibility study): not part of the 2020 counts.
JOINED_AFTER_2020_OVERVIEW = {"almaty", "cuenca", "lima"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "content")


def test_check_passes_on_real_content() -> None:
    res = cli("check")
    assert res.code == 0, res.err
    assert "Traceback" not in res.err


def test_local_governments_per_region_match_the_2020_overview(content: Content) -> None:
    tax = content.taxonomies
    counts = Counter(
        tax.region_of(m.data.country)
        for m in content.members
        if m.data.type == "local-government" and m.slug not in JOINED_AFTER_2020_OVERVIEW
    )
    # the overview's own counts: Africa 47, Europe 17, Middle East 8, Asia-Pacific 73;
    # "Americas | 10" lists only nine names (seven Latin American, two US cities)
    assert counts["africa"] == 47
    assert counts["europe"] == 17
    assert counts["middle-east"] == 8
    assert counts["asia-pacific"] == 73
    assert counts["latin-america"] + counts["north-america"] == 9
    assert sum(counts.values()) == 154


def test_member_types(content: Content) -> None:
    types = Counter(m.data.type for m in content.members)
    assert types["local-government"] == 157
    assert types["corporation"] >= 7 and types["institution"] >= 5


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("sao-paulo", "São Paulo"),
        ("beyoglu", "Beyoğlu"),
        ("pittsburgh", "Pittsburgh"),
        ("asuncion", "Asunción"),
        ("mugla", "Muğla"),
        ("seoul", "Seoul Metropolitan Government"),
    ],
)
def test_names_are_spelled_right(content: Content, slug: str, name: str) -> None:
    member = next(m for m in content.members if m.slug == slug)
    assert member.data.name == name


def test_excom_2024_2026(content: Content) -> None:
    excom = sorted(
        m.slug
        for m in content.members
        if any(r.role == "excom-member" and r.term == "2024-2026" for r in m.data.roles)
    )
    assert excom == sorted(
        [
            "abu-dhabi",
            "abuja",
            "almaty",
            "chengdu",
            "cuenca",
            "hebron",
            "kampala",
            "makati",
            "maputo",
            "ramgram",
            "sao-paulo",
            "seberang-perai",
            "seoul",
            "wellington",
        ]
    )


def test_regional_offices_over_time(content: Content) -> None:
    offices = {
        m.slug: r for m in content.members for r in m.data.roles if r.role == "regional-office"
    }
    assert {
        "chengdu",
        "ulyanovsk-region",
        "beyoglu",
        "mexico-city",
        "abuja",
        "abu-dhabi",
        "cuenca",
        "almaty",
    } <= set(offices)
    assert offices["chengdu"].since and offices["chengdu"].since.year == 2014
    assert offices["almaty"].since and offices["almaty"].since.year == 2024


def test_key_events(content: Content) -> None:
    events = {(e.data.date.year, e.slug): e.data for e in content.events}
    excom = events[(2024, "excom-2024-almaty")]
    assert (str(excom.date), str(excom.end)) == ("2024-09-19", "2024-09-21")
    assert excom.host == "almaty"
    kickoff = events[(2021, "kick-off-briefing-session")]
    assert str(kickoff.date) == "2021-02-24" and kickoff.time and kickoff.time.hour == 17
    assert sum(1 for y, _ in events if y == 2020) >= 20
    assert any(e.status.value == "postponed" for (y, _), e in events.items() if y == 2020)
    assert any(e.year_round for (y, _), e in events.items() if y == 2021)
    assert any(e.date.precision.name == "QUARTER" for (y, _), e in events.items() if y == 2021)


def test_catalog_projects(content: Content) -> None:
    slugs = {p.slug for p in content.projects}
    assert {
        "big-data-campus",
        "almaty-data-lake",
        "lima-destino-inteligente",
        "my-safe-city",
        "free-fab-lab-sp-network",
    } <= slugs
    campus = next(p for p in content.projects if p.slug == "big-data-campus")
    assert campus.data.city == "seoul" and "## Key results" in campus.source.body


def test_no_ocr_leftovers(content: Content) -> None:
    bad = ["WeGQ", "Sdo Paulo", "Pittshurgh", " loT ", "Tolpel", "CusFomizing"]
    for path in (ROOT / "content").rglob("*"):
        if path.is_file() and path.suffix in {".md", ".yaml"}:
            text = path.read_text(encoding="utf-8")
            for word in bad:
                assert word not in text, f"{path}: {word}"


def test_build_of_real_content(tmp_path: Path) -> None:
    res = cli("build", "--out", str(tmp_path / "site"))
    assert res.code == 0, res.err
    assert (tmp_path / "site/members/almaty/index.html").is_file()


# -- What the sources say, pinned (issue "Content truth II") -----------------------------


def test_december_2020_membership_as_the_annual_report_gives_it(content: Content) -> None:
    shot = next(s for s in content.organisation.membership if str(s.as_of) == "2020-12")
    assert shot.total == 209
    assert shot.by_type == {"local-government": 155, "corporation": 35, "institution": 19}
    regions = {r.label: (r.count, r.named) for r in shot.local_governments_by_region}
    assert regions == {
        "Africa": (47, None),
        "Asia-Pacific": (73, None),
        "Europe": (17, None),
        "Middle East": (8, None),
        "Americas": (10, 9),
    }
    assert sum(c for c, _ in regions.values()) == shot.by_type["local-government"]
    assert [s.doc for s in shot.sources] == ["annual-report-2020"]


def test_the_directory_says_what_it_holds_and_what_wego_had(real_site: Path) -> None:
    page = (real_site / "members/index.html").read_text()
    about = page.split('id="about-data"', 1)[1]
    assert "<strong>209</strong> members as of December 2020" in about
    assert "This directory lists <strong>170</strong>" in about
    assert "names nine" in about and "Kankai" in about
    assert "over 200" not in (ROOT / "content/site.yaml").read_text()


def test_regional_offices_each_document_names(real_site: Path) -> None:
    """The 2024 calendar names six offices; Ulyanovsk Region and Mexico City are
    named by the 2020 documents and not by it."""
    page = (real_site / "members/governance/index.html").read_text()
    table = page.split('id="offices"', 1)[1].split("</table>", 1)[0]
    head = table.split("</thead>", 1)[0]
    columns = [c.split("<", 1)[0] for c in head.split('<th scope="col">')[1:]]
    assert columns[3:] == [
        "What is WeGO? (c. 2017)",
        "WeGO 2020 Activities",
        "WeGO 2020 Annual Report",
        "WeGO 2021 Activities Kick-off",
        "WeGO 2024 Calendar of Activities",
    ]
    listed_2024 = set()
    for row in table.split("<tr>")[2:]:
        host = row.split("/members/", 1)[1].split("/", 1)[0]
        cells = row.split('<td class="listed">')[1:]
        if 'visually-hidden">listed' in cells[-1]:
            listed_2024.add(host)
    assert listed_2024 == {"chengdu", "beyoglu", "abuja", "abu-dhabi", "cuenca", "almaty"}


def test_governance_names_the_people_the_sources_name(real_site: Path) -> None:
    page = (real_site / "members/governance/index.html").read_text()
    for name in ["Jeong Hyup Seo", "Young-sook Nam", "Kyong-yul Lee", "Abiodun Essiet"]:
        assert f'<th scope="row">{name}</th>' in page
    board = page.split("Advisory board of the WeGO 2030 Masterplan", 1)[1].split("</table>")[0]
    assert board.count('<th scope="row">') == 7


def test_the_2024_overview_has_the_booklets_sixteen_items(real_site: Path) -> None:
    """Seven programme areas, 16 WeGO items; the 12 "possible conferences" apart."""
    page = (real_site / "calendar/2024/index.html").read_text()
    overview = page.split('id="overview-title"', 1)[1].split("</table>", 1)[0]
    assert overview.count('href="/wego/events/2024/') == 16
    assert overview.count('scope="rowgroup"') == 7
    external = page.split('id="external-title"', 1)[1].split("</table>", 1)[0]
    assert external.count('href="/wego/events/2024/') == 12


def test_plans_are_not_written_as_outcomes(content: Content) -> None:
    by_slug = {e.slug: e.data for e in content.events if e.data.date.year == 2024}
    for slug in ["excom-2024-almaty", "seoul-smart-city-prize-ceremony"]:
        assert "to be held" in by_slug[slug].summary
    assert "planned" in by_slug["solutions-meet-cities-2024"].summary
    for e in content.events:
        if e.data.date.year == 2024:
            assert ", held in" not in e.data.summary, e.slug


def test_no_award_category_is_claimed_for_a_winner(content: Content) -> None:
    """The Annual Report gives the six categories and twelve winners, not who won which."""
    for p in content.projects:
        text = p.data.summary + " ".join(p.data.awards) + p.source.body
        assert "category winner" not in text and "category of the 4th" not in text, p.slug


def test_format_only_where_a_source_states_it(content: Content) -> None:
    events = {(e.data.date.year, e.slug): e.data for e in content.events}
    for key in [(2020, "5th-wego-general-assembly-makati"), (2020, "kyoto-smart-city-expo-2020")]:
        assert "format" not in events[key].model_fields_set
    assert events[(2020, "excom-2020-moscow")].format.value == "online"


def test_no_growth_curve_from_a_few_join_dates(real_site: Path) -> None:
    """26 of 170 members have a join date: the page gives the documents' figures
    (129 c. 2017, 209 in December 2020) and no chart drawn from the 26."""
    page = (real_site / "members/growth/index.html").read_text()
    assert "<svg" not in page and "too few to draw" in page
    figures = page.split('id="figures"', 1)[1].split("</table>", 1)[0]
    assert "129" in figures and "209 (up 39% since 2018)" in figures


def test_the_directory_header_states_no_count_a_filter_contradicts(real_site: Path) -> None:
    page = (real_site / "members/index.html").read_text()
    head = page.split('<div class="page-head">', 1)[1].split("</div>", 1)[0]
    assert "of 170 members" not in head and "had 209 members" in head


def test_governance_leads_with_who_runs_wego_now(real_site: Path) -> None:
    page = (real_site / "members/governance/index.html").read_text()
    now = page.split('id="now"', 1)[1].split('id="history"', 1)[0]
    assert (
        page.index('id="now"')
        < page.index('id="history"')
        < page.index("What is WeGO? (c. 2017)</h3>")
    )
    assert "Executive Committee 2024-2026" in now and now.count("/members/") >= 14 + 6
    offices = now.split("<h3>Regional offices</h3>", 1)[1].split("</ul>", 1)[0]
    assert (
        offices.count("<li>") == 6 and "ulyanovsk" not in offices and "mexico-city" not in offices
    )
    assert "Seoul Global Center" in now
    history = page.split('id="history"', 1)[1]
    assert (
        "<dt>Vice President Cities</dt>" in history
    )  # compact: a line per role, not a row per member


def test_year_switcher_has_one_button_per_year_and_names_the_gap(real_site: Path) -> None:
    page = (real_site / "calendar/2024/index.html").read_text()
    nav = page.split('class="year-nav"', 1)[1].split("</nav>", 1)[0]
    years = re.findall(r'href="/wego/calendar/(\d{4})/"', nav)
    assert years == ["2020", "2021", "2024"]  # once each: no "← 2021 | ... | 2024 →"
    assert "no events for 2022\u20132023" in nav
