"""Checks across files: references, year folders, regions, unique and reserved slugs.

Run by the loader after every file has been validated on its own; each
problem is reported in the file that makes the reference, naming the file
that is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ContentError, display_path, suggest

#: Slugs that would collide with pages of the directory, the catalog or the site.
MEMBER_RESERVED = frozenset({"governance", "growth", "type", "region", "country"})
PROJECT_RESERVED = frozenset({"region", "sector", "stakeholder"})
PAGE_RESERVED = frozenset(
    {
        "admin",  # the browser editor (site.yaml: editor)
        "calendar",
        "events",
        "projects",
        "members",
        "data",
        "static",
        "search",
        "assets",
        "pagefind",
        "feed.xml",
        "sitemap.xml",
        "404",
    }
)


class _Checker:
    def __init__(self, content: Any, root: Path) -> None:
        self.c = content
        self.root = root
        self.errors: list[ContentError] = []

    def fail(self, item: Any, field: str, message: str) -> None:
        loc = tuple(int(p) if p.isdigit() else p for p in field.split(".")) if field else ()
        line = item.source.line(*loc) if loc else 1
        self.errors.append(ContentError(item.source.path, line, field, message))

    def missing(
        self,
        item: Any,
        field: str,
        kind: str,
        slug: str,
        known: Mapping[str, Any],
        folder: str,
        ext: str,
    ) -> None:
        where = display_path(self.root / folder / f"{slug}{ext}")
        self.fail(item, field, f"unknown {kind} '{slug}'{suggest(slug, known)} (no file {where})")

    def events(self) -> None:
        members = {m.slug: m for m in self.c.members}
        projects = {p.slug: p for p in self.c.projects}
        for ev in self.c.events:
            self.event(ev, members, projects)

    def event(self, ev: Any, members: Mapping[str, Any], projects: Mapping[str, Any]) -> None:
        """One event's year folder, host, partners and projects."""
        folder = Path(ev.source.path).parent.name
        year = ev.data.date.year
        if folder != str(year):
            self.fail(
                ev,
                "date",
                f"the event is in folder '{folder}' but its date is in "
                f"{year}; move it to events/{year}/",
            )
        if ev.data.host and ev.data.host not in members:
            self.missing(ev, "host", "member", ev.data.host, members, "members", ".yaml")
        for i, slug in enumerate(ev.data.partners):
            if slug not in members:
                self.missing(ev, f"partners.{i}", "member", slug, members, "members", ".yaml")
        for i, slug in enumerate(ev.data.projects):
            if slug not in projects:
                self.missing(ev, f"projects.{i}", "project", slug, projects, "projects", ".md")

    def projects(self) -> None:
        members = {m.slug: m for m in self.c.members}
        static = self.c.static_paths
        for pr in self.c.projects:
            city = pr.data.city
            if city and city not in members:
                self.missing(pr, "city", "member", city, members, "members", ".yaml")
            elif city and members[city].data.type != "local-government":
                self.fail(
                    pr,
                    "city",
                    f"'{city}' is a {members[city].data.type}, not a local "
                    "government; use city_name and country",
                )
            elif city and pr.data.country and pr.data.country != members[city].data.country:
                self.fail(
                    pr,
                    "country",
                    f"{pr.data.country} differs from the member's country "
                    f"{members[city].data.country}; omit country",
                )
            if pr.data.image and pr.data.image not in static:
                self.fail(pr, "image", f"no file content{pr.data.image}")

    def regions(self) -> None:
        tax = self.c.taxonomies
        for item in [*self.c.members, *self.c.projects]:
            country = item.data.country
            if country and tax.region_of(country) is None:
                self.fail(
                    item,
                    "country",
                    f"country {country} is in no region of "
                    "taxonomies.yaml; add it to one region's countries",
                )

    def unique(self) -> None:
        groups: list[tuple[str, list[Any]]] = [
            ("member", self.c.members),
            ("project", self.c.projects),
            ("page", self.c.pages),
        ]
        by_year: dict[int, list[Any]] = {}
        for ev in self.c.events:
            by_year.setdefault(ev.data.date.year, []).append(ev)
        groups += [("event", evs) for _, evs in sorted(by_year.items())]
        for kind, items in groups:
            seen: dict[str, Any] = {}
            for it in items:
                if it.slug in seen:
                    self.fail(
                        it,
                        "",
                        f"{kind} slug '{it.slug}' is also used by {seen[it.slug].source.path}",
                    )
                seen[it.slug] = it
        for kind, items, words in (
            ("member", self.c.members, MEMBER_RESERVED),
            ("project", self.c.projects, PROJECT_RESERVED),
            ("page", self.c.pages, PAGE_RESERVED),
        ):
            for it in items:
                if it.slug in words:
                    self.fail(it, "", f"{kind} slug '{it.slug}' is reserved for a site page")


def check(content: Any, root: Path) -> list[ContentError]:
    """Every cross-file problem of ``content`` (a loader.Content)."""
    checker = _Checker(content, root)
    checker.events()
    checker.projects()
    checker.regions()
    checker.unique()
    return checker.errors


def check_event(
    item: Any, members: Mapping[str, Any], projects: Mapping[str, Any], root: Path
) -> list[ContentError]:
    """The cross-file problems of one event (a loader.Item) against known
    members and projects: what :func:`check` says of it (the dev server's
    preview of an edited event asks this)."""
    checker = _Checker(None, root)
    checker.event(item, members, projects)
    return checker.errors


def check_settings(
    settings: Any, source: Any, pages: list[Any], static: set[str]
) -> list[ContentError]:
    """``site.yaml``'s references: every ``header_menu`` slug is a menu page, the
    ``logo`` a file under ``content/static/``."""
    menu = {p.slug for p in pages if p.data.menu is not None}
    logo = []
    if settings.logo and settings.logo not in static:
        logo.append(
            ContentError(
                source.path, source.line("logo"), "logo", f"no file content{settings.logo}"
            )
        )
    return logo + [
        ContentError(
            source.path,
            source.line("header_menu", i),
            f"header_menu.{i}",
            f"no menu page '{slug}'{suggest(slug, menu)} (a page in content/pages/ with menu: set)",
        )
        for i, slug in enumerate(settings.header_menu)
        if slug not in menu
    ]


def check_organisation(org: Any, source: Any, members: set[str]) -> list[ContentError]:
    """``organisation.yaml``'s references: every person's ``member`` is a member."""
    return [
        ContentError(
            source.path,
            source.line("people", i, "member"),
            f"people.{i}.member",
            f"unknown member '{p.member}'{suggest(p.member, members)}",
        )
        for i, p in enumerate(org.people)
        if p.member is not None and p.member not in members
    ]
