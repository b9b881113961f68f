"""Where a cold build's time goes, without a profiler's overhead.

Runs the full pipeline in one process with no cache and times each stage, then
every output kind (template, or the function that makes a feed) and the
Markdown rendering inside them::

    python -m benchmarks.corpus 4000 /tmp/c4000
    python -m benchmarks.breakdown /tmp/c4000/content

Writing files is not included (a few per cent); with two workers the render
stage takes about half as long.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

from wego_site.loader import load_content
from wego_site.pages import all_items
from wego_site.site import build_moment, build_site
from wego_site.templating import PageItem, Renderer
from wego_site.urls import Urls

REPO = Path(__file__).resolve().parent.parent


def kind(item: PageItem) -> str:
    if item.template:
        return item.template
    func = getattr(item.make, "func", item.make)
    return f"make: {getattr(func, '__name__', 'content')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--templates", type=Path, default=REPO / "templates")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    content = load_content(args.content)
    t1 = time.perf_counter()
    today, now = build_moment("1748736000")
    site = build_site(content, today, now)
    urls = Urls(site.settings.base_url)
    renderer = Renderer(args.templates, site, urls, None)
    t2 = time.perf_counter()
    items = list(all_items(site, urls))
    t3 = time.perf_counter()

    markdown_s = 0.0
    plain = renderer.md.render

    def timed(text: str) -> str:
        nonlocal markdown_s
        start = time.perf_counter()
        html = plain(text)
        markdown_s += time.perf_counter() - start
        return html

    renderer.md.render = timed  # type: ignore[method-assign]
    seconds: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for item in [i for i in items if not i.late] + [i for i in items if i.late]:
        start = time.perf_counter()
        renderer.render_recorded(item)
        seconds[kind(item)] += time.perf_counter() - start
        counts[kind(item)] += 1
    t4 = time.perf_counter()

    print(
        f"load {t1 - t0:.2f} s, model {t2 - t1:.2f} s, page items {t3 - t2:.2f} s, "
        f"render {t4 - t3:.2f} s (Markdown {markdown_s:.2f} s of it), {len(items)} outputs"
    )
    print(f"{'output kind':40} {'count':>6} {'seconds':>8} {'ms each':>8}")
    for name, total in sorted(seconds.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{name:40} {counts[name]:6d} {total:8.2f} {total / counts[name] * 1000:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
