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
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .writer import read_checked, write_checked


def slugify(text: str) -> str:
    """ASCII slug for heading ids."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "section"


#: Bump when the renderer's rules change, so cached HTML is not reused.
RENDERER_VERSION = "1"


class Markdown:
    """Safe Markdown -> HTML with base-URL-aware links.

    With ``cache_dir``, rendered HTML is kept on disk by the hash of everything
    it depends on (the text, the link prefix, markdown-it's version and this
    renderer's version). Each entry starts with the hash of its HTML; an entry
    that does not match (truncated, edited, corrupted) is ignored and rewritten.
    """

    def __init__(
        self, link: Callable[[str], str], cache_dir: Path | None = None, prefix: str = ""
    ) -> None:
        import markdown_it

        self.link = link
        self.md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
        self.md.core.ruler.push("wego_links_ids", self._rewrite)
        self._cache: dict[str, str] = {}
        self.cache_dir = cache_dir / "markdown" if cache_dir else None
        self._salt = f"{RENDERER_VERSION}|{markdown_it.__version__}|{prefix}|".encode()

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
        key = hashlib.blake2b(self._salt + text.encode(), digest_size=20).hexdigest()
        hit = self._cache.get(key)
        if hit is None:
            hit = self._read(key)
            if hit is None:
                hit = self.md.render(text)
                self._write(key, hit)
            self._cache[key] = hit
        return hit

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.html" if self.cache_dir else None

    def _read(self, key: str) -> str | None:
        path = self._path(key)
        found = read_checked(path) if path is not None else None
        if found is None:
            return None
        try:
            return found[1].decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the checksum matched
            return None

    def _write(self, key: str, html: str) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            write_checked(path, html.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written is only slower
