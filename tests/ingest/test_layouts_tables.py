"""Stacked tables, the sheet search of workbooks, dates as column headers and dates without a
year, on small files the tests write (values by hand from those files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.config import Source
from roicli.errors import DataError
from roicli.ingest import Dataset, load_sources

TRAINING = kpis(
    leads={"label": "Leads"},
    sessions={"label": "Sessions"},
    roi_course={"label": "roi course"},
    leadership={"label": "leadership training"},
)


def rows(dataset: Dataset) -> list[tuple[str, str, str, float]]:
    """(date, kpi, group, value) of every long row, in the table's order."""
    frame = frame_of(dataset)
    return [
        (day.strftime("%Y-%m-%d"), kpi, group, value)
        for day, kpi, group, value in zip(
            frame["date"], frame["kpi"], frame["group"], frame["value"], strict=True
        )
    ]


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for row in cells:
            sheet.append(row)
    book.save(path)
    return path


# Stacked tables


STACKED = (
    "# Report\n"
    "# Start date: 20260101\n"
    "Date,Leads\n"
    "2026-01-05,4\n"
    "2026-01-06,6\n"
    "\n"
    "# Start date: 20260101\n"
    "Channel,Sessions\n"
    "Direct,10\n"
    "\n"
    "# Start date: 20260101\n"
    "Date,Sessions\n"
    "2026-01-05,100\n"
    "2026-01-07,120\n"
)


