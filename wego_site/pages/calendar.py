"""The yearly calendar: year pages, category filters, event pages, feeds.

Placement on a year page, where a reader of WeGO's booklets looks:

* year-round and year-only events: a compact "All year" band after the months;
* quarter-only events: a band before the quarter's first month;
* month-only events: at the top of their month, before dated events;
* dated events: in date order in their start month; an event that runs into
  later months is listed again under "Continuing" in each of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from .. import feeds
from .. import urls as u
from ..dates import MONTHS, MONTHS_SHORT, Precision
from ..facets import FacetDef, Facets
from ..site import EventEntry, Site
from ..templating import PageItem
from ..urls import Urls


@dataclass
class MonthBlock:
    """One month of a year page."""

    month: int
    name: str
    quarter: int | None = None  # set on a quarter's first month
    quarter_events: list[EventEntry] = field(default_factory=list)
    fuzzy: list[EventEntry] = field(default_factory=list)
    dated: list[EventEntry] = field(default_factory=list)
    continuing: list[EventEntry] = field(default_factory=list)
    today: date | None = None  # set on the month that holds the build date
    marker_before: str | None = None  # slug of the first dated event on/after today

    @property
    def empty(self) -> bool:
        return not (self.quarter_events or self.fuzzy or self.dated or self.continuing)

    @property
    def shown(self) -> bool:
        return not self.empty or self.today is not None


class BarLink(NamedTuple):
    """One stop of the month bar: "Mar" -> #m3; ``anchor`` None for an empty month."""

    label: str  # what the bar shows: "Sep"
    name: str  # what a screen reader says: "September 2024"
    anchor: str | None


@dataclass
class YearLayout:
    """A year's events placed for reading."""

    year: int
    all_year: list[EventEntry]
    months: list[MonthBlock]

    @property
    def bar(self) -> list[BarLink]:
        """The month jump bar: every month (linked when it has events, or its
        quarter band when only that has), then the year-round band."""
        out = []
        for m in self.months:
            anchor = None
            if m.quarter and m.quarter_events:
                anchor = f"q{m.quarter}"
            if m.fuzzy or m.dated or m.continuing or m.today:
                anchor = f"m{m.month}"
            out.append(BarLink(MONTHS_SHORT[m.month], f"{m.name} {self.year}", anchor))
        if self.all_year:
            out.append(BarLink("All year", f"All year {self.year}", "all-year"))
        return out


