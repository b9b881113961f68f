"""Incremental builds: a rebuild is the clean build, byte for byte, whatever changed.

Each test builds with a private cache, changes something, rebuilds, and
compares the output with a clean build (no cache) of the same inputs; the
summary line says which path the rebuild took, so a test also fails if an
exact shortcut silently stops being taken.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TEMPLATES, build_to, tree


class Builds:
    """Builds of one content folder into ``out`` with one cache, plus clean builds."""

    def __init__(self, content: Path, tmp: Path, templates: Path = TEMPLATES) -> None:
        self.content, self.tmp, self.templates = content, tmp, templates
        self.out = tmp / "out"
        self.cache = tmp / "cache"
        self.cleans = 0

    def build(self, search: bool = False, env: dict[str, str] | None = None, code: int = 0) -> str:
        """Rebuild ``out``; return the summary line (or the errors)."""
        args = ["--cache", str(self.cache), *([] if search else ["--no-search"])]
        res = build_to(self.content, self.out, *args, templates=self.templates, env=env)
        assert res.code == code, res.err
        return res.out if code == 0 else res.err

    def clean(self) -> dict[str, bytes]:
        """A build of the same inputs with no cache at all."""
        self.cleans += 1
        out = self.tmp / f"clean{self.cleans}"
        res = build_to(self.content, out, "--no-cache", "--no-search", templates=self.templates)
        assert res.code == 0, res.err
        return tree(out)

    def assert_clean(self) -> None:
        assert tree(self.out) == self.clean()


def full(summary: str) -> bool:
    return "patched" not in summary and "unchanged" not in summary


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture
def builds(corpus: Path, tmp_path: Path) -> Builds:
    b = Builds(corpus, tmp_path)
    assert full(b.build())
    return b


def test_no_op_rebuild_writes_nothing_and_equals_clean(builds: Builds) -> None:
    before = {p: p.stat().st_mtime_ns for p in builds.out.rglob("*") if p.is_file()}
    assert "(unchanged)" in builds.build()
    after = {p: p.stat().st_mtime_ns for p in builds.out.rglob("*") if p.is_file()}
    assert before == after
    builds.assert_clean()


@pytest.mark.parametrize(
    ("rel", "shown_in"),
    [
        ("events/2024/excom-2024.md", "events/2024/excom-2024/index.html"),
        ("projects/big-data-campus.md", "projects/big-data-campus/index.html"),
        ("members/beyoglu.md", "members/beyoglu/index.html"),
        ("pages/about.md", "about/index.html"),
    ],
)
def test_body_edit_is_patched_in_place_and_equals_clean(
    builds: Builds, rel: str, shown_in: str
) -> None:
    new = "\n## A new section\n\nNow with *more* [links](/members/seoul/).\n"
    append(builds.content / rel, new)
    summary = builds.build()
    assert "files patched)" in summary, summary
    page = (builds.out / shown_in).read_text()
    assert 'id="a-new-section"' in page
    assert "<em>more</em>" in page
    builds.assert_clean()
    # and once more: the spans recorded by the patch are right too
    append(builds.content / rel, "\nSecond edit, with non-ASCII: Beyoğlu, 서울.\n")
    assert "files patched)" in builds.build()
    assert "서울" in (builds.out / shown_in).read_text()
    builds.assert_clean()


def test_project_body_reaches_the_open_data_too(builds: Builds) -> None:
    append(builds.content / "projects/big-data-campus.md", '\nQuote: "data" \\ back\n')
    assert "2 files patched)" in builds.build()
    assert '\\"data\\" \\\\ back' in (builds.out / "data/projects.json").read_text()
    builds.assert_clean()


def test_structural_edits_rebuild_everything(builds: Builds) -> None:
    event = builds.content / "events/2024/excom-2024.md"
    event.write_text(event.read_text().replace("The annual EXCOM meeting.", "Yearly EXCOM."))
    assert full(builds.build())
    builds.assert_clean()
    # a body that becomes blank changes the page's structure (no prose block)
    member = builds.content / "members/beyoglu.md"
    text = member.read_text()
    member.write_text(text[: text.rindex("---") + 4])
    assert full(builds.build())
    builds.assert_clean()


def test_static_file_edits_rebuild_everything(builds: Builds) -> None:
    append(builds.content / "static/projects/campus.svg", "\n<!-- edited -->\n")
    assert full(builds.build())
    builds.assert_clean()


def test_templates_cannot_read_a_bodys_text(corpus: Path, tmp_path: Path) -> None:
    """What a page shows of a body is always a slot, so a patch is always exact: a
    template that asks for the text gets a clear error."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / "calendar/event.html"
    page.write_text(page.read_text().replace("{{ e.body_html }}", "{{ e.body | length }} chars"))
    b = Builds(corpus, tmp_path, templates)
    err = b.build(code=1)
    assert "has no attribute 'body'" in err and "Traceback" not in err
    assert not b.out.exists()


