"""Partial dates as WeGO plans them: a day, a month, a quarter or a year.

``2024-09-19`` (day), ``2024-09`` (month), ``2024-Q3`` (quarter) and ``2024``
(year) are all :class:`PartialDate` values with a ``precision``; each covers an
interval of days (``first_day`` .. ``last_day``). Sorting, placing on the
calendar and "as a person says it" formatting all work from that.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

ACCEPTED_FORMS = "2024-09-19 (day), 2024-09 (month), 2024-Q3 (quarter) or 2024 (year)"

_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])))?$")

MONTHS = [calendar.month_name[m] for m in range(13)]
MONTHS_SHORT = [calendar.month_abbr[m] for m in range(13)]


class Precision(IntEnum):
    """How much of a date is known; larger is more precise."""

    YEAR = 0
    QUARTER = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, month, quarter or year."""

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """Parse ``2024-09-19``, ``2024-09``, ``2024-Q3`` or ``2024``."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"expected a date such as {ACCEPTED_FORMS}")
        text = str(value).strip()
        m = _RE.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a date; use {ACCEPTED_FORMS}")
        year = int(m.group(1))
        if year < 1900 or year > 2200:
            raise ValueError(f"year {year} is out of range")
        if m.group(4):
            return cls(year, quarter=int(m.group(4)))
        if not m.group(2):
            return cls(year)
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}': month {month} does not exist")
        if not m.group(3):
            return cls(year, month)
        day = int(m.group(3))
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"'{text}': {MONTHS[month]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        if self.quarter is not None:
            return Precision.QUARTER
        return Precision.YEAR

    @property
    def first_day(self) -> date:
        if self.quarter is not None:
            return date(self.year, 3 * self.quarter - 2, 1)
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        p = self.precision
        if p is Precision.DAY:
            return self.first_day
        if p is Precision.MONTH:
            assert self.month is not None
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        if p is Precision.QUARTER:
            assert self.quarter is not None
            m = 3 * self.quarter
            return date(self.year, m, calendar.monthrange(self.year, m)[1])
        return date(self.year, 12, 31)

    @property
    def quarter_of(self) -> int:
        """The quarter this date falls in (its own, for a quarter date)."""
        if self.quarter is not None:
            return self.quarter
        return (self.first_day.month - 1) // 3 + 1

    def __str__(self) -> str:
        """As written in content: "2024-09-19", "2024-09", "2024-Q3", "2024"."""
        return self._format(_WRITTEN)

    def label(self) -> str:
        """As a person says it: "19 September 2024", "Q3 2024", "2024"."""
        return self._format(_SAID)

    def _format(self, forms: dict[Precision, str]) -> str:
        month = MONTHS[self.month or 0]
        return forms[self.precision].format(self, month=month)


_WRITTEN = {
    Precision.DAY: "{0.year:04d}-{0.month:02d}-{0.day:02d}",
    Precision.MONTH: "{0.year:04d}-{0.month:02d}",
    Precision.QUARTER: "{0.year:04d}-Q{0.quarter}",
    Precision.YEAR: "{0.year:04d}",
}
_SAID = {
    Precision.DAY: "{0.day} {month} {0.year}",
    Precision.MONTH: "{month} {0.year}",
    Precision.QUARTER: "Q{0.quarter} {0.year}",
    Precision.YEAR: "{0.year}",
}


def _parse(value: Any) -> PartialDate:
    return PartialDate.parse(value)


PartialDateField = Annotated[
    PartialDate,
    BeforeValidator(_parse),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-(\d{2}(-\d{2})?|Q[1-4]))?$"},
                {"type": "integer", "minimum": 1900, "maximum": 2200},
            ],
            "description": f"A date: {ACCEPTED_FORMS}",
        }
    ),
]


def span_label(start: PartialDate, end: PartialDate | None) -> str:
    """A date range as a person says it: "19-21 September 2024", "April-November 2024"."""
    if end is None or end == start:
        return start.label()
    sp, ep = start.precision, end.precision
    if sp is ep is Precision.DAY:
        if start.year == end.year and start.month == end.month:
            return f"{start.day}-{end.day} {MONTHS[start.month or 0]} {start.year}"
        if start.year == end.year:
            return (
                f"{start.day} {MONTHS[start.month or 0]} - "
                f"{end.day} {MONTHS[end.month or 0]} {start.year}"
            )
    if sp is ep is Precision.MONTH and start.year == end.year:
        return f"{MONTHS[start.month or 0]}-{MONTHS[end.month or 0]} {start.year}"
    if sp is ep is Precision.QUARTER and start.year == end.year:
        return f"Q{start.quarter}-Q{end.quarter} {start.year}"
    return f"{start.label()} - {end.label()}"
