"""The browser content editor's configuration, generated from the schemas.

:func:`generate` turns the JSON Schemas of :func:`wego_site.schema.build_schemas`
(the models completed with ``content/``'s vocabularies) into the configuration
of `Decap CMS <https://decapcms.org/>`_ 3.16 (``config.yml``), so a model
change changes the editor with no hand edit. Every property of the event,
project, member and page schemas becomes a Decap field: its label, hint (the
model's description), required flag and widget (a select labelled from the
vocabulary, a relation for a member or project slug (``x-wego-ref``), a string
with the loader's own pattern for WeGO's partial dates, objects and lists).
What cannot be carried over is returned as a :class:`Gap`, never dropped
silently; ``tests/test_cms.py`` fails on a property with no field.

Decap's limits this works around (found in a browser, issue #20):

* events live in ``content/events/<year>/``: a nested collection whose "Year
  folder" the editor types (``{{year}}`` in ``path`` is the creation year, not
  the date's); ``build.py check`` reports a folder that is not the date's year;
* an optional object's required sub-fields are made optional (Decap checks
  them even when the object is absent);
* bodies are raw Markdown (the rich-text mode rewrites the whole body).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import ACCEPTED_FORMS as DATE_FORMS
from .schema import REF, deref

Schema = dict[str, Any]
Field = dict[str, Any]

YEAR_RE = "[0-9]{4}"

#: Human messages for the patterns schema.py uses (Decap shows them on a mismatch).
PATTERN_MESSAGES = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "lowercase letters, digits and single hyphens",
    r"^[A-Z]{2}$": "a two-letter ISO country code such as KR",
    r"^([01]?\d|2[0-3]):[0-5]\d$": "a 24-hour time such as 17:00",
    r"^[0-9]{4}-[0-9]{4}$": "a term such as 2024-2026",
    r"^/static/": "a path under /static/",
}


@dataclass(frozen=True)
class Gap:
    """A schema property with no (or only an approximate) Decap counterpart."""

    path: str  # "project.budget.amount"
    why: str
    approximate: bool = False  # a field exists but loses part of the constraint


@dataclass
class Generated:
    """The config and what could not be carried over."""

    config: dict[str, Any]
    gaps: list[Gap] = field(default_factory=list)


@dataclass(frozen=True)
class Collection:
    """Where one kind lives and how Decap names its files."""

    kind: str
    name: str
    label: str
    folder: str
    extension: str
    format: str
    identifier: str
    body: bool


COLLECTIONS = (
    Collection("event", "events", "Events", "content/events", "md", "frontmatter", "title", True),
    Collection(
        "project", "projects", "Projects", "content/projects", "md", "frontmatter", "title", True
    ),
    Collection("member", "members", "Members", "content/members", "yaml", "yml", "name", False),
    Collection("page", "pages", "Pages", "content/pages", "md", "frontmatter", "title", True),
)


# --------------------------------------------------------------------------- schema helpers


def _unwrap(root: Schema, node: Schema) -> Schema:
    """The value node behind ``$ref``/``anyOf [X, null]``, keeping the outer node's
    keys (description, title) except its default."""
    while True:
        node = deref(root, node)
        branches = node.get("anyOf", [])
        rest = [b for b in branches if b != {"type": "null"}]
        if len(rest) == 1 and len(branches) == 2:
            outer = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
            node = {**deref(root, rest[0]), **outer}
            continue
        return node


def _date_pattern(node: Schema) -> str | None:
    """For WeGO's partial dates (``anyOf [string+pattern, integer]``): one string regex."""
    branches = node.get("anyOf", [])
    kinds = {b.get("type") for b in branches}
    if len(branches) != 2 or kinds != {"string", "integer"}:
        return None
    text = next(b for b in branches if b.get("type") == "string")
    if "pattern" not in text:
        return None
    pattern = text["pattern"]
    if re.search(pattern, "2024"):  # the string form already takes a bare year
        return pattern
    return rf"^(?:{pattern.removeprefix('^').removesuffix('$')}|{YEAR_RE})$"


