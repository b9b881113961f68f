"""/admin/, the browser editor as the build ships it: the vendored Decap CMS,
the generated config with site.yaml's backend, the page kept from readers'
indexes, the pre-save checks and ``serve --edit``'s local backend.
(tests/test_editor.py drives it in Chromium.)"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE, ROOT, build_to, cli, run_cli
from wego_site.admin import BUNDLE, OWN, bundle_files, bundle_version


def with_editor(content: Path, editor: str) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text() + editor)


def test_the_real_site_ships_the_editor_out_of_readers_sight(real_site: Path) -> None:
    admin = real_site / "admin"
    page = (admin / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "data-pagefind-body" not in page  # so Pagefind leaves it out of the index
    for src in ("decap-cms.js", "wego-admin.js"):
        assert f'<script src="{src}"></script>' in page
        assert (admin / src).is_file()
    assert "/admin/" not in (real_site / "sitemap.xml").read_text()
    fragments = list((real_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) > 100  # the search index is there, and the editor is not in it
    assert not [f for f in fragments if b"/admin/" in gzip.decompress(f.read_bytes())]
    config = yaml.safe_load((admin / "config.yml").read_text())
    assert config["backend"]["name"] == "github"
    assert config["backend"]["branch"] == "main"
    assert config["backend"]["repo"] == "example/wego-site"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["site_url"] == "https://example.org/wego/"
    assert config["local_backend"] is True
    assert [c["name"] for c in config["collections"]] == ["events", "projects", "members", "pages"]
    # every chunk the bundle may load is there, byte for byte as vendored
    for name in bundle_files():
        assert (admin / name).read_bytes() == (BUNDLE / name).read_bytes()


def test_without_a_repository_admin_says_how_to_edit(corpus: Path, tmp_path: Path) -> None:
    """A local build knows no repository: no editor that cannot save, but a page."""
    with_editor(corpus, "editor:\n  branch: main\n")
    out = tmp_path / "out"
    env = {"GITHUB_REPOSITORY": ""}
    assert build_to(corpus, out, env=env).code == 0
    assert sorted(p.name for p in (out / "admin").iterdir()) == ["index.html"]
    page = (out / "admin" / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "<code>make edit</code>" in page and "decap-cms.js" not in page


def test_the_vendored_bundle_is_what_sha256sums_says() -> None:
    listed = {}
    for line in (BUNDLE / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    on_disk = {p.name for p in BUNDLE.iterdir() if p.suffix in {".js", ".wasm"}}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((BUNDLE / name).read_bytes()).hexdigest() == digest, name
    version = bundle_version()
    assert (BUNDLE / "README.md").read_text().startswith(f"# Decap CMS {version}\n")
    assert json.loads((BUNDLE / "package.json").read_text())["license"] == "MIT"


def test_no_editor_without_site_yaml_editor(built: Path) -> None:
    assert not (built / "admin").exists()


def test_the_backend_comes_from_site_yaml_or_github_actions(corpus: Path, tmp_path: Path) -> None:
    with_editor(corpus, "editor:\n  branch: live\n  workflow: false\n")
    out = tmp_path / "out"
    res = build_to(corpus, out, env={"GITHUB_REPOSITORY": "we-gov/site"})
    assert res.code == 0, res.err
    config = yaml.safe_load((out / "admin" / "config.yml").read_text())
    assert config["backend"] == {"name": "github", "branch": "live", "repo": "we-gov/site"}
    assert "publish_mode" not in config  # workflow: false commits straight to the branch

    with_editor(corpus, "  repo: wego/content\n  auth_url: https://auth.example.org/\n")
    assert build_to(corpus, out, env={"GITHUB_REPOSITORY": "we-gov/site"}).code == 0
    backend = yaml.safe_load((out / "admin" / "config.yml").read_text())["backend"]
    assert backend["repo"] == "wego/content"  # site.yaml wins
    assert backend["base_url"] == "https://auth.example.org"


def test_a_bad_editor_setting_is_a_content_error(corpus: Path, tmp_path: Path) -> None:
    with_editor(corpus, "editor:\n  repo: not a repo\n  colour: blue\n")
    res = build_to(corpus, tmp_path / "out")
    assert res.code == 1
    assert "site.yaml:" in res.err and "editor.repo" in res.err and "editor.colour" in res.err


def test_a_page_cannot_take_the_editor_s_address(corpus: Path) -> None:
    (corpus / "pages" / "admin.md").write_text("---\ntitle: Admin\n---\nHello.\n")
    res = cli("check", "--content", str(corpus))
    assert res.code == 1
    assert "admin.md" in res.err and "reserved" in res.err


# ------------------------------------------------------------------ pre-save checks (Node)

CASES = [
    # (collection, year folder, data) -> the first word of each of the loader's messages
    ("events", "2025", {"date": "2025-Q3"}, []),
    ("events", "2024", {"date": "2025-03"}, ["date:"]),
    ("events", "2025", {"date": "2025-09", "end": "2025-08-30"}, ["end"]),
    ("events", "2025", {"date": "2025-Q3", "end": "2025-07"}, []),
    ("events", "2025", {"date": "2025-Q3", "end": "2025-06-30"}, ["end"]),
    ("events", "2025", {"date": "2025-09-19", "end": "2025-09-19"}, []),
    ("events", "2025", {"date": "2025-09", "year_round": True}, ["year_round:"]),
    ("events", "2025", {"date": "2025", "year_round": True}, []),
    ("events", "2025", {"date": "2025-09", "time": "17:00"}, ["time"]),
    ("events", "2025", {"date": "2025-09-19", "time": "17:00"}, []),
    ("projects", "", {"date": "nonsense"}, []),
]


def run_checks(cases: list) -> list[list[str]]:
    if shutil.which("node") is None:
        pytest.fail("node.js is missing: install it (Debian: apt-get install nodejs)")
    script = (
        f"const c = require({json.dumps(str(OWN / 'wego-admin.js'))});"
        f"const cases = {json.dumps([c[:3] for c in cases])};"
        "console.log(JSON.stringify(cases.map(([k, f, d]) => c.wegoChecks(k, f, d))));"
    )
    proc = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_the_editor_checks_what_the_loader_checks(corpus: Path) -> None:
    """Each case gives the fields the loader names, with the loader's own words."""
    results = run_checks(CASES)
    for (kind, folder, data, fields), messages in zip(CASES, results, strict=True):
        assert [m.split()[0] for m in messages] == fields, (data, messages)
        if kind != "events":
            continue
        # the same event as a file: check names the same fields with the same message
        event = corpus / "events" / folder / "case.md"
        event.parent.mkdir(exist_ok=True)
        front = yaml.safe_dump(
            {"title": "Case", "category": "governance", "summary": "A case.", **data},
            allow_unicode=True,
        )
        event.write_text(f"---\n{front}---\n")
        res = cli("check", "--content", str(corpus))
        lines = [line for line in res.err.splitlines() if "case.md" in line]
        assert len(lines) == len(fields), (data, res.err)
        for message in messages:
            loader_words = message.split("; set Year folder")[0]
            assert any(loader_words in line for line in lines), (message, lines)
        event.unlink()


