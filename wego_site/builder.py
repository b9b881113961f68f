"""``build(options) -> BuildReport``: the stages in order.

load -> validate -> site model -> page items -> render -> write (atomically).
Each stage's time is recorded in the report.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .admin import admin_files
from .bodies import SlotRecord
from .errors import UsageError, WegoError
from .loader import load_content
from .options import BuildOptions, BuildReport
from .outdir import check_out
from .pages import all_items
from .pages.core import sitemap
from .site import build_moment, build_site
from .templating import PageItem, Renderer
from .urls import Urls, output_file
from .walk import walk
from .writer import StagingDir

THEME_ASSETS = "assets"
#: Below this many output files one process is faster than forking workers.
PARALLEL_MIN_ITEMS = 1500
#: Most processes started for the booklets (PDF) alone, beside the pages'
#: rendering: one core is left to the pages (on two cores, two such processes
#: made a cold build of the real site slower, each importing WeasyPrint).
PDF_WORKERS = 2


@dataclass
class RenderResult:
    """What one process rendered: HTML paths for the sitemap, and body records."""

    html_paths: list[str] = field(default_factory=list)
    slots: dict[str, list[SlotRecord]] = field(default_factory=dict)


def _cores() -> int:
    """The processors this process may run on (0 if unknown)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 0


def worker_count(items: int) -> int:
    """How many processes to render with: one for small sites, else the cores.

    ``WEGO_WORKERS`` overrides the choice (tests and benchmarks use it).
    """
    forced = os.environ.get("WEGO_WORKERS", "")
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    cores = _cores()
    if items < PARALLEL_MIN_ITEMS or cores < 2:
        return 1
    return min(cores, 4)


