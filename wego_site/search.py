"""Site search: a Pagefind index of the built site.

Pagefind (``pagefind[bin]`` from PyPI) indexes the pages marked
``data-pagefind-body`` (events, projects, members, free pages) at the end of a
build, into ``pagefind/`` inside the staged output, so a failed index never
reaches the live folder. Pagefind writes its filter files in hash-map order, so
:func:`wego_site.search_canon.canonicalise` then rewrites them (and the files
naming them) in sorted order: the same pages give the same bytes. Filters
(type, region, sector, year) and result metadata come from
``<meta data-pagefind-filter/meta>`` tags the templates write.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import WegoError
from .search_canon import canonicalise

BUNDLE = "pagefind"
#: Only the pages that can hold an indexed body are read: entity pages and
#: top-level pages, not the (large) filter pages of the catalog and calendar.
GLOB = "{events/*/*/index.html,projects/*/index.html,members/*/index.html,*/index.html}"


def index_site(site: Path) -> None:
    """Run Pagefind over ``site``; raise WegoError if it fails."""
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE,
        "--glob",
        GLOB,
        "--silent",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WegoError(f"search index failed: {exc}") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        hint = (
            " (is pagefind[bin] installed? run make install)" if "No module" in proc.stderr else ""
        )
        raise WegoError("search index failed" + hint + ": " + " / ".join(detail))
    canonicalise(site / BUNDLE)
