"""How heavy the browser editor is: /admin/'s bytes, and its load time on a phone.

    GITHUB_REPOSITORY=owner/name make site     # a build that knows a repository ships the editor
    python -m benchmarks.admin_load [SITE] [--repeat N]     # SITE: a built site (_site)

Serves SITE on 127.0.0.1 with gzip (as GitHub Pages and most hosts do), opens
``/admin/`` in Debian's Chromium at 375x812 (a phone) and times, from
navigation to the editor's "Login" button, under two conditions:

* **unthrottled**: this machine's loopback and CPU;
* **phone**: Lighthouse's mobile throttling, 150 ms round trip, 1.6 Mbit/s down,
  750 kbit/s up, CPU slowed 4x (Chrome DevTools Protocol).

Prints the bytes sent (compressed) and the median of ``--repeat`` cold loads
(a new browser context each, so nothing is cached). Measurements only.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import threading
import time
from pathlib import Path

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
COMPRESSIBLE = (".html", ".js", ".css", ".yml", ".json", ".svg", ".wasm")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-encoded for clients that accept it (level 6, as nginx)."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE):
            return super().do_GET()
        data = path.read_bytes()
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts:
            data = gzip.compress(data, 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if accepts:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def measure(site: Path, repeat: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # 127.0.0.1, not localhost: Decap looks for a local backend only on localhost
    url = f"http://127.0.0.1:{server.server_address[1]}/admin/"
    results: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, network, cpu in (("unthrottled", None, 1), ("phone", PHONE, 4)):
            times, sent = [], 0
            for _ in range(repeat):
                ctx = browser.new_context(
                    viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
                )
                page = ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                if network:
                    cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
                received: list[int] = []
                cdp.on(
                    "Network.loadingFinished",
                    lambda e, got=received: got.append(e["encodedDataLength"]),
                )
                start = time.perf_counter()
                page.goto(url)
                page.get_by_role("button", name="Login").wait_for(timeout=180_000)
                times.append(time.perf_counter() - start)
                sent = sum(received)
                ctx.close()
            results[name] = {"seconds": times, "median": statistics.median(times), "bytes": sent}
        browser.close()
    server.shutdown()
    files = sorted((site / "admin").iterdir())
    results["files"] = len(files)
    results["raw_bytes"] = sum(f.stat().st_size for f in files)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default="_site", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if not (args.site / "admin" / "decap-cms.js").is_file():
        ap.error(
            f"{args.site}/admin/ has no editor: build with site.yaml editor: and a repository "
            "(GITHUB_REPOSITORY=owner/name make site)"
        )
    r = measure(args.site, args.repeat)
    print(f"/admin/: {r['files']} files, {r['raw_bytes'] / 1e6:.2f} MB on disk")
    for name in ("unthrottled", "phone"):
        m = r[name]
        assert isinstance(m, dict)
        runs = ", ".join(f"{s:.2f}" for s in m["seconds"])
        print(
            f"{name:12} {m['bytes'] / 1e6:.2f} MB transferred (gzip), "
            f"Login shown after {m['median']:.2f} s (median of {runs})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
