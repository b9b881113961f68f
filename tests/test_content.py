"""The real WeGO content: valid, complete where the seeds are, spelled right."""

from __future__ import annotations

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
