"""Atomic output: build in a staging folder, then publish; single files likewise.

A build writes into a fresh staging folder (:class:`StagingDir`). Nothing in
``--out`` changes until every file is written; then :meth:`StagingDir.commit`
publishes it in one of two ways:

* **swap** (the usual case: ``--out`` is missing, empty, or exactly what the
  last build wrote): the staging folder sits beside ``--out`` and the two are
  exchanged in one atomic ``renameat2(RENAME_EXCHANGE)`` (two renames where the
  system has no exchange), then the old site is removed;
* **in place** (``--out`` is a mount point such as a Docker volume or tmpfs,
  its parent is not writable, ``--force`` adopted a folder of other files, or
  files the build did not write were added to it): the staging folder sits
  inside ``--out``, and each file is renamed over its old version (atomic per
  file); files of the previous build that the new one lacks are removed, and
  nothing else is touched.

The folder carries a manifest of the files written (:data:`MANIFEST`), which is
what lets the next build recognise it as its own (see :mod:`wego_site.outdir`).
Each staging folder has a lock file beside it, held for the build's lifetime: the
next build removes staging folders whose lock is free (left by a killed build)
and never those of a build still running.

Single files (a patched page, a cache entry) are written beside themselves and
renamed over the old file (:func:`write_atomic`); cache files carry a checksum
of their data on their first line (:func:`write_checked`, :func:`read_checked`),
so a truncated or damaged entry is never trusted.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import OutputError
from .walk import Entry, walk

MANIFEST = ".wego-output"
_MAGIC = "wego-site output manifest"
#: Names of the build's own temporary entries (see StagingDir).
STAGE_INFIX = ".build-"


def manifest_bytes(files: list[str]) -> bytes:
    """The manifest of a folder holding ``files`` (sorted POSIX paths)."""
    data = json.dumps({"generator": _MAGIC, "version": 1, "files": files}, indent=0).encode()
    return f"{_MAGIC} {checksum(data)}\n".encode() + data


def read_manifest(folder: Path) -> frozenset[str] | None:
    """The files a previous build wrote into ``folder``; None without a valid manifest."""
    try:
        raw = (folder / MANIFEST).read_bytes()
    except OSError:
        return None
    head, _, data = raw.partition(b"\n")
    if head != f"{_MAGIC} {checksum(data)}".encode():
        return None
    try:
        doc = json.loads(data)
        files = doc["files"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return frozenset(files)


class StagingDir:
    """A temporary output folder published into ``--out`` by :meth:`commit`."""

    def __init__(self, out: Path, owned: frozenset[str] | None, adopted: bool = False) -> None:
        """Stage a build for the real folder ``out``; ``owned`` are the files the
        previous build wrote there, ``adopted`` says ``--force`` let it in."""
        self.out, self.owned, self.adopted = out, owned, adopted
        self.inside = out.is_dir() and (os.path.ismount(out) or not os.access(out.parent, os.W_OK))
        self.parent = out if self.inside else out.parent
        prefix = f".wego{STAGE_INFIX}" if self.inside else f".{out.name}{STAGE_INFIX}"
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(self.parent, prefix, out)
            fd, lock = tempfile.mkstemp(prefix=prefix, suffix=".lock", dir=self.parent)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_fd, self._lock = fd, Path(lock)
            self.path = Path(lock[: -len(".lock")])
            self.path.mkdir()
        except OSError as exc:
            raise OutputError(
                f"cannot write --out {out}: {exc.strerror or exc} ({exc.filename or self.parent})"
            ) from None
        self._dirs: set[Path] = set()
        #: Files of the published site and their total size (set by commit).
        self.count = 0
        self.bytes = 0
        self.kept: list[str] = []  # files in --out the build did not write (kept)

    def _target(self, rel: str) -> Path:
        if rel.startswith("/") or ".." in rel.split("/"):
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        target = self.path / rel
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def write(self, rel: str, data: bytes) -> None:
        """Write one file (``rel`` is relative to the output root)."""
        self._target(rel).write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        """Copy a static file as-is."""
        shutil.copyfile(source, self._target(rel))

    def commit(self) -> None:
        """Publish the staged site into ``--out`` (see the module docstring)."""
        files, self.bytes = _list_files(self.path)
        self.count = len(files)
        names = set(files)
        owned = self.owned
        present: list[str] = []
        if self.out.is_dir():
            present = [f for f in _list_files(self.out, skip_stage=True)[0] if f != MANIFEST]
        self.kept = sorted(f for f in present if f not in (owned or ()) and f not in names)
        try:
            if self.inside or self.adopted or self.kept:
                self._publish_in_place(files)
            else:
                (self.path / MANIFEST).write_bytes(manifest_bytes(files))
                os.chmod(self.path, 0o755)
                if not self._swap():
                    (self.path / MANIFEST).unlink()
                    self._publish_in_place(files)
        except OSError as exc:
            raise OutputError(
                f"cannot publish into --out {self.out}: {exc.strerror or exc} "
                f"({exc.filename or self.out}); the files already published are complete, "
                "the rest are as before"
            ) from None
        finally:
            self.discard()

    def _swap(self) -> bool:
        """Exchange the staging folder and ``--out``; False if ``--out`` cannot be
        renamed (a mount point the system did not report as one)."""
        if not self.out.exists():
            os.replace(self.path, self.out)
            return True
        old = self.path.with_name(self.path.name + ".old")
        try:
            if not _exchange(self.path, self.out):
                os.replace(self.out, old)
                os.replace(self.path, self.out)
                self.path = old
        except OSError as exc:
            if exc.errno in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                return False
            raise
        return True

    def _publish_in_place(self, files: list[str]) -> None:
        """Rename each staged file over its old version; remove what the previous
        build wrote and this one did not; touch nothing else."""
        out, old = self.out, self.owned or frozenset()
        folders = sorted({p for f in files for p in _parents(f)}, key=lambda p: (p.count("/"), p))
        in_the_way: list[str] = []
        for rel in folders:
            kind = _kind(out / rel)
            if kind not in ("missing", "dir"):
                (in_the_way if rel not in old or kind == "link-dir" else []).append(rel)
        for rel in files:
            if _kind(out / rel) in ("dir", "link-dir"):
                in_the_way.append(rel)
        if in_the_way:
            raise OutputError(
                f"cannot publish into --out {out}: {out / in_the_way[0]} is in the way "
                "(the build did not write it, and the site needs that path); nothing was "
                "changed"
            )
        new = set(files)
        out.mkdir(exist_ok=True)
        write_atomic(out / MANIFEST, manifest_bytes(sorted(old | new)))
        for rel in folders:
            path = out / rel
            if _kind(path) != "dir":
                path.unlink(missing_ok=True)  # a file the previous build wrote
                path.mkdir()
        for rel in files:
            _move(self.path / rel, out / rel)
        stale = sorted(old - new)
        for rel in stale:
            path = out / rel
            if all(_kind(out / p) == "dir" for p in _parents(rel)) and _kind(path) == "file":
                path.unlink()
        for rel in sorted({p for f in stale for p in _parents(f)}, key=lambda p: -p.count("/")):
            try:
                (out / rel).rmdir()  # only if empty
            except OSError:
                pass
        write_atomic(out / MANIFEST, manifest_bytes(files))

    def discard(self) -> None:
        """Remove the staging folder and its lock (after publishing or a failure)."""
        if self._lock_fd < 0:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock.unlink(missing_ok=True)
        os.close(self._lock_fd)
        self._lock_fd = -1


def clean_leftovers(parent: Path, prefix: str, out: Path) -> None:
    """Remove staging folders of killed builds (their lock is free) in ``parent``.

    A build killed between the two renames of a swap (systems without an atomic
    exchange) left ``--out`` missing and the previous site beside it: that is put back.
    """
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in sorted(names):
        if not (name.startswith(prefix) and name.endswith(".lock")):
            continue
        lock = parent / name
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a build still running
            continue
        try:
            base = lock.with_name(name[: -len(".lock")])
            old = base.with_name(base.name + ".old")
            if old.is_dir() and not out.exists() and parent == out.parent:
                os.replace(old, out)
            shutil.rmtree(base, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _parents(rel: str) -> list[str]:
    """The folders above ``rel``, outermost first ("a/b/c" -> ["a", "a/b"])."""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _kind(path: Path) -> str:
    """What is at ``path``, links not followed: missing, dir, file, link-dir, other."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISLNK(st.st_mode):
        return "link-dir" if path.is_dir() else "file"
    return "file" if stat.S_ISREG(st.st_mode) else "other"


def _list_files(root: Path, skip_stage: bool = False) -> tuple[list[str], int]:
    """Every file under ``root`` (sorted POSIX paths, links not followed) and their size."""

    def staged(rel: str, entry: Entry) -> bool:
        return skip_stage and "/" not in rel and STAGE_INFIX in entry.name

    found = walk(root, staged, strict=True)
    return [rel for rel, _ in found], sum(e.stat(follow_symlinks=False).st_size for _, e in found)


def _move(src: Path, dst: Path) -> None:
    """Rename ``src`` over ``dst``; across file systems, copy beside ``dst`` first."""
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    res = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


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
