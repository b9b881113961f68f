"""Home, free pages, 404, sitemap, robots.txt, Atom feed and open data."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from .. import feeds
from ..site import Site
from ..templating import PageItem
from ..urls import Urls
from .calendar import overview
from .members import countries, member_map


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    featured = [p for p in site.projects if p.data.featured][:6] or list(site.projects[:6])
    year = site.calendar_year
    counts = {
        key: sum(1 for m in site.members if m.data.type == key)
        for key in site.taxonomies.member_types
    }
    yield PageItem(
        "/",
        "index.html",
        {
            # every event still to come is in the page; the first few are shown and
            # time.js shows the next ones from the reader's clock as time passes
            "upcoming": site.upcoming(),
            "upcoming_shown": site.settings.upcoming_on_home,
            "recent": site.recent(3),
            "featured": featured,
            "member_counts": counts,
            # the latest year's own programme, by area: what WeGO does, even when
            # nothing is upcoming
            "programme_year": year,
            "programme": overview(site, site.events_in(year)) if year else [],
            "figures": site.organisation.membership[-1:] if site.organisation.membership else [],
            "map": member_map(countries(site)) if site.members else None,
        },
    )
    for page in site.pages:
        yield PageItem(page.path, "page.html", {"page": page})
    yield PageItem("/404.html", "404.html", {}, sitemap=False)
    yield PageItem("/search/", "search.html", {})
    yield PageItem(
        "/feed.xml",
        "feed.xml",
        {"entries": sorted(site.events, key=lambda e: e.sort_key, reverse=True)[:50]},
        sitemap=False,
    )
    for name, make in (
        ("events.json", feeds.events_json),
        ("projects.json", feeds.projects_json),
        ("members.json", feeds.members_json),
        ("projects.csv", feeds.projects_csv),
        ("members.csv", feeds.members_csv),
    ):
        yield PageItem(f"/data/{name}", make=partial(make, site, urls), sitemap=False)
    yield PageItem(
        "/robots.txt",
        content=f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('/sitemap.xml')}\n",
        sitemap=False,
    )


def sitemap(paths: list[str]) -> PageItem:
    """The sitemap of every HTML page (added by the builder, which knows them all)."""
    return PageItem("/sitemap.xml", "sitemap.xml", {"paths": sorted(paths)}, sitemap=False)
