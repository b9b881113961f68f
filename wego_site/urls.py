"""The only place where URLs and output paths are made.

Every page has a *site path* such as ``/calendar/2024/`` (always starting with
``/``). :class:`Urls` turns a site path into a link that honours the base URL,
including a sub-path (``https://example.org/wego/`` gives
``/wego/calendar/2024/``), and into an absolute URL for feeds and sitemaps.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


class Urls:
    """Links for one base URL."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        prefix = parts.path or "/"
        if not prefix.endswith("/"):
            prefix += "/"
        self.prefix = prefix
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        self.base_url = self.origin + prefix

    def __call__(self, path: str) -> str:
        """A root-relative link for a site path (``/x/`` -> ``/prefix/x/``)."""
        if not path.startswith("/") or path.startswith("//"):
            return path
        return self.prefix + path[1:]

    def absolute(self, path: str) -> str:
        """An absolute URL for a site path, for feeds, sitemaps and JSON-LD."""
        return self.origin + self(path)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"


def output_file(path: str) -> str:
    """The file (relative to the output folder) that serves a site path."""
    if path.endswith("/"):
        return path.lstrip("/") + "index.html"
    return path.lstrip("/")


def event_path(year: int, slug: str) -> str:
    """``/events/2024/excom-2024/``"""
    return f"/events/{year}/{slug}/"


def event_ics_path(year: int, slug: str) -> str:
    """``/events/2024/excom-2024.ics``: the event alone, for a calendar app."""
    return f"/events/{year}/{slug}.ics"


#: The catalog's and the directory's index pages (the bases of their filters).
PROJECTS = "/projects/"
MEMBERS = "/members/"


def project_path(slug: str) -> str:
    """``/projects/big-data-campus/``"""
    return f"{PROJECTS}{slug}/"


def member_path(slug: str) -> str:
    """``/members/seoul/``"""
    return f"{MEMBERS}{slug}/"


def page_path(slug: str) -> str:
    """``/about/``: a free page at the top of the site."""
    return f"/{slug}/"


def calendar_path(year: int | None = None) -> str:
    """``/calendar/2024/``; ``/calendar/`` (the current year) without a year."""
    return "/calendar/" if year is None else f"/calendar/{year}/"


def calendar_ics_path(year: int | None = None) -> str:
    """``/calendar/2024.ics``; ``/calendar.ics`` (every year) without a year."""
    return "/calendar.ics" if year is None else f"/calendar/{year}.ics"


def facet_ics_path(facet: str, key: str) -> str:
    """The events of one value of a facet, every year, for a calendar app:
    ``/calendar/category/governance.ics``, ``/calendar/region/africa.ics``."""
    return f"/calendar/{facet}/{key}.ics"


def member_ics_path(slug: str) -> str:
    """``/members/seoul.ics``: the events a member hosts or partners."""
    return f"/members/{slug}.ics"


def selection_path(base: str, selection: Iterable[tuple[str, str]] = ()) -> str:
    """A family's page for a facet selection, in the order given:
    ``selection_path("/projects/", [("region", "africa")])`` is ``/projects/region/africa/``."""
    return base + "".join(f"{facet}/{key}/" for facet, key in selection)


def project_facet_path(facet: str, key: str) -> str:
    """The catalog filtered by one value: ``/projects/sector/water-management/``."""
    return selection_path(PROJECTS, [(facet, key)])


def member_facet_path(facet: str, key: str) -> str:
    """The directory filtered by one value: ``/members/region/africa/``."""
    return selection_path(MEMBERS, [(facet, key)])


def member_country_path(code: str) -> str:
    """A country's members, projects and events: ``/members/country/kr/``."""
    return f"{MEMBERS}country/{code.lower()}/"


CARD = "card.jpg"


def booklet_path(year: int) -> str:
    """A year's Calendar of Activities booklet: ``/calendar/2024/booklet.pdf``."""
    return f"{calendar_path(year)}booklet.pdf"


def review_path(year: int) -> str:
    """A year in review (the Annual Report's layout): ``/calendar/2020/review/``."""
    return f"{calendar_path(year)}review/"


def review_pdf_path(year: int) -> str:
    """A year in review as a PDF: ``/calendar/2020/review.pdf``."""
    return f"{calendar_path(year)}review.pdf"


def card_path(page: str) -> str:
    """The share card of a page: ``/events/2024/excom/card.jpg``."""
    return page + CARD


def calendar_facet_path(year: int, facet: str, key: str) -> str:
    """A year's calendar filtered by one value: ``/calendar/2024/category/governance/``."""
    return selection_path(calendar_path(year), [(facet, key)])


class Paths:
    """The site paths templates may ask for (``paths.calendar(2024)``); a template
    never joins a path itself."""

    event = staticmethod(event_path)
    project = staticmethod(project_path)
    member = staticmethod(member_path)
    page = staticmethod(page_path)
    calendar = staticmethod(calendar_path)
    booklet = staticmethod(booklet_path)
    review = staticmethod(review_path)
    review_pdf = staticmethod(review_pdf_path)
    calendar_ics = staticmethod(calendar_ics_path)
    facet_ics = staticmethod(facet_ics_path)
    member_ics = staticmethod(member_ics_path)
    project_facet = staticmethod(project_facet_path)
    member_facet = staticmethod(member_facet_path)
    member_country = staticmethod(member_country_path)
    calendar_facet = staticmethod(calendar_facet_path)