def test_every_stacked_table_with_the_date_column_is_read(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.csv"
    path.write_text(STACKED)
    dataset = load_sources([source(path)], TRAINING)
    assert rows(dataset) == [
        ("2026-01-05", "leads", "", 4.0),
        ("2026-01-05", "sessions", "", 100.0),
        ("2026-01-06", "leads", "", 6.0),
        ("2026-01-07", "sessions", "", 120.0),
    ]
    audit = dataset.audits[0]
    assert audit.kpis == ("leads", "sessions")
    assert audit.detected["header_row"] == "3, 12"
    assert audit.rows == 4


def test_stacked_long_tables(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "Date,Metric,Value\n2026-01-05,Leads,3\n\nDate,Metric,Value\n2026-02-05,Sessions,7\n"
    )
    long = source(path, layout="long", columns={"date": "Date", "kpi": "Metric", "value": "Value"})
    assert rows(load_sources([long], TRAINING)) == [
        ("2026-01-05", "leads", "", 3.0),
        ("2026-02-05", "sessions", "", 7.0),
    ]


def test_bad_row_of_a_later_stacked_table_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.csv"
    path.write_text(STACKED.replace("2026-01-07,120", "2026-01-07,lots"))
    with pytest.raises(DataError, match="row 14, column 'Sessions': cannot read 'lots'"):
        load_sources([source(path)], TRAINING)


# Sheet search


SUMMARY: list[list[Any]] = [["Training report 2026"], [], ["Total leads", 10]]
DATA: list[list[Any]] = [
    ["Date", "Leads"],
    [dt.datetime(2026, 1, 5), 4],
    [dt.datetime(2026, 2, 5), 6],
]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_workbook_sheet_holding_the_columns_is_read(tmp_path: Path, engine: str) -> None:
    from roicli.ingest.excel import read_excel
    from roicli.ingest.kpimatch import kpi_lookup

    path = workbook(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Data": DATA})
    table = read_excel(path, source(path), kpi_lookup(TRAINING), engine=engine)
    assert table.detected["sheet"] == "Data"
    assert table.columns["Leads"].tolist() == [4, 6]


def test_workbook_sheet_read_is_in_the_audit(tmp_path: Path) -> None:
    path = workbook(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Data": DATA})
    dataset = load_sources([source(path)], TRAINING)
    assert dataset.audits[0].detected["sheet"] == "Data"
    assert rows(dataset) == [("2026-01-05", "leads", "", 4.0), ("2026-02-05", "leads", "", 6.0)]


def test_workbook_wide_sheet_with_a_kpi_wins(tmp_path: Path) -> None:
    dates_only: list[list[Any]] = [["Date", "Note"], [dt.datetime(2026, 1, 1), "kick-off"]]
    path = workbook(tmp_path / "report.xlsx", {"Notes": dates_only, "Data": DATA})
    assert load_sources([source(path)], TRAINING).audits[0].detected["sheet"] == "Data"


def test_workbook_without_the_columns_lists_sheets_and_columns(tmp_path: Path) -> None:
    path = workbook(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Data": DATA})
    with pytest.raises(DataError) as raised:
        load_sources([source(path, columns={"date": "Day"})], TRAINING)
    assert str(raised.value) == (
        f"{path}: no sheet has a row holding all the mapped columns ('Day'); the workbook has "
        "sheets: 'Summary', 'Data' (set sheet: to one of 'Summary', 'Data', and columns to "
        "the names in its header row)"
    )


def test_workbook_named_sheet_is_not_searched(tmp_path: Path) -> None:
    path = workbook(tmp_path / "report.xlsx", {"Summary": SUMMARY, "Data": DATA})
    with pytest.raises(DataError, match=r"column 'Date' .* not found; the header on row 1 of "):
        load_sources([source(path, sheet="Summary")], TRAINING)


# Dates as column headers (keyword-trend exports)


TRENDS = (
    "Keyword,Country,2026-01-01,2026-02-01,2026-03-01\n"
    "roi course,US,10,12,-\n"
    "leadership training,US,5,,7\n"
    "other keyword,US,1,1,1\n"
    "Total,,16,13,8\n"
)


def trends_source(path: Path, **settings: Any) -> Source:
    settings.setdefault("columns", {"kpi": "Keyword", "group": "Country"})
    return source(path, layout="dates_in_columns", **settings)


def test_dates_in_columns_csv(tmp_path: Path) -> None:
    path = tmp_path / "trends.csv"
    path.write_text(TRENDS)
    dataset = load_sources([trends_source(path)], TRAINING)
    assert rows(dataset) == [
        ("2026-01-01", "leadership", "US", 5.0),  # cells by day, KPI and group
        ("2026-01-01", "roi_course", "US", 10.0),
        ("2026-02-01", "roi_course", "US", 12.0),
        ("2026-03-01", "leadership", "US", 7.0),
    ]
    audit = dataset.audits[0]
    assert audit.rows == 2  # file rows, not cells
    assert audit.excluded_rows == 1  # the Total row
    assert audit.unmatched == ("other keyword",)
    assert audit.detected["missing_values"] == 2  # "-" and the empty cell


def test_dates_in_columns_workbook_with_date_cells_as_headers(tmp_path: Path) -> None:
    header = ["Keyword", "Country", dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)]
    path = workbook(
        tmp_path / "trends.xlsx",
        {"Trend": [["Keyword trends"], header, ["roi course", "FR", 3, 4]]},
    )
    dataset = load_sources([trends_source(path)], TRAINING)
    assert rows(dataset) == [
        ("2026-01-01", "roi_course", "FR", 3.0),
        ("2026-02-01", "roi_course", "FR", 4.0),
    ]
    assert dataset.audits[0].detected["header_row"] == 2


def test_dates_in_columns_parquet(tmp_path: Path) -> None:
    path = tmp_path / "trends.parquet"
    columns = {
        "Keyword": ["roi course", "Total"],
        "2026-01-01": [3.0, 3.0],
        "2026-02-01": [None, 0.0],
    }
    pq.write_table(pa.table(columns), path)
    dataset = load_sources([trends_source(path, columns={"kpi": "Keyword"})], TRAINING)
    assert rows(dataset) == [("2026-01-01", "roi_course", "", 3.0)]
    assert (dataset.audits[0].rows, dataset.audits[0].excluded_rows) == (1, 1)


def test_dates_in_columns_bad_value_names_the_file_row(tmp_path: Path) -> None:
    path = tmp_path / "trends.csv"
    path.write_text(TRENDS.replace("5,,7", "5,x,7"))
    with pytest.raises(DataError, match=r"row 3, .*cannot read 'x' as a number"):
        load_sources([trends_source(path)], TRAINING)


def test_dates_in_columns_needs_date_headers(tmp_path: Path) -> None:
    path = tmp_path / "trends.csv"
    path.write_text("Keyword,Country,Volume\nroi course,US,10\n")
    with pytest.raises(DataError, match=r"no column header is a date .*'Volume'"):
        load_sources([trends_source(path)], TRAINING)


def test_dates_in_columns_ambiguous_headers(tmp_path: Path) -> None:
    path = tmp_path / "trends.csv"
    path.write_text("Keyword,01/02/2026,03/04/2026\nroi course,1,2\n")
    layout = {"layout": "dates_in_columns", "columns": {"kpi": "Keyword"}}
    with pytest.raises(DataError, match="day from the month in the date headers"):
        load_sources([source(path, **layout)], TRAINING)
    dayfirst = load_sources([source(path, dayfirst=True, **layout)], TRAINING)
    assert [row[0] for row in rows(dayfirst)] == ["2026-02-01", "2026-04-03"]


@pytest.mark.parametrize(
    "columns",
    [{"kpi": "Keyword", "date": "Date"}, {"kpi": "Keyword", "value": "Value"}, {"group": "G"}],
)
def test_dates_in_columns_config_takes_kpi_only(columns: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="dates_in_columns takes its dates"):
        Source.model_validate({"path": "x.csv", "layout": "dates_in_columns", "columns": columns})


def test_other_layouts_still_need_a_date_column() -> None:
    with pytest.raises(ValidationError, match=r"a wide layout needs columns.date"):
        Source.model_validate({"path": "x.csv", "layout": "wide", "columns": {}})


def test_schema_offers_the_new_options() -> None:
    schema = Source.model_json_schema()
    assert schema["properties"]["year"]["anyOf"][0] == {
        "maximum": 2200,
        "minimum": 1900,
        "type": "integer",
    }
    assert "dates_in_columns" in schema["$defs"]["Layout"]["enum"]


# Dates without a year (social-media studios)


def test_month_day_dates_with_year_override(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("Date,Leads\nApril 12,3\nApril 30,4\nMay 2,5\n")
    dataset = load_sources([source(path, year=2025)], TRAINING)
    assert rows(dataset) == [
        ("2025-04-12", "leads", "", 3.0),
        ("2025-04-30", "leads", "", 4.0),
        ("2025-05-02", "leads", "", 5.0),
    ]
    assert dataset.audits[0].detected["date_format"] == "month and day, year from year: 2025"


def test_french_day_month_dates_roll_over_the_new_year(tmp_path: Path) -> None:
    path = tmp_path / "studio_export_2025.csv"
    path.write_text("Date,Leads\n30 déc.,1\n31\u00a0déc.,2\n2 janv.,3\n12 avr.,4\n")
    dataset = load_sources([source(path)], TRAINING)
    assert [row[0] for row in rows(dataset)] == [
        "2025-12-30",
        "2025-12-31",
        "2026-01-02",
        "2026-04-12",
    ]
    assert dataset.audits[0].detected["date_format"] == (
        "month and day, year from the file name (2025)"
    )


def test_month_day_without_any_year_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("Date,Leads\nApril 12,3\n")
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], TRAINING)
    assert str(raised.value) == (
        f"{path}: dates are written without a year (e.g. 'April 12') and neither the source "
        "nor the file name gives one (set year: in the source to the year of the first row)"
    )


def test_month_day_with_two_years_in_the_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts_2024-2025.csv"
    path.write_text("Date,Leads\nApril 12,3\n")
    with pytest.raises(DataError, match=r"the file name holds several years \(2024, 2025\)"):
        load_sources([source(path)], TRAINING)
    assert rows(load_sources([source(path, year=2024)], TRAINING))[0][0] == "2024-04-12"


def test_month_day_out_of_order_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("Date,Leads\nApril 12,3\nApril 3,4\n")  # newest first: which year?
    with pytest.raises(DataError) as raised:
        load_sources([source(path, year=2025)], TRAINING)
    assert str(raised.value) == (
        f"{path}, column 'Date': dates without a year go back from 'April 12' (row 2) to "
        "'April 3' (row 3): their year cannot be told unless the rows are in date order, "
        "oldest first (sort the export by date, oldest first, or export the dates with years)"
    )


def test_month_day_not_in_the_year_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("Date,Leads\nFeb 28,3\nFeb 29,4\n")
    with pytest.raises(DataError, match="row 3, column 'Date': cannot read 'Feb 29' as a date"):
        load_sources([source(path, year=2025)], TRAINING)
    assert [row[0] for row in rows(load_sources([source(path, year=2024)], TRAINING))] == [
        "2024-02-28",
        "2024-02-29",
    ]
