"""Machine-readable outputs: iCalendar feeds and open data (JSON, CSV).

iCalendar: the calendar header and each VEVENT are written directly by
:mod:`wego_site.ical` (RFC 5545 content lines, escaping, folding, CRLF), byte
for byte as the ``icalendar`` library wrote them before (that library is the
oracle of ``tests/test_ical_writer.py``); the VTIMEZONE components, and the
TZID naming a zone, are still the library's. How partial dates appear in
calendar apps:

* a day date, or any date with an ``end``: an all-day event (``VALUE=DATE``)
  from the first day of ``date`` to the last day of ``end``, with an exclusive
  ``DTEND``;
* a month or quarter date without ``end``: a one-day all-day event on the
  first day of that month or quarter, its summary saying "(October 2024, day
  to be confirmed)", ``STATUS:TENTATIVE``, so that a calendar app does not
  paint a whole month as busy;
* a year-round programme (or a year-only date): one all-day entry on 1 January
  with "(all year 2024)" in its summary, likewise;
* a timed event: ``DTSTART;TZID=<zone>`` with the zone's ``VTIMEZONE``.

``UID`` is derived from the year and slug (stable across builds); ``DTSTAMP``
is the build time (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from . import ical
from .dates import Precision
from .models.event import Status
from .site import EventEntry, MemberEntry, ProjectEntry, Site
from .urls import Urls

T = TypeVar("T")


def event_dates(e: EventEntry) -> tuple[date, date | None, bool]:
    """(DTSTART value, exclusive DTEND value or None, fuzzy?) for an event."""
    start = e.start_datetime
    if start is not None:
        return start, None, False
    if e.data.end is not None or e.precision is Precision.DAY:
        return e.first_day, e.last_day + timedelta(days=1), False
    return e.first_day, e.first_day + timedelta(days=1), True


def _tzid(start: datetime) -> str | None:
    """The TZID icalendar gives ``start``'s zone (the name of the VTIMEZONE it
    writes); None for UTC and the zones it holds equal to UTC, such as
    Africa/Abidjan, which are written in UTC with a ``Z``."""
    from icalendar.timezone import tzid_from_dt

    tzid = tzid_from_dt(start)
    return None if tzid == "UTC" else tzid


def _date_line(name: str, value: date) -> bytes:
    """DTSTART or DTEND: a DATE, or a DATE-TIME with its zone's TZID, or in UTC."""
    if not isinstance(value, datetime):
        return ical.line(name, ical.date_value(value), "VALUE=DATE")
    tzid = _tzid(value)
    if tzid is None:
        return ical.line(name, ical.utc_value(value))
    return ical.line(name, ical.local_value(value), f"TZID={tzid}")


def _vevent(e: EventEntry, site: Site, urls: Urls) -> bytes:
    """The event's VEVENT. Its properties come in the order icalendar wrote them
    (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, then the rest by name)."""
    start, end, fuzzy = event_dates(e)
    summary = e.data.title
    if fuzzy:
        if e.data.year_round or e.precision is Precision.YEAR:
            summary += f" (all year {e.year})"
        else:
            summary += f" ({e.when.replace(' (TBD)', '')}, day to be confirmed)"
    if e.cancelled:
        status = "CANCELLED"
    elif e.tbd or fuzzy or e.postponed:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    desc = e.data.summary
    if e.postponed:
        desc = "Postponed. " + desc
    url = urls.absolute(e.path)
    cat = site.taxonomies.event_categories.get(e.data.category, e.data.category)
    lines = [ical.line("SUMMARY", ical.text(summary)), _date_line("DTSTART", start)]
    if end is not None:
        lines.append(_date_line("DTEND", end))
    lines += [
        ical.line("DTSTAMP", ical.utc_value(site.build_time)),
        ical.line("UID", ical.text(f"{e.uid_key}@{urls.host}")),
        ical.line("CATEGORIES", ical.text(cat)),
        ical.line("DESCRIPTION", ical.text(f"{desc}\n\nWhen: {e.when}\n{url}")),
    ]
    if e.place:
        lines.append(ical.line("LOCATION", ical.text(e.place)))
    lines += [
        ical.line("STATUS", status),
        ical.line("TRANSP", "TRANSPARENT" if fuzzy else "OPAQUE"),
        ical.line("URL", url),
    ]
    return ical.component("VEVENT", lines)


class VEventCache:
    """Each VEVENT and VTIMEZONE of one build serialised once, reused by every feed.

    An event appears in up to six feeds (its own, its year, its category, its
    region, all events, each member's). One cache is made with the page items
    of a build; each rendering process fills its own copy.
    """

    def __init__(self, site: Site, urls: Urls) -> None:
        self.site, self.urls = site, urls
        self.events: dict[str, bytes] = {}
        self.zones: dict[str, bytes] = {}

    def event(self, e: EventEntry) -> bytes:
        hit = self.events.get(e.uid_key)
        if hit is None:
            hit = self.events[e.uid_key] = _vevent(e, self.site, self.urls)
        return hit

    def zone(self, e: EventEntry) -> bytes:
        """The VTIMEZONE of a timed event's zone, as icalendar writes it."""
        from icalendar import Calendar
        from icalendar import Event as VEvent

        hit = self.zones.get(e.timezone)
        if hit is None:
            ev = VEvent()
            ev.add("dtstart", e.start_datetime)
            cal = Calendar()
            cal.add_component(ev)
            cal.add_missing_timezones()
            hit = b"".join(tz.to_ical() for tz in cal.walk("VTIMEZONE"))
            self.zones[e.timezone] = hit
        return hit


