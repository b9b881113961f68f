"""The booklets WeGO prints, made from the same content: each calendar year's
Calendar of Activities as ``/calendar/<year>/booklet.pdf`` (``--no-pdf``: none),
and, once a year has begun, its review (the Annual Report's layout) as the page
``/calendar/<year>/review/`` and ``/calendar/<year>/review.pdf``.

The booklet follows WeGO's own (the 2024 Calendar of Activities): a cover; the
contents; the overview of the year's activities by programme area, one line
each with its month or date and city, fuzzy dates exactly as the site writes
them; a section per programme area, in the vocabulary's order
(``taxonomies.event_categories``), with each activity's dates, place, format,
status and summary; the conferences WeGO joins that others organise; the
year's governance; and the Secretariat's contact page. The HTML is a Jinja
template (``templates/booklet/``) laid out by :mod:`wego_site.pdf`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import pdf
from .. import urls as u
from ..dates import Precision
from ..models.common import country_name
from ..models.organisation import Snapshot
from ..site import EventEntry, MemberEntry, ProjectEntry, Site
from ..templating import PageItem
from ..urls import Urls
from .calendar import Area, overview
from .members import LEADERSHIP, plural


@dataclass(frozen=True)
class Office:
    """One member's role for the booklet's governance page."""

    member: MemberEntry
    label: str  # "President City", "Middle East & North Africa Regional Office"
    term: str  # "2024-2026" or ""


@dataclass(frozen=True)
class YearGovernance:
    """Who governed WeGO in one year, as its documents record it."""

    leadership: list[tuple[str, list[Office]]]  # (heading, offices) in role order
    offices: list[Office]  # regional offices, by name


def _doc_year(title: str) -> int | None:
    """The year a source document speaks for, from its title ("WeGO 2020 Annual Report")."""
    found = re.search(r"\b(19|20)\d\d\b", title)
    return int(found.group(0)) if found else None


def year_governance(site: Site, year: int) -> YearGovernance:
    """The leadership and regional offices of ``year``.

    A leadership role counts when its term covers the year, or, without a
    term, when a document of that year lists it. A regional office counts when
    a document of that year lists it, or when it had opened by then and a
    document of that year or later still lists it (an office no later document
    names is not assumed to go on).
    """
    tax = site.taxonomies

    def years(role_sources: list) -> list[int]:
        found = (_doc_year(tax.sources.get(s.doc, "")) for s in role_sources)
        return [y for y in found if y is not None]

    groups: dict[str, list[Office]] = {}
    offices: list[Office] = []
    for m in site.members:
        for r in m.data.roles:
            listed = years(r.sources)
            if r.role in LEADERSHIP:
                if r.term:
                    first, last = (int(x) for x in r.term.split("-"))
                    held = first <= year <= last
                else:
                    held = year in listed
                if held:
                    office = Office(m, r.office or tax.roles[r.role], r.term or "")
                    groups.setdefault(r.role, []).append(office)
            elif r.role == "regional-office":
                opened = r.since is not None and r.since.first_day.year <= year
                if year in listed or (opened and any(y >= year for y in listed)):
                    offices.append(Office(m, r.office or tax.roles[r.role], ""))
    leadership = []
    for role in LEADERSHIP:
        rows = sorted(groups.get(role, []), key=lambda o: o.member.sort_name)
        if rows:
            label = tax.roles[role]
            terms = sorted({o.term for o in rows if o.term})
            heading = plural(label, len(rows)) + (f" {', '.join(terms)}" if terms else "")
            leadership.append((heading, rows))
    offices.sort(key=lambda o: o.label)
    return YearGovernance(leadership, offices)


@dataclass(frozen=True)
class Booklet:
    """One year's Calendar of Activities booklet."""

    year: int
    areas: list[Area]  # WeGO's own activities by programme area, in WeGO's order
    external: list[EventEntry]  # conferences organised by others, by date
    governance: YearGovernance

    @property
    def count(self) -> int:
        return sum(len(a.rows) for a in self.areas) + len(self.external)


def booklet(site: Site, year: int) -> Booklet:
    events = site.events_in(year)
    return Booklet(
        year,
        overview(site, events),
        [e for e in events if e.data.external],
        year_governance(site, year),
    )


QUARTERS = ("January to March", "April to June", "July to September", "October to December")


@dataclass(frozen=True)
class Quarter:
    """One quarter of a review (``number`` 0: the programmes that ran all year)."""

    number: int
    label: str  # "Q1: January to March", "All year"
    events: list[EventEntry]


@dataclass(frozen=True)
class Award:
    """One award of the year with the catalog projects it went to."""

    name: str  # "4th WeGO Awards 2020"
    winners: list[tuple[ProjectEntry, str]]  # (project, standing: "Winner")


