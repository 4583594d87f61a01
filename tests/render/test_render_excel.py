"""The workbook, read back with openpyxl: sheets, values, formats, charts, safety, determinism."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from tests.render.conftest import (
    HOSTILE,
    MEASURABLE_FROM,
    MENTORING,
    PROGRAMME,
    PSEUDONYMS,
    QUOTES,
    SCRIPT,
    TAB_FORMULA,
    build_analysis,
)

from roicli.enums import Lang
from roicli.i18n import fmt_date, t
from roicli.model import Analysis
from roicli.outputs import write_atomic
from roicli.render.excel import (
    STATUS_FILLS,
    build_workbook,
    currency_format,
    workbook_bytes,
)

SHEETS = {
    Lang.EN: [
        *("Summary", "Evaluation", "Assumptions", "Objectives", "SMART", "ROI", "Trends"),
        *("Data", "Audit"),
    ],
    Lang.FR: [
        *("Synthèse", "Évaluation", "Hypothèses", "Objectifs", "SMART", "ROI", "Tendances"),
        *("Données", "Audit"),
    ],
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


def _summary(ws: Any, label: str, lang: Lang = Lang.EN) -> dict[str, Any]:
    """The Summary's row for a figure, keyed by programme (and "Portfolio")."""
    header = _find(ws, t("col.indicator", lang)).row
    row = next(c.row for c in ws["A"] if c.row > header and c.value == label)
    names = [cell.value for cell in ws[header]]
    return {name: ws.cell(row=row, column=i) for i, name in enumerate(names, 1) if name}


def test_summary_has_a_column_per_programme_and_the_portfolio(analysis: Analysis) -> None:
    ws = _load(analysis)["Summary"]
    assert ws["A1"].value == "Training ROI report"
    assert ws["A2"].value == "As of: 30 Jun 2026"
    header = _find(ws, "Indicator").row
    assert [cell.value for cell in ws[header]][:4] == [
        *("Indicator", PROGRAMME, MENTORING, "Portfolio")
    ]
    # Costs and benefits add up the Assumptions sheet's cells; the ratios are formulas on
    # them, so that changing an input moves the ROI (LibreOffice recalculates them in
    # test_workbook_office.py).
    costs = _summary(ws, "Costs (fully loaded)")
    assert costs[PROGRAMME].value.startswith("=SUM('Assumptions'!")
    assert costs[PROGRAMME].number_format == '"€"#,##0.00'
    benefits = _summary(ws, "Benefits (isolated)")
    assert benefits[PROGRAMME].value.startswith("=SUM('Assumptions'!")
    # The pending programme has no benefit, no ratio and stays out of the portfolio's sums.
    assert benefits[MENTORING].value == "too early to tell"
    assert _summary(ws, "ROI %")[MENTORING].value == "too early to tell"
    assert costs["Portfolio"].value == f"=SUM({costs[PROGRAMME].coordinate})"
    roi = _summary(ws, "ROI %")[PROGRAMME]
    assert roi.value == f'=IF({costs[PROGRAMME].coordinate}=0,"n/a",' + (
        f"({benefits[PROGRAMME].coordinate}-{costs[PROGRAMME].coordinate})"
        f"/{costs[PROGRAMME].coordinate})"
    )
    assert roi.number_format == "0.0%"
    assert _summary(ws, "Start")[PROGRAMME].value == datetime(2026, 1, 15)
    assert _summary(ws, "Months counted")[PROGRAMME].value == 5  # January to May 2026
    note = _summary(ws, "Note")[MENTORING].value
    assert note.startswith("Too early to tell: measurable from 1 Sep 2026")
    assert "no objective can be measured yet: too early to tell, not a loss" in note


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
def test_every_sheet_prints_on_a4_one_page_wide_with_frozen_headers(
    analysis: Analysis, lang: Lang
) -> None:
    workbook = _load(analysis, lang)
    for ws in workbook:
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.fitToWidth == 1
        assert ws.column_dimensions["A"].width >= 8
    summary, objectives, data = (workbook.worksheets[i] for i in (0, 3, 7))
    assert summary.page_setup.orientation == "portrait"  # one printed page for management
    assert summary.freeze_panes is None
    assert objectives.freeze_panes == "C2"  # programme and id stay in view
    assert objectives.page_setup.orientation == "landscape"
    # Data rows: 9 KPI-trend points + 32 objective points (4 × 7 sessions and 4 retention
    # months) + 10 cohort points, under the header.
    assert data.auto_filter.ref == "A1:L52"


def test_hostile_text_is_stored_as_text(analysis: Analysis) -> None:
    workbook = _load(analysis)
    for text in (*HOSTILE, SCRIPT, QUOTES, TAB_FORMULA):
        cell = _find(workbook["Objectives"] if text != TAB_FORMULA else workbook["ROI"], text)
        assert cell.data_type == "s"
        assert cell.value == text
    assert _find(workbook["Audit"], "=1+1").data_type == "s"
    assert _find(workbook["Objectives"], HOSTILE[0]).quotePrefix


