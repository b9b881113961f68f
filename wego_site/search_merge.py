"""Join Pagefind indexes of consecutive runs of pages into the index of all of them.

Pagefind builds its whole index in memory, about 0.11 MB a page at its peak
(770 MB for the 6,700 pages of the 4,000-event benchmark), and builds and
compresses it on one core. :mod:`wego_site.search` therefore indexes the pages
in shards (runs of consecutive pages, each in its own Pagefind process, two at
a time), and :func:`merge` writes what one Pagefind run over all the pages, in
the same order, would have written (modulo gzip, whose bytes are ours for the
files rebuilt here). Page ``n`` of shard ``s`` becomes page ``offset[s] + n``.
Per language, in the Pagefind 1.5 format (see also :mod:`search_canon`):

* ``fragment/*.pf_fragment``: one per page, untouched; only a name that two
  shards both gave is lengthened, as Pagefind lengthens a colliding name.
* ``filter/*.pf_filter`` (CBOR ``[name, [[value, [page, ...]], ...]]``): the
  values' pages joined, written sorted (the form ``canonicalise`` gives).
* ``index/*.pf_index`` (CBOR ``[[word, pages, variants], ...]]`` sorted by
  word): the words of all shards merged in order. ``pages`` is
  ``[[page delta, locs, meta locs], ...]``, the page numbers delta-encoded;
  ``variants`` lists ``[form, pages]`` for the accented forms of the word, in
  order of first page. Meta locs name meta fields by their index in the sorted
  list of all meta keys, so they are renumbered. Words are cut into chunks as
  Pagefind cuts them: a chunk ends once it holds 20,000 locations (a page of
  a word counts ``len(locs) + len(meta locs) + 1``); each chunk's first and
  last word are shortened to the prefixes that tell neighbours apart (the
  last word stays whole where its prefix would sort before the chunk's first).
* ``pagefind.*.pf_meta``: ``[version, [[fragment, word count], ...], chunks,
  filters, sorts, meta keys]``; and ``pagefind-entry.json`` naming it.

Decoding and re-encoding the word index was most of a merge's time (2 of
2.6 s at 4,000 events), so each shard's words are first *prepared*
(:func:`prepare`, beside the next shard's Pagefind run, and kept with the
shard in the build cache): per word, its size in locations and its pages cut
into the one thing a merge changes (the first page's delta) and the CBOR of
the rest, which the merge copies. A merge of cached shards then joins bytes
(0.5 s at 4,000 events); the result is what ``cbor2.dumps`` writes for the
joined lists, byte for byte (cbor2 writes the shortest heads, as :func:`_head`).

Sort keys (``data-pagefind-sort``) are not merged: :class:`Unmergeable` asks
for one shard. Anything not in the expected shape raises :class:`WegoError`.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any, NoReturn

import cbor2

from .errors import WegoError
from .search_canon import (
    ENTRY,
    compress,
    decompress,
    dump_entry,
    filter_name,
    full_hash,
    is_filter_index,
    load_entry,
    meta_name,
)

#: Locations in one word index chunk (``chunk_index(word_map, 20000)``).
CHUNK_SIZE = 20000
#: Gzip level of the word index chunks written here (Pagefind's 9 takes 3x as long).
INDEX_LEVEL = 6

Bundle = dict[str, bytes]


class Unmergeable(Exception):
    """These shards cannot be joined (they use sort keys): index in one piece."""


#: A shard's words made ready to join, per language and meta-key renumbering
#: (see :func:`prepare`): ``{"lang remap": [[word, size, run, [[form, *run], ...]], ...]}``
#: where a run of pages is ``[count, span, first page, CBOR of the others]``.
Prepared = dict[str, list[list[Any]]]


def prepare(shard: Bundle) -> Prepared:
    """The words of every language of ``shard``, ready for :func:`merge` to join
    without decoding them again (meta keys as the shard numbers them)."""
    entry = _entry(shard)
    out: Prepared = {}
    for lang, info in entry["languages"].items():
        meta = _load(shard, f"pagefind.{info['hash']}.pf_meta", check=True)
        _check_meta(f"pagefind.{info['hash']}.pf_meta", meta)
        out[_key(lang, None)] = _prepared(shard, meta, None)
    return out


def _key(lang: str, remap: list[int] | None) -> str:
    return f"{lang} {remap}"


def _prepared(shard: Bundle, meta: Any, remap: list[int] | None) -> list[list[Any]]:
    """One language's words: each word's pages cut into what a merge changes
    (the first page's delta) and what it copies (the CBOR of the rest)."""
    words = []
    try:
        for word, pages, variants in _stream(shard, meta):
            if remap is not None:
                for p in itertools.chain(pages, *(v for _, v in variants)):
                    if p[2]:
                        p[2] = [remap[-x - 1] if x < 0 else x for x in p[2]]
            size = sum(len(p[1]) + len(p[2]) + 1 for p in pages)
            words.append([word, size, _run(pages), [[form, *_run(v)] for form, v in variants]])
    except (TypeError, IndexError, ValueError):
        _fail("index/", "a word index not in the Pagefind 1.5 format")
    return words


def _run(pages: list[list[Any]]) -> list[Any]:
    """``[count, span, first, rest]`` of delta-encoded ``pages`` (``span``: the last page)."""
    if not pages:
        return [0, 0, None, b""]
    rest = cbor2.dumps(pages[1:])[len(_head(len(pages) - 1)) :]
    return [len(pages), sum(p[0] for p in pages), pages[0], rest]


def _head(count: int) -> bytes:
    """The CBOR head of an array of ``count`` items (the shortest form, as cbor2 writes)."""
    if count < 24:
        return bytes([0x80 + count])
    for code, size in ((0x98, 1), (0x99, 2), (0x9A, 4), (0x9B, 8)):
        if count < 256**size:
            return bytes([code]) + count.to_bytes(size, "big")
    raise ValueError(count)  # pragma: no cover - beyond 64 bits


class _Run:
    """The pages of one word (or one variant form), joined across shards as CBOR."""

    __slots__ = ("parts", "count", "last")

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.count = 0
        self.last = 0

    def add(self, run: list[Any], offset: int) -> None:
        count, span, first, rest = run
        if count:
            self.parts += (cbor2.dumps([first[0] + offset - self.last, *first[1:]]), rest)
            self.count += count
            self.last = offset + span

    def cbor(self) -> bytes:
        return _head(self.count) + b"".join(self.parts)


class _Word:
    """One word's pages and variants, joined across shards as they come."""

    __slots__ = ("word", "size", "pages", "variants")

    def __init__(self, word: str) -> None:
        self.word = word
        self.size = 0
        self.pages = _Run()
        self.variants: dict[str, _Run] = {}

    def add(self, entry: list[Any], offset: int) -> None:
        self.size += entry[1]
        self.pages.add(entry[2], offset)
        for form, *run in entry[3]:
            self.variants.setdefault(form, _Run()).add(run, offset)

    def cbor(self) -> bytes:
        """``[word, pages, [[form, pages], ...]]`` as ``cbor2.dumps`` writes it."""
        variants = [_head(2) + cbor2.dumps(f) + r.cbor() for f, r in self.variants.items()]
        return (
            _head(3)
            + cbor2.dumps(self.word)
            + self.pages.cbor()
            + _head(len(variants))
            + b"".join(variants)
        )


def merge(shards: list[Bundle], prepared: list[Prepared] | None = None) -> Bundle:
    """The bundle of all shards' pages, shard after shard.

    ``prepared[i]``, where given, is shard ``i``'s :func:`prepare`; where it does
    not hold what this merge needs (other meta keys), it is replaced by what does.
    """
    entries = [_entry(shard) for shard in shards]
    first = entries[0]
    for entry in entries[1:]:
        if {k: v for k, v in entry.items() if k != "languages"} != {
            k: v for k, v in first.items() if k != "languages"
        } or entry["languages"].keys() != first["languages"].keys():
            _fail(ENTRY, "shards of different Pagefind versions or languages")
    out: Bundle = {path: data for path, data in shards[0].items() if _static(path)}
    for shard in shards[1:]:
        for path, data in shard.items():
            if _static(path) and out.get(path) != data:
                _fail(path, "differs between shards")
    languages = {}
    for lang in sorted(first["languages"]):
        info = dict(first["languages"][lang])
        info["hash"], info["page_count"] = _merge_language(lang, shards, entries, prepared, out)
        languages[lang] = info
    out[ENTRY] = dump_entry({**first, "languages": languages}).encode("utf-8")
    return out


def _merge_language(
    lang: str,
    shards: list[Bundle],
    entries: list[dict[str, Any]],
    prepared: list[Prepared] | None,
    out: Bundle,
) -> tuple[str, int]:
    """Write the fragments, filters, words and meta of ``lang``; its meta hash and pages."""
    metas: list[Any] = []
    for shard, entry in zip(shards, entries, strict=True):
        name = f"pagefind.{entry['languages'][lang]['hash']}.pf_meta"
        meta = _load(shard, name, check=True)
        _check_meta(name, meta)
        if metas and meta[0] != metas[0][0]:
            _fail(name, "shards of different Pagefind versions")
        if len(shards) > 1 and meta[4]:
            raise Unmergeable(name)
        if entry["languages"][lang].get("page_count") != len(meta[1]):
            _fail(name, "its page count is not the entry's")
        metas.append(meta)

    offsets = [sum(len(m[1]) for m in metas[:i]) for i in range(len(metas))]
    pages = _fragments(lang, shards, metas, out)
    keys = sorted({key for meta in metas for key in meta[5]})
    remaps = [None if meta[5] == keys else [-keys.index(k) - 1 for k in meta[5]] for meta in metas]

    filters = _filters(lang, shards, metas, offsets, out)
    chunks = _words(lang, shards, metas, offsets, remaps, prepared, out)
    sorts = sorted(metas[0][4], key=lambda sort: sort[0])
    meta_cbor = cbor2.dumps([metas[0][0], pages, chunks, filters, sorts, keys])
    hash_ = meta_name(lang, meta_cbor)
    out[f"pagefind.{hash_}.pf_meta"] = compress(meta_cbor)
    return hash_, len(pages)


def _fragments(lang: str, shards: list[Bundle], metas: list[Any], out: Bundle) -> list[list[Any]]:
    """Copy every page's fragment, named as one Pagefind run names it; the page list."""
    names = [hash_ for meta in metas for hash_, _ in meta[1]]
    short = len(lang) + 8
    if len(set(names)) == len(names) and all(len(n) == short for n in names):
        fulls: list[str | None] = [None] * len(names)  # no collision: the names stand
    else:
        fulls = [
            f"{lang}_{full_hash(_unzip(f'fragment/{h}.pf_fragment', _get(s, h)))}"
            for s, meta in zip(shards, metas, strict=True)
            for h, _ in meta[1]
        ]
    taken: dict[str, str] = {}
    pages: list[list[Any]] = []
    i = 0
    for shard, meta in zip(shards, metas, strict=True):
        for hash_, count in meta[1]:
            raw, full = _get(shard, hash_), fulls[i]
            i += 1
            name = hash_
            if full is not None:
                if not full.startswith(hash_):
                    _fail(f"fragment/{hash_}.pf_fragment", "its name is not its hash")
                name = full[:short]
                while name in taken:
                    if taken[name] == full or len(name) >= len(full):
                        _fail(f"fragment/{hash_}.pf_fragment", "two pages have the same fragment")
                    name = full[: len(name) + 1]
                taken[name] = full
            out[f"fragment/{name}.pf_fragment"] = raw
            pages.append([name, count])
    return pages


def _get(shard: Bundle, hash_: str) -> bytes:
    raw = shard.get(f"fragment/{hash_}.pf_fragment")
    if raw is None:
        _fail(f"fragment/{hash_}.pf_fragment", "missing")
    return raw


def _filters(
    lang: str, shards: list[Bundle], metas: list[Any], offsets: list[int], out: Bundle
) -> list[list[str]]:
    """Join each filter's values and pages; the sorted list of filter files."""
    values: dict[str, dict[str, list[int]]] = {}
    for shard, meta, offset in zip(shards, metas, offsets, strict=True):
        for name, hash_ in meta[3]:
            path = f"filter/{hash_}.pf_filter"
            index = _load(shard, path, check=True)
            if not is_filter_index(index, name):
                _fail(path, f"not a Pagefind 1.5 filter index for {name!r}")
            known = values.setdefault(name, {})
            for value, pages in index[1]:
                known.setdefault(value, []).extend(p + offset for p in pages)
    listed: list[Any] = []
    taken: set[str] = set()
    for name in sorted(values):
        cbor = cbor2.dumps([name, sorted([v, sorted(p)] for v, p in values[name].items())])
        hash_ = filter_name(lang, cbor, taken)
        taken.add(hash_)
        out[f"filter/{hash_}.pf_filter"] = compress(cbor)
        listed.append([name, hash_])
    return listed


def _words(
    lang: str,
    shards: list[Bundle],
    metas: list[Any],
    offsets: list[int],
    remaps: list[list[int] | None],
    prepared: list[Prepared] | None,
    out: Bundle,
) -> list[list[str]]:
    """Merge the word indexes of the shards; the list of chunks ``[from, to, file]``."""
    lists = []
    for i, (shard, meta, remap) in enumerate(zip(shards, metas, remaps, strict=True)):
        key = _key(lang, remap)
        ready = prepared[i].get(key) if prepared is not None else None
        if ready is None:
            ready = _prepared(shard, meta, remap)
            if prepared is not None:  # a new dict: the caller sees it changed
                kept = {k: v for k, v in prepared[i].items() if not k.startswith(f"{lang} ")}
                prepared[i] = {**kept, key: ready}
        lists.append(ready)
    chunks: list[list[str]] = []
    taken: set[str] = set()
    chunk: list[tuple[str, bytes]] = []
    size = 0
    zipper = ThreadPoolExecutor(max_workers=2)  # gzip runs beside the merge (no GIL)
    zipped: dict[str, Future[bytes]] = {}

    def flush() -> None:
        nonlocal chunk, size
        cbor = _head(1) + _head(len(chunk)) + b"".join(data for _, data in chunk)
        hash_ = filter_name(lang, cbor, taken)  # the same lengthening rule
        taken.add(hash_)
        zipped[f"index/{hash_}.pf_index"] = zipper.submit(compress, cbor, INDEX_LEVEL)
        chunks.append([chunk[0][0], chunk[-1][0], hash_])
        chunk, size = [], 0

    def emit(word: _Word) -> None:
        nonlocal size
        chunk.append((word.word, word.cbor()))
        size += word.size
        if size >= CHUNK_SIZE:
            flush()

    current: _Word | None = None
    streams = [_tagged(i, words) for i, words in enumerate(lists)]
    for word, i, entry in heapq.merge(*streams):
        if current is None or current.word != word:
            if current is not None:
                emit(current)
            current = _Word(word)
        current.add(entry, offsets[i])
    if current is not None:
        emit(current)
    if chunk:
        flush()
    with zipper:
        out.update((path, job.result()) for path, job in zipped.items())
    for a, b in zip(chunks, chunks[1:], strict=False):
        to, b[0] = _prefixes(a[1], b[0])
        if to >= a[0]:  # else the chunk would end before it starts: Pagefind keeps the word
            a[1] = to
    return chunks


def _tagged(i: int, words: list[list[Any]]) -> Iterator[tuple[str, int, list[Any]]]:
    return ((entry[0], i, entry) for entry in words)


def _stream(shard: Bundle, meta: Any) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """The words of one shard's index, in order, as ``(word, pages, variants)``."""
    previous = None
    for _, _, hash_ in meta[2]:
        path = f"index/{hash_}.pf_index"
        index = _load(shard, path)
        if not (isinstance(index, list) and len(index) == 1 and isinstance(index[0], list)):
            _fail(path, "not a Pagefind 1.5 word index")
        for entry in index[0]:
            ok = (
                isinstance(entry, list)
                and len(entry) == 3
                and isinstance(entry[0], str)
                and isinstance(entry[1], list)
                and isinstance(entry[2], list)
                and (previous is None or entry[0] > previous)
            )
            if not ok:
                _fail(path, "not a Pagefind 1.5 word index")
            previous = entry[0]
            yield entry[0], entry[1], entry[2]


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's ``get_prefixes``: both words cut one past their common prefix."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _static(path: str) -> bool:
    """A file every shard writes alike (the scripts, styles and WebAssembly)."""
    return not (
        path == ENTRY
        or path.endswith(".pf_meta")
        or path.startswith(("fragment/", "index/", "filter/"))
    )


def _entry(shard: Bundle) -> dict[str, Any]:
    return load_entry(PurePosixPath(ENTRY), shard.get(ENTRY))


def _check_meta(path: str, meta: Any) -> None:
    ok = (
        isinstance(meta, list)
        and len(meta) == 6
        and isinstance(meta[0], str)
        and isinstance(meta[1], list)
        and all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], int)
            for p in meta[1]
        )
        and isinstance(meta[2], list)
        and all(
            isinstance(c, list) and len(c) == 3 and all(isinstance(s, str) for s in c)
            for c in meta[2]
        )
        and isinstance(meta[3], list)
        and all(
            isinstance(f, list) and len(f) == 2 and all(isinstance(s, str) for s in f)
            for f in meta[3]
        )
        and isinstance(meta[4], list)
        and isinstance(meta[5], list)
        and all(isinstance(k, str) for k in meta[5])
        and meta[5] == sorted(set(meta[5]))
    )
    if not ok:
        _fail(path, "not a Pagefind 1.5 meta index")


def _load(shard: Bundle, path: str, check: bool = False) -> Any:
    raw = shard.get(path)
    if raw is None:
        _fail(path, "missing")
    data = _unzip(path, raw)
    try:
        value = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError):
        _fail(path, "not CBOR")
    if check and cbor2.dumps(value) != data:
        _fail(path, "CBOR in an unexpected encoding")
    return value


def _unzip(path: str, raw: bytes) -> bytes:
    return decompress(PurePosixPath(path), raw)


def _fail(path: str, why: str) -> NoReturn:
    raise WegoError(
        f"search index: cannot join the shards' {path}: {why} (has Pagefind's format changed?)"
    )
