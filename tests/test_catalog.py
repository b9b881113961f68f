"""The projects catalog: facet counts, filter pages, project facts, open data."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import FIXTURE, read
from wego_site.loader import load_content
from wego_site.pages.catalog import facets_for
from wego_site.site import build_site


@pytest.fixture(scope="module")
def facets():  # type: ignore[no-untyped-def]
    site = build_site(load_content(FIXTURE), date(2024, 6, 15), datetime(2024, 6, 15))
    return facets_for(site)


def counts(views, facet: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    view = next(v for v in views if v.key == facet)
    return {v.key: v.count for v in view.values if v.count}


def test_counts_without_selection(facets) -> None:  # type: ignore[no-untyped-def]
    views = facets.views((), set(facets.selections()))
    assert counts(views, "region") == {"asia-pacific": 2, "latin-america": 2}
    assert counts(views, "sector") == {
        "e-government": 2,
        "innovation-and-startups": 2,
        "public-safety": 1,
        "education": 1,
    }


def test_counts_combine_or_within_and_across(facets) -> None:  # type: ignore[no-untyped-def]
    sel = (("region", "latin-america"),)
    views = facets.views(sel, set(facets.selections()))
    # sectors counted among Latin American projects only (AND across facets)
    assert counts(views, "sector") == {
        "public-safety": 1,
        "innovation-and-startups": 1,
        "education": 1,
    }
    # the region facet itself ignores its own selection (OR within a facet)
    assert counts(views, "region") == {"asia-pacific": 2, "latin-america": 2}


def test_two_click_selection_is_prerendered(facets) -> None:  # type: ignore[no-untyped-def]
    pre = set(facets.selections())
    sel = (("region", "latin-america"), ("sector", "public-safety"))
    assert sel in pre
    assert facets.path(sel) == "/projects/region/latin-america/sector/public-safety/"
    views = facets.views((("sector", "public-safety"),), pre)
    region = next(v for v in views if v.key == "region")
    latam = next(v for v in region.values if v.key == "latin-america")
    assert latam.href == "/projects/region/latin-america/sector/public-safety/"


def test_filter_pages_list_matching_projects(built: Path) -> None:
    html = read(built, "projects/region/latin-america/sector/public-safety/index.html")
    cards = re.findall(r'<li class="card" data-item="([^"]+)"', html)
    assert cards == ["my-safe-city"]
    assert "Public Safety" in html and "Latin America" in html
    html = read(built, "projects/sector/e-government/index.html")
    assert sorted(re.findall(r'<li class="card" data-item="([^"]+)"', html)) == [
        "almaty-data-lake",
        "big-data-campus",
    ]


def test_embedded_facet_index_matches_content(built: Path) -> None:
    html = read(built, "projects/index.html")
    m = re.search(r'<script type="application/json" id="facet-index">(.*?)</script>', html, re.S)
    assert m
    index = json.loads(m.group(1))
    assert index["items"]["big-data-campus"] == {
        "region": ["asia-pacific"],
        "sector": ["e-government", "innovation-and-startups"],
        "stakeholder": ["academia", "local-government"],
    }
    assert set(index["items"]) == {
        "big-data-campus",
        "my-safe-city",
        "free-fab-lab",
        "almaty-data-lake",
    }
    # the cards carry the same keys for the script
    assert 'data-f-sector="e-government innovation-and-startups"' in html


def test_catalog_card_contents(built: Path) -> None:
    html = read(built, "projects/index.html")
    card = html.split('data-item="big-data-campus"')[1].split("</li>")[0]
    assert "Seoul, Republic of Korea" in card and "Asia-Pacific" in card
    assert "e-Government" in card and "Award" in card
    assert 'loading="lazy" width="320" height="180"' in card
    assert 'aria-live="polite"' in html
    assert 'href="/data/projects.csv"' in html


def test_project_page_facts(built: Path) -> None:
    html = read(built, "projects/big-data-campus/index.html")
    assert '<a href="/members/seoul/">Seoul Metropolitan Government</a>' in html
    assert 'href="/projects/region/asia-pacific/">Asia-Pacific' in html
    assert 'href="/projects/sector/e-government/">e-Government' in html
    assert 'href="/projects/stakeholder/academia/">Academia' in html
    assert "USD 120,000" in html and "Indefinite" in html and "2016" in html
    assert 'alt="Drawing of the campus building"' in html
    assert '<h2 id="overview">Overview</h2>' in html
    assert "Free Fab Lab" in html.split('id="related-title"')[1]
    assert '"@type": "Article"' in html


def test_project_events_link_back(built: Path) -> None:
    html = read(built, "projects/almaty-data-lake/index.html")
    assert 'href="/events/2024/excom-2024/"' in html


def test_projects_csv_round_trip(built: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(read(built, "data/projects.csv"))))
    assert len(rows) == 4
    campus = next(r for r in rows if r["slug"] == "big-data-campus")
    assert campus["sectors"] == "e-government; innovation-and-startups"
    assert campus["budget_amount"] == "120000" and campus["budget_currency"] == "USD"
    assert campus["region"] == "asia-pacific" and campus["city"] == "Seoul"
    data = json.loads(read(built, "data/projects.json"))
    assert {p["slug"] for p in data["items"]} == {r["slug"] for r in rows}


def test_no_catalog_card_repeats_its_title_or_says_location_not_recorded(real_site: Path) -> None:
    """A card's blurb adds to its title; a project without a place shows no place line."""
    html = read(real_site, "projects/index.html")
    cards = re.findall(r'<li class="card" data-item.*?</li>', html, re.S)
    assert len(cards) > 30
    for card in cards:
        title = re.search(r'<h2 class="card-title"><a [^>]*>(.*?)</a>', card).group(1)  # type: ignore[union-attr]
        blurbs = re.findall(r"<p>(.*?)</p>", card)
        assert blurbs or "award" in card, card
        assert all(title not in b for b in blurbs), (title, blurbs)
    assert "not recorded" not in html
    # the awarded project keeps its award line instead
    green = next(c for c in cards if "Green Connectivity" in c)
    assert "4th WeGO Awards 2020" in green and "twelve winning" not in green.split("data-f-")[-1]
