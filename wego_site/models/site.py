"""``content/site.yaml``: site-wide settings."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from .common import Strict, Url


class Organizer(Strict):
    """Who organises WeGO events (schema.org organizer)."""

    name: str
    url: Url


class Contact(Strict):
    """The secretariat's contact details shown in the footer."""

    email: str | None = None
    address: list[str] = Field(default_factory=list)
    telephone: str | None = None


class Editor(Strict):
    """The browser content editor at ``/admin/`` (Decap CMS; docs/editor.md)."""

    repo: str = Field(
        default="",
        pattern=r"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?$",
        description="The GitHub repository the editor commits to, owner/name "
        "(default: GITHUB_REPOSITORY when the build runs in GitHub Actions)",
    )
    branch: str = Field(default="main", min_length=1, description="The branch that is published")
    auth_url: Url | None = Field(
        default=None,
        description="The OAuth provider that signs editors in to GitHub "
        "(Decap's backend base_url; docs/publishing.md), e.g. https://api.netlify.com",
    )
    auth_endpoint: str = Field(
        default="", description="The provider's sign-in path (Decap's default: auth)"
    )
    workflow: bool = Field(
        default=True,
        description="Editorial workflow: each change is a branch and pull request "
        "(false: saving commits to the branch)",
    )


class SiteSettings(Strict):
    """Site-wide settings."""

    title: str = Field(min_length=1, description="Full site title")
    # The defaults below are placeholders: _defaults fills these from title/base_url.
    short_title: str = Field(
        default="", description="Short name used in the header and page titles (default: title)"
    )
    description: str = Field(default="", description="One sentence about the site (default: title)")
    base_url: Url = Field(description="Production URL, may include a sub-path")
    language: str = Field(default="en", description="BCP 47 language tag")
    timezone: str = Field(default="Asia/Seoul", description="Default IANA time zone of events")
    organizer: Organizer = Field(
        default=Organizer(name="", url="/"),
        description="Who organises the events (default: title and base_url)",
    )
    contact: Contact = Field(default_factory=Contact)
    full_name: str = Field(
        default="", description="The name beside short_title in the header (default: title)"
    )
    header_menu: list[str] = Field(
        default_factory=list,
        description="Slugs of the menu pages also shown in the header (all are in the footer)",
    )
    footer_menu_title: str = Field(default="Pages", description="Heading of the footer's pages")
    upcoming_on_home: int = Field(default=6, ge=1, le=50)
    motto: str = Field(default="", description="A line above the home page's title")
    share_cards: bool = Field(
        default=False,
        description="Draw a share card (Open Graph image) for every entry and section",
    )
    booklets: bool = Field(
        default=True,
        description="Lay out each calendar year's booklet as a PDF "
        "(/calendar/<year>/booklet.pdf); the build's --no-pdf skips them",
    )
    editor: Editor | None = Field(
        default=None,
        description="Ship the browser content editor at /admin/ (docs/editor.md)",
    )
    logo: str = Field(
        default="",
        description="The header's wordmark, a file under content/static/ (/static/brand/logo.svg); "
        "short_title as text without one",
    )
    intro: str = Field(
        default="",
        description="What the organisation is, under the home page's title (default: description)",
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """The contract's four fields suffice: the extensions derive from them."""
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            return data
        title = data["title"]
        data = {"short_title": title, "description": title, "full_name": title, **data}
        if "organizer" not in data and isinstance(data.get("base_url"), str):
            data["organizer"] = {"name": title, "url": data["base_url"]}
        return data

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from .event import check_timezone

        return check_timezone(value)
