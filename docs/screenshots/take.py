"""Screenshots of the reader's site for docs/screenshots/ (``make docs-screenshots``).

Builds nothing: serves ``_site/`` (run ``make site`` first) and photographs the
first screen of each page type at 1280 and 375 px with Debian's Chromium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PAGES = {
    "home": "/",
    "calendar": "/calendar/2024/",
    "catalog": "/projects/",
    "directory": "/members/",
    "governance": "/members/governance/",
    "project": "/projects/big-data-campus/",
    "member": "/members/seoul/",
    "country": "/members/country/kr/",
    "event": "/events/2024/excom-2024-almaty/",
}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(ROOT / "_site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height in ((1280, 900), (375, 740)):
            ctx = browser.new_context(viewport={"width": width, "height": height})
            page = ctx.new_page()
            for name, path in PAGES.items():
                page.goto(base + path)
                page.screenshot(path=str(OUT / f"{name}-{width}.png"))
            # a short member page, whole: its facts, then what is nearby
            page.goto(base + "/members/accra/")
            page.screenshot(path=str(OUT / f"member-short-{width}.png"), full_page=True)
            # the catalog filtered on a phone: Filter, a region, then the results
            if width == 375:
                page.goto(base + "/projects/")
                page.get_by_text("Filter projects", exact=True).click()
                page.locator("[data-facet=region] [data-key=latin-america]").click()
                page.screenshot(path=str(OUT / "catalog-filtering-375.png"))
                page.locator("[data-show-results]").click()
                page.wait_for_timeout(600)
                page.screenshot(path=str(OUT / "catalog-filtered-375.png"))
            ctx.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
