"""Safe YAML: every hazard of HAZARDS.md is refused or neutralised."""

from __future__ import annotations

import time

import pytest

from wego_site.errors import ContentError
from wego_site.frontmatter import decode, load_yaml, split_front_matter


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    with pytest.raises(ContentError) as exc:
        load_yaml("title: A\nsummary: x\ntitle: B\n", "f.yaml")
    assert exc.value.line == 3
    assert "duplicate key 'title'" in exc.value.message
    assert "line 1" in exc.value.message


def test_alias_bomb_fails_fast_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(ContentError) as exc:
        load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert "aliases" in exc.value.message
    assert "lol" not in str(exc.value)


def test_self_referencing_alias_is_refused() -> None:
    with pytest.raises(ContentError, match="aliases"):
        load_yaml("a: &a [*a]\n", "x.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("country: NO", "NO"),
        ("v: on", "on"),
        ("v: yes", "yes"),
        ("time: 12:30", "12:30"),
        ("mode: 0755", "0755"),
        ("date: 2024-09-19", "2024-09-19"),
        ("v: true", True),
        ("v: 2024", 2024),
        ("v: ~", None),
    ],
)
def test_yaml_12_like_scalars(text: str, expected: object) -> None:
    value, _ = load_yaml(text + "\n", "x.yaml")
    assert list(value.values()) == [expected]


def test_explicit_tags_are_refused() -> None:
    with pytest.raises(ContentError, match="tags"):
        load_yaml("a: !!python/object/apply:os.system [ls]\n", "x.yaml")


def test_tab_indentation_is_an_error_with_line() -> None:
    with pytest.raises(ContentError) as exc:
        load_yaml("a:\n\t- b\n", "x.yaml")
    assert exc.value.line == 2 and "tab" in exc.value.message


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ContentError):
        load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "x.yaml")


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(ContentError) as exc:
        decode(b"title: ok\nname: caf\xe9\n", "x.md")
    assert exc.value.line == 2 and "UTF-8" in exc.value.message


def test_bom_and_crlf_are_accepted() -> None:
    text = decode("\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n".encode(), "x.md")
    doc = split_front_matter(text, "x.md")
    assert doc.meta == {"title": "A"}
    assert doc.body.strip() == "Body"


def test_line_map_points_at_keys_in_file_coordinates() -> None:
    doc = split_front_matter("---\ntitle: A\nlocation:\n  city: X\n---\nbody\n", "x.md")
    assert doc.lines.line(("title",)) == 2
    assert doc.lines.line(("location", "city")) == 4
    assert doc.lines.line(("location", "nothing")) == 3


def test_body_may_contain_rules() -> None:
    doc = split_front_matter("---\ntitle: A\n---\nOne\n\n---\n\nTwo\n", "x.md")
    assert "Two" in doc.body and doc.meta == {"title": "A"}


@pytest.mark.parametrize("text", ["title: A\n", "---\ntitle: A\n", "--- \n"])
def test_missing_or_unclosed_front_matter(text: str) -> None:
    with pytest.raises(ContentError, match="front matter|---"):
        split_front_matter(text, "x.md")
