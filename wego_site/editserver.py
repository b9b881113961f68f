"""``serve --edit``: the browser editor's local backend, ``decap-server``.

Decap CMS at ``/admin/`` reads and writes the files under ``content/`` through
`decap-server <https://www.npmjs.com/package/decap-server>`_ (npm, pinned in
``package.json``; ``make edit`` installs it). It has no authentication, so it
is started bound to 127.0.0.1 only (``BIND_HOST``: without it, it listens on
every interface) and in ``MODE=fs``: saving writes the file, and the dev
server's watcher rebuilds and reloads the page. Git stays the editor's own
business (commit, push, pull request), as with any other edit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from .errors import UsageError

#: Decap's default local backend port.
DEFAULT_PORT = 8081
LOOPBACK = "127.0.0.1"


def find_executable() -> Path:
    """``node_modules/.bin/decap-server`` of this checkout (or the working folder)."""
    for root in (Path.cwd(), Path(__file__).resolve().parent.parent):
        exe = root / "node_modules" / ".bin" / "decap-server"
        if exe.is_file():
            return exe
    raise UsageError(
        "serve --edit: decap-server is not installed: run 'npm install' in the project "
        "folder (make edit does it), and node.js if npm is missing"
    )


def repository_root(content: Path) -> Path:
    """The folder the editor's paths (``content/events/...``) start from."""
    content = content.resolve()
    if content.name != "content":
        raise UsageError(
            f"serve --edit: the content folder must be named 'content' (the editor writes "
            f"content/events/... under its parent), not '{content.name}'"
        )
    return content.parent


def _die_with_parent() -> None:
    """In the child: end when the dev server ends, however it ends (Linux's
    PR_SET_PDEATHSIG; elsewhere :func:`stop` at exit does it)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex((LOOPBACK, port)) == 0


def start(
    content: Path, port: int = DEFAULT_PORT, timeout: float = 20.0
) -> subprocess.Popen[bytes]:
    """Start decap-server for ``content``'s repository on 127.0.0.1:``port``.

    Refuses a port already taken (the editor would talk to whatever listens
    there); returns once the server accepts connections.
    """
    exe = find_executable()
    root = repository_root(content)
    if not _port_free(port):
        raise UsageError(
            f"serve --edit: port {port} on {LOOPBACK} is in use (another 'make edit'?); "
            "stop it or pass --edit-port N"
        )
    if shutil.which("node") is None:
        raise UsageError("serve --edit: node.js is not installed (decap-server runs on it)")
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": LOOPBACK,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(root),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn"),
    }
    proc = subprocess.Popen(
        [str(exe)], cwd=root, env=env, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
    )
    deadline = time.monotonic() + timeout
    while not _listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise UsageError(f"serve --edit: decap-server did not start on {LOOPBACK}:{port}")
        time.sleep(0.1)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End decap-server (and wait for it)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