#: Descriptions written for the JSON Schemas (slugs, keys) that mean nothing to an
#: editor choosing from a list: what the list is, in words.
_EDITOR_HINTS = (
    (re.compile(r"^Keys? of (?:taxonomies\.)?(\w+)$"), "Chosen from the {} in taxonomies.yaml"),
    (re.compile(r"^Member slugs?$"), "Chosen from the members"),
    (re.compile(r"^Project slugs?$"), "Chosen from the catalog's projects"),
    (re.compile(r"^Member slug of (?:the )?(.+)$"), "The {}, chosen from the members"),
)


def editor_hint(hint: str) -> str:
    """``hint`` for a select or relation widget (the list says the rest)."""
    for pattern, words in _EDITOR_HINTS:
        if found := pattern.match(hint):
            return words.format(*(g.replace("_", " ") for g in found.groups()))
    return hint


def humanize(name: str) -> str:
    """``year_round`` -> ``Year round``."""
    return name.replace("_", " ").capitalize()


def _pattern(regex: str, hint: str) -> list[str]:
    return [regex, f"Must be {PATTERN_MESSAGES.get(regex, hint or 'in the expected form')}"]


# --------------------------------------------------------------------------- fields


class _Mapper:
    """Turns schema properties into Decap fields, collecting gaps on the way."""

    def __init__(self, root: Schema, kind: str) -> None:
        self.root, self.kind = root, kind
        self.gaps: list[Gap] = []

    def fields(self, node: Schema, path: str) -> list[Field]:
        """One field per property of the object ``node``, in schema order."""
        node = deref(self.root, node)
        required = set(node.get("required", []))
        out = []
        for name, prop in node.get("properties", {}).items():
            f = self.field(name, prop, f"{path}.{name}", name in required)
            if f is not None:
                out.append(f)
        return out

    def field(self, name: str, raw: Schema, path: str, required: bool) -> Field | None:
        """The Decap field for one property, or None (and a :class:`Gap`)."""
        node = _unwrap(self.root, raw)
        outer = deref(self.root, raw)
        hint = outer.get("description") or node.get("description") or ""
        f: Field = {
            "name": name,
            "label": outer.get("title") or node.get("title") or humanize(name),
            "required": required,
        }
        if hint:
            f["hint"] = hint
        default = outer.get("default", node.get("default"))
        if default not in (None, [], {}, ""):
            f["default"] = default
        widget = self.widget(node, path, f)
        if widget is None:
            return None
        f.update(widget)
        if "hint" in f and (f.get("widget") in ("select", "relation") or "options" in f):
            f["hint"] = editor_hint(f["hint"])
        return f

    def widget(self, node: Schema, path: str, f: Field) -> dict[str, Any] | None:
        """Widget keys for the value node ``node``."""
        ref = node.get(REF)
        date = _date_pattern(node)
        kind = node.get("type")
        if date is not None:
            if "Q3" not in f.get("hint", ""):
                f["hint"] = f"{f.get('hint', 'A date')}: {DATE_FORMS}"
            return {"widget": "string", "pattern": [date, f"Must be {DATE_FORMS}"]}
        if ref is not None:
            return _relation(ref, multiple=False)
        if "enum" in node:
            return _select(node, multiple=False)
        if kind == "array":
            return self.array(node, path, f)
        if kind == "object":
            if "properties" in node:
                fields = self.fields(node, path)
                if not f["required"]:
                    self._loosen(fields, path)
                return {"widget": "object", "collapsed": not f["required"], "fields": fields}
            why = "a mapping with free keys (additionalProperties); Decap has no map widget"
            self.gaps.append(Gap(path, why))
            return None
        if kind == "boolean":
            return {"widget": "boolean"}
        if kind in ("integer", "number"):
            return self.number(node, path, kind)
        if kind == "string":
            out: dict[str, Any] = {"widget": "string"}
            if "pattern" in node:
                out["pattern"] = _pattern(node["pattern"], f.get("hint", ""))
            return out
        self.gaps.append(Gap(path, f"no widget for schema {json.dumps(node)[:80]}"))
        return None

    def _loosen(self, fields: list[Field], path: str) -> None:
        """Decap checks an optional object's required sub-fields even when the object is
        absent (project.budget: "Amount is required"), so they become optional here."""
        for sub in fields:
            if sub["required"]:
                sub["required"] = False
                why = "required only when its optional parent is given; Decap cannot say so"
                self.gaps.append(Gap(f"{path}.{sub['name']}", why, approximate=True))

    def array(self, node: Schema, path: str, f: Field) -> dict[str, Any] | None:
        """select/relation multiple, list of objects, or list of strings."""
        item = _unwrap(self.root, node.get("items", {}))
        ref = item.get(REF)
        bounds = {k: node[s] for k, s in (("min", "minItems"), ("max", "maxItems")) if s in node}
        if ref is not None:
            return {**_relation(ref, multiple=True), **bounds}
        if "enum" in item:
            return {**_select(item, multiple=True), **bounds}
        if item.get("type") == "object" and "properties" in item:
            fields = self.fields(item, path + "[]")
            first = fields[0]["name"] if fields else ""
            return {
                "widget": "list",
                "summary": f"{{{{fields.{first}}}}}",
                "fields": fields,
                **bounds,
            }
        if item.get("type") == "string":
            sub: Field = {"name": "item", "label": f["label"], "widget": "string"}
            if "pattern" in item:
                sub["pattern"] = _pattern(item["pattern"], "")
            # `field` (not comma-separated text): awards and addresses contain commas
            return {"widget": "list", "field": sub, **bounds}
        self.gaps.append(Gap(path, f"array of {json.dumps(item)[:60]}"))
        return None

    def number(self, node: Schema, path: str, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "widget": "number",
            "value_type": "int" if kind == "integer" else "float",
        }
        for key in ("minimum", "maximum"):
            if key in node:
                out[key[:3]] = node[key]
        if "exclusiveMinimum" in node:
            out["min"] = node["exclusiveMinimum"]
            why = f"exclusiveMinimum {node['exclusiveMinimum']} becomes Decap's inclusive min"
            self.gaps.append(Gap(path, why, approximate=True))
        return out


