"""Errors an editor sees.

Exception tree::

    WegoError
     +-- ContentError      one problem in one file (path, line, field, message)
     +-- ContentErrors     every ContentError of a run, raised once at the end
     +-- UsageError        bad command line (exit 2)

No other exception should reach the command line; ``cli`` turns anything
unexpected into a one-line message as well.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class WegoError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True, order=True)
class ContentError(WegoError):
    """One problem in one content file, located as precisely as known."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {visible(self.field)}:" if self.field else ""
        return f"{visible(self.path)}:{max(self.line, 1)}:{field} {visible(self.message)}"

    def github(self) -> str:
        """The error as a GitHub Actions annotation (workflow-command escaping)."""
        msg = (f"{self.field}: " if self.field else "") + self.message
        file = _gh_property(visible(self.path))
        return f"::error file={file},line={max(self.line, 1)}::{_gh_data(visible(msg))}"


class ContentErrors(WegoError):
    """All content errors of one run, sorted by file and line."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} content error(s)")


class UsageError(WegoError):
    """The command line was wrong; exit status 2."""


class OutputError(UsageError):
    """``--out`` cannot be used (refused, or not writable); exit status 2."""


#: Invisible characters that change how text reads: bidi embeddings, overrides
#: and isolates ("Trojan Source"), and zero-width spaces, word joiner and BOM.
#: ZWJ/ZWNJ (U+200C/D) and LRM/RLM stay allowed: Persian, Indic scripts and
#: emoji need them.
INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")


def is_control(ch: str) -> bool:
    """C0 and C1 control characters and DEL."""
    o = ord(ch)
    return o < 0x20 or 0x7F <= o <= 0x9F


def visible(text: str) -> str:
    """``text`` with control and invisible characters shown escaped (``\\x1b``,
    ``\\u202e``), so a message can neither drive a terminal nor hide what it says."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if is_control(ch):
            out.append(f"\\x{ord(ch):02x}")
        elif ch in INVISIBLE or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _gh_data(text: str) -> str:
    """Escape the message of a GitHub workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a property value (file=...) of a GitHub workflow command."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def display_path(path: Path) -> str:
    """A path as editors see it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path.absolute()) if rel.startswith("..") else rel


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest choice, or ""."""
    match = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
