"""The member directory: by region and country, filters, member pages,
governance and membership growth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .. import urls
from ..facets import FacetDef, Facets
from ..models.member import Role
from ..models.organisation import Snapshot
from ..site import EventEntry, MemberEntry, ProjectEntry, Site
from ..templating import PageItem
from ..urls import Urls
from ..worldmap import WorldMap, world_map


def facets_for(site: Site) -> Facets[MemberEntry]:
    """Type and region facets of the directory."""
    tax = site.taxonomies
    return Facets(
        urls.MEMBERS,
        list(site.members),
        [
            FacetDef("type", "Type", dict(tax.member_types), lambda m: [m.data.type]),
            FacetDef(
                "region",
                "Region",
                {k: r.label for k, r in tax.regions.items()},
                lambda m: [m.region],
            ),
        ],
        ident=lambda m: m.slug,
    )


@dataclass(frozen=True)
class CountryGroup:
    code: str
    name: str
    members: list[MemberEntry]


@dataclass(frozen=True)
class RegionGroup:
    key: str
    label: str
    count: int
    countries: list[CountryGroup]


class TypeCount(NamedTuple):
    key: str
    label: str
    members: int


def grouped(site: Site, members: Sequence[MemberEntry]) -> list[RegionGroup]:
    """Region (vocabulary order) -> country (by name) -> members (by name)."""
    out = []
    for key, region in site.taxonomies.regions.items():
        in_region = [m for m in members if m.region == key]
        if not in_region:
            continue
        by_country: dict[str, list[MemberEntry]] = defaultdict(list)
        for m in in_region:
            by_country[m.data.country].append(m)
        countries = sorted(
            (CountryGroup(c, ms[0].country_name, ms) for c, ms in by_country.items()),
            key=lambda c: c.name,
        )
        out.append(RegionGroup(key, region.label, len(in_region), countries))
    return out


def type_counts(site: Site, members: Sequence[MemberEntry]) -> list[TypeCount]:
    return [
        TypeCount(k, label, sum(1 for m in members if m.data.type == k))
        for k, label in site.taxonomies.member_types.items()
    ]


@dataclass(frozen=True)
class RoleRow:
    """One role of one member, for the governance page."""

    member: MemberEntry
    role: Role


@dataclass(frozen=True)
class Governance:
    """The governance page: leadership by term, by source document, and offices."""

    terms: list[tuple[str, list[RoleRow]]]  # newest term first
    sources: list[tuple[str, list[RoleRow]]]  # roles without a term, by document title
    offices: list[RoleRow]  # regional offices, oldest first
    #: The documents that list regional offices (titles, oldest first), and for
    #: each office the ones that list it: which offices each source gives as current.
    office_sources: list[tuple[str, str]]  # (key, title)

    @property
    def current_offices(self) -> list[RoleRow]:
        """The offices the latest document that names offices names."""
        if not self.office_sources:
            return []
        latest = self.office_sources[-1][0]
        return [r for r in self.offices if latest in {s.doc for s in r.role.sources}]

    def sources_by_role(
        self, labels: dict[str, str]
    ) -> list[tuple[str, list[tuple[str, list[RoleRow]]]]]:
        """``sources`` with each document's rows grouped by role (its label, plural
        for several: "Vice President Cities"), in role order."""
        out = []
        for title, rows in self.sources:
            groups: dict[str, list[RoleRow]] = {}
            for r in rows:
                groups.setdefault(r.role.role, []).append(r)
            out.append((title, [(plural(labels[k], len(rs)), rs) for k, rs in groups.items()]))
        return out


def plural(label: str, n: int) -> str:
    """``label`` for ``n`` things: "Vice President City" -> "Vice President Cities"."""
    if n == 1:
        return label
    return label[:-1] + "ies" if label.endswith("y") else label + "s"


LEADERSHIP = ("president", "executive-vice-president", "vice-president", "excom-member")


def governance(site: Site) -> Governance:
    """Roles grouped for the governance page, time-bound roles by term."""
    rows = [RoleRow(m, r) for m in site.members for r in m.data.roles]
    by_term: dict[str, list[RoleRow]] = defaultdict(list)
    by_source: dict[str, list[RoleRow]] = defaultdict(list)
    for row in rows:
        if row.role.role not in LEADERSHIP:
            continue
        if row.role.term:
            by_term[row.role.term].append(row)
        else:
            key = row.role.sources[0].doc if row.role.sources else ""
            by_source[key].append(row)

    def order(rs: list[RoleRow]) -> list[RoleRow]:
        return sorted(rs, key=lambda r: (LEADERSHIP.index(r.role.role), r.member.sort_name))

    offices = sorted(
        (r for r in rows if r.role.role == "regional-office"),
        key=lambda r: (
            r.role.since is None,
            r.role.since.first_day if r.role.since else None,
            r.member.sort_name,
        ),
    )
    titles = site.taxonomies.sources
    known = list(titles)  # the vocabulary's order: oldest document first
    listing = {s.doc for r in offices for s in r.role.sources}
    return Governance(
        [(t, order(rs)) for t, rs in sorted(by_term.items(), reverse=True)],
        [
            (titles.get(k, "other records"), order(rs))
            for k, rs in sorted(by_source.items(), key=lambda kv: _rank(known, kv[0]))
        ],
        offices,
        [(k, titles[k]) for k in known if k in listing],
    )


def _rank(known: list[str], key: str) -> int:
    return known.index(key) if key in known else len(known)


@dataclass(frozen=True)
class GrowthRow:
    year: int
    new: int
    cumulative: int


@dataclass(frozen=True)
class Bar:
    """One year's two bars in the growth chart (SVG user units)."""

    row: GrowthRow
    x: float
    w: float
    y_cum: float
    h_cum: float
    y_new: float
    h_new: float
    cx: float


