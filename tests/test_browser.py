"""Browser tests in Debian's Chromium driven by Playwright: facets, search,
keyboard use, console errors, axe-core, layout at 375 px, screenshots.

Chromium must be at /usr/bin/chromium (`apt-get install chromium`; `make test`
and `.ci/run` install it). Without it these tests FAIL with that message: they
are never skipped silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from quality import PAGE_TYPES, serve

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
#: Full-page screenshots of every page type, only when asked (``make screenshots``):
#: drawing them took a third of the browser tests' time and nothing reads them.
TAKE_SHOTS = os.environ.get("WEGO_SHOTS") == "1"


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    """A full-page screenshot in test-artifacts/, when asked for (WEGO_SHOTS=1)."""
    if TAKE_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing: run 'sudo apt-get install chromium' "
            "(make test and .ci/run install it); browser tests cannot run"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture
def page(browser, base: str):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def visible_items(pg) -> list[str]:  # type: ignore[no-untyped-def]
    return pg.eval_on_selector_all(
        "[data-results] [data-item]:not([hidden])", "els => els.map(e => e.dataset.item)"
    )


def query(pg) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    # the page's own location: Playwright's page.url learns of pushState a moment
    # later, which a busy machine (pytest -n) makes visible
    return parse_qs(pg.evaluate("location.search").lstrip("?"))


def settles_on(pg, want: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Wait (up to 10 s) until the page lists exactly ``want``: going back into
    entries pushed before a reload, the filter page reloads itself."""
    script = (
        "want => JSON.stringify(Array.from(document.querySelectorAll("
        "'[data-results] [data-item]:not([hidden])'), e => e.dataset.item))"
        " === JSON.stringify(want)"
    )
    try:
        pg.wait_for_function(script, arg=want, timeout=10_000)
    except Exception:  # noqa: BLE001 - the assertion below says what differs
        pass
    assert visible_items(pg) == want


def here(pg) -> str:  # type: ignore[no-untyped-def]
    """The page's path and query, without the site's /wego prefix."""
    where = pg.evaluate("location.pathname + location.search")
    assert where.startswith("/wego/"), where
    return where[len("/wego") :]


def facet(pg, name: str):  # type: ignore[no-untyped-def]
    return pg.get_by_role("button", name=name)


