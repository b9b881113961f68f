"""Characters content must not carry: controls and text-disguising invisibles.

Single-line fields (titles, names, summaries, labels, URLs) refuse every C0/C1
control character (tab and newline included), DEL, the bidirectional
embeddings, overrides and isolates ("Trojan Source": U+202A-U+202E,
U+2066-U+2069), zero-width space, word joiner and BOM. Markdown bodies may hold
tabs and newlines and zero-width characters (line-breaking hints in Thai or
Khmer), but no other control and no bidi override. ZWJ/ZWNJ and the LRM/RLM
marks are allowed everywhere: Persian, Indic scripts and emoji need them.
"""

from __future__ import annotations

import unicodedata

from .errors import INVISIBLE, is_control

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; ``U+001B (a control character)``."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X} (a control character)"


def field_problem(text: str) -> str | None:
    """Why a single-line value is refused, or None."""
    if text.isprintable():  # fast path: no control, no format character
        return None
    for ch in text:
        if is_control(ch) or ch in INVISIBLE or ch in "\u2028\u2029":
            return _message(ch)
    return None


def body_problems(text: str) -> list[tuple[int, str]]:
    """(line within the body, message) for each line of a body holding a forbidden
    character (at most 10 lines are reported)."""
    found: list[tuple[int, str]] = []
    if text.isprintable():
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        if line.isprintable():
            continue
        for ch in line:
            if (is_control(ch) and ch != "\t") or ch in BIDI_CONTROLS:
                found.append(
                    (
                        number,
                        f"contains {describe(ch)}, which is invisible or moves text; remove it",
                    )
                )
                break
        if len(found) == 10:
            break
    return found


def _message(ch: str) -> str:
    return f"contains {describe(ch)}, which is invisible or moves text; remove it"
