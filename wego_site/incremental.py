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
options, the working folder, ``SOURCE_DATE_EPOCH`` (unset: the clock, so every
build is full), every template and asset, and every content file - whole, or
for Markdown its front matter plus whether the body is blank. Nothing is
skipped on a guess: the only thing not re-derived is a body's place in a page,
and the template never sees the body (it holds a placeholder).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bodies import HTML, SlotRecord, is_blank, json_string, splice
from .options import BuildOptions, BuildReport

#: Bump when the state's meaning changes.
STATE_VERSION = "1"
#: Content folders whose ``.md`` files have bodies (the loader's families).
BODY_FOLDERS = frozenset({"events", "projects", "members", "pages"})


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: Per content file: hash of its bytes, hash of its structural part, hash of
#: its body ("" for files without a body).
InputRecord = list[str]


@dataclass
class Scan:
    """The inputs as the next build would see them."""

    structure: str = ""
    inputs: dict[str, InputRecord] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # bodies split in this scan


def _walk(root: Path, skip: Path | None = None) -> list[tuple[str, str]]:
    """Every file under ``root`` as (relative POSIX path, path), dot-folders
    excluded as the loader excludes them, sorted."""
    found: list[tuple[str, str]] = []
    top = os.fspath(root)
    cut = len(top) + 1
    skipped = os.fspath(skip) if skip is not None else None
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = [
            d for d in dirnames if not d.startswith(".") and os.path.join(dirpath, d) != skipped
        ]
        for name in filenames:
            path = os.path.join(dirpath, name)
            found.append((path[cut:].replace(os.sep, "/"), path))
    found.sort()
    return found


def _code_fingerprint(h: Any) -> None:
    """The generator's own code, Python's version and every installed distribution."""
    for rel, path in _walk(Path(__file__).resolve().parent):
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


