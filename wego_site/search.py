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
  more time (7.7 s against 6.3 s; the merge re-encodes the word index in
  Python, and each shard builds and gzips a word index that is thrown away).

The service is driven by :mod:`wego_site.search_service`. Pagefind writes
filters in hash-map order; the merge writes them sorted and
:func:`wego_site.search_canon.canonicalise` then checks (or rewrites) them, so
the same pages give the same bytes.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import WegoError
from .search_canon import canonicalise
from .search_merge import Bundle, merge
from .search_service import Service

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
WORKERS = max(1, min(2, os.cpu_count() or 1))

_LANG = re.compile(rb"""<html\b[^>]*?\slang\s*=\s*["']?([^"'\s>]*)""", re.I)
_GLOB_SPECIAL = re.compile(r"([\\{}\[\]*?,()<>!:])")


def index_site(site: Path) -> None:
    """Index ``site`` into ``site/pagefind``; raise WegoError if it fails."""
    config = {"exclude_selectors": list(INTERFACE)}
    bundle = site / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    shards = _shards(site)
    if shards is None:
        with Service(config) as service:  # as the pagefind command, writing its own files
            service.call({"type": "AddDir", "path": str(site.resolve()), "glob": GLOB})
            service.call({"type": "WriteFiles", "output_path": str(bundle.resolve())})
    else:
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(shards))) as pool:
            parts = list(pool.map(lambda rels: _index(site, rels, config), shards))
        files = merge(parts)
        del parts
        for path, data in sorted(files.items()):
            target = bundle / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    canonicalise(bundle)
    if '"languages":{}' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8"):
        raise WegoError("search index failed: no page has a data-pagefind-body to index")


def _shards(site: Path) -> list[list[str]] | None:
    """Runs of consecutive indexed pages, or None to index the site in one run.

    One run where the site is small, and where shards could index differently
    from one run: a page without ``<html lang>`` or in another language (one
    run files them under the main language), sort keys (not merged), or no
    ``data-pagefind-body`` at all (one run then indexes whole pages).
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
