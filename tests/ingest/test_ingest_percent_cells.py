"""Percent-formatted workbook cells read as the points their export shows, like CSV "2.07%" text.

A Google Search Console report exported as a workbook stores a CTR of 2.07 % as 0.0207 with the
number format ``0.00%``; the same report as CSV writes ``2.07%``. Both must give 2.07, bit for bit.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.errors import DataError
from roicli.ingest import load_sources
from roicli.ingest.excel import read_excel
from roicli.ingest.kpimatch import kpi_lookup
from roicli.ingest.percentcells import is_percent_format

KPIS = kpis(clicks={"label": "Clicks"}, ctr={"label": "CTR"}, position={"label": "Position"})
CTRS = [0.0207, 0.0315, 0.07, 0.0014, 0.1234]  # times 100: 7.000000000000001, 0.13999999999999999
SHOWN = [2.07, 3.15, 7.0, 0.14, 12.34]


def xlsx(path: Path, fractions: Sequence[float | str], number_format: str = "0.00%") -> Path:
    """A report with a title row, then Date, Clicks, CTR (percent) and Position (``0.00``, a
    fraction too, so only the number format tells the two apart)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Search performance"])
    sheet.append(["Date", "Clicks", "CTR", "Position"])
    for index, fraction in enumerate(fractions):
        sheet.append([dt.date(2026, 1, 1) + dt.timedelta(days=index), 10 + index, fraction, 0.25])
        sheet.cell(row=index + 3, column=3).number_format = number_format
        sheet.cell(row=index + 3, column=4).number_format = "0.00"
    book.save(path)
    return path


def csv(path: Path, texts: list[str]) -> Path:
    """The same report as the CSV export writes it."""
    lines = [
        f"{dt.date(2026, 1, 1) + dt.timedelta(days=index)},{10 + index},{text},0.25"
        for index, text in enumerate(texts)
    ]
    path.write_text("Search performance\nDate,Clicks,CTR,Position\n" + "\n".join(lines) + "\n")
    return path


def kpi_values(path: Path, kpi: str = "ctr") -> list[float]:
    frame = frame_of(load_sources([source(path, skip_rows=1)], KPIS))
    return frame[frame["kpi"] == kpi]["value"].tolist()