@dataclass
class RenderJob:
    """One build's rendering: every page item into the staging folder.

    Workers are forked, so they share the site model, the renderer and the items
    instead of pickling them; each renders an interleaved share (the output does
    not depend on the number of workers) and sends back only its result.

    The booklets (``item.pdf``: a second or more each, where a page takes
    milliseconds) are laid out by processes of their own (up to :data:`PDF_WORKERS`,
    and one fewer than the cores), started first and running beside the pages'
    rendering (which a small site does in this process); a process whose pages
    are done takes the booklets left.
    """

    renderer: Renderer
    stage: StagingDir
    items: list[PageItem]

    def render(self, items: list[PageItem]) -> RenderResult:
        """Render and write ``items``."""
        result = RenderResult()
        for item in items:
            data, slots = self.renderer.render_recorded(item)
            rel = output_file(item.path)
            self.stage.write(rel, data)
            if slots:
                result.slots[rel] = slots
            if item.template and item.sitemap and item.path.endswith("/"):
                result.html_paths.append(item.path)
        return result

    def run(self, workers: int) -> RenderResult:
        """Render everything on ``workers`` processes (plus the booklets' own);
        the merged, sorted result."""
        pages = [i for i in self.items if not i.pdf]
        pdfs = [i for i in self.items if i.pdf]
        if "fork" not in multiprocessing.get_all_start_methods():
            results = [self.render(self.items)]
        else:
            shares = [pages[k::workers] for k in range(workers)]
            extra = min(len(pdfs), PDF_WORKERS, max(1, _cores() - 1))
            results = self._forked(shares, extra, pdfs)
        total = RenderResult()
        for r in results:
            total.html_paths.extend(r.html_paths)
            total.slots.update(r.slots)
        total.html_paths.sort()
        return total

    def _forked(
        self, shares: list[list[PageItem]], extra: int, pdfs: list[PageItem]
    ) -> list[RenderResult]:
        """Each share in a forked process, except one share alone, which this
        process renders meanwhile; ``extra`` more processes for the booklets.
        The booklets go to whichever process is free first (a shared counter):
        their own processes start on them, the others take the rest when their
        pages are done."""
        ctx = multiprocessing.get_context("fork")
        counter = ctx.Value("l", 0) if pdfs else None
        inline = shares[0] if len(shares) == 1 else None
        forked = ([] if inline is not None else shares) + [[] for _ in range(extra)]
        running = []
        for items in forked:
            receive, send = ctx.Pipe(duplex=False)
            args = (items, pdfs, counter, send)
            process = ctx.Process(target=self._child, args=args, daemon=True)
            process.start()
            send.close()
            running.append((process, receive))
        results: list[Any] = []
        try:
            if inline is not None:
                results.append(self._work(inline, pdfs, counter))
        finally:
            for process, receive in running:
                try:
                    results.append(receive.recv())
                except EOFError:
                    results.append(WegoError("a rendering process ended without a result"))
                process.join()
        for r in results:
            if isinstance(r, BaseException):
                raise r
        return results

    def _work(self, items: list[PageItem], pdfs: list[PageItem], counter: Any) -> RenderResult:
        """``items``, then booklets not yet taken by another process."""
        result = self.render(items)
        while counter is not None:
            with counter.get_lock():
                n = counter.value
                counter.value += 1
            if n >= len(pdfs):
                break
            self.render([pdfs[n]])  # a booklet: no sitemap entry, no body records
        return result

    def _child(self, items: list[PageItem], pdfs: list[PageItem], counter: Any, send: Any) -> None:
        try:
            result: Any = self._work(items, pdfs, counter)
        except BaseException as exc:  # sent back and raised in the parent
            result = exc
        try:
            send.send(result)
        except Exception as exc:  # an exception that does not pickle
            send.send(WegoError(f"{type(result).__name__}: {result} ({exc})"))


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error the previous output is left untouched.

    What a build makes (content, model, page items) lives until its end, so after
    each stage those objects are frozen out of the cyclic garbage collector
    (``gc.freeze``): later collections stop re-scanning them (at 16,000 events the
    re-scans cost more than linear time), and forked workers do not copy the
    memory pages that a collection would touch. Everything is unfrozen at the end,
    so a long-running dev server collects old builds as usual.
    """
    try:
        return _build(options)
    finally:
        gc.unfreeze()


def _build(options: BuildOptions) -> BuildReport:
    report = BuildReport()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.timings[name] = now - clock
        clock = now

    if not options.templates.is_dir():
        raise UsageError(f"templates folder not found: {options.templates}")
    target = check_out(
        options.out, options.content, options.templates, options.cache, options.force
    )
    content = load_content(options.content, options.memo)
    gc.freeze()
    lap("load")
    today, now = build_moment(os.environ.get("SOURCE_DATE_EPOCH"), content.settings.timezone)
    site = build_site(
        content,
        today,
        now,
        drafts=options.drafts,
        booklets=options.pdf and content.settings.booklets,
    )
    urls = Urls(options.base_url or site.settings.base_url)
    renderer = Renderer(options.templates, site, urls, options.cache)
    gc.freeze()
    lap("model")
    stage = StagingDir(target.path, target.owned, target.adopted)
    try:
        items = list(all_items(site, urls))
        gc.freeze()  # before forking: see build()
        job = RenderJob(renderer, stage, items)
        rendered = job.run(options.workers or worker_count(len(items)))
        report.pages = len(rendered.html_paths) + 1  # + 404
        stage.write("sitemap.xml", renderer.render(sitemap(rendered.html_paths)))
        lap("render")
        for rel, source in site.static_files:
            stage.copy(rel.lstrip("/"), source)
        for rel, data in admin_files(content, urls, options.editor_port):
            if isinstance(data, bytes):
                stage.write(rel, data)
            else:
                stage.copy(rel, data)
        assets = options.templates / THEME_ASSETS
        for rel, entry in walk(assets):
            if entry.is_file() and not entry.name.startswith("."):
                stage.copy(f"{THEME_ASSETS}/{rel}", Path(entry.path))
        lap("write")
        if options.search:
            from .search import index_site

            index_site(stage.path, options.cache)
            lap("search")
        stage.commit()
        report.files, report.bytes, report.kept = stage.count, stage.bytes, stage.kept
    except WegoError:
        stage.discard()
        raise
    except Exception as exc:
        stage.discard()
        if os.environ.get("WEGO_DEBUG"):
            raise
        raise WegoError(f"build failed: {type(exc).__name__}: {exc}") from exc
    report.site, report.urls, report.renderer = site, urls, renderer
    report.slots, report.base_url = rendered.slots, urls.base_url
    return report


def preview_event(
    report: BuildReport, options: BuildOptions, path: Path
) -> dict[str, bytes] | None:
    """An edited event's own pages, rendered against the model of ``report``'s build.

    For the dev server, which shows them at once and then runs the full build.
    None when the change is not one event file whose year, references and
    validity let the previous model stand in for a new one (a full build then
    decides). Returns the output files by path inside ``options.out``.
    """
    from collections import ChainMap

    from .crossref import check_event
    from .loader import Loader
    from .models import Event
    from .pages.calendar import event_items
    from .site import EventEntry

    site, urls, renderer = report.site, report.urls, report.renderer
    if site is None or urls is None or renderer is None:
        return None
    try:
        rel = path.resolve().relative_to(options.content.resolve())
    except ValueError:
        return None
    if len(rel.parts) != 3 or rel.parts[0] != "events" or path.suffix != ".md":
        return None
    year = rel.parts[1]
    old = next((e for e in site.events if e.slug == path.stem and str(e.year) == year), None)
    loader = Loader(options.content)
    item = loader.one(path, Event, {"taxonomies": site.taxonomies})
    if item is None or loader.errors or old is None:
        return None
    if check_event(item, site.member, site.project, options.content):
        return None
    entry = EventEntry(
        item.slug, item.data, item.source.markdown, item.source.path, old.tz_default, old.region
    )
    texts = ChainMap({entry.markdown.key: entry.markdown.text}, site.bodies)
    return {
        output_file(page.path): renderer.render(page, texts)
        for page in event_items(entry, site, urls)
    }
