"""The rewrite that makes Pagefind's filter index reproducible loses nothing."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import cbor2
import pytest

from conftest import FIXTURE, build_to, tree
from wego_site import search
from wego_site.errors import WegoError
from wego_site.search_canon import (
    canonicalise as canon,
)
from wego_site.search_canon import (
    compress,
    decompress,
    filter_name,
    full_hash,
    meta_name,
)

Filters = dict[tuple[str, str], dict[str, list[int]]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus built without a search index (for Pagefind to index)."""
    out = tmp_path_factory.mktemp("unindexed") / "site"
    res = build_to(FIXTURE, out, "--no-search")
    assert res.code == 0, res.err
    return out


def raw_pagefind(site: Path, dest: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pagefind's own, un-rewritten output for ``site``, as ``dest/pagefind``."""
    monkeypatch.setattr(search, "canonical", lambda files: files)
    work = dest / "site"
    shutil.copytree(site, work)
    search.index_site(work)
    return work / "pagefind"


def load(path: Path) -> Any:
    return cbor2.loads(decompress(path, path.read_bytes()))


def entry(bundle: Path) -> dict[str, Any]:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def metas(bundle: Path) -> dict[str, list[Any]]:
    return {
        lang: load(bundle / f"pagefind.{info['hash']}.pf_meta")
        for lang, info in entry(bundle)["languages"].items()
    }


def filters(bundle: Path) -> Filters:
    """Every filter's values and their pages, as sorted sets (order-free)."""
    out: Filters = {}
    for lang, meta in metas(bundle).items():
        for name, hash_ in meta[3]:
            index = load(bundle / "filter" / f"{hash_}.pf_filter")
            assert index[0] == name
            out[lang, name] = {value: sorted(pages) for value, pages in index[1]}
            assert len(out[lang, name]) == len(index[1])
    return out


def shuffled(bundle: Path) -> None:
    """Rewrite ``bundle`` in reversed order, named as Pagefind would name it.

    This is an output Pagefind could have written on another run, whatever
    order it happened to use on this one.
    """
    data = entry(bundle)
    for lang, info in data["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = load(meta_path)
        listed = []
        for name, hash_ in reversed(meta[3]):
            path = bundle / "filter" / f"{hash_}.pf_filter"
            index = load(path)
            path.unlink()
            cbor = cbor2.dumps([index[0], list(reversed(index[1]))])
            new = filter_name(lang, cbor, set())
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(compress(cbor))
            listed.append([name, new])
        meta[3] = listed
        meta_path.unlink()
        cbor = cbor2.dumps(meta)
        info["hash"] = meta_name(lang, cbor)
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(compress(cbor))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (bundle / "pagefind-entry.json").write_text(text, encoding="utf-8")


def test_rewrite_keeps_every_value_and_page(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = raw_pagefind(site, tmp_path / "1", monkeypatch)
    two = raw_pagefind(site, tmp_path / "2", monkeypatch)
    raw = filters(one)
    assert raw == filters(two)
    assert {name for _, name in raw} == {"type", "region", "sector", "year"}
    assert all(raw.values())
    before = tree(one)
    raw_metas = metas(one)
    raw_entry = entry(one)

    canon(one)
    canon(two)
    after = tree(one)
    assert after == tree(two)
    assert filters(one) == raw
    # The values and lists are now in sorted order...
    for lang, meta in metas(one).items():
        assert [n for n, _ in meta[3]] == sorted(n for n, _ in meta[3])
        assert [s for s, _ in meta[4]] == sorted(s for s, _ in meta[4])
        for _, hash_ in meta[3]:
            values = load(one / "filter" / f"{hash_}.pf_filter")[1]
            assert values == sorted(values)
        # ...and everything else in the meta index is as Pagefind wrote it.
        old = raw_metas[lang]
        assert meta[:3] + meta[5:] == old[:3] + old[5:]
        assert sorted(meta[4]) == sorted(old[4])
    # Only the filter files, meta files and entry changed; no stale file is left.
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert all(
        k.startswith("filter/") or k.endswith(".pf_meta") or k == "pagefind-entry.json"
        for k in changed
    )
    listed = {f"filter/{h}.pf_filter" for m in metas(one).values() for _, h in m[3]}
    assert {k for k in after if k.startswith("filter/")} == listed
    assert {k for k in after if k.endswith(".pf_meta")} == {
        f"pagefind.{i['hash']}.pf_meta" for i in entry(one)["languages"].values()
    }
    new_entry = entry(one)
    for info in (raw_entry, new_entry):
        for lang in info["languages"].values():
            del lang["hash"]
    assert new_entry == raw_entry


def test_any_order_pagefind_writes_gives_the_same_bytes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = raw_pagefind(site, tmp_path / "1", monkeypatch)
    two = tmp_path / "2"
    shutil.copytree(one, two)
    shuffled(two)
    assert tree(one) != tree(two)
    canon(one)
    canon(two)
    assert tree(one) == tree(two)
    canon(two)  # idempotent
    assert tree(one) == tree(two)


def test_files_are_named_and_compressed_as_pagefind_does(site: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "site"
    shutil.copytree(site, bundle)
    search.index_site(bundle)  # with the rewrite
    bundle = bundle / "pagefind"
    for lang, info in entry(bundle)["languages"].items():
        path = bundle / f"pagefind.{info['hash']}.pf_meta"
        raw = path.read_bytes()
        assert raw[:10] == bytes.fromhex("1f8b08000000000002ff")  # gzip, no time, no name
        cbor = gzip.decompress(raw)
        assert cbor.startswith(b"pagefind_dcd")
        assert info["hash"] == f"{lang}_{full_hash(cbor[12:])[: len(lang) + 8]}"
        for _, hash_ in cbor2.loads(cbor[12:])[3]:
            data = decompress(path, (bundle / "filter" / f"{hash_}.pf_filter").read_bytes())
            assert hash_ == f"{lang}_{full_hash(data)[:7]}"


def test_hash_is_pagefinds_unpadded_hex() -> None:
    # SHA-1 of b"" is da39a3ee5e6b4b0d3255bfef95601890afd80709; Pagefind drops
    # the leading zero of each byte (format!("{:x?}", b)).
    assert full_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


def test_filter_name_collision_lengthens_like_pagefind() -> None:
    data = b"\x82dtype\x80"
    full = "en_" + full_hash(data)
    assert filter_name("en", data, set()) == full[:10]
    assert filter_name("en", data, {full[:10]}) == full[:12]
    assert filter_name("en", data, {full[:10], full[:12]}) == full[:14]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b, f: f.write_bytes(b"not gzip"), "not gzip-compressed"),
        (lambda b, f: f.write_bytes(gzip.compress(b"x" * 20)), "signature"),
        (lambda b, f: f.write_bytes(compress(b"\xff")), "not CBOR"),
        (lambda b, f: f.write_bytes(compress(cbor2.dumps(["type"]))), "name is not the hash"),
        (lambda b, f: f.unlink(), "missing"),
    ],
)
def test_unexpected_filter_file_is_a_clear_error(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any, message: str
) -> None:
    bundle = raw_pagefind(site, tmp_path, monkeypatch)
    damage(bundle, sorted((bundle / "filter").iterdir())[0])
    with pytest.raises(WegoError, match=message) as err:
        canon(bundle)
    assert "\n" not in str(err.value) and "Pagefind's format" in str(err.value)


def test_unexpected_shape_is_a_clear_error(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = raw_pagefind(site, tmp_path, monkeypatch)
    # A filter file of another shape, correctly named and listed: a future format.
    lang, meta = next(iter(metas(bundle).items()))
    name, hash_ = meta[3][0]
    old = bundle / "filter" / f"{hash_}.pf_filter"
    index = load(old)
    cbor = cbor2.dumps([index[0], {v: p for v, p in index[1]}])
    new = filter_name(lang, cbor, set())
    old.unlink()
    (bundle / "filter" / f"{new}.pf_filter").write_bytes(compress(cbor))
    meta[3][0] = [name, new]
    data = entry(bundle)
    (bundle / f"pagefind.{data['languages'][lang]['hash']}.pf_meta").unlink()
    meta_cbor = cbor2.dumps(meta)
    data["languages"][lang]["hash"] = meta_name(lang, meta_cbor)
    (bundle / f"pagefind.{data['languages'][lang]['hash']}.pf_meta").write_bytes(
        compress(meta_cbor)
    )
    (bundle / "pagefind-entry.json").write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    before = tree(bundle)
    with pytest.raises(WegoError, match="not a Pagefind 1.5 filter index"):
        canon(bundle)
    assert tree(bundle) == before  # nothing half-written


def test_unexpected_entry_is_a_clear_error(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = raw_pagefind(site, tmp_path, monkeypatch)
    (bundle / "pagefind-entry.json").write_text('{"languages": []}', encoding="utf-8")
    with pytest.raises(WegoError, match="pagefind-entry.json.*not a Pagefind 1.5 entry"):
        canon(bundle)