def rewrite(path: Path, part: str, change: re.Pattern[bytes], into: bytes) -> None:
    """Edit one part of a workbook in place (as another program would have written it)."""
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts[part] = change.sub(into, parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_gsc_workbook_and_csv_give_the_same_long_table(tmp_path: Path) -> None:
    book = xlsx(tmp_path / "gsc.xlsx", CTRS)
    text = csv(tmp_path / "gsc.csv", ["2.07%", "3.15%", "7.00%", "0.14%", "12.34%"])
    from_book = load_sources([source(book, skip_rows=1)], KPIS)
    from_text = load_sources([source(text, skip_rows=1)], KPIS)
    assert frame_of(from_book).equals(frame_of(from_text))
    assert kpi_values(book) == kpi_values(text) == SHOWN
    assert kpi_values(book, "position") == [0.25] * 5  # a plain number next to it stays as is
    assert kpi_values(book, "clicks") == [10.0, 11.0, 12.0, 13.0, 14.0]
    assert from_book.audits[0].detected["percent_cells"] == 5
    assert from_text.audits[0].detected["percent_cells"] is None


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_both_readers_and_builtin_format_10(tmp_path: Path, engine: str) -> None:
    path = xlsx(tmp_path / "gsc.xlsx", CTRS)
    with zipfile.ZipFile(path) as book:
        styles = book.read("xl/styles.xml")
    assert b'numFmtId="10"' in styles  # openpyxl writes "0.00%" as the built-in format 10
    assert b"%" not in styles
    settings = source(path, skip_rows=1)
    table = read_excel(path, settings, kpi_lookup(KPIS), engine=engine)
    assert table.columns["CTR"].tolist() == SHOWN
    assert table.columns["Position"].tolist() == [0.25] * 5
    assert table.detected["percent_cells"] == 5


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ("0.0%;[Red]-0.0%", [2.07, -3.15]),
        ('0.00" %"', [0.0207, -0.0315]),  # the % is quoted text: the value is shown as it is
        ("0.00\\%", [0.0207, -0.0315]),
        ("#,##0.00", [0.0207, -0.0315]),
    ],
)
def test_custom_formats(tmp_path: Path, number_format: str, shown: list[float]) -> None:
    path = xlsx(tmp_path / "custom.xlsx", [0.0207, -0.0315], number_format)
    assert kpi_values(path) == shown


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ("0.0%;[Red]-0.0%", True),
        ("#,##0.0 %", True),
        ('0.00" %"', False),
        ("0.00\\%", False),
        ("0.00_%", False),
        ("0.00*%", False),
        ("[$%-409]0.00", False),
        ("General", False),
        ("yyyy-mm-dd", False),
    ],
)
def test_which_format_codes_are_percent(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


@pytest.mark.parametrize(
    ("change", "into"),
    [
        (re.compile(rb'<c r="[A-Z]+[0-9]+"'), b"<c"),  # no references: cells follow each other
        (re.compile(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"'), rb'<c s="\2"  r="\1"'),
        (re.compile(rb"<row "), b'<row s="{style}" customFormat="1" '),  # a percent row style
    ],
)
def test_cells_written_otherwise(tmp_path: Path, change: re.Pattern[bytes], into: bytes) -> None:
    """Cells written unlike Excel's ``<c r="C3" s="2"``: found by the slower, general scan."""
    path = xlsx(tmp_path / "other.xlsx", CTRS)
    with zipfile.ZipFile(path) as book:
        found = re.search(rb'<c r="C3" s="([0-9]+)"', book.read("xl/worksheets/sheet1.xml"))
    assert found is not None
    rewrite(path, "xl/worksheets/sheet1.xml", change, into.replace(b"{style}", found[1]))
    assert kpi_values(path) == SHOWN
    assert kpi_values(path, "position") == [0.25] * 5


def test_percent_as_the_default_style(tmp_path: Path) -> None:
    """A first cell style with a percent format applies to every cell without a style."""
    path = xlsx(tmp_path / "default.xlsx", CTRS)
    rewrite(path, "xl/styles.xml", re.compile(rb'<xf numFmtId="0"'), b'<xf numFmtId="9"')
    assert kpi_values(path) == SHOWN
    assert kpi_values(path, "clicks") == [1000.0, 1100.0, 1200.0, 1300.0, 1400.0]


def test_percent_formatted_text_is_read_as_text(tmp_path: Path) -> None:
    """Only numbers are scaled: a percent-formatted text "2.07%" is read as CSV text is."""
    path = xlsx(tmp_path / "text.xlsx", ["2.07%", 0.0315])
    assert kpi_values(path) == [2.07, 3.15]


@pytest.mark.parametrize(
    ("change", "into"),
    [
        (re.compile(rb"<styleSheet"), b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">]><styleSheet'),
        (re.compile(rb"</styleSheet>"), b""),
    ],
)
def test_hostile_or_damaged_styles_fail_in_one_line(
    tmp_path: Path, change: re.Pattern[bytes], into: bytes
) -> None:
    path = xlsx(tmp_path / "bad.xlsx", CTRS)
    rewrite(path, "xl/styles.xml", change, into)
    with pytest.raises(DataError) as raised:
        load_sources([source(path, skip_rows=1)], KPIS)
    message = str(raised.value)
    assert "\n" not in message
    assert re.search("cannot read the workbook|declares entities or a DTD", message)


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="Notes"><table:table-row>
<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p>
</table:table-cell></table:table-row></table:table>
<table:table table:name="Report">
<table:table-row><table:table-cell office:value-type="string"><text:p>Search performance</text:p>
</table:table-cell></table:table-row>
<table:table-header-rows><table:table-row>{header}</table:table-row></table:table-header-rows>
{rows}
<table:table-row table:number-rows-repeated="1048560"><table:table-cell
 table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods_cell(kind: str, value: str, repeated: int = 1) -> str:
    attribute = "office:date-value" if kind == "date" else "office:value"
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return (
        f'<table:table-cell office:value-type="{kind}" {attribute}="{value}"{repeat}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods(path: Path) -> Path:
    """A LibreOffice-like sheet: equal neighbours written once as repeated (rows and cells), a
    merged (covered) cell, another sheet first."""
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{name}</text:p></table:table-cell>'
        for name in ("Date", "Clicks", "Impressions", "CTR", "Position")
    )
    rows = (
        "<table:table-row>"
        + ods_cell("date", "2026-01-01")
        + ods_cell("float", "10")
        + ods_cell("float", "483")
        + ods_cell("percentage", "0.0207")
        + ods_cell("float", "0.25")
        + '</table:table-row><table:table-row table:number-rows-repeated="2">'
        + ods_cell("date", "2026-01-02")
        + ods_cell("float", "11")
        + '<table:covered-table-cell office:value-type="float" office:value="157"/>'
        + ods_cell("percentage", "0.07")
        + ods_cell("float", "0.25")
        + "</table:table-row><table:table-row>"
        + ods_cell("date", "2026-01-04")
        + ods_cell("float", "13", repeated=2)
        + ods_cell("percentage", "0.0315", repeated=2)
        + "</table:table-row>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        # No whitespace between elements, as LibreOffice writes it (calamine expects none).
        content = ODS_CONTENT.replace("\n", "").format(header=header, rows=rows)
        book.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_ods_percentage_cells(tmp_path: Path) -> None:
    path = ods(tmp_path / "report.ods")
    dataset = load_sources([source(path, sheet="Report", skip_rows=1)], KPIS)
    frame = frame_of(dataset)
    # One cell per day (the row read twice on 2026-01-02 is one cell of two rows).
    assert dataset.table.count.tolist() == [1, 1, 1, 2, 2, 2, 1, 1, 1]
    assert frame[frame["kpi"] == "ctr"]["value"].tolist() == [2.07, 7.0 + 7.0, 3.15]
    assert frame[frame["kpi"] == "position"]["value"].tolist() == [0.25, 0.25 + 0.25, 3.15]
    assert frame[frame["kpi"] == "clicks"]["value"].tolist() == [10.0, 11.0 + 11.0, 13.0]
    assert dataset.audits[0].detected["percent_cells"] == 5  # 1, 2 (a row twice), 2 (a cell twice)


fractions = st.lists(
    st.builds(
        lambda digits, places: Decimal(digits).scaleb(-places),
        st.integers(-(10**6), 10**6),
        st.integers(0, 4),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fractions)
def test_workbook_and_csv_give_the_same_float(tmp_path: Path, exact: list[Decimal]) -> None:
    book = xlsx(tmp_path / "p.xlsx", [float(fraction) for fraction in exact])
    text = csv(tmp_path / "p.csv", [f"{fraction.scaleb(2):f}%" for fraction in exact])
    from_book, from_text = kpi_values(book), kpi_values(text)
    assert [value.hex() for value in from_book] == [value.hex() for value in from_text]
    assert from_book == [float(fraction.scaleb(2)) for fraction in exact]
    assert pd.Series(from_book).notna().all()