def _select(node: Schema, *, multiple: bool) -> dict[str, Any]:
    """A select whose option labels are the vocabulary labels (enumDescriptions)."""
    labels = node.get("enumDescriptions") or []
    options: list[Any] = [
        {"label": labels[i] or v, "value": v} if labels else v for i, v in enumerate(node["enum"])
    ]
    out: dict[str, Any] = {"widget": "select", "options": options}
    if multiple:
        out["multiple"] = True
    return out


def _relation(ref: Mapping[str, Any], *, multiple: bool) -> dict[str, Any]:
    """A relation to another folder collection, storing the entry's slug (file name);
    ``ref`` is the schema's ``x-wego-ref``: the collection, and member types to offer."""
    members = ref["collection"] == "members"
    out: dict[str, Any] = {
        "widget": "relation",
        "collection": ref["collection"],
        "value_field": "{{slug}}",
        "search_fields": ["name", "short_name"] if members else ["title"],
        "display_fields": ["name"] if members else ["title"],
        "options_length": 500,
    }
    if ref.get("type"):
        out["filters"] = [{"field": "type", "values": list(ref["type"])}]
    if multiple:
        out["multiple"] = True
    return out


# --------------------------------------------------------------------------- config


def _collection(spec: Collection, schema: Schema) -> tuple[dict[str, Any], list[Gap]]:
    mapper = _Mapper(schema, spec.kind)
    fields = mapper.fields(schema, spec.kind)
    if spec.body:
        # raw only: the rich-text mode re-serialises the whole body (`- ` lists become `* `)
        body = {"name": "body", "label": "Body", "widget": "markdown", "required": False}
        fields.append({**body, "modes": ["raw"]})
    coll: dict[str, Any] = {
        "name": spec.name,
        "label": spec.label,
        "label_singular": humanize(spec.kind),
        "folder": spec.folder,
        "create": True,
        "extension": spec.extension,
        "format": spec.format,
        "identifier_field": spec.identifier,
        "slug": "{{slug}}",
        "summary": f"{{{{{spec.identifier}}}}}",
        "fields": fields,
    }
    if spec.kind == "event":
        # content/events/<year>/<slug>.md: a nested collection whose meta `path` is the
        # folder under content/events (the year); Decap 3.16.3 (core 3.19.1) then names a new
        # file after its title and moves an entry when the path changes (seen in a browser).
        coll["nested"] = {"depth": 2, "subfolders": False}
        coll["meta"] = {
            "path": {
                "widget": "string",
                "label": "Year folder",
                "hint": "The year of the date (2025 for 2025-Q3): the file goes to "
                "content/events/<year>/",
                "pattern": [f"^{YEAR_RE}$", "a year such as 2025"],
            }
        }
        coll["summary"] = "{{date}} {{title}}"
        coll["sortable_fields"] = ["date", "title"]
    return coll, mapper.gaps


