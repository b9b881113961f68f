"""Nothing hostile gets through any output: CI annotations, the terminal, CSV,
URLs, invisible characters; "today" in the site's time zone; the contract's
own site.yaml."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import build_to, cli

NO_SEARCH = "--no-search"


def _set_field(path: Path, field: str, value: str) -> None:
    """Replace (or add) one front-matter / YAML line ``field: value``."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f"{field}:"):
            lines[i] = f"{field}: {value}"
            break
    else:
        at = 1 if lines[0] == "---" else 0
        lines.insert(at, f"{field}: {value}")
    path.write_text("\n".join(lines), encoding="utf-8")


# -- 3. GitHub workflow commands ------------------------------------------------


def test_github_annotations_cannot_inject_workflow_commands(corpus: Path) -> None:
    events = corpus / "events/2024"
    forged = "x\n::notice::All content is valid\n::stop-commands::token\n.md"
    (events / forged).write_text((events / "briefing.md").read_text())
    (events / "a,b:c.md").write_text((events / "briefing.md").read_text())
    res = cli("check", "--content", str(corpus), "--format", "github")
    assert res.code == 1
    lines = [line for line in res.err.splitlines() if line.startswith("::")]
    assert lines and all(line.startswith("::error file=") for line in lines), lines
    assert not [line for line in res.err.splitlines() if line.startswith(("::notice", "::stop"))]
    assert any("a%2Cb%3Ac.md,line=" in line for line in lines)
    # the newline is shown escaped, and the annotation stays on one line
    assert any("x\\x0a%3A%3Anotice%3A%3AAll content" in line for line in lines), lines


# -- 4. The terminal ---------------------------------------------------------------


def test_messages_show_control_characters_escaped(corpus: Path) -> None:
    ev = corpus / "events/2024/briefing.md"
    _set_field(ev, "category", '"\\e[2J\\e]0;pwned\\a"')
    (corpus / "events/2024/\x1b[32mok.md").write_text(ev.read_text())
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert "\x1b" not in res.err and "\x07" not in res.err
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in res.err
    assert "\\x1b[32mok.md" in res.err


# -- 5. Open-data CSV ----------------------------------------------------------------


def test_csv_cells_cannot_be_formulas_and_json_stays_exact(corpus: Path, tmp_path: Path) -> None:
    formula = '=HYPERLINK("https://evil.example","Click")'
    _set_field(corpus / "members/pittsburgh.yaml", "name", f"'{formula}'")
    _set_field(corpus / "members/sao-paulo.yaml", "name", "'-2+3'")
    _set_field(corpus / "members/almaty.yaml", "name", "'@SUM(A1)'")
    out = tmp_path / "out"
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO((out / "data/members.csv").read_text())))
    names = {r["name"] for r in rows}
    assert "'" + formula in names and "'-2+3" in names and "'@SUM(A1)" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for r in rows for n in r.values())
    data = json.loads((out / "data/members.json").read_text())
    records = data["items"]
    assert formula in {m["name"] for m in records}


# -- 6. URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("/\\\\evil.example", "backslash"),
        ("//evil.example", "another site"),
        ("javascript:alert(1)", "not allowed"),
        ("https:evil.example", "no host"),
        ("/a b", "space"),
    ],
)
def test_off_site_and_odd_urls_are_refused(corpus: Path, url: str, why: str) -> None:
    _set_field(corpus / "members/pittsburgh.yaml", "website", f'"{url}"')
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert "pittsburgh.yaml:" in res.err and "website:" in res.err and why in res.err


def test_link_and_image_urls_are_checked_too(corpus: Path) -> None:
    ev = corpus / "events/2024/briefing.md"
    _set_field(ev, "links", '[{label: Map, url: "/\\\\evil.example/map"}]')
    res = cli("check", "--content", str(corpus))
    assert res.code == 1 and "briefing.md:" in res.err and "backslash" in res.err


# -- 7. Control and invisible characters ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('"Forum\\x0b 2024"', "U+000B"),
        ('"Forum\\e[31m"', "U+001B"),
        ('"Forum \\u202Eevil"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"Forum\\u200B2024"', "U+200B ZERO WIDTH SPACE"),
        ('"Forum\\x85 2024"', "U+0085"),
    ],
)
def test_single_line_fields_refuse_controls_and_bidi(corpus: Path, value: str, shown: str) -> None:
    ev = corpus / "events/2024/briefing.md"
    _set_field(ev, "title", value)
    res = cli("check", "--content", str(corpus))
    assert res.code == 1, res.err
    line = next(line for line in res.err.splitlines() if "briefing.md" in line)
    assert ":2: title:" in line or ": title:" in line
    assert shown in line


def test_bodies_refuse_controls_with_their_line(corpus: Path) -> None:
    ev = corpus / "events/2024/briefing.md"
    text = ev.read_text()
    body_start = text.index("\n---", 3) + 5
    first_body_line = text.count("\n", 0, body_start) + 1
    ev.write_text(text[:body_start] + "Fine line.\nBad \x1b[2J line.\n" + text[body_start:])
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert f"briefing.md:{first_body_line + 1}: body: contains U+001B" in res.err


def test_persian_and_emoji_joiners_are_allowed(corpus: Path, tmp_path: Path) -> None:
    ev = corpus / "events/2024/briefing.md"
    _set_field(ev, "title", '"می\u200cخواهم — 👩\u200d💻 briefing"')
    out = tmp_path / "out"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    ET.fromstring((out / "feed.xml").read_bytes())  # still valid XML


# -- 8. Today in the site's time zone ----------------------------------------------------


