"""Read one value column: its numbers, in the format its values (or the file) show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from roicli.config import Source
from roicli.errors import DataError, Location, shorten
from roicli.ingest.cells import MAX_ABS_VALUE
from roicli.ingest.model import RawTable
from roicli.ingest.numbers import (
    Decimal,
    NumberParts,
    decide_decimal,
    file_decimal,
    fits_both,
    grouping_decimal,
    has_marks,
    number_parts,
    thousands_seen,
    to_numbers,
)


@dataclass(frozen=True)
class ValueColumn:
    """One value column read: its KPI per row, its values, its bad rows and its number format."""

    column: str
    kpi: pd.Series
    values: pd.Series
    bad: pd.Series
    decimal: Decimal | None = None  # None when no value holds a "." or ","
    thousands: str | None = None


def cell_text(cell: object) -> str:
    """A cell as the user sees it: stripped text, whole floats without ".0", "" when empty."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) <= MAX_ABS_VALUE:
        return str(int(cell))
    return str(cell).strip()


def table_decimal(table: RawTable, excluded: pd.Series) -> Decimal | None:
    """The decimal mark the table's other text columns prove."""
    cells = table.columns[~excluded]
    return file_decimal(
        cells[column] for column in cells.columns if pd.api.types.is_string_dtype(cells[column])
    )


def read_values(
    cells: pd.Series,
    kpi: pd.Series,
    rows: pd.Series,
    source: Source,
    hint: Callable[[], Decimal | None],
    *,
    path: Path,
    answers: frozenset[str] = frozenset(),
) -> ValueColumn:
    """One value column's numbers, with the decimal mark used and the thousands separator seen.

    A text that is not a number is an answer, not a bad value, in the rows of a KPI in
    ``answers`` (aggregated by count or nunique): it gets a number that identifies it.
    """
    index = cells.index
    if pd.api.types.is_bool_dtype(cells.dtype) or pd.api.types.is_numeric_dtype(cells.dtype):
        values, bad = _in_range(cells.astype("float64").where(rows))
        return ValueColumn(str(cells.name), kpi, values, bad)
    values = pd.Series(np.nan, index=index, dtype="float64")
    bad = pd.Series(False, index=index)
    picked = cells[rows]
    if picked.dtype == object:  # Excel: numbers as they are, text through the text reader
        typed = picked.map(
            lambda cell: isinstance(cell, int | float) and not isinstance(cell, bool)
        ).astype(bool)
        numbers, wrong = _in_range(picked[typed].astype("float64"))
        values[numbers.index] = numbers
        bad[wrong.index] = wrong
        picked = picked[~typed].map(cell_text).astype("str")
    parts = number_parts(picked.astype("str"))
    decimal = _decimal(parts, source, hint, column=str(cells.name), path=path)
    numbers, wrong = to_numbers(parts, decimal)
    values[picked.index] = numbers
    bad[picked.index] = wrong
    counted = bad & kpi.isin(answers) if answers else None
    if counted is not None and counted.any():
        from roicli.ingest.layouts import answer_codes  # it builds on this module

        values[counted] = answer_codes(cells[counted])
        bad &= ~counted
    if not has_marks(parts.core):
        return ValueColumn(str(cells.name), kpi, values, bad)
    return ValueColumn(
        str(cells.name), kpi, values, bad, decimal, thousands_seen(parts.core, decimal)
    )


def _in_range(numbers: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed numbers (a workbook's, a Parquet file's) and the mask of those that are bad values
    the way text ones are: infinite, or beyond ``MAX_ABS_VALUE`` in size. Empty stays missing."""
    bad = (numbers > MAX_ABS_VALUE) | (numbers < -MAX_ABS_VALUE)  # False for NaN
    return (numbers.where(~bad, np.nan) if bad.any() else numbers), bad


def _decimal(
    parts: NumberParts,
    source: Source,
    hint: Callable[[], Decimal | None],
    *,
    column: str,
    path: Path,
) -> Decimal:
    """The decimal mark of a value column: the override, the values, the file, the grouping."""
    if source.decimal is not None:
        if source.decimal not in (".", ","):
            raise DataError(
                f"decimal: {source.decimal!r} is not a decimal mark roicli reads",
                location=Location(path),
                fix='set decimal: "." or decimal: ","',
            )
        return "." if source.decimal == "." else ","
    if source.thousands in (".", ","):
        return "," if source.thousands == "." else "."
    if not has_marks(parts.core):
        return "."
    decided = decide_decimal(parts.core) or hint() or grouping_decimal(parts.core)
    if decided is None and not fits_both(parts.core):
        return "."  # as many values fit each reading: the misfits are named as bad rows
    if decided is None:
        examples = parts.core.dropna()
        example = examples[examples.str.contains("[.,]", regex=True)].iloc[0]
        raise DataError(
            f"cannot tell whether {shorten(example)!r} uses a decimal mark or a thousands "
            "separator",
            location=Location(path, column=column),
            fix='set decimal: "." or decimal: "," in the source',
        )
    return decided
