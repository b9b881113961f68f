"""Shards of the site, indexed apart and merged, give the index of one Pagefind run.

The reference is one Pagefind process given the same pages in the same order;
the comparison is of every file's name and (gunzipped) content, after
``canonicalise``. Besides the fixture, synthetic pages reach the corners of
the format: accented variants of a word spread over shards, meta fields that
only some shards have, two pages whose fragment names collide, and word index
chunks whose boundary prefixes Pagefind has to keep whole.
"""

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
from wego_site.search_canon import canonicalise, compress
from wego_site.search_merge import Bundle, merge, prepare
from wego_site.search_service import Service

Pages = list[tuple[str, str]]


def one_run(pages: Pages, config: dict[str, Any] | None = None) -> Bundle:
    """One Pagefind process given ``pages`` (URL, HTML) in this order: its files."""
    with Service(config or {}) as service:
        for url, html in pages:
            service.call({"type": "AddFile", "url": url, "file_contents": html, "file_path": None})
        return service.get_files()


def written(files: Bundle, dest: Path) -> dict[str, bytes]:
    """``files`` written to ``dest`` and canonicalised: names and gunzipped contents."""
    shutil.rmtree(dest, ignore_errors=True)
    for path, data in files.items():
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (dest / path).write_bytes(data)
    canonicalise(dest)
    return {k: gzip.decompress(v) if v[:2] == b"\x1f\x8b" else v for k, v in tree(dest).items()}


def page(title: str, body: str, head: str = "") -> str:
    return (
        f'<html lang="en"><head><title>{title}</title>{head}</head><body><nav>Menu</nav>'
        f"<article data-pagefind-body><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def meta(kind: str, key: str, value: str) -> str:
    return f'<meta data-pagefind-{kind}="{key}[content]" content="{value}">'


def synthetic() -> list[Pages]:
    """Four shards of pages made to reach the corners of the merge."""
    forms = ["zebra", "zébra", "zèbra", "zebrà", "zêbra", "zébrà"]
    small: Pages = []
    for i in range(24):
        body = " ".join(forms[(i * k) % len(forms)] for k in (1, 3, 5)) + f" common word{i % 5}"
        head = meta("filter", "colour", ["red", "blue", "green"][i % 3])
        if i % 4 == 0:
            head += meta("meta", "place", f"Côte {forms[i % 6]}")
        if i >= 12:
            head += meta("meta", "author", f"Author {i}")
        if i % 7 == 0:
            body += f' <img src="/img/{i}.png" alt="picture {i}">'
        small.append((f"/s{i:02d}/", page(f"Small {forms[i % 6]} {i}", body, head)))
    # Fragments whose 7-hex names collide ("T. w8995." and "T. w29133.").
    collide = [("/p/w8995/", page("T", "w8995")), ("/p/w29133/", page("T", "w29133"))]
    # Word index chunks that end on one word, whose prefix would sort before the chunk.
    big: Pages = []
    for word, count in [("kfbbq", 20005), ("kfbcd", 5), ("kgaaa", 20005), ("kgb", 20005)]:
        for j in range(0, count, 2500):
            big.append((f"/b/{word}-{j}/", page("Big", " ".join([word] * min(2500, count - j)))))
    return [small[:8] + collide[:1], small[8:16] + big[:9], small[16:] + big[9:] + collide[1:]]


def test_synthetic_shards_merge_into_one_run(tmp_path: Path) -> None:
    shards = synthetic()
    bundles = [one_run(s) for s in shards]
    merged = written(merge(bundles), tmp_path / "merged")
    single = written(one_run([p for s in shards for p in s]), tmp_path / "single")
    assert merged.keys() == single.keys()
    assert [k for k in merged if merged[k] != single[k]] == []
    # The corners were reached: a lengthened fragment name, accented variants, chunks.
    assert any(len(k) > len("fragment/en_1234567.pf_fragment") for k in merged)
    assert sum(k.startswith("index/") for k in merged) >= 4
    # Words prepared ahead (as the shard cache keeps them) join to the same bytes;
    # a shard whose meta keys are not the merged ones is prepared again.
    ready = [prepare(b) for b in bundles]
    before = list(ready)
    assert merge(bundles, ready) == merge(bundles)
    assert [now is was for now, was in zip(ready, before, strict=True)] == [False, True, True]


def test_fixture_in_shards_is_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    assert build_to(FIXTURE, site, "--no-search").code == 0
    shards: list[Bundle] = []
    monkeypatch.setattr(search, "SHARD_PAGES", 3)
    monkeypatch.setattr(
        search, "merge", lambda parts, ready: shards.extend(parts) or merge(parts, ready)
    )
    search.index_site(site)
    assert len(shards) == 7
    got = written(tree(site / "pagefind"), tmp_path / "got")
    order = [url for shard in shards for url in page_urls(shard)]
    pages = [(url, (site / url.lstrip("/") / "index.html").read_text()) for url in order]
    config = {"exclude_selectors": list(search.INTERFACE)}
    single = written(one_run(pages, config), tmp_path / "one")
    assert got.keys() == single.keys()
    assert [k for k in got if got[k] != single[k]] == []


def test_damaged_shard_is_a_clear_error() -> None:
    shards = [one_run(s) for s in synthetic()[:2]]
    index = next(k for k in shards[1] if k.startswith("index/"))
    shards[1][index] = compress(cbor2.dumps({"not": "a word index"}))
    with pytest.raises(WegoError, match="word index.*Pagefind's format"):
        merge(shards)


def page_urls(files: Bundle) -> list[str]:
    """The URLs of a bundle's pages, in page order."""
    entry = json.loads(files["pagefind-entry.json"])
    urls = []
    for info in entry["languages"].values():
        meta_file = cbor2.loads(gzip.decompress(files[f"pagefind.{info['hash']}.pf_meta"])[12:])
        for hash_, _ in meta_file[1]:
            fragment = gzip.decompress(files[f"fragment/{hash_}.pf_fragment"])[12:]
            urls.append(json.loads(fragment)["url"])
    return urls
