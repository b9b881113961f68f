"""The booklets WeGO prints, made from the same content: each calendar year's
Calendar of Activities as ``/calendar/<year>/booklet.pdf`` (``--no-pdf``: none).

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
from ..site import EventEntry, MemberEntry, Site
from ..templating import PageItem
from ..urls import Urls
from .calendar import Area, overview
from .members import LEADERSHIP


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
            heading = _plural(label, len(rows)) + (f" {', '.join(terms)}" if terms else "")
            leadership.append((heading, rows))
    offices.sort(key=lambda o: o.label)
    return YearGovernance(leadership, offices)


def _plural(label: str, n: int) -> str:
    if n == 1:
        return label
    if label.endswith("Member"):
        return label + "s"
    return label[:-1] + "ies" if label.endswith("y") else label + "s"


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


def _logo(site: Site) -> str:
    """The wordmark's file as a URI for the cover (``settings.logo``), or ""."""
    logo = site.settings.logo
    for rel, source in site.static_files:
        if logo and rel == logo and isinstance(source, Path):
            return source.resolve().as_uri()
    return ""


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
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
