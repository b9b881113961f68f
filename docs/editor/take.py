"""Screenshots of the browser editor for docs/editor.md (``make editor-screenshots``).

Runs ``build.py serve --edit`` on a throw-away copy of ``content/`` (nothing in
the repository is touched), drives /admin/ in Debian's Chromium as an editor
would, and writes the PNGs beside this file.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def open_route(pg: Page, base: str, route: str) -> None:
    pg.goto("about:blank")
    pg.goto(f"{base}admin/#/collections/{route}")
    pg.wait_for_timeout(1500)


def choose(pg: Page, label: str, text: str) -> None:
    pg.get_by_label(label, exact=True).first.click()
    pg.keyboard.type(text)
    pg.get_by_role("option", name=text).first.click()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="wego-editor-shots-"))
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    port, edit_port = free_port(), free_port()
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port)]
        + ["--out", str(work / "site"), "--edit", "--edit-port", str(edit_port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://localhost:{port}/"
    try:
        while "Editor:" not in (work / "serve.log").read_text():
            if proc.poll() is not None:
                raise SystemExit((work / "serve.log").read_text())
            time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width, height in ((1280, 860), (375, 812)):
                pg = browser.new_page(viewport={"width": width, "height": height})
                pg.goto(base + "admin/")
                pg.get_by_role("button", name="Login").click()
                pg.get_by_text("Collections").first.wait_for()
                open_route(pg, base, "events/filter/2024")
                pg.screenshot(path=str(OUT / f"events-{width}.png"))
                if width == 375:
                    continue
                open_route(pg, base, "events/new")
                for label, text in (
                    ("Year folder", "2025"),
                    ("Title", "Smart City Forum 2025"),
                    ("Date", "2025-Q3"),
                ):
                    pg.get_by_label(label, exact=True).first.fill(text)
                choose(pg, "Category", "Conferences & Expos")
                choose(pg, "Host (optional)", "Seoul Metropolitan Government")
                pg.get_by_label("Summary", exact=True).first.fill("A forum of WeGO members.")
                preview = pg.frame_locator("iframe").first
                preview.get_by_text("Seoul Metropolitan Government").wait_for()
                pg.screenshot(path=str(OUT / "new-event-1280.png"))
                year = pg.get_by_label("Year folder", exact=True).first
                year.click()
                pg.keyboard.press("Control+A")
                pg.keyboard.type("2024")  # not the date's year: refused before saving
                pg.get_by_role("button", name="Publish").first.click()
                pg.get_by_text("Publish now").click()
                pg.get_by_text("Failed to persist entry").first.wait_for()
                pg.wait_for_timeout(1000)
                pg.screenshot(path=str(OUT / "refused-1280.png"))
                pg.once("dialog", lambda d: d.accept())  # leave the unsaved entry
                open_route(pg, base, "projects/entries/big-data-campus")
                pg.frame_locator("iframe").first.get_by_text("Key results").first.wait_for()
                pg.screenshot(path=str(OUT / "edit-project-1280.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
