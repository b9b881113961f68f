"""Compiled templates, kept between builds: in memory for the life of the
process (the dev server, the tests) and on disk in the build cache.

Compiling the theme's templates is most of a small build's time (0.6 of the
fixture site's 0.9 s). Jinja hands each template to a bytecode cache as a
*bucket* keyed by its name and file, with a checksum of its source: a template
whose source changed never meets its old code. The disk files hold no pickle
(unlike Jinja's own ``FileSystemBytecodeCache``), only ``marshal`` data behind a
checked header, so a damaged or foreign file is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from .writer import read_checked, write_checked

#: What compiled code depends on besides the source: Python, Jinja and the
#: environment's parsing options (filled in by :func:`signature`).
_PROCESS = f"{sys.version_info[:3]}|{jinja2.__version__}"

#: (signature, bucket key) -> (source checksum, code), for this process.
_MEMORY: dict[tuple[str, str], tuple[str, CodeType]] = {}


def signature(options: dict[str, Any]) -> str:
    """A short key for everything besides the source that shapes compiled code."""
    text = _PROCESS + "|" + repr(sorted(options.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TemplateCache(BytecodeCache):
    """Jinja bytecode, in memory and (with ``folder``) on disk."""

    def __init__(self, options: dict[str, Any], folder: Path | None = None) -> None:
        self.sig = signature(options)
        self.folder = folder

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{self.sig}-{key}" if self.folder else None

    def load_bytecode(self, bucket: Bucket) -> None:
        hit = _MEMORY.get((self.sig, bucket.key))
        if hit is None:
            hit = self._read(bucket.key)
        if hit is not None and hit[0] == bucket.checksum:
            bucket.code = hit[1]
            _MEMORY[(self.sig, bucket.key)] = hit

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        _MEMORY[(self.sig, bucket.key)] = (bucket.checksum, bucket.code)
        path = self._path(bucket.key)
        if path is None:
            return
        try:
            write_checked(path, bucket.checksum.encode() + b"\n" + marshal.dumps(bucket.code))
        except OSError:
            pass  # a cache that cannot be written is only slower

    def _read(self, key: str) -> tuple[str, CodeType] | None:
        path = self._path(key)
        found = read_checked(path) if path is not None else None
        if found is None:
            return None
        head, _, data = found[1].partition(b"\n")
        try:
            code = marshal.loads(data)
        except (EOFError, ValueError, TypeError):  # pragma: no cover - checksum matched
            return None
        return (head.decode("ascii", "replace"), code) if isinstance(code, CodeType) else None
