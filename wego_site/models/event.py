"""``content/events/<year>/<slug>.md``: one activity of the yearly calendar."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..dates import PartialDateField, Precision
from ..errors import suggest
from .common import Country, Link, Slug, SourceRef, Strict, in_vocabulary


class Format(StrEnum):
    """How people attend."""

    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Status(StrEnum):
    """Whether the event goes ahead as planned."""

    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


@cache
def _zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str) -> str:
    """Refuse a name that is not an IANA time zone, suggesting the closest."""
    if value not in _zones():
        raise ValueError(f"unknown time zone '{value}'{suggest(value, _zones())}")
    return value


def _parse_time(value: object) -> time:
    if isinstance(value, time):
        return value
    text = str(value)
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text)
    if not m:
        raise ValueError(f"'{text}' is not a time; write it as \"17:00\" (24-hour, quoted)")
    return time(int(m.group(1)), int(m.group(2)))


LocalTime = Annotated[
    time,
    BeforeValidator(_parse_time),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$"}),
]


class Location(Strict):
    """Where an event takes place."""

    city: str | None = Field(default=None, description="City name as readers know it")
    country: Country | None = Field(default=None, description="ISO 3166-1 alpha-2 code")
    venue: str | None = Field(default=None, description="Venue name (extension)")
    region_label: str | None = Field(
        default=None, description="A wider place when no city is known, e.g. 'Africa'"
    )

    @model_validator(mode="after")
    def _complete(self) -> Location:
        if self.city and not self.country:
            raise ValueError("a city needs its country (ISO code)")
        if not (self.city or self.country or self.region_label):
            raise ValueError("give city and country, or region_label; or omit location")
        return self


class Event(Strict):
    """One activity of the yearly calendar."""

    title: str = Field(min_length=1, description="Event name")
    date: PartialDateField = Field(description="Start: 2024-09-19 | 2024-09 | 2024-Q3 | 2024")
    end: PartialDateField | None = Field(default=None, description="End, same forms")
    tentative: StrictBool = Field(default=False, description="Date to be confirmed (TBD)")
    year_round: StrictBool = Field(default=False, description="Runs all year; date is a year")
    time: LocalTime | None = Field(default=None, description='Local start time "17:00"')
    timezone: str | None = Field(default=None, description="IANA time zone of `time`")
    format: Format = Field(default=Format.IN_PERSON, description="in-person | online | hybrid")
    location: Location | None = Field(default=None, description="Omit when not known")
    category: Annotated[Slug, in_vocabulary("event_categories", "event category")] = Field(
        description="Key of taxonomies.event_categories"
    )
    host: Slug | None = Field(default=None, description="Member slug")
    partners: list[Slug] = Field(default_factory=list, description="Member slugs")
    projects: list[Slug] = Field(default_factory=list, description="Project slugs")
    status: Status = Field(default=Status.SCHEDULED, description="scheduled|postponed|cancelled")
    summary: str = Field(min_length=1, description="One or two sentences")
    links: list[Link] = Field(default_factory=list)
    external: StrictBool = Field(
        default=False,
        description="Organised by others (a conference WeGO may attend), not a WeGO programme",
    )
    sources: list[SourceRef] = Field(
        default_factory=list, description="Documents the entry is written from"
    )
    draft: StrictBool = Field(default=False, description="Published only with --drafts")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.end is not None and self.end.first_day < self.date.first_day:
            raise ValueError(f"end ({self.end}) is before date ({self.date})")
        if self.year_round and self.date.precision is not Precision.YEAR:
            raise ValueError(f"year_round: true needs a year as date (e.g. {self.date.year})")
        if self.time is not None and self.date.precision is not Precision.DAY:
            raise ValueError("time is only allowed with a full day date such as 2024-09-19")
        if self.timezone is not None and self.time is None:
            raise ValueError("timezone is only meaningful with a time")
        return self
