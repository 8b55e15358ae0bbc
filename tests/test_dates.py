"""kg.extract.dates.parse_date: date expressions -> ISO strings of the granularity stated.

The anchor 2024-05-16 is a Thursday.
"""
from __future__ import annotations

import pytest

from kg.extract.dates import parse_date

THU = "2024-05-16"


@pytest.mark.parametrize(("text", "expected"), [
    ("3 July 2024", "2024-07-03"),
    ("on 3 July 2024", "2024-07-03"),
    ("3rd of July 2024", "2024-07-03"),
    ("July 3, 2024", "2024-07-03"),
    ("July 3 2024", "2024-07-03"),
    ("Sept. 5, 2023", "2023-09-05"),
    ("5 Sep 2023", "2023-09-05"),
    ("2024-07-03", "2024-07-03"),
    ("JULY 3, 2024", "2024-07-03"),
])
def test_absolute_day(text, expected):
    assert parse_date(text) == expected
    assert parse_date(text, THU) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("July 2024", "2024-07"),
    ("in December, 2022", "2022-12"),
    ("in 2019", "2019"),
    ("1998", "1998"),
])
def test_granularity_is_kept(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["30 February 2024", "next to the border", "", "   ",
                                  "the 1850s treaty", "Room 2024B"])
def test_no_date(text):
    assert parse_date(text, THU) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("on Tuesday", "2024-05-14"),
    ("on Monday", "2024-05-13"),
    ("on Thursday", "2024-05-16"),
    ("on Friday", "2024-05-10"),
    ("yesterday", "2024-05-15"),
    ("today", "2024-05-16"),
    ("tomorrow", "2024-05-17"),
    ("next Tuesday", "2024-05-21"),
    ("last month", "2024-04"),
    ("this month", "2024-05"),
    ("last year", "2023"),
    ("this year", "2024"),
])
def test_relative_to_publication(text, expected):
    assert parse_date(text, THU) == expected


def test_last_month_crosses_the_year():
    assert parse_date("last month", "2024-01-10") == "2023-12"


def test_month_day_takes_the_publication_year_or_the_one_before():
    assert parse_date("3 May", THU) == "2024-05-03"
    assert parse_date("May 16", THU) == "2024-05-16"
    # news reports the past: a month-day after publication is last year's
    assert parse_date("3 July", THU) == "2023-07-03"


def test_weekday_with_an_explicit_date_is_absolute():
    assert parse_date("Tuesday, 3 July 2018", THU) == "2018-07-03"


@pytest.mark.parametrize("text", ["on Tuesday", "yesterday", "tomorrow", "3 July",
                                  "last month", "this year"])
@pytest.mark.parametrize("published", [None, "2024-05", "2024", "not a date"])
def test_relative_forms_need_a_day_anchor(text, published):
    assert parse_date(text, published) is None