def generate(
    schemas: Mapping[str, Schema],
    *,
    repo: str = "",
    branch: str = "main",
    local: bool = True,
    local_port: int | None = None,
    workflow: bool = True,
    auth_url: str | None = None,
    auth_endpoint: str = "",
    site_url: str = "",
) -> Generated:
    """The Decap config for the event/project/member/page schemas, and the gaps.

    ``repo``/``branch``/``auth_url``/``auth_endpoint`` configure the GitHub backend
    (``site.yaml``'s ``editor:``), ``workflow`` the editorial workflow, ``local``
    the local backend (``decap-server`` on 127.0.0.1, port 8081 unless
    ``local_port``; used only when the admin page itself is on localhost) and
    ``site_url`` the "view live" links.
    """
    backend: dict[str, Any] = {"name": "github", "branch": branch}
    if repo:
        backend["repo"] = repo
    if auth_url:
        backend["base_url"] = auth_url.rstrip("/")
    if auth_endpoint:
        backend["auth_endpoint"] = auth_endpoint
    config: dict[str, Any] = {"backend": backend}
    if workflow:
        config["publish_mode"] = "editorial_workflow"
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    config |= {
        "media_folder": "content/static/uploads",
        "public_folder": "/static/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [],
    }
    if local:
        config["local_backend"] = (
            {"url": f"http://127.0.0.1:{local_port}/api/v1"} if local_port else True
        )
    gaps: list[Gap] = []
    for spec in COLLECTIONS:
        coll, found = _collection(spec, schemas[spec.kind])
        config["collections"].append(coll)
        gaps += found
    for kind in sorted(set(schemas) - {c.kind for c in COLLECTIONS}):
        gaps.append(Gap(kind, "kind not offered in the editor (no collection generated)"))
    return Generated(config, gaps)


#: The generated configuration, beside the JSON Schemas (``build.py schema``).
CONFIG_FILE = "decap-config.yml"


def write_config(schemas: Mapping[str, Schema], out: Path) -> Path:
    """Write :data:`CONFIG_FILE` into ``out`` (no repository: the local backend's)."""
    path = out / CONFIG_FILE
    path.write_text(config_yaml(generate(schemas)), encoding="utf-8", newline="\n")
    return path


def config_yaml(generated: Generated, made_by: str = "'python build.py schema'") -> str:
    """The config as ``config.yml`` text (key order kept: Decap writes front matter
    keys in its fields' order), headed by what wrote it."""
    import yaml

    text = yaml.safe_dump(generated.config, sort_keys=False, allow_unicode=True, width=100)
    return f"# Generated by {made_by} from wego_site/models; do not edit.\n" + text