def test_catalog_facets_url_state_and_history(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/projects/")
    everything = visible_items(page)
    total = len(everything)
    assert total > 20
    facet(page, "Latin America").first.click()
    latam = visible_items(page)
    assert 0 < len(latam) < total
    # one URL per filter state: a state with a pre-rendered page is written as its path
    assert here(page) == "/projects/region/latin-america/"
    assert f"Showing {len(latam)} of {total} projects" in page.inner_text("[data-result-count]")
    # counts of other facets follow the selection
    safety = facet(page, "Public Safety").first
    n = int(safety.locator("[data-count]").inner_text())
    safety.click()
    both = visible_items(page)
    assert len(both) == n and "my-safe-city" in both
    assert here(page) == "/projects/region/latin-america/sector/public-safety/"
    assert facet(page, "Public Safety").first.get_attribute("aria-pressed") == "true"
    page.reload()  # the pre-rendered page of the same state
    assert visible_items(page) == both
    page.go_back()
    settles_on(page, latam)
    page.go_back()
    settles_on(page, everything)
    page.go_forward()
    settles_on(page, latam)
    assert not page.errors, page.errors


def test_catalog_or_within_facet(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/projects/?region=latin-america")
    assert here(page) == "/projects/region/latin-america/"  # the query form, rewritten
    a = len(visible_items(page))
    facet(page, "Asia-Pacific").first.click()
    assert len(visible_items(page)) > a
    # no page for two regions: the query form, in one order whatever the clicks
    assert here(page) == "/projects/?region=asia-pacific&region=latin-america"
    facet(page, "Asia-Pacific").first.click()
    assert here(page) == "/projects/region/latin-america/"


def test_prerendered_filter_page_keeps_the_state(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """On a pre-rendered page, a value whose page does not exist (a second
    region) adds to the selection instead of replacing it."""
    page.goto(base + "/projects/region/latin-america/")
    a = len(visible_items(page))
    page.locator("[data-facet=region] [data-key=asia-pacific]").click()
    page.wait_for_url("**/wego/projects/?region=asia-pacific&region=latin-america")
    assert len(visible_items(page)) > a
    assert "Latin America" in page.inner_text("h1") and "Asia-Pacific" in page.inner_text("h1")
    # a value that has its page (a pair of two facets) is followed as a link
    page.goto(base + "/projects/region/latin-america/")
    page.locator("[data-facet=sector] [data-key=public-safety]").click()
    page.wait_for_url("**/wego/projects/region/latin-america/sector/public-safety/")
    assert not page.errors, page.errors


def test_catalog_text_narrowing(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/projects/")
    page.get_by_label("Find projects by words in the title, city or summary").fill("big data")
    assert visible_items(page) == ["big-data-campus"]
    assert query(page)["q"] == ["big data"]
    page.get_by_role("link", name="Clear filters").click()
    assert len(visible_items(page)) > 20


def test_catalog_without_javascript(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(base + "/projects/")
    pg.get_by_role("link", name="Public Safety").first.click()
    pg.wait_for_url("**/wego/projects/sector/public-safety/")
    pg.get_by_role("link", name="Latin America").first.click()
    pg.wait_for_url("**/wego/projects/region/latin-america/sector/public-safety/")
    assert "my-safe-city" in visible_items(pg)
    assert pg.locator("[data-text-filter]").is_hidden()
    ctx.close()


def test_calendar_category_filter(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/calendar/2024/")
    facet(page, "Governance").first.click()
    shown = visible_items(page)
    assert "excom-2024-almaty" in shown and "cop29" not in shown
    assert here(page) == "/calendar/2024/category/governance/"
    assert page.locator("#m11").is_hidden()  # November has no governance events
    assert not page.errors, page.errors


def test_directory_search_box(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/members/")
    page.get_by_label("Find a member by name").fill("almaty")
    assert visible_items(page) == ["almaty"]
    assert page.locator("#h-africa").is_hidden()
    page.get_by_label("Find a member by name").fill("")
    assert len(visible_items(page)) > 150


def test_keyboard_only_use(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/projects/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.key") == "asia-pacific":
            break
    else:
        pytest.fail("the Asia-Pacific facet is not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert here(page) == "/projects/region/asia-pacific/"
    page.keyboard.press(" ")
    assert here(page) == "/projects/"
    page.keyboard.press("Enter")
    assert here(page) == "/projects/region/asia-pacific/"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Big Data", ["/projects/big-data-campus/"]),
        (
            "Almaty",
            ["/members/almaty/", "/events/2024/excom-2024-almaty/", "/projects/almaty-data-lake/"],
        ),
    ],
)
def test_site_search(page, base: str, q: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.locator("#site-q").fill(q)
    page.locator("#site-q").press("Enter")
    page.wait_for_selector("[data-search-results] li", timeout=15000)
    assert parse_qs(urlsplit(page.url).query)["q"] == [q]
    hrefs = page.eval_on_selector_all(
        "[data-search-results] li h2 a", "els => els.map(a => a.getAttribute('href'))"
    )
    for path in expected:
        assert "/wego" + path in hrefs, hrefs
    meta = page.inner_text("[data-search-results] li .card-meta")
    assert meta.split(" · ")[0] in {"Event", "Project", "Page"} or meta.startswith("Member")
    assert not page.errors, page.errors


def test_site_search_type_filter(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/search/?q=Almaty&type=Event")
    page.wait_for_selector("[data-search-results] li", timeout=15000)
    hrefs = page.eval_on_selector_all(
        "[data-search-results] li h2 a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all("/events/" in h for h in hrefs)


def test_time_relabelling_from_the_readers_clock(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.clock.set_fixed_time("2024-09-20T12:00:00+09:00")
    pg.goto(base + "/events/2024/excom-2024-almaty/")
    assert pg.locator(".facts [data-timing]").inner_text() == "Ongoing"
    pg.clock.set_fixed_time("2024-01-01T12:00:00+09:00")
    pg.reload()
    assert pg.locator(".facts [data-timing]").inner_text() == "Upcoming"
    ctx.close()


@pytest.mark.parametrize(
    ("now", "shown", "timing"),
    [
        # the fixture is built "as of" 2024-06-15
        ("2024-06-15T12:00:00+09:00", "Smart City Champions", "Ongoing"),
        ("2024-09-20T12:00:00+09:00", "WeGO Executive Committee Meeting 2024", "Ongoing"),
        ("2024-10-15T12:00:00+09:00", "Seoul Smart City Prize Ceremony", "Ongoing"),
        ("2024-12-01T12:00:00+09:00", "General Assembly 2025", "Upcoming"),
        ("2024-06-20T12:00:00+09:00", "Africa Smart Cities Network", "Upcoming"),
    ],
)
def test_home_relabels_upcoming_from_the_readers_clock(  # type: ignore[no-untyped-def]
    browser, built: Path, now: str, shown: str, timing: str
) -> None:
    with serve(built, prefix="") as url:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.clock.set_fixed_time(now)
        pg.goto(url + "/")
        items = pg.locator("[data-upcoming-list] > li:not([hidden])")
        titles = [t.strip() for t in items.locator(".event-title").all_inner_texts()]
        assert shown in titles
        item = items.filter(has_text=shown).first
        assert item.locator("[data-timing]").inner_text() == timing
        lasts = pg.eval_on_selector_all(
            "[data-upcoming-list] > li:not([hidden])", "els => els.map(e => e.dataset.last)"
        )
        assert all(last >= now[:10] for last in lasts)
        assert pg.locator("[data-as-of]").is_hidden()
        ctx.close()


def test_local_time_is_added(browser, built: Path) -> None:  # type: ignore[no-untyped-def]
    with serve(built, prefix="") as url:
        ctx = browser.new_context(timezone_id="Europe/Berlin")
        pg = ctx.new_page()
        pg.goto(url + "/events/2024/briefing/")
        text = pg.locator(".facts").inner_text()
        assert "17:00 KST (08:00 UTC)" in text and ", 09:00 your time" in text  # with its day
        ctx.close()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_types_axe_console_layout(browser, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """No serious/critical axe violation, no console error, no sideways scroll at
    375 px, no status line that repeats itself."""
    errors: list[str] = []
    # one page load per type: at 1280 px for axe (as a desktop reader gets it, the
    # filter panel open), then narrowed to 375 px for the sideways-scroll check
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    path = "/no-such-page/" if name == "not-found" else PAGE_TYPES[name]
    resp = pg.goto(base + path)
    assert resp and resp.status == (404 if name == "not-found" else 200)
    text = pg.inner_text("body")
    for bad in ("Online · online", "Singapore, Singapore", "TBD (TBD)"):
        assert bad not in text, (name, bad)
    shot(pg, f"{name}-1280")
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
          .map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.slice(0, 3)
          .map(n => n.target.join(' ')).join(' | '));
    }""")
    assert not result, f"{name}: " + "\n".join(result)
    pg.set_viewport_size({"width": 375, "height": 800})
    overflow = pg.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"
    shot(pg, f"{name}-375")
    ctx.close()
    errors = [e for e in errors if "404" not in e or name != "not-found"]
    assert not errors, errors


def test_phone_filter_tap_keeps_the_count_in_view(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    """On a phone the filters sit behind a Filter button; after a tap the count is
    on screen (the sticky "Show N projects"), which closes the panel onto the results."""
    ctx = browser.new_context(viewport={"width": 375, "height": 740})
    pg = ctx.new_page()
    pg.goto(base + "/projects/")
    panel = pg.locator("[data-collapse-narrow]")
    assert panel.evaluate("d => d.open") is False
    pg.get_by_text("Filter projects", exact=True).click()
    pg.locator("[data-facet=region] [data-key=latin-america]").click()
    show = pg.locator("[data-show-results]")
    box = show.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 740, box
    shown = len(visible_items(pg))
    assert show.inner_text() == f"Show {shown} projects" and 0 < shown < 32
    assert pg.title().startswith("Latin America: ")
    assert pg.locator("h1 .filter-name").inner_text() == "Latin America"
    show.click()
    assert panel.evaluate("d => d.open") is False
    chip = pg.get_by_role("button", name="Remove filter: Latin America")
    assert chip.is_visible() and chip.bounding_box()["y"] < 740  # type: ignore[index]
    chip.click()
    assert query(pg) == {} and len(visible_items(pg)) == 32
    assert pg.locator("[data-chips]").is_hidden()
    ctx.close()


def test_zero_count_options_are_not_links(page, base: str) -> None:  # type: ignore[no-untyped-def]
    for path in ("/projects/", "/projects/sector/e-government/", "/calendar/2024/"):
        page.goto(base + path)
        empty = page.locator(".facet-value.is-empty")
        assert empty.count() > 0, path
        for n in range(empty.count()):
            el = empty.nth(n)
            assert el.inner_text().split()[-1] == "0"
            assert el.get_attribute("href") is None, (path, el.inner_text())
            assert el.get_attribute("role") != "link"
        assert page.get_by_role("link", name="Africa 0").count() == 0
    # with JavaScript, an option emptied by another facet stops being a link too
    page.goto(base + "/projects/")
    page.locator("[data-facet=region] [data-key=latin-america]").click()
    emptied = page.locator("[data-facet=sector] .facet-value.is-empty")
    assert emptied.count() > 0
    assert all(emptied.nth(n).get_attribute("href") is None for n in range(emptied.count()))


def test_member_map_shapes_are_named_links(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/members/")
    links = page.locator(".world-map svg a")
    n = links.count()
    assert n == page.locator("[data-results] section.country").count() > 50
    korea = page.get_by_role("link", name="Republic of Korea: 12 members")
    assert korea.count() == 1
    for _ in range(400):  # keyboard reachable
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label') || ''").startswith(
            "Afghanistan"
        ):
            break
    else:
        pytest.fail("the map's countries are not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/country/af/")
    assert page.locator("h1").inner_text() == "Afghanistan"


def test_calendar_month_bar(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/calendar/2024/")
    bar = page.get_by_role("navigation", name="Months of 2024")
    assert bar.get_by_role("link").count() >= 12
    bar.get_by_role("link", name="September 2024").click()
    assert page.evaluate("location.hash") == "#m9"
    # (scrolling is smooth unless the reader prefers reduced motion)
    page.wait_for_function("document.getElementById('m9').getBoundingClientRect().top < 200")
    # filtering filters the overview too
    page.goto(base + "/calendar/2024/")
    facet(page, "Governance").first.click()
    rows = page.locator(".overview tbody[data-filtered]:not([hidden])")
    assert rows.count() == 1 and rows.get_attribute("data-f-category") == "governance"
    ctx_phone = page.context.browser.new_context(viewport={"width": 375, "height": 740})
    phone = ctx_phone.new_page()
    phone.goto(base + "/calendar/2024/")
    phone.mouse.wheel(0, 3000)
    phone.wait_for_timeout(200)
    box = phone.locator(".month-bar").bounding_box()
    assert box and box["y"] <= 1, box  # sticky at the top while scrolling
    ctx_phone.close()


def test_home_first_screen_names_the_programme(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    for width, height in ((375, 740), (1280, 900)):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        pg = ctx.new_page()
        pg.goto(base + "/")
        first = pg.evaluate(
            """h => Array.from(document.querySelectorAll('main :is(h1, h2, h3, p, li)'))
              .filter(e => e.getBoundingClientRect().top < h && e.offsetParent !== null)
              .map(e => e.innerText).join(' ')""",
            height,
        )
        assert "No upcoming events" not in first and "no events" not in first.lower()
        assert "2024 programme" in first, first
        ctx.close()


def _hrefs(pg):  # type: ignore[no-untyped-def]
    return pg.eval_on_selector_all(
        "[data-search-results] li h2 a", "els => els.map(a => a.getAttribute('href'))"
    )


def test_search_ranks_names_first_knows_aliases_and_loads_more(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/search/?q=Hanoi")
    page.wait_for_selector("[data-search-results] li", timeout=15000)
    assert _hrefs(page)[0] == "/wego/members/ha-noi/"
    page.goto(base + "/search/?q=Seoul")
    page.wait_for_selector("[data-search-results] li", timeout=15000)
    assert _hrefs(page)[0] == "/wego/members/seoul/"  # the city, by its name
    status = page.inner_text("[data-search-status]")
    total = int(status.split()[0])
    assert total > 20 and "showing 20" in status
    assert "Past" not in page.inner_text("[data-search-results]").split()
    more = page.get_by_role("button", name=re.compile(r"^Show \d+ more$"))
    more.click()
    page.wait_for_function("document.querySelectorAll('[data-search-results] li').length > 20")
    assert page.evaluate("document.activeElement.closest('li') !== null")
    assert len(_hrefs(page)) == min(total, 40)
