"""Atomic output: build beside ``--out``, then swap; single files likewise.

A build writes into a fresh temporary folder next to the output folder. Only
when every file is written is the old folder renamed aside, the new one
renamed into place, and the old one removed. A build that fails or is killed
before the swap leaves the previous output exactly as it was.

Single files (a patched page, a cache entry) are written beside themselves and
renamed over the old file (:func:`write_atomic`); cache files carry a checksum
of their data on their first line (:func:`write_checked`, :func:`read_checked`),
so a truncated or damaged entry is never trusted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


class StagingDir:
    """A temporary output folder that becomes ``out`` on :meth:`commit`."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.build-", dir=self.out.parent))
        self._dirs: set[Path] = set()
        self.count = 0
        self.bytes = 0

    def write(self, rel: str, data: bytes) -> None:
        """Write one file (``rel`` is relative to the output root)."""
        target = self.path / rel
        if not target.resolve().is_relative_to(self.path):
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        target.write_bytes(data)
        self.count += 1
        self.bytes += len(data)

    def copy(self, rel: str, source: Path) -> None:
        """Copy a static file as-is."""
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.count += 1
        self.bytes += target.stat().st_size

    def commit(self) -> None:
        """Swap the staged folder into place."""
        os.chmod(self.path, 0o755)
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.rmdir(old)
            os.replace(self.out, old)
        os.replace(self.path, self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove the staged folder (after a failure)."""
        shutil.rmtree(self.path, ignore_errors=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename (its folder is made if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def write_checked(path: Path, data: bytes) -> str:
    """Write ``data`` atomically after a line with its checksum; return the checksum."""
    check = checksum(data)
    write_atomic(path, check.encode() + b"\n" + data)
    return check


def read_checked(path: Path) -> tuple[str, bytes] | None:
    """(checksum, data) of a file :func:`write_checked` wrote; None if it is
    missing, unreadable or does not match its checksum."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    check, _, data = raw.partition(b"\n")
    if check.decode("ascii", "replace") != checksum(data):
        return None
    return check.decode("ascii"), data
