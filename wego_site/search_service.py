"""A small synchronous client for ``pagefind --service``.

Pagefind's binary has a service mode: requests and responses are JSON, each
base64-encoded and ended by a comma, on its standard input and output. The
``pagefind`` Python package drives it with asyncio, but its reader sleeps
0.1 s before each response (page by page, 11 minutes for 6,700 pages) and
cannot read a response over 2 MiB (a ``GetFiles`` of more than a few hundred
pages). This client reads responses in a thread as they come, whatever their
size, so :mod:`wego_site.search` gets the files of an index in memory.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from .errors import WegoError


def executable() -> Path:
    """The Pagefind binary that ``pagefind[bin]`` installs (or $PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        binary = None
    else:
        binary = get_executable()
    if binary is None:
        raise WegoError("search index failed: Pagefind is missing (run make install)")
    return binary


class Service:
    """One running ``pagefind --service`` with one index in it."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._log = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                [str(executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                bufsize=0,
            )
        except OSError as exc:
            self._log.close()
            raise WegoError(f"search index failed: cannot start Pagefind: {exc}") from None
        self._next = 0
        self._done: dict[int, dict[str, Any]] = {}
        self._eof = False
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index = self.call({"type": "NewIndex", "config": dict(config)})["index_id"]

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_files(self) -> dict[str, bytes]:
        """Build the index; every file of the bundle by its path inside it."""
        files = self.call({"type": "GetFiles"})["files"]
        return {f["path"]: base64.b64decode(f["content"]) for f in files}

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its response."""
        return self._wait(self._send(payload))

    def close(self) -> None:
        """Stop the binary (it exits when its input ends)."""
        if self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=10)
        if self._proc.stdout:
            self._proc.stdout.close()
        self._log.close()

    def _send(self, payload: dict[str, Any]) -> int:
        self._next += 1
        if "index_id" not in payload and payload["type"] != "NewIndex":
            payload = {**payload, "index_id": self._index}
        message = json.dumps({"message_id": self._next, "payload": payload})
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except OSError:
            self._failed("it stopped")
        return self._next

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self._cond:
            while message_id not in self._done and 0 not in self._done and not self._eof:
                self._cond.wait()
            payload = self._done.pop(message_id, None) or self._done.get(0)
        if payload is None:
            self._failed("it stopped")
        if payload.get("type") == "Error":
            self._failed(str(payload.get("message", payload)))
        return payload

    def _read(self) -> None:
        assert self._proc.stdout is not None
        parts: list[bytes] = []
        try:
            while chunk := self._proc.stdout.read(1 << 20):
                *ends, rest = chunk.split(b",")
                for end in ends:
                    parts.append(end)
                    response = json.loads(base64.b64decode(b"".join(parts)))
                    parts = []
                    with self._cond:
                        self._done[response.get("message_id") or 0] = response["payload"]
                        self._cond.notify_all()
                parts.append(rest)
        except (ValueError, KeyError, TypeError):
            pass  # not the service protocol: treated as the end
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    def _failed(self, why: str) -> NoReturn:
        self._log.seek(0)
        detail = self._log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        raise WegoError("search index failed: Pagefind: " + " / ".join([why, *detail]))