def _header(name: str, site: Site) -> bytes:
    """The calendar's BEGIN and properties, in icalendar's order. X-WR-CALNAME and
    X-WR-TIMEZONE are written verbatim, not as TEXT, as icalendar writes an
    unknown X- property."""
    return b"".join(
        (
            b"BEGIN:VCALENDAR\r\n",
            ical.line("VERSION", "2.0"),
            ical.line("PRODID", "-//WeGO//wego-site//EN"),
            ical.line("CALSCALE", "GREGORIAN"),
            ical.line("METHOD", "PUBLISH"),
            ical.line("X-WR-CALNAME", name),
            ical.line("X-WR-TIMEZONE", site.settings.timezone),
        )
    )


def icalendar_feed(events: list[EventEntry], name: str, cache: VEventCache) -> bytes:
    """An RFC 5545 calendar holding ``events`` (timed ones with their VTIMEZONE)."""
    zones: dict[str, bytes] = {}
    for e in events:
        if e.start_datetime is not None and e.timezone not in zones:
            zones[e.timezone] = cache.zone(e)
    parts = [_header(name, cache.site)]
    parts += [zones[z] for z in sorted(zones)]
    parts += [cache.event(e) for e in events]
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


# -- open data ---------------------------------------------------------------


def _record(entry: Any, urls: Urls, **extra: Any) -> dict[str, Any]:
    """An entry's fields as JSON (the draft flag aside), its slug and URL, and ``extra``."""
    d: dict[str, Any] = entry.data.model_dump(mode="json", exclude={"draft"})
    d.update(slug=entry.slug, url=urls.absolute(entry.path), **extra)
    return d


def events_json(site: Site, urls: Urls) -> str:
    records = [
        _record(
            e,
            urls,
            when=e.when,
            first_day=e.first_day.isoformat(),
            last_day=e.last_day.isoformat(),
        )
        for e in site.events
    ]
    return _json(records, "events", site)


def projects_json(site: Site, urls: Urls) -> str:
    records = [
        _record(
            p,
            urls,
            country=p.country,
            region=p.region,
            city_label=p.city_label,
            body_markdown=p.body_json,
        )
        for p in site.projects
    ]
    return _json(records, "projects", site)


def members_json(site: Site, urls: Urls) -> str:
    records = [_record(m, urls, region=m.region, country_name=m.country_name) for m in site.members]
    return _json(records, "members", site)


def _json(records: list[dict[str, Any]], kind: str, site: Site) -> str:
    doc = {
        "generated": site.build_time.isoformat(),
        "kind": kind,
        "count": len(records),
        "items": records,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading ``'``
    (OWASP's advice): Excel and LibreOffice then show it as text. Numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def projects_csv(site: Site, urls: Urls) -> str:
    """One row per project; list fields joined with "; "."""
    columns: list[tuple[str, Callable[[ProjectEntry], object]]] = [
        ("slug", lambda p: p.slug),
        ("title", lambda p: p.data.title),
        ("city", lambda p: p.city_label),
        ("country", lambda p: p.country),
        ("region", lambda p: p.region),
        ("sectors", lambda p: "; ".join(p.data.sectors)),
        ("stakeholders", lambda p: "; ".join(p.data.stakeholders)),
        ("implemented", lambda p: p.data.implemented or ""),
        ("duration", lambda p: p.data.duration or ""),
        ("funding", lambda p: p.data.funding or ""),
        ("budget_amount", lambda p: f"{p.data.budget.amount:g}" if p.data.budget else ""),
        ("budget_currency", lambda p: p.data.budget.currency if p.data.budget else ""),
        ("awards", lambda p: "; ".join(p.data.awards)),
        ("summary", lambda p: p.data.summary),
        ("url", lambda p: urls.absolute(p.path)),
    ]
    return _table(columns, site.projects)


def members_csv(site: Site, urls: Urls) -> str:
    """One row per member; roles joined with "; "."""

    def roles(m: MemberEntry) -> str:
        return "; ".join(
            r.role + (f" {r.term}" if r.term else "") + (f" ({r.office})" if r.office else "")
            for r in m.data.roles
        )

    columns: list[tuple[str, Callable[[MemberEntry], object]]] = [
        ("slug", lambda m: m.slug),
        ("name", lambda m: m.data.name),
        ("short_name", lambda m: m.data.short_name or ""),
        ("type", lambda m: m.data.type),
        ("country", lambda m: m.data.country),
        ("country_name", lambda m: m.country_name),
        ("region", lambda m: m.region),
        ("joined", lambda m: str(m.data.joined) if m.data.joined else ""),
        ("roles", roles),
        ("website", lambda m: m.data.website or ""),
        ("url", lambda m: urls.absolute(m.path)),
    ]
    return _table(columns, site.members)


def _table(columns: Sequence[tuple[str, Callable[[T], object]]], items: Iterable[T]) -> str:
    """A CSV of one row per item, a column per ``(name, value of an item)``."""
    return _csv([name for name, _ in columns], [[get(i) for _, get in columns] for i in items])


def status_schema(e: EventEntry) -> str:
    return {
        Status.SCHEDULED: "https://schema.org/EventScheduled",
        Status.POSTPONED: "https://schema.org/EventPostponed",
        Status.CANCELLED: "https://schema.org/EventCancelled",
    }[e.data.status]
