"""Site search: a Pagefind index of the built site.

Pagefind (``pagefind[bin]`` from PyPI) indexes the pages marked
``data-pagefind-body`` (events, projects, members, free pages) at the end of a
build, into ``pagefind/`` inside the staged output, so a failed index never
reaches the live folder. Filters (type, region, sector, year) and result
metadata come from ``<meta data-pagefind-filter/meta>`` tags the templates
write. Interface text inside the indexed element (calendar links, timing
badges, the templates' section headings: :data:`INTERFACE`) is left out with
Pagefind's ``exclude_selectors``, so it is neither found nor quoted.

What costs is Pagefind's own work, not the HTML: it tokenises and stems every
indexed word (2.45 million at 4,000 events), then holds the whole index in
memory, about 0.11 MB a page at its peak (in building it, not in parsing),
and builds and gzips it on one core. Sending it only the indexed fragment of
each page saves it little and costs Python more than it saves. So:

* up to :data:`SHARD_PAGES` pages, one Pagefind process reads the folder, as
  the ``pagefind`` command does (same time, same index);
* above, the pages are indexed in shards of at most :data:`SHARD_PAGES`
  consecutive pages, one Pagefind process each, :data:`WORKERS` at a time, and
  :func:`wego_site.search_merge.merge` joins the shards' indexes into the one a
  single run would write. At 4,000 events (6,724 pages, two cores) no process
  then exceeds about 170 MB, where one run peaks at 730 MB, for about 25 %
  more time (7.7 s against 6.3 s, measured before the merge joined prepared
  bytes; each shard builds and gzips a word index that is thrown away).

Shards are kept in the build cache (``.wego-cache/search/``) by a hash of
their pages' bytes, Pagefind's binary and the configuration, so a rebuild
indexes again only the shards holding a changed page, and merges (4,000
events, one body edited: the index in ~2.4 s, of which ~1.2 s is Pagefind
indexing the changed shard, against ~11 s cold). A body patch
(:mod:`wego_site.rebuild.patch`) updates ``pagefind/`` in place with
:func:`update_site`.

The service is driven by :mod:`wego_site.search_service`. Pagefind writes
filters in hash-map order; the merge writes them sorted and
:func:`wego_site.search_canon.canonicalise` then checks (or rewrites) them, so
the same pages give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from .errors import WegoError
from .search_canon import ENTRY, canonical
from .search_merge import Bundle, Prepared, merge, prepare
from .search_service import Service, executable
from .walk import walk
from .writer import read_checked, write_atomic, write_checked

BUNDLE = "pagefind"
#: Only the pages that can hold an indexed body are read: entity pages and
#: top-level pages, not the (large) filter pages of the catalog and calendar.
GLOB = "{events/*/*/index.html,projects/*/index.html,members/*/index.html,*/index.html}"
#: Interface text inside the indexed element, left out of the index: calendar
#: download and subscribe links, "Past/Upcoming" badges, decorative
#: separators, and the section headings the templates add ("Related
#: projects", "Roles in WeGO", "Events", ...).
INTERFACE = (
    'a[href$=".ics"]',
    "[data-timing]",
    '[aria-hidden="true"]',
    ".event-page > h2",
    ".member > h2",
    ".project > h2",
)
#: Most pages one Pagefind process indexes (about 170 MB at its peak), and
#: processes at a time.
SHARD_PAGES = 1000
#: Bump when what a cached shard holds changes.
SHARD_FORMAT = 2
WORKERS = max(1, min(2, os.cpu_count() or 1))

_LANG = re.compile(rb"""<html\b[^>]*?\slang\s*=\s*["']?([^"'\s>]*)""", re.I)
_GLOB_SPECIAL = re.compile(r"([\\{}\[\]*?,()<>!:])")


def index(site: Path, cache: Path | None = None) -> Bundle:
    """The search index of ``site``: every file of its ``pagefind/`` folder, by
    path inside it. With ``cache``, shards whose pages are byte for byte as
    before are taken from there instead of being indexed again."""
    config = {"exclude_selectors": list(INTERFACE)}
    digests: dict[str, str] = {}
    shards = _shards(site, digests)
    if shards is None:
        with Service(config) as service:  # as the pagefind command reads a folder
            service.call({"type": "AddDir", "path": str(site.resolve()), "glob": GLOB})
            files = service.get_files()
    else:
        store = _ShardStore(cache, config)
        keys = [store.key(rels, digests) for rels in shards]

        def shard(i: int) -> tuple[Bundle, Prepared]:
            found = store.get(keys[i])
            if found is None:
                files = _index(site, shards[i], config)
                found = files, prepare(files)  # beside the next shard's Pagefind
                store.put(keys[i], *found)
            return found

        with ThreadPoolExecutor(max_workers=min(WORKERS, len(shards))) as pool:
            parts = list(pool.map(shard, range(len(shards))))
        store.keep(keys)
        ready = [words for _, words in parts]
        files = merge([files for files, _ in parts], ready)
        for key, (bundle, words), now in zip(keys, parts, ready, strict=True):
            if now is not words:  # prepared again for other meta keys
                store.put(key, bundle, now)
        del parts, ready
    files = canonical(files)
    if '"languages":{}' in files[ENTRY].decode("utf-8"):
        raise WegoError("search index failed: no page has a data-pagefind-body to index")
    return files


def index_site(site: Path, cache: Path | None = None) -> None:
    """Index ``site`` into a new ``site/pagefind``; raise WegoError if it fails."""
    files = index(site, cache)
    bundle = site / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    for path, data in sorted(files.items()):
        target = bundle / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def update_site(
    site: Path, owned: frozenset[str], cache: Path | None = None
) -> tuple[list[str], list[str]]:
    """Bring ``site/pagefind`` up to date with ``site``'s pages, in place.

    Files are named by their content's hash, so new files are written first
    (each atomically), the entry file that points at them last, and files no
    longer used are removed after it (only those in ``owned``, the files the
    build wrote: anything else is someone else's): a reader loading the index
    meanwhile finds the old one or the new one whole. Returns the files
    written and removed, as paths inside ``site``.
    """
    files = index(site, cache)
    bundle = site / BUNDLE
    old = {rel for rel, entry in walk(bundle) if entry.is_file()}
    written = []
    for rel in sorted(files, key=lambda rel: rel == ENTRY):  # the entry last
        target = bundle / rel
        if rel in old and target.read_bytes() == files[rel]:
            continue
        write_atomic(target, files[rel])
        written.append(f"{BUNDLE}/{rel}")
    removed = sorted(rel for rel in old - files.keys() if f"{BUNDLE}/{rel}" in owned)
    for rel in removed:
        (bundle / rel).unlink()
    return written, [f"{BUNDLE}/{rel}" for rel in removed]


class _ShardStore:
    """Indexed shards kept in the build cache, by a hash of all that shapes them:
    Pagefind's binary, the configuration, and each page's path and bytes."""

    def __init__(self, cache: Path | None, config: Mapping[str, object]) -> None:
        self.folder = cache / "search" if cache is not None else None
        binary = executable()
        st = binary.stat()
        self._salt = json.dumps(
            [SHARD_FORMAT, str(binary), st.st_size, st.st_mtime_ns, config], sort_keys=True
        ).encode()

    def key(self, rels: list[str], digests: Mapping[str, str]) -> str:
        h = hashlib.blake2b(self._salt, digest_size=20)
        for rel in rels:
            h.update(f"\0{rel}\0{digests[rel]}".encode())
        return h.hexdigest()

    def get(self, key: str) -> tuple[Bundle, Prepared] | None:
        if self.folder is None:
            return None
        found = read_checked(self.folder / f"{key}.cbor")
        if found is None:
            return None
        try:
            files, words = cbor2.loads(found[1])
        except (cbor2.CBORDecodeError, ValueError, TypeError):  # pragma: no cover - checksummed
            return None
        ok = (
            isinstance(files, dict)
            and all(isinstance(k, str) and isinstance(v, bytes) for k, v in files.items())
            and isinstance(words, dict)
        )
        return (files, words) if ok else None

    def put(self, key: str, files: Bundle, words: Prepared) -> None:
        if self.folder is not None:
            try:
                write_checked(self.folder / f"{key}.cbor", cbor2.dumps([files, words]))
            except OSError:
                pass  # a cache that cannot be written is only slower

    def keep(self, keys: list[str]) -> None:
        """Remove the shards this build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = {f"{key}.cbor" for key in keys}
        for path in self.folder.iterdir():
            if path.name not in wanted:
                try:
                    path.unlink()
                except OSError:
                    pass


def _shards(site: Path, digests: dict[str, str]) -> list[list[str]] | None:
    """Runs of consecutive indexed pages, or None to index the site in one run.

    One run where the site is small, and where shards could index differently
    from one run: a page without ``<html lang>`` or in another language (one
    run files them under the main language), sort keys (not merged), or no
    ``data-pagefind-body`` at all (one run then indexes whole pages). Fills
    ``digests`` with a hash of each page read (the shard cache's keys).
    """
    pages = [
        p.relative_to(site).as_posix()
        for pattern in GLOB[1:-1].split(",")
        for p in site.glob(pattern)
    ]
    if len(pages) <= SHARD_PAGES:
        return None
    indexed, langs = [], set()
    for rel in sorted(set(pages)):
        try:
            html = (site / rel).read_bytes()
        except OSError as exc:
            raise WegoError(f"search index failed: cannot read {rel}: {exc}") from None
        if b"data-pagefind-sort" in html:
            return None
        digests[rel] = hashlib.blake2b(html, digest_size=20).hexdigest()
        if b"data-pagefind-body" in html:
            lang = _LANG.search(html, 0, 4096)
            langs.add(lang.group(1).lower() if lang else b"")
            indexed.append(rel)
    if len(langs) != 1 or b"" in langs or len(indexed) <= SHARD_PAGES:
        return None
    count = math.ceil(len(indexed) / SHARD_PAGES)
    size = math.ceil(len(indexed) / count)
    return [indexed[i : i + size] for i in range(0, len(indexed), size)]


def _glob(rels: list[str]) -> str:
    """A Pagefind (wax) glob matching exactly these files."""
    return "{" + ",".join(_GLOB_SPECIAL.sub(r"\\\1", rel) for rel in rels) + "}"


def _index(site: Path, rels: list[str], config: Mapping[str, object]) -> Bundle:
    """Index the pages ``rels`` of ``site`` in one Pagefind process; its files."""
    with Service(config) as service:
        found = service.call({"type": "AddDir", "path": str(site.resolve()), "glob": _glob(rels)})
        if found.get("page_count") != len(rels):
            raise WegoError(
                f"search index failed: Pagefind read {found.get('page_count')} of "
                f"{len(rels)} pages (from {rels[0]})"
            )
        return service.get_files()
