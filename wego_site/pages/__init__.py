"""Page families: each turns the site model into page items (no I/O).

``core`` (home, free pages, 404, sitemap, feeds, open data), ``calendar``,
``catalog``, ``members``, ``cards`` (share images) and ``booklets`` (PDF) each expose
``items(site, urls)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..site import Site
from ..templating import PageItem
from ..urls import Urls
from . import booklets, calendar, cards, catalog, core, members

FAMILIES = (core, calendar, catalog, members, cards, booklets)


def all_items(site: Site, urls: Urls) -> Iterator[PageItem]:
    """Every output file of the site, family by family."""
    for family in FAMILIES:
        yield from family.items(site, urls)
