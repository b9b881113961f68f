"""``build(options) -> BuildReport``: the stages in order.

load -> validate -> site model -> page items -> render -> write (atomically).
Each stage's time is recorded in the report.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError, WegoError
from .loader import load_content
from .pages import all_items
from .pages.core import sitemap
from .site import build_moment, build_site
from .templating import Renderer
from .urls import Urls, output_file
from .writer import StagingDir

THEME_ASSETS = "assets"


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("_site")
    base_url: str | None = None
    drafts: bool = False
    search: bool = True


@dataclass
class BuildReport:
    """What a build did."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.timings.values())
        stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())
        return (
            f"built {self.pages} pages ({self.files} files, {self.bytes / 1024:.0f} KiB) "
            f"in {total:.2f} s [{stages}]"
        )


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error the previous output is left untouched."""
    report = BuildReport()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.timings[name] = now - clock
        clock = now

    if not options.templates.is_dir():
        raise UsageError(f"templates folder not found: {options.templates}")
    out = options.out.resolve()
    if out == options.content.resolve() or options.content.resolve().is_relative_to(out):
        raise UsageError("--out must not contain the content folder")
    content = load_content(options.content)
    lap("load")
    today, now = build_moment(os.environ.get("SOURCE_DATE_EPOCH"))
    site = build_site(content, today, now, drafts=options.drafts)
    urls = Urls(options.base_url or site.settings.base_url)
    renderer = Renderer(options.templates, site, urls)
    lap("model")
    stage = StagingDir(options.out)
    try:
        html_paths = []
        for item in all_items(site, urls):
            stage.write(output_file(item.path), renderer.render(item))
            if item.template and item.sitemap and item.path.endswith("/"):
                html_paths.append(item.path)
        report.pages = len(html_paths) + 1  # + 404
        stage.write("sitemap.xml", renderer.render(sitemap(html_paths)))
        lap("render")
        for rel, source in site.static_files:
            stage.copy(rel.lstrip("/"), source)
        assets = options.templates / THEME_ASSETS
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    stage.copy(f"{THEME_ASSETS}/{path.relative_to(assets).as_posix()}", path)
        report.files, report.bytes = stage.count, stage.bytes
        lap("write")
        if options.search:
            from .search import index_site

            index_site(stage.path)
            lap("search")
        stage.commit()
    except WegoError:
        stage.discard()
        raise
    except Exception as exc:
        stage.discard()
        if os.environ.get("WEGO_DEBUG"):
            raise
        raise WegoError(f"build failed: {type(exc).__name__}: {exc}") from exc
    return report
