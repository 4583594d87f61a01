"""A table of rows: one row per date, KPI, group and value, as the general reader finds them
(``daytable`` then sums them per day, KPI and group; nothing sorts them).

Plain NumPy columns, with the KPI and the group as integer codes into sorted name lists, so that
ten million rows carry a few dozen strings and the analysis of a clean export never needs pandas.
Dates are days (every reader gives the calendar date the export shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]  # datetime64[D]
Codes = npt.NDArray[np.int32]
Values = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LongTable:
    """Columns of equal length; ``kpi`` and ``group`` index ``kpi_names`` and ``group_names``."""

    days: Days
    kpi: Codes
    group: Codes
    values: Values
    kpi_names: tuple[str, ...]  # sorted: every configured KPI key
    group_names: tuple[str, ...]  # sorted: the groups in use ("" where a row has none)

    def __len__(self) -> int:
        return len(self.values)

    def take(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> LongTable:
        """The rows picked by a mask or by positions, the name lists kept."""
        if rows.dtype == np.bool_:
            rows = np.flatnonzero(rows)  # one pass over the mask, not one per column
        return LongTable(
            days=self.days[rows],
            kpi=self.kpi[rows],
            group=self.group[rows],
            values=self.values[rows],
            kpi_names=self.kpi_names,
            group_names=self.group_names,
        )

    def kpi_rows(self) -> npt.NDArray[np.int64]:
        """How many rows each KPI has, counted a block at a time: ``np.bincount`` copies its
        input to 64-bit integers, and a row-sized copy costs more than the counting."""
        counts = np.zeros(len(self.kpi_names), dtype=np.int64)
        for start in range(0, len(self.kpi), _BLOCK):
            counts += np.bincount(self.kpi[start : start + _BLOCK], minlength=len(counts))
        return counts

    def until(self, day: date) -> LongTable:
        """The rows dated on or before a day."""
        on_or_before = self.days <= np.datetime64(day, "D")
        return self if on_or_before.all() else self.take(on_or_before)

    def last_days(self) -> dict[str, date]:
        """The latest date of each KPI that has rows."""
        latest = np.full(len(self.kpi_names), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(latest, self.kpi, self.days.view(np.int64))
        return {
            name: date.fromordinal(_EPOCH_ORDINAL + int(day))
            for name, day in zip(self.kpi_names, latest.tolist(), strict=True)
            if day != np.iinfo(np.int64).min
        }


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_BLOCK = 1 << 20


def empty_table(kpi_names: Sequence[str] = ()) -> LongTable:
    """A table with no rows."""
    return LongTable(
        days=np.empty(0, dtype="datetime64[D]"),
        kpi=np.empty(0, dtype=np.int32),
        group=np.empty(0, dtype=np.int32),
        values=np.empty(0, dtype=np.float64),
        kpi_names=tuple(kpi_names),
        group_names=(),
    )


def combine(tables: Sequence[LongTable]) -> LongTable:
    """The tables one after another, their KPIs and groups numbered over the union of names."""
    if len(tables) == 1:
        return tables[0]
    if not tables:
        return empty_table()
    kpi_names = tuple(sorted(set().union(*(t.kpi_names for t in tables))))
    group_names = tuple(sorted(set().union(*(t.group_names for t in tables))))
    return LongTable(
        days=np.concatenate([t.days for t in tables]),
        kpi=np.concatenate([_recode(t.kpi, t.kpi_names, kpi_names) for t in tables]),
        group=np.concatenate([_recode(t.group, t.group_names, group_names) for t in tables]),
        values=np.concatenate([t.values for t in tables]),
        kpi_names=kpi_names,
        group_names=group_names,
    )


def _recode(codes: Codes, names: Sequence[str], union: Sequence[str]) -> Codes:
    position = {name: code for code, name in enumerate(union)}
    table = np.array([position[name] for name in names], dtype=np.int32)
    return table[codes] if len(table) else codes
