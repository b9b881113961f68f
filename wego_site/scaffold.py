"""``python build.py new``: write a valid, commented content file to fill in.

The file is validated with the same models as ``check`` before it is written,
so a bad option is a usage error (exit 2) and what is written always passes.
Events and projects start as ``draft: true`` so placeholder text is never
published by accident; members have no drafts and get only real values.
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .crossref import MEMBER_RESERVED, PROJECT_RESERVED
from .dates import PartialDate
from .errors import ContentError, ContentErrors, UsageError, display_path, suggest
from .loader import Loader, parse, validate
from .models import Event, Member, Project, Taxonomies
from .models.common import SLUG_RE

COLUMN = 30
#: which option sets a field, for error messages
OPTION = {
    "title": "--title",
    "name": "--title",
    "date": "--date",
    "category": "--category",
    "country": "--country",
    "city": "--city",
    "location": "--city/--country",
    "location.city": "--city",
    "location.country": "--country",
}
#: options each kind understands (besides --content)
OPTIONS = {
    "event": {"date", "title", "city", "country", "category"},
    "project": {"title", "city", "country"},
    "member": {"title", "country"},
}


def _q(value: str) -> str:
    """A YAML scalar: plain when it is a simple word, else JSON-quoted (valid YAML)."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", value) and value.lower() not in (
        "true",
        "false",
        "null",
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def _row(text: str, comment: str = "") -> str:
    """``text`` with an aligned ``# comment``."""
    return f"{text:<{max(COLUMN, len(text) + 2)}}# {comment}" if comment else text


def _choices(label: str, keys: Iterable[str]) -> list[str]:
    """Comment lines listing a vocabulary, wrapped."""
    return textwrap.wrap(
        f"{label}: " + ", ".join(keys),
        width=96,
        initial_indent="# ",
        subsequent_indent="#   ",
        break_on_hyphens=False,
    )


def next_month(today: date) -> date:
    """The first day of the month after ``today``."""
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _check_args(args: argparse.Namespace) -> None:
    """Refuse a bad slug, a reserved slug and options the kind does not take."""
    if not SLUG_RE.match(args.slug):
        raise UsageError(
            f"'{args.slug}' is not a slug: use lowercase letters, digits and single hyphens "
            "(e.g. excom-2025)"
        )
    reserved: Collection[str] = {"member": MEMBER_RESERVED, "project": PROJECT_RESERVED}.get(
        args.kind, frozenset()
    )
    if args.slug in reserved:
        raise UsageError(f"'{args.slug}' is reserved for a site page; choose another slug")
    for name in sorted({"date", "title", "city", "country", "category"} - OPTIONS[args.kind]):
        if getattr(args, name, None) is not None:
            raise UsageError(f"--{name} is not an option of 'new {args.kind}'")


def _taxonomies(loader: Loader) -> Taxonomies:
    """The content folder's vocabularies; its errors are content errors."""
    if not loader.root.is_dir():
        raise UsageError(f"no content folder {display_path(loader.root)} (use --content DIR)")
    tax, _ = loader.single(loader.root / "taxonomies.yaml", Taxonomies, {})
    if tax is None:
        raise ContentErrors(loader.errors)
    return tax


def _event(args: argparse.Namespace, tax: Taxonomies) -> tuple[str, str]:
    """Path (under content/) and text of a new event."""
    try:
        when = PartialDate.parse(args.date or next_month(date.today()))
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None
    title = args.title or args.slug.replace("-", " ").title()
    category = args.category or next(iter(tax.event_categories))
    lines = [
        "---",
        "# An event of the calendar: see docs/content.md; then run 'python build.py check'.",
        _row(f"title: {_q(title)}", "required: the event's name"),
        _row(f"date: {when}", "required: 2025-09-19 | 2025-09 | 2025-Q3 | 2025"),
        "# (the folder events/<year>/ must be the year of date)",
        _row(f"# end: {when}", "optional last day, same forms, not before date"),
        _row("# tentative: true", "date to be confirmed; shown as TBD"),
        _row('# time: "17:00"', "local start time (quoted), only with a day date"),
        _row("# timezone: Asia/Seoul", "IANA zone of time; default: the site's"),
        _row("format: in-person", "in-person | online | hybrid"),
    ]
    if args.city or args.country:
        lines.append(_row("location:", "omit for online events or when not known"))
        if args.city:
            lines.append(_row(f"  city: {_q(args.city)}", "the city's name as readers know it"))
        if args.country:
            lines.append(_row(f"  country: {_q(args.country)}", "ISO 3166-1 alpha-2 code"))
    else:
        lines += [
            _row("# location:", "where it takes place; omit when not known"),
            _row("#   city: Almaty", "the city's name as readers know it"),
            _row("#   country: KZ", "ISO 3166-1 alpha-2 code"),
        ]
    lines += _choices("category, one of", tax.event_categories)
    lines += [
        _row(f"category: {_q(category)}", "required"),
        _row("# host: seoul", "member slug of the host"),
        _row("# partners: [seoul]", "member slugs"),
        _row("# projects: []", "project slugs"),
        _row("status: scheduled", "scheduled | postponed | cancelled"),
        _row(
            'summary: "One or two plain sentences about the event."',
            "required: for cards, feeds and search",
        ),
        _row("links: []", '- {label: Official website, url: "https://..."}'),
        _row("draft: true", "delete this line to publish"),
        "---",
        "What the source says about the event: programme, participants, outcomes.",
        "",
    ]
    return f"events/{when.year}/{args.slug}.md", "\n".join(lines)


def _city(loader: Loader, slug: str) -> Member:
    """The member ``--city`` names, which must be a local government."""
    folder = loader.root / "members"
    known = sorted(p.stem for p in folder.glob("*.*")) if folder.is_dir() else []
    found = [folder / f"{slug}{ext}" for ext in (".yaml", ".md")]
    path = next((p for p in found if p.is_file()), None)
    if path is None:
        raise UsageError(
            f"--city: no member '{slug}'{suggest(slug, known)} "
            f"(no file {display_path(folder / (slug + '.yaml'))}); for a city that is not a "
            "member give --country and write city_name"
        )
    loaded = loader.parsed(path)
    if loaded is None:
        raise ContentErrors(loader.errors)
    member, errors = validate(Member, loaded[0], loaded[1], {})
    if member is None:
        raise ContentErrors(errors)
    if member.type != "local-government":
        raise UsageError(
            f"--city: '{slug}' is a {member.type}, not a local government; "
            "give --country and write city_name instead"
        )
    return member


def _project(args: argparse.Namespace, tax: Taxonomies, loader: Loader) -> tuple[str, str]:
    """Path (under content/) and text of a new project."""
    title = args.title or args.slug.replace("-", " ").title()
    place: list[str]
    if args.city:
        member = _city(loader, args.city)
        if args.country and args.country != member.country:
            raise UsageError(
                f"--country {args.country} differs from {args.city}'s country {member.country}; "
                "omit --country"
            )
        place = [
            _row(f"city: {_q(args.city)}", f"member slug ({member.name}); country is its own"),
        ]
    elif args.country:
        place = [
            _row(f"country: {_q(args.country)}", "ISO code of the city's country"),
            _row('# city_name: "Lima"', "the city's name (not a WeGO member)"),
        ]
    else:
        raise UsageError(
            "new project needs --city MEMBER-SLUG (a member local government) or --country CODE"
        )
    lines = [
        "---",
        "# A project of the catalog: see docs/content.md; then run 'python build.py check'.",
        _row(f"title: {_q(title)}", "required: the project's name"),
        *place,
        *_choices("sectors, one or more of", tax.sectors),
        _row(f"sectors: [{next(iter(tax.sectors))}]", "required, at least one"),
        *_choices("stakeholders, any of", tax.stakeholders),
        _row("stakeholders: []", "e.g. [local-government, academia]"),
        _row("# implemented: 2016", "year"),
        _row('# duration: "Indefinite"', "free text"),
        _row('# funding: "Government"', "free text"),
        _row("# budget: {amount: 120000, currency: USD}", "ISO 4217 currency"),
        _row('summary: "One or two sentences about the project."', "required"),
        _row("awards: []", 'e.g. ["4th WeGO Awards 2020 — Sustainable City (Gold)"]'),
        _row(f"# image: /static/projects/{args.slug}.jpg", "must exist under content/static/"),
        _row('# image_alt: "What the picture shows"', "required with image"),
        _row("featured: false", "true: show on the home page"),
        _row("links: []", '- {label: Official website, url: "https://..."}'),
        _row("draft: true", "delete this line to publish"),
        "---",
        "## Overview\n\nThe problem the project addresses and what it is.\n",
        "## Features\n\nWhat it does and how.\n",
        "## Key results\n\nWhat changed, with figures where known.\n",
        "## Resources\n\nWhere to read more.",
        "",
    ]
    return f"projects/{args.slug}.md", "\n".join(lines)


def _member(args: argparse.Namespace, tax: Taxonomies) -> tuple[str, str]:
    """Path (under content/) and text of a new member."""
    if not args.country:
        raise UsageError("new member needs --country CODE (ISO 3166-1 alpha-2, e.g. --country KR)")
    name = args.title or args.slug.replace("-", " ").title()
    lines = [
        "# A WeGO member: see docs/content.md; then run 'python build.py check'.",
        _row(f"name: {_q(name)}", "required: the member's full name"),
        _row(f"# short_name: {_q(name)}", "shorter name used in lists"),
        _row('# name_local: ""', "the name in the local script"),
        *_choices("type, one of", tax.member_types),
        _row(f"type: {next(iter(tax.member_types))}", "required"),
        _row(f"country: {_q(args.country)}", "required: ISO 3166-1 alpha-2; gives the region"),
        _row("# joined: 2010", "year, or a full date 2020-03-05"),
        *_choices("roles, each one of", tax.roles),
        _row("roles: []", "e.g. - {role: excom-member, term: 2024-2026}"),
        _row("# website: https://example.org", "http(s) URL"),
        "",
    ]
    return f"members/{args.slug}.yaml", "\n".join(lines)


def _verify(path: Path, text: str, model: type[BaseModel], tax: Taxonomies) -> Any:
    """Validate the scaffold as ``check`` would; a problem is the caller's option."""
    shown = display_path(path)
    try:
        data, source = parse(text, shown, markdown=path.suffix == ".md")
    except ContentError as err:  # pragma: no cover - every option is quoted
        raise UsageError(f"an option makes invalid YAML: {err.message}") from None
    obj, errors = validate(model, data, source, {"taxonomies": tax})
    if errors:
        first = errors[0]
        raise UsageError(f"{OPTION.get(first.field, first.field or 'option')}: {first.message}")
    country = getattr(obj, "country", None)
    if country and tax.region_of(country) is None:
        raise UsageError(f"--country: {country} is in no region of taxonomies.yaml")
    return obj


def new_file(args: argparse.Namespace) -> Path:
    """Write the file ``new KIND SLUG`` asks for and return its path; never overwrite."""
    _check_args(args)
    loader = Loader(Path(args.content))
    tax = _taxonomies(loader)
    model: type[BaseModel]
    if args.kind == "event":
        (rel, text), model = _event(args, tax), Event
    elif args.kind == "project":
        (rel, text), model = _project(args, tax, loader), Project
    else:
        (rel, text), model = _member(args, tax), Member
    path = loader.root / rel
    twins = [path] + ([path.with_suffix(".md")] if args.kind == "member" else [])
    for twin in twins:
        if twin.exists():
            raise UsageError(f"{display_path(twin)} already exists; edit it or choose another slug")
    _verify(path, text, model, tax)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise UsageError(f"{display_path(path)} already exists") from None
    return path
