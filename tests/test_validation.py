"""Validation: every error in every file, as path:line: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli


def write(p: Path, text: str) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


EVENT = """---
title: Test Event
date: 2024-09-19
category: governance
summary: A test.
{extra}---
Body.
"""


def check(corpus: Path) -> tuple[int, list[str]]:
    res = cli("check", "--content", str(corpus))
    assert "Traceback" not in res.err
    return res.code, [line for line in res.err.splitlines() if line]


@pytest.mark.parametrize(
    ("extra", "field", "needle"),
    [
        ("titel: oops\n", "titel", "unknown field 'titel' (did you mean 'title'?)"),
        ("format: zoom\n", "format", "'in-person', 'online' or 'hybrid'"),
        ("status: done\n", "status", "scheduled"),
        ("host: seul\n", "host", "unknown member 'seul' (did you mean 'seoul'?)"),
        ("partners: [almatty]\n", "partners.0", "did you mean 'almaty'?"),
        ("projects: [big-data-campas]\n", "projects.0", "did you mean 'big-data-campus'?"),
        ("time: 25:00\n", "time", "not a time"),
        ("timezone: Asia/Seol\ntime: '17:00'\n", "timezone", "did you mean 'Asia/Seoul'?"),
        ("location: {city: Oslo, country: no}\n", "location.country", "did you mean 'NO'?"),
        ("location: {city: Nowhere, country: ZZ}\n", "location.country", "ISO 3166-1"),
        ("links: [{label: x, url: 'javascript:alert(1)'}]\n", "links.0.url", "not allowed"),
        ("end: 2024-09-01\n", "", "end (2024-09-01) is before date (2024-09-19)"),
        ("tentative: yes\n", "tentative", "boolean"),
    ],
)
def test_event_field_errors(corpus: Path, extra: str, field: str, needle: str) -> None:
    path = corpus / "events" / "2024" / "test-event.md"
    write(path, EVENT.format(extra=extra))
    code, lines = check(corpus)
    assert code == 1
    rel = str(path)
    hits = [line for line in lines if line.startswith(rel + ":") and needle in line]
    assert hits, lines
    if field:
        assert f": {field}: " in hits[0]
        line_no = int(hits[0].split(":")[1])
        key = field.split(".")[0]
        expected = next(
            n for n, t in enumerate(path.read_text().splitlines(), 1) if t.startswith(key + ":")
        )
        assert line_no == expected


def test_category_typo_suggests(corpus: Path) -> None:
    write(corpus / "events/2024/x.md", EVENT.replace("governance", "goverance").format(extra=""))
    _, lines = check(corpus)
    assert any(
        "unknown event category 'goverance' (did you mean 'governance'?)" in x for x in lines
    )


def test_missing_required_field_shows_example(corpus: Path) -> None:
    write(corpus / "events/2024/x.md", "---\ntitle: X\ndate: 2024-01-01\nsummary: s\n---\n")
    _, lines = check(corpus)
    assert any(
        ": category: required field is missing; e.g. category: governance" in x for x in lines
    )


def test_bad_date_lists_accepted_forms(corpus: Path) -> None:
    write(corpus / "events/2024/x.md", EVENT.replace("2024-09-19", "Sept 2024").format(extra=""))
    _, lines = check(corpus)
    assert any(
        ": date: 'Sept 2024' is not a date; use 2024-09-19 (day), 2024-09 (month)" in x
        for x in lines
    )


def test_year_folder_must_match(corpus: Path) -> None:
    write(corpus / "events/2025/wrong-year.md", EVENT.format(extra=""))
    _, lines = check(corpus)
    assert any("wrong-year.md:3: date:" in x and "move it to events/2024/" in x for x in lines)


def test_year_round_needs_a_year(corpus: Path) -> None:
    write(corpus / "events/2024/x.md", EVENT.format(extra="year_round: true\n"))
    _, lines = check(corpus)
    assert any("year_round: true needs a year" in x for x in lines)


def test_norway_is_norway(corpus: Path) -> None:
    code, _ = check(corpus)  # oslo-tech.yaml has country: NO unquoted
    assert code == 0


def test_bad_slug_file_name(corpus: Path) -> None:
    write(corpus / "members/Bad_Name.yaml", "name: X\ntype: corporation\ncountry: KR\n")
    _, lines = check(corpus)
    assert any("Bad_Name.yaml:1:" in x and "not a slug" in x for x in lines)


def test_missing_image_is_reported(corpus: Path) -> None:
    p = corpus / "projects/big-data-campus.md"
    p.write_text(p.read_text().replace("campus.svg", "nope.svg"))
    _, lines = check(corpus)
    assert any(": image: no file content/static/projects/nope.svg" in x for x in lines)


def test_project_city_must_be_a_member(corpus: Path) -> None:
    p = corpus / "projects/free-fab-lab.md"
    p.write_text(p.read_text().replace("city: sao-paulo", "city: sao-paolo"))
    _, lines = check(corpus)
    assert any(
        "free-fab-lab.md:3: city: unknown member 'sao-paolo' (did you mean 'sao-paulo'?)" in x
        and "members/sao-paolo.yaml" in x
        for x in lines
    )


def test_symlink_leaving_content_is_refused(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(EVENT.format(extra=""))
    (corpus / "events/2024/link.md").symlink_to(outside)
    _, lines = check(corpus)
    assert any("link.md" in x and "outside content" in x for x in lines)


def test_every_error_in_every_file_in_one_run(corpus: Path) -> None:
    write(corpus / "events/2024/a.md", EVENT.format(extra="titel: x\n"))
    write(corpus / "events/2024/b.md", EVENT.format(extra="host: nobody\n"))
    write(corpus / "members/c.yaml", "name: C\ntype: city\ncountry: KR\nname: D\n")
    write(corpus / "members/d.yaml", "name: D\ntype: corporation\ncountry: XX\n")
    write(corpus / "pages/e.md", "no front matter\n")
    (corpus / "projects/f.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    code, lines = check(corpus)
    assert code == 1
    for name in ("a.md", "b.md", "c.yaml", "d.yaml", "e.md", "f.md"):
        assert any(f"{name}:" in x for x in lines), (name, lines)
    assert lines[-1].startswith("6 errors in 6 files")
    for x in lines[:-1]:
        path, line, rest = x.split(":", 2)
        assert line.isdigit() and rest.startswith(" ")


def test_alias_bomb_in_content_is_reported_quickly(corpus: Path) -> None:
    bomb = ["---", "title: &a [x, x, x, x, x, x, x, x]"]
    for i in range(8):
        bomb.append(f"k{i}: &b{i} [" + ", ".join(["*a" if i == 0 else f"*b{i - 1}"] * 8) + "]")
    write(corpus / "events/2024/bomb.md", "\n".join(bomb) + "\n---\n")
    code, lines = check(corpus)
    assert code == 1
    assert any("bomb.md" in x and "aliases" in x for x in lines)
    assert sum(len(x) for x in lines) < 2000