def test_build_date_is_the_date_in_the_site_time_zone(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # 2024-12-31 15:30 UTC is 1 January 2025, 00:30 in Seoul (the fixture's zone)
    res = build_to(corpus, out, NO_SEARCH, env={"SOURCE_DATE_EPOCH": "1735659000"})
    assert res.code == 0, res.err
    home = (out / "index.html").read_text()
    assert 'datetime="2025-01-01"' in home and "1 January 2025" in home
    assert "31 December 2024" not in home
    calendar = (out / "calendar/index.html").read_text()
    assert "2025" in calendar.split("<h1", 1)[1].split("</h1>", 1)[0]


# -- The contract's own site.yaml ----------------------------------------------------------


def test_the_contracts_site_yaml_builds(corpus: Path, tmp_path: Path) -> None:
    (corpus / "site.yaml").write_text(
        "title: WeGO\nbase_url: https://example.org/wego/\nlanguage: en\ntimezone: Asia/Seoul\n"
    )
    out = tmp_path / "out"
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    home = (out / "index.html").read_text()
    assert "| WeGO</title>" in home and '<meta name="description" content="WeGO">' in home
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:author/a:name", namespaces=ns) == "WeGO"
    assert feed.findtext("a:author/a:uri", namespaces=ns) == "https://example.org/wego/"


def test_the_header_is_the_sites_own_not_wegos(corpus: Path, tmp_path: Path) -> None:
    """The theme names no organisation: the header shows site.yaml's names and
    menu pages, with a page's shorter menu_title."""
    settings = corpus / "site.yaml"
    settings.write_text(
        settings.read_text().replace("header_menu: [about]\n", "")
        + "full_name: The Fixture Association\nheader_menu: [about]\nfooter_menu_title: Work\n"
    )
    about = corpus / "pages/about.md"
    about.write_text(about.read_text().replace("menu: ", "menu_title: Us\nmenu: ", 1))
    out = tmp_path / "out"
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    home = (out / "index.html").read_text()
    header = home.split("<header", 1)[1].split("</header>", 1)[0]
    assert '>Fixture</span><span class="brand-text">The Fixture Association<' in header
    assert '<a href="/about/">Us</a>' in header and "WeGO" not in header
    assert 'aria-label="Fixture in numbers"' in home
    footer = home.split("<footer", 1)[1]
    assert '<h2 id="footer-pages">Work</h2>' in footer and ">About Fixture</a>" in footer
    assert "WeGO" not in footer


def test_header_menu_names_a_menu_page(corpus: Path) -> None:
    settings = corpus / "site.yaml"
    text = settings.read_text()
    settings.write_text(text.replace("header_menu: [about]", "header_menu: [abuot]"))
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert "site.yaml:10: header_menu.0: no menu page 'abuot' (did you mean 'about'?)" in res.err


def test_site_yaml_still_needs_title_and_base_url(corpus: Path) -> None:
    (corpus / "site.yaml").write_text("language: en\n")
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert "site.yaml:1: title:" in res.err and "base_url" in res.err


def test_the_scans_default_zone_is_the_models() -> None:
    from wego_site.models import SiteSettings
    from wego_site.rebuild.scan import DEFAULT_TIMEZONE

    assert SiteSettings.model_fields["timezone"].default == DEFAULT_TIMEZONE


# -- 9. Pathological Markdown --------------------------------------------------------------


def test_pathological_bodies_are_content_errors_not_minutes(corpus: Path, tmp_path: Path) -> None:
    """1 MiB of '[' took markdown-it about a minute; now each such body is reported
    (file:line: body:) and nothing is written. tests/test_markdown_limits.py holds
    the renderer's own bounds, relative to ordinary prose."""
    out = tmp_path / "out"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for i, chars in enumerate(["[", "![", "[*"]):
        body = chars * (1_000_000 // len(chars))
        (corpus / f"pages/heavy-{i}.md").write_text(f"---\ntitle: Heavy {i}\n---\n{body}")
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 1
    for i in range(3):
        assert f"heavy-{i}.md:4: body: the body has 1,000,000 Markdown markup" in res.err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_the_logo_and_area_colours_come_from_content(corpus: Path, tmp_path: Path) -> None:
    """The wordmark is the site's own file (alt text: short_title), checked to
    exist; programme-area colours must read as AA text on white."""
    settings = corpus / "site.yaml"
    base = settings.read_text()
    settings.write_text(base + "logo: /static/brand/missing.svg\n")
    tax = corpus / "taxonomies.yaml"
    tax_text = tax.read_text()
    tax.write_text(tax_text + 'category_colours:\n  governance: "#7cc7f4"\n')
    res = cli("check", "--content", str(corpus))
    assert res.code == 1  # (a vocabulary error stops the check before references)
    line = len(tax_text.splitlines()) + 2
    assert f"taxonomies.yaml:{line}: category_colours.governance: #7cc7f4 has 1.85:1" in res.err
    assert "AA needs 4.5:1" in res.err
    tax.write_text(tax_text)
    res = cli("check", "--content", str(corpus))
    assert "site.yaml:" in res.err and ": logo: no file content/static/brand/missing.svg" in res.err
    (corpus / "static/brand").mkdir(parents=True)
    (corpus / "static/brand/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings.write_text(base + "logo: /static/brand/logo.svg\n")
    tax.write_text(tax_text + 'category_colours:\n  governance: "#00558c"\n')
    out = tmp_path / "out"
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    home = (out / "index.html").read_text()
    assert '<img class="wordmark" src="/static/brand/logo.svg" alt="Fixture"' in home
    assert '[data-f-category="governance"],[data-area="governance"]' in home
    assert (out / "static/brand/logo.svg").is_file()
