"""``content/site.yaml``: site-wide settings."""

from __future__ import annotations

from pydantic import Field, field_validator

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


class SiteSettings(Strict):
    """Site-wide settings."""

    title: str = Field(description="Full site title")
    short_title: str = Field(description="Short name used in the header and page titles")
    description: str = Field(description="One sentence about the site")
    base_url: Url = Field(description="Production URL, may include a sub-path")
    language: str = Field(default="en", description="BCP 47 language tag")
    timezone: str = Field(default="Asia/Seoul", description="Default IANA time zone of events")
    organizer: Organizer
    contact: Contact = Field(default_factory=Contact)
    upcoming_on_home: int = Field(default=6, ge=1, le=50)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from .event import check_timezone

        return check_timezone(value)
