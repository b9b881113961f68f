"""JSON Schemas for editors: the models plus the vocabularies of ``content/``.

``python build.py schema`` writes one schema per kind of content file into
``schemas/``. Each starts from ``Model.model_json_schema()`` and is completed
with what the models check in code: vocabularies from ``taxonomies.yaml``,
existing member and project slugs, country and currency codes, and the
patterns of slugs, URLs and dates. The schemas are draft-07, the version the
Red Hat YAML language server (VS Code) implements.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .loader import Content
from .models import Event, Member, Page, Project, SiteSettings, Taxonomies
from .models.common import SLUG_RE, country_name

Schema = dict[str, Any]

DRAFT = "http://json-schema.org/draft-07/schema#"
COUNTRY_RE = r"^[A-Z]{2}$"
URL_RE = (
    r"^(?:[Hh][Tt][Tt][Pp][Ss]?://[^\s/][^\s]*|[Mm][Aa][Ii][Ll][Tt][Oo]:[^\s]+|/[^\s/][^\s]*|/)$"
)
_MONTH, _DAY = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12][0-9]|3[01])"
DATE_RE = rf"^[0-9]{{4}}(-{_MONTH}(-{_DAY})?|-Q[1-4])?$"
DAY_RE = rf"^[0-9]{{4}}-{_MONTH}-{_DAY}$"
_YEAR: Schema = {"type": "integer", "minimum": 1900, "maximum": 2200}
#: A slug of another content folder: ``{"collection": "members", "type": [...]}``
#: (editors ignore the keyword; ``cms.py`` makes it a relation widget).
REF = "x-wego-ref"

#: kind -> (model, the file it describes)
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "event": (Event, "the front matter of content/events/<year>/<slug>.md"),
    "project": (Project, "the front matter of content/projects/<slug>.md"),
    "member": (Member, "content/members/<slug>.yaml (or a member .md's front matter)"),
    "page": (Page, "the front matter of content/pages/<slug>.md"),
    "site": (SiteSettings, "content/site.yaml"),
    "taxonomies": (Taxonomies, "content/taxonomies.yaml"),
}


@cache
def iso_countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code, sorted."""
    import pycountry

    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@cache
def iso_currencies() -> tuple[str, ...]:
    """Every ISO 4217 code, sorted."""
    import pycountry

    return tuple(sorted(c.alpha_3 for c in pycountry.currencies))


