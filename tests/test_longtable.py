"""The long table: combining sources, the as-of cut and each KPI's last date."""

from __future__ import annotations

from datetime import date

import numpy as np
from tests.conftest import frame_of, long_table

from roicli.longtable import LongTable, combine, empty_table


def _rows(table: LongTable) -> list[tuple[str, str, str, float]]:
    frame = frame_of(table)
    return [
        (day.strftime("%Y-%m-%d"), kpi, group, value)
        for day, kpi, group, value in frame.itertuples(index=False)
    ]


def test_combine_numbers_kpis_and_groups_over_the_union_of_names() -> None:
    first = long_table([("2026-01-02", "b", "Sales", 1.0), ("2026-01-01", "a", "", 2.0)])
    second = long_table([("2026-01-01", "c", "Marketing", 3.0), ("2026-01-03", "a", "Sales", 4.0)])
    both = combine([first, second])
    assert both.kpi_names == ("a", "b", "c")
    assert both.group_names == ("", "Marketing", "Sales")
    assert _rows(both) == [
        ("2026-01-02", "b", "Sales", 1.0),
        ("2026-01-01", "a", "", 2.0),
        ("2026-01-01", "c", "Marketing", 3.0),
        ("2026-01-03", "a", "Sales", 4.0),
    ]


def test_until_keeps_the_as_of_day_and_last_days_are_per_kpi() -> None:
    table = long_table(
        [
            ("2026-01-31", "a", "", 1.0),
            ("2026-02-01", "a", "", 2.0),
            ("2026-01-15", "b", "", 3.0),
            ("2026-03-01", "b", "", 4.0),
        ]
    )
    cut = table.until(date(2026, 2, 1))
    assert [value for *_, value in _rows(cut)] == [1.0, 2.0, 3.0]
    assert cut.last_days() == {"a": date(2026, 2, 1), "b": date(2026, 1, 15)}
    assert table.until(date(2025, 12, 31)).last_days() == {}


def test_combining_nothing_gives_an_empty_table() -> None:
    assert len(combine([])) == 0
    assert len(empty_table(("a",))) == 0
    assert empty_table(("a",)).last_days() == {}


def test_kpi_rows_are_counted_across_blocks() -> None:
    table = long_table([("2026-01-01", "a", "", 1.0), ("2026-01-01", "b", "", 1.0)])
    size = (1 << 20) + 3  # one block of 2**20 rows and 3 more
    codes = np.zeros(size, dtype=np.int32)
    codes[::2] = 1  # b on even rows: 524,290 of them; a on the 524,289 odd ones
    big = LongTable(
        days=np.zeros(size, dtype="datetime64[D]"),
        kpi=codes,
        group=np.zeros(size, dtype=np.int32),
        values=np.ones(size),
        kpi_names=table.kpi_names,
        group_names=("",),
    )
    assert big.kpi_rows().tolist() == [524_289, 524_290]
