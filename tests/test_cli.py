"""The command line: exit codes, help, summary, and output left untouched."""

from __future__ import annotations

from pathlib import Path

from conftest import build_to, run_cli, tree


def test_help_lists_commands() -> None:
    res = run_cli("--help")
    assert res.code == 0
    for cmd in ("build", "check", "serve", "new"):
        assert cmd in res.out


def test_usage_errors_exit_2() -> None:
    assert run_cli().code == 2
    res = run_cli("frobnicate")
    assert res.code == 2 and "Traceback" not in res.err
    assert run_cli("build", "--nope").code == 2


def test_build_summary_line(corpus: Path, tmp_path: Path) -> None:
    res = build_to(corpus, tmp_path / "out")
    assert res.code == 0, res.err
    assert res.out.startswith("built ") and " pages " in res.out and " s " in res.out


def test_failed_build_leaves_previous_output_untouched(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build_to(corpus, out).code == 0
    before = tree(out)
    (corpus / "events/2024/broken.md").write_text("---\ntitle: [unclosed\n---\n")
    res = build_to(corpus, out)
    assert res.code == 1 and "broken.md:2:" in res.err and "nothing was written" in res.err
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_missing_content_folder_is_a_clean_error(tmp_path: Path) -> None:
    res = run_cli("check", "--content", str(tmp_path / "nope"))
    assert res.code == 1 and "no such folder" in res.err and "Traceback" not in res.err


def test_missing_templates_is_usage_error(corpus: Path, tmp_path: Path) -> None:
    res = run_cli(
        "build",
        "--content",
        str(corpus),
        "--templates",
        str(tmp_path / "t"),
        "--out",
        str(tmp_path / "o"),
    )
    assert res.code == 2 and "templates folder not found" in res.err


def test_reproducible_builds(corpus: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    seed1 = {"PYTHONHASHSEED": "1", "TZ": "UTC"}
    assert build_to(corpus, a, env=seed1, process=True).code == 0
    seed2 = {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland"}
    assert build_to(corpus, b, env=seed2, process=True).code == 0
    ta, tb = tree(a), tree(b)
    assert any(k.startswith("pagefind/fragment/") for k in ta), "search index missing"
    assert any(k.startswith("pagefind/filter/") for k in ta), "search filters missing"
    # The whole tree, the search index and its filter files included, is
    # byte-identical (search_canon rewrites Pagefind's hash-map-ordered filters).
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []


def test_drafts_only_with_flag(corpus: Path, tmp_path: Path) -> None:
    assert build_to(corpus, tmp_path / "a").code == 0
    assert not (tmp_path / "a/projects/draft-project/index.html").exists()
    assert build_to(corpus, tmp_path / "b", "--drafts").code == 0
    assert (tmp_path / "b/projects/draft-project/index.html").exists()