@dataclass(frozen=True)
class Figure:
    """WeGO's membership as one document states it."""

    as_of: str  # "December 2020"
    total: int
    by_type: list[tuple[str, int]]  # (type label, count)
    growth: str | None
    sources: list[str]  # document titles


@dataclass(frozen=True)
class Growth:
    """The growth page: the documents' own figures, then members per join year and
    the chart's geometry."""

    figures: list[Figure]
    rows: list[GrowthRow]
    bars: list[Bar]
    unknown: int  # members without a join date
    width: int = 640
    height: int = 240
    pad: int = 40

    @property
    def dated(self) -> int:
        """Members with a join date."""
        return sum(r.new for r in self.rows)

    @property
    def chart(self) -> bool:
        """Draw the chart only when most members have a join date: a curve of a
        few dated members would read as WeGO's growth."""
        return bool(self.bars) and self.dated >= self.unknown


def growth(site: Site) -> Growth:
    """New and cumulative members per join year, with an SVG bar geometry."""
    years: dict[int, int] = defaultdict(int)
    for m in site.members:
        if m.data.joined:
            years[m.data.joined.year] += 1
    unknown = sum(1 for m in site.members if not m.data.joined)
    rows = []
    total = 0
    if years:
        for y in range(min(years), max(years) + 1):
            total += years.get(y, 0)
            rows.append(GrowthRow(y, years.get(y, 0), total))
    width, height, pad = Growth.width, Growth.height, Growth.pad
    peak = max((r.cumulative for r in rows), default=1) or 1
    slot = (width - 2 * pad) / max(len(rows), 1)
    bars = []
    for n, r in enumerate(rows):
        h_cum = (height - 2 * pad) * r.cumulative / peak
        h_new = (height - 2 * pad) * r.new / peak
        x = pad + n * slot
        bars.append(
            Bar(
                r,
                x=round(x + slot * 0.15, 1),
                w=round(slot * 0.7, 1),
                y_cum=round(height - pad - h_cum, 1),
                h_cum=round(h_cum, 1),
                y_new=round(height - pad - h_new, 1),
                h_new=round(h_new, 1),
                cx=round(x + slot / 2, 1),
            )
        )
    tax = site.taxonomies
    figures = [
        Figure(
            shot.as_of.label(),
            shot.total,
            [(tax.member_types[k], n) for k, n in shot.by_type.items()],
            shot.growth,
            tax.source_titles(shot.sources),
        )
        for shot in site.organisation.membership
    ]
    return Growth(figures, rows, bars, unknown)


@dataclass(frozen=True)
class CountRow:
    """One line of the "about this data" table: the source's count beside the directory's."""

    label: str
    stated: int
    listed: int  # in this directory
    named: int | None = None  # when the source names fewer than it counts


@dataclass(frozen=True)
class AboutData:
    """The directory beside the latest membership figures WeGO's documents give."""

    snapshot: Snapshot
    as_of: str  # "December 2020"
    by_type: list[CountRow]
    by_region: list[CountRow]  # local governments, in the source's regions
    listed: int  # members in the directory
    sources: list[str]  # document titles


def about_data(site: Site) -> AboutData | None:
    """The latest snapshot that breaks the membership down, against the directory."""
    shots = [s for s in site.organisation.membership if s.by_type]
    if not shots:
        return None
    shot = shots[-1]
    tax = site.taxonomies
    members = site.members
    by_type = [
        CountRow(tax.member_types[k], n, sum(1 for m in members if m.data.type == k))
        for k, n in shot.by_type.items()
    ]
    local = [m for m in members if m.data.type == "local-government"]
    by_region = [
        CountRow(r.label, r.count, sum(1 for m in local if m.region in r.regions), r.named)
        for r in shot.local_governments_by_region
    ]
    titles = tax.source_titles(shot.sources)
    return AboutData(shot, shot.as_of.label(), by_type, by_region, len(members), titles)


