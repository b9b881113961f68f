"""``new`` writes files that ``check`` accepts; ``check --format github`` annotates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import cli
from wego_site.frontmatter import load_yaml, split_front_matter
from wego_site.loader import load_content
from wego_site.scaffold import next_month
from wego_site.schema import build_schemas


def new(corpus: Path, *args: str) -> tuple[int, str, str]:
    res = cli("new", *args, "--content", str(corpus))
    assert "Traceback" not in res.err
    return res.code, res.out, res.err


def check_ok(corpus: Path) -> None:
    res = cli("check", "--content", str(corpus))
    assert res.code == 0, res.err


@pytest.mark.parametrize(
    ("args", "rel"),
    [
        (["event", "mayors-forum", "--date", "2025-09-19"], "events/2025/mayors-forum.md"),
        (
            [
                "event",
                "smart-expo",
                "--date",
                "2025-Q3",
                "--title",
                "Smart Expo: 2025 # edition",
                "--city",
                "São Paulo",
                "--country",
                "BR",
                "--category",
                "conferences-and-expos",
            ],
            "events/2025/smart-expo.md",
        ),
        (
            ["event", "online-talk", "--date", "2024", "--country", "KR"],
            "events/2024/online-talk.md",
        ),
        (["project", "seoul-lab", "--city", "seoul"], "projects/seoul-lab.md"),
        (
            ["project", "lima-air", "--country", "PE", "--title", "Lima Air Quality"],
            "projects/lima-air.md",
        ),
        (["member", "bergen", "--country", "NO", "--title", "Bergen"], "members/bergen.yaml"),
        (["member", "true", "--country", "KR", "--title", "2024"], "members/true.yaml"),
    ],
)
def test_new_writes_a_file_check_accepts(corpus: Path, args: list[str], rel: str) -> None:
    code, out, err = new(corpus, *args)
    assert code == 0, err
    path = corpus / rel
    assert path.is_file() and str(path) in out
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "# " in text  # commented for editors
    check_ok(corpus)


def test_options_are_written(corpus: Path) -> None:
    args = ["--date", "2025-Q3", "--title", "Expo: 2025", "--city", "São Paulo", "--country", "BR"]
    assert new(corpus, "event", "expo", *args, "--category", "webinars")[0] == 0
    doc = split_front_matter((corpus / "events/2025/expo.md").read_text(), "x")
    assert doc.meta["title"] == "Expo: 2025" and doc.meta["date"] == "2025-Q3"
    assert doc.meta["location"] == {"city": "São Paulo", "country": "BR"}
    assert doc.meta["category"] == "webinars" and doc.meta["draft"] is True
    member = corpus / "members/bergen.yaml"
    assert new(corpus, "member", "bergen", "--country", "NO")[0] == 0
    assert load_yaml(member.read_text(), "x")[0]["country"] == "NO"


def test_default_event_date_is_next_month(corpus: Path) -> None:
    when = next_month(date.today())
    assert new(corpus, "event", "soon")[0] == 0
    path = corpus / f"events/{when.year}/soon.md"
    assert split_front_matter(path.read_text(), "x").meta["date"] == when.isoformat()
    assert next_month(date(2024, 12, 15)) == date(2025, 1, 1)
    assert next_month(date(2024, 1, 31)) == date(2024, 2, 1)


def test_default_category_is_the_first(corpus: Path) -> None:
    assert new(corpus, "event", "first", "--date", "2025-01")[0] == 0
    meta = split_front_matter((corpus / "events/2025/first.md").read_text(), "x").meta
    assert meta["category"] == next(iter(load_content(corpus).taxonomies.event_categories))


def test_scaffolds_match_the_editor_schemas(corpus: Path) -> None:
    where = ["--city", "Oslo", "--country", "NO"]
    assert new(corpus, "event", "e", "--date", "2025-05-01", *where)[0] == 0
    assert new(corpus, "project", "p", "--city", "seoul")[0] == 0
    assert new(corpus, "member", "m", "--country", "KR")[0] == 0
    schemas = build_schemas(load_content(corpus))
    for kind, rel in (("event", "events/2025/e.md"), ("project", "projects/p.md")):
        meta = split_front_matter((corpus / rel).read_text(), rel).meta
        assert not list(Draft7Validator(schemas[kind]).iter_errors(meta))
    data = load_yaml((corpus / "members/m.yaml").read_text(), "m")[0]
    assert not list(Draft7Validator(schemas["member"]).iter_errors(data))


def test_refuses_to_overwrite(corpus: Path) -> None:
    existing = corpus / "events/2024/excom-2024.md"
    before = existing.read_bytes()
    code, _, err = new(corpus, "event", "excom-2024", "--date", "2024-05-01")
    assert code == 2 and "already exists" in err
    assert existing.read_bytes() == before
    code, _, err = new(corpus, "member", "seoul", "--country", "KR")
    assert code == 2 and "already exists" in err
    code, _, err = new(corpus, "member", "beyoglu", "--country", "TR")  # beyoglu.md
    assert code == 2 and "beyoglu.md already exists" in err


@pytest.mark.parametrize("slug", ["Bad_Slug", "two--hyphens", "trail-", "éte", "a b", "x.md"])
def test_refuses_bad_slug(corpus: Path, slug: str) -> None:
    code, _, err = new(corpus, "member", slug, "--country", "KR")
    assert code == 2 and "not a slug" in err
    assert not list((corpus / "members").glob("*_*"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["event", "x", "--category", "governace"], "did you mean 'governance'?"),
        (["event", "x", "--date", "2025-13-01"], "--date: '2025-13-01': month 13"),
        (["event", "x", "--date", "next week"], "--date:"),
        (["event", "x", "--city", "Oslo"], "--city/--country"),
        (["event", "x", "--country", "XX"], "--country: 'XX' is not an ISO"),
        (["member", "x"], "new member needs --country"),
        (["member", "x", "--country", "kr"], "did you mean 'KR'?"),
        (["member", "x", "--country", "AQ"], "in no region"),
        (["member", "x", "--country", "KR", "--date", "2025"], "--date is not an option"),
        (["project", "x"], "new project needs --city"),
        (["project", "x", "--city", "seul"], "did you mean 'seoul'?"),
        (["project", "x", "--city", "oslo-tech"], "not a local government"),
        (["project", "x", "--city", "seoul", "--country", "JP"], "differs from seoul's country"),
        (["project", "region", "--country", "KR"], "reserved"),
    ],
)
def test_bad_options_are_usage_errors(corpus: Path, args: list[str], needle: str) -> None:
    before = sorted(p for p in corpus.rglob("*") if p.is_file())
    code, _, err = new(corpus, *args)
    assert code == 2 and needle in err, err
    assert sorted(p for p in corpus.rglob("*") if p.is_file()) == before


def test_missing_content_folder(tmp_path: Path) -> None:
    code, _, err = new(tmp_path / "nope", "member", "x", "--country", "KR")
    assert code == 2 and "no content folder" in err


GITHUB = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+)::(?P<msg>.+)$")


def test_check_format_github(corpus: Path) -> None:
    bad = corpus / "events/2024/broken.md"
    bad.write_text(
        "---\ntitle: Broken\ndate: 2024-09-19\ncategory: governace\nsummary: x\n"
        "links: [{label: x, url: 'javascript:alert(1)'}]\n---\n",
        encoding="utf-8",
    )
    (corpus / "members/bad.yaml").write_text(
        "name: Bad\ntype: local-government\ncountry: XX\n", encoding="utf-8"
    )
    res = cli("check", "--content", str(corpus), "--format", "github")
    assert res.code == 1 and "Traceback" not in res.err
    lines = [ln for ln in res.err.splitlines() if ln.startswith("::")]
    found = [GITHUB.match(ln) for ln in lines]
    assert lines and all(found), lines
    by_msg = {(Path(m["file"]).name, int(m["line"]), m["msg"].split(":")[0]) for m in found if m}
    assert ("broken.md", 4, "category") in by_msg
    assert ("broken.md", 6, "links.0.url") in by_msg
    assert ("bad.yaml", 3, "country") in by_msg
    assert any("did you mean 'governance'?" in ln for ln in lines)
    assert "3 errors in 2 files" in res.err


def test_check_format_github_escapes_newlines(corpus: Path) -> None:
    (corpus / "members/bad.yaml").write_text("name: [\n", encoding="utf-8")
    res = cli("check", "--content", str(corpus), "--format", "github")
    lines = [ln for ln in res.err.splitlines() if ln.startswith("::error")]
    assert res.code == 1 and len(lines) == 1 and GITHUB.match(lines[0])
