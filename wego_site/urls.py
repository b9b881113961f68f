"""The only place where URLs and output paths are made.

Every page has a *site path* such as ``/calendar/2024/`` (always starting with
``/``). :class:`Urls` turns a site path into a link that honours the base URL,
including a sub-path (``https://example.org/wego/`` gives
``/wego/calendar/2024/``), and into an absolute URL for feeds and sitemaps.
"""

from __future__ import annotations

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
    return f"/events/{year}/{slug}/"


def event_ics_path(year: int, slug: str) -> str:
    return f"/events/{year}/{slug}.ics"


def project_path(slug: str) -> str:
    return f"/projects/{slug}/"


def member_path(slug: str) -> str:
    return f"/members/{slug}/"


def page_path(slug: str) -> str:
    return f"/{slug}/"


def calendar_path(year: int | None = None) -> str:
    return "/calendar/" if year is None else f"/calendar/{year}/"


def calendar_ics_path(year: int | None = None) -> str:
    return "/calendar.ics" if year is None else f"/calendar/{year}.ics"


def category_ics_path(key: str) -> str:
    return f"/calendar/category/{key}.ics"


def region_ics_path(key: str) -> str:
    return f"/calendar/region/{key}.ics"


def member_ics_path(slug: str) -> str:
    return f"/members/{slug}.ics"