@dataclass(frozen=True)
class CountryView:
    """A country page: its members by type, the projects and events held there."""

    code: str
    name: str
    region: str  # region key ("" when the vocabulary has none)
    region_label: str
    members: list[MemberEntry]
    projects: list[ProjectEntry]
    events: list[EventEntry]  # newest first

    @property
    def path(self) -> str:
        return urls.member_country_path(self.code)

    @property
    def by_type(self) -> list[tuple[str, list[MemberEntry]]]:
        """(type key, members) in vocabulary order: local governments first."""
        out: dict[str, list[MemberEntry]] = {}
        for m in self.members:
            out.setdefault(m.data.type, []).append(m)
        return sorted(out.items(), key=lambda kv: kv[0] != "local-government")


def countries(site: Site) -> list[CountryView]:
    """Every country with a member, by name."""
    by_country: dict[str, list[MemberEntry]] = defaultdict(list)
    for m in site.members:
        by_country[m.data.country].append(m)
    projects: dict[str, list[ProjectEntry]] = defaultdict(list)
    for p in site.projects:
        projects[p.country].append(p)
    events: dict[str, list[EventEntry]] = defaultdict(list)
    for e in reversed(site.events):  # newest first
        if e.data.location is not None and e.data.location.country:
            events[e.data.location.country].append(e)
    regions = site.taxonomies.regions
    out = []
    for code, ms in by_country.items():
        region = ms[0].region
        label = regions[region].label if region in regions else ""
        view = CountryView(
            code, ms[0].country_name, region, label, ms, projects[code], events[code]
        )
        out.append(view)
    return sorted(out, key=lambda c: c.name)


@dataclass(frozen=True)
class Place:
    """A country or a region, as a heading names it and where it links."""

    label: str
    path: str
    region: bool = False  # a region: its members are listed with their country


@dataclass(frozen=True)
class Nearby:
    """What else WeGO has near a member, for the foot of its page: other
    members of its country (else of its region), the catalog's projects from
    its region (its country's first) and events held in its country (else its
    region). Nothing is made up: a short entry (most members, as the sources
    say little) reads as part of a network instead of as an empty page."""

    members: list[MemberEntry]  # up to MEMBERS
    members_in: Place
    more_members: int  # how many more the place's page lists
    projects: list[ProjectEntry]  # up to PROJECTS, not the member's own
    projects_in: Place  # the catalog of the member's region
    region_projects: int  # how many projects that catalog page lists
    events: list[EventEntry]  # up to EVENTS, not the member's own; newest first
    events_in: Place

    MEMBERS = 8
    PROJECTS = 3
    EVENTS = 3

    def __bool__(self) -> bool:
        return bool(self.members or self.projects or self.events)


def nearby(site: Site, member: MemberEntry, country: CountryView) -> Nearby:
    """The :class:`Nearby` of ``member`` (whose country's view is ``country``)."""
    regions = site.taxonomies.regions
    here = Place(country.name, country.path)
    region = (
        Place(regions[member.region].label, member.region_path, region=True)
        if member.region in regions
        else here
    )
    members = [m for m in country.members if m.slug != member.slug]
    members_in = here
    if not members and region is not here:
        members = [m for m in site.members if m.region == member.region and m.slug != member.slug]
        members_in = region
    own = {p.slug for p in member.projects}
    in_region = [p for p in site.projects if p.region and p.region == member.region]
    shown = [p for p in in_region if p.slug not in own]
    shown.sort(key=lambda p: p.country != member.data.country)  # stable: catalog order
    projects_in = Place(region.label, urls.project_facet_path("region", member.region))
    own_events = {e.slug for e in member.events}
    events = [e for e in country.events if e.slug not in own_events]
    events_in = here
    if not events and region is not here:
        newest_first = reversed(site.events)
        events = [e for e in newest_first if e.region == member.region and e.slug not in own_events]
        events_in = region
    return Nearby(
        members[: Nearby.MEMBERS],
        members_in,
        max(0, len(members) - Nearby.MEMBERS),
        shown[: Nearby.PROJECTS],
        projects_in,
        len(in_region),
        events[: Nearby.EVENTS],
        events_in,
    )


def member_map(views: Sequence[CountryView]) -> WorldMap:
    """The world map of the member countries (computed once per set of counts)."""
    return world_map(tuple((c.code, c.name, len(c.members)) for c in views))


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    facets = facets_for(site)
    views = countries(site)
    the_map = member_map(views)
    members = list(site.members)
    region_feeds = {e.region for e in site.events if e.region}
    about = about_data(site)
    for page in facets.pages():
        ctx = {
            "view": page,
            "facets": facets,
            "groups": grouped(site, page.items),
            "types": type_counts(site, page.items),
            "total": len(members),
            "region_feeds": region_feeds,
            "about": None if page.selection else about,  # on the whole directory
            "map": None if page.selection else the_map,
        }
        yield PageItem(page.path, "members/index.html", ctx)
    yield PageItem("/members/governance/", "members/governance.html", {"view": governance(site)})
    yield PageItem("/members/growth/", "members/growth.html", {"view": growth(site)})
    by_code = {c.code: c for c in views}
    for m in members:
        around = nearby(site, m, by_code[m.data.country])
        yield PageItem(m.path, "members/member.html", {"member": m, "nearby": around})
    for c in views:
        yield PageItem(c.path, "members/country.html", {"country": c})