def layout(year: int, events: Sequence[EventEntry], today: date | None = None) -> YearLayout:
    """Place ``events`` (of ``year``) on the year page; mark ``today`` if in it."""
    all_year = [e for e in events if e.precision is Precision.YEAR]
    months = [
        MonthBlock(m, MONTHS[m], quarter=(m - 1) // 3 + 1 if m % 3 == 1 else None)
        for m in range(1, 13)
    ]
    for e in events:
        p = e.precision
        if p is Precision.YEAR:
            continue
        start = e.first_day.month
        if p is Precision.QUARTER:
            months[3 * (e.data.date.quarter_of - 1)].quarter_events.append(e)
        elif p is Precision.MONTH:
            months[start - 1].fuzzy.append(e)
        else:
            months[start - 1].dated.append(e)
        last = e.last_day.month if e.last_day.year == year else 12
        first_cont = start + 1
        if p is Precision.QUARTER:
            first_cont = 3 * e.data.date.quarter_of + 1
        for m in range(first_cont, last + 1):
            months[m - 1].continuing.append(e)
    if today is not None and today.year == year:
        block = months[today.month - 1]
        block.today = today
        block.marker_before = next((e.slug for e in block.dated if e.first_day >= today), None)
    for block in months:
        # "Also running" helps beside a month's own events (or today); alone it only
        # repeated an event, already listed with its span, in every month it lasts.
        if not (block.quarter_events or block.fuzzy or block.dated or block.today):
            block.continuing.clear()
    return YearLayout(year, all_year, months)


def facets_for(site: Site, year: int) -> Facets[EventEntry]:
    """The category facet of one year's events."""
    events = site.events_in(year)
    return Facets(
        u.calendar_path(year),
        events,
        [
            FacetDef(
                "category",
                "Programme area",
                dict(site.taxonomies.event_categories),
                lambda e: [e.data.category],
            )
        ],
        ident=lambda e: e.slug,
    )


class Area(NamedTuple):
    """One programme area of a year's overview."""

    key: str
    label: str
    rows: list[EventEntry]


def overview(site: Site, events: Sequence[EventEntry]) -> list[Area]:
    """Programme area -> WeGO's own events, in vocabulary order (the booklets'
    overview table); conferences organised by others are listed apart."""
    out = []
    for key, label in site.taxonomies.event_categories.items():
        rows = [e for e in events if e.data.category == key and not e.data.external]
        if rows:
            out.append(Area(key, label, rows))
    return out


def event_jsonld(e: EventEntry, site: Site, urls: Urls) -> dict[str, Any]:
    """schema.org Event for one event page."""
    d = e.data

    def iso(pd: Any) -> str:
        if pd.precision is Precision.QUARTER:
            return pd.first_day.strftime("%Y-%m")
        return str(pd)

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": d.title,
        "description": d.summary,
        "url": urls.absolute(e.path),
        "eventStatus": feeds.status_schema(e),
    }
    if e.start_datetime is not None:
        data["startDate"] = e.start_datetime.isoformat()
    elif d.year_round:
        data["startDate"] = f"{e.year}-01-01"
        data["endDate"] = f"{e.year}-12-31"
    else:
        data["startDate"] = iso(d.date)
    if d.end is not None:
        data["endDate"] = iso(d.end)
    if d.date.precision is Precision.QUARTER and d.end is None:
        data["endDate"] = d.date.last_day.strftime("%Y-%m")
    if e.format_stated:  # the default (in person) is not a fact a source gave
        mode = {"in-person": "Offline", "online": "Online", "hybrid": "Mixed"}[d.format.value]
        data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    places: list[dict[str, Any]] = []
    if d.format.value in ("online", "hybrid"):
        places.append(
            {
                "@type": "VirtualLocation",
                "url": d.links[0].url if d.links else urls.absolute(e.path),
            }
        )
    if d.location is not None and d.format.value != "online":
        loc = d.location
        place: dict[str, Any] = {"@type": "Place", "name": loc.venue or e.place}
        if loc.country:
            address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": loc.country}
            if loc.city:
                address["addressLocality"] = loc.city
            place["address"] = address
        else:
            place["address"] = loc.region_label or e.place
        places.append(place)
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    organizers = [
        {
            "@type": "Organization",
            "name": site.settings.organizer.name,
            "url": site.settings.organizer.url,
        }
    ]
    if d.host and d.host in site.member:
        m = site.member[d.host]
        organizers.append({"@type": "Organization", "name": m.name, "url": urls.absolute(m.path)})
    data["organizer"] = organizers if len(organizers) > 1 else organizers[0]
    return data


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    cal_name = site.settings.short_title
    vevents = feeds.VEventCache(site, urls)
    years = site.years
    for n, year in enumerate(years):
        events = site.events_in(year)
        facets = facets_for(site, year)
        ctx = {
            "year": year,
            "years": years,
            "prev_year": years[n - 1] if n > 0 else None,
            "next_year": years[n + 1] if n + 1 < len(years) else None,
            "gaps": _gaps(years),
            "facets": facets,
        }
        for page in facets.pages(pairs=False):
            today = None if page.selection else site.build_date  # "today" on the whole year
            view = {
                **ctx,
                "view": page,
                "layout": layout(year, page.items, today),
                "overview": overview(site, page.items),
                "external": [e for e in page.items if e.data.external],
            }
            yield PageItem(page.path, "calendar/year.html", view)
            if year == site.calendar_year and not page.selection:
                current = {**view, "is_current": True}
                yield PageItem(u.calendar_path(), "calendar/year.html", current, sitemap=False)
        yield PageItem(
            u.calendar_ics_path(year),
            make=partial(feeds.icalendar_feed, events, f"{cal_name} {year}", vevents),
            sitemap=False,
        )
    if site.events:
        yield PageItem(
            u.calendar_ics_path(),
            make=partial(feeds.icalendar_feed, list(site.events), cal_name, vevents),
            sitemap=False,
        )
    for key, label in site.taxonomies.event_categories.items():
        evs = [e for e in site.events if e.data.category == key]
        if evs:
            yield PageItem(
                u.facet_ics_path("category", key),
                make=partial(feeds.icalendar_feed, evs, f"{cal_name}: {label}", vevents),
                sitemap=False,
            )
    for key, region in site.taxonomies.regions.items():
        evs = [e for e in site.events if e.region == key]
        if evs:
            name = f"{cal_name}: {region.label}"
            feed = partial(feeds.icalendar_feed, evs, name, vevents)
            yield PageItem(u.facet_ics_path("region", key), make=feed, sitemap=False)
    for m in site.members:
        if m.events:
            name = f"{cal_name}: {m.name}"
            feed = partial(feeds.icalendar_feed, list(m.events), name, vevents)
            yield PageItem(u.member_ics_path(m.slug), make=feed, sitemap=False)
    for e in site.events:
        yield from event_items(e, site, urls, vevents)


def event_items(
    e: EventEntry, site: Site, urls: Urls, vevents: feeds.VEventCache | None = None
) -> Iterator[PageItem]:
    """An event's page and its own .ics (``vevents``: the build's VEVENT cache)."""
    vevents = vevents or feeds.VEventCache(site, urls)
    same = site.same_area(e)
    yield PageItem(
        e.path,
        "calendar/event.html",
        {
            "event": e,
            "host": site.member.get(e.data.host) if e.data.host else None,
            "partners": [site.member[p] for p in e.data.partners if p in site.member],
            "projects": [site.project[p] for p in e.data.projects if p in site.project],
            "jsonld": event_jsonld(e, site, urls),
            "same_area": same,
        },
    )
    yield PageItem(
        e.ics_path, make=partial(feeds.icalendar_feed, [e], e.data.title, vevents), sitemap=False
    )


def _gaps(years: Sequence[int]) -> list[str]:
    """The runs of years between calendar years that have no events: "2022-2023"."""
    out = []
    for a, b in zip(years, years[1:], strict=False):
        if b - a == 2:
            out.append(str(a + 1))
        elif b - a > 2:
            out.append(f"{a + 1}\u2013{b - 1}")
    return out
