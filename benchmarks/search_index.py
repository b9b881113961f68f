"""Time the search index alone over a built site (no cache): its cold cost.

    python -m benchmarks.search_index SITE [SHARD_PAGES]

Build the site first (``python build.py build --no-search --out SITE``), then
compare two versions or shard sizes side by side with farm-bench, e.g.
``farm-bench -n 3 --vs "python -m benchmarks.search_index SITE 1000" --
python -m benchmarks.search_index SITE 500``. Prints the seconds taken.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from wego_site import search


def main(argv: list[str]) -> None:
    site = Path(argv[0])
    if len(argv) > 1:
        search.SHARD_PAGES = int(argv[1])
    started = time.perf_counter()
    search.index(site, None)
    print(f"{time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
