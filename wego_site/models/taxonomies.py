"""``content/taxonomies.yaml``: the controlled vocabularies."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field, model_validator

from .common import Country, Slug, SourceRef, Strict


class Region(Strict):
    """A region and the countries it holds."""

    label: str = Field(description="Region name shown to readers")
    countries: list[Country] = Field(description="ISO 3166-1 alpha-2 codes in this region")


class Taxonomies(Strict):
    """Every vocabulary editors choose keys from."""

    regions: dict[Slug, Region]
    sectors: dict[Slug, str]
    stakeholders: dict[Slug, str]
    event_categories: dict[Slug, str]
    member_types: dict[Slug, str]
    roles: dict[Slug, str]
    #: The documents content is written from: key -> the title readers see.
    sources: dict[Slug, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_region_per_country(self) -> Taxonomies:
        seen: dict[str, str] = {}
        for key, region in self.regions.items():
            for code in region.countries:
                if code in seen:
                    raise ValueError(f"country {code} is in both '{seen[code]}' and '{key}'")
                seen[code] = key
        return self

    def source_titles(self, refs: Iterable[SourceRef]) -> list[str]:
        """The titles of the documents ``refs`` cite, once each, in order."""
        return [self.sources[doc] for doc in dict.fromkeys(ref.doc for ref in refs)]

    def region_of(self, country: str) -> str | None:
        """The region key holding ``country``, or None."""
        for key, region in self.regions.items():
            if country in region.countries:
                return key
        return None
