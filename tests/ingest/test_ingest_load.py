"""load_sources end to end on small files: layouts, groups, formats, audits, bad rows, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from tests.conftest import frame_of
from tests.ingest.conftest import FIXTURES, kpis, source

from roicli.errors import DataError
from roicli.ingest import DETECTED_KEYS, BadRow, load_sources
from roicli.ingest.excel import read_excel
from roicli.ingest.kpimatch import kpi_lookup
from roicli.paths import shown_path

KPIS = kpis(
    clicks={"label": "Clicks", "aliases": ["Clics"]},
    impressions={},
    qualified_leads={"label": "Qualified leads", "aliases": ["Leads qualifiés", "MQL"]},
)
LONG = {"date": "Date", "kpi": "Metric", "value": "Value", "group": "Team"}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(frame: pd.DataFrame) -> list[tuple[str, str, str, float]]:
    return [
        (day.strftime("%Y-%m-%d"), kpi, group, value)
        for day, kpi, group, value in frame.itertuples(index=False)
    ]


def test_long_layout_with_groups_and_kpi_names_from_the_data(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "web.csv",
        "Date,Metric,Value,Team\n"
        "2026-01-05, Qualified leads ,3,Marketing\n"
        "2026-01-05,LEADS QUALIFIÉS,4,Sales\n"
        "2026-01-06,mql,5,\n"
        "2026-01-06,Bounce rate,40,Sales\n"
        "2026-01-07,clicks,,Sales\n",
    )
    dataset = load_sources([source(path, layout="long", columns=LONG)], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-05", "qualified_leads", "Marketing", 3.0),
        ("2026-01-05", "qualified_leads", "Sales", 4.0),
        ("2026-01-06", "qualified_leads", "", 5.0),
    ]
    audit = dataset.audits[0]
    assert (audit.rows, audit.skipped_rows, audit.excluded_rows) == (3, 0, 0)
    assert audit.kpis == ("qualified_leads", "clicks")
    assert audit.unmatched == ("Bounce rate",)
    assert audit.detected["missing_values"] == 1


def test_table_types(tmp_path: Path) -> None:
    path = write(tmp_path, "web.csv", "Date,Clicks\n2026-01-05 10:30:00,3\n")
    table = load_sources([source(path)], KPIS).table
    assert table.days.dtype == "datetime64[D]"  # the calendar date: the time of day is dropped
    assert table.days.tolist() == [dt.date(2026, 1, 5)]
    assert table.values.dtype == "float64"
    assert table.kpi.dtype == table.group.dtype == "int32"
    assert [table.kpi_names[code] for code in table.kpi] == ["clicks"]
    assert table.group_names == ("",)


def test_wide_layout_matches_headers_and_lists_the_others(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "gsc.csv",
        "Date,Clics,Impressions,CTR,Team\n2026-01-02,10,100,10%,A\n2026-01-01,5,--,5%,B\n",
    )
    dataset = load_sources([source(path, columns={"date": "date", "group": "team"})], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-01", "clicks", "B", 5.0),
        ("2026-01-02", "clicks", "A", 10.0),
        ("2026-01-02", "impressions", "A", 100.0),
    ]
    audit = dataset.audits[0]
    assert audit.kpis == ("clicks", "impressions")
    assert audit.unmatched == ("CTR",)
    assert audit.rows == 2
    assert set(audit.detected) == set(DETECTED_KEYS)


def test_two_wide_columns_for_one_kpi_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "two.csv", "Date,Clicks,Clics\n2026-01-01,1,1\n")
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}: columns 'Clicks' and 'Clics' both stand for KPI 'clicks' "
        "(keep only one of these names in kpis.clicks (key, label, aliases))"
    )


def test_several_sources_are_stacked_and_sorted_by_date(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "Date,Clicks\n2026-02-01,1\n")
    second = write(tmp_path, "b.csv", "Date;Impressions\n15/01/2026;2\n")
    dataset = load_sources([source(first), source(second)], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-15", "impressions", "", 2.0),
        ("2026-02-01", "clicks", "", 1.0),
    ]
    assert [a.path for a in dataset.audits] == [str(first), str(second)]


def test_no_source_gives_an_empty_table() -> None:
    dataset = load_sources([], KPIS)
    assert len(dataset.table) == 0
    assert dataset.table.days.dtype == "datetime64[D]"
    assert dataset.audits == ()


def test_messy_french_excel_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "export.csv",
        "Rapport mensuel;;\r\nPériode : janvier 2026;;\r\n\r\n"
        "Mois;Leads qualifiés;Coût\r\n"
        'janv. 2026;"1\u00a0234,5";1\u00a0000,00 €\r\n'
        "févr. 2026;12,5;(3,00 €)\r\n"
        "Total;1247;997\r\n",
        encoding="cp1252",
    )
    configured = kpis(qualified_leads={"label": "Leads qualifiés"}, cost={"label": "Coût"})
    dataset = load_sources([source(path, columns={"date": "Mois"})], configured)
    assert rows(frame_of(dataset)) == [
        ("2026-01-01", "cost", "", 1000.0),  # cells by day, KPI and group
        ("2026-01-01", "qualified_leads", "", 1234.5),
        ("2026-02-01", "cost", "", -3.0),
        ("2026-02-01", "qualified_leads", "", 12.5),
    ]
    audit = dataset.audits[0]
    assert audit.excluded_rows == 1
    assert {key: audit.detected[key] for key in DETECTED_KEYS} == {
        "format": "csv",
        "encoding": "cp1252",
        "delimiter": ";",
        "decimal": ",",
        "thousands": " ",
        "header_row": 4,
        "sheet": None,
        "date_format": "month name",
        "dayfirst": None,
        "reader": "pandas",
        "missing_values": 0,
        "percent_cells": None,
    }


def test_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", "x|y\nDate|Clicks\n01/02/2026|1.500\n03/02/2026|2.000\n")
    settings = {"delimiter": "|", "skip_rows": 1, "dayfirst": True, "thousands": "."}
    dataset = load_sources([source(path, **settings)], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-02-01", "clicks", "", 1500.0),
        ("2026-02-03", "clicks", "", 2000.0),
    ]
    again = load_sources([source(path, **{**settings, "thousands": None, "decimal": "."})], KPIS)
    assert frame_of(again)["value"].tolist() == [1.5, 2.0]
    latin = write(tmp_path, "l.csv", "Date,Clicks\n2026-01-01,1\n", encoding="latin-1")
    assert load_sources([source(latin, encoding="latin-1")], KPIS).audits[0].detected[
        "encoding"
    ] == ("latin-1")


def test_total_rows_and_empty_dates_are_excluded_not_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.csv",
        "Date,Metric,Value,Team\n"
        "2026-01-01,Clicks,1,A\n"
        "Grand Total,Clicks,9,\n"
        "2026-01-01,Total: Search,5,A\n"
        "2026-01-01,Clicks,2,Total\n"
        ",Clicks,3,A\n"
        "\n"
        "2026-01-02,Clicks,4,A\n",
    )
    audit = load_sources([source(path, layout="long", columns=LONG)], KPIS).audits[0]
    assert (audit.rows, audit.excluded_rows, audit.skipped_rows) == (2, 5, 0)


def test_bad_rows_are_skipped_counted_and_sampled(tmp_path: Path) -> None:
    lines = ["Date,Clicks"] + [f"2026-01-{day:02d},{day}" for day in range(1, 10)]
    lines[2] = "2026-01-02,twelve"
    lines[4] = "not a date,4"
    lines[5] = "2026-01-05,1,2,3"
    lines[6:9] = ["2026-01-06,x", "2026-01-07,y", "2026-01-08,z"]
    path = write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    dataset = load_sources([source(path)], KPIS, skip_bad_rows=True)
    audit = dataset.audits[0]
    assert frame_of(dataset)["value"].tolist() == [1.0, 3.0, 9.0]
    assert (audit.rows, audit.skipped_rows) == (3, 6)
    assert audit.bad_rows == (
        BadRow(3, "Clicks", "twelve", "cannot read 'twelve' as a number"),
        BadRow(5, "Date", "not a date", "cannot read 'not a date' as a date"),
        BadRow(6, "", "", "more fields than the header (2)"),
        BadRow(7, "Clicks", "x", "cannot read 'x' as a number"),
        BadRow(8, "Clicks", "y", "cannot read 'y' as a number"),
    )


def test_row_numbers_count_quoted_line_breaks(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", 'Date,Note,Clicks\n2026-01-01,"a\nb",1\n2026-01-02,c,bad\n')
    with pytest.raises(DataError, match=r"row 4, column 'Clicks'"):
        load_sources([source(path)], KPIS)


def test_clean_files_take_the_typed_path_and_read_the_same(tmp_path: Path) -> None:
    body = "".join(f"2026-01-{d:02d},Clicks,{d * 1.5},A\n" for d in range(1, 29))
    clean = write(tmp_path, "clean.csv", "Date,Metric,Value,Team\n" + body)
    messy = write(tmp_path, "messy.csv", "# export\nDate,Metric,Value,Team\n" + body)
    fast = load_sources([source(clean, layout="long", columns=LONG)], KPIS)
    slow = load_sources([source(messy, layout="long", columns=LONG)], KPIS)
    assert fast.audits[0].detected["reader"] == "pyarrow"
    assert slow.audits[0].detected["reader"] == "pandas"
    pd.testing.assert_frame_equal(frame_of(fast), frame_of(slow))


def test_a_late_thousands_separator_leaves_the_typed_path(tmp_path: Path) -> None:
    body = "".join(f"2026-01-01,{n}\n" for n in range(1000, 2200))
    path = write(tmp_path, "late.csv", "Date,Clicks\n" + body + "2026-01-02,2.500\n")
    dataset = load_sources([source(path)], KPIS)
    assert dataset.audits[0].detected["reader"] == "pandas"
    assert frame_of(dataset)["value"].iloc[-1] == 2.5  # 1000..2199 unseparated: "." is a decimal


def test_parquet_typed_and_text_columns(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    pd.DataFrame(
        {
            "DATE": pd.to_datetime(["2026-01-01", "2026-01-02"]),
            "Clicks": [1, 2],
            "Impressions": ["1,234.5", "--"],
            "Other": ["x", "y"],
        }
    ).to_parquet(path)
    dataset = load_sources([source(path, columns={"date": "date"})], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-01", "clicks", "", 1.0),
        ("2026-01-01", "impressions", "", 1234.5),
        ("2026-01-02", "clicks", "", 2.0),
    ]
    audit = dataset.audits[0]
    assert audit.detected["format"] == "parquet"
    assert audit.unmatched == ("Other",)


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Nothing here"])
    leads = book.create_sheet("Leads")
    leads.append(["CRM export, all teams"])
    leads.append([])
    leads.append(["Month", "Team", "Qualified leads", "Notes"])
    leads.append([dt.datetime(2026, 1, 1), "A", 12, "x"])
    leads.append(["2026-02", "B", "1 234,5", None])
    leads.append([46082, "A", "-", None])  # Excel serial for 2026-03-01, placeholder value
    leads.append([None, None, None, None])
    leads.append(["Total", None, 1246.5, None])
    for _ in range(20):
        leads.append([None] * 4)
    book.save(path)
    return path


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_excel_sheet_by_name_header_anywhere(tmp_path: Path, engine: str) -> None:
    path = workbook(tmp_path / "crm.xlsx")
    settings = source(path, sheet="LEADS", columns={"date": "Month", "group": "Team"})
    table = read_excel(path, settings, kpi_lookup(KPIS), engine=engine)
    assert table.rows.tolist() == [4, 5, 6, 7, 8]
    assert table.detected["header_row"] == 3
    assert table.detected["reader"] == engine
    dataset = load_sources([settings], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-01", "qualified_leads", "A", 12.0),
        ("2026-02-01", "qualified_leads", "B", 1234.5),
    ]
    audit = dataset.audits[0]
    assert (audit.rows, audit.excluded_rows) == (2, 2)
    assert audit.detected["sheet"] == "Leads"
    assert audit.unmatched == ("Notes",)


def test_excel_sheet_by_index(tmp_path: Path) -> None:
    path = workbook(tmp_path / "crm.xlsx")
    dataset = load_sources([source(path, sheet=1, columns={"date": "Month"})], KPIS)
    assert len(frame_of(dataset)) == 2


# Errors: one exact message each, naming file, row, column and the fix.


def test_missing_file() -> None:
    path = FIXTURES / "nowhere.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}: file not found "
        "(check sources[0].path (relative paths start at the config file's folder))"
    )


def test_missing_column_with_did_you_mean() -> None:
    path = FIXTURES / "missing_column.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path, columns={"date": "Dte"})], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}: column 'Dte' (columns.date) not found (did you mean 'Date'?); "
        "the header on line 1 has: 'Date', 'Clicks', 'Impressions' "
        "(set columns.date to one of the file's columns, "
        "or skip_rows to the lines before the header)"
    )


def test_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = workbook(tmp_path / "crm.xlsx")
    with pytest.raises(DataError) as raised:
        load_sources([source(path, sheet="Lead")], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}: sheet 'Lead' not found (did you mean 'Leads'?); "
        "the workbook has sheets: 'Cover', 'Leads' (set sheet to one of them (or to its index "
        "from 0))"
    )
    with pytest.raises(DataError, match="sheet index 5 is out of range; the workbook has 2"):
        load_sources([source(path, sheet=5)], KPIS)


def test_unreadable_number_names_the_row_as_the_user_sees_it() -> None:
    path = FIXTURES / "bad_number.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}, row 6, column 'Clicks': cannot read 'twelve' as a number "
        "(and 1 more bad row) (fix the value, or use --skip-bad-rows to skip such rows)"
    )


def test_a_decimal_comma_in_a_decimal_point_column_suggests_the_setting(tmp_path: Path) -> None:
    quoted = write(tmp_path, "e.csv", 'Date,Clicks\n2026-01-01,1.5\n2026-01-02,"3,5"\n')
    with pytest.raises(DataError) as raised:
        load_sources([source(quoted)], KPIS)
    assert str(raised.value) == (
        f"{quoted}, row 3, column 'Clicks': cannot read '3,5' as a number "
        '(if the file writes "," as its decimal mark, set decimal: "," in the source; '
        "else fix the value, or use --skip-bad-rows to skip such rows)"
    )


def test_ambiguous_dates_ask_for_dayfirst() -> None:
    path = FIXTURES / "ambiguous_dates.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], kpis(leads={}))
    assert str(raised.value) == (
        f"{shown_path(path)}, column 'Date': cannot tell the day from the month: every date "
        "fits both orders (e.g. '01/02/2026', '03/02/2026', '12/11/2026') "
        "(set dayfirst: true (dd/mm) or dayfirst: false (mm/dd) in the source)"
    )
    dataset = load_sources([source(path, dayfirst=True)], kpis(leads={}))
    assert frame_of(dataset)["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-02-01",
        "2026-02-03",
        "2026-11-12",
    ]


def test_bad_date() -> None:
    path = FIXTURES / "bad_date.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}, row 3, column 'Date': cannot read '2026-02-30' as a date "
        "(write the date like 2026-01-31, or use --skip-bad-rows to skip such rows)"
    )


def test_ambiguous_thousands_ask_for_decimal(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Date,Clicks\n2026-01-01,1.500\n2026-01-02,2.250\n")
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}, column 'Clicks': cannot tell whether '1.500' uses a decimal mark "
        'or a thousands separator (set decimal: "." or decimal: "," in the source)'
    )


def test_bad_encoding_override(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "Date,Clicks\n2026-01-01,1\nÉ,2\n", encoding="cp1252")
    with pytest.raises(DataError) as raised:
        load_sources([source(path, encoding="utf-8")], KPIS)
    assert str(raised.value) == (
        f"{shown_path(path)}: the file is not valid utf-8 (byte 25) "
        "(remove the encoding setting to detect it, or set the right one)"
    )


def test_utf16_tab_separated_export(tmp_path: Path) -> None:
    path = write(tmp_path, "linkedin.csv", "Date\tClicks\n01/31/2026\t7\n", encoding="utf-16")
    dataset = load_sources([source(path)], KPIS)
    assert rows(frame_of(dataset)) == [("2026-01-31", "clicks", "", 7.0)]
    assert dataset.audits[0].detected["delimiter"] == "\t"


def test_workbooks_openpyxl_cannot_read_or_nobody_can(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"not really a workbook")
    with pytest.raises(DataError, match=r"cannot read \.xls workbooks without python-calamine"):
        read_excel(old, source(old), {}, engine="openpyxl")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    for engine in ("calamine", "openpyxl"):
        with pytest.raises(DataError, match="cannot read the workbook"):
            read_excel(broken, source(broken), {}, engine=engine)


def test_an_unknown_decimal_mark_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "Date,Clicks\n2026-01-01,1·5\n")
    with pytest.raises(DataError, match=r"decimal: '·' is not a decimal mark roicli reads"):
        load_sources([source(path, decimal="·")], KPIS)


def test_ads_report_shape_preamble_placeholders_and_total_rows(tmp_path: Path) -> None:
    """The Google Ads UI layout (two preamble lines, " --", "Total: …" rows), with a Day column."""
    path = write(
        tmp_path,
        "ads.csv",
        "Ad report\n"
        '"January 20, 2026 - January 21, 2026"\n'
        "Day,Campaign,Impr.,Interaction rate,Currency code,Cost\n"
        '2026-01-20,Brand,"1,042",14.29%,USD,11.91\n'
        "2026-01-21,Brand,0, --,USD,0.00\n"
        '2026-01-21,Total: Search,"1,042",2.98%,USD,11.91\n'
        ',Total: Account,"1,042",2.98%,USD,11.91\n',
    )
    configured = kpis(impressions={"aliases": ["Impr."]}, ctr={"label": "Interaction rate"})
    columns = {"date": "Day", "group": "Campaign"}
    dataset = load_sources([source(path, columns=columns)], configured)
    assert rows(frame_of(dataset)) == [
        ("2026-01-20", "ctr", "Brand", 14.29),  # cells by day, KPI and group
        ("2026-01-20", "impressions", "Brand", 1042.0),
        ("2026-01-21", "impressions", "Brand", 0.0),
    ]
    audit = dataset.audits[0]
    assert (audit.rows, audit.excluded_rows, audit.skipped_rows) == (2, 2, 0)
    assert audit.unmatched == ("Currency code", "Cost")
    assert audit.detected["missing_values"] == 1
    assert audit.detected["header_row"] == 3


def test_parquet_long_layout_with_dictionary_columns(tmp_path: Path) -> None:
    path = tmp_path / "long.parquet"
    pd.DataFrame(
        {
            "date": pd.Series(pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"])).dt.date,
            "kpi": pd.Categorical(["Clicks", "Total", "MQL"]),
            "team": pd.Categorical(["A", "A", None]),
            "value": [1.5, 9.0, 2.0],
        }
    ).to_parquet(path)
    columns = {"date": "date", "kpi": "kpi", "value": "value", "group": "team"}
    dataset = load_sources([source(path, layout="long", columns=columns)], KPIS)
    assert rows(frame_of(dataset)) == [
        ("2026-01-01", "clicks", "A", 1.5),
        ("2026-01-03", "qualified_leads", "", 2.0),
    ]
    assert dataset.audits[0].excluded_rows == 1
