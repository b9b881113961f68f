"""Share cards: one JPEG per page of ``Site.card_pages`` (when ``site.yaml`` sets
``share_cards``), saying what the page is; ``base.html`` names it as the page's
``og:image`` (the ``card_for`` global)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from .. import urls as u
from ..cards import Card, draw
from ..site import EventEntry, MemberEntry, Site
from ..templating import PageItem
from ..urls import Urls
from .members import plural


def _plural(n: int, word: str) -> str:
    return f"{n} {plural(word, n)}"


class _Cards:
    """The cards of one site (its names on each)."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def card(self, kicker: str, title: str, detail: str = "", colour: str = "") -> Card:
        s = self.site.settings
        return Card(s.short_title, s.full_name, kicker, title, detail, colour)

    def year(self, year: int) -> Card:
        n = len(self.site.events_in(year))
        return self.card(
            "Calendar of activities", f"{year} Calendar of Activities", _plural(n, "activity")
        )

    def event(self, e: EventEntry) -> Card:
        tax = self.site.taxonomies
        area = tax.event_categories[e.data.category]
        kicker = f"{area} · {e.year} calendar"
        status = " · Cancelled" if e.cancelled else " · Postponed" if e.postponed else ""
        detail = " · ".join(x for x in (e.when, e.place) if x) + status
        return self.card(
            kicker, e.data.title, detail, tax.category_colours.get(e.data.category, "")
        )

    def member(self, m: MemberEntry) -> Card:
        tax = self.site.taxonomies
        roles = [r.office or tax.roles[r.role] for r in m.data.roles if r.role == "president"]
        detail = " · ".join([m.country_name, *roles])
        return self.card(
            f"{tax.member_types[m.data.type]} · {tax.regions[m.region].label}", m.name, detail
        )

    def all(self) -> Iterator[tuple[str, Card]]:
        """(page path, card) for every page of ``site.card_pages``."""
        site, s = self.site, self.site.settings
        countries = len(site.member_countries)
        yield "/", self.card(s.motto, s.full_name, s.intro)
        yield (
            u.PROJECTS,
            self.card(
                "Projects Catalog",
                "Smart Sustainable City Projects Catalog",
                _plural(len(site.projects), "project"),
            ),
        )
        yield (
            u.MEMBERS,
            self.card(
                "Member directory",
                f"{s.short_title} members worldwide",
                f"{_plural(len(site.members), 'member')} in {_plural(countries, 'country')}",
            ),
        )
        for year in site.years:
            yield u.calendar_path(year), self.year(year)
        if site.calendar_year is not None:
            yield u.calendar_path(), self.year(site.calendar_year)
        for e in site.events:
            yield e.path, self.event(e)
        for p in site.projects:
            place = ", ".join(x for x in (p.city_label, p.country_name if p.country else "") if x)
            yield p.path, self.card("Projects Catalog", p.data.title, place)
        for m in site.members:
            yield m.path, self.member(m)
        for page in site.pages:
            yield page.path, self.card(s.short_title, page.data.title)


def items(site: Site, urls: Urls) -> Iterator[PageItem]:
    if not site.settings.share_cards:
        return
    own = site.card_pages  # not the entries whose title the card font cannot draw
    for path, card in _Cards(site).all():
        if path not in own:
            continue
        yield PageItem(
            u.card_path(path), make=partial(draw, card), sitemap=False, cache_key=card.key
        )
