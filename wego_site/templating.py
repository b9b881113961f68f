"""The Jinja environment: autoescape on, strict undefined, a few filters.

Content is never rendered *as* a template: Markdown becomes HTML through
:class:`~wego_site.markdown.Markdown` in one place only, the body slots that
:func:`wego_site.bodies.fill_slots` fills after rendering.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import bodies, pdf
from .bodies import SlotRecord
from .dates import MONTHS
from .markdown import Markdown
from .models.common import country_name
from .site import Site
from .template_cache import TemplateCache
from .urls import Paths, Urls
from .urls import card_path as urls_card_path


@dataclass(frozen=True)
class PageItem:
    """One output file: a template with its context, or ready-made content."""

    path: str
    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    content: str | bytes | None = None
    make: Callable[[], str | bytes] | None = None  # content made only when rendered
    sitemap: bool = True
    #: ``make``'s bytes depend on this key only: a build may keep them on disk.
    cache_key: str | None = None
    #: The template's HTML laid out as a PDF (``pdf.py``); kept by a hash of the HTML.
    pdf: bool = False


def _money(amount: float, currency: str) -> str:
    whole = amount == int(amount)
    number = f"{int(amount):,}" if whole else f"{amount:,.2f}"
    return f"{currency} {number}"


def _jsonld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element, safely escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class Renderer:
    """Renders page items with the site's templates."""

    def __init__(
        self, templates: Path, site: Site, urls: Urls, cache_dir: Path | None = None
    ) -> None:
        self.site = site
        self.urls = urls
        self.cache_dir = cache_dir
        self.md = Markdown(urls, cache_dir, urls.prefix)
        options: dict[str, Any] = {
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "keep_trailing_newline": True,
        }
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            undefined=StrictUndefined,
            auto_reload=False,  # one build never sees a template change
            bytecode_cache=TemplateCache(options, cache_dir / "templates" if cache_dir else None),
            **options,
        )
        self.env.filters.update(
            money=_money,
            country=country_name,
            jsonld=_jsonld,
            month_name=lambda m: MONTHS[m],
        )
        self.env.globals.update(
            site=site,
            settings=site.settings,
            tax=site.taxonomies,
            url=urls,
            abs_url=urls.absolute,
            paths=Paths,
            build_date=site.build_date,
            once=self._once(),
            card_for=self._card_for,
        )

    @staticmethod
    def _once() -> Callable[..., Any]:
        """``once(macro, entry, *args)``: the macro's output rendered once per build
        for the same entry and arguments (``partials/event_card.html`` uses it: an
        event card appears on up to ten pages).

        Exact: a macro imported from a template sees only its arguments and the
        environment's globals, which are fixed for one Renderer; the entry is
        keyed by identity (the site model holds every entry for the build). A
        body slot in the output is filled on each page that shows it.
        """
        cache: dict[tuple[Any, ...], Any] = {}

        def once(macro: Any, entry: Any, *args: Any) -> Any:
            key = (macro.name, id(entry), args)
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = macro(entry, *args)
            return hit

        return once

    def _card_for(self, page: str) -> str | None:
        """The share card a page shows: its own, else its section's (the nearest
        enclosing page with one), else the home page's; None without cards."""
        if not self.site.settings.share_cards:
            return None
        pages = self.site.card_pages
        while page not in pages and page != "/":
            page = page.rstrip("/").rsplit("/", 1)[0] + "/"
        return urls_card_path(page) if page in pages else None

    def made(self, item: PageItem) -> str | bytes:
        """``item.make()``, kept on disk under its ``cache_key`` when there is a cache."""
        assert item.make is not None
        return self._kept(item.cache_key, item.make)

    def _kept(self, cache_key: str | None, make: Callable[[], str | bytes]) -> str | bytes:
        """``make()``, kept in ``.wego-cache/made/`` under ``cache_key`` (bytes only)."""
        if cache_key is None or self.cache_dir is None:
            return make()
        path = self.cache_dir / "made" / cache_key[-2:] / cache_key
        try:
            return path.read_bytes()
        except OSError:
            pass
        content = make()
        if isinstance(content, bytes):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(content)
                os.replace(tmp, path)
            except OSError:
                pass  # a cache that cannot be written is no cache, not an error
        return content

    def render(self, item: PageItem, texts: Mapping[str, str] | None = None) -> bytes:
        """The bytes of one output file."""
        return self.render_recorded(item, texts)[0]

    def render_recorded(
        self, item: PageItem, texts: Mapping[str, str] | None = None
    ) -> tuple[bytes, list[SlotRecord]]:
        """The bytes of one output file and the byte spans of the bodies it shows
        (filled from ``texts``, by default the site's own bodies)."""
        content = self.made(item) if item.make is not None else item.content
        if content is None:
            assert item.template is not None
            template = self.env.get_template(item.template)
            content = template.render(page_path=item.path, **item.context)
            if item.pdf:
                html = content
                if "wego-slot" in html:
                    raise bodies.SlotError(f"{item.path}: a body slot in a PDF")
                content = self._kept(pdf.key(html), lambda: pdf.render(html))
        if isinstance(content, bytes):
            if b"wego-slot" in content:
                raise bodies.SlotError(f"{item.path}: a body slot in a bytes output")
            return content, []
        return bodies.fill_slots(content, texts or self.site.bodies, self.md.render)
