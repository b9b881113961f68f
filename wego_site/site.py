"""The immutable site model, built once from validated content.

Entries wrap the validated schema objects with what pages need and the schemas
do not hold: URLs, derived regions, human dates and reverse links (a member's
hosted events and projects, a project's events). Nothing here reads files or
renders templates.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .bodies import HTML, JSON, Body
from .cards import covers
from .dates import MONTHS_SHORT, Precision, span_label
from .loader import Content, Item
from .models import Event, Member, Organisation, Page, Project, SiteSettings, Taxonomies
from .models.common import country_name
from .models.event import Status


@dataclass(frozen=True, eq=False)
class _Entry:
    """What every entry has: its slug, its validated data, its Markdown body
    (used only in recorded ways, see bodies.py) and its file (for messages)."""

    slug: str
    data: Any
    markdown: Body
    source: str

    @staticmethod
    def path_of(slug: str) -> str:
        """The site path of an entry of this kind, from its slug (a function of urls.py)."""
        raise NotImplementedError

    @property
    def path(self) -> str:
        return self.path_of(self.slug)

    @property
    def has_body(self) -> bool:
        return not self.markdown.blank

    @property
    def body_html(self) -> str:
        """A slot the renderer fills with the body as HTML."""
        from markupsafe import Markup

        return Markup(self.markdown.slot(HTML))

    @property
    def body_json(self) -> str:
        """A slot the open-data writer fills with the body as a JSON string."""
        return self.markdown.slot(JSON)


@dataclass(frozen=True, eq=False)
class EventEntry(_Entry):
    """An event with its derived facts."""

    data: Event
    tz_default: str
    region: str = ""  # from the location's country, else the host's

    @property
    def year(self) -> int:
        return self.data.date.year

    @property
    def path(self) -> str:
        return urls.event_path(self.year, self.slug)

    @property
    def ics_path(self) -> str:
        return urls.event_ics_path(self.year, self.slug)

    @property
    def year_path(self) -> str:
        """The calendar of the event's year."""
        return urls.calendar_path(self.year)

    @property
    def category_path(self) -> str:
        """The event's programme area in its year's calendar."""
        return urls.calendar_facet_path(self.year, "category", self.data.category)

    @property
    def uid_key(self) -> str:
        return f"event-{self.year}-{self.slug}"

    @property
    def first_day(self) -> date:
        return self.data.date.first_day

    @property
    def last_day(self) -> date:
        return (self.data.end or self.data.date).last_day

    @property
    def precision(self) -> Precision:
        if self.data.year_round:
            return Precision.YEAR
        return self.data.date.precision

    @property
    def timezone(self) -> str:
        return self.data.timezone or self.tz_default

    @property
    def start_datetime(self) -> datetime | None:
        """Timezone-aware start when a time is given."""
        if self.data.time is None:
            return None
        return datetime.combine(self.first_day, self.data.time, ZoneInfo(self.timezone))

    @property
    def sort_key(self) -> tuple[Any, ...]:
        t = self.data.time or dtime(0, 0)
        return (self.first_day, -int(self.precision), t, self.data.title.lower(), self.slug)

    @property
    def tbd(self) -> bool:
        return self.data.tentative

    @property
    def cancelled(self) -> bool:
        return self.data.status is Status.CANCELLED

    @property
    def postponed(self) -> bool:
        return self.data.status is Status.POSTPONED

    @property
    def when(self) -> str:
        """The date as a person says it."""
        d = self.data
        if d.year_round:
            text = f"All year {d.date.year}"
        else:
            text = span_label(d.date, d.end)
        start = self.start_datetime
        if start is not None:
            zone = start.tzname() or self.timezone
            text += f", {start:%H:%M} {zone}"
            utc = start.astimezone(ZoneInfo("UTC"))
            if utc.utcoffset() != start.utcoffset():
                text += f" ({utc:%H:%M} UTC)"
        if d.tentative:
            text += " (TBD)"
        return text

    @property
    def month_label(self) -> str:
        """Short date for overview tables: "Sep", "Q3", "Apr-Nov", "Year-round"."""
        d = self.data
        if d.year_round or d.date.precision is Precision.YEAR:
            return "Year-round"

        def one(pd: Any) -> str:
            if pd.precision is Precision.QUARTER:
                return f"Q{pd.quarter}"
            return MONTHS_SHORT[pd.first_day.month]

        a = one(d.date)
        b = one(d.end) if d.end else a
        out = a if a == b else f"{a}-{b}"
        return out + (" (TBD)" if d.tentative else "")

    @property
    def format_stated(self) -> bool:
        """True when the file says how people attend (the default is not shown)."""
        return "format" in self.data.model_fields_set

    @property
    def place(self) -> str:
        """City and country, or the wider place, or "Online"."""
        loc = self.data.location
        if loc is None:
            return "Online" if self.data.format.value == "online" else ""
        if loc.city and loc.country:
            country = country_name(loc.country)
            return loc.city if loc.city == country else f"{loc.city}, {country}"
        if loc.country:
            return country_name(loc.country)
        return loc.region_label or ""

    @property
    def short_place(self) -> str:
        """The city alone where there is one (the booklets' overview: "Sep | Almaty"),
        else :attr:`place`."""
        loc = self.data.location
        return loc.city if loc is not None and loc.city else self.place

    def timing(self, today: date) -> str:
        """past | ongoing | upcoming relative to ``today``."""
        if self.last_day < today:
            return "past"
        if self.first_day <= today:
            return "ongoing"
        return "upcoming"


