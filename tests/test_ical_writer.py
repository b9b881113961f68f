"""The direct iCalendar writer (``wego_site.ical``) against its oracle, the icalendar library.

``_component`` and ``oracle_feed`` are how ``feeds.py`` built the VEVENTs and
feeds with icalendar 7.3.2 before the writer: every VEVENT, header and feed
must come out byte for byte as they did.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.parser import Contentline

from conftest import FIXTURE, ROOT
from wego_site import feeds, ical
from wego_site.dates import Precision
from wego_site.loader import load_content
from wego_site.models.event import Location, Status
from wego_site.site import EventEntry, Site, build_site
from wego_site.urls import Urls

NOW = datetime(2024, 6, 15, tzinfo=UTC)  # SOURCE_DATE_EPOCH of the test builds


# -- the oracle: feeds.py before the direct writer --------------------------------


def _component(e: EventEntry, site: Site, urls: Urls) -> Any:
    ev = VEvent()
    start, end, fuzzy = feeds.event_dates(e)
    summary = e.data.title
    if fuzzy:
        if e.data.year_round or e.precision is Precision.YEAR:
            summary += f" (all year {e.year})"
        else:
            summary += f" ({e.when.replace(' (TBD)', '')}, day to be confirmed)"
    ev.add("uid", f"{e.uid_key}@{urls.host}")
    ev.add("dtstamp", site.build_time)
    ev.add("summary", summary)
    ev.add("dtstart", start)
    if end is not None:
        ev.add("dtend", end)
    if e.cancelled:
        ev.add("status", "CANCELLED")
    elif e.tbd or fuzzy or e.postponed:
        ev.add("status", "TENTATIVE")
    else:
        ev.add("status", "CONFIRMED")
    desc = e.data.summary
    if e.postponed:
        desc = "Postponed. " + desc
    ev.add("description", f"{desc}\n\nWhen: {e.when}\n{urls.absolute(e.path)}")
    if e.place:
        ev.add("location", e.place)
    ev.add("url", urls.absolute(e.path))
    cat = site.taxonomies.event_categories.get(e.data.category, e.data.category)
    ev.add("categories", [cat])
    ev.add("transp", "TRANSPARENT" if fuzzy else "OPAQUE")
    return ev


def oracle_feed(events: list[EventEntry], name: str, site: Site, urls: Urls) -> bytes:
    end = b"END:VCALENDAR\r\n"
    cal = Calendar()
    cal.add("prodid", "-//WeGO//wego-site//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.settings.timezone)
    head = cal.to_ical()
    zones: dict[str, bytes] = {}
    for e in events:
        if e.start_datetime is not None and e.timezone not in zones:
            zc = Calendar()
            zc.add_component(_component(e, site, urls))
            zc.add_missing_timezones()
            zones[e.timezone] = b"".join(tz.to_ical() for tz in zc.walk("VTIMEZONE"))
    parts = [head[: -len(end)], *(zones[z] for z in sorted(zones))]
    parts += [_component(e, site, urls).to_ical() for e in events]
    return b"".join([*parts, end])


def assert_same(e: EventEntry, site: Site, urls: Urls) -> None:
    assert feeds._vevent(e, site, urls) == _component(e, site, urls).to_ical()


# -- site models -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site() -> Site:
    return build_site(load_content(FIXTURE), date(2024, 6, 15), NOW, drafts=True)


@pytest.fixture(scope="module")
def content_site() -> Site:
    return build_site(load_content(ROOT / "content"), date(2024, 6, 15), NOW, drafts=True)


def by_slug(site: Site, slug: str) -> EventEntry:
    return next(e for e in site.events if e.slug == slug)


def edited(e: EventEntry, **changes: Any) -> EventEntry:
    """``e`` with its front matter changed, unvalidated (so anything can go in)."""
    return dataclasses.replace(e, data=e.data.model_copy(update=changes))


BASES = ["https://example.org/", "https://example.org/wego/", "http://localhost:8000/"]


@pytest.mark.parametrize("base", BASES)
def test_every_fixture_event_matches_icalendar(fixture_site: Site, base: str) -> None:
    assert len(fixture_site.events) >= 9
    for e in fixture_site.events:
        assert_same(e, fixture_site, Urls(base))


@pytest.mark.parametrize("base", [None, *BASES])
def test_every_real_event_matches_icalendar(content_site: Site, base: str | None) -> None:
    urls = Urls(base or content_site.settings.base_url)
    assert content_site.events
    for e in content_site.events:
        assert_same(e, content_site, urls)


@pytest.mark.parametrize(
    "now",
    [
        datetime(2024, 6, 15),  # naive: taken as UTC
        datetime(2024, 6, 15, 9, 30, 15, 999999, tzinfo=ZoneInfo("Asia/Seoul")),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("America/St_Johns")),
    ],
)
def test_dtstamp_is_utc_whatever_the_build_time(now: datetime) -> None:
    site = build_site(load_content(FIXTURE), date(2024, 6, 15), now)
    for e in site.events:
        assert_same(e, site, Urls(site.settings.base_url))


# -- adversarial values --------------------------------------------------------------

#: One event of every kind: timed, day range, month, quarter, year-round,
#: cancelled, postponed and tentative, online and in person.
KINDS = [
    "briefing",
    "excom-2024",
    "prize-ceremony",
    "regional-network",
    "advisory-board",
    "cancelled-expo",
    "cjk-forum",
    "champions",
]

NASTY = [
    'Comma, semicolon; backslash \\ colon: quote " caret ^',
    "\\,\\;\\\\\\n already-escaped-looking",
    "line one\nline two\r\nline three\rline four\n",
    "a \\N that icalendar reads as a line break, and \\n",
    "caret ^^ ^n ^' and a trailing backslash \\",
    "가" * 200,  # Hangul: 3 octets each
    "Москва, Санкт-Петербург; " * 12,  # Cyrillic: 2 octets each
    "🎉" * 80,  # 4 octets each
    "👩‍👩‍👧 family, 🇰🇷 flag; " * 10,  # ZWJ sequences and regional indicators
    "e\u0301" * 60,  # combining accents
    "x" * 66,  # SUMMARY: + 66 = 74 octets, one line
    "x" * 67,  # 75 octets: icalendar folds it
    "x" * 68,
    "x" * 65 + "\\",  # a backslash at the fold
    "x" * 65 + ",",  # an escaped comma across the fold
    "x" * 64 + "가",  # a multibyte character across the fold
    "x" * 65 + "가",
    "x" * 66 + "가",
    " ",
    "",
    "\t tab and trailing space ",
]


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
@pytest.mark.parametrize("slug", KINDS)
def test_nasty_text_everywhere(fixture_site: Site, slug: str, value: str) -> None:
    e = by_slug(fixture_site, slug)
    city = Location.model_construct(city=value, country="KR")
    for variant in (
        edited(e, title=value),
        edited(e, summary=value),
        edited(e, location=city),
        edited(e, location=Location.model_construct(region_label=value)),
        edited(e, category=value),  # not a taxonomy key: the key itself is written
        edited(e, title=value, summary=value, location=city, category=value),
    ):
        for base in BASES:
            assert_same(variant, fixture_site, Urls(base))


def test_summary_exactly_75_octets_is_folded_as_icalendar_folds(fixture_site: Site) -> None:
    e = edited(by_slug(fixture_site, "excom-2024"), title="x" * 67)  # a day event: summary = title
    raw = feeds._vevent(e, fixture_site, Urls("https://example.org/"))
    assert b"SUMMARY:" + b"x" * 66 + b"\r\n x\r\n" in raw
    assert_same(e, fixture_site, Urls("https://example.org/"))


def test_hangul_title_folds_between_characters(fixture_site: Site) -> None:
    e = edited(by_slug(fixture_site, "excom-2024"), title="가" * 200)
    raw = feeds._vevent(e, fixture_site, Urls("https://example.org/"))
    lines = raw.split(b"\r\n")
    summary = [ln for ln in lines if ln.startswith((b"SUMMARY:", b" \xea"))]
    assert len(summary) == 9 and all(len(ln) <= 75 for ln in summary)
    for ln in summary:
        ln.decode("utf-8")  # no character cut in two
    assert_same(e, fixture_site, Urls("https://example.org/"))


ALPHABET = ["a", "Z", " ", ",", ";", ":", "\\", "\n", "\r", "^", '"', "N", "n", "é", "가", "🎉"]


def test_random_text_matches_icalendar(fixture_site: Site) -> None:
    rng = random.Random(5545)
    events = [by_slug(fixture_site, s) for s in KINDS]
    for i in range(400):
        value = "".join(rng.choices(ALPHABET, k=rng.randrange(0, 260)))
        e = events[i % len(events)]
        assert_same(edited(e, title=value, summary=value[::-1]), fixture_site, Urls(BASES[i % 3]))


@pytest.mark.parametrize(
    "zone",
    [
        "Asia/Seoul",
        "ROK",  # an alias: icalendar names it as given
        "UTC",
        "Etc/UTC",
        "Africa/Abidjan",  # icalendar holds these equal to UTC: written with Z
        "Atlantic/Reykjavik",
        "Etc/GMT+5",
        "America/St_Johns",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "Europe/London",
    ],
)
def test_timed_events_in_any_zone(fixture_site: Site, zone: str) -> None:
    urls = Urls(f"https://{zone.replace('/', '-').lower()}.example.org/")
    briefing = by_slug(fixture_site, "briefing")
    events = [  # each its own slug: feeds keep a VEVENT's bytes by UID
        dataclasses.replace(edited(briefing, timezone=zone, time=t), slug=f"zone-{i}-{t:%H%M}")
        for i, t in enumerate((time(0, 0), time(2, 30), time(17, 0), time(23, 59)))
    ]
    for e in events:
        assert_same(e, fixture_site, urls)
    plain = [by_slug(fixture_site, "excom-2024"), by_slug(fixture_site, "prize-ceremony")]
    feed = [*events[:1], *plain, by_slug(fixture_site, "briefing")]
    assert feeds.icalendar_feed(
        feed, "Zones", feeds.VEventCache(fixture_site, urls)
    ) == oracle_feed(feed, "Zones", fixture_site, urls)


def test_utc_equivalent_zone_long_ago_is_the_right_instant(fixture_site: Site) -> None:
    """The one place we differ from icalendar on purpose. icalendar holds
    Africa/Abidjan equal to UTC and writes the wall-clock time with a Z; in 1900
    Abidjan was at -0:16:08 (local mean time), so the writer converts to UTC.
    The bytes are the same whenever the zone is at +00:00 (Abidjan: since 1912)."""
    from wego_site.dates import PartialDate

    e = edited(
        by_slug(fixture_site, "briefing"),
        date=PartialDate(1900, 6, 1),
        time=time(17, 0),
        timezone="Africa/Abidjan",
    )
    urls = Urls("https://example.org/")
    assert b"DTSTART:19000601T171608Z\r\n" in feeds._vevent(e, fixture_site, urls)
    assert b"DTSTART:19000601T170000Z\r\n" in _component(e, fixture_site, urls).to_ical()


# -- folding and headers ------------------------------------------------------------------


@pytest.mark.parametrize("char", ["a", "\\", "^", "é", "가", "🎉"])
def test_fold_matches_icalendar_at_every_length_and_offset(char: str) -> None:
    for prefix in ("", "x", "xx", "xxx", "\\", "^x"):
        for n in range(0, 200):
            s = "DESCRIPTION:" + prefix + char * n
            folded = ical.fold(s.encode())
            assert folded == Contentline(s).to_ical(), (prefix, n)
            for physical in folded.split(b"\r\n"):
                assert len(physical) <= 75
                physical.decode("utf-8")
            assert folded.replace(b"\r\n ", b"") == s.encode()


def test_text_escaping_matches_icalendar() -> None:
    from icalendar import vText

    for value in NASTY:
        assert ical.text(value).encode() == vText(value).to_ical()


NAMES = [
    "Fixture",
    'WeGO Calendar: Asia-Pacific, Europe; more \\ and ^ and "quotes"',
    "가나다 " * 40,
    "Члены, события; " * 8,
]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_header_matches_icalendar(fixture_site: Site, name: str) -> None:
    urls = Urls("https://example.org/")
    assert feeds.icalendar_feed([], name, feeds.VEventCache(fixture_site, urls)) == oracle_feed(
        [], name, fixture_site, urls
    )


# -- the built fixture site ------------------------------------------------------------------


def summary_of(cal: Calendar) -> dict[str, tuple[object, ...]]:
    return {
        str(c["uid"]): (
            str(c["summary"]),
            c.decoded("dtstart"),
            c.decoded("dtend") if "dtend" in c else None,
            str(c["status"]),
        )
        for c in cal.walk("VEVENT")
    }


def test_every_built_feed_is_the_oracle_feed(built: Path) -> None:
    """Each .ics of the built fixture site: the same bytes as icalendar gave, and it
    parses back to the same events (UID, summary, start, end, status)."""
    site = build_site(load_content(FIXTURE), date(2024, 6, 15), NOW)
    urls = Urls(site.settings.base_url)
    by_uid = {f"{e.uid_key}@{urls.host}": e for e in site.events}
    paths = sorted(built.rglob("*.ics"))
    assert len(paths) >= 15
    for path in paths:
        raw = path.read_bytes()
        cal = Calendar.from_ical(raw)
        events = [by_uid[str(c["uid"])] for c in cal.walk("VEVENT")]
        assert events, path
        expected = oracle_feed(events, str(cal["x-wr-calname"]), site, urls)
        assert raw == expected, path
        assert summary_of(cal) == summary_of(Calendar.from_ical(expected))
        statuses = {s for _, _, _, s in summary_of(cal).values()}
        assert statuses <= {"CONFIRMED", "TENTATIVE", "CANCELLED"}


def test_statuses_and_kinds_are_all_covered(fixture_site: Site) -> None:
    """The fixture holds every branch the writer has (so the tests above reach them)."""
    events = list(fixture_site.events)
    assert any(e.start_datetime is not None for e in events)
    assert any(e.data.status is Status.CANCELLED for e in events)
    assert any(e.data.status is Status.POSTPONED for e in events)
    assert any(e.tbd for e in events)
    assert any(not e.place for e in events) and any(e.place for e in events)
    assert any(feeds.event_dates(e)[2] for e in events)
    assert any(feeds.event_dates(e)[1] is None for e in events)
