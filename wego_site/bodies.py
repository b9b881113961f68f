"""Markdown bodies, and a record of where every output shows them.

An incremental build may skip re-rendering a page only if it *knows* what the
page read; so the generator never hands a body's text to a template at all.

* ``entry.body_html`` (and ``body_json`` in open data) give a *slot*: a
  placeholder naming the body (its content-relative path) and the form wanted.
  The renderer replaces every slot after rendering (:func:`fill_slots`, with
  the texts the renderer holds) and records the byte span of each. After an
  edit that changes only bodies, the rebuild layer splices the new HTML into
  those spans (:func:`splice`), which is byte for byte what a full build
  writes (full builds assemble every page the same way).
* ``entry.has_body`` says whether the body is blank; the rebuild scan treats
  blankness as part of the site's structure, so it needs no record.

A slot carries everything needed to fill it, so there is no state between
placing and filling: a template fragment holding slots can be rendered once
and reused on many pages, on any thread or process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

_MARK = "\x00wego-slot:{}:{}\x00"
_KEY = r"[A-Za-z0-9._/-]+"
_SLOT_RE = re.compile(rf'\x00wego-slot:html:({_KEY})\x00|"\\u0000wego-slot:json:({_KEY})\\u0000"')
#: What a slot of each kind is replaced with (JSON: a whole string literal).
HTML, JSON = "html", "json"

#: One filled slot in an output file: byte start, byte end, body key, kind.
SlotRecord = tuple[int, int, str, str]


class SlotError(RuntimeError):
    """A body slot was used in a way that cannot be filled exactly."""


class Body:
    """The Markdown body of one content file, keyed by its content-relative path."""

    __slots__ = ("key", "text")

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        self.text = text

    @property
    def blank(self) -> bool:
        return is_blank(self.text)

    def slot(self, kind: str) -> str:
        """A placeholder for this body as ``kind`` (HTML or JSON)."""
        return _MARK.format(kind, self.key)

    def __repr__(self) -> str:
        return f"Body({self.key!r})"


def is_blank(text: str) -> bool:
    """Whether a body has nothing to show (the scan uses the same test)."""
    return not text.strip()


def json_string(text: str) -> str:
    """A body as a JSON string literal, as the open-data files write it."""
    return json.dumps(text, ensure_ascii=False)


def fill_slots(
    text: str, texts: Mapping[str, str], html: Callable[[str], str]
) -> tuple[bytes, list[SlotRecord]]:
    """Replace every slot in ``text``; return the bytes and the slots' spans.

    ``texts`` maps body keys to their Markdown; ``html`` turns Markdown into
    HTML. A placeholder found in any other form than the one its kind produces
    (e.g. a body slot passed through a filter or escaped differently) is an
    error, never a guess.
    """
    if _LEFTOVER_RE.search(text) is None:  # no slot, in any form
        return text.encode(), []
    pieces: list[bytes] = []
    records: list[SlotRecord] = []
    pos = at = 0
    for m in _SLOT_RE.finditer(text):
        key, kind = (m[1], HTML) if m[1] is not None else (m[2], JSON)
        if key not in texts:
            raise SlotError(f"a slot names a body that is not in the site: {key}")
        between = _checked(text[pos : m.start()]).encode()
        pieces.append(between)
        at += len(between)
        body = texts[key]
        value = (html(body) if kind == HTML else json_string(body)).encode()
        pieces.append(value)
        records.append((at, at + len(value), key, kind))
        at += len(value)
        pos = m.end()
    pieces.append(_checked(text[pos:]).encode())
    return b"".join(pieces), records


#: Any trace of a placeholder left after the well-formed ones are replaced.
_LEFTOVER_RE = re.compile(r"(?i)wego-slot")


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
