"""A tabular evaluation file as rows of cells: CSV (any encoding, separator) or a workbook.

The ingest guards run first (empty, binary, over-long lines, zip bombs); text is decoded as
for KPI sources. Cells stay as read: text from a CSV, text, numbers or date-times from a sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from roicli.errors import DataError, Location, shorten
from roicli.ingest.detect import DELIMITERS, decode, split_line
from roicli.ingest.guards import check_text, check_workbook

Row = list[object]
WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def read_grid(
    path: Path, *, sheet: str | int | None = None, encoding: str | None = None
) -> list[Row]:
    """Every row of the file (of the first sheet, or ``sheet``: a name or an index from 0)."""
    if not path.is_file():
        raise DataError(
            "file not found" if not path.exists() else "not a file",
            location=Location(path),
            fix="check the evaluation's path (relative to the config file)",
        )
    if path.suffix.lower() in WORKBOOKS:
        return _sheet(path, sheet)
    check_text(path, encoding=encoding)
    text, _ = decode(path.read_bytes(), encoding)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: len(split_line(first, d)))
    try:
        return [list(record) for record in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise DataError(
            f"cannot read the file as CSV: {exc}",
            location=Location(path),
            fix="export the responses again as CSV",
        ) from None


def _sheet(path: Path, sheet: str | int | None) -> list[Row]:
    check_workbook(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        name = _pick(path, list(book.sheet_names), sheet)
        rows: list[Row] = [
            list(row) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
    except DataError:
        raise
    except Exception as exc:  # calamine raises its own error types per format
        raise DataError(
            f"cannot read the workbook: {shorten(str(exc))}",
            location=Location(path),
            fix="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None
    return rows


def _pick(path: Path, names: Sequence[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    listed = ", ".join(repr(shorten(name)) for name in names)
    raise DataError(
        f"no sheet {shorten(str(sheet))!r}; the workbook has: {listed}",
        location=Location(path),
        fix="set sheet: to one of them, or to its index from 0",
    )