# ------------------------------------------------------------------ serve --edit


def listening(port: int) -> list[str]:
    """The local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                found.append(address)
    return found


def test_serve_edit_runs_decap_server_on_loopback_only(tmp_path: Path) -> None:
    from test_editor import free_port, wait_for

    content = tmp_path / "repo" / "content"
    shutil.copytree(FIXTURE, content)
    port, edit_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port)]
            + ["--out", str(tmp_path / "site"), "--edit", "--edit-port", str(edit_port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for("serve --edit", lambda: "Editor:" in log.read_text())
        assert f"http://localhost:{port}/admin/" in log.read_text()
        assert listening(edit_port) == ["0100007F"]  # 127.0.0.1, nothing else
        config = yaml.safe_load((tmp_path / "site" / "admin" / "config.yml").read_text())
        assert config["local_backend"] == {"url": f"http://127.0.0.1:{edit_port}/api/v1"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    wait_for("decap-server to stop", lambda: listening(edit_port) == [], timeout=10)


def test_serve_edit_refuses_a_taken_port_and_a_strange_folder(tmp_path: Path) -> None:
    import socket

    content = tmp_path / "repo" / "content"
    shutil.copytree(FIXTURE, content)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = run_cli("serve", "--content", str(content), "--edit", "--edit-port", str(port))
    assert res.code == 2
    assert f"port {port} on 127.0.0.1 is in use" in res.err
    other = tmp_path / "words"
    shutil.copytree(FIXTURE, other)
    res = run_cli("serve", "--content", str(other), "--edit", "--edit-port", str(port))
    assert res.code == 2
    assert "the content folder must be named 'content'" in res.err
    assert "Traceback" not in res.err


# ------------------------------------------------------------------ the preview pane


def run_node(script: str) -> object:
    if shutil.which("node") is None:
        pytest.fail("node.js is missing: install it (Debian: apt-get install nodejs)")
    head = f"const c = require({json.dumps(str(OWN / 'wego-admin.js'))});"
    proc = subprocess.run(["node", "-e", head + script], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_the_preview_says_dates_as_the_site_does() -> None:
    from wego_site.dates import PartialDate

    values = ["2024-09-19", "2024-09-01", "2024-09", "2024-Q3", "2024", "2025-12-31"]
    said = run_node(f"console.log(JSON.stringify({json.dumps(values)}.map(c.wegoDateLabel)))")
    assert said == [PartialDate.parse(v).label() for v in values]


def test_the_preview_shows_what_readers_read_not_keys(real_site: Path) -> None:
    """An event as the preview pane lists it: vocabulary labels, member and
    country names, dates as said; empty fields and editors' sources left out."""
    from wego_site.loader import load_content

    admin = real_site / "admin"
    assert (admin / "preview.css").is_file()
    config = yaml.safe_load((admin / "config.yml").read_text())
    events = next(c for c in config["collections"] if c["name"] == "events")
    editor_data = json.loads((admin / "wego-data.json").read_text())
    assert editor_data["event_years"] == sorted(p.name for p in (ROOT / "content/events").iterdir())
    labels = editor_data["names"]
    # the preview template is registered for each of the config's collections
    assert editor_data["collections"] == [c["name"] for c in config["collections"]]
    content = load_content(ROOT / "content")
    member = next(m for m in content.members if m.slug == "seoul")
    assert labels["members"]["seoul"] == member.data.name
    data = {
        "title": "Smart City Forum",
        "summary": "A forum.",
        "date": "2025-Q3",
        "time": "",
        "tentative": False,
        "category": "conferences-and-expos",
        "host": "seoul",
        "location": {"city": "Seoul", "country": "KR"},
        "links": [],
        "sources": [{"doc": "kick-off-2021", "lines": "1"}],
        "body": "Text.",
    }
    parts = run_node(
        f"console.log(JSON.stringify(c.wegoPreviewParts({json.dumps(events['fields'])}, "
        f"{json.dumps(data)}, 'title', {json.dumps(labels)})))"
    )
    assert parts["title"] == "Smart City Forum"
    assert parts["summary"] == "A forum."
    assert parts["pairs"] == [
        ["Date", "Q3 2025"],
        ["Location", {"pairs": [["City", "Seoul"], ["Country", "Republic of Korea (KR)"]]}],
        ["Category", content.taxonomies.event_categories["conferences-and-expos"]],
        ["Host", member.data.name],
    ]


