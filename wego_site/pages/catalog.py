"""The Smart Sustainable City Projects Catalog: index, filter pages, projects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import urls
from ..facets import FacetDef, Facets
from ..site import ProjectEntry, Site
from ..templating import PageItem
from ..urls import Urls


def facets_for(site: Site) -> Facets[ProjectEntry]:
    """Region, sector and stakeholder facets of the catalog."""
    tax = site.taxonomies
    return Facets(
        urls.PROJECTS,
        list(site.projects),
        [
            FacetDef(
                "region",
                "Region",
                {k: r.label for k, r in tax.regions.items()},
                lambda p: [p.region] if p.region else [],
            ),
            FacetDef("sector", "Sector", dict(tax.sectors), lambda p: p.data.sectors),
            FacetDef(
                "stakeholder", "Stakeholders", dict(tax.stakeholders), lambda p: p.data.stakeholders
            ),
        ],
        ident=lambda p: p.slug,
    )


def project_jsonld(p: ProjectEntry, site: Site, urls: Urls) -> dict[str, Any]:
    """schema.org description of a case study."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": p.data.title,
        "description": p.data.summary,
        "url": urls.absolute(p.path),
        "about": [site.taxonomies.sectors[s] for s in p.data.sectors],
        "publisher": {
            "@type": "Organization",
            "name": site.settings.organizer.name,
            "url": site.settings.organizer.url,
        },
    }
    if p.country:
        place: dict[str, Any] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressCountry": p.country},
        }
        if p.city_label:
            place["address"]["addressLocality"] = p.city_label
        data["spatialCoverage"] = place
    if p.data.image:
        data["image"] = urls.absolute(p.data.image)
    return data


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    facets = facets_for(site)
    for page in facets.pages():
        index = facets.index() if not page.selection else None  # for the script
        ctx = {"view": page, "facets": facets, "total": len(site.projects), "facet_index": index}
        yield PageItem(page.path, "catalog/index.html", ctx)
    for p in site.projects:
        yield PageItem(
            p.path,
            "catalog/project.html",
            {
                "project": p,
                "city": site.member.get(p.city_slug) if p.city_slug else None,
                "related": site.related_projects(p),
                "jsonld": project_jsonld(p, site, urls),
            },
        )
