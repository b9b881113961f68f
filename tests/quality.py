"""Helpers for the quality gates: a sub-path static server and page types."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: One page of each type a reader sees, as site paths (without the sub-path).
PAGE_TYPES = {
    "home": "/",
    "calendar-year": "/calendar/2024/",
    "calendar-2021": "/calendar/2021/",
    "calendar-filter": "/calendar/2024/category/governance/",
    "review": "/calendar/2020/review/",
    "event": "/events/2024/excom-2024-almaty/",
    "event-timed": "/events/2021/kick-off-briefing-session/",
    "catalog": "/projects/",
    "catalog-filter": "/projects/sector/e-government/",
    "project": "/projects/big-data-campus/",
    "members": "/members/",
    "members-filter": "/members/region/africa/",
    "member": "/members/seoul/",
    "country": "/members/country/kr/",
    "governance": "/members/governance/",
    "growth": "/members/growth/",
    "page": "/about/",
    "search": "/search/",
    "not-found": "/404.html",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/wego"

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix and not path.startswith(self.prefix + "/"):
            return str(Path(self.directory) / "__none__")
        return super().translate_path(path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve(site: Path, prefix: str = "/wego") -> Iterator[str]:
    """Serve ``site`` at http://127.0.0.1:PORT<prefix>/; yield that base URL."""
    handler_cls = type("Handler", (_Handler,), {"prefix": prefix})
    handler = functools.partial(handler_cls, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def readers_pages(site: Path) -> list[Path]:
    """Every HTML page readers are meant to see: not the editor at /admin/
    (tests/test_admin.py checks that page on its own terms)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")
