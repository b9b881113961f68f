"""Partial dates: every form parses, covers the right days and reads well."""

from __future__ import annotations

from datetime import date

import pytest

from wego_site.dates import PartialDate, Precision, span_label


@pytest.mark.parametrize(
    ("text", "precision", "first", "last", "label"),
    [
        ("2024-09-19", Precision.DAY, date(2024, 9, 19), date(2024, 9, 19), "19 September 2024"),
        ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
        ("2024-Q3", Precision.QUARTER, date(2024, 7, 1), date(2024, 9, 30), "Q3 2024"),
        ("2024", Precision.YEAR, date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ],
)
def test_forms(text: str, precision: Precision, first: date, last: date, label: str) -> None:
    d = PartialDate.parse(text)
    assert d.precision is precision
    assert (d.first_day, d.last_day) == (first, last)
    assert d.label() == label
    assert str(d) == text


def test_integer_year() -> None:
    assert PartialDate.parse(2021) == PartialDate(2021)


@pytest.mark.parametrize(
    "bad", ["2024-02-30", "2024-13", "2024-Q5", "24-09-19", "Sept 2024", "2024/09/19", True, 3.5]
)
def test_invalid_forms_list_the_accepted_ones(bad: object) -> None:
    with pytest.raises(ValueError) as exc:
        PartialDate.parse(bad)
    assert "2024" in str(exc.value)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("2024-09-19", "2024-09-21", "19-21 September 2024"),
        ("2024-09-29", "2024-10-02", "29 September - 2 October 2024"),
        ("2024-04", "2024-11", "April-November 2024"),
        ("2021-Q3", "2021-Q4", "Q3-Q4 2021"),
        ("2024-12-30", "2025-01-02", "30 December 2024 - 2 January 2025"),
    ],
)
def test_spans(start: str, end: str, text: str) -> None:
    assert span_label(PartialDate.parse(start), PartialDate.parse(end)) == text