def test_formulas_only_on_the_summary_and_assumptions(analysis: Analysis) -> None:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(analysis, lang=Lang.EN))) as archive:
        sheets = sorted(name for name in archive.namelist() if name.startswith("xl/worksheets/s"))
        with_formulas = [name for name in sheets if b"<f>" in archive.read(name)]
    # sheet1 is the Summary, sheet3 the Assumptions: the workbook's own formulas only.
    assert with_formulas == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"]


def test_no_participant_is_named(analysis: Analysis) -> None:
    # The analysis names participants only by pseudonym; the workbook names none, not even so.
    named = {row.participant for _, o in analysis.objectives() for row in o.estimates}
    assert named == set(PSEUDONYMS)
    for ws in _load(analysis):
        for row in ws.iter_rows(values_only=True):
            assert not named & set(row)


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
    # What was detected, in words (no "decimal=None"), and each rule by its name, not its id.
    assert source.offset(column=7).value == (
        "separator: ; · decimal mark: , · header row: 3 · day before month: yes"
    )
    _find(ws, "customers")
    _find(ws, "Estimates adjusted for confidence")
    for row in ws.iter_rows(values_only=True):
        assert not any(isinstance(cell, str) and "phillips." in cell for cell in row)


def test_french_labels_and_currency_format(analysis: Analysis) -> None:
    ws = _load(analysis, Lang.FR)["Synthèse"]
    assert ws["A1"].value == "Rapport de ROI de la formation"
    header = _find(ws, "Indicateur")
    assert header.offset(column=3).value == "Portefeuille"
    costs = _find(ws, "Coûts (complets)")
    assert costs.offset(column=1).number_format == '#,##0.00 "€"'
    _find(ws, "La formation est-elle rentable ?")
    assert _find(_load(analysis, Lang.FR)["Objectifs"], "En bonne voie").data_type == "s"


def _table(ws: Any, header: str, key: str, first: object) -> dict[str, Any]:
    """The cells of the row whose `key` column holds `first`, in the table whose header row
    has a `header` column, keyed by that header row."""
    top = _find(ws, header).row
    headers = [cell.value for cell in ws[top]]
    column = headers.index(key) + 1
    row = next(r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, column).value == first)
    return {h: ws.cell(row=row, column=i) for i, h in enumerate(headers, 1) if h is not None}


@pytest.mark.parametrize("lang", list(Lang))
def test_a_pending_programme_has_no_roi_and_no_loss(analysis: Analysis, lang: Lang) -> None:
    workbook = _load(analysis, lang)
    ws = workbook[SHEETS[lang][0]]
    labels = {cell.value: cell.row for cell in ws["A"] if isinstance(cell.value, str)}
    mentoring = _find(ws, MENTORING).column
    checked = [
        label
        for key in ("col.net_benefit", "col.roi_pct", "col.bcr", "col.payback", "col.break_even")
        for label in labels
        if label.startswith(t(key, lang))  # to date, first year and each scenario
    ]
    assert len(checked) >= 5
    for label in checked:  # left empty or said in words: never a figure, never a loss
        value = ws.cell(row=labels[label], column=mentoring).value
        assert value is None or isinstance(value, str), label
    note = _summary(ws, t("col.note", lang), lang)[MENTORING].value
    assert note.startswith(t("view.pending", lang).format(day=fmt_date(MEASURABLE_FROM, lang)))
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(value, str) and "-100" in value for value in row)


def test_stale_data_show_on_the_summary(analysis: Analysis) -> None:
    _find(_load(analysis)["Summary"], "Organic sessions: data to 31 May 2026, 1 month behind")
    french = _load(analysis, Lang.FR)["Synthèse"]
    _find(french, "Organic sessions : données jusqu'au 31 mai 2026, 1 mois de retard")


def test_estimates_show_their_effective_share_not_a_hundred_percent(analysis: Analysis) -> None:
    ws = _load(analysis)["ROI"]
    row = _table(ws, "Share counted", "ID", "coaching-estimates")
    assert row["Attribution"].value is None  # each estimate carries its own
    assert row["Confidence"].value is None
    # 20,000 × 50 % × 90 % + 5,000 × 40 % × 0 (no confidence) = 9,000 of 25,000: 36 %.
    assert row["Share counted"].value == 0.36
    assert row["Share counted"].number_format == "0.0%"
    assert row["Benefit"].value == 3750  # 9,000 a year × 5/12 to date
    trained = _table(ws, "Share counted", "ID", "seo-traffic")
    assert (trained["Attribution"].value, trained["Confidence"].value) == (0.5, 0.8)
    assert trained["Share counted"].value == 0.4


def test_a_level_1_benefit_is_not_counted(analysis: Analysis) -> None:
    row = _table(_load(analysis)["ROI"], "Share counted", "ID", "nps")
    assert row["Benefit"].value is None
    assert row["Note"].value == "not counted (level 1): -€7.20"  # 3 × −3 points × €0.80
    assert row["Share counted"].value == 1  # a loss counts in full


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
    write_atomic(path, workbook_bytes(analysis, lang=Lang.FR))
    assert openpyxl.load_workbook(path).sheetnames == SHEETS[Lang.FR]
    assert [p.name for p in path.parent.iterdir()] == ["roi.xlsx"]
