"""What a build is asked to do, and what it did (no heavy imports here).

:mod:`wego_site.rebuild` reads these before deciding whether the full
pipeline in :mod:`wego_site.builder` (and its imports) is needed at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bodies import SlotRecord
    from .site import Site
    from .templating import Renderer
    from .urls import Urls


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("_site")
    base_url: str | None = None
    drafts: bool = False
    search: bool = True
    #: Lay out the booklets (``/calendar/<year>/booklet.pdf``).
    pdf: bool = True
    #: ``serve --edit``: the port of the editor's local backend (decap-server); the
    #: build then ships /admin/ even without ``editor:`` in site.yaml.
    editor_port: int | None = None
    cache: Path | None = Path(".wego-cache")
    #: Write into a non-empty folder this generator did not write (outdir.py).
    force: bool = False
    #: Rendering processes; None chooses by size (see worker_count).
    workers: int | None = None
    #: Validated files kept between builds by the dev server (see loader.Loader).
    memo: dict[Path, Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildReport:
    """What a build did."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    site: Site | None = field(default=None, repr=False)
    urls: Urls | None = field(default=None, repr=False)
    renderer: Renderer | None = field(default=None, repr=False)
    #: Byte spans of the bodies each output shows, by output path (bodies.py).
    slots: dict[str, list[SlotRecord]] = field(default_factory=dict, repr=False)
    #: The effective base URL (options or site.yaml).
    base_url: str = ""
    #: How the build was done: "full", "unchanged" or "patched N".
    mode: str = "full"
    #: Files in --out that the build did not write, left as they were.
    kept: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        total = sum(self.timings.values())
        stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())
        how = "" if self.mode == "full" else f" ({self.mode})"
        line = (
            f"built {_n(self.pages, 'page')} ({_n(self.files, 'file')}, "
            f"{self.bytes / 1024:.0f} KiB) in {total:.2f} s{how} [{stages}]"
        )
        if self.kept:
            from .errors import visible

            shown = ", ".join(visible(k) for k in self.kept[:3])
            shown += ", ..." if len(self.kept) > 3 else ""
            line += f"\nkept {_n(len(self.kept), 'file')} the build did not write: {shown}"
        return line


def _n(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