@dataclass(frozen=True)
class RegionCount:
    """One region of a membership figure, with its countries where the source lists them."""

    label: str  # the source's own region: "Americas"
    count: int
    named: int | None  # how many the source names, when fewer than it counts
    countries: list[tuple[str, int]]  # (country name, local governments), by name


@dataclass(frozen=True)
class Review:
    """A year in review, as WeGO's Annual Report lays it out."""

    year: int
    quarters: list[Quarter]  # WeGO's activities other than governance meetings
    governance: list[EventEntry]  # the governance meetings
    awards: list[Award]
    joined: list[MemberEntry]  # members whose ``joined`` falls in the year, by date
    membership: Snapshot | None  # WeGO's own figures as of that year, if a document gives them
    regions: list[RegionCount]  # its local governments by region and country
    forward: list[EventEntry]  # next year's planned activities (WeGO's own)
    external: list[EventEntry]  # conferences others organised that WeGO took part in

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def count(self) -> int:
        return sum(len(q.events) for q in self.quarters) + len(self.governance)


def _quarter(e: EventEntry) -> int:
    """The quarter an event of its year begins in; 0 for one that runs all year."""
    if e.precision is Precision.YEAR:  # year_round too (EventEntry.precision)
        return 0
    return e.data.date.quarter_of


def review(site: Site, year: int) -> Review:
    """The review of ``year`` from the events, projects, members and figures."""
    events = site.events_in(year)
    own = [e for e in events if not e.data.external]
    meetings = [e for e in own if e.data.category == "governance"]
    rest = [e for e in own if e.data.category != "governance"]
    quarters = []
    for n in (1, 2, 3, 4, 0):
        held = [e for e in rest if _quarter(e) == n]
        if held:
            label = f"Q{n}: {QUARTERS[n - 1]}" if n else "All year"
            quarters.append(Quarter(n, label, held))
    awards: dict[str, list[tuple[ProjectEntry, str]]] = {}
    pattern = re.compile(rf"\b{year}\b")
    for p in site.projects:
        for text in p.data.awards:
            if pattern.search(text):
                name, _, standing = (part.strip() for part in text.partition("—"))
                awards.setdefault(name, []).append((p, standing))
    order = {"Winner": 0}
    listed = [
        Award(name, sorted(ws, key=lambda w: (order.get(w[1], 1), w[1], w[0].data.title)))
        for name, ws in sorted(awards.items())
    ]
    joined = sorted(
        (m for m in site.members if m.data.joined and m.data.joined.first_day.year == year),
        key=lambda m: (m.data.joined.first_day, m.sort_name),  # type: ignore[union-attr]
    )
    snapshots = [s for s in site.organisation.membership if s.as_of.first_day.year == year]
    snapshot = snapshots[-1] if snapshots else None
    regions = []
    for g in snapshot.local_governments_by_region if snapshot else []:
        countries = sorted(
            (country_name(c.country), c.count)
            for c in snapshot.local_governments_by_country  # type: ignore[union-attr]
            if site.taxonomies.region_of(c.country) in g.regions
        )
        regions.append(RegionCount(g.label, g.count, g.named, countries))
    ahead = [e for e in site.events_in(year + 1) if not e.data.external]
    return Review(
        year,
        quarters,
        meetings,
        listed,
        joined,
        snapshot,
        regions,
        ahead,
        [e for e in events if e.data.external],
    )


def reviewed_years(site: Site) -> list[int]:
    """The calendar years that have begun (a review of a future year says nothing)."""
    return [y for y in site.years if y <= site.build_date.year]


def _logo(site: Site) -> str:
    """The wordmark's file as a URI for the cover (``settings.logo``), or ""."""
    logo = site.settings.logo
    for rel, source in site.static_files:
        if logo and rel == logo and isinstance(source, Path):
            return source.resolve().as_uri()
    return ""


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    reviews = {year: review(site, year) for year in reviewed_years(site)}
    for year, r in reviews.items():
        yield PageItem(u.review_path(year), "calendar/review.html", {"review": r})
    if not site.booklets:
        return
    common = {"fonts": Markup(pdf.font_faces()), "logo": _logo(site)}
    for year in site.years:
        yield PageItem(
            u.booklet_path(year),
            "booklet/calendar.html",
            {"booklet": booklet(site, year), **common},
            sitemap=False,
            pdf=True,
        )
    for year, r in reviews.items():
        yield PageItem(
            u.review_pdf_path(year),
            "booklet/review.html",
            {"review": r, **common},
            sitemap=False,
            pdf=True,
        )
