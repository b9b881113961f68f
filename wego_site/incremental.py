"""Incremental builds from an exact record of the previous one.

A full build (:mod:`wego_site.builder`) leaves a *state* file in the cache
folder: a fingerprint of everything that shapes the site, the hash of every
Markdown body, the byte spans where each output shows a body (see
:mod:`wego_site.bodies`), the bodies some output read raw, and the size, time
and inode of every file it wrote. The next ``build`` first scans the inputs
(reading and hashing every file; only files whose bytes changed are split into
front matter and body, and nothing is parsed) and then:

* the fingerprint differs, the output folder is not exactly as recorded, a
  body read raw changed, or there is no usable state: **full build**;
* nothing changed: **unchanged**, nothing is written;
* only bodies changed: their new HTML (or JSON string) is **spliced** into the
  recorded spans of the outputs that show them, each file replaced atomically.
  A full build assembles every output the same way, so the result is the clean
  build byte for byte. With the search index on, a spliced page would need a
  new Pagefind index, so that case is a full build.

The fingerprint covers: the generator's code, Python's version and the name
and version of every installed distribution (``*.dist-info`` on ``sys.path``), the
options, the working folder, ``SOURCE_DATE_EPOCH`` (unset: the build date in the
site's time zone, which is all a build without it depends on; see
site.build_moment), every template and asset, and every content file - whole, or
for Markdown its front matter plus whether the body is blank. Nothing is
skipped on a guess: the only thing not re-derived is a body's place in a page,
and the template never sees the body (it holds a placeholder).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bodies import HTML, SlotRecord, is_blank, json_string, splice
from .options import BuildOptions, BuildReport
from .writer import read_checked, write_atomic, write_checked

#: Bump when the state's meaning changes.
STATE_VERSION = "4"
#: The site's time zone when ``site.yaml`` names none (models.site.SiteSettings's
#: default; a test holds the two equal without this module importing pydantic).
DEFAULT_TIMEZONE = "Asia/Seoul"
#: Content folders whose ``.md`` files have bodies (the loader's families).
BODY_FOLDERS = frozenset({"events", "projects", "members", "pages"})

#: Per content file: hash of its bytes, hash of its structural part, hash of
#: its body ("" for files without a body).
InputRecord = list[str]


def _digest(data: bytes) -> str:
    # SHA-256: hardware-accelerated on current CPUs, the fastest strong hash here
    return hashlib.sha256(data).hexdigest()[:32]


# -- the state files ------------------------------------------------------------


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
    """The rest: per-file hashes, bodies read raw, body spans in every output."""

    inputs: dict[str, InputRecord]
    raw: list[str]
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


# -- reading the inputs -----------------------------------------------------------


def _walk(root: str, skip: str | None = None) -> list[tuple[str, str, bool]]:
    """Every file under ``root`` as (relative POSIX path, path, is a link), sorted.
    Folders starting with "." are left out, as the loader leaves them out; a
    symbolic link (to a file or a folder) is listed as a file."""
    found: list[tuple[str, str, bool]] = []
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if not name.startswith(".") and entry.path != skip:
                    stack.append((f"{prefix}{name}/", entry.path))
            else:
                found.append((prefix + name, entry.path, entry.is_symlink()))
    found.sort()
    return found


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
    for rel, path, _ in _walk(os.path.dirname(os.path.abspath(__file__))):
        if rel.endswith(".py"):
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
    from .errors import ContentError
    from .frontmatter import MAX_FILE_BYTES, decode, split_parts

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
    stack = [("", os.fspath(out))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as found:
            for entry in found:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    entries[rel] = ""
                    stack.append((rel + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    entries[rel] = f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"
    return Listing(entries)


# -- the build command ------------------------------------------------------------


def build(options: BuildOptions) -> BuildReport:
    """Build ``options.out``: unchanged, spliced or full, whichever is exact."""
    started = time.perf_counter()
    from .outdir import check_out

    check_out(options.out, options.content, options.templates, options.cache, options.force)
    if options.cache is None or options.memo is not None:
        from .builder import build as full_build

        return full_build(options)
    record = Record(options)
    head = record.head()
    loaded: list[Details | None] = []

    def details() -> Details | None:
        if not loaded:
            loaded.append(record.details(head) if head is not None else None)
        return loaded[0]

    found = scan(options, head, details)
    scanned = time.perf_counter()
    report = _try_update(options, found, record, head, details)
    if report is not None:
        report.timings = {"scan": scanned - started, "update": time.perf_counter() - scanned}
        return report
    from .builder import build as full_build

    report = full_build(options)
    report.timings = {"scan": scanned - started, **report.timings}
    listing = list_output(options.out.resolve())
    if listing is None:  # pragma: no cover - a successful build leaves the folder
        return report
    if found.inputs is None:  # the content was as recorded, the rest was not
        recorded = details()
        if recorded is None:
            record.forget()
            return report
        found.inputs = recorded.inputs
    record.save(
        Head(
            found.structure,
            found.content,
            found.content_part,
            listing.digest,
            report.files,
            report.bytes,
            report.pages,
            report.base_url,
            str(options.out.resolve()),
            "",
        ),
        Details(found.inputs, sorted(report.raw_bodies), report.slots),
    )
    record.prune()
    return report


def _try_update(
    options: BuildOptions,
    found: Scan,
    record: Record,
    head: Head | None,
    details: Callable[[], Details | None],
) -> BuildReport | None:
    """Bring the output up to date without a full build, or return None."""
    if head is None or head.structure != found.structure:
        return None
    out = options.out.resolve()
    report = BuildReport(pages=head.pages, base_url=head.base_url, mode="unchanged")
    report.files, report.bytes = head.files, head.bytes
    if found.inputs is None:  # every input is as recorded
        listing = list_output(out)
        return report if listing is not None and listing.digest == head.listing else None
    recorded = details()
    if recorded is None or recorded.inputs.keys() != found.inputs.keys():
        return None
    before = recorded.inputs
    changed = {k for k, rec in found.inputs.items() if rec[2] != before[k][2]}
    if changed & set(recorded.raw):
        return None
    from .markdown import body_problems as markdown_problems
    from .textcheck import body_problems

    if any(body_problems(found.texts[k]) or markdown_problems(found.texts[k]) for k in changed):
        return None  # the full build reports them
    listing = list_output(out)
    if listing is None or listing.digest != head.listing:
        return None
    dirty = sorted(
        rel for rel, spans in recorded.slots.items() if any(s[2] in changed for s in spans)
    )
    if dirty and options.search:
        return None  # the Pagefind index would change too
    if dirty:
        record.forget()
        texts = {k: found.texts[k] for k in changed}
        values = _filled(options, head.base_url, texts, dirty, recorded)
        for rel in dirty:
            target = out / rel
            old = target.read_bytes()
            data, spans = splice(old, recorded.slots[rel], values)
            write_atomic(target, data)
            head.bytes += len(data) - len(old)
            recorded.slots[rel] = spans
            listing.restat(out, rel)
        head.listing = listing.digest
        report.files, report.bytes = head.files, head.bytes
        report.mode = f"{len(dirty)} files patched"
    head.content, head.content_part = found.content, found.content_part
    recorded.inputs = found.inputs
    record.save(head, recorded)
    return report


def _filled(
    options: BuildOptions,
    base_url: str,
    texts: dict[str, str],
    dirty: list[str],
    recorded: Details,
) -> dict[str, dict[str, bytes]]:
    """The new value of every changed body, in each kind some dirty output shows."""
    kinds: dict[str, set[str]] = {}
    for rel in dirty:
        for _, _, key, kind in recorded.slots[rel]:
            if key in texts:
                kinds.setdefault(key, set()).add(kind)
    md = None
    values: dict[str, dict[str, bytes]] = {}
    for key, wanted in kinds.items():
        values[key] = {}
        for kind in wanted:
            if kind == HTML:
                if md is None:
                    from .markdown import Markdown
                    from .urls import Urls

                    urls = Urls(base_url)
                    md = Markdown(urls, options.cache, urls.prefix)
                values[key][kind] = md.render(texts[key]).encode()
            else:
                values[key][kind] = json_string(texts[key]).encode()
    return values
