"""What the next build would read: every input fingerprinted, bodies split off.

Nothing is parsed: content files are read and hashed, and only files whose
bytes changed since the record are split into front matter and body. The
output folder is listed by size, time and inode.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bodies import is_blank
from ..options import BuildOptions
from ..walk import Entry, hidden, walk
from .record import STATE_VERSION, Details, Head, InputRecord

#: The site's time zone when ``site.yaml`` names none (models.site.SiteSettings's
#: default; a test holds the two equal without this module importing pydantic).
DEFAULT_TIMEZONE = "Asia/Seoul"
#: Content folders whose ``.md`` files have bodies (the loader's families).
BODY_FOLDERS = frozenset({"events", "projects", "members", "pages"})
#: The package whose code is part of every fingerprint.
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _digest(data: bytes) -> str:
    # SHA-256: hardware-accelerated on current CPUs, the fastest strong hash here
    return hashlib.sha256(data).hexdigest()[:32]


def _walk(root: str, skip: str | None = None) -> list[tuple[str, str, bool]]:
    """Every file under ``root`` as (relative POSIX path, path, is a link), sorted.
    Folders starting with "." are left out, as the loader leaves them out; a
    symbolic link (to a file or a folder) is listed as a file."""

    def left_out(rel: str, entry: Entry) -> bool:
        return entry.is_dir(follow_symlinks=False) and (hidden(rel, entry) or entry.path == skip)

    return [(rel, e.path, e.is_symlink()) for rel, e in walk(root, left_out)]


def _read_input(path: str, link: bool) -> bytes:
    """A file's bytes; for a symbolic link, its resolved target too."""
    raw = _read(path)
    return f"\0link {os.path.realpath(path)}\0".encode() + raw if link else raw


def _read(path: str) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        return f"\0unreadable {exc.errno}".encode()
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return f"\0unreadable {exc.errno}".encode()
    finally:
        os.close(fd)


def _code_fingerprint(h: Any) -> None:
    """The generator's own code, Python's version and every installed distribution."""
    h.update(_code_digest())


def _shipped_data(rel: str) -> bool:
    """Files under ``data/`` that builds copy or read (fonts, maps, the editor);
    the vendored Decap bundle counts by its ``SHA256SUMS``, not its 6 MB."""
    rel = rel.replace(os.sep, "/")
    if not rel.startswith("data/"):
        return False
    return not (rel.startswith("data/decap-cms/") and rel.endswith((".js", ".wasm")))


@functools.cache
def _code_digest() -> bytes:
    """What :func:`_code_fingerprint` hashes, read once per process: the code a
    process runs is the code it imported at its start, whatever is installed
    later (a dev server, or a test run while ``make install`` upgrades the venv)."""
    h = hashlib.blake2b(digest_size=20)
    for rel, path, _ in _walk(PACKAGE):
        if rel.endswith(".py") or _shipped_data(rel):
            h.update(rel.encode() + b"\0" + _read(path) + b"\0")
    h.update(sys.version.encode() + b"\0")
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                h.update(name.encode() + b"\0")
    return h.digest()


@dataclass
class Scan:
    """The inputs as the next build would see them."""

    structure: str = ""
    content: str = ""
    content_part: str = ""
    #: Per-file records; None when every content file is as in the last record.
    inputs: dict[str, InputRecord] | None = None
    texts: dict[str, str] = field(default_factory=dict)  # bodies split in this scan