@dataclass(frozen=True, eq=False)
class MemberEntry(_Entry):
    """A member with its derived region and reverse links."""

    path_of = staticmethod(urls.member_path)

    data: Member
    region: str
    hosted: tuple[EventEntry, ...] = ()
    partnered: tuple[EventEntry, ...] = ()
    projects: tuple[ProjectEntry, ...] = ()

    @property
    def region_path(self) -> str:
        """The directory of the member's region."""
        return urls.member_facet_path("region", self.region)

    @property
    def type_path(self) -> str:
        """The directory of the member's type."""
        return urls.member_facet_path("type", self.data.type)

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def display_name(self) -> str:
        return self.data.display_name

    @property
    def country_name(self) -> str:
        return country_name(self.data.country)

    @property
    def sort_name(self) -> str:
        return unicodedata.normalize("NFKD", self.display_name).casefold()

    @property
    def events(self) -> tuple[EventEntry, ...]:
        return tuple(sorted(set(self.hosted) | set(self.partnered), key=lambda e: e.sort_key))

    @property
    def ics_path(self) -> str:
        return urls.member_ics_path(self.slug)


@dataclass(frozen=True, eq=False)
class ProjectEntry(_Entry):
    """A catalog project with its place and reverse links."""

    path_of = staticmethod(urls.project_path)

    data: Project
    country: str
    region: str
    city_slug: str | None
    city_label: str
    events: tuple[EventEntry, ...] = ()

    @property
    def region_path(self) -> str:
        """The catalog of the project's region ("" without a region)."""
        return urls.project_facet_path("region", self.region) if self.region else ""

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def blurb(self) -> str:
        """The summary as a catalog card shows it: none when the summary only
        restates the title (``Goyang's project "Goyang Smart City", one of the
        twelve winning projects ...``): the card already shows title, city and award."""
        summary = self.data.summary
        return (
            ""
            if f"\u201c{self.data.title}\u201d" in summary or f'"{self.data.title}"' in summary
            else summary
        )


@dataclass(frozen=True, eq=False)
class PageEntry(_Entry):
    """A free page."""

    path_of = staticmethod(urls.page_path)

    data: Page


