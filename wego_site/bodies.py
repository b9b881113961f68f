"""Markdown bodies, and a record of how every output uses them.

An incremental build may skip re-rendering a page only if it *knows* what the
page read; so the generator never hands a body's text to a page unrecorded.

* ``entry.body_html`` (and ``body_json`` in open data) do not give the text to
  the template at all: they give a *slot*, a placeholder that
  :func:`fill_slots` replaces after rendering with the body as HTML (or as a
  JSON string). The template cannot look at the text, so the rest of the page
  cannot depend on it; the output records the byte span of each slot. After an
  edit that changes only bodies, :mod:`wego_site.incremental` splices the new
  HTML into those spans, which is byte for byte what a full build writes
  (full builds assemble every page the same way).
* ``entry.body`` gives the text itself and records the body's key as *read raw*:
  a later change of that body means a full build.
* ``entry.has_body`` says whether the body is blank; the incremental scan
  treats blankness as part of the site's structure, so it needs no record.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

#: Keys (content-relative paths) of the bodies read raw in this process.
_raw: set[str] = set()


class _Render(threading.local):
    """Slots requested by the output being rendered on this thread (None: none is)."""

    slots: list[tuple[Body, str]] | None = None


_current = _Render()

_MARK = "\x00wego-slot-{}\x00"
_SLOT_RE = re.compile(r'\x00wego-slot-(\d+)\x00|"\\u0000wego-slot-(\d+)\\u0000"')
#: What a slot of each kind is replaced with (JSON: a whole string literal).
HTML, JSON = "html", "json"

#: One filled slot in an output file: byte start, byte end, body key, kind.
SlotRecord = tuple[int, int, str, str]


class SlotError(RuntimeError):
    """A body slot was used in a way that cannot be filled exactly."""


class Body:
    """The Markdown body of one content file, keyed by its content-relative path."""

    __slots__ = ("key", "_text")

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        self._text = text

    def raw(self) -> str:
        """The text, recorded as read raw."""
        _raw.add(self.key)
        return self._text

    @property
    def blank(self) -> bool:
        return is_blank(self._text)

    def slot(self, kind: str) -> str:
        """A placeholder for this body as ``kind`` in the output being rendered."""
        slots = _current.slots
        if slots is None:
            raise SlotError("a body slot can only be used while an output is rendered")
        slots.append((self, kind))
        return _MARK.format(len(slots) - 1)

    def __repr__(self) -> str:
        return f"Body({self.key!r})"


def is_blank(text: str) -> bool:
    """Whether a body has nothing to show (the scan uses the same test)."""
    return not text.strip()


def json_string(text: str) -> str:
    """A body as a JSON string literal, as the open-data files write it."""
    return json.dumps(text, ensure_ascii=False)


def raw_keys() -> set[str]:
    """The keys of every body read raw so far in this process."""
    return set(_raw)


def reset_raw() -> None:
    _raw.clear()


def slot_count() -> int:
    """How many slots the output being rendered on this thread has requested."""
    slots = _current.slots
    return len(slots) if slots is not None else 0


def begin() -> None:
    """Start recording the slots of one output (on this thread)."""
    _current.slots = []


def fill_slots(text: str, html: Callable[[str], str]) -> tuple[bytes, list[SlotRecord]]:
    """End the recording: replace every slot in ``text``; return bytes and spans.

    ``html`` turns Markdown into HTML. A placeholder found in a form other than
    the one its kind produces (e.g. a body slot passed through a filter or
    escaped differently) is an error, never a guess.
    """
    slots, _current.slots = _current.slots or [], None
    if not slots:  # no placeholder was made for this output: nothing to look for
        return text.encode(), []
    pieces: list[bytes] = []
    records: list[SlotRecord] = []
    pos = at = 0
    for m in _SLOT_RE.finditer(text):
        index, kind = (int(m[1]), HTML) if m[1] is not None else (int(m[2]), JSON)
        body, wanted = slots[index]
        if wanted != kind:
            raise SlotError(f"slot for {body.key} ({wanted}) was written as {kind}")
        between = _checked(text[pos : m.start()]).encode()
        pieces.append(between)
        at += len(between)
        value = (html(body._text) if kind == HTML else json_string(body._text)).encode()
        pieces.append(value)
        records.append((at, at + len(value), body.key, kind))
        at += len(value)
        pos = m.end()
    pieces.append(_checked(text[pos:]).encode())
    return b"".join(pieces), records


#: Any trace of a placeholder left after the well-formed ones are replaced.
_LEFTOVER_RE = re.compile(r"(?i)wego-slot-\d")


def _checked(text: str) -> str:
    if _LEFTOVER_RE.search(text):
        raise SlotError("a body slot was altered (filtered or escaped) after it was placed")
    return text


def splice(
    old: bytes, records: list[SlotRecord], values: dict[str, dict[str, bytes]]
) -> tuple[bytes, list[SlotRecord]]:
    """Replace the slots of ``old`` whose body changed; return new bytes and spans.

    ``values[key][kind]`` is the new filled value of a changed body; slots of
    other bodies keep their bytes.
    """
    out: list[bytes] = []
    new_records: list[SlotRecord] = []
    pos = at = 0
    for start, end, key, kind in records:
        between = old[pos:start]
        out.append(between)
        at += len(between)
        value = values[key][kind] if key in values else old[start:end]
        out.append(value)
        new_records.append((at, at + len(value), key, kind))
        at += len(value)
        pos = end
    out.append(old[pos:])
    return b"".join(out), new_records
