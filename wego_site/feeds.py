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
from datetime import date, datetime, timedelta
from typing import Any

from . import ical
from .dates import Precision
from .models.event import Status
from .site import EventEntry, MemberEntry, ProjectEntry, Site
from .urls import Urls


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


def _event_record(e: EventEntry, site: Site, urls: Urls) -> dict[str, Any]:
    d = e.data.model_dump(mode="json", exclude={"draft"})
    d.update(
        slug=e.slug,
        url=urls.absolute(e.path),
        when=e.when,
        first_day=e.first_day.isoformat(),
        last_day=e.last_day.isoformat(),
    )
    return d


def _project_record(p: ProjectEntry, site: Site, urls: Urls) -> dict[str, Any]:
    d = p.data.model_dump(mode="json", exclude={"draft"})
    d.update(
        slug=p.slug,
        url=urls.absolute(p.path),
        country=p.country,
        region=p.region,
        city_label=p.city_label,
        body_markdown=p.body_json,
    )
    return d


def _member_record(m: MemberEntry, site: Site, urls: Urls) -> dict[str, Any]:
    d = m.data.model_dump(mode="json")
    d.update(slug=m.slug, url=urls.absolute(m.path), region=m.region, country_name=m.country_name)
    return d


def _json(records: list[dict[str, Any]], kind: str, site: Site) -> str:
    doc = {
        "generated": site.build_time.isoformat(),
        "kind": kind,
        "count": len(records),
        "items": records,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def events_json(site: Site, urls: Urls) -> str:
    return _json([_event_record(e, site, urls) for e in site.events], "events", site)


def projects_json(site: Site, urls: Urls) -> str:
    return _json([_project_record(p, site, urls) for p in site.projects], "projects", site)


def members_json(site: Site, urls: Urls) -> str:
    return _json([_member_record(m, site, urls) for m in site.members], "members", site)


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
    header = [
        "slug",
        "title",
        "city",
        "country",
        "region",
        "sectors",
        "stakeholders",
        "implemented",
        "duration",
        "funding",
        "budget_amount",
        "budget_currency",
        "awards",
        "summary",
        "url",
    ]
    rows = []
    for p in site.projects:
        d = p.data
        rows.append(
            [
                p.slug,
                d.title,
                p.city_label,
                p.country,
                p.region,
                "; ".join(d.sectors),
                "; ".join(d.stakeholders),
                d.implemented or "",
                d.duration or "",
                d.funding or "",
                (f"{d.budget.amount:g}" if d.budget else ""),
                (d.budget.currency if d.budget else ""),
                "; ".join(d.awards),
                d.summary,
                urls.absolute(p.path),
            ]
        )
    return _csv(header, rows)


def members_csv(site: Site, urls: Urls) -> str:
    """One row per member; roles joined with "; "."""
    header = [
        "slug",
        "name",
        "short_name",
        "type",
        "country",
        "country_name",
        "region",
        "joined",
        "roles",
        "website",
        "url",
    ]
    rows = []
    for m in site.members:
        d = m.data
        roles = "; ".join(
            r.role + (f" {r.term}" if r.term else "") + (f" ({r.office})" if r.office else "")
            for r in d.roles
        )
        rows.append(
            [
                m.slug,
                d.name,
                d.short_name or "",
                d.type,
                d.country,
                m.country_name,
                m.region,
                str(d.joined) if d.joined else "",
                roles,
                d.website or "",
                urls.absolute(m.path),
            ]
        )
    return _csv(header, rows)


def status_schema(e: EventEntry) -> str:
    return {
        Status.SCHEDULED: "https://schema.org/EventScheduled",
        Status.POSTPONED: "https://schema.org/EventPostponed",
        Status.CANCELLED: "https://schema.org/EventCancelled",
    }[e.data.status]
