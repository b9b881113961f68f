"""Screenshots of every page type at phone and desktop width.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR]
Serves SITE_DIR (default _site) on 127.0.0.1 and writes PNGs to OUT_DIR
(default test-artifacts/screenshots).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

PAGES = {
    "home": "/",
    "calendar-2024": "/calendar/2024/",
    "calendar-2021": "/calendar/2021/",
    "event": "/events/2024/excom-2024-almaty/",
    "catalog": "/projects/",
    "project": "/projects/big-data-campus/",
    "members": "/members/",
    "member": "/members/seoul/",
    "governance": "/members/governance/",
    "growth": "/members/growth/",
    "about": "/about/",
}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "_site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, name in ((375, "phone"), (1280, "desktop")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for key, path in PAGES.items():
                page.goto(base + path)
                page.screenshot(path=str(out / f"{key}-{name}.png"), full_page=True)
            page.close()
        browser.close()
    httpd.shutdown()
    print(f"wrote {len(PAGES) * 2} screenshots to {out}")


if __name__ == "__main__":
    main()
