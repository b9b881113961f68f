"""The benchmark corpus stays valid content as site.yaml and the schemas change
(a corpus that fails ``check`` makes every benchmark figure n/a)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import generate
from conftest import cli


def test_the_benchmark_corpus_passes_check(tmp_path: Path) -> None:
    corpus = generate(40, tmp_path / "c")
    res = cli("check", "--content", str(corpus.content))
    assert res.code == 0, res.err
    assert "share_cards: false" in (corpus.content / "site.yaml").read_text()
