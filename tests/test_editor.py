"""The browser editor at /admin/, end to end: ``build.py serve --edit`` on a copy
of the fixture corpus, Decap CMS in Debian's Chromium, and the files it writes.

Decap's UI is driven as an editor would: labels, buttons, typing. Each entry
is opened with a full page load (switching entries by URL hash once saved a
draft into the wrong file: issue #20).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from test_browser import ARGS, CHROMIUM

from conftest import FIXTURE, ROOT, run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Editing:
    content: Path
    base: str  # http://localhost:P/
    page: object  # a Playwright page logged in to /admin/
    errors: list[str]  # uncaught errors in the page

    def open(self, route: str) -> None:
        """A full page load on ``#/collections/<route>``, then wait for the form."""
        pg = self.page
        pg.goto("about:blank")  # type: ignore[attr-defined]
        pg.goto(f"{self.base}admin/#/collections/{route}")  # type: ignore[attr-defined]
        pg.get_by_label("Title", exact=True).first.wait_for()  # type: ignore[attr-defined]

    def type(self, label: str, text: str) -> None:
        box = self.page.get_by_label(label, exact=True).first  # type: ignore[attr-defined]
        box.click()
        box.fill(text)

    def choose(self, label: str, text: str) -> None:
        """A select or relation widget (react-select): type, wait for the option, pick it."""
        pg = self.page
        pg.get_by_label(label, exact=True).first.click()  # type: ignore[attr-defined]
        pg.keyboard.type(text)  # type: ignore[attr-defined]
        pg.get_by_role("option", name=re.compile(re.escape(text))).first.click()  # type: ignore[attr-defined]

    def publish(self) -> None:
        pg = self.page
        pg.get_by_role("button", name="Publish").first.click()  # type: ignore[attr-defined]
        pg.get_by_text("Publish now").click()  # type: ignore[attr-defined]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def wait_for(what: str, test, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[Editing]:
    """``serve --edit`` on a copy of the fixture corpus, and Chromium logged in to /admin/."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: run 'sudo apt-get install chromium'")
    content = tmp_path / "repo" / "content"
    shutil.copytree(FIXTURE, content)
    port, edit_port = free_port(), free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--content",
            str(content),
            "--out",
            str(tmp_path / "out"),
            "--port",
            str(port),
            "--edit",
            "--edit-port",
            str(edit_port),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1718409600"},
    )
    base = f"http://localhost:{port}/"
    try:
        wait_for("serve --edit to start", lambda: "Editor:" in Path(log.name).read_text())
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(f"{e}: {e.stack}"[:600]))
            requests: list[str] = []
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto(base + "admin/")
            pg.get_by_role("button", name="Login").click()
            pg.get_by_text("Collections").first.wait_for()
            yield Editing(content, base, pg, errors)
            assert errors == [], errors
            foreign = [
                u
                for u in requests
                if not u.startswith(
                    ("http://localhost", "http://127.0.0.1", "about:", "data:", "blob:")
                )
            ]
            assert foreign == [], f"the editor fetched from elsewhere: {foreign[:5]}"
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def written(path: Path, marker: str = "") -> tuple[dict, str] | None:
    """The file's front matter and body once decap-server has written all of it.

    decap-server's fs backend writes in place (``fs.writeFile``: the file is
    created empty, then filled), so a file that exists may not be complete yet.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if text.count("---\n") < 2 or marker not in text:
        return None
    return front_matter(path)


