"""markdown-it-pyrs, for the bodies it renders exactly as markdown-it-py does.

markdown-it-pyrs (the Rust port of markdown-it, 10-60x faster here) is not a
drop-in replacement: on unusual input it differs from markdown-it-py (empty
block quotes, unclosed fences, non-breaking spaces, symbols next to ``*``,
escapes and entities in image descriptions, one-column tables without pipes,
list items after a quote), it panics on an unclosed backtick inside brackets,
and it recurses without markdown-it-py's nesting limit (100,000 nested ``>``
crash the process). So it only sees bodies :func:`admits` lets through: plain
Markdown of the kind pages are written in (paragraphs, headings, lists,
emphasis, links, images, quotes, pipe tables), at most
:data:`NATIVE_MARKUP_CHARS` markup characters, nested at most
:data:`NATIVE_MAX_DEPTH` deep. Everything else goes to markdown-it-py, which
stays the reference: ``tests/test_markdown_native.py`` renders every real and
fixture body, every benchmark body and a seeded fuzz of admitted bodies with
both and requires identical HTML.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

import markdown_it_pyrs

#: The rules markdown-it-py's ``js-default`` preset runs with raw HTML off.
RULES: list[Any] = [
    *["blockquote", "code", "fence", "heading", "lheading", "hr", "list", "paragraph"],
    *["reference", "table", "strikethrough", "newline", "escape", "backticks"],
    *["emphasis", "link", "image", "autolink", "entity"],
]  # (markdown-it-pyrs's stub types them as a Literal)

#: Bodies with more markup characters go to markdown-it-py (the slowest admitted
#: construct, many reference definitions, then takes ~0.1 s).
NATIVE_MARKUP_CHARS = 10_000

#: Lines with this many container characters (``>``, list markers, indentation)
#: before their text go to markdown-it-py: nesting stays far below its limit of
#: 100 levels, where the two would differ, and far below a native stack overflow.
NATIVE_MAX_DEPTH = 40

# Code spans and fences, strikethrough, tabs and control characters.
_REFUSED = re.compile(r"[`~\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DEEP = re.compile(rf"^[ >*+\-0-9.)]{{{NATIVE_MAX_DEPTH}}}", re.M)
# Empty list items, one-column delimiter rows, lines of only quote markers.
_ODD_LINE = re.compile(
    r"^[ >]*(?:[-*+]|\d{1,9}[.)])[ ]*$|^ *:?-+: *$|^ *:-+ *$|^[ >*+\-0-9.)]*> *$", re.M
)
_QUOTE = re.compile(r" {0,3}>")
_QUOTE_TEXT = re.compile(r" {0,3}> *[^\s>]")
_QUOTE_GAP = re.compile(r" {0,3}> *")
_TABLE_ROW = re.compile(r" {0,3}\|.*\| *")


def _unicode_plain(text: str) -> bool:
    """No non-ASCII spaces, symbols or format characters (the two differ on them)."""
    return all(unicodedata.category(char)[0] in "LMNP" for char in set(text) if not char.isascii())


def _lines_plain(text: str) -> bool:
    """Quotes end at a blank line, quote gaps sit between quoted text, tables are
    pipe tables with outer pipes, set off by blank lines."""
    odd = {m.start() for m in _ODD_LINE.finditer(text)}
    quote = table = False
    prev_blank, prev_text = True, False
    pos = 0
    for line in text.split("\n"):
        blank = not line.strip()
        if pos in odd and not (prev_text and _QUOTE_GAP.fullmatch(line)):
            return False
        pos += len(line) + 1
        if quote and not blank and not _QUOTE.match(line):
            return False  # a lazy continuation line
        if "|" in line:
            if not _TABLE_ROW.fullmatch(line) or not (table or prev_blank):
                return False
        elif table and not blank:
            return False
        quote = bool(_QUOTE.match(line))
        prev_text = bool(_QUOTE_TEXT.match(line))
        table = "|" in line
        prev_blank = blank
    return True


def admits(text: str, markup_chars: int) -> bool:
    """Whether ``text`` is plain enough for markdown-it-pyrs (pure, linear)."""
    if markup_chars > NATIVE_MARKUP_CHARS or _REFUSED.search(text) or _DEEP.search(text):
        return False
    if not text.isascii() and not _unicode_plain(text):
        return False
    if "![" in text and ("\\" in text or "&" in text):
        return False
    if "]:" in text and (">" in text or "](" in text):  # definitions inside quotes, or
        # a label followed by an unclosed destination
        return False
    return _lines_plain(text)


_LOCAL = threading.local()


def render(text: str) -> str | None:
    """markdown-it-pyrs's HTML for an admitted body, or None if it panicked."""
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = markdown_it_pyrs.MarkdownIt("zero")
        md.enable_many(RULES)
    try:
        html: str = md.render(text, xhtml=False)
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        return None
    return html
