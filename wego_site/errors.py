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
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{max(self.line, 1)}:{field} {self.message}"

    def github(self) -> str:
        """The error as a GitHub Actions annotation."""
        msg = (f"{self.field}: " if self.field else "") + self.message
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={max(self.line, 1)}::{msg}"


class ContentErrors(WegoError):
    """All content errors of one run, sorted by file and line."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} content error(s)")


class UsageError(WegoError):
    """The command line was wrong; exit status 2."""


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
