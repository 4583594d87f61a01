"""The workbook, read back with openpyxl: sheets, values, formats, charts, safety, determinism."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from tests.render.conftest import (
    HOSTILE,
    MENTORING,
    PARTICIPANT,
    PROGRAMME,
    QUOTES,
    SCRIPT,
    TAB_FORMULA,
    build_analysis,
)

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.excel import (
    STATUS_FILLS,
    build_workbook,
    currency_format,
    workbook_bytes,
    write_workbook,
)

SHEETS = {
    Lang.EN: ["Summary", "Objectives", "SMART", "ROI", "Trends", "Data", "Audit"],
    Lang.FR: ["Synthèse", "Objectifs", "SMART", "ROI", "Tendances", "Données", "Audit"],
}


def _load(analysis: Analysis, lang: Lang = Lang.EN) -> Any:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(analysis, lang=lang)))


def _find(ws: Any, value: object) -> Any:
    """The first cell holding value."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not found on {ws.title}")


def _row(ws: Any, first: object) -> dict[str, Any]:
    """The cells of the row whose first cell is `first`, keyed by the header of row 1."""
    start = _find(ws, first)
    headers = [cell.value for cell in ws[1]]
    return {header: ws.cell(row=start.row, column=i) for i, header in enumerate(headers, 1)}


@pytest.mark.parametrize("lang", list(Lang))
def test_sheet_names_are_translated(analysis: Analysis, lang: Lang) -> None:
    assert _load(analysis, lang).sheetnames == SHEETS[lang]


def _summary(ws: Any, label: str) -> dict[str, Any]:
    """The Summary's row for a figure, keyed by programme (and "Portfolio")."""
    return _row(ws, label)


def test_summary_has_a_column_per_programme_and_the_portfolio(analysis: Analysis) -> None:
    ws = _load(analysis)["Summary"]
    assert [cell.value for cell in ws[1]] == ["Indicator", PROGRAMME, MENTORING, "Portfolio"]
    costs = _summary(ws, "Costs")
    assert costs[PROGRAMME].value == 15120
    assert costs[PROGRAMME].number_format == '"€"#,##0.00'
    assert costs[MENTORING].value == 0
    assert costs["Portfolio"].value == 15120
    assert _summary(ws, "Benefits")[PROGRAMME].value == 247187.5
    roi = _summary(ws, "ROI %")
    assert roi[PROGRAMME].value == pytest.approx(15.346)
    assert roi[PROGRAMME].number_format == "0.0%"
    assert roi[MENTORING].value is None
    assert _summary(ws, "Benefit-cost ratio")[PROGRAMME].value == 16.35
    assert _summary(ws, "Start")[PROGRAMME].value == datetime(2026, 1, 15)
    assert _summary(ws, "ROI % – conservative")[PROGRAMME].value == pytest.approx(3.5)
    assert _summary(ws, "Note")[MENTORING].value == "no costs: ROI is n/a"


def test_a_float_artefact_benefit_shows_whole_cents(analysis: Analysis) -> None:
    ws = _load(analysis)["Objectives"]
    benefit = _row(ws, PROGRAMME)["Benefit"]
    assert benefit.value == 235200.00
    assert benefit.number_format == '"€"#,##0.00'
    assert _row(ws, PROGRAMME)["Progress"].number_format == "0.0%"


def test_status_and_verdict_cells_are_coloured(analysis: Analysis) -> None:
    ws = _load(analysis)["Objectives"]
    for label, status in [("On track", "on_track"), ("Off track", "off_track")]:
        cell = _find(ws, label)
        fills = {str(s): colour for s, colour in STATUS_FILLS.items()}
        assert cell.fill.fgColor.rgb.endswith(fills[status])
    assert _find(_load(analysis)["SMART"], "Fail").fill.fgColor.rgb.endswith("FFC7CE")


def test_charts_sit_on_the_right_sheets(analysis: Analysis) -> None:
    workbook = build_workbook(analysis, lang=Lang.EN)
    kpi_objectives = [o for _, o in analysis.objectives() if o.kpi is not None and o.series]
    summary_charts = workbook["Summary"]._charts
    assert [type(chart) for chart in summary_charts] == [BarChart]
    trend_charts = workbook["Trends"]._charts
    assert len(trend_charts) == len(kpi_objectives)
    assert all(isinstance(chart, LineChart) for chart in trend_charts)
    assert all(len(chart.series) == 3 for chart in trend_charts)  # value, target, start
    for name in ("Objectives", "SMART", "ROI", "Data", "Audit"):
        assert workbook[name]._charts == []
    reread = _load(analysis)
    assert len(reread["Trends"]._charts) == len(kpi_objectives)
    assert len(reread["Summary"]._charts) == 1


