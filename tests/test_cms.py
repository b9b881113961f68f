"""The browser editor's configuration (wego_site/cms.py): generated from the
schemas, with a field for every model field and the widgets an editor needs."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from conftest import ROOT
from wego_site import cms
from wego_site.dates import PartialDate
from wego_site.loader import load_content
from wego_site.schema import build_schemas


@cache
def _schemas() -> dict[str, dict]:
    return build_schemas(load_content(ROOT / "content"))


#: Properties allowed to have no field, or only an approximate one: (path, approximate).
#: A new model field that cms.py cannot map shows up as a gap NOT listed here and fails.
EXPECTED_GAPS = {
    ("project.budget.amount", True),  # exclusiveMinimum -> inclusive min; required in budget
    ("project.budget.currency", True),  # required only within an optional budget
    ("site", False),  # no collection: site.yaml is mostly comments Decap would drop
    ("taxonomies", False),  # every property is a free-key mapping
}
EDITED_KINDS = {"event": "events", "project": "projects", "member": "members", "page": "pages"}


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    return _schemas()


@pytest.fixture(scope="module")
def generated(schemas: dict[str, dict]) -> cms.Generated:
    return cms.generate(schemas)


def collection(generated: cms.Generated, name: str) -> dict[str, Any]:
    return next(c for c in generated.config["collections"] if c["name"] == name)


def field_at(fields: list[dict], path: str) -> dict[str, Any]:
    """The field at ``a.b`` / ``a[].b`` in a list of Decap fields."""
    head, _, rest = path.partition(".")
    f = next(f for f in fields if f["name"] == head.removesuffix("[]"))
    return field_at(f["fields"], rest) if rest else f


# ----------------------------------------------------------------- schema vs config walk
# Written independently of cms.py so the generator is not checked against itself.


def _deref(root: dict, node: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    alts = [a for a in node.get("anyOf", []) if a != {"type": "null"}]
    if len(alts) == 1 and len(node["anyOf"]) == 2:
        return _deref(root, alts[0])
    return node


def schema_paths(root: dict, node: dict | None = None, prefix: str = "") -> Iterator[str]:
    """Every property path of a schema: ``location.city``, ``links[].url``."""
    node = _deref(root, root if node is None else node)
    for name, prop in node.get("properties", {}).items():
        value = _deref(root, prop)
        path = f"{prefix}{name}"
        if value.get("type") == "array":
            path += "[]"
            value = _deref(root, value.get("items", {}))
        yield path
        if "properties" in value:
            yield from schema_paths(root, value, path + ".")


def config_paths(fields: list[dict], prefix: str = "") -> Iterator[str]:
    """Every field path of a Decap field list, with ``[]`` for list and multiple widgets."""
    for f in fields:
        many = f["widget"] == "list" or f.get("multiple", False)
        path = f"{prefix}{f['name']}{'[]' if many else ''}"
        yield path
        yield from config_paths(f.get("fields", []), path + ".")


def test_every_model_field_has_a_decap_field(schemas: dict, generated: cms.Generated) -> None:
    """Fails when a model/schema property has no counterpart in the generated config."""
    allowed = {path for path, _ in EXPECTED_GAPS}
    missing, extra = [], []
    for kind, name in EDITED_KINDS.items():
        want = set(schema_paths(schemas[kind]))
        have = set(config_paths(collection(generated, name)["fields"])) - {"body"}
        missing += [f"{kind}.{p}" for p in sorted(want - have) if f"{kind}.{p}" not in allowed]
        extra += [f"{kind}.{p}" for p in sorted(have - want)]
    assert not missing, f"schema properties without a Decap field: {missing}"
    assert not extra, f"Decap fields that are not in the schema: {extra}"


def test_gaps_are_the_known_ones(generated: cms.Generated) -> None:
    """Nothing is skipped silently: every gap is reported and expected."""
    found = {(g.path, g.approximate) for g in generated.gaps}
    assert found == EXPECTED_GAPS, "\n".join(f"{g.path}: {g.why}" for g in generated.gaps)


def test_every_kind_is_a_collection_or_a_gap(schemas: dict, generated: cms.Generated) -> None:
    gap_kinds = {g.path for g in generated.gaps if "." not in g.path}
    assert set(schemas) == set(EDITED_KINDS) | gap_kinds


def test_bodies_are_markdown(generated: cms.Generated) -> None:
    for name in ("events", "projects", "pages"):
        body = field_at(collection(generated, name)["fields"], "body")
        assert body["widget"] == "markdown" and body["modes"] == ["raw"]
    assert "body" not in {f["name"] for f in collection(generated, "members")["fields"]}


# ----------------------------------------------------------------- widget mapping


def test_event_category_is_a_select_labelled_from_the_vocabulary(schemas, generated) -> None:
    node = schemas["event"]["properties"]["category"]
    f = field_at(collection(generated, "events")["fields"], "category")
    assert f["widget"] == "select" and not f.get("multiple") and f["required"] is True
    assert f["options"] == [
        {"label": label, "value": value}
        for value, label in zip(node["enum"], node["enumDescriptions"], strict=True)
    ]


def test_event_host_partners_projects_are_relations(generated: cms.Generated) -> None:
    fields = collection(generated, "events")["fields"]
    host, partners, projects = (field_at(fields, n) for n in ("host", "partners", "projects"))
    for f, target, multiple in (
        (host, "members", False),
        (partners, "members", True),
        (projects, "projects", True),
    ):
        assert f["widget"] == "relation", f
        assert f["collection"] == target and f["value_field"] == "{{slug}}"
        assert f.get("multiple", False) is multiple
        assert f["required"] is False
        assert "filters" not in f  # any member can host
    names = {c["name"] for c in generated.config["collections"]}
    assert {"members", "projects"} <= names


def test_project_sectors_is_a_multiple_select(schemas, generated) -> None:
    items = schemas["project"]["properties"]["sectors"]["items"]
    f = field_at(collection(generated, "projects")["fields"], "sectors")
    assert f["widget"] == "select" and f["multiple"] is True
    assert f["required"] is True and f["min"] == 1
    assert [o["value"] for o in f["options"]] == items["enum"]
    assert [o["label"] for o in f["options"]] == items["enumDescriptions"]


def test_project_city_is_a_relation_to_local_governments(generated: cms.Generated) -> None:
    f = field_at(collection(generated, "projects")["fields"], "city")
    assert f["widget"] == "relation" and f["collection"] == "members"
    assert f["filters"] == [{"field": "type", "values": ["local-government"]}]


def test_optional_object_children_are_optional(generated: cms.Generated) -> None:
    """Decap enforces sub-field `required` even when the optional parent is absent."""
    budget = field_at(collection(generated, "projects")["fields"], "budget")
    assert budget["required"] is False
    assert {f["name"]: f["required"] for f in budget["fields"]} == {
        "amount": False,
        "currency": False,
    }
    link = field_at(collection(generated, "events")["fields"], "links")
    assert {f["name"]: f["required"] for f in link["fields"]} == {"label": True, "url": True}


@pytest.mark.parametrize(
    ("collection_name", "path", "good", "bad"),
    [
        (
            "events",
            "date",
            ["2024-09-19", "2024-09", "2024-Q3", "2024"],
            ["2024-13", "2024-Q5", "24", "2024-9", "2024-09-19T00:00"],
        ),
        ("members", "joined", ["2020-03-05", "2020"], ["2020-03", "2020-Q1"]),
        ("members", "roles[].since", ["2024-Q3", "2024"], ["Q3"]),
    ],
)
def test_dates_are_strings_with_the_partial_date_pattern(
    generated: cms.Generated, collection_name: str, path: str, good: list, bad: list
) -> None:
    f = field_at(collection(generated, collection_name)["fields"], path)
    assert f["widget"] == "string" and "2024-Q3" in f["hint"]
    regex = re.compile(f["pattern"][0])
    assert all(regex.search(v) for v in good) and not any(regex.search(v) for v in bad)
    for text in good:  # what Decap writes (always a string, "2024" quoted) loads
        assert str(PartialDate.parse(text)) == text


def test_patterns_are_valid_javascript(generated: cms.Generated) -> None:
    """Decap runs ``RegExp(pattern)``; compile every pattern in Node when it is here."""
    node = shutil.which("node")
    assert node is not None, "node is missing: make test installs the npm checkers with it"

    def patterns(fields: list[dict]) -> Iterator[str]:
        for f in fields:
            for g in (f, f.get("field") or {}):
                if "pattern" in g:
                    yield g["pattern"][0]
            yield from patterns(f.get("fields", []))

    found = sorted({p for c in generated.config["collections"] for p in patterns(c["fields"])})
    script = "for (const p of JSON.parse(process.argv[1])) new RegExp(p); console.log('ok')"
    out = subprocess.run(
        [node, "-e", script, json.dumps(found)], capture_output=True, text=True, check=False
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_a_model_change_changes_the_config(schemas: dict) -> None:
    """No hand edit: a new property shows up as a field; an unmappable one as a gap."""
    changed = copy.deepcopy(schemas)
    props = changed["event"]["properties"]
    props["livestream"] = {"type": "boolean", "title": "Livestream", "default": False}
    props["extras"] = {"type": "object", "additionalProperties": {"type": "string"}}
    result = cms.generate(changed)
    f = field_at(collection(result, "events")["fields"], "livestream")
    assert f["widget"] == "boolean" and f["required"] is False
    assert "event.extras" in {g.path for g in result.gaps}


def test_backend(schemas: dict) -> None:
    local = cms.generate(schemas, repo="wego/wego-site", branch="main").config
    assert local["backend"] == {"name": "github", "branch": "main", "repo": "wego/wego-site"}
    assert local["publish_mode"] == "editorial_workflow" and local["local_backend"] is True
    production = cms.generate(schemas, repo="wego/wego-site", local=False).config
    assert "local_backend" not in production


def test_events_live_in_year_folders(generated: cms.Generated) -> None:
    events = collection(generated, "events")
    assert events["folder"] == "content/events" and events["nested"]["depth"] == 2
    assert (
        events["meta"]["path"]["widget"] == "string" and "index_file" not in events["meta"]["path"]
    )


def test_the_checked_in_config_is_fresh() -> None:
    """`schemas/decap-config.yml` is what `build.py schema` writes today."""
    text = (ROOT / "schemas" / cms.CONFIG_FILE).read_text(encoding="utf-8")
    assert text == cms.config_yaml(cms.generate(_schemas())), (
        "schemas/decap-config.yml is stale: run 'python build.py schema' and commit schemas/"
    )
