"""The record of the last build of one output folder (in the cache folder).

Two checksummed files per ``--out``: a small *head* (enough to see that nothing
changed) and the *details* (per-file hashes, body spans in every output),
loaded only when needed.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bodies import SlotRecord
from ..options import BuildOptions
from ..writer import read_checked, write_checked

#: Bump when the state's meaning changes.
STATE_VERSION = "4"
#: Per content file: hash of its bytes, hash of its structural part, hash of
#: its body ("" for files without a body).
InputRecord = list[str]


@dataclass
class Head:
    """The small part of the record, enough to see that nothing changed."""

    structure: str  # everything that shapes the site
    content: str  # every content file's path and bytes
    content_part: str  # what of the content is structure (its share of ``structure``)
    listing: str  # every path, size, time and inode under --out
    files: int
    bytes: int
    pages: int
    base_url: str
    out: str  # the output folder this records
    details: str  # the checksum of the details file written with this head


@dataclass
class Details:
    """The rest: per-file hashes and body spans in every output."""

    inputs: dict[str, InputRecord]
    slots: dict[str, list[SlotRecord]]


def _load(path: Path) -> tuple[str, dict[str, Any]] | None:
    """(checksum, fields) of a record file of this version; None if unusable."""
    found = read_checked(path)
    if found is None:
        return None
    try:
        doc = marshal.loads(found[1])
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(doc, dict) or doc.pop("version", None) != STATE_VERSION:
        return None
    return found[0], doc


def _save(path: Path, doc: dict[str, Any]) -> str:
    return write_checked(path, marshal.dumps({"version": STATE_VERSION, **doc}))


class Record:
    """The head and details files of one output folder, in the cache folder."""

    def __init__(self, options: BuildOptions) -> None:
        assert options.cache is not None
        name = hashlib.blake2b(str(options.out.resolve()).encode(), digest_size=10).hexdigest()
        self.head_path = options.cache / "state" / f"{name}.bin"
        self.details_path = options.cache / "state" / f"{name}.details.bin"

    def head(self) -> Head | None:
        loaded = _load(self.head_path)
        try:
            return Head(**loaded[1]) if loaded is not None else None
        except TypeError:
            return None

    def details(self, head: Head) -> Details | None:
        """The details written with ``head`` (by their checksum), or None."""
        loaded = _load(self.details_path)
        if loaded is None or loaded[0] != head.details:
            return None
        try:
            return Details(**loaded[1])
        except TypeError:
            return None

    def save(self, head: Head, details: Details) -> None:
        """Write the details, then the head that names them (a cache that cannot
        be written is only slower)."""
        try:
            head.details = _save(self.details_path, details.__dict__)
            _save(self.head_path, head.__dict__)
        except OSError:
            self.forget()

    def prune(self) -> None:
        """Remove the records of output folders that no longer exist."""
        for path in self.head_path.parent.glob("*.bin"):
            if path.name.endswith(".details.bin") or path == self.head_path:
                continue
            loaded = _load(path)
            if loaded is None or not Path(loaded[1].get("out", "")).is_dir():
                path.unlink(missing_ok=True)
                path.with_name(path.name[:-4] + ".details.bin").unlink(missing_ok=True)

    def forget(self) -> None:
        """Until the output matches a record again, there is none."""
        self.head_path.unlink(missing_ok=True)