@dataclass(frozen=True, eq=False)
class Site:
    """Everything the page families need, computed once."""

    settings: SiteSettings
    taxonomies: Taxonomies
    build_date: date
    build_time: datetime
    events: tuple[EventEntry, ...]
    projects: tuple[ProjectEntry, ...]
    members: tuple[MemberEntry, ...]
    pages: tuple[PageEntry, ...]
    static_files: tuple[tuple[str, Any], ...] = field(default=())
    organisation: Organisation = field(default_factory=Organisation)
    #: Whether the build lays out the booklets (PDF): ``--no-pdf`` says no.
    booklets: bool = False

    @cached_property
    def bodies(self) -> dict[str, str]:
        """Every body's Markdown by its key: what the renderer fills slots with."""
        entries = (*self.events, *self.projects, *self.members, *self.pages)
        return {e.markdown.key: e.markdown.text for e in entries}

    @cached_property
    def member_countries(self) -> frozenset[str]:
        """Countries with a member: those with a country page."""
        return frozenset(m.data.country for m in self.members)

    @cached_property
    def card_pages(self) -> frozenset[str]:
        """The pages with a share card of their own: the home page, each section's
        index, each calendar year and each entry whose title the card font can
        draw (:func:`wego_site.cards.covers`); others show their section's."""
        sections = {"/", urls.PROJECTS, urls.MEMBERS}
        years = {urls.calendar_path(y) for y in self.years}
        if years:
            years.add(urls.calendar_path())
        titled = [(e.path, e.data.title) for e in (*self.events, *self.projects, *self.pages)]
        titled += [(m.path, m.name) for m in self.members]
        entries = {path for path, title in titled if covers(title)}
        return frozenset(sections | years | entries)

    @cached_property
    def member(self) -> dict[str, MemberEntry]:
        return {m.slug: m for m in self.members}

    @cached_property
    def project(self) -> dict[str, ProjectEntry]:
        return {p.slug: p for p in self.projects}

    @cached_property
    def years(self) -> list[int]:
        return sorted({e.year for e in self.events})

    @cached_property
    def _by_year(self) -> dict[int, list[EventEntry]]:
        out: dict[int, list[EventEntry]] = defaultdict(list)
        for e in self.events:
            out[e.year].append(e)
        return dict(out)

    def events_in(self, year: int) -> list[EventEntry]:
        return list(self._by_year.get(year, ()))

    @cached_property
    def calendar_year(self) -> int | None:
        """The current year if it has events, else the latest year with events."""
        if not self.years:
            return None
        if self.build_date.year in self.years:
            return self.build_date.year
        earlier = [y for y in self.years if y <= self.build_date.year]
        return earlier[-1] if earlier else self.years[0]

    def upcoming(self, limit: int | None = None) -> list[EventEntry]:
        """The next dated events from the build date (not year-round, not cancelled)."""
        out = [
            e
            for e in self.events
            if e.last_day >= self.build_date
            and not e.data.year_round
            and e.precision is not Precision.YEAR
            and not e.cancelled
        ]
        return out[:limit]

    def recent(self, limit: int) -> list[EventEntry]:
        out = [e for e in self.events if e.last_day < self.build_date and not e.data.year_round]
        return list(reversed(out))[:limit]

    @cached_property
    def menu(self) -> list[PageEntry]:
        return sorted(
            (p for p in self.pages if p.data.menu is not None), key=lambda p: (p.data.menu, p.slug)
        )

    @cached_property
    def _title_keys(self) -> list[str]:
        return [p.data.title.lower() for p in self.projects]

    @cached_property
    def _by_sector(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for n, p in enumerate(self.projects):
            for sector in p.data.sectors:
                out[sector].append(n)
        return dict(out)

    @cached_property
    def _by_year_category(self) -> dict[tuple[int, str], list[EventEntry]]:
        out: dict[tuple[int, str], list[EventEntry]] = defaultdict(list)
        for e in self.events:
            out[(e.year, e.data.category)].append(e)
        return dict(out)

    def same_area(self, event: EventEntry, limit: int = 5) -> list[EventEntry]:
        """Other events of the same programme area in the same year, in date order."""
        peers = self._by_year_category.get((event.year, event.data.category), [])
        # (the first limit + 1 peers suffice: a full scan per event was quadratic)
        return [o for o in peers[: limit + 1] if o.slug != event.slug][:limit]

    @cached_property
    def _related_memo(self) -> dict[tuple[str, ...], list[int]]:
        return {}

    def related_projects(self, project: ProjectEntry, limit: int = 4) -> list[ProjectEntry]:
        """Projects sharing the most sectors with ``project`` (then by title)."""
        ranked = self._related_ranking(tuple(sorted(project.data.sectors)), limit + 1)
        others = [self.projects[n] for n in ranked if self.projects[n].slug != project.slug]
        return others[:limit]

    def _related_ranking(self, sectors: tuple[str, ...], limit: int) -> list[int]:
        """The first ``limit`` projects by (most sectors shared, title), for one set of
        sectors. Projects with the same sectors share it, so the work grows with the
        number of distinct sector sets, not with the square of the projects."""
        key = (*sectors, f"#{limit}")
        hit = self._related_memo.get(key)
        if hit is None:
            shared: Counter[int] = Counter()
            for sector in sectors:
                shared.update(self._by_sector.get(sector, ()))
            titles = self._title_keys
            candidates = [(-count, titles[n], n) for n, count in shared.items()]
            hit = [n for *_, n in heapq.nsmallest(limit, candidates)]
            self._related_memo[key] = hit
        return hit


def build_site(
    content: Content, today: date, now: datetime, drafts: bool = False, booklets: bool = False
) -> Site:
    """Assemble the immutable :class:`Site` from validated content."""
    tax = content.taxonomies
    tz = content.settings.timezone

    def published(items: list[Item[Any]]) -> list[Item[Any]]:
        return [i for i in items if drafts or not getattr(i.data, "draft", False)]

    members_raw = {m.slug: m for m in content.members}

    def event_region(ev: Event) -> str:
        if ev.location and ev.location.country:
            return tax.region_of(ev.location.country) or ""
        host = members_raw.get(ev.host) if ev.host else None
        return (tax.region_of(host.data.country) or "") if host else ""

    events = sorted(
        (
            EventEntry(i.slug, i.data, i.source.markdown, i.source.path, tz, event_region(i.data))
            for i in published(content.events)
        ),
        key=lambda e: e.sort_key,
    )

    hosted: dict[str, list[EventEntry]] = defaultdict(list)
    partnered: dict[str, list[EventEntry]] = defaultdict(list)
    by_project: dict[str, list[EventEntry]] = defaultdict(list)
    for e in events:
        if e.data.host:
            hosted[e.data.host].append(e)
        for slug in e.data.partners:
            partnered[slug].append(e)
        for slug in e.data.projects:
            by_project[slug].append(e)

    projects = []
    for i in published(content.projects):
        d: Project = i.data
        city = members_raw.get(d.city) if d.city else None
        country = d.country or (city.data.country if city else "")
        label = city.data.display_name if city else (d.city_name or "")
        projects.append(
            ProjectEntry(
                i.slug,
                d,
                i.source.markdown,
                i.source.path,
                country,
                tax.region_of(country) or "",
                d.city if city else None,
                label,
                tuple(by_project.get(i.slug, ())),
            )
        )
    projects.sort(key=lambda p: (not p.data.featured, p.data.title.lower()))
    by_city: dict[str, list[ProjectEntry]] = defaultdict(list)
    for p in projects:
        if p.city_slug:
            by_city[p.city_slug].append(p)

    members = [
        MemberEntry(
            i.slug,
            i.data,
            i.source.markdown,
            i.source.path,
            tax.region_of(i.data.country) or "",
            tuple(hosted.get(i.slug, ())),
            tuple(partnered.get(i.slug, ())),
            tuple(sorted(by_city.get(i.slug, ()), key=lambda p: p.data.title.lower())),
        )
        for i in content.members
    ]
    members.sort(key=lambda m: (m.sort_name, m.slug))
    pages = sorted(
        (
            PageEntry(i.slug, i.data, i.source.markdown, i.source.path)
            for i in published(content.pages)
        ),
        key=lambda p: p.slug,
    )
    static = tuple(
        sorted(("/" + p.relative_to(content.root).as_posix(), p) for p in content.static_files)
    )
    return Site(
        content.settings,
        tax,
        today,
        now,
        tuple(events),
        tuple(projects),
        tuple(members),
        tuple(pages),
        static,
        content.organisation,
        booklets,
    )


def build_moment(source_date_epoch: str | None, timezone: str = "UTC") -> tuple[date, datetime]:
    """Build date and time.

    With ``SOURCE_DATE_EPOCH``, that moment (UTC). Without it, the start of
    today in the site's ``timezone``: every build of one day is then the same,
    so a rebuild can reuse the last one. The date is always the date in
    ``timezone`` (just after midnight in Seoul it is already tomorrow there,
    though still today in UTC).
    """
    zone = ZoneInfo(timezone)
    if source_date_epoch:
        now = datetime.fromtimestamp(int(source_date_epoch), tz=ZoneInfo("UTC"))
        return now.astimezone(zone).date(), now
    today = datetime.now(tz=zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone)
    return today, start.astimezone(ZoneInfo("UTC"))
