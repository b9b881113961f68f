"""Make Pagefind's filter index byte-identical across builds.

Pagefind 1.5.2 keeps filters in hash maps and writes them in hash-map order:
the values inside each ``filter/*.pf_filter`` file (and, in general, the filter
and sort lists of ``pagefind.*.pf_meta``) come out in a different order on
every run. The files are named after a hash of their bytes, so the names
change too, and with them the meta file that lists them and
``pagefind-entry.json`` that names the meta file. Nothing else Pagefind writes
varies.

:func:`canonicalise` rewrites just those files, after Pagefind has run, the
way Pagefind would have written them had it used sorted maps: it decodes each
file (gzip, the ``pagefind_dcd`` signature, then CBOR), sorts the lists whose
order Pagefind leaves arbitrary, re-encodes the same CBOR shape, gzips it
deterministically and renames it by Pagefind's own rule (``<lang>_`` plus a
prefix of the unpadded SHA-1 hex of the CBOR, see ``full_hash`` in
``pagefind/src/utils.rs``), then updates every reference to a renamed file.
Pagefind's reader loads filter values into a ``BTreeMap`` and pages into a
bit set and does not check hashes, so the rewrite changes no search result.

Every file is checked first against what we know of the format: gzip with the
signature, CBOR that re-encodes to the same bytes, the expected shape, and
names that match their hashes. Anything else (a future Pagefind) raises
:class:`WegoError` rather than leaving a half-understood index behind.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, NoReturn

import cbor2

from .errors import WegoError
from .walk import walk

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
#: Hex digits of the hash in a filter file's name (more only on a collision).
FILTER_HASH_LEN = 7


def canonical(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """A bundle's files (path inside it -> bytes) with the filter files, meta
    files and entry rewritten in sorted order; the other files as they were."""
    out = dict(files)

    def read(rel: str) -> tuple[PurePosixPath, bytes]:
        path = PurePosixPath(rel)
        raw = files.get(rel)
        if raw is None:
            _fail(path, "missing")
        return path, decompress(path, raw)

    entry = load_entry(PurePosixPath(ENTRY), files.get(ENTRY))
    removed: set[str] = set()
    written: dict[str, bytes] = {}
    for lang in sorted(entry["languages"]):
        info = entry["languages"][lang]
        old_hash = info["hash"]
        meta_rel = f"pagefind.{old_hash}.pf_meta"
        meta_path, meta_cbor = read(meta_rel)
        if meta_name(lang, meta_cbor) != old_hash:
            _fail(meta_path, "its name is not the hash Pagefind 1.5 gives its content")
        meta = _decode(meta_path, meta_cbor)
        _check_meta(meta_path, meta)

        taken: set[str] = set()
        filters: list[list[str]] = []
        for name, filter_hash in sorted(meta[3]):
            rel = f"filter/{filter_hash}.pf_filter"
            path, data = read(rel)
            index = _decode(path, data)
            full = f"{lang}_{full_hash(data)}"
            if not (
                full.startswith(filter_hash) and len(filter_hash) > len(lang) + FILTER_HASH_LEN
            ):
                _fail(path, "its name is not the hash Pagefind 1.5 gives its content")
            new = canonical_filter(path, name, index)
            new_hash = filter_name(lang, new, taken)
            taken.add(new_hash)
            filters.append([name, new_hash])
            removed.add(rel)
            written[f"filter/{new_hash}.pf_filter"] = new

        meta[3] = filters
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        new_meta = cbor2.dumps(meta)
        info["hash"] = meta_name(lang, new_meta)
        removed.add(meta_rel)
        written[f"pagefind.{info['hash']}.pf_meta"] = new_meta

    entry["languages"] = {lang: entry["languages"][lang] for lang in sorted(entry["languages"])}
    for rel in removed.difference(written):
        del out[rel]
    for rel, data in written.items():
        out[rel] = compress(data)
    out[ENTRY] = dump_entry(entry).encode("utf-8")
    return out


def canonicalise(bundle: Path) -> None:
    """:func:`canonical` for the bundle in the folder ``bundle``, rewritten in place."""
    files = {rel: Path(e.path).read_bytes() for rel, e in walk(bundle, strict=True) if e.is_file()}
    new = canonical(files)
    for rel in files.keys() - new.keys():
        (bundle / rel).unlink()
    for rel, data in new.items():
        if files.get(rel) != data:
            (bundle / rel).write_bytes(data)


def is_filter_index(index: Any, name: str) -> bool:
    """Whether ``index`` has the shape of Pagefind 1.5's filter file for ``name``:
    ``[name, [[value, [page, ...]], ...]]``."""
    return (
        isinstance(index, list)
        and len(index) == 2
        and index[0] == name
        and isinstance(index[1], list)
        and all(
            isinstance(v, list)
            and len(v) == 2
            and isinstance(v[0], str)
            and isinstance(v[1], list)
            and all(isinstance(p, int) and p >= 0 for p in v[1])
            for v in index[1]
        )
    )


def canonical_filter(path: PurePath, name: str, index: Any) -> bytes:
    """The CBOR of one filter file with values sorted and each page list ascending."""
    if not is_filter_index(index, name):
        _fail(path, f"not a Pagefind 1.5 filter index for {name!r}")
    values = sorted([value, sorted(pages)] for value, pages in index[1])
    if len({value for value, _ in values}) != len(values):
        _fail(path, "a filter value is listed twice")
    return cbor2.dumps([name, values])


def full_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1, each byte as lowercase hex *without* padding."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


def meta_name(lang: str, data: bytes) -> str:
    """The hash naming a meta file, ``pagefind.<this>.pf_meta`` (``build_indexes``)."""
    return f"{lang}_{full_hash(data)[: len(lang) + 8]}"


def filter_name(lang: str, data: bytes, taken: set[str]) -> str:
    """The hash naming a filter file, lengthened as Pagefind does while it is ``taken``."""
    full = f"{lang}_{full_hash(data)}"
    short = full[: len(lang) + FILTER_HASH_LEN + 1]
    while short in taken:
        short = full[: len(short) + 2]
        if len(short) >= len(full):
            break
    return short


def compress(data: bytes, level: int = 9) -> bytes:
    """Gzip ``SIGNATURE + data`` with Pagefind's fixed header: no time, no name, OS unknown.

    ``GzipFile`` rather than ``gzip.compress``, whose header (the OS byte) differs
    between Python versions. Pagefind uses level 9; :mod:`search_merge` writes
    the word index at 6 (a third of the time, 1.4 % larger).
    """
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=level, fileobj=buf, mtime=0) as gz:
        gz.write(SIGNATURE + data)
    return buf.getvalue()


def decompress(path: PurePath, raw: bytes) -> bytes:
    """The CBOR inside a Pagefind file, or WegoError."""
    try:
        data = gzip.decompress(raw)
    except (OSError, EOFError, zlib.error):
        _fail(path, "not gzip-compressed")
    if not data.startswith(SIGNATURE):
        _fail(path, f"missing the {SIGNATURE.decode()} signature")
    return data[len(SIGNATURE) :]


def dump_entry(entry: dict[str, Any]) -> str:
    """``pagefind-entry.json`` as Pagefind writes it (``serde_json::to_string``)."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def load_entry(path: PurePosixPath, raw: bytes | None) -> dict[str, Any]:
    """The entry file ``pagefind-entry.json``, checked: JSON in Pagefind's own form."""
    if raw is None:
        _fail(path, "missing")
    try:
        text = raw.decode("utf-8")
        entry = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        _fail(path, "not JSON")
    ok = (
        isinstance(entry, dict)
        and isinstance(entry.get("languages"), dict)
        and all(
            isinstance(info, dict)
            and isinstance(info.get("hash"), str)
            and info["hash"].startswith(f"{lang}_")
            for lang, info in entry["languages"].items()
        )
    )
    if not ok or dump_entry(entry) != text:
        _fail(path, "not a Pagefind 1.5 entry file")
    return entry


def _check_meta(path: PurePath, meta: Any) -> None:
    ok = (
        isinstance(meta, list)
        and len(meta) == 6
        and isinstance(meta[3], list)
        and all(
            isinstance(f, list) and len(f) == 2 and all(isinstance(s, str) for s in f)
            for f in meta[3]
        )
        and len({f[0] for f in meta[3]}) == len(meta[3])
        and isinstance(meta[4], list)
        and all(isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) for s in meta[4])
        and len({s[0] for s in meta[4]}) == len(meta[4])
    )
    if not ok:
        _fail(path, "not a Pagefind 1.5 meta index")


def _decode(path: PurePath, data: bytes) -> Any:
    """Decode CBOR, insisting it re-encodes to the very same bytes."""
    try:
        value = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError):
        _fail(path, "not CBOR")
    if cbor2.dumps(value) != data:
        _fail(path, "CBOR in an unexpected encoding")
    return value


def _fail(path: PurePath, why: str) -> NoReturn:
    raise WegoError(
        f"search index: cannot make pagefind/{path.as_posix()} reproducible: {why} "
        "(has Pagefind's format changed?)"
    )
