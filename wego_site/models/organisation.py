"""``content/organisation.yaml`` (optional): what WeGO's documents say of WeGO itself.

Membership figures as a source gives them (totals by type and by the source's
own regions), office holders and advisory boards, each with its sources. The
directory lists members one by one; these are the counts and people the
documents state, shown beside it so a reader sees both and why they differ.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..dates import PartialDateField
from .common import Country, Slug, SourceRef, Strict, in_vocabulary

RegionKey = Annotated[Slug, in_vocabulary("regions", "region")]
TypeKey = Annotated[Slug, in_vocabulary("member_types", "member type")]


class SourceRegion(Strict):
    """A region as the source draws it, and the directory regions it spans."""

    label: str = Field(min_length=1, description="The source's name: Americas")
    regions: list[RegionKey] = Field(min_length=1, description="Keys of taxonomies.regions")
    count: int = Field(ge=0, description="Local governments the source counts there")
    named: int | None = Field(default=None, ge=0, description="How many it names, if fewer")


class SourceCountry(Strict):
    """How many local governments the source lists under one country."""

    country: Country
    count: int = Field(ge=0)


class Snapshot(Strict):
    """WeGO's membership at one date, as one document gives it."""

    as_of: PartialDateField = Field(description="Year or month: 2020-12")
    total: int = Field(ge=0)
    by_type: dict[TypeKey, int] = Field(default_factory=dict)
    local_governments_by_region: list[SourceRegion] = Field(default_factory=list)
    local_governments_by_country: list[SourceCountry] = Field(
        default_factory=list, description="As the source lists them, where it does"
    )
    growth: str | None = Field(default=None, description="As the source says it: Up 39% since 2018")
    notes: list[str] = Field(
        default_factory=list, description="For readers: where the source is unclear or differs"
    )
    sources: list[SourceRef] = Field(min_length=1)


class Person(Strict):
    """Someone a document names in a position."""

    name: str = Field(min_length=1)
    position: str = Field(min_length=1, description="The source's own words")
    affiliation: str | None = None
    member: Annotated[Slug, Field(description="Member slug, if the post is a member's")] | None = (
        None
    )
    as_of: PartialDateField = Field(description="The date of the document naming them")
    sources: list[SourceRef] = Field(min_length=1)


class BoardMember(Strict):
    """One member of a board, in the source's words."""

    name: str = Field(min_length=1)
    position: str = Field(min_length=1)
    affiliation: str | None = None


class Board(Strict):
    """A group the documents name with its members (an advisory board)."""

    title: str = Field(min_length=1)
    about: str | None = Field(default=None, description="One sentence, as the source says it")
    as_of: PartialDateField
    members: list[BoardMember] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)


class Organisation(Strict):
    """Everything ``organisation.yaml`` holds; every part is optional."""

    membership: list[Snapshot] = Field(default_factory=list, description="Oldest first")
    people: list[Person] = Field(default_factory=list, description="Office holders")
    boards: list[Board] = Field(default_factory=list)
