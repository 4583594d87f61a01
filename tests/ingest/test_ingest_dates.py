"""Dates as exports write them, one explicit format per pattern, day/month order from all values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roicli.ingest.dates import AmbiguousOrder, index_dates, parse_dates


def days(values: Sequence[object], **options: bool | None) -> list[str | None]:
    parsed = parse_dates(pd.Series(values, dtype="str"), **options)
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parsed.dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15", "2026-01-15"),
        ("2026-01-15 13:45:00", "2026-01-15"),
        ("2026-01-15T23:59:59+02:00", "2026-01-15"),
        ("2026/01/15", "2026-01-15"),
        ("2026-01", "2026-01-01"),
        ("202601", "2026-01-01"),
        ("20260115", "2026-01-15"),
        ("Jan 2026", "2026-01-01"),
        ("January 2026", "2026-01-01"),
        ("janv. 2026", "2026-01-01"),
        ("janv 2026", "2026-01-01"),
        ("févr. 2026", "2026-02-01"),
        ("Février 2026", "2026-02-01"),
        ("août 2026", "2026-08-01"),
        ("déc. 2026", "2026-12-01"),
        ("15 Jan 2026", "2026-01-15"),
        ("15-Jan-2026", "2026-01-15"),
        ("15 janvier 2026", "2026-01-15"),
        ("Jan 15, 2026", "2026-01-15"),
        ("46037", "2026-01-15"),  # Excel serial day number
        ("46037.5", "2026-01-15"),
    ],
)
def test_reads_every_pattern(text: str, expected: str) -> None:
    assert days([text]) == [expected]


def test_day_and_month_order_comes_from_all_values() -> None:
    assert days(["01/02/2026", "13/02/2026"]) == ["2026-02-01", "2026-02-13"]
    assert days(["01/02/2026", "02/13/2026"]) == ["2026-01-02", "2026-02-13"]
    # GA UA nl-NL's second table: dd-mm-yy.
    assert days(["17-09-14", "01-10-14"]) == ["2014-09-17", "2014-10-01"]


def test_all_ambiguous_needs_dayfirst() -> None:
    with pytest.raises(AmbiguousOrder) as raised:
        days(["01/02/2026", "03/04/2026", "01/02/2026"])
    assert raised.value.examples == ["01/02/2026", "03/04/2026"]
    assert days(["01/02/2026"], dayfirst=True) == ["2026-02-01"]
    assert days(["01/02/2026"], dayfirst=False) == ["2026-01-02"]


def test_override_wins_and_misfits_are_bad() -> None:
    parsed = parse_dates(pd.Series(["13/02/2026", "02/13/2026"], dtype="str"), dayfirst=False)
    assert parsed.bad.tolist() == [True, False]


def test_missing_and_bad_dates() -> None:
    parsed = parse_dates(pd.Series(["", None, "2026-02-30", "soon", "Foo 2026"], dtype="str"))
    assert parsed.missing.tolist() == [True, True, False, False, False]
    assert parsed.bad.tolist() == [False, False, True, True, True]


def test_detected_formats_and_order() -> None:
    parsed = parse_dates(pd.Series(["17-09-14", "2026-01-05"], dtype="str"))
    assert parsed.formats == ("%Y-%m-%d", "%d-%m-%y")
    assert parsed.dayfirst is True


def test_result_is_nanoseconds_at_midnight() -> None:
    parsed = parse_dates(pd.Series(["2026-01-15 13:45:00"], dtype="str"))
    assert parsed.dates.dtype == "datetime64[ns]"
    assert parsed.dates[0] == pd.Timestamp("2026-01-15")


def test_typed_cells_from_excel_and_parquet() -> None:
    cells = pd.Series(
        [dt.datetime(2026, 1, 5, 10, 30), dt.date(2026, 1, 6), 46037.0, "2026-01-07", None, ""],
        dtype=object,
    )
    parsed = parse_dates(cells)
    assert parsed.dates.dt.strftime("%Y-%m-%d").tolist()[:4] == [
        "2026-01-05",
        "2026-01-06",
        "2026-01-15",
        "2026-01-07",
    ]
    assert parsed.missing.tolist() == [False, False, False, False, True, True]
    typed = parse_dates(pd.Series(pd.to_datetime(["2026-01-05 08:00"]).tz_localize("UTC")))
    assert typed.dates.tolist() == [pd.Timestamp("2026-01-05")]
    numbers = parse_dates(pd.Series([20260115, 202602, 46037]))
    assert numbers.dates.dt.strftime("%Y-%m-%d").tolist() == [
        "2026-01-15",
        "2026-02-01",
        "2026-01-15",
    ]


def test_ga4_indexes_count_from_the_report_start() -> None:
    weeks = index_dates(pd.Series(["0000", "0001", "0052"], dtype="str"), "20250101", "week")
    assert weeks.dates.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-01",
        "2025-01-08",
        "2025-12-31",
    ]
    months = index_dates(pd.Series(["0", "13"], dtype="str"), "20250131", "month")
    assert months.dates.dt.strftime("%Y-%m-%d").tolist() == ["2025-01-31", "2026-02-28"]


# pandas calls vary in duration; what these tests check is correctness, not speed.
PROPERTY = settings(deadline=None)

# Property-based: a date written in any supported style reads back to the same day.

FRENCH = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."]
FRENCH += ["nov.", "déc."]

STYLES: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: d.strftime("%Y-%m-%d"),
    "dmy": lambda d: d.strftime("%d/%m/%Y"),
    "mdy": lambda d: d.strftime("%m/%d/%Y"),
    "dmy-short": lambda d: d.strftime("%d-%m-%y"),
    "compact": lambda d: d.strftime("%Y%m%d"),
    "serial": lambda d: str((d - dt.date(1899, 12, 30)).days),
    "day-month-name": lambda d: f"{d.day} {d:%b %Y}",
    "month-name-day": lambda d: f"{d:%B} {d.day}, {d.year}",
}
MONTHLY: dict[str, Callable[[dt.date], str]] = {
    "year-month": lambda d: d.strftime("%Y-%m"),
    "year-month-compact": lambda d: d.strftime("%Y%m"),
    "month-name": lambda d: d.strftime("%b %Y"),
    "french-month": lambda d: f"{FRENCH[d.month - 1]} {d.year}",
}
ORDER = {"dmy": True, "mdy": False, "dmy-short": True}
DATES = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2068, 12, 31))


@PROPERTY
@given(DATES, st.sampled_from(sorted(STYLES)))
def test_any_style_reads_back(day: dt.date, style: str) -> None:
    assert days([STYLES[style](day)], dayfirst=ORDER.get(style)) == [day.isoformat()]


@PROPERTY
@given(DATES, st.sampled_from(sorted(MONTHLY)))
def test_monthly_styles_read_as_the_first_of_the_month(day: dt.date, style: str) -> None:
    assert days([MONTHLY[style](day)]) == [day.replace(day=1).isoformat()]


@PROPERTY
@given(st.lists(DATES, min_size=1, max_size=10), st.sampled_from(sorted(ORDER)))
def test_order_is_detected_or_asked_never_guessed(values: list[dt.date], style: str) -> None:
    column = [STYLES[style](day) for day in values]
    if all(day.day <= 12 for day in values):
        with pytest.raises(AmbiguousOrder):
            days(column)
    else:
        assert days(column) == [day.isoformat() for day in values]
