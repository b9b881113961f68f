"""``content/projects/<slug>.md``: one case study of the projects catalog."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from .common import Country, Link, Slug, SourceRef, Strict, check_url, in_vocabulary


@cache
def _currencies() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _check_currency(value: str) -> str:
    if value not in _currencies():
        raise ValueError(f"'{value}' is not an ISO 4217 currency code (e.g. USD, EUR, KRW)")
    return value


class Budget(Strict):
    """A project's budget."""

    amount: float = Field(gt=0, description="Amount in the currency's units")
    currency: Annotated[str, AfterValidator(_check_currency)] = Field(
        description="ISO 4217 code, e.g. USD"
    )


class Project(Strict):
    """A best-practice smart city project."""

    title: str = Field(min_length=1, description="Project name")
    city: Slug | None = Field(default=None, description="Member slug of the implementing city")
    country: Country | None = Field(default=None, description="ISO code when city is not a member")
    city_name: str | None = Field(default=None, description="City name when not a member")
    sectors: list[Annotated[Slug, in_vocabulary("sectors", "sector")]] = Field(
        min_length=1, description="Keys of taxonomies.sectors"
    )
    stakeholders: list[Annotated[Slug, in_vocabulary("stakeholders", "stakeholder")]] = Field(
        default_factory=list, description="Keys of stakeholders"
    )
    implemented: int | None = Field(default=None, ge=1900, le=2200, description="Year")
    duration: str | None = Field(default=None, description="Free text, e.g. Indefinite")
    funding: str | None = Field(default=None, description="Funding source, free text")
    budget: Budget | None = None
    summary: str = Field(min_length=1, description="One or two sentences")
    awards: list[str] = Field(default_factory=list, description="Awards, as written")
    image: str | None = Field(default=None, description="/static/... path; must exist")
    image_alt: str | None = Field(default=None, description="What the image shows")
    featured: StrictBool = Field(default=False, description="Shown on the home page")
    links: list[Link] = Field(default_factory=list)
    sources: list[SourceRef] = Field(
        default_factory=list, description="Documents the entry is written from"
    )
    draft: StrictBool = Field(default=False, description="Published only with --drafts")

    @field_validator("image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/static/"):
            raise ValueError("image must be a path under /static/, e.g. /static/projects/x.jpg")
        return value if value is None else check_url(value)

    @model_validator(mode="after")
    def _place(self) -> Project:
        if self.city and self.city_name:
            raise ValueError("city_name is only for cities that are not members; omit it")
        if self.city_name and not self.country:
            raise ValueError("city_name needs its country (ISO code)")
        if self.image and not self.image_alt:
            raise ValueError("image_alt is required with image (describe the picture)")
        if len(set(self.sectors)) != len(self.sectors):
            raise ValueError("a sector is listed twice")
        return self
