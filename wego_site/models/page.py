"""``content/pages/<slug>.md``: free pages."""

from __future__ import annotations

from pydantic import Field, StrictBool

from .common import SourceRef, Strict


class Page(Strict):
    """A free page such as About."""

    title: str = Field(min_length=1, description="Page title")
    summary: str | None = Field(default=None, description="One sentence for meta description")
    menu: int | None = Field(default=None, description="Position in the main navigation")
    menu_title: str | None = Field(
        default=None, min_length=1, description="Shorter label in the navigation (default: title)"
    )
    sources: list[SourceRef] = Field(
        default_factory=list, description="Documents the entry is written from"
    )
    draft: StrictBool = Field(default=False, description="Published only with --drafts")
