"""``content/members/<slug>.yaml``: one WeGO member."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ..dates import PartialDateField, Precision
from .common import Country, Slug, SourceRef, Strict, Url, in_vocabulary


class Role(Strict):
    """A role a member holds, possibly for a time."""

    role: Annotated[Slug, in_vocabulary("roles", "role")] = Field(
        description="Key of taxonomies.roles"
    )
    term: str | None = Field(default=None, description="Term such as 2024-2026")
    since: PartialDateField | None = Field(default=None, description="Year or date it began")
    until: PartialDateField | None = Field(default=None, description="Year or date it ended")
    office: str | None = Field(default=None, description="Regional office name")
    sources: list[SourceRef] = Field(
        default_factory=list,
        description="Documents that record the role, each as current at its date",
    )

    @field_validator("term")
    @classmethod
    def _term(cls, value: str | None) -> str | None:
        if value is not None:
            m = re.fullmatch(r"(\d{4})-(\d{4})", value)
            if not m or int(m.group(2)) < int(m.group(1)):
                raise ValueError(f"'{value}' is not a term; write it as 2024-2026")
        return value

    @model_validator(mode="after")
    def _order(self) -> Role:
        if self.since and self.until and self.until.last_day < self.since.first_day:
            raise ValueError("until is before since")
        return self

    @property
    def start_year(self) -> int | None:
        if self.term:
            return int(self.term[:4])
        return self.since.year if self.since else None

    @property
    def end_year(self) -> int | None:
        if self.term:
            return int(self.term[5:])
        return self.until.year if self.until else None


class Member(Strict):
    """A member city, corporation or institution."""

    name: str = Field(min_length=1, description="Full name")
    short_name: str | None = Field(default=None, description="Used in lists")
    name_local: str | None = Field(default=None, description="Name in the local script")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other spellings readers search for (Hanoi for Ha Noi); shown and indexed",
    )
    type: Annotated[Slug, in_vocabulary("member_types", "member type")] = Field(
        description="Key of taxonomies.member_types"
    )
    country: Country = Field(description="ISO 3166-1 alpha-2")
    joined: PartialDateField | None = Field(default=None, description="Year or full date")
    roles: list[Role] = Field(default_factory=list)
    website: Url | None = None
    sources: list[SourceRef] = Field(
        default_factory=list, description="Documents the entry is written from"
    )

    @field_validator("joined")
    @classmethod
    def _joined(cls, value):  # type: ignore[no-untyped-def]
        if value is not None and value.precision not in (Precision.YEAR, Precision.DAY):
            raise ValueError("joined is a year (2010) or a full date (2020-03-05)")
        return value

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