def test_chart_data_marks_the_programme_start(analysis: Analysis) -> None:
    ws = _load(analysis)["Trends"]
    header = _find(ws, "Programme start")
    starts = [
        ws.cell(row=row, column=1).value
        for row in range(header.row + 1, header.row + 8)
        if ws.cell(row=row, column=4).value is not None
    ]
    assert starts == ["2026-01"]
    assert ws.cell(row=header.row + 1, column=3).value == 14400


@pytest.mark.parametrize("lang", list(Lang))
def test_every_sheet_has_frozen_headers_filters_widths_and_landscape(
    analysis: Analysis, lang: Lang
) -> None:
    for ws in _load(analysis, lang):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.page_setup.orientation == "landscape"
        assert ws.column_dimensions["A"].width >= 8
    assert _load(analysis, lang).worksheets[5].auto_filter.ref == "A1:L50"


def test_hostile_text_is_stored_as_text(analysis: Analysis) -> None:
    workbook = _load(analysis)
    for text in (*HOSTILE, SCRIPT, QUOTES, TAB_FORMULA):
        cell = _find(workbook["Objectives"] if text != TAB_FORMULA else workbook["ROI"], text)
        assert cell.data_type == "s"
        assert cell.value == text
    assert _find(workbook["Audit"], "=1+1").data_type == "s"
    assert _find(workbook["Objectives"], HOSTILE[0]).quotePrefix


def test_no_formula_anywhere_in_the_file(analysis: Analysis) -> None:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(analysis, lang=Lang.EN))) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name)


def test_no_raw_participant_names(analysis: Analysis) -> None:
    for ws in _load(analysis):
        for row in ws.iter_rows(values_only=True):
            assert PARTICIPANT not in row


def test_data_sheet_has_one_row_per_series_period(analysis: Analysis) -> None:
    ws = _load(analysis)["Data"]
    expected = (
        sum(len(trend.periods) for trend in analysis.kpis)
        + sum(len(o.series) for _, o in analysis.objectives())
        + sum(len(g.series) for c in analysis.cohorts for g in c.groups)
    )
    assert ws.max_row == 1 + expected


def test_audit_sheet(analysis: Analysis) -> None:
    ws = _load(analysis)["Audit"]
    assert _find(ws, "Configuration SHA-256").offset(column=1).value == "c" * 64
    source = _find(ws, "sample_data/web_kpis.csv")
    assert source.offset(column=1).value == "ab" * 32
    assert source.offset(column=2).value == 120
    assert (
        source.offset(column=7).value == "delimiter=';'; decimal=','; header_row=3; dayfirst=True"
    )
    _find(ws, "customers")
    _find(ws, "phillips.estimates_confidence")


def test_french_labels_and_currency_format(analysis: Analysis) -> None:
    ws = _load(analysis, Lang.FR)["Synthèse"]
    assert ws["A1"].value == "Indicateur"
    assert ws["D1"].value == "Portefeuille"
    costs = _find(ws, "Coûts")
    assert costs.offset(column=1).number_format == '#,##0.00 "€"'
    _find(ws, "ROI % – prudent")
    assert _find(_load(analysis, Lang.FR)["Objectifs"], "En bonne voie").data_type == "s"


def test_currency_format_follows_the_currency(analysis: Analysis) -> None:
    from dataclasses import replace

    assert currency_format(replace(analysis, currency="USD"), Lang.EN) == '"$"#,##0.00'
    assert currency_format(replace(analysis, currency="CHF"), Lang.EN) == '"CHF "#,##0.00'
    assert currency_format(replace(analysis, currency="EUR"), Lang.FR) == '#,##0.00 "€"'


def test_identical_inputs_give_identical_workbooks() -> None:
    first, second = build_analysis(), build_analysis()
    assert workbook_bytes(first, lang=Lang.EN) == workbook_bytes(second, lang=Lang.EN)
    values = [
        [list(ws.iter_rows(values_only=True)) for ws in _load(analysis)]
        for analysis in (first, second)
    ]
    assert values[0] == values[1]


def test_document_dates_come_from_the_as_of_date(analysis: Analysis) -> None:
    properties = _load(analysis).properties
    assert properties.created == datetime(2026, 6, 30)
    assert properties.modified == datetime(2026, 6, 30)
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(analysis, lang=Lang.EN))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 6, 30, 0, 0, 0)}


def test_write_workbook_writes_the_file(analysis: Analysis, tmp_path: Path) -> None:
    path = tmp_path / "reports" / "roi.xlsx"
    write_workbook(analysis, path, lang=Lang.FR)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS[Lang.FR]
    assert [p.name for p in path.parent.iterdir()] == ["roi.xlsx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook(analysis: Analysis, tmp_path: Path) -> None:
    source = tmp_path / "roi.xlsx"
    write_workbook(analysis, source, lang=Lang.EN)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "roi.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
