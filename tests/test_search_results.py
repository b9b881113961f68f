"""Real searches against the built index, without a browser.

Pagefind's own ``pagefind.js`` and WebAssembly, from the built bundle, run in
Node (``/usr/bin/node``) and fetch the index over HTTP from the served site,
as a reader's browser does. Each site is searched twice: as this build indexes
it, and as the ``pagefind`` command indexes the same pages (the way the site
was indexed before ``wego_site.search`` ran Pagefind itself), once with the
same interface exclusions and once without.

* With the same exclusions, everything is the same: result sets, their order
  (ties apart: pages may be numbered in another order), excerpts, filter counts.
* Against the old indexing (the fixture site), only queries touching the interface text that is
  no longer indexed ("Add to calendar (.ics)", "Roles in WeGO", "Upcoming",
  ...) find other pages, and results are reordered only where a page lost
  such text (it is shorter, so ranks higher for the words it keeps).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2
import pytest

from conftest import FIXTURE, build_to
from quality import serve
from wego_site import search
from wego_site.search_canon import canonicalise, decompress

NODE = shutil.which("node") or "/usr/bin/node"
SCRIPT = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [dir, url, file] = process.argv.slice(2);
const pf = await import(pathToFileURL(dir + "/pagefind.js").href);
await pf.options({ basePath: url, baseUrl: "/", excerptLength: 30 });
const out = { filters: await pf.filters(), queries: [] };
for (const q of JSON.parse(readFileSync(file, "utf8"))) {
  const res = await pf.search(q.term, q.options || {});
  const data = await Promise.all(res.results.map((r) => r.data()));
  out.queries.push({ filters: res.filters, results: data.map((d, i) => (
    { url: d.url, score: res.results[i].score, excerpt: d.excerpt, title: d.meta.title })) });
}
process.stdout.write(JSON.stringify(out));
"""
#: Text of the page around the indexed element, and interface text inside it.
INTERFACE_TEXT = [
    "Skip to content",
    "Search the site",
    "Subscribe and open data",
    "Site built on",
    "Programme area",
    "Joined WeGO",
    "Add to calendar",
    "(iCalendar)",
    "Roles in WeGO",
    "Projects in the catalog",
    "Related projects",
    "Events about this project",
    "Upcoming",
    "Ongoing",
    "Past",
]
MEMBER_NAMES = ["Almaty", "Beyoglu", "Beyoğlu", "Oslo Tech", "Pittsburgh", "Sao Paulo", "São Paulo"]

Queries = list[dict[str, Any]]


