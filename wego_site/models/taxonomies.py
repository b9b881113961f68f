"""``content/taxonomies.yaml``: the controlled vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from .common import Country, Slug, SourceRef, Strict


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``#rrggbb`` against white."""

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _aa_on_white(colour: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"'{colour}' is not a #rrggbb colour")
    ratio = contrast_with_white(colour)
    if ratio < 4.5:
        raise ValueError(
            f"{colour} has {ratio:.2f}:1 contrast with white; AA needs 4.5:1 "
            "(choose a darker colour)"
        )
    return colour


AreaColour = Annotated[str, AfterValidator(_aa_on_white)]


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
    #: One colour per programme area (``#rrggbb``), used wherever the area shows.
    category_colours: dict[Slug, AreaColour] = Field(
        default_factory=dict,
        description="event category -> #rrggbb, at least 4.5:1 against white (WCAG AA text)",
    )

    @model_validator(mode="after")
    def _colours(self) -> Taxonomies:
        for key in self.category_colours:
            if key not in self.event_categories:
                raise ValueError(f"category_colours: '{key}' is not an event category")
        return self

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
