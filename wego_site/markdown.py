"""The one configured Markdown renderer.

Built from markdown-it's ``js-default`` preset: raw HTML is off (it shows as
text), tables and strikethrough are on, and markdown-it's own ``validateLink``
refuses ``javascript:``, ``vbscript:``, ``file:`` and non-image ``data:`` links.
Two small rules are added: site-relative links and images (``/members/seoul/``)
get the base URL's prefix, and headings get ``id`` attributes for anchors.
Rendering is pure (same text and prefix -> same HTML), so results are cached by
content hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


def slugify(text: str) -> str:
    """ASCII slug for heading ids."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "section"


class Markdown:
    """Safe Markdown -> HTML with base-URL-aware links."""

    def __init__(self, link: Callable[[str], str], cache_key: str = "") -> None:
        self.link = link
        self.cache_key = cache_key
        self.md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
        self.md.core.ruler.push("wego_links_ids", self._rewrite)
        self._cache: dict[str, str] = {}

    def _rewrite(self, state: Any) -> None:
        used: set[str] = set()
        tokens: Sequence[Token] = state.tokens
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and i + 1 < len(tokens):
                base = slugify(tokens[i + 1].content)
                ident, n = base, 2
                while ident in used:
                    ident, n = f"{base}-{n}", n + 1
                used.add(ident)
                tok.attrSet("id", ident)
            if tok.type == "inline" and tok.children:
                for child in tok.children:
                    if child.type == "link_open":
                        href = child.attrGet("href")
                        if isinstance(href, str):
                            child.attrSet("href", self.link(href))
                    elif child.type == "image":
                        src = child.attrGet("src")
                        if isinstance(src, str):
                            child.attrSet("src", self.link(src))
                        child.attrSet("loading", "lazy")

    def render(self, text: str) -> str:
        """Render Markdown to HTML (cached by the text's hash)."""
        key = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self.md.render(text)
        return hit
