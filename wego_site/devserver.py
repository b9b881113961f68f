"""``serve``: build, watch, rebuild and live-reload on 127.0.0.1.

Built on livereload's server and handlers, with the dev-server hazards closed
(see the shared HAZARDS.md): it binds 127.0.0.1 by default, answers only
requests whose ``Host`` is ``localhost``, ``127.0.0.1`` or ``[::1]`` (DNS
rebinding), accepts the reload WebSocket only from those origins, and serves
only files inside the output folder (tornado's StaticFileHandler refuses
paths that resolve outside its root). A content error is printed and the last
good site stays up; the server never dies of it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .builder import BuildOptions, build
from .errors import ContentErrors, WegoError

ALLOWED_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(host_header: str | None) -> bool:
    """True when a Host header names this machine (any port)."""
    if not host_header:
        return False
    host = urlsplit("//" + host_header).hostname
    return host in ALLOWED_HOSTS


def origin_allowed(origin: str | None) -> bool:
    """True when a WebSocket Origin is a page served from this machine."""
    if not origin:
        return False
    host = urlsplit(origin).hostname
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
    from livereload.handlers import (
        ForceReloadHandler,
        LiveReloadHandler,
        LiveReloadJSHandler,
        StaticFileHandler,
    )
    from livereload.server import LiveScriptInjector
    from tornado import web

    class HostGuard:
        def prepare(self) -> None:  # type: ignore[misc]
            if not host_allowed(self.request.headers.get("Host")):  # type: ignore[attr-defined]
                raise web.HTTPError(403, "forbidden host")

    class Static(HostGuard, StaticFileHandler):  # type: ignore[misc]
        def write_error(self, status_code: int, **kwargs: Any) -> None:
            if status_code == 404 and (root / "404.html").is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish((root / "404.html").read_bytes())
                return
            super().write_error(status_code, **kwargs)

    class Reload(HostGuard, LiveReloadHandler):  # type: ignore[misc]
        def check_origin(self, origin: str) -> bool:
            return origin_allowed(origin)

    class ReloadJS(HostGuard, LiveReloadJSHandler):  # type: ignore[misc]
        pass

    class Force(HostGuard, ForceReloadHandler):  # type: ignore[misc]
        pass

    handlers = [
        (r"/livereload", Reload),
        (r"/forcereload", Force),
        (r"/livereload.js", ReloadJS),
        (r"/(.*)", Static, {"path": str(root), "default_filename": "index.html"}),
    ]
    transforms = []
    if live_script is not None:

        class Inject(LiveScriptInjector):  # type: ignore[misc]
            script = live_script

            def transform_first_chunk(  # type: ignore[no-untyped-def]
                self, status_code, headers, chunk, finishing
            ):
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


def serve(
    content: Path, templates: Path, port: int, host: str = "127.0.0.1", out: Path | None = None
) -> None:
    """Build once, then serve and rebuild on every change until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    out = out or Path(tempfile.mkdtemp(prefix="wego-serve-")) / "site"
    shown_host = "localhost" if host == "127.0.0.1" else host
    options = BuildOptions(
        content=content,
        templates=templates,
        out=out,
        base_url=f"http://{shown_host}:{port}/",
        drafts=True,
    )

    banner = ErrorBanner()

    def rebuild() -> None:
        try:
            report = build(options)
            banner.lines = []
            print(report.summary(), flush=True)
        except ContentErrors as exc:
            banner.lines = [str(err) for err in exc.errors]
            for err in exc.errors:
                print(str(err), file=sys.stderr)
            print(
                f"{len(exc.errors)} content error(s); still serving the last good build",
                file=sys.stderr,
                flush=True,
            )
        except WegoError as exc:
            banner.lines = [str(exc)]
            print(f"error: {exc}; still serving the last good build", file=sys.stderr, flush=True)

    rebuild()
    server = Server()
    server.watch(str(content), rebuild, delay=0)
    server.watch(str(templates), rebuild, delay=0)
    LiveReloadHandler.watcher = server.watcher
    LiveReloadHandler.live_css = False
    app = make_app(out, LIVE_SCRIPT, banner)
    app.listen(port, address=host)
    print(f"Serving http://localhost:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        LiveReloadHandler.start_tasks()
        IOLoop.current().start()
    except KeyboardInterrupt:
        print("stopped", flush=True)
