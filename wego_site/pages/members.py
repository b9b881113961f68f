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
from ..site import MemberEntry, Site
from ..templating import PageItem
from ..urls import Urls


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
    sources: list[tuple[str, list[RoleRow]]]  # roles without a term, by document
    offices: list[RoleRow]  # regional offices, oldest first


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
            by_source[row.role.source or "Other records"].append(row)

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
    return Governance(
        [(t, order(rs)) for t, rs in sorted(by_term.items(), reverse=True)],
        [(s, order(rs)) for s, rs in sorted(by_source.items())],
        offices,
    )


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
class Growth:
    """The growth page: members per join year and the chart's geometry."""

    rows: list[GrowthRow]
    bars: list[Bar]
    unknown: int  # members without a join date
    width: int = 640
    height: int = 240
    pad: int = 40


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
    return Growth(rows, bars, unknown)


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    facets = facets_for(site)
    members = list(site.members)
    region_feeds = {e.region for e in site.events if e.region}
    for page in facets.pages():
        ctx = {
            "view": page,
            "facets": facets,
            "groups": grouped(site, page.items),
            "types": type_counts(site, page.items),
            "total": len(members),
            "region_feeds": region_feeds,
        }
        yield PageItem(page.path, "members/index.html", ctx)
    yield PageItem("/members/governance/", "members/governance.html", {"view": governance(site)})
    yield PageItem("/members/growth/", "members/growth.html", {"view": growth(site)})
    for m in members:
        yield PageItem(m.path, "members/member.html", {"member": m})
