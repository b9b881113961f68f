"""The member directory: by region and country, filters, member pages,
governance and membership growth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..facets import FacetDef, Facets
from ..site import MemberEntry, Site
from ..templating import PageItem
from ..urls import Urls


def facets_for(site: Site) -> Facets[MemberEntry]:
    """Type and region facets of the directory."""
    tax = site.taxonomies
    return Facets(
        "members",
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


def grouped(site: Site, members: Sequence[MemberEntry]) -> list[dict[str, Any]]:
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
            (
                {"code": c, "name": ms[0].country_name, "members": ms}
                for c, ms in by_country.items()
            ),
            key=lambda c: str(c["name"]),
        )
        out.append(
            {"key": key, "label": region.label, "count": len(in_region), "countries": countries}
        )
    return out


def type_counts(site: Site, members: Sequence[MemberEntry]) -> list[tuple[str, str, int]]:
    return [
        (k, label, sum(1 for m in members if m.data.type == k))
        for k, label in site.taxonomies.member_types.items()
    ]


@dataclass(frozen=True)
class RoleRow:
    """One role of one member, for the governance page."""

    member: MemberEntry
    role: Any


def governance(site: Site) -> dict[str, Any]:
    """Roles grouped for the governance page, time-bound roles by term."""
    rows = [RoleRow(m, r) for m in site.members for r in m.data.roles]
    leadership_keys = ["president", "executive-vice-president", "vice-president", "excom-member"]
    by_term: dict[str, list[RoleRow]] = defaultdict(list)
    by_source: dict[str, list[RoleRow]] = defaultdict(list)
    for row in rows:
        if row.role.role not in leadership_keys:
            continue
        if row.role.term:
            by_term[row.role.term].append(row)
        else:
            by_source[row.role.source or "Other records"].append(row)

    def order(rs: list[RoleRow]) -> list[RoleRow]:
        return sorted(rs, key=lambda r: (leadership_keys.index(r.role.role), r.member.sort_name))

    terms = [(t, order(rs)) for t, rs in sorted(by_term.items(), reverse=True)]
    sources = [(s, order(rs)) for s, rs in sorted(by_source.items())]
    offices = sorted(
        (r for r in rows if r.role.role == "regional-office"),
        key=lambda r: (
            r.role.since is None,
            r.role.since.first_day if r.role.since else None,
            r.member.sort_name,
        ),
    )
    founding = [r for r in rows if r.role.role == "founding-member"]
    return {"terms": terms, "sources": sources, "offices": offices, "founding": founding}


def growth(site: Site) -> dict[str, Any]:
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
            rows.append({"year": y, "new": years.get(y, 0), "cumulative": total})
    width, height, pad = 640, 240, 40
    peak = max((r["cumulative"] for r in rows), default=1) or 1
    slot = (width - 2 * pad) / max(len(rows), 1)
    bars = []
    for n, r in enumerate(rows):
        h_cum = (height - 2 * pad) * r["cumulative"] / peak
        h_new = (height - 2 * pad) * r["new"] / peak
        x = pad + n * slot
        bars.append(
            {
                **r,
                "x": round(x + slot * 0.15, 1),
                "w": round(slot * 0.7, 1),
                "y_cum": round(height - pad - h_cum, 1),
                "h_cum": round(h_cum, 1),
                "y_new": round(height - pad - h_new, 1),
                "h_new": round(h_new, 1),
                "cx": round(x + slot / 2, 1),
            }
        )
    return {
        "rows": rows,
        "bars": bars,
        "unknown": unknown,
        "width": width,
        "height": height,
        "pad": pad,
        "peak": peak,
    }


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    facets = facets_for(site)
    pre = set(facets.selections())
    members = list(site.members)
    region_feeds = {e.region for e in site.events if e.region}
    yield PageItem(
        "/members/",
        "members/index.html",
        {
            "groups": grouped(site, members),
            "types": type_counts(site, members),
            "facet_views": facets.views((), pre),
            "selection": (),
            "facets": facets,
            "total": len(members),
            "shown": len(members),
            "region_feeds": region_feeds,
        },
    )
    for sel in sorted(pre):
        chosen = facets.select(sel)
        yield PageItem(
            facets.path(sel),
            "members/index.html",
            {
                "groups": grouped(site, chosen),
                "types": type_counts(site, chosen),
                "facet_views": facets.views(sel, pre),
                "selection": sel,
                "facets": facets,
                "total": len(members),
                "shown": len(chosen),
                "filter_title": facets.title(sel),
                "region_feeds": region_feeds,
            },
        )
    yield PageItem("/members/governance/", "members/governance.html", governance(site))
    yield PageItem("/members/growth/", "members/growth.html", growth(site))
    for m in members:
        yield PageItem(m.path, "members/member.html", {"member": m})
