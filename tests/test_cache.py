"""The cache of pure work: a cached build is the clean build, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TEMPLATES, build_to, tree


def build(
    content: Path, out: Path, cache: Path | None, templates: Path = TEMPLATES, workers: str = "1"
) -> None:
    extra = ["--no-search", *(["--cache", str(cache)] if cache else ["--no-cache"])]
    res = build_to(content, out, *extra, templates=templates, env={"WEGO_WORKERS": workers})
    assert res.code == 0, res.err


def test_cached_build_equals_clean_build(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "clean", None)
    build(corpus, tmp_path / "warm", cache)
    assert any((cache / "markdown").rglob("*.html"))
    build(corpus, tmp_path / "cached", cache)
    assert tree(tmp_path / "cached") == tree(tmp_path / "clean") == tree(tmp_path / "warm")


def test_parallel_build_equals_single_process(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "one", None, workers="1")
    build(corpus, tmp_path / "two", None, workers="2")
    build(corpus, tmp_path / "three", tmp_path / "c", workers="3")
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == tree(tmp_path / "three")


def test_corrupted_cache_entries_are_ignored(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "clean", None)
    build(corpus, tmp_path / "warm", cache)
    entries = sorted((cache / "markdown").rglob("*.html"))
    entries[0].write_bytes(b"garbage")
    entries[1].write_bytes(entries[1].read_bytes()[:-20])
    entries[2].write_bytes(entries[2].read_bytes().replace(b"<p>", b"<p>EVIL", 1))
    build(corpus, tmp_path / "again", cache)
    assert tree(tmp_path / "again") == tree(tmp_path / "clean")


def test_edits_reach_every_page_that_shows_them(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "a", cache)
    # a referenced member's name appears on its events' and projects' pages
    member = corpus / "members/seoul.yaml"
    member.write_text(
        member.read_text().replace("name: Seoul Metropolitan Government", "name: Seoul City Hall")
    )
    # a taxonomy label appears on every catalog page and project page with it
    tax = corpus / "taxonomies.yaml"
    tax.write_text(
        tax.read_text().replace("e-government: e-Government", "e-government: Digital Government")
    )
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    base = templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the content"))
    build(corpus, tmp_path / "b", cache, templates=templates)
    build(corpus, tmp_path / "clean", None, templates=templates)
    b, clean = tree(tmp_path / "b"), tree(tmp_path / "clean")
    assert b == clean
    assert b"Seoul City Hall" in b["events/2024/excom-2024/index.html"]
    assert b"Seoul City Hall" in b["projects/big-data-campus/index.html"]
    assert b"Digital Government" in b["projects/almaty-data-lake/index.html"]
    assert all(b"Skip to the content" in v for k, v in b.items() if k.endswith("index.html"))


def test_compiled_templates_follow_their_source(corpus: Path, tmp_path: Path) -> None:
    """Templates are compiled once per process and kept on disk; a template edited
    in place between two builds is compiled again, and a damaged, truncated or
    foreign file in the cache is compiled anew, never run."""
    from wego_site import template_cache

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "a", cache, templates=templates)
    compiled = sorted((cache / "templates").iterdir())
    assert len(compiled) >= 10
    base = templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the content"))
    build(corpus, tmp_path / "b", cache, templates=templates)
    assert b"Skip to the content" in (tmp_path / "b/index.html").read_bytes()
    # from disk only: damaged entries are misses
    template_cache._MEMORY.clear()
    for path, damage in zip(compiled, [b"garbage", b"", None], strict=False):
        path.write_bytes(damage if damage is not None else path.read_bytes()[:-30])
    for path in compiled[3:]:
        path.write_bytes(path.read_bytes().replace(b"Skip", b"Sk1p"))
    build(corpus, tmp_path / "c", cache, templates=templates)
    build(corpus, tmp_path / "clean", None, templates=templates)
    assert tree(tmp_path / "c") == tree(tmp_path / "clean") == tree(tmp_path / "b")