def test_events_open_on_this_year_or_the_latest() -> None:
    cases = [(["2020", "2024", "2021"], 2024), (["2020", "2024"], 2026), ([], 2026)]
    got = run_node(
        f"console.log(JSON.stringify({json.dumps(cases)}.map(([y, t]) => c.wegoEventsYear(y, t))))"
    )
    assert got == ["2024", "2024", None]


def test_the_preview_shows_a_list_of_records_without_sources(real_site: Path) -> None:
    """A member's roles: one record per role, labelled; their sources left out."""
    config = yaml.safe_load((real_site / "admin" / "config.yml").read_text())
    members = next(c for c in config["collections"] if c["name"] == "members")
    roles = next(f for f in members["fields"] if f["name"] == "roles")
    label = {o["value"]: o["label"] for o in roles["fields"][0]["options"]}
    data = {
        "name": "Seoul Metropolitan Government",
        "type": "local-government",
        "roles": [
            {"role": "president", "sources": [{"doc": "what-is-wego-2017", "lines": "15"}]},
            {"role": "excom-member", "term": "2024-2026"},
            {"sources": [{"doc": "x", "lines": "1"}]},  # nothing a reader sees: no record
        ],
        "aliases": ["", "Soul"],
    }
    parts = run_node(
        f"console.log(JSON.stringify(c.wegoPreviewParts({json.dumps(members['fields'])}, "
        f"{json.dumps(data)}, 'name', {{}})))"
    )
    shown = dict(parts["pairs"])
    assert shown["Roles"] == [
        {"pairs": [["Role", label["president"]]]},
        {"pairs": [["Role", label["excom-member"]], ["Term", "2024-2026"]]},
    ]
    assert shown["Aliases"] == ["Soul"]
