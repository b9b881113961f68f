"""What a build is asked to do, and what it did (no heavy imports here).

:mod:`wego_site.incremental` reads these before deciding whether the full
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
    cache: Path | None = Path(".wego-cache")
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
    #: Keys of the bodies some output read raw.
    raw_bodies: set[str] = field(default_factory=set, repr=False)
    #: The effective base URL (options or site.yaml).
    base_url: str = ""
    #: How the build was done: "full", "unchanged" or "patched N".
    mode: str = "full"

    def summary(self) -> str:
        total = sum(self.timings.values())
        stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())
        how = "" if self.mode == "full" else f" ({self.mode})"
        return (
            f"built {self.pages} pages ({self.files} files, {self.bytes / 1024:.0f} KiB) "
            f"in {total:.2f} s{how} [{stages}]"
        )
