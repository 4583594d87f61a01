"""The workbook's "Since last report" sheet: what moved since the previous run, one line each,
then each programme's ROI % to date run by run, as a table and a line chart."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor

from roicli.enums import Lang
from roicli.i18n import t
from roicli.model import Analysis
from roicli.render.view import changes_heading, changes_lines, runs_rows
from roicli.render.workbook_sheet import DATE, PERCENT, Col, Sheet, Table
from roicli.rounding import figure

CHART_ROWS = 16  # rows the chart takes
CHART_COLUMNS = 3  # the chart spans at least this many columns …
CHART_WIDTH = 75  # … together at least this wide (column-width units)


def fill_changes(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    """The lines of "since last report", the ROI % table run by run and its chart."""
    sheet.title(changes_heading(analysis, lang) or t("heading.changes", lang))
    for line in changes_lines(analysis, lang):
        sheet.paragraph(line)
    names, rows = runs_rows(analysis)
    if len(rows) < 2:
        return
    columns = [Col(t("col.as_of", lang), DATE), *(Col(name, PERCENT, wrap=True) for name in names)]
    cells = [
        [run.as_of, *(None if value is None else figure(value / 100, 6) for value in row)]
        for run, row in zip(analysis.runs, rows, strict=True)
    ]
    span = sheet.table(Table(columns, cells, heading=t("heading.roi_runs", lang)))
    assert span is not None
    sheet.print_columns = max(span.width, CHART_COLUMNS)  # room for the chart
    for column in range(1, sheet.print_columns + 1):
        sheet.widths[column] = max(sheet.widths.get(column, 0), CHART_WIDTH / CHART_COLUMNS)
    chart = LineChart()
    chart.title = t("heading.roi_runs", lang)
    chart.y_axis.numFmt = "0%"
    chart.y_axis.title = t("col.roi_pct", lang)
    chart.x_axis.number_format = "d mmm yyyy"
    chart.x_axis.delete = False
    chart.x_axis.tickLblPos = "low"
    chart.y_axis.delete = False
    chart.add_data(
        Reference(sheet.ws, min_col=2, max_col=span.width, min_row=span.header, max_row=span.last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=span.first, max_row=span.last))
    chart.legend.position = "b"
    for series in chart.series:
        series.smooth = False
    sheet.skip(1)
    top = sheet.next_row - 1  # anchors count rows and columns from 0
    chart.anchor = TwoCellAnchor(
        _from=AnchorMarker(col=0, row=top),
        to=AnchorMarker(col=sheet.print_columns, row=top + CHART_ROWS),
    )
    sheet.ws.add_chart(chart)
    sheet.skip(CHART_ROWS)
