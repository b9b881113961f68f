"""What ``--out`` may be: the guard that runs before a build touches anything.

A build replaces or updates the output folder only when it is

* missing (it is created),
* empty, or
* a folder this generator wrote: it holds a valid ``.wego-output`` manifest,
  the checksummed list of the files the last build wrote (:func:`manifest_bytes`).

Anything else is refused with exit status 2 and one line naming the path and
the reason, before anything is written: an existing file, a dangling link, a
non-empty folder without the manifest (unless ``--force``), and always - even
with ``--force`` - the file-system root, a git repository, the working
folder, the home folder, the content, templates or cache folder, any folder
that holds one of them, and any folder inside the content, templates or
cache folders or this package.

``--force`` only lets a build write into a non-empty folder that it did not
write (and that is none of the places above): the site's files are written
into it, files at the site's own paths are replaced, and every other file is
left as it is. The manifest then lists only the site's files, so later builds
never remove the others.

A symbolic link given as ``--out`` is followed: the folder it points to is
judged, and written, as if it had been named directly; the link is kept.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .writer import MANIFEST, STAGE_INFIX, read_manifest


@dataclass(frozen=True)
class OutTarget:
    """An output folder the build may write: where it really is, and what is ours."""

    path: Path  # the real folder (symbolic links resolved); may not exist yet
    #: Files the previous build wrote (its manifest); None for a new or empty folder.
    owned: frozenset[str] | None
    #: True when ``--force`` adopted a folder of someone else's files.
    adopted: bool = False


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _protected(content: Path, templates: Path, cache: Path | None) -> list[tuple[Path, str]]:
    """Folders whose ancestors (themselves included) a build must never replace."""
    places = [
        (content, "the content folder"),
        (templates, "the templates folder"),
        (Path.cwd(), "the working folder"),
        (Path.home(), "your home folder"),
        (Path(__file__).resolve().parent, "the generator's own code"),
        (Path(sys.prefix), "the Python environment"),
    ]
    if cache is not None:
        places.append((cache, "the cache folder"))
    return [(p.resolve(), what) for p, what in places]


def check_out(
    out: Path,
    content: Path,
    templates: Path,
    cache: Path | None = None,
    force: bool = False,
) -> OutTarget:
    """Judge ``out`` before anything is written; raise OutputError to refuse it."""
    shown = str(out)

    def refuse(reason: str) -> OutputError:
        return OutputError(f"refusing --out {shown}: {reason}; nothing was written")

    if out.is_symlink() and not out.exists():
        raise refuse("it is a symbolic link to nothing")
    real = out.resolve()
    if out.exists() and not out.is_dir():
        raise refuse("it is a file, not a folder")
    if real == Path(real.anchor):
        raise refuse("it is the root of the file system")
    for place, what in _protected(content, templates, cache):
        if _is_within(place, real):
            what_is = "is" if place == real else "holds"
            raise refuse(f"it {what_is} {what} ({place})")
    for place, what in [
        (content.resolve(), "the content folder"),
        (templates.resolve(), "the templates folder"),
        (Path(__file__).resolve().parent, "the generator's own code"),
        *([(cache.resolve(), "the cache folder")] if cache is not None else []),
    ]:
        if real.is_relative_to(place):
            raise refuse(f"it is inside {what} ({place})")
    if ".git" in real.parts:
        raise refuse("it is inside a git repository's .git folder")
    if not real.exists():
        return OutTarget(real, None)
    if (real / ".git").exists():
        raise refuse("it is a git repository")
    owned = read_manifest(real)
    if owned is not None:
        return OutTarget(real, owned)
    try:
        names = [n for n in os.listdir(real) if STAGE_INFIX not in n]
    except OSError as exc:
        raise refuse(f"it cannot be read ({exc.strerror})") from None
    if not names:
        return OutTarget(real, None)
    if (real / MANIFEST).exists():
        raise refuse(
            f"its {MANIFEST} marker is damaged, so it is not known which files the "
            "generator wrote; remove the folder or choose another"
        )
    if force:
        return OutTarget(real, frozenset(), adopted=True)
    raise refuse(
        f"the folder is not empty and was not written by this generator (it has no "
        f"{MANIFEST} marker); choose a new or empty folder, or pass --force to write the "
        "site into it and keep every other file"
    )
