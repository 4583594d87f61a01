"""Which periods a KPI's data cover in full, judged by the data's own granularity."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import long_table

from roicli.config import Kpi
from roicli.coverage import Coverage, Granularity, coverage_of, granularity, kpi_coverage
from roicli.enums import Aggregation, Period
from roicli.periods import aggregate, period_of


def days(*texts: str) -> list[date]:
    return [date.fromisoformat(text) for text in texts]


def test_a_monthly_export_dated_the_first_covers_whole_months() -> None:
    found = coverage_of(days("2025-11-01", "2025-12-01", "2026-01-01"))
    assert found == Coverage(date(2025, 11, 1), date(2026, 1, 31), Granularity.MONTH)


def test_month_ends_and_one_fixed_day_a_month_are_monthly_too() -> None:
    assert granularity(days("2025-11-30", "2025-12-31")) is Granularity.MONTH
    assert coverage_of(days("2025-10-15", "2025-11-15")).first == date(2025, 10, 1)
    # Two rows in one month on the 15th are not a monthly export.
    assert granularity(days("2025-10-15", "2025-10-16")) is Granularity.DAY


def test_a_weekly_export_covers_the_week_of_its_last_row() -> None:
    found = coverage_of(days("2026-01-05", "2026-01-12", "2026-01-19"))
    assert found == Coverage(date(2026, 1, 5), date(2026, 1, 25), Granularity.WEEK)


def test_daily_rows_cover_first_to_last_day_and_scattered_ones_whole_months() -> None:
    daily = [date(2024, 11, 1) + timedelta(days=i) for i in range(61)]  # 1 Nov – 31 Dec
    assert coverage_of(daily) == Coverage(date(2024, 11, 1), date(2024, 12, 31), Granularity.DAY)
    answers = coverage_of(days("2026-02-10", "2026-03-03", "2026-07-24"))
    assert answers == Coverage(date(2026, 2, 1), date(2026, 7, 31), Granularity.EVENTS)


def test_a_quarter_the_data_start_inside_is_partial() -> None:
    daily = [date(2024, 11, 1) + timedelta(days=i) for i in range(151)]  # to 31 Mar 2025
    rows = [(day.isoformat(), "k", "A", 1.0) for day in daily]
    data = aggregate(long_table(rows), {"k": Kpi(aggregation=Aggregation.SUM)}, Period.QUARTER)
    q4, q1 = (
        period_of(date(2024, 10, 1), Period.QUARTER),
        period_of(date(2025, 1, 1), Period.QUARTER),
    )
    assert data.shown("k").values == {q4: 61.0, q1: 90.0}
    assert data.series("k").values == {q1: 90.0}  # 2024-Q4 lacks October: never used
    months = aggregate(long_table(rows), {"k": Kpi(aggregation=Aggregation.SUM)}, Period.MONTH)
    assert len(months.series("k").values) == 5  # Nov to Mar, every one complete


def test_coverage_is_found_per_kpi_without_sorting_rows() -> None:
    rows = [("2026-02-01", "b", "A", 1.0), ("2026-01-01", "a", "A", 1.0)]
    rows += [("2026-01-01", "b", "A", 1.0), ("2026-03-01", "a", "A", 1.0)]
    found = kpi_coverage(long_table(rows))
    assert found["a"] == Coverage(date(2026, 1, 1), date(2026, 3, 31), Granularity.MONTH)
    assert found["b"] == Coverage(date(2026, 1, 1), date(2026, 2, 28), Granularity.MONTH)


@given(st.lists(st.dates(date(2020, 1, 1), date(2030, 12, 31)), min_size=1, max_size=40))
def test_coverage_holds_every_row_and_ignores_order(given_days: list[date]) -> None:
    distinct = sorted(set(given_days))
    found = coverage_of(distinct)
    assert found.first <= distinct[0]
    assert distinct[-1] <= found.last
    rows = [(day.isoformat(), "k", "A", 1.0) for day in reversed(given_days)]
    assert kpi_coverage(long_table(rows))["k"] == found
