"""The Jinja environment: autoescape on, strict undefined, a few filters.

Content is never rendered *as* a template: Markdown bodies become HTML through
:class:`~wego_site.markdown.Markdown` and are marked safe in one place only,
the ``markdown`` filter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .dates import MONTHS
from .markdown import Markdown
from .models.common import country_name
from .site import Site
from .urls import Urls


@dataclass(frozen=True)
class PageItem:
    """One output file: a template with its context, or ready-made content."""

    path: str
    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    content: str | bytes | None = None
    make: Callable[[], str | bytes] | None = None  # content made only when rendered
    sitemap: bool = True


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
        self.md = Markdown(urls, cache_dir, urls.prefix)
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build never sees a template change
        )
        self.env.filters.update(
            markdown=lambda text: Markup(self.md.render(text)),
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
            build_date=site.build_date,
        )

    def render(self, item: PageItem) -> bytes:
        """The bytes of one output file."""
        content = item.make() if item.make is not None else item.content
        if content is not None:
            return content.encode() if isinstance(content, str) else content
        assert item.template is not None
        template = self.env.get_template(item.template)
        return template.render(page_path=item.path, **item.context).encode()
