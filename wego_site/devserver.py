"""``serve``: build, watch, rebuild and live-reload on 127.0.0.1.

Built on livereload's server and handlers, with the dev-server hazards closed
(see the shared HAZARDS.md):

- it binds 127.0.0.1 by default and answers only requests whose ``Host`` is
  ``localhost``, ``127.0.0.1`` or ``[::1]`` (DNS rebinding); a missing or
  malformed ``Host`` is refused (403, or tornado's 400);
- it accepts the reload WebSocket only from those origins (a foreign or
  malformed ``Origin`` is 403), so only pages served from this machine can
  listen for reloads;
- it has no other way to trigger a reload: livereload's ``/forcereload``
  (which any web site could ``fetch()`` to reload every open tab) is not
  routed, nothing here or in livereload.js uses it, and it answers 404;
- it serves only files inside the output folder (tornado's StaticFileHandler
  refuses paths that resolve outside its root with 403);
- a malformed path answers 400, 403 or 404, never 500 and never a traceback:
  a path with a NUL byte (``/%00``, ``/index.html%00.txt``) is 400 wherever
  the NUL is, undecodable UTF-8 (``%c0%af``) is tornado's 400; a request line
  or headers over tornado's 64 KiB limit get the connection closed.

A content error is printed and the last good site stays up; the server never
dies of it.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .builder import BuildOptions, build, preview_event
from .errors import ContentErrors, WegoError
from .options import BuildReport

ALLOWED_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(host_header: str | None) -> bool:
    """True when a Host header names this machine (any port)."""
    if not host_header:
        return False
    try:
        host = urlsplit("//" + host_header).hostname
    except ValueError:  # e.g. "[" or "[::1": an unclosed IPv6 bracket
        return False
    return host in ALLOWED_HOSTS


def origin_allowed(origin: str | None) -> bool:
    """True when a WebSocket Origin is a page served from this machine."""
    if not origin:
        return False
    try:
        host = urlsplit(origin).hostname
    except ValueError:
        return False
    return host in ALLOWED_HOSTS


class ErrorBanner:
    """The content errors of the last failed rebuild, shown on every page."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def html(self) -> bytes:
        if not self.lines:
            return b""
        import html

        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines[:50])
        more = f"<li>... and {len(self.lines) - 50} more</li>" if len(self.lines) > 50 else ""
        return (
            '<div role="alert" style="position:fixed;z-index:99;left:0;right:0;bottom:0;'
            "max-height:45vh;overflow:auto;background:#fdecea;color:#5f1510;border-top:4px "
            'solid #b3261e;padding:.6rem 1rem;font:14px/1.4 monospace">'
            f"<strong>Content errors: showing the last good build.</strong><ul>{items}{more}"
            "</ul></div>"
        ).encode()


def make_app(
    root: Path, live_script: bytes | None = None, banner: ErrorBanner | None = None
) -> Any:
    """The tornado application: guarded static files and reload socket."""
    import mimetypes

    mimetypes.add_type("text/yaml", ".yml")  # the editor's config.yml (Decap checks it)
    from livereload.handlers import (
        LiveReloadHandler,
        LiveReloadJSHandler,
        StaticFileHandler,
    )
    from livereload.server import LiveScriptInjector
    from tornado import web

    class HostGuard:
        def prepare(self) -> None:
            if not host_allowed(self.request.headers.get("Host")):  # type: ignore[attr-defined]
                raise web.HTTPError(403, "forbidden host")

    class Static(HostGuard, StaticFileHandler):
        def parse_url_path(self, url_path: str) -> str:
            """Refuse a NUL byte (``/%00``): os.path.realpath would raise, a 500."""
            if "\x00" in url_path:
                raise web.HTTPError(400, "NUL byte in path")
            return str(super().parse_url_path(url_path))

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            if status_code == 404 and (root / "404.html").is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish((root / "404.html").read_bytes())
                return
            super().write_error(status_code, **kwargs)

    class Reload(HostGuard, LiveReloadHandler):
        def prepare(self) -> None:
            """Refuse a foreign or malformed Origin before tornado parses it (500)."""
            super().prepare()
            origin = self.request.headers.get("Origin")
            if origin is not None and not origin_allowed(origin):
                raise web.HTTPError(403, "forbidden origin")

        def check_origin(self, origin: str) -> bool:
            return origin_allowed(origin)

    class ReloadJS(HostGuard, LiveReloadJSHandler):
        pass

    # no /forcereload: any web site could fetch() it to reload every preview tab
    handlers: list[Any] = [
        (r"/livereload", Reload),
        (r"/livereload.js", ReloadJS),
        (r"/(.*)", Static, {"path": str(root), "default_filename": "index.html"}),
    ]
    transforms: list[Any] = []
    if live_script is not None:

        class Inject(LiveScriptInjector):
            script = live_script

            def __init__(self, request: Any) -> None:
                super().__init__(request)
                # the editor is never reloaded under an editor's hands (or shown the banner)
                self.skip = request.path == "/admin" or request.path.startswith("/admin/")

            def transform_first_chunk(  # type: ignore[no-untyped-def]
                self, status_code, headers, chunk, finishing
            ):
                if self.skip:
                    return status_code, headers, chunk
                status_code, headers, chunk = super().transform_first_chunk(
                    status_code, headers, chunk, finishing
                )
                extra = banner.html() if banner else b""
                if extra and b"</body>" in chunk and "html" in headers.get("Content-Type", ""):
                    chunk = chunk.replace(b"</body>", extra + b"</body>", 1)
                    if "Content-Length" in headers:
                        headers["Content-Length"] = str(int(headers["Content-Length"]) + len(extra))
                return status_code, headers, chunk

        transforms.append(Inject)
    return web.Application(handlers=handlers, transforms=transforms)


LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b's.src="/livereload.js?port="+(window.location.port||80);'
    b"document.head.appendChild(s);})();</script>"
)


class Preview:
    """Builds for the dev server: a full build after every change, and before it,
    for an edited event, its own page at once (the quick path).

    The quick path re-validates the one file and renders the event's page and
    .ics with the previous site model, so the browser shows the edit within
    milliseconds; the full build that follows is the exact site (list pages,
    member pages, feeds) and replaces the output atomically, as ``build`` does.
    """

    def __init__(self, options: BuildOptions, banner: ErrorBanner) -> None:
        self.options = options
        self.banner = banner
        self.report: BuildReport | None = None
        self.lock = threading.Lock()

    def full(self) -> bool:
        """Build everything; report errors; return True on success."""
        with self.lock:
            try:
                report = build(self.options)
            except ContentErrors as exc:
                self.banner.lines = [str(err) for err in exc.errors]
                for err in exc.errors:
                    print(str(err), file=sys.stderr)
                print(
                    f"{len(exc.errors)} content error(s); still serving the last good build",
                    file=sys.stderr,
                    flush=True,
                )
                return False
            except WegoError as exc:
                self.banner.lines = [str(exc)]
                print(
                    f"error: {exc}; still serving the last good build", file=sys.stderr, flush=True
                )
                return False
            self.banner.lines = []
            self.report = report
            print(report.summary(), flush=True)
            return True

    def quick(self, path: Path) -> bool:
        """Render an edited event's own pages now; False if this change needs a full build."""
        from .writer import write_atomic

        with self.lock:
            if self.report is None:
                return False
            pages = preview_event(self.report, self.options, path)
            if pages is None:
                return False
            for rel, data in pages.items():
                write_atomic(self.options.out / rel, data)
        return True


def _reload(path: str = "*") -> None:
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.reload_waiters(path)


def _ending_with(backend: Any) -> Callable[[int, Any], None]:
    """A SIGTERM handler: stop the editor's backend, then end as SIGTERM does
    (at once, as a plain ``serve`` does, without waiting for a build)."""

    def handler(signum: int, _frame: Any) -> None:
        from .editserver import stop

        stop(backend)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return handler


def serve(
    content: Path,
    templates: Path,
    port: int,
    host: str = "127.0.0.1",
    out: Path | None = None,
    force: bool = False,
    edit_port: int | None = None,
) -> None:
    """Build once, then serve, watch and rebuild on every change until interrupted.

    ``edit_port``: also ship ``/admin/`` and run its local backend (decap-server)
    on 127.0.0.1 at that port (see :mod:`wego_site.editserver`).
    """
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop
    from watchfiles import watch

    out = out or Path(tempfile.mkdtemp(prefix="wego-serve-")) / "site"
    shown_host = "localhost" if host == "127.0.0.1" else host
    options = BuildOptions(
        content=content,
        templates=templates,
        out=out,
        base_url=f"http://{shown_host}:{port}/",
        drafts=True,
        # the booklets take seconds to lay out: `build` makes them, not the preview
        pdf=False,
        memo={},
        # builds run on a thread beside the server's loop: never fork from it
        workers=1,
        force=force,
        editor_port=edit_port,
    )
    from .outdir import check_out

    check_out(out, content, templates, None, force)  # a refused --out ends serve (exit 2)
    backend = None
    if edit_port is not None:
        from . import editserver

        backend = editserver.start(content, edit_port)
        atexit.register(editserver.stop, backend)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _ending_with(backend))
    banner = ErrorBanner()
    preview = Preview(options, banner)
    preview.full()

    loop = IOLoop.current()
    pool = ThreadPoolExecutor(max_workers=1)
    pending = {"full": False, "running": False}

    def full_done(_future: Any) -> None:
        pending["running"] = False
        _reload()
        if pending["full"]:
            start_full()

    def start_full() -> None:
        pending["full"], pending["running"] = False, True
        pool.submit(preview.full).add_done_callback(lambda f: loop.add_callback(full_done, f))

    def on_change(paths: set[Path]) -> None:
        if len(paths) == 1 and preview.quick(next(iter(paths))):
            _reload()
        if pending["running"]:
            pending["full"] = True
        else:
            start_full()

    stop = threading.Event()

    def watcher() -> None:
        for changes in watch(
            content, templates, debounce=30, step=5, stop_event=stop, raise_interrupt=False
        ):
            paths = {Path(p) for _, p in changes if not Path(p).name.startswith(".")}
            if paths:
                loop.add_callback(on_change, paths)

    threading.Thread(target=watcher, daemon=True).start()
    LiveReloadHandler.watcher = SimpleNamespace(filepath=None)
    LiveReloadHandler.live_css = False
    app = make_app(out, LIVE_SCRIPT, banner)
    app.listen(port, address=host)
    print(f"Serving http://localhost:{port}/ (Ctrl+C to stop)", flush=True)
    if backend is not None:
        print(
            f"Editor: http://localhost:{port}/admin/ (saves into {content}/ through "
            f"decap-server on 127.0.0.1:{edit_port})",
            flush=True,
        )
    try:
        loop.start()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        stop.set()
        pool.shutdown(wait=False)
        if backend is not None:
            from .editserver import stop as stop_backend

            stop_backend(backend)