def scan(
    options: BuildOptions,
    head: Head | None = None,
    details: Callable[[], Details | None] = lambda: None,
) -> Scan:
    """Fingerprint every input, splitting bodies from the structure.

    If the content is byte for byte as in ``head``, its recorded structural
    part is reused. Otherwise each file whose bytes hash as in the recorded
    ``details`` reuses its parts, and any other file is split here (front
    matter text and blankness, body).
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(f"wego-state {STATE_VERSION}\0".encode())
    _code_fingerprint(h)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _build_date(options.content)
    settings = [
        os.getcwd(),
        str(options.content.resolve()),
        str(options.templates.resolve()),
        str(options.out.resolve()),
        repr(options.base_url),
        repr(options.drafts),
        repr(options.search),
        repr(options.pdf),
        repr(options.editor_port),
        os.environ.get("GITHUB_REPOSITORY", ""),  # the editor's default repository
        epoch,
    ]
    h.update("\0".join(settings).encode() + b"\0")
    for rel, path, _ in _walk(str(options.templates.absolute())):
        h.update(b"T" + rel.encode() + b"\0" + _read(path) + b"\0")
    cache = str(options.cache.absolute()) if options.cache else None
    files = [
        (rel, _read_input(path, link))
        for rel, path, link in _walk(str(options.content.absolute()), cache)
    ]
    whole = hashlib.sha256()
    for rel, raw in files:
        whole.update(f"{rel}\0{len(raw)}\0".encode())
        whole.update(raw)
    result = Scan(content=whole.hexdigest())
    if head is not None and head.content == result.content:
        result.content_part = head.content_part
    else:
        recorded = details() if head is not None else None
        known = recorded.inputs if recorded is not None else {}
        part = hashlib.blake2b(digest_size=20)
        result.inputs = {}
        for rel, raw in files:
            digest = _digest(raw)
            record = known.get(rel)
            if record is None or record[0] != digest:
                record = _split(rel, raw, digest, result.texts)
            result.inputs[rel] = record
            part.update(f"{rel}\0{record[1]}\0".encode())
        result.content_part = part.hexdigest()
    h.update(result.content_part.encode())
    result.structure = h.hexdigest()
    return result


def _build_date(content: Path) -> str:
    """Today in ``site.yaml``'s time zone, read without parsing YAML; the clock
    (so a full build) when the zone cannot be read this way."""
    from zoneinfo import ZoneInfo

    try:
        text = (content / "site.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"clock {time.time_ns()}"
    lines = re.findall(r"^timezone\b.*$", text, re.M)
    plain = [
        re.fullmatch(r"timezone:[ \t]*([\"']?)([A-Za-z0-9_+/-]+)\1[ \t]*", line) for line in lines
    ]
    if len(lines) > 1 or (lines and plain[0] is None):
        return f"clock {time.time_ns()}"  # not a plain one-line value: let the build read it
    name = plain[0].group(2) if lines and plain[0] else DEFAULT_TIMEZONE
    try:
        zone = ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return f"clock {time.time_ns()}"
    from datetime import datetime

    return f"date {datetime.now(tz=zone).date().isoformat()} {name}"


def _split(rel: str, raw: bytes, digest: str, texts: dict[str, str]) -> InputRecord:
    """The parts of one content file: a body file's front matter and blankness are
    structure and its body is kept apart; any other (or invalid) file is all structure."""
    from ..errors import ContentError
    from ..frontmatter import MAX_FILE_BYTES, decode, split_parts

    parts = rel.split("/")
    if len(parts) > 1 and parts[0] in BODY_FOLDERS and rel.endswith(".md"):
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise ContentError(rel, 0, "", "too large")
            yaml_text, body, _ = split_parts(decode(raw, rel), rel)
        except ContentError:
            pass  # invalid: the whole file is structure (the full build reports it)
        else:
            blank = "1" if is_blank(body) else "0"
            texts[rel] = body
            return [digest, _digest(f"M{blank}{yaml_text}".encode()), _digest(body.encode())]
    return [digest, "F" + digest, ""]


# -- the output folder --------------------------------------------------------


@dataclass
class Listing:
    """What is under --out: every folder, and every file with its stat."""

    entries: dict[str, str]  # path -> "size mtime inode" ("" for a folder)

    @property
    def digest(self) -> str:
        text = "\n".join(f"{rel}\0{stat}" for rel, stat in sorted(self.entries.items()))
        return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()

    def restat(self, out: Path, rel: str) -> None:
        st = os.lstat(out / rel)
        self.entries[rel] = f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def list_output(out: Path) -> Listing | None:
    """Every folder, and every file with its size, time and inode; None if missing."""
    if not out.is_dir():
        return None
    entries: dict[str, str] = {}
    for rel, entry in walk(out, folders=True, strict=True):
        if entry.is_dir(follow_symlinks=False):
            entries[rel] = ""
        else:
            st = entry.stat(follow_symlinks=False)
            entries[rel] = f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"
    return Listing(entries)