def run_searches(site: Path, queries: Queries, tmp: Path) -> dict[str, Any]:
    """Every query against ``site``'s index, in Node: results, excerpts, filter counts."""
    if not Path(NODE).exists():
        pytest.fail("Node.js is missing (apt-get install nodejs): the searches cannot run")
    script, data = tmp / "search.mjs", tmp / "queries.json"
    script.write_text(SCRIPT, encoding="utf-8")
    data.write_text(json.dumps(queries), encoding="utf-8")
    with serve(site, prefix="") as base:
        proc = subprocess.run(
            [NODE, str(script), str(site / "pagefind"), base + "/pagefind/", str(data)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_index(site: Path, dest: Path, exclude: bool) -> Path:
    """A copy of ``site`` indexed by the ``pagefind`` command, as builds did before."""
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns("pagefind"))
    cmd = [sys.executable, "-m", "pagefind", "--site", str(dest), "--output-subdir", "pagefind"]
    cmd += ["--glob", search.GLOB, "--silent"]
    for selector in search.INTERFACE if exclude else ():
        cmd += ["--exclude-selectors", selector]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    canonicalise(dest / "pagefind")
    return dest


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Every indexed page's fragment (url, content, word count, meta, filters) by URL."""
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    out = {}
    for info in entry["languages"].values():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        for hash_, _ in cbor2.loads(decompress(meta_path, meta_path.read_bytes()))[1]:
            path = bundle / "fragment" / f"{hash_}.pf_fragment"
            fragment = json.loads(decompress(path, path.read_bytes()))
            out[fragment["url"]] = fragment
    return out


def derived_queries(frags: dict[str, dict[str, Any]]) -> Queries:
    """Every page title, member names, words found only in a few bodies, every filter value."""
    queries: Queries = [{"term": t} for t in sorted({f["meta"]["title"] for f in frags.values()})]
    queries += [{"term": name} for name in MEMBER_NAMES]
    meta_text = " ".join(" ".join(f["meta"].values()) for f in frags.values()).lower()
    pages: dict[str, set[str]] = {}
    for url, f in frags.items():
        for word in set(re.findall(r"[a-z]{7,}", f["content"].lower())):
            pages.setdefault(word, set()).add(url)
    body = sorted(w for w, urls in pages.items() if len(urls) <= 3 and w not in meta_text)
    queries += [{"term": w} for w in body[:: max(1, len(body) // 40)]]
    values = {(k, v) for f in frags.values() for k, vs in f["filters"].items() for v in vs}
    queries += [{"term": None, "options": {"filters": {k: v}}} for k, v in sorted(values)]
    queries.append({"term": "smart", "options": {"filters": {"type": "Event"}}})
    return queries


def ranked(results: list[dict[str, Any]]) -> list[list[str]]:
    """Result URLs grouped by equal score, best first (the order within a tie is free)."""
    groups: list[list[str]] = []
    last = None
    for r in results:
        score = round(r["score"], 4)
        if score != last:
            groups.append([])
            last = score
        groups[-1].append(r["url"])
    return [sorted(g) for g in groups]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("results") / "site"
    res = build_to(FIXTURE, out)
    assert res.code == 0, res.err
    return out


@pytest.fixture(scope="module")
def fixture_results(fixture_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    queries = [
        {"term": "Big Data Campus"},
        {"term": "Almaty"},
        {"term": "fabrication"},
        *({"term": n} for n in MEMBER_NAMES),
        *(
            {"term": None, "options": {"filters": {"type": t}}}
            for t in ["Event", "Member", "Page", "Project"]
        ),
        {"term": None, "options": {"filters": {"region": "Europe"}}},
        {"term": None, "options": {"filters": {"sector": "e-Government"}}},
        {"term": None, "options": {"filters": {"year": "2024"}}},
        {"term": "briefing"},
    ]
    out = run_searches(fixture_site, queries, tmp_path_factory.mktemp("node"))
    return {
        (q["term"], json.dumps(q.get("options"))): r
        for q, r in zip(queries, out["queries"], strict=True)
    } | {"filters": out["filters"]}


def urls(results: Any, term: str | None, options: Any = None) -> list[str]:
    return [r["url"] for r in results[(term, json.dumps(options))]["results"]]


def test_titles_and_names_find_their_pages_first(fixture_results: Any) -> None:
    # Seoul lists the project among its projects.
    assert urls(fixture_results, "Big Data Campus") == [
        "/projects/big-data-campus/",
        "/members/seoul/",
    ]
    assert urls(fixture_results, "Almaty") == [
        "/projects/almaty-data-lake/",
        "/members/almaty/",
        "/events/2024/excom-2024/",
        "/members/seoul/",
    ]
    for name, url in [
        ("Beyoglu", "/members/beyoglu/"),
        ("Beyoğlu", "/members/beyoglu/"),
        ("Oslo Tech", "/members/oslo-tech/"),
        ("Pittsburgh", "/members/pittsburgh/"),
        ("Sao Paulo", "/members/sao-paulo/"),
        ("São Paulo", "/members/sao-paulo/"),
    ]:
        assert urls(fixture_results, name)[0] == url, name


def test_a_word_only_in_bodies(fixture_results: Any) -> None:
    assert sorted(urls(fixture_results, "fabrication")) == [
        "/members/sao-paulo/",
        "/projects/free-fab-lab/",
    ]


def test_filters_alone(fixture_results: Any) -> None:
    counts = fixture_results["filters"]
    assert counts["type"] == {"Event": 9, "Member": 7, "Page": 1, "Project": 4}
    assert counts["region"] == {
        "Asia-Pacific": 8,
        "Europe": 3,
        "Latin America": 3,
        "North America": 1,
    }
    assert counts["sector"] == {
        "Education": 1,
        "Innovation & Startups": 2,
        "Public Safety": 1,
        "e-Government": 2,
    }
    assert counts["year"] == {"2016": 1, "2024": 8, "2025": 1}
    for name, value in [("type", "Event"), ("type", "Member"), ("type", "Page")]:
        assert len(urls(fixture_results, None, {"filters": {name: value}})) == counts[name][value]
    assert sorted(urls(fixture_results, None, {"filters": {"region": "Europe"}})) == [
        "/events/2024/cancelled-expo/",
        "/members/beyoglu/",
        "/members/oslo-tech/",
    ]
    assert sorted(urls(fixture_results, None, {"filters": {"sector": "e-Government"}})) == [
        "/projects/almaty-data-lake/",
        "/projects/big-data-campus/",
    ]
    assert len(urls(fixture_results, None, {"filters": {"year": "2024"}})) == 8


def test_excerpts_have_no_interface_text(fixture_results: Any) -> None:
    hit = fixture_results[("briefing", "null")]["results"][0]
    # Before: "... Online. Add to calendar (.ics)."
    assert hit["excerpt"] == (
        "Kick-off <mark>Briefing</mark> Session. Online <mark>briefing.</mark> Online."
    )
    for key, result in fixture_results.items():
        for r in [] if key == "filters" else result["results"]:
            text = re.sub(r"</?mark>", "", r["excerpt"])
            assert not [s for s in INTERFACE_TEXT if s in text], (key, r["url"], text)


@pytest.mark.parametrize("content", ["fixture", "real"])
def test_same_results_as_the_pagefind_command(
    content: str, fixture_site: Path, real_site: Path, tmp_path: Path
) -> None:
    site = fixture_site if content == "fixture" else real_site
    new_frags = fragments(site)
    queries = derived_queries(new_frags)
    new = run_searches(site, queries, tmp_path)

    # The pagefind command with the same exclusions: the very same results.
    same = run_searches(cli_index(site, tmp_path / "same", exclude=True), queries, tmp_path)
    assert same["filters"] == new["filters"]
    for q, a, b in zip(queries, same["queries"], new["queries"], strict=True):
        assert ranked(a["results"]) == ranked(b["results"]), q
        assert a["filters"] == b["filters"], q
        excerpts = {r["url"]: r["excerpt"] for r in a["results"]}
        assert all(excerpts[r["url"]] == r["excerpt"] for r in b["results"]), q

    # As indexed before: other pages only through the interface text no longer indexed.
    # (The fixture shows it; on the real site this second index and its searches
    # took half of the test's 15 s and exercise the same exclusions.)
    if content == "real":
        return
    old_site = cli_index(site, tmp_path / "old", exclude=False)
    old_frags = fragments(old_site)
    assert old_frags.keys() == new_frags.keys()
    removed = {
        url: words(old_frags[url]["content"]) - words(f["content"]) for url, f in new_frags.items()
    }
    dropped = set().union(*removed.values())
    shorter = {u for u, f in new_frags.items() if f["word_count"] < old_frags[u]["word_count"]}
    old = run_searches(old_site, queries, tmp_path)
    assert old["filters"] == new["filters"]
    changed = []
    for q, a, b in zip(queries, old["queries"], new["queries"], strict=True):
        before, after = {r["url"] for r in a["results"]}, {r["url"] for r in b["results"]}
        if before != after:
            assert q["term"] and any(w[:5] == d[:5] for w in words(q["term"]) for d in dropped), q
            changed.append(q["term"])
        elif ranked(a["results"]) != ranked(b["results"]):
            assert before & shorter, q
    assert len(changed) < len(queries) // 10, changed
