"""The dev server: 127.0.0.1 only, Host and Origin checked, no traversal,
content errors shown without killing it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, TEMPLATES
from wego_site.devserver import host_allowed, origin_allowed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"localhost:{port}")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.fixture
def server(corpus: Path, tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str], Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--content",
                str(corpus),
                "--templates",
                str(TEMPLATES),
                "--port",
                str(port),
                "--out",
                str(tmp_path / "out"),
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            proc.kill()
            pytest.fail("server did not start: " + log.read_text())
        yield port, proc, log
        proc.terminate()
        proc.wait(timeout=10)


def test_host_and_origin_rules() -> None:
    assert host_allowed("localhost:8000") and host_allowed("127.0.0.1") and host_allowed("[::1]:1")
    assert not host_allowed("evil.example") and not host_allowed("localhost.evil.example:80")
    assert not host_allowed(None)
    assert origin_allowed("http://localhost:8000") and not origin_allowed("http://evil.example")
    assert not origin_allowed(None)


def test_serves_site_with_livereload(server) -> None:  # type: ignore[no-untyped-def]
    port, _, _ = server
    status, body = get(port, "/")
    assert status == 200 and b"livereload.js" in body
    assert get(port, "/calendar/2024/")[0] == 200


def test_spoofed_host_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    port, _, _ = server
    assert get(port, "/", host="evil.example")[0] == 403
    assert get(port, "/", host=f"127.0.0.1:{port}")[0] == 200


def test_no_traversal(server) -> None:  # type: ignore[no-untyped-def]
    port, _, _ = server
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd"):
        status, body = get(port, path)
        assert status in (403, 404) and b"root:" not in body


def test_websocket_origin_checked(server) -> None:  # type: ignore[no-untyped-def]
    port, _, _ = server
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    async def connect(origin: str) -> int:
        req = HTTPRequest(
            f"ws://127.0.0.1:{port}/livereload",
            headers={"Origin": origin, "Host": f"localhost:{port}"},
        )
        try:
            ws = await websocket_connect(req)
        except HTTPClientError as exc:
            return exc.code
        ws.close()
        return 101

    assert IOLoop.current().run_sync(lambda: connect("http://evil.example")) == 403
    assert IOLoop.current().run_sync(lambda: connect(f"http://localhost:{port}")) == 101


def test_content_error_does_not_kill_server(server, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    port, proc, log = server
    (corpus / "events/2024/broken.md").write_text("---\ntitle: X\ndate: nope\n---\n")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "broken.md:3: date:" not in log.read_text():
        time.sleep(0.3)
    assert "broken.md:3: date:" in log.read_text()
    assert "still serving the last good build" in log.read_text()
    assert proc.poll() is None
    status, body = get(port, "/")
    assert status == 200
    # the error is shown in the browser too, over the last good build
    assert b'role="alert"' in body and b"broken.md:3: date:" in body
    (corpus / "events/2024/broken.md").unlink()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and b'role="alert"' in get(port, "/")[1]:
        time.sleep(0.3)
    assert b'role="alert"' not in get(port, "/")[1]


def test_edit_reaches_the_browser_page_and_reload_signal(server, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tornado.httpclient import HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    port, _, _ = server
    event = corpus / "events/2024/excom-2024.md"

    async def edit_and_wait() -> list[str]:
        req = HTTPRequest(
            f"ws://127.0.0.1:{port}/livereload", headers={"Origin": f"http://localhost:{port}"}
        )
        ws = await websocket_connect(req)
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        await ws.write_message(json.dumps(hello))
        assert json.loads(await ws.read_message())["command"] == "hello"
        await ws.write_message(json.dumps({"command": "info", "url": f"http://localhost:{port}/"}))
        event.write_text(event.read_text() + "\nA sentence added while previewing.\n")
        first = json.loads(await ws.read_message())
        # the quick path has already written the event's page when the signal comes
        page = get(port, "/events/2024/excom-2024/")[1].decode()
        second = json.loads(await ws.read_message())  # after the full build
        ws.close()
        return [first["command"], second["command"], page]

    first, second, page = IOLoop.current().run_sync(edit_and_wait, timeout=60)
    assert first == second == "reload"
    assert "A sentence added while previewing." in page
    home = get(port, "/calendar/2024/")[1].decode()
    assert "WeGO Executive Committee Meeting 2024" in home
