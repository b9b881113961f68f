"""iCalendar content lines written directly, for the feeds' VEVENTs and header.

What: the few RFC 5545 pieces a feed of ours needs (property values, content
lines, components), as plain strings and bytes.

Why: the ``icalendar`` library builds objects for every property, parameter
and value and folds lines character by character; in a 4,000-event build it
took about 14% of all CPU. A VEVENT of ours has eleven known properties, so
:mod:`wego_site.feeds` writes them with these functions instead (about ten
times faster). VTIMEZONE components still come from ``icalendar``.

RFC 5545 rules implemented:

* 3.1 content lines ``NAME[;PARAM=VALUE]:VALUE``, each ended by CRLF, folded
  with CRLF and one space, never inside a UTF-8 sequence;
* 3.3.11 TEXT: ``\\``, ``;`` and ``,`` escaped with a backslash, a line break
  written as ``\\n``;
* 3.3.4 DATE (``YYYYMMDD``) and 3.3.5 DATE-TIME: in UTC (``...Z``) or as local
  time (``YYYYMMDDTHHMMSS``, floating or with a 3.2.19 ``TZID`` parameter);
* 3.3.13 URI: written as it is.

The ``icalendar`` library (7.3.2) is the test oracle:
``tests/test_ical_writer.py`` checks that these bytes are exactly the
library's. Where the library's choices go beyond the RFC we follow them, so
that the output did not change: a line is folded before it reaches 75 octets
(at most 74, plus the leading space of a continuation line); a fold never
leaves a ``\\`` or ``^`` at the end of a line (it moves to the next one); and a
literal ``\\N`` in TEXT is taken as a line break.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

#: RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets. Like icalendar, a
#: line is folded before the octet that would make it 75 long.
FOLD_AT = 74
_BACKSLASH, _CARET = ord("\\"), ord("^")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11), escaped exactly as icalendar escapes it."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def date_value(d: date) -> str:
    """A DATE value: ``YYYYMMDD``."""
    return f"{d.year:04}{d.month:02}{d.day:02}"


def local_value(dt: datetime) -> str:
    """A DATE-TIME as local time, ``YYYYMMDDTHHMMSS`` (floating, or with ``TZID``)."""
    return f"{date_value(dt)}T{dt.hour:02}{dt.minute:02}{dt.second:02}"


def utc_value(dt: datetime) -> str:
    """A DATE-TIME in UTC, ``YYYYMMDDTHHMMSSZ``; a naive ``dt`` is taken as UTC."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return local_value(dt) + "Z"


def fold(line: bytes) -> bytes:
    """Fold one content line (RFC 5545 3.1) at :data:`FOLD_AT` octets.

    A cut never falls inside a UTF-8 sequence (it moves back to the start of
    the character), and never just after a ``\\`` or ``^``, so an escape stays
    on one line, as icalendar does.
    """
    if len(line) <= FOLD_AT:
        return line
    pieces = []
    start = 0
    while len(line) - start > FOLD_AT:
        cut = start + FOLD_AT
        while line[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        if line[cut - 1] in (_BACKSLASH, _CARET):
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def line(name: str, value: str, *params: str) -> bytes:
    """A folded content line with its CRLF; ``params`` as ``"KEY=value"``.

    ``value`` is written as given: escape TEXT with :func:`text` first.
    Parameter values are written as given too (no quoting), which suits the
    ones we write: ``VALUE=DATE`` and ``TZID`` with an IANA zone name.
    """
    head = ";".join((name, *params))
    return fold(f"{head}:{value}".encode()) + b"\r\n"


def component(name: str, lines: Iterable[bytes]) -> bytes:
    """``BEGIN:name``, the content lines, ``END:name``."""
    return b"".join((f"BEGIN:{name}\r\n".encode(), *lines, f"END:{name}\r\n".encode()))