def scan(options: BuildOptions, previous: State | None = None) -> Scan:
    """Fingerprint every input, splitting bodies from the structure.

    A content file whose bytes hash as in ``previous`` reuses its recorded
    parts; any other file is split (front matter text, body) here.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(f"wego-state {STATE_VERSION}\0".encode())
    _code_fingerprint(h)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or f"clock {time.time_ns()}"
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
    for rel, path in _walk(options.templates.absolute()):
        h.update(b"T" + rel.encode() + b"\0" + _read(path) + b"\0")
    result = Scan()
    known = previous.inputs if previous is not None else {}
    cache = options.cache.absolute() if options.cache else None
    for rel, path in _walk(options.content.absolute(), cache):
        raw = _read(path)
        whole = _digest(raw)
        record = known.get(rel)
        if record is None or record[0] != whole:
            record = _split(rel, raw, whole, result.texts)
        result.inputs[rel] = record
        h.update(rel.encode() + b"\0" + record[1].encode() + b"\0")
    result.structure = h.hexdigest()
    return result


def _split(rel: str, raw: bytes, whole: str, texts: dict[str, str]) -> InputRecord:
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
            return [whole, _digest(f"M{blank}{yaml_text}".encode()), _digest(body.encode())]
    return [whole, "F" + whole, ""]


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        return f"\0unreadable {exc.errno}".encode()


# -- the output folder --------------------------------------------------------

FileStat = list[int]  # size, mtime_ns, inode


def output_files(out: Path) -> tuple[dict[str, FileStat], list[str]] | None:
    """Every file (with its stat) and folder under ``out``; None if it is missing."""
    files: dict[str, FileStat] = {}
    dirs: list[str] = []
    if not out.is_dir():
        return None
    stack = [("", os.fspath(out))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(rel)
                    stack.append((rel + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    files[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
    dirs.sort()
    return files, dirs


# -- the state file -------------------------------------------------------------


@dataclass
class State:
    """What the last build of one output folder was made from and wrote."""

    structure: str
    inputs: dict[str, InputRecord]
    raw: list[str]
    slots: dict[str, list[SlotRecord]]
    files: dict[str, FileStat]
    dirs: list[str]
    base_url: str
    pages: int

    def dump(self) -> bytes:
        data = marshal.dumps({"version": STATE_VERSION, **self.__dict__})
        return _digest(data).encode() + b"\n" + data

    @classmethod
    def load(cls, path: Path) -> State | None:
        """The state at ``path``, or None if missing, corrupted or of another version."""
        try:
            check, _, data = path.read_bytes().partition(b"\n")
            if check.decode("ascii") != _digest(data):
                return None
            doc = marshal.loads(data)
            if doc.pop("version") != STATE_VERSION:
                return None
            return cls(**doc)
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            return None


def state_path(options: BuildOptions) -> Path | None:
    if options.cache is None:
        return None
    name = hashlib.blake2b(str(options.out.resolve()).encode(), digest_size=10).hexdigest()
    return options.cache / "state" / f"{name}.bin"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _forget(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


# -- the build command ------------------------------------------------------------


def build(options: BuildOptions) -> BuildReport:
    """Build ``options.out``: unchanged, spliced or full, whichever is exact."""
    started = time.perf_counter()
    where = state_path(options)
    if where is None or options.memo is not None:
        from .builder import build as full_build

        return full_build(options)
    previous = State.load(where)
    # Listing the output (stat calls) overlaps the scan (reads, hashing): both
    # release the GIL for their system calls.
    listing: list[tuple[dict[str, FileStat], list[str]] | None] = [None]
    lister = threading.Thread(
        target=lambda: listing.__setitem__(0, output_files(options.out.resolve()))
    )
    if previous is not None:
        lister.start()
    found = scan(options, previous)
    if previous is not None:
        lister.join()
    scanned = time.perf_counter()
    report = _try_update(options, found, previous, where, listing[0])
    if report is not None:
        report.timings = {"scan": scanned - started, "update": time.perf_counter() - scanned}
        return report
    from .builder import build as full_build

    report = full_build(options)
    report.timings = {"scan": scanned - started, **report.timings}
    listed = output_files(options.out.resolve())
    if listed is None:  # pragma: no cover - a successful build leaves the folder
        return report
    try:
        state = State(
            found.structure,
            found.inputs,
            sorted(report.raw_bodies),
            report.slots,
            listed[0],
            listed[1],
            report.base_url,
            report.pages,
        )
        _write_atomic(where, state.dump())
    except OSError:
        _forget(where)  # a cache that cannot be written is only slower
    return report


def _try_update(
    options: BuildOptions,
    found: Scan,
    state: State | None,
    where: Path,
    listed: tuple[dict[str, FileStat], list[str]] | None,
) -> BuildReport | None:
    """Bring the output up to date without a full build, or return None."""
    if state is None or state.structure != found.structure:
        return None
    before = state.inputs
    if before.keys() != found.inputs.keys():  # pragma: no cover - the structure has the names
        return None
    changed = {k for k, rec in found.inputs.items() if rec[2] != before[k][2]}
    if changed & set(state.raw):
        return None
    out = options.out.resolve()
    if listed is None or listed[0] != state.files or listed[1] != state.dirs:
        return None
    dirty = sorted(rel for rel, spans in state.slots.items() if any(s[2] in changed for s in spans))
    if dirty and options.search:
        return None  # the Pagefind index would change too
    report = BuildReport(pages=state.pages, base_url=state.base_url)
    if dirty:
        _forget(where)  # until the state matches the folder again
        values = _filled(
            options, state.base_url, {k: found.texts[k] for k in changed}, dirty, state
        )
        for rel in dirty:
            target = out / rel
            data, spans = splice(target.read_bytes(), state.slots[rel], values)
            _write_atomic(target, data)
            st = target.stat()
            state.files[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
            state.slots[rel] = spans
    state.inputs = found.inputs
    report.files = len(state.files)
    report.bytes = sum(s[0] for s in state.files.values())
    report.mode = f"{len(dirty)} files patched" if dirty else "unchanged"
    try:
        if dirty or found.inputs != before:
            _write_atomic(where, state.dump())
    except OSError:
        _forget(where)
    return report


def _filled(
    options: BuildOptions, base_url: str, texts: dict[str, str], dirty: list[str], state: State
) -> dict[str, dict[str, bytes]]:
    """The new value of every changed body, in each kind some dirty output shows."""
    kinds: dict[str, set[str]] = {}
    for rel in dirty:
        for _, _, key, kind in state.slots[rel]:
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
