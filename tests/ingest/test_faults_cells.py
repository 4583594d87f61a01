"""Faults in cells and bytes: workbook formulas without saved values, Excel's 29 February 1900,
UTF-16 text without a byte-order mark, and a source whose every row is a bad row."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.errors import DataError
from roicli.ingest import load_sources

KPIS = kpis(sessions={"label": "Sessions"}, leads={"label": "Leads"})
LONG = {"date": "Date", "kpi": "Metric", "value": "Value"}
SAVE = "open the workbook in Excel or LibreOffice and save it, so the values are stored"


def book(path: Path, rows: list[list[Any]], *, date_format: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["Date", "Metric", "Value", "Note"])
    for row in rows:
        sheet.append(row)
    if date_format:
        for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
            cell.number_format = date_format
    workbook.save(path)
    return path


def figures(path: Path, **settings: Any) -> list[tuple[str, str, float]]:
    dataset = load_sources([source(path, layout="long", columns=LONG, **settings)], KPIS)
    return [
        (day.strftime("%Y-%m-%d"), kpi, value)
        for day, kpi, _, value in frame_of(dataset).itertuples(index=False)
    ]


def error(path: Path, *, skip_bad_rows: bool = False, **settings: Any) -> str:
    with pytest.raises(DataError) as caught:
        load_sources(
            [source(path, layout="long", columns=LONG, **settings)],
            KPIS,
            skip_bad_rows=skip_bad_rows,
        )
    return str(caught.value)


def saved(path: Path, value: str) -> None:
    """Store ``value`` as the saved result of every formula of the sheet (as Excel would)."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts[part] = re.sub(rb"<v\s*/>", f"<v>{value}</v>".encode(), parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_formula_without_a_saved_value_is_named(tmp_path: Path) -> None:
    path = book(
        tmp_path / "kpis.xlsx",
        [
            [dt.date(2026, 1, 10), "Sessions", 100],
            [dt.date(2026, 2, 10), "Sessions", "=C2*2"],
            [dt.date(2026, 3, 10), "Sessions", "=C3*2"],
        ],
    )
    assert (
        error(path)
        == f"{path}, sheet 'Data', row 3, column 'Value': a formula with no saved value ({SAVE})"
    )


def test_a_formula_date_without_a_saved_value_is_named(tmp_path: Path) -> None:
    path = book(
        tmp_path / "kpis.xlsx",
        [[dt.date(2026, 1, 10), "Sessions", 100], ["=A2+31", "Sessions", 50]],
    )
    assert (
        error(path)
        == f"{path}, sheet 'Data', row 3, column 'Date': a formula with no saved value ({SAVE})"
    )


def test_formulas_with_saved_values_are_read(tmp_path: Path) -> None:
    path = book(
        tmp_path / "kpis.xlsx",
        [[dt.date(2026, 1, 10), "Sessions", 100], [dt.date(2026, 2, 10), "Sessions", "=C2*2"]],
    )
    saved(path, "200")
    assert figures(path) == [("2026-01-10", "sessions", 100.0), ("2026-02-10", "sessions", 200.0)]


def test_a_formula_outside_the_mapped_columns_is_left_alone(tmp_path: Path) -> None:
    path = book(
        tmp_path / "kpis.xlsx",
        [[dt.date(2026, 1, 10), "Sessions", 100, "=C2*2"], [dt.date(2026, 2, 10), "Leads", 7]],
    )
    assert figures(path) == [("2026-01-10", "sessions", 100.0), ("2026-02-10", "leads", 7.0)]


def test_excels_29_february_1900_is_a_bad_date(tmp_path: Path) -> None:
    """Serial 60 is a day that never was; serials before it are a day off in Excel."""
    path = book(
        tmp_path / "kpis.xlsx",
        [[46032, "Sessions", 100], [60, "Sessions", 5], [59, "Sessions", 4], [61, "Sessions", 3]],
        date_format="yyyy-mm-dd",
    )
    assert error(path) == (
        f"{path}, row 3, column 'Date': cannot read '1900-02-28' as a date (and 1 more bad row) "
        "(write the date like 2026-01-31, or use --skip-bad-rows to skip such rows)"
    )
    dataset = load_sources([source(path, layout="long", columns=LONG)], KPIS, skip_bad_rows=True)
    # 46032 is 2026-01-10; 61 is 1900-03-01, the first serial Excel gets right.
    assert [
        (day.strftime("%Y-%m-%d"), value)
        for day, _, _, value in frame_of(dataset).itertuples(index=False)
    ] == [("1900-03-01", 3.0), ("2026-01-10", 100.0)]
    assert (dataset.audits[0].rows, dataset.audits[0].skipped_rows) == (2, 2)


UTF16 = "Date,Metric,Value\n2026-01-10,Sessions,100\n2026-02-10,Leads,7\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "UTF-32LE"])
def test_a_wide_encoding_without_a_byte_order_mark_is_read_when_set(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "kpis.csv"
    path.write_bytes(UTF16.encode(encoding))
    assert figures(path, encoding=encoding) == [
        ("2026-01-10", "sessions", 100.0),
        ("2026-02-10", "leads", 7.0),
    ]


def test_a_wide_encoding_without_a_byte_order_mark_is_binary_unless_set(tmp_path: Path) -> None:
    path = tmp_path / "kpis.csv"
    path.write_bytes(UTF16.encode("utf-16-le"))
    assert error(path) == (
        f"{path}: this is a binary file, not a text export (a NUL byte at byte 1) "
        "(point the source at the CSV export, or re-export it as CSV)"
    )


def test_nul_characters_in_decoded_text_are_binary(tmp_path: Path) -> None:
    """Counted from 0, as bytes are: 18 characters of header, 20 of the row, then "1"."""
    path = tmp_path / "kpis.csv"
    path.write_bytes(UTF16.replace("100", "1\0\0").encode("utf-16-le"))
    assert error(path, encoding="utf-16-le") == (
        f"{path}: this is a binary file, not a text export (a NUL character at character 39) "
        "(point the source at the CSV export, or re-export it as CSV)"
    )


def test_one_bad_row_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "kpis.csv"
    path.write_text("Date,Metric,Value\n2026-01-10,Sessions,n/a\n2026-13-45,Sessions,4\n")
    assert error(path, skip_bad_rows=True) == (
        f"{path}: its one row was skipped as a bad row (row 3, column 'Date': cannot read "
        "'2026-13-45' as a date) (fix the export, or check the source's columns and its "
        "decimal, thousands and dayfirst settings)"
    )
