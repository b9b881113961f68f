"""The yearly calendar: placement, human dates, iCalendar feeds, JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import FIXTURE, read
from wego_site.loader import load_content
from wego_site.pages.calendar import layout
from wego_site.site import build_site


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    content = load_content(FIXTURE)
    return build_site(content, date(2024, 6, 15), datetime(2024, 6, 15, 0, 0))


def by_slug(site, slug):  # type: ignore[no-untyped-def]
    return next(e for e in site.events if e.slug == slug)


@pytest.mark.parametrize(
    ("slug", "when"),
    [
        ("excom-2024", "19-21 September 2024"),
        ("prize-ceremony", "October 2024"),
        ("regional-network", "Q3 2024"),
        ("advisory-board", "All year 2024"),
        ("champions", "April-November 2024"),
        ("briefing", "24 February 2024, 17:00 KST (08:00 UTC)"),
        ("cjk-forum", "June 2024 (TBD)"),
    ],
)
def test_dates_as_a_person_says_them(site, slug: str, when: str) -> None:  # type: ignore[no-untyped-def]
    assert by_slug(site, slug).when == when


def test_year_layout_places_every_kind(site) -> None:  # type: ignore[no-untyped-def]
    lay = layout(2024, site.events_in(2024))
    assert [e.slug for e in lay.all_year] == ["advisory-board"]
    months = {m.month: m for m in lay.months}
    assert [e.slug for e in months[7].quarter_events] == ["regional-network"]
    assert months[7].quarter == 3
    assert [e.slug for e in months[10].fuzzy] == ["prize-ceremony"]
    assert [e.slug for e in months[9].dated] == ["excom-2024"]
    assert [e.slug for e in months[4].fuzzy] == ["champions"]
    # a range that crosses months is listed where it starts, and mentioned as also
    # running in the later months that have events of their own, not in the others
    running = {m for m in months if "champions" in [e.slug for e in months[m].continuing]}
    assert running == {5, 6, 7, 9, 10}
    assert not months[8].shown and not months[11].shown
    # month-only events come first in their month
    assert [e.slug for e in months[6].fuzzy] == ["cjk-forum"]


def test_year_page_order_and_markers(built: Path) -> None:
    html = read(built, "calendar/2024/index.html")
    body = html.split("data-results", 1)[1]
    order = [
        body.index(t)
        for t in (
            "February 2024</h2>",
            "May 2024</h2>",
            "Q3 2024 <",
            "July 2024</h2>",
            "September 2024</h2>",
            "October 2024</h2>",
            "All year 2024 <",  # the year-round band follows the months
        )
    ]
    assert order == sorted(order)
    bar = html.split('<nav class="month-bar"', 1)[1].split("</nav>", 1)[0]
    # "Feb" on screen, "February 2024" to a screen reader
    assert (
        '<a href="#m2" data-jump="m2"><span aria-hidden="true">Feb</span>'
        '<span class="visually-hidden">February 2024</span></a>'
    ) in bar
    assert 'href="#q3"' not in bar  # July has its own events
    assert '<span class="empty" title="No events in January 2024">Jan</span>' in bar
    assert '<a href="#all-year"' in bar
    assert "<s>Cancelled Expo</s>" in html and "Cancelled</span>" in html
    assert "(TBD)</time>" in html and "Postponed</span>" in html
    assert 'class="badge tbd"' not in html  # "TBD" is said once, in the date
    assert "Today, 15 June" in html
    assert "Lisbon, Portugal" in html and "<span>Online</span>" in html
    assert "online</span>" not in html  # not "Online · online"


def test_one_status_per_event_and_no_calendar_file_for_a_cancelled_one(built: Path) -> None:
    html = read(built, "calendar/2024/index.html")
    for item in html.split('<li class="event')[1:]:
        card = item.split("</li>", 1)[0]
        statuses = sum(card.count(f">{s}</span>") for s in ("Past", "Ongoing", "Upcoming"))
        statuses += card.count(">Cancelled</span>") + card.count(">Postponed</span>")
        assert statuses == 1, card[:200]
    cancelled = read(built, "events/2024/cancelled-expo/index.html")
    assert "Add to calendar" not in cancelled and '.ics" download' not in cancelled
    assert "Overview of 2024 activities" in html


def test_calendar_index_is_current_year(built: Path) -> None:
    html = read(built, "calendar/index.html")
    assert "2024 Calendar of Activities" in html
    assert '<link rel="canonical" href="https://example.org/calendar/2024/">' in html


def test_year_navigation(built: Path) -> None:
    html = read(built, "calendar/2024/index.html")
    assert 'href="/calendar/2025/" rel="next"' in html


def test_category_filter_pages(built: Path) -> None:
    html = read(built, "calendar/2024/category/governance/index.html")
    assert "WeGO Executive Committee Meeting 2024" in html
    assert "Smart City Champions" not in html.split("data-results")[1].split("Overview")[0]
    assert not (built / "calendar/2024/category/webinars/index.html").exists()


def parse_ics(path: Path) -> Calendar:
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines must be folded at 75 octets"
    return Calendar.from_ical(raw)


def events_of(cal: Calendar) -> dict[str, object]:
    return {str(c["uid"]).split("@")[0]: c for c in cal.walk("VEVENT")}


def test_ics_all_day_dates_have_exclusive_end(built: Path) -> None:
    evs = events_of(parse_ics(built / "calendar/2024.ics"))
    excom = evs["event-2024-excom-2024"]
    assert excom.decoded("dtstart") == date(2024, 9, 19)
    assert excom.decoded("dtend") == date(2024, 9, 22)
    assert excom["dtstart"].params.get("VALUE") == "DATE"
    champions = evs["event-2024-champions"]
    assert champions.decoded("dtstart") == date(2024, 4, 1)
    assert champions.decoded("dtend") == date(2024, 12, 1)


def test_ics_fuzzy_dates_are_one_day_tentative(built: Path) -> None:
    evs = events_of(parse_ics(built / "calendar/2024.ics"))
    prize = evs["event-2024-prize-ceremony"]
    assert prize.decoded("dtstart") == date(2024, 10, 1)
    assert prize.decoded("dtend") == date(2024, 10, 2)
    assert str(prize["status"]) == "TENTATIVE"
    assert "day to be confirmed" in str(prize["summary"])
    board = evs["event-2024-advisory-board"]
    assert "(all year 2024)" in str(board["summary"])
    assert str(evs["event-2024-cancelled-expo"]["status"]) == "CANCELLED"


def test_ics_timed_event_has_tzid_and_vtimezone(built: Path) -> None:
    cal = parse_ics(built / "calendar/2024.ics")
    briefing = events_of(cal)["event-2024-briefing"]
    assert briefing["dtstart"].params["TZID"] == "Asia/Seoul"
    start = briefing.decoded("dtstart")
    assert start.utcoffset().total_seconds() == 9 * 3600 and start.hour == 17
    assert "Asia/Seoul" in [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]


def test_ics_uid_and_dtstamp_are_stable(built: Path) -> None:
    a = (built / "calendar/2024.ics").read_bytes()
    assert b"DTSTAMP:20240615T000000Z" in a
    uids = re.findall(rb"UID:(\S+)", a)
    assert len(uids) == len(set(uids)) == 8


def test_feeds_per_event_category_and_all(built: Path) -> None:
    assert len(events_of(parse_ics(built / "calendar.ics"))) == 9
    assert len(events_of(parse_ics(built / "calendar/category/governance.ics"))) == 4
    single = events_of(parse_ics(built / "events/2024/excom-2024.ics"))
    assert list(single) == ["event-2024-excom-2024"]


def jsonld(built: Path, slug: str) -> dict:  # type: ignore[type-arg]
    html = read(built, f"events/2024/{slug}/index.html")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_jsonld_in_person_event(built: Path) -> None:
    d = jsonld(built, "excom-2024")
    assert d["@type"] == "Event" and d["name"] == "WeGO Executive Committee Meeting 2024"
    assert (d["startDate"], d["endDate"]) == ("2024-09-19", "2024-09-21")
    assert d["eventStatus"] == "https://schema.org/EventScheduled"
    assert d["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert d["location"]["@type"] == "Place"
    assert d["location"]["address"]["addressLocality"] == "Almaty"
    assert d["location"]["address"]["addressCountry"] == "KZ"
    names = [o["name"] for o in d["organizer"]]
    assert "Almaty" in names


def test_jsonld_online_timed_event(built: Path) -> None:
    d = jsonld(built, "briefing")
    assert d["startDate"] == "2024-02-24T17:00:00+09:00"
    assert d["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert d["location"]["@type"] == "VirtualLocation" and d["location"]["url"]


def test_jsonld_status_and_partial_dates(built: Path) -> None:
    assert jsonld(built, "cancelled-expo")["eventStatus"] == "https://schema.org/EventCancelled"
    assert jsonld(built, "cjk-forum")["eventStatus"] == "https://schema.org/EventPostponed"
    q = jsonld(built, "regional-network")
    assert (q["startDate"], q["endDate"]) == ("2024-07", "2024-09")
    hybrid = jsonld(built, "champions")
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_event_page_links_host_partners_projects(built: Path) -> None:
    html = read(built, "events/2024/excom-2024/index.html")
    assert 'href="/members/almaty/"' in html and 'href="/members/seoul/"' in html
    assert 'href="/projects/almaty-data-lake/"' in html
    assert 'href="/events/2024/excom-2024.ics"' in html
    assert "19-21 September 2024" in html


def test_print_stylesheet(built: Path) -> None:
    html = read(built, "calendar/2024/index.html")
    assert 'href="/assets/css/print.css" media="print"' in html
    css = read(built, "assets/css/print.css")
    assert "@page" in css and "A4" in css and ".site-header" in css


def test_atom_feed_is_valid_xml_newest_first(built: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring((built / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 9
    assert entries[0].find("a:title", ns).text.startswith("General Assembly 2025")
    for e in entries:
        assert e.find("a:id", ns).text.startswith("https://example.org/events/")
        assert e.find("a:updated", ns).text


def test_region_and_member_feeds_parse_back(built: Path) -> None:
    asia = events_of(parse_ics(built / "calendar/region/asia-pacific.ics"))
    # located in KZ/KR, or hosted by an Asia-Pacific member when no location
    assert {
        "event-2024-excom-2024",
        "event-2024-prize-ceremony",
        "event-2025-general-assembly",
    } <= set(asia)
    assert "event-2024-cancelled-expo" not in asia
    assert "event-2024-cancelled-expo" in events_of(parse_ics(built / "calendar/region/europe.ics"))
    seoul = events_of(parse_ics(built / "members/seoul.ics"))
    assert set(seoul) == {
        "event-2024-excom-2024",
        "event-2024-prize-ceremony",
        "event-2025-general-assembly",
    }
    assert not (built / "members/oslo-tech.ics").exists()


def test_feeds_are_linked_as_alternates(built: Path) -> None:
    member = read(built, "members/seoul/index.html")
    assert (
        '<link rel="alternate" type="text/calendar" title="Events of Seoul Metropolitan '
        'Government (iCalendar)" href="/members/seoul.ics">'
    ) in member
    region = read(built, "members/region/asia-pacific/index.html")
    assert 'type="text/calendar"' in region and 'href="/calendar/region/asia-pacific.ics"' in region
    year = read(built, "calendar/2024/index.html")
    assert 'type="text/calendar" title="WeGO' not in year  # fixture site title is "Fixture"
    assert 'href="/calendar/2024.ics"' in year


def test_home_lists_every_future_event_and_says_as_of(built: Path) -> None:
    html = read(built, "index.html")
    upcoming = html.split("data-upcoming-list>")[1].split("</ul>")[0]
    items = upcoming.count("<li")
    hidden = upcoming.count("<li hidden")
    assert items == 6 and hidden == 0  # six future events, six shown (upcoming_on_home: 6)
    assert "(as of 15 June 2024)" in html
