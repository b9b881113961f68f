"""The one folder walker: every file under a folder, sorted, links not followed.

The loader (content files), the rebuild scan (inputs and the output listing),
the writer (what a folder holds) and the search index (its own files) all
list folders through :func:`walk`, so they agree on order and on links: a
symbolic link, to a file or to a folder, is an entry of its own and is never
followed (the caller decides what a link means).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

Entry = os.DirEntry[str]


def walk(
    root: str | Path,
    skip: Callable[[str, Entry], bool] | None = None,
    folders: bool = False,
    strict: bool = False,
) -> list[tuple[str, Entry]]:
    """``(relative POSIX path, entry)`` of every file under ``root``, sorted by
    path; with ``folders``, of every folder too. An entry for which
    ``skip(path, entry)`` is true is left out, and a skipped folder is not
    entered. A folder that cannot be read is left out (a missing ``root``
    gives nothing), or with ``strict`` raises its ``OSError``."""
    found: list[tuple[str, Entry]] = []
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            if strict:
                raise
            continue
        for entry in listed:
            rel = prefix + entry.name
            if skip is not None and skip(rel, entry):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
                if folders:
                    found.append((rel, entry))
            else:
                found.append((rel, entry))
    found.sort(key=lambda pair: pair[0])
    return found


def hidden(rel: str, entry: Entry) -> bool:
    """A name starting with "." (editors' and tools' files and folders)."""
    return entry.name.startswith(".")