def test_a_slot_altered_by_a_filter_is_an_error_not_a_guess(corpus: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / "calendar/event.html"
    page.write_text(page.read_text().replace("{{ e.body_html }}", "{{ e.body_html | upper }}"))
    b = Builds(corpus, tmp_path, templates)
    err = b.build(code=1)
    assert "body slot was altered" in err
    assert "Traceback" not in err
    assert not b.out.exists()


def test_output_touched_by_hand_is_rebuilt(builds: Builds) -> None:
    (builds.out / "about/index.html").write_text("vandalised")
    (builds.out / "stray.html").write_text("not ours")
    shutil.rmtree(builds.out / "calendar/2025")
    assert full(builds.build())
    # a file the build did not write is kept (never destroy); the rest is exact
    assert (builds.out / "stray.html").read_text() == "not ours"
    (builds.out / "stray.html").unlink()
    builds.assert_clean()


@pytest.mark.parametrize("which", ["head", "details"])
@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip", "empty"])
def test_a_damaged_state_file_means_a_full_build(builds: Builds, which: str, damage: str) -> None:
    files = sorted((builds.cache / "state").iterdir())
    assert len(files) == 2
    (state,) = [f for f in files if (".details." in f.name) == (which == "details")]
    data = state.read_bytes()
    damaged = {
        "garbage": b"\x00not a state\n" * 10,
        "truncate": data[: len(data) // 2],
        "flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
        "empty": b"",
    }[damage]
    state.write_bytes(damaged)
    append(builds.content / "events/2024/excom-2024.md", "\nAfter the damage.\n")
    assert full(builds.build())
    builds.assert_clean()
    assert "(unchanged)" in builds.build()  # and the state is whole again


def test_a_stale_details_file_is_never_paired_with_a_newer_head(builds: Builds) -> None:
    details = next(f for f in (builds.cache / "state").iterdir() if ".details." in f.name)
    old = details.read_bytes()
    append(builds.content / "events/2024/excom-2024.md", "\nFirst edit.\n")
    assert "files patched)" in builds.build()
    details.write_bytes(old)  # e.g. restored from a backup of the cache
    append(builds.content / "events/2024/excom-2024.md", "\nSecond edit.\n")
    assert full(builds.build())
    builds.assert_clean()


def test_bad_edit_loses_nothing_and_the_next_good_one_is_exact(builds: Builds) -> None:
    before = tree(builds.out)
    event = builds.content / "events/2024/excom-2024.md"
    good = event.read_text()
    event.write_text(good.replace("title:", "titel:", 1))
    err = builds.build(code=1)
    assert "excom-2024.md:" in err
    assert tree(builds.out) == before
    event.write_text(good + "\nFixed.\n")
    assert "files patched)" in builds.build()
    builds.assert_clean()


def test_draft_body_edit_changes_nothing(builds: Builds) -> None:
    append(builds.content / "projects/draft-project.md", "\nStill a draft.\n")
    assert "(unchanged)" in builds.build()
    builds.assert_clean()


def test_with_search_a_body_edit_is_patched_and_reindexed(builds: Builds) -> None:
    """The default command (search on, no SOURCE_DATE_EPOCH): a body edit is
    patched, the search index rebuilt beside it, and both equal a clean build."""
    today = {"SOURCE_DATE_EPOCH": ""}
    assert full(builds.build(search=True, env=today))  # another fingerprint than --no-search
    assert "(unchanged)" in builds.build(search=True, env=today)
    before = tree(builds.out / "pagefind")
    append(builds.content / "events/2024/excom-2024.md", "\nSearchable zyzzogeton addition.\n")
    assert "files patched)" in builds.build(search=True, env=today)
    assert tree(builds.out / "pagefind") != before
    clean = builds.tmp / "clean-search"
    res = build_to(builds.content, clean, "--no-cache", env=today)
    assert res.code == 0, res.err
    assert tree(builds.out) == tree(clean)  # pages, index and manifest
    assert "(unchanged)" in builds.build(search=True, env=today)
    # someone else's files, even inside pagefind/, survive the in-place update
    (builds.out / "pagefind" / "notes.txt").write_text("mine")
    (builds.out / "CNAME").write_text("wego.example.org")
    assert full(builds.build(search=True, env=today))  # the folder was touched by hand
    append(builds.content / "events/2024/excom-2024.md", "\nA second edit.\n")
    assert "files patched)" in builds.build(search=True, env=today)
    assert (builds.out / "pagefind" / "notes.txt").read_text() == "mine"
    assert (builds.out / "CNAME").read_text() == "wego.example.org"


def test_a_sharded_index_reuses_the_shards_whose_pages_did_not_change(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sites over SHARD_PAGES indexed pages are indexed in shards; a rebuild
    indexes again only the shards holding a changed page."""
    from wego_site import search
    from wego_site.options import BuildOptions
    from wego_site.rebuild import build

    monkeypatch.setattr(search, "SHARD_PAGES", 8)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718409600")
    indexed: list[list[str]] = []
    real_index = search._index

    def counting(site: Path, rels: list[str], config: object) -> search.Bundle:
        indexed.append(rels)
        return real_index(site, rels, config)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "_index", counting)

    def run(out: Path, cache: Path | None) -> str:
        options = BuildOptions(corpus, TEMPLATES, out, cache=cache, workers=1)
        return build(options).mode

    out, cache = tmp_path / "out", tmp_path / "cache"
    run(out, cache)
    shards = len(indexed)
    assert shards >= 3
    append(corpus / "events/2024/excom-2024.md", "\nSearchable zyzzogeton addition.\n")
    indexed.clear()
    assert "patched" in run(out, cache)
    assert len(indexed) == 1 and "events/2024/excom-2024/index.html" in indexed[0]
    (next((cache / "search").iterdir())).write_bytes(b"damaged")  # a bad entry is indexed again
    append(corpus / "events/2024/excom-2024.md", "\nAnother addition.\n")
    indexed.clear()
    assert "patched" in run(out, cache)
    assert 1 <= len(indexed) <= 2
    indexed.clear()
    run(tmp_path / "clean", None)
    assert len(indexed) == shards
    assert tree(out) == tree(tmp_path / "clean")


def test_without_source_date_epoch_rebuilds_of_one_day_are_exact(builds: Builds) -> None:
    """The default command sets no SOURCE_DATE_EPOCH: a build then depends only on
    the date in the site's zone, so an unchanged rebuild writes nothing and a body
    edit is patched, both equal to a clean build of that day."""
    today = {"SOURCE_DATE_EPOCH": ""}
    assert full(builds.build(env=today))  # another date than the fixture's epoch
    assert "(unchanged)" in builds.build(env=today)
    append(builds.content / "events/2024/excom-2024.md", "\nA body edit today.\n")
    assert "files patched)" in builds.build(env=today)
    clean = builds.tmp / "clean-today"
    res = build_to(builds.content, clean, "--no-cache", "--no-search", env=today)
    assert res.code == 0, res.err
    assert tree(builds.out) == tree(clean)


def test_a_site_yaml_zone_the_scan_cannot_read_means_a_full_build(builds: Builds) -> None:
    site = builds.content / "site.yaml"
    site.write_text(site.read_text().replace("timezone: Asia/Seoul", "timezone: >-\n  Asia/Seoul"))
    today = {"SOURCE_DATE_EPOCH": ""}
    assert full(builds.build(env=today))
    assert full(builds.build(env=today))


def test_after_a_template_edit_body_edits_are_patched_again(corpus: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    b = Builds(corpus, tmp_path, templates)
    b.build()
    base = templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the content"))
    assert full(b.build())  # the content is as recorded, the templates are not
    append(corpus / "events/2024/excom-2024.md", "\nAnd then a body edit.\n")
    assert "files patched)" in b.build()
    b.assert_clean()
    assert b"Skip to the content" in (b.out / "events/2024/excom-2024/index.html").read_bytes()


def test_records_of_removed_output_folders_are_pruned(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for name in ("a", "b"):
        res = build_to(corpus, tmp_path / name, "--no-search", "--cache", str(cache))
        assert res.code == 0, res.err
    assert len(list((cache / "state").iterdir())) == 4
    shutil.rmtree(tmp_path / "a")
    res = build_to(corpus, tmp_path / "c", "--no-search", "--cache", str(cache))
    assert res.code == 0, res.err
    assert len(list((cache / "state").iterdir())) == 4  # b and c, head and details each
