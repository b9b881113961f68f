"""Editor JSON Schemas: fresh, valid, accepting real content, rejecting mistakes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from conftest import ROOT, cli
from wego_site.frontmatter import load_yaml, split_front_matter
from wego_site.loader import load_content
from wego_site.schema import KINDS, build_schemas, dumps

CONTENT = ROOT / "content"
CHECKED_IN = ROOT / "schemas"


@cache
def fresh() -> dict[str, dict[str, Any]]:
    return build_schemas(load_content(CONTENT))


def validator(kind: str) -> Draft7Validator:
    return Draft7Validator(fresh()[kind])


def read_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return split_front_matter(text, str(path)).meta
    return load_yaml(text, str(path))[0]


def content_files() -> list[tuple[str, Path]]:
    files = [("site", CONTENT / "site.yaml"), ("taxonomies", CONTENT / "taxonomies.yaml")]
    kinds = (("event", "events"), ("project", "projects"), ("member", "members"), ("page", "pages"))
    for kind, folder in kinds:
        files += [(kind, p) for p in sorted((CONTENT / folder).rglob("*.*"))]
    return files


def errors(kind: str, data: Any) -> list[str]:
    return [e.message for e in validator(kind).iter_errors(data)]


def test_checked_in_schemas_are_fresh() -> None:
    for kind, schema in fresh().items():
        path = CHECKED_IN / f"{kind}.schema.json"
        assert path.read_text(encoding="utf-8") == dumps(schema), (
            f"{path} is stale: run 'python build.py schema' and commit schemas/"
        )


@pytest.mark.parametrize("kind", list(KINDS))
def test_schemas_are_valid_draft7(kind: str) -> None:
    Draft7Validator.check_schema(fresh()[kind])
    assert fresh()[kind]["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_vscode_settings_map_existing_schemas() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping["./schemas/member.schema.json"] == ["content/members/*.yaml"]
    for schema in mapping:
        assert (ROOT / schema).is_file()


def test_every_real_content_file_validates() -> None:
    files = content_files()
    assert len(files) > 100
    problems = {
        f"{path.relative_to(ROOT)}": errs
        for kind, path in files
        if (errs := errors(kind, read_data(path)))
    }
    assert not problems


def test_vocabularies_and_slugs_are_enums() -> None:
    s = fresh()
    # in the vocabulary's order (WeGO's: the prize first, as the 2024 booklet)
    assert s["event"]["properties"]["category"]["enum"][:2] == ["prize-and-awards", "governance"]
    assert "Governance" in s["event"]["properties"]["category"]["enumDescriptions"]
    assert "seoul" in s["event"]["properties"]["partners"]["items"]["enum"]
    assert "e-government" in s["project"]["properties"]["sectors"]["items"]["enum"]
    assert s["member"]["properties"]["type"]["enum"] == [
        "local-government",
        "corporation",
        "institution",
    ]
    role = s["member"]["$defs"]["Role"]["properties"]["role"]
    assert "excom-member" in role["enum"]


EVENT = {
    "title": "Test",
    "date": "2024-09-19",
    "category": "governance",
    "summary": "A test.",
}
PROJECT = {"title": "Test", "city": "seoul", "sectors": ["e-government"], "summary": "A test."}
MEMBER = {"name": "Test City", "type": "local-government", "country": "KR"}


@pytest.mark.parametrize(
    ("kind", "base", "change"),
    [
        ("event", EVENT, {"titel": "oops"}),
        ("event", EVENT, {"category": "governace"}),
        ("event", EVENT, {"date": "19/09/2024"}),
        ("event", EVENT, {"date": "2024-13"}),
        ("event", EVENT, {"date": "2024-9-1"}),
        ("event", EVENT, {"end": "2024-Q5"}),
        ("event", EVENT, {"location": {"city": "Oslo", "country": "XX"}}),
        ("event", EVENT, {"location": {"city": "Oslo", "country": "no"}}),
        ("event", EVENT, {"format": "zoom"}),
        ("event", EVENT, {"host": "no-such-member"}),
        ("event", EVENT, {"time": "5pm"}),
        ("event", EVENT, {"links": [{"label": "x", "url": "javascript:alert(1)"}]}),
        ("event", EVENT, {"tentative": "yes"}),
        ("project", PROJECT, {"sectors": ["e-gov"]}),
        ("project", PROJECT, {"sectors": []}),
        ("project", PROJECT, {"stakeholders": ["citizens"]}),
        ("project", PROJECT, {"country": "ZZ"}),
        ("project", PROJECT, {"budget": {"amount": 1, "currency": "DOLLAR"}}),
        ("project", PROJECT, {"image": "projects/x.jpg"}),
        ("project", PROJECT, {"citty": "seoul"}),
        ("member", MEMBER, {"country": "Korea"}),
        ("member", MEMBER, {"type": "city"}),
        ("member", MEMBER, {"joined": "2010-05"}),
        ("member", MEMBER, {"roles": [{"role": "mayor"}]}),
        ("member", MEMBER, {"roles": [{"role": "excom-member", "term": "2024"}]}),
        ("member", MEMBER, {"website": "www.example.org"}),
    ],
)
def test_bad_inputs_are_rejected(kind: str, base: dict[str, Any], change: dict[str, Any]) -> None:
    assert errors(kind, base) == []
    assert errors(kind, {**base, **change})


@pytest.mark.parametrize(
    ("kind", "missing"), [("event", "category"), ("project", "sectors"), ("member", "name")]
)
def test_required_fields(kind: str, missing: str) -> None:
    base = {"event": EVENT, "project": PROJECT, "member": MEMBER}[kind]
    data = {k: v for k, v in base.items() if k != missing}
    assert any(missing in e for e in errors(kind, data))


def test_partial_dates_and_nulls_are_accepted() -> None:
    for when in ("2024-09", "2024-Q3", 2024, "2024"):
        assert errors("event", {**EVENT, "date": when}) == []
    assert errors("event", {**EVENT, "host": None, "end": None}) == []
    assert errors("member", {**MEMBER, "joined": 2010}) == []
    assert errors("member", {**MEMBER, "joined": "2020-03-05"}) == []


def test_schema_command_writes_deterministic_files(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    res = cli("schema", "--content", str(corpus), "--out", str(out))
    assert res.code == 0, res.err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(f"{k}.schema.json" for k in KINDS), "decap-config.yml"])
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert cli("schema", "--content", str(corpus), "--out", str(out)).code == 0
    assert first == {p.name: p.read_bytes() for p in out.iterdir()}
    text = first["event.schema.json"].decode()
    assert text.endswith("}\n") and '\n  "$schema"' in text
    event = json.loads(text)
    assert "almaty-data-lake" in event["properties"]["projects"]["items"]["enum"]


def test_schema_command_reports_content_errors(corpus: Path, tmp_path: Path) -> None:
    (corpus / "taxonomies.yaml").write_text("sectors: [\n", encoding="utf-8")
    res = cli("schema", "--content", str(corpus), "--out", str(tmp_path / "s"))
    assert (
        res.code == 1
        and "taxonomies.yaml:2: invalid YAML" in res.err
        and "Traceback" not in res.err
    )
    assert not (tmp_path / "s").exists()
