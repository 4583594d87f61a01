"""Aggregation of the long frame to periods, worked by hand on tiny frames."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest
from tests.conftest import long_table

from roicli.config import Kpi
from roicli.enums import Aggregation, Period
from roicli.periods import (
    add_months,
    aggregate,
    last_complete_period,
    period_end,
    period_label,
    period_of,
    period_start,
)

JAN, FEB, MAR = (period_of(date(2026, m, 1), Period.MONTH) for m in (1, 2, 3))


def _kpis(**aggregations: Aggregation) -> dict[str, Kpi]:
    return {key: Kpi(aggregation=agg) for key, agg in aggregations.items()}


ROWS = [
    ("2026-01-05", "k", "A", 10),
    ("2026-01-20", "k", "A", 30),
    ("2026-01-31", "k", "B", 5),
    ("2026-03-02", "k", "A", 7),  # February is missing: a gap, not a zero
]


@pytest.mark.parametrize(
    ("aggregation", "january", "january_a"),
    [
        (Aggregation.SUM, 45.0, 40.0),  # 10 + 30 + 5 ; 10 + 30
        (Aggregation.MEAN, 15.0, 20.0),  # 45 / 3 ; 40 / 2
        (Aggregation.MEDIAN, 10.0, 20.0),
        (Aggregation.LAST, 5.0, 30.0),  # the latest date in the month
        (Aggregation.MIN, 5.0, 10.0),
        (Aggregation.MAX, 30.0, 30.0),
        (Aggregation.COUNT, 3.0, 2.0),
        (Aggregation.NUNIQUE, 3.0, 2.0),
    ],
)
def test_each_aggregation(aggregation: Aggregation, january: float, january_a: float) -> None:
    data = aggregate(long_table(ROWS), _kpis(k=aggregation), Period.MONTH)
    assert data.shown("k").values[JAN] == january
    assert data.shown("k", "A").values[JAN] == january_a
    assert FEB not in data.shown("k").values
    assert data.shown("k").ordinals() == [JAN, MAR]


def test_nps_is_promoters_minus_detractors_in_points() -> None:
    # 10 answers: 9, 10, 10, 9 promoters (4), 7, 8 passives (2), 0, 3, 6, 6 detractors (4)
    # NPS = 40% - 40% = 0 ; group B alone: 9, 10 → 100
    answers = [9, 10, 10, 9, 7, 8, 0, 3, 6, 6]
    rows = [
        (f"2026-01-{i + 1:02d}", "nps", "B" if i < 2 else "A", v) for i, v in enumerate(answers)
    ]
    data = aggregate(long_table(rows), _kpis(nps=Aggregation.NPS), Period.MONTH)
    assert data.shown("nps").values[JAN] == pytest.approx(0.0)
    assert data.shown("nps", "B").values[JAN] == pytest.approx(100.0)


def test_ratio_is_sum_of_numerator_over_sum_of_denominator() -> None:
    rows = [
        ("2026-01-03", "customers", "A", 3),
        ("2026-01-20", "customers", "A", 2),
        ("2026-01-20", "leads", "A", 40),
        ("2026-01-25", "leads", "A", 10),
        ("2026-02-10", "customers", "A", 1),
        ("2026-02-10", "leads", "A", 0),  # division by zero: no value for February
    ]
    kpis = {
        "customers": Kpi(),
        "leads": Kpi(),
        "conversion": Kpi(unit="%", ratio={"numerator": "customers", "denominator": "leads"}),
        "per_lead": Kpi(ratio={"numerator": "customers", "denominator": "leads"}),
    }
    data = aggregate(long_table(rows), kpis, Period.MONTH)
    assert data.shown("conversion").values == {JAN: pytest.approx(10.0)}  # 5 / 50 × 100
    assert data.shown("per_lead", "A").values == {JAN: pytest.approx(0.1)}  # no × 100


def test_labels_and_bounds_per_period_kind() -> None:
    day = date(2026, 1, 1)  # a Thursday in ISO week 2026-W01
    week = period_of(day, Period.WEEK)
    assert period_label(week, Period.WEEK) == "2026-W01"
    assert period_start(week, Period.WEEK) == date(2025, 12, 29)  # weeks start on Monday
    assert period_end(week, Period.WEEK) == date(2026, 1, 4)
    quarter = period_of(date(2026, 5, 17), Period.QUARTER)
    assert period_label(quarter, Period.QUARTER) == "2026-Q2"
    assert period_end(quarter, Period.QUARTER) == date(2026, 6, 30)
    assert period_label(JAN, Period.MONTH) == "2026-01"
    assert period_label(period_of(date(2027, 1, 1), Period.WEEK), Period.WEEK) == "2026-W53"


def test_last_complete_period_and_month_arithmetic() -> None:
    assert last_complete_period(date(2026, 1, 31), Period.MONTH) == JAN
    assert last_complete_period(date(2026, 1, 30), Period.MONTH) == JAN - 1
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_every_period_kind_has_labels() -> None:
    for kind in Period:
        ordinal = period_of(date(2026, 6, 15), kind)
        assert period_start(ordinal, kind) <= date(2026, 6, 15) <= period_end(ordinal, kind)
        assert period_label(ordinal, kind).startswith("2026-")


@pytest.mark.parametrize("kind", list(Period))
def test_the_calendar_numbers_periods_as_pandas_does(kind: Period) -> None:
    freq = {Period.WEEK: "W-SUN", Period.MONTH: "M", Period.QUARTER: "Q"}[kind]
    day = date(1899, 12, 25)
    while day < date(2201, 1, 10):
        expected = pd.Period(day, freq=freq)
        ordinal = period_of(day, kind)
        assert ordinal == expected.ordinal, day
        assert period_start(ordinal, kind) == expected.start_time.date()
        assert period_end(ordinal, kind) == expected.end_time.date()
        day += timedelta(days=5)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    values = [9.0, 1.0, 4.0, 7.0, 2.0, 100.0]
    rows = [(f"2026-01-0{d}", "k", "A", v) for d, v in enumerate(values, start=1)]
    rows += [("2026-02-01", "k", "A", 3.0)]
    data = aggregate(long_table(rows), _kpis(k=Aggregation.MEDIAN), Period.MONTH)
    assert data.shown("k").values == {JAN: 5.5, FEB: 3.0}  # sorted 1 2 4 7 9 100 → (4 + 7) / 2


def test_nunique_counts_equal_values_once_and_minus_zero_as_zero() -> None:
    values = [3.0, 3.0, 0.0, -0.0, 2.5, 3.0]
    rows = [(f"2026-01-0{d + 1}", "k", "AB"[d % 2], v) for d, v in enumerate(values)]
    data = aggregate(long_table(rows), _kpis(k=Aggregation.NUNIQUE), Period.MONTH)
    assert data.shown("k").values == {JAN: 3.0}  # {3, 0, 2.5}
    assert data.shown("k", "A").values == {JAN: 3.0}  # 3, 0, 2.5
    assert data.shown("k", "B").values == {JAN: 2.0}  # 3, -0 (= 0), 3


def test_last_takes_the_latest_date_and_the_largest_value_breaks_ties() -> None:
    rows = [("2026-01-20", "k", "A", 1.0), ("2026-01-31", "k", "A", 3.0)]
    rows += [("2026-01-31", "k", "A", 2.0), ("2026-01-05", "k", "A", 4.0)]  # not in date order
    for ordered in (rows, rows[::-1]):  # the tie on the 31st: 3 whichever row comes first
        data = aggregate(long_table(ordered), _kpis(k=Aggregation.LAST), Period.MONTH)
        assert data.shown("k").values == {JAN: 3.0}


def test_sums_of_whole_numbers_are_exact_and_of_decimals_correctly_rounded() -> None:
    whole = [float(2**40 + i) for i in range(3000)]  # past the float's 1-in-2**53 step if naive
    cents = [round(0.01 * ((i * 7919) % 100_000), 2) for i in range(30_000)]
    rows = [("2026-01-15", "whole", "A", v) for v in whole]
    rows += [("2026-01-15", "cents", "A", v) for v in cents]
    data = aggregate(
        long_table(rows), _kpis(whole=Aggregation.SUM, cents=Aggregation.SUM), Period.MONTH
    )
    assert data.shown("whole").values[JAN] == 3000 * 2**40 + 2999 * 3000 // 2
    assert data.shown("cents").values[JAN] == math.fsum(cents)
    mean = aggregate(long_table(rows), _kpis(cents=Aggregation.MEAN), Period.MONTH)
    assert mean.shown("cents").values[JAN] == math.fsum(cents) / len(cents)


def test_a_kpi_in_no_row_and_a_kpi_not_configured_are_left_out() -> None:
    rows = [("2026-01-05", "k", "A", 1.0), ("2026-01-06", "other", "A", 2.0)]
    data = aggregate(
        long_table(rows), _kpis(k=Aggregation.SUM, absent=Aggregation.SUM), Period.MONTH
    )
    assert set(data.totals) == {"k"}
    assert data.rows == {"k": 1, "other": 1}  # rows per KPI of the table, for the audit