def deref(root: Schema, node: Schema) -> Schema:
    """Follow ``$ref`` to its definition in ``root``'s ``$defs``."""
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _value(root: Schema, node: Schema) -> Schema:
    """Follow ``$ref`` and optional (``anyOf`` with null) wrappers to the value node."""
    while True:
        node = deref(root, node)
        branches = [b for b in node.get("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1 and len(node["anyOf"]) == 2:
            node = branches[0]
            continue
        return node


def node_at(root: Schema, path: str) -> Schema:
    """The value node at ``path``: ``a.b``, ``a[]`` (items), ``a{}`` (mapping values)."""
    node = root
    for part in path.split("."):
        name = part.rstrip("[]{}")
        node = _value(root, _value(root, node)["properties"][name])
        if part.endswith("[]"):
            node = _value(root, node["items"])
        elif part.endswith("{}"):
            node = _value(root, node["additionalProperties"])
    return node


def _enum(node: Schema, values: Iterable[str], labels: Mapping[str, str] | None = None) -> None:
    """Restrict ``node`` to ``values``; labels become completion hints."""
    values = list(values)
    if not values:  # an empty enum would reject everything; check says why instead
        return
    node["enum"] = values
    if labels is not None:
        node["enumDescriptions"] = [str(labels.get(v, "")) for v in values]


def _country(node: Schema, codes: Iterable[str]) -> None:
    """Restrict ``node`` to ISO 3166-1 ``codes``, ordered and labelled by name
    ("Republic of Korea (KR)"), so an editor picks a country, not a code."""
    names = {code: country_name(code) for code in codes}
    node["pattern"] = COUNTRY_RE
    order = sorted(names, key=lambda code: (names[code].casefold(), code))
    _enum(node, order, {code: f"{names[code]} ({code})" for code in order})


def _date(node: Schema, day_only: bool = False) -> None:
    """Make ``node`` a partial date (or a year / full date with ``day_only``)."""
    text = {"type": "string", "pattern": DAY_RE if day_only else DATE_RE}
    description = node.get("description", "")
    node.clear()
    node.update(anyOf=[text, dict(_YEAR)], description=description)


def _patch_common(root: Schema, urls: Iterable[str], slugs: Iterable[str]) -> None:
    """Add the URL and slug patterns the models check in code."""
    for path in urls:
        node_at(root, path)["pattern"] = URL_RE
    for path in slugs:
        node_at(root, path)["pattern"] = SLUG_RE.pattern


def _event(s: Schema, c: Content, members: dict[str, str], projects: dict[str, str]) -> None:
    """Complete the event schema."""
    tax = c.taxonomies
    _patch_common(s, ["links[].url"], ["category", "host", "partners[]", "projects[]"])
    _enum(node_at(s, "category"), tax.event_categories, tax.event_categories)
    for path in ("host", "partners[]"):
        _enum(node_at(s, path), members, members)
        node_at(s, path)[REF] = {"collection": "members"}
    _enum(node_at(s, "projects[]"), projects, projects)
    node_at(s, "projects[]")[REF] = {"collection": "projects"}
    _country(node_at(s, "location.country"), iso_countries())
    _date(node_at(s, "date"))
    _date(node_at(s, "end"))


def _project(s: Schema, c: Content, cities: dict[str, str], countries: list[str]) -> None:
    """Complete the project schema."""
    tax = c.taxonomies
    _patch_common(s, ["links[].url"], ["city", "sectors[]", "stakeholders[]"])
    _enum(node_at(s, "city"), cities, cities)
    node_at(s, "city")[REF] = {"collection": "members", "type": ["local-government"]}
    _country(node_at(s, "country"), countries)
    _enum(node_at(s, "sectors[]"), tax.sectors, tax.sectors)
    node_at(s, "sectors")["uniqueItems"] = True
    _enum(node_at(s, "stakeholders[]"), tax.stakeholders, tax.stakeholders)
    _enum(node_at(s, "budget.currency"), iso_currencies())
    node_at(s, "image")["pattern"] = "^/static/"


def _member(s: Schema, c: Content, countries: list[str]) -> None:
    """Complete the member schema."""
    tax = c.taxonomies
    _patch_common(s, ["website"], ["type", "roles[].role"])
    _enum(node_at(s, "type"), tax.member_types, tax.member_types)
    _enum(node_at(s, "roles[].role"), tax.roles, tax.roles)
    node_at(s, "roles[].term")["pattern"] = r"^[0-9]{4}-[0-9]{4}$"
    _country(node_at(s, "country"), countries)
    _date(node_at(s, "joined"), day_only=True)
    _date(node_at(s, "roles[].since"))
    _date(node_at(s, "roles[].until"))


def _taxonomies(s: Schema) -> None:
    """Complete the taxonomies schema: slug keys, country codes."""
    for name in ("regions", "sectors", "stakeholders", "event_categories", "member_types", "roles"):
        node_at(s, name)["propertyNames"] = {"pattern": SLUG_RE.pattern}
    _country(node_at(s, "regions{}.countries[]"), iso_countries())


def entry_names(content: Content) -> dict[str, dict[str, str]]:
    """What a reference shows of the entry it names, by slug: member names
    ("members") and project titles ("projects")."""
    return {
        "members": {m.slug: m.data.name for m in sorted(content.members, key=lambda m: m.slug)},
        "projects": {p.slug: p.data.title for p in sorted(content.projects, key=lambda p: p.slug)},
    }


def build_schemas(content: Content) -> dict[str, Schema]:
    """One JSON Schema per content kind, completed with ``content``'s vocabularies."""
    names = entry_names(content)
    members, projects = names["members"], names["projects"]
    governments = {m.slug for m in content.members if m.data.type == "local-government"}
    cities = {slug: name for slug, name in members.items() if slug in governments}
    countries = sorted({code for r in content.taxonomies.regions.values() for code in r.countries})
    schemas: dict[str, Schema] = {}
    for kind, (model, describes) in KINDS.items():
        s = model.model_json_schema()
        s["title"] = f"WeGO {kind}"
        s["description"] = (
            f"{describes}. Generated by 'python build.py schema' from wego_site/models and "
            "content/; do not edit by hand. 'python build.py check' remains the authority."
        )
        s["$schema"] = DRAFT
        schemas[kind] = s
    _event(schemas["event"], content, members, projects)
    _project(schemas["project"], content, cities, countries)
    _member(schemas["member"], content, countries)
    _patch_common(schemas["site"], ["base_url", "organizer.url"], [])
    _taxonomies(schemas["taxonomies"])
    return schemas


def dumps(schema: Schema) -> str:
    """Deterministic JSON text of a schema, with a trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(schemas: Mapping[str, Schema], out: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas.items():
        path = out / f"{kind}.schema.json"
        path.write_text(dumps(schema), encoding="utf-8", newline="\n")
        written.append(path)
    return written
