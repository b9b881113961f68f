"""The dev server: 127.0.0.1 only, Host and Origin checked, no traversal,
no cross-site reload trigger, malformed paths refused without a 500,
content errors shown without killing it."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE, ROOT, TEMPLATES
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


def raw(port: int, request: bytes) -> tuple[int | None, bytes, bytes]:
    """Send REQUEST byte for byte; (status or None if no answer, head, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/1.1 ") else None
    return status, head, body


def raw_get(port: int, target: bytes, method: bytes = b"GET", headers: bytes = b"") -> int | None:
    """The status of METHOD TARGET sent exactly as given, with Host 127.0.0.1 (as fetch sends)."""
    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    req = method + b" " + target + b" HTTP/1.1\r\n" + host + headers + b"Connection: close\r\n\r\n"
    return raw(port, req)[0]


def wait_for_log(log: Path, text: str, timeout: float = 5.0) -> str:
    """The server's output once TEXT appears in it (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    while text not in (out := log.read_text(errors="replace")) and time.monotonic() < deadline:
        time.sleep(0.1)
    return out


Server = tuple[int, "subprocess.Popen[str]", Path]


@contextlib.contextmanager
def running(corpus: Path, tmp: Path) -> Iterator[Server]:
    """``build.py serve`` of ``corpus`` into ``tmp/out``, logging to ``tmp/serve.log``."""
    port = free_port()
    log = tmp / "serve.log"
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
                str(tmp / "out"),
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


@pytest.fixture
def server(corpus: Path, tmp_path: Path) -> Iterator[Server]:
    """A server of its own, for a test that edits the content."""
    with running(corpus, tmp_path) as srv:
        yield srv


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server of the fixture corpus for the tests that only send requests."""
    tmp = tmp_path_factory.mktemp("serve")
    corpus = tmp / "content"
    shutil.copytree(FIXTURE, corpus)
    with running(corpus, tmp) as srv:
        yield srv


def test_host_and_origin_rules() -> None:
    assert host_allowed("localhost:8000") and host_allowed("127.0.0.1") and host_allowed("[::1]:1")
    assert not host_allowed("evil.example") and not host_allowed("localhost.evil.example:80")
    assert not host_allowed(None)
    assert origin_allowed("http://localhost:8000") and not origin_allowed("http://evil.example")
    assert not origin_allowed(None)
    # malformed values are refused, not a ValueError (a 500)
    assert not host_allowed("[") and not host_allowed("[::1") and not host_allowed("")
    assert not origin_allowed("http://[") and not origin_allowed("null")


def test_serves_site_with_livereload(shared: Server) -> None:
    port, _, _ = shared
    status, body = get(port, "/")
    assert status == 200 and b"livereload.js" in body
    assert get(port, "/calendar/2024/")[0] == 200


def test_spoofed_host_is_refused(shared: Server) -> None:
    port, _, _ = shared
    assert get(port, "/", host="evil.example")[0] == 403
    assert get(port, "/", host=f"127.0.0.1:{port}")[0] == 200
    assert get(port, "/", host="[")[0] == 403
    assert get(port, "/", host="[::1")[0] == 403
    # no Host: tornado refuses it in HTTP/1.1 (400), the guard in HTTP/1.0 (403)
    assert raw(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")[0] == 400
    assert raw(port, b"GET / HTTP/1.0\r\n\r\n")[0] == 403


def test_no_traversal(shared: Server) -> None:
    port, _, _ = shared
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd"):
        status, body = get(port, path)
        assert status in (403, 404) and b"root:" not in body


def test_websocket_origin_checked(shared: Server) -> None:
    port, _, _ = shared
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
    assert IOLoop.current().run_sync(lambda: connect("http://[")) == 403
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


async def open_tab(port: int) -> Any:
    """A reload socket registered as a preview tab (hello, info), as livereload.js does."""
    import json

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    req = HTTPRequest(
        f"ws://127.0.0.1:{port}/livereload", headers={"Origin": f"http://localhost:{port}"}
    )
    ws = await websocket_connect(req)
    hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
    await ws.write_message(json.dumps(hello))
    assert json.loads(await ws.read_message())["command"] == "hello"
    await ws.write_message(json.dumps({"command": "info", "url": f"http://localhost:{port}/"}))
    # messages on one socket are handled in order: this answer means "info" was handled
    await ws.write_message(json.dumps(hello))
    assert json.loads(await ws.read_message())["command"] == "hello"
    return ws


def test_no_cross_site_reload(server, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    """livereload's /forcereload is not routed: no request, from any origin, reloads a tab."""
    import json

    from tornado import gen
    from tornado.ioloop import IOLoop

    port, _, _ = server
    evil = b"Origin: https://evil.example\r\n"
    attempts = [
        # what fetch("http://127.0.0.1:PORT/forcereload") from another site sends
        (b"GET", b"/forcereload", evil + b"Sec-Fetch-Site: cross-site\r\n"),
        (b"GET", b"/forcereload?path=*", evil),
        (b"GET", b"/forcereload", b"Referer: https://evil.example/page\r\n"),
        (b"GET", b"/forcereload", b"Sec-Fetch-Site: cross-site\r\n"),
        (b"POST", b"/forcereload", evil + b"Content-Length: 0\r\n"),
        (b"HEAD", b"/forcereload", evil),
        # and same-origin use is gone too (nothing in the project or livereload.js calls it)
        (b"GET", b"/forcereload", f"Origin: http://localhost:{port}\r\n".encode()),
        (b"GET", b"/forcereload", b""),
    ]
    event = corpus / "events/2024/excom-2024.md"

    async def attempt_then_edit() -> tuple[list[int | None], str | None, str]:
        ws = await open_tab(port)
        statuses = [raw_get(port, target, method, headers) for method, target, headers in attempts]
        try:
            message = await gen.with_timeout(IOLoop.current().time() + 1.5, ws.read_message())
        except gen.TimeoutError:
            message = None
        # the tab is live: a real edit still reaches it
        event.write_text(event.read_text() + "\nEdited after the attempts.\n")
        reload_msg = await gen.with_timeout(IOLoop.current().time() + 30, ws.read_message())
        ws.close()
        return statuses, message, json.loads(reload_msg)["command"]

    statuses, message, after_edit = IOLoop.current().run_sync(attempt_then_edit, timeout=60)
    assert message is None, f"a request reloaded the tab: {message}"
    assert all(status in (403, 404, 405) for status in statuses), statuses
    assert after_edit == "reload"


NUL_PATHS = [
    b"/%00",
    b"/index.html%00.txt",
    b"/calendar%00/",
    b"/calendar/2024/%00",
    b"/.%00./.%00./etc/passwd",
    b"/%00/../index.html",
]


def test_nul_byte_in_path_is_400_without_traceback(shared: Server) -> None:
    port, proc, log = shared
    for target in NUL_PATHS:
        for method in (b"GET", b"HEAD"):
            req = method + b" " + target + b" HTTP/1.1\r\nHost: localhost\r\n"
            status, _, body = raw(port, req + b"Connection: close\r\n\r\n")
            assert status == 400, (method, target, status)
            assert len(body) < 200, body
    # a literal NUL (not %00) is refused by tornado's parser
    status, _, _ = raw(port, b"GET /\x00 HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert status == 400
    out = wait_for_log(log, "GET /%00/../index.html")
    assert "GET /%00/../index.html" in out
    assert "Traceback" not in out and "500 GET" not in out and "Uncaught exception" not in out
    assert proc.poll() is None and get(port, "/")[0] == 200


def test_malformed_paths_never_500_never_outside_output(shared: Server) -> None:
    port, proc, log = shared
    secret = log.parent / "secret.txt"  # beside the output folder
    secret.write_text("TOP-SECRET-NOT-SERVED\n")
    abs_secret = str(secret).encode()
    cases: list[tuple[bytes, set[int]]] = [
        (b"/%", {404}),
        (b"/%zz", {404}),
        (b"/%2", {404}),
        (b"/%c0%af", {400}),  # overlong "/"
        (b"/%c0%ae%c0%ae/secret.txt", {400}),  # overlong ".."
        (b"/%ed%a0%80", {400}),  # a UTF-16 surrogate
        (b"/%ff", {400}),
        (b"/\xff", {404}),
        (b"/a%0d%0aSet-Cookie:%20x=1", {404}),
        (b"/" + b"a" * 5000, {404}),  # one name longer than NAME_MAX
        (b"/" + b"a/" * 10000, {404}),  # 20 KB, longer than PATH_MAX
        (b"/../secret.txt", {403, 404}),  # curl --path-as-is
        (b"/../../../../../../.." + abs_secret, {403, 404}),
        (b"/%2e%2e/secret.txt", {403, 404}),
        (b"/..%2fsecret.txt", {403, 404}),
        (b"/.%2e/secret.txt", {403, 404}),
        (b"/..\\secret.txt", {403, 404}),
        (b"/..%5csecret.txt", {403, 404}),
        (b"/\\..\\secret.txt", {403, 404}),
        (b"//" + abs_secret.lstrip(b"/"), {403, 404}),
        (b"/%2f" + abs_secret.lstrip(b"/"), {403, 404}),
        (b"/\\" + abs_secret.lstrip(b"/"), {403, 404}),
        (b"../secret.txt", {400, 404}),  # not origin-form at all
        (b"http://localhost/../secret.txt", {400, 403, 404}),
    ]
    for target, expected in cases:
        host = f"Host: localhost:{port}\r\n".encode()
        req = b"GET " + target + b" HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"
        status, head, body = raw(port, req)
        assert status in expected, (target[:80], status)
        assert b"TOP-SECRET" not in body and b"root:" not in body
        assert b"Set-Cookie" not in head
    # past tornado's 64 KiB header limit the connection is closed without an answer
    huge = b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    try:
        status = raw(port, huge)[0]
    except ConnectionResetError:
        status = None
    assert status in (None, 400, 414, 431)
    assert get(port, "/index.html")[0] == 200
    # answers of 200 are not logged: wait for the line of a last 404
    assert get(port, "/last-request")[0] == 404
    out = wait_for_log(log, "GET /last-request")
    assert "GET /..%5csecret.txt" in out
    assert "Traceback" not in out and "500 GET" not in out and "Uncaught exception" not in out
    assert proc.poll() is None
