"""Read one sheet of an Excel workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) into a RawTable.

python-calamine reads the cells (fast, every format); openpyxl is the fallback for .xlsx/.xlsm.
The header may sit on any row; padded empty rows at the end are ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from roicli.config import Source
from roicli.enums import Layout
from roicli.errors import DataError, Location, shorten
from roicli.ingest.columns import Mapped, map_columns, unique_names, wanted
from roicli.ingest.guards import check_openpyxl
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import DetectedDict, RawTable
from roicli.ingest.numbers import points
from roicli.paths import shown_path

Grid = list[list[Any]]
SheetReader = Callable[[str], Grid]
_GUESS_ROWS = 200


def read_excel(
    path: Path, source: Source, lookup: Mapping[str, str], *, engine: str | None = None
) -> RawTable:
    """Find the header row holding the mapped columns in the chosen sheet and read below it.

    ``engine`` forces "calamine" or "openpyxl"; by default calamine, else openpyxl.
    """
    engine_used, names, grid_of = _open(path, engine)
    header: int | None
    if source.sheet is None and len(names) > 1:
        sheet, grid, header = _search_sheets(path, names, grid_of, source, lookup)
    else:
        sheet = _pick_sheet(path, names, source.sheet)
        grid = grid_of(sheet)
        header = _find_header(grid, source)
    if header is None:
        texts = [[_header_text(cell) for cell in row] for row in grid[:_GUESS_ROWS]]
        guess = _guess(texts, source)
        guess_names = texts[guess] if guess is not None else []
        header_at = f"row {guess + 1} of sheet {shorten(sheet)!r}" if guess is not None else None
        map_columns(guess_names, source, lookup, path=path, header_at=header_at)
        raise DataError(
            f"no row of sheet {shorten(sheet)!r} holds all the mapped columns",
            location=Location(path),
            fix="check columns and skip_rows",
        )
    header_names = unique_names([_header_text(cell) for cell in grid[header]])
    mapped = map_columns(
        header_names,
        source,
        lookup,
        path=path,
        header_at=f"row {header + 1} of sheet {shorten(sheet)!r}",
    )
    body = grid[header + 1 : _last_filled(grid) + 1]
    _refuse_unsaved_formulas(
        path, sheet, header_names, mapped, range(header + 1, header + 1 + len(body))
    )
    width = len(header_names)
    frame = pd.DataFrame(
        [[*row[:width], *([None] * (width - len(row)))] for row in body],
        columns=header_names,
        dtype=object,
    )
    rows = np.arange(header + 2, header + 2 + len(body), dtype=np.int64)
    detected: DetectedDict = {
        "format": path.suffix.lower().lstrip(".") or "xlsx",
        "sheet": sheet,
        "header_row": header + 1,
        "reader": engine_used,
        "percent_cells": _as_points(path, sheet, frame, header + 1),
    }
    return RawTable(frame, rows, mapped, detected)


def _open(path: Path, engine: str | None) -> tuple[str, list[str], SheetReader]:
    """The engine used, the workbook's sheet names and a reader of one sheet's cells."""
    if engine in (None, "calamine"):
        try:
            return ("calamine", *_calamine(path))
        except ImportError:
            if engine == "calamine":
                raise
    return ("openpyxl", *_openpyxl(path))


def _calamine(path: Path) -> tuple[list[str], SheetReader]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types per format
        raise _unreadable(path, exc) from None

    def read(name: str) -> Grid:
        # skip_empty_area=False keeps leading empty rows, so indexes stay Excel row numbers.
        try:
            rows: Grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # a damaged sheet is only found when it is read
            raise _unreadable(path, exc) from None
        return rows

    return list(book.sheet_names), read


def _openpyxl(path: Path) -> tuple[list[str], SheetReader]:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DataError(
            f"cannot read {path.suffix} workbooks without python-calamine",
            location=Location(path),
            fix="install python-calamine, or save the sheet as .xlsx or .csv",
        )
    import openpyxl

    check_openpyxl(path)

    def opened() -> Any:
        try:
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, XML and KeyError alike
            raise _unreadable(path, exc) from None

    def read(name: str) -> Grid:
        book = opened()  # one opening per sheet read: several may be searched
        try:
            return [list(row) for row in book[name].iter_rows(values_only=True)]
        finally:
            book.close()

    book = opened()
    names = list(book.sheetnames)
    book.close()
    return names, read


def _as_points(path: Path, sheet: str, frame: pd.DataFrame, first: int) -> int | None:
    """Turn the percent-formatted numbers of ``frame`` (the sheet's rows from ``first``) into
    the points they show, as CSV exports write them; their count, or None when the workbook's
    format does not tell (.xls, .xlsb)."""
    from defusedxml import DefusedXmlException

    from roicli.ingest.percentcells import percent_cells

    try:
        found = percent_cells(path, sheet, range(first, first + len(frame)), frame.shape[1])
    except DefusedXmlException:
        raise _entities(path) from None
    except Exception as exc:  # zipfile and ElementTree errors alike
        raise _unreadable(path, exc) from None
    if found is None:
        return None
    count = 0
    for column, at in found.items():
        cells = frame.iloc[at - first, column]
        numbers = cells[cells.map(_is_number).astype(bool)]
        if len(numbers):
            # The frame's index is its positions: 0 for the sheet row ``first``.
            frame.iloc[numbers.index, column] = points(numbers.astype("float64")).to_numpy()
            count += len(numbers)
    return count


def _refuse_unsaved_formulas(
    path: Path, sheet: str, names: Sequence[str], mapped: Mapped, rows: range
) -> None:
    """Refuse a formula without a saved value in the mapped columns: it reads as an empty cell."""
    from defusedxml import DefusedXmlException

    from roicli.ingest.formulacells import unsaved_formula

    used = {mapped.date, mapped.kpi, mapped.group, *mapped.values}
    columns = {index for index, name in enumerate(names) if name in used}
    try:
        found = unsaved_formula(path, sheet, rows, columns)
    except DefusedXmlException:
        raise _entities(path) from None
    except Exception as exc:  # zipfile and ElementTree errors alike
        raise _unreadable(path, exc) from None
    if found is not None:
        row, column = found
        raise DataError(
            "a formula with no saved value",
            location=Location(
                f"{shown_path(path)}, sheet {shorten(sheet)!r}", row=row + 1, column=names[column]
            ),
            fix="open the workbook in Excel or LibreOffice and save it, so the values are stored",
        )


def _entities(path: Path) -> DataError:
    return DataError(
        "the workbook's XML declares entities or a DTD, which roicli refuses to read "
        "(they can hide an XML bomb)",
        location=Location(path),
        fix="open it in Excel or LibreOffice and save it again as .xlsx",
    )


def _is_number(cell: object) -> bool:
    """A finite number (a percent-formatted text, date or boolean stays as it is)."""
    return isinstance(cell, int | float) and not isinstance(cell, bool) and math.isfinite(cell)


def _unreadable(path: Path, exc: Exception) -> DataError:
    return DataError(
        f"cannot read the workbook: {' '.join(str(exc).split())}",  # one line
        location=Location(path),
        fix="open it in Excel or LibreOffice and save it again as .xlsx",
    )


def _pick_sheet(path: Path, names: Sequence[str], wanted_sheet: str | int | None) -> str:
    listed = ", ".join(repr(shorten(name)) for name in names)
    if wanted_sheet is None:
        return names[0]
    if isinstance(wanted_sheet, int):
        if 0 <= wanted_sheet < len(names):
            return names[wanted_sheet]
        raise DataError(
            f"sheet index {wanted_sheet} is out of range; the workbook has {len(names)} "
            f"sheet{'s' if len(names) != 1 else ''}: {listed}",
            location=Location(path),
            fix="set sheet to a name or to an index from 0",
        )
    by_key = {name_key(name): name for name in names}
    if name_key(wanted_sheet) in by_key:
        return by_key[name_key(wanted_sheet)]
    close = difflib.get_close_matches(wanted_sheet, list(names), n=1, cutoff=0.6)
    hint = f" (did you mean {shorten(close[0])!r}?)" if close else ""
    raise DataError(
        f"sheet {shorten(wanted_sheet)!r} not found{hint}; the workbook has sheets: {listed}",
        location=Location(path),
        fix="set sheet to one of them (or to its index from 0)",
    )


def _search_sheets(
    path: Path,
    names: Sequence[str],
    grid_of: SheetReader,
    source: Source,
    lookup: Mapping[str, str],
) -> tuple[str, Grid, int]:
    """The first sheet whose header row holds the mapped columns (for a wide layout, the first
    such sheet that also holds a configured KPI, if any does), its cells and its header row."""
    taken = {name_key(name) for name in wanted(source)}
    fallback: tuple[str, Grid, int] | None = None
    for name in names:
        grid = grid_of(name)
        header = _find_header(grid, source)
        if header is None:
            continue
        if source.layout is not Layout.WIDE or any(
            key in lookup and key not in taken
            for key in (name_key(_header_text(cell)) for cell in grid[header])
        ):
            return name, grid, header
        fallback = fallback or (name, grid, header)
    if fallback is not None:
        return fallback
    listed = ", ".join(repr(shorten(name)) for name in names)
    asked = ", ".join(repr(shorten(name)) for name in wanted(source))
    raise DataError(
        f"no sheet has a row holding all the mapped columns ({asked}); the workbook has "
        f"sheets: {listed}",
        location=Location(path),
        fix=f"set sheet: to one of {listed}, and columns to the names in its header row",
    )


def _header_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return str(cell).strip()


def _find_header(grid: Grid, source: Source) -> int | None:
    keys = {name_key(name) for name in wanted(source)}
    start = source.skip_rows or 0
    for index in range(start, len(grid)):
        found = {name_key(_header_text(cell)) for cell in grid[index] if cell not in (None, "")}
        if keys <= found:
            return index
        if source.skip_rows is not None:
            return None
    return None


def _guess(texts: list[list[str]], source: Source) -> int | None:
    """The row most like a header: the most mapped names, else the first filled row."""
    start = source.skip_rows or 0
    if start >= len(texts):
        return None
    if source.skip_rows is not None:
        return start
    keys = {name_key(name) for name in wanted(source)}
    hits = [len(keys & {name_key(text) for text in row}) for row in texts[start:]]
    if hits and max(hits) > 0:
        return start + hits.index(max(hits))
    return next((start + i for i, row in enumerate(texts[start:]) if any(row)), None)


def _last_filled(grid: Grid) -> int:
    for index in range(len(grid) - 1, -1, -1):
        if any(cell not in (None, "") for cell in grid[index]):
            return index
    return -1