def test_create_an_event_in_the_browser(editing: Editing) -> None:
    """A new event (title, quarter date, category, host from the members) is
    previewed as readers read it, saved under content/events/<year>/<slug>.md,
    passes check and is served."""
    ed = editing
    ed.open("events/new")
    ed.type("Year folder", "2025")
    ed.type("Title", "Smart City Forum 2025")
    ed.type("Date", "2025-Q3")
    ed.choose("Category", "Conferences & Expos")
    ed.choose("Host (optional)", "Seoul")
    ed.type("Summary", "A forum of WeGO members.")
    # the preview pane reads like the site: labels and names, not keys
    preview = ed.page.frame_locator("iframe").first  # type: ignore[attr-defined]
    preview.get_by_text("Q3 2025").wait_for()
    shown = preview.locator("article").inner_text()
    for said in ("Smart City Forum 2025", "Conferences & Expos", "Seoul Metropolitan Government"):
        assert said in shown, shown
    assert "conferences-and-expos" not in shown and "2025-Q3" not in shown, shown
    ed.publish()

    path = ed.content / "events" / "2025" / "smart-city-forum-2025.md"
    data, _ = wait_for(f"{path} to be written", lambda: written(path))
    assert data["title"] == "Smart City Forum 2025"
    assert str(data["date"]) == "2025-Q3"
    assert data["category"] == "conferences-and-expos"
    assert data["host"] == "seoul"
    assert "" not in data.values()  # fields never typed in are absent, not ""

    result = run_cli("check", "--content", str(ed.content))
    assert result.code == 0, result.err

    page = f"{ed.base}events/2025/smart-city-forum-2025/"
    status, html = wait_for("the page to be built", lambda: (r := get(page))[0] == 200 and r)
    assert "Smart City Forum 2025" in html
    assert "Q3 2025" in html or "2025-Q3" in html or "Jul" in html


def test_a_rule_no_widget_expresses_is_checked_before_saving(editing: Editing) -> None:
    """A year folder that is not the date's year: the loader's message, nothing saved."""
    ed = editing
    ed.open("events/new")
    ed.type("Year folder", "2024")
    ed.type("Title", "Misfiled Meeting")
    ed.type("Date", "2025-03")
    ed.choose("Category", "Governance")
    ed.type("Summary", "The year folder does not match.")
    ed.publish()
    pg = ed.page
    message = pg.get_by_text(re.compile("is in folder '2024' but its date is in 2025"))  # type: ignore[attr-defined]
    message.first.wait_for()
    assert "Failed to persist entry" in pg.inner_text("body")  # type: ignore[attr-defined]
    time.sleep(1)
    assert not list(ed.content.glob("events/*/misfiled-meeting.md"))
    ed.errors.clear()  # Decap leaves the refused save's rejection unhandled


def test_events_open_on_a_year_not_on_an_empty_folder(editing: Editing) -> None:
    """content/events/ holds year folders only: "Events" opens on the latest
    (the fixture has 2024 and 2025), listing that year's events."""
    pg = editing.page
    pg.goto("about:blank")  # type: ignore[attr-defined]
    pg.goto(f"{editing.base}admin/#/collections/events")  # type: ignore[attr-defined]
    pg.get_by_text("General Assembly 2025").first.wait_for()  # type: ignore[attr-defined]
    assert pg.url.endswith("#/collections/events/filter/2025")  # type: ignore[attr-defined]
    assert "No Entries" not in pg.inner_text("body")  # type: ignore[attr-defined]
    # a new entry's button says what it does in any font (Decap's is "＋ Event")
    assert pg.get_by_text("New Event", exact=True).is_visible()  # type: ignore[attr-defined]


def test_edit_a_project_s_sectors(editing: Editing) -> None:
    """One field edited: every other field and the body survive; what Decap
    rewrites is what docs/editor.md says (comments, flow style, key order)."""
    ed = editing
    path = ed.content / "projects" / "big-data-campus.md"
    original = path.read_text(encoding="utf-8")
    # an editor's comment in the front matter, to see what becomes of it
    path.write_text(original.replace("funding:", "# source: annual report 2020\nfunding:", 1))
    before, body_before = front_matter(path)

    ed.open("projects/entries/big-data-campus")
    ed.choose("Sectors", "Healthcare")
    ed.publish()

    after, body_after = wait_for("the file to change", lambda: written(path, "healthcare"))
    assert after["sectors"] == [*before["sectors"], "healthcare"]
    assert {k: v for k, v in after.items() if k != "sectors"} == {
        k: v for k, v in before.items() if k != "sectors"
    }
    assert body_after == body_before  # the body is kept byte for byte (raw Markdown mode)
    text = path.read_text(encoding="utf-8")
    # documented in docs/editor.md, "What the editor rewrites":
    assert "# source: annual report 2020" not in text  # comments are dropped
    assert "sectors:\n  - e-government\n" in text  # flow lists become block lists
    assert run_cli("check", "--content", str(ed.content)).code == 0

    page = f"{ed.base}projects/big-data-campus/"
    wait_for("the page to show the sector", lambda: "Healthcare" in get(page)[1])
