"""The management workbook: seven sheets, native charts, number formats, print-ready.

Only aggregated figures from the Analysis go in, rounded as everywhere else (money half-up to
cents, percentages to one decimal). Text from the config or the data is always stored as a
string cell, so it can never become a formula. Identical inputs give identical bytes: document
dates and zip timestamps come from the as-of date.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.writer.excel import ExcelWriter

from roicli.enums import Basis, Lang, Status, Verdict
from roicli.i18n import fmt_date, fmt_settings, labelled, role_label, smart_label, t, term
from roicli.messages import localize
from roicli.model import (
    Analysis,
    Finding,
    ObjectiveResult,
    PeriodPoint,
    PrePost,
    ProgramResult,
    RoiFigures,
)
from roicli.outputs import write_atomic
from roicli.render.safety import is_formula_like
from roicli.render.view import (
    benefit_text,
    pending_costs_line,
    program_notes,
    shows_progress,
    stale_lines,
)
from roicli.rounding import figure, money_float

CellValue = str | float | int | date | None

MONEY = "money"  # replaced by the analysis currency's format when written
PERCENT = "0.0%"
NUMBER = "#,##0.00"
RATIO = "0.00"
R2 = "0.000"
MONTHS = "0.0"
INTEGER = "#,##0"
DATE = "d mmm yyyy"

MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 8, 50, 12
SUMMARY_WIDTH = 24
LINE_HEIGHT = 15  # points per line of wrapped text
WRAP_SLACK = 0.8  # word wrapping and bold type fill a line less than its width
PAGE_WIDTH = 170  # column-width units that fit across a landscape A4 page, slightly shrunk
CHART_ROWS = 19

STATUS_FILLS = {
    Status.ACHIEVED: "C6EFCE",
    Status.ON_TRACK: "E2EFDA",
    Status.AT_RISK: "FFEB9C",
    Status.OFF_TRACK: "FFC7CE",
    Status.MISSED: "FFC7CE",
    Status.NOT_YET_MEASURABLE: "EDEDED",
    Status.NO_DATA: "D9D9D9",
    Status.ESTIMATED: "DDEBF7",
}
VERDICT_FILLS = {Verdict.PASS: "C6EFCE", Verdict.WARN: "FFEB9C", Verdict.FAIL: "FFC7CE"}
HEADER_FILL = "DCE6F1"
VALUE_COLOUR, TARGET_COLOUR, START_COLOUR = "2563EB", "15803D", "B91C1C"


@dataclass(frozen=True)
class Col:
    """A table column: its header label and the number format of its cells."""

    header: str
    fmt: str | None = None
    wrap: bool = False
    limit: int = MAX_WIDTH  # widest the column may grow; longer text wraps


@dataclass(frozen=True)
class Styled:
    """A cell value with its own fill (status, verdict) or number format (transposed tables)."""

    value: CellValue
    fill: str | None = None
    fmt: str | None = None


Row = Sequence[CellValue | Styled]


@dataclass(frozen=True)
class Table:
    """A block of rows under one header row, with an optional section heading."""

    columns: Sequence[Col]
    rows: Sequence[Row]
    heading: str | None = None


@dataclass(frozen=True)
class Span:
    """Where a written table sits: its header row and its last row."""

    header: int
    last: int
    width: int


def write_workbook(analysis: Analysis, path: Path, *, lang: Lang) -> None:
    """Write the workbook to path atomically."""
    write_atomic(path, workbook_bytes(analysis, lang=lang))


def workbook_bytes(analysis: Analysis, *, lang: Lang) -> bytes:
    """The workbook as .xlsx bytes, identical for identical inputs."""
    workbook = build_workbook(analysis, lang=lang)
    buffer = io.BytesIO()
    # ExcelWriter directly: save_workbook would stamp the current time as "modified".
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip_times(buffer.getvalue(), analysis.as_of)


def build_workbook(analysis: Analysis, *, lang: Lang) -> Any:
    """The openpyxl Workbook with every sheet filled in."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = datetime.combine(analysis.as_of, time())
    workbook.properties.creator = f"roicli {analysis.version}"
    workbook.properties.title = t("report.title", lang)
    workbook.properties.language = lang.value
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    page_title = f"{t('report.title', lang)} – {fmt_date(analysis.as_of, lang)}"
    for key, fill in _SHEETS:
        sheet = _Sheet(workbook.create_sheet(t(key, lang)), currency_format(analysis, lang))
        fill(sheet, analysis, lang)
        sheet.finish(page_title)
    return workbook


def currency_format(analysis: Analysis, lang: Lang) -> str:
    """An Excel number format showing the analysis currency's symbol where lang puts it."""
    symbol = str(get_currency_symbol(analysis.currency, locale=lang.value)).replace('"', "")
    if lang is Lang.FR:
        return f'#,##0.00 "{symbol}"'
    spaced = f"{symbol} " if symbol[-1:].isalpha() else symbol
    return f'"{spaced}"#,##0.00'


class _Sheet:
    """A worksheet filled top to bottom with tables, sized and set up for print at the end."""

    def __init__(self, worksheet: Any, money_format: str) -> None:
        self.ws = worksheet
        self.money_format = money_format
        self.next_row = 1
        self.spans: list[Span] = []
        self.widths: dict[int, float] = {}
        self.wrapped: list[tuple[int, int, str]] = []
        self.one_page = False

    def table(self, table: Table) -> Span | None:
        """Write a table below the previous one; an empty secondary table is left out."""
        if self.spans and not table.rows:
            return None
        if self.spans:
            self.next_row += 1
        if table.heading:
            self.heading(table.heading)
        header = self.next_row
        for column, col in enumerate(table.columns, start=1):
            self._header_cell(header, column, col.header)
        for offset, row in enumerate(table.rows, start=1):
            for column, (col, item) in enumerate(zip(table.columns, row, strict=True), start=1):
                self._cell(header + offset, column, col, item)
        span = Span(header, header + len(table.rows), len(table.columns))
        self.spans.append(span)
        self.next_row = span.last + 1
        return span

    def heading(self, text: str) -> None:
        """A bold section heading on its own row (not counted in column widths)."""
        cell = self.ws.cell(row=self.next_row, column=1)
        _set_text(cell, text)
        cell.font = Font(bold=True, size=12)
        self.next_row += 1

    def skip(self, rows: int) -> None:
        """Leave room, e.g. for a chart."""
        self.next_row += rows

    def finish(self, page_title: str) -> None:
        """Freeze and filter the first table, fit the columns, set up landscape printing."""
        if self.spans:
            first = self.spans[0]
            self.ws.freeze_panes = self.ws.cell(row=first.header + 1, column=1)
            last_column = get_column_letter(first.width)
            self.ws.auto_filter.ref = (
                f"A{first.header}:{last_column}{max(first.last, first.header)}"
            )
        for column, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(column)].width = width
        self._fit_row_heights()
        self._print_setup(page_title)

    def _fit_row_heights(self) -> None:
        """Room for every line of wrapped text (not every viewer grows rows by itself)."""
        lines: dict[int, int] = {}
        for row, column, text in self.wrapped:
            count = _line_count(text, self.widths.get(column, MIN_WIDTH) - 2)
            lines[row] = max(lines.get(row, 1), count)
        for row, count in sorted(lines.items()):
            if count > 1:
                self.ws.row_dimensions[row].height = LINE_HEIGHT * count

    def _print_setup(self, page_title: str) -> None:
        """Landscape, as many pages across as the columns need, titles repeated on each."""
        pages_across = max(1, math.ceil(sum(self.widths.values()) / PAGE_WIDTH))
        setup = self.ws.page_setup
        setup.orientation = "landscape"
        setup.fitToWidth = 1 if self.one_page else pages_across
        setup.fitToHeight = 1 if self.one_page else 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        if len(self.spans) == 1:
            # One table: its header and its first columns again on every printed page.
            header = self.spans[0].header
            self.ws.print_title_rows = f"{header}:{header}"
            if setup.fitToWidth > 1:
                self.ws.print_title_cols = "A:B"
        self.ws.oddHeader.center.text = page_title.replace("&", "&&")
        self.ws.oddFooter.right.text = "&P / &N"

    def _header_cell(self, row: int, column: int, text: str) -> None:
        cell = self.ws.cell(row=row, column=column)
        _set_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=Side(style="thin"))
        self.wrapped.append((row, column, text))
        self._fit(column, min(len(text), HEADER_WIDTH))

    def _cell(self, row: int, column: int, col: Col, item: CellValue | Styled) -> None:
        styled = item if isinstance(item, Styled) else Styled(item)
        cell = self.ws.cell(row=row, column=column)
        value = styled.value
        if isinstance(value, str):
            _set_text(cell, value)
        elif value is not None:
            cell.value = value
            fmt = styled.fmt or col.fmt
            fmt = self.money_format if fmt == MONEY else fmt
            cell.number_format = fmt or "General"
        if styled.fill:
            cell.fill = _fill(styled.fill)
        cell.alignment = _top(wrap=col.wrap)
        if col.wrap and isinstance(value, str):
            self.wrapped.append((row, column, value))
        self._fit(column, _display_width(value), col.limit)

    def _fit(self, column: int, length: float, limit: int = MAX_WIDTH) -> None:
        width = max(MIN_WIDTH, min(limit, length + 2))
        self.widths[column] = max(self.widths.get(column, MIN_WIDTH), width)


# openpyxl shares a style among the cells it is given to: one instance each, not one per cell
# (building them was a third of a workbook's time).
@cache
def _top(*, wrap: bool) -> Alignment:
    return Alignment(wrap_text=wrap, vertical="top")


@cache
def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color)


def _set_text(cell: Any, text: str) -> None:
    """Store text as a string cell whatever it starts with: never a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"
    if is_formula_like(text):
        # Also keeps Excel from re-reading it as a formula when someone edits the cell.
        cell.quotePrefix = True


def _line_count(text: str, width: float) -> int:
    """Lines that wrapped text takes in a column of that many characters."""
    per_line = max(1.0, width * WRAP_SLACK)
    return sum(
        1 if len(line) <= width else math.ceil(len(line) / per_line) for line in text.splitlines()
    )


def _display_width(value: CellValue) -> float:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, date):
        return 11
    return len(f"{value:,.2f}") + 1


# --- value helpers: rounding at the edge, never new figures ---------------------------------


def _points(value: float | None) -> float | None:
    """A percentage in points, shown with one decimal, as the fraction Excel's % format wants."""
    return None if value is None else figure(_rounded(value, 1) / 100, 4)


def _share(value: float | None) -> float | None:
    """A fraction (progress, attribution, confidence) to one decimal of a percent."""
    return figure(value, 3)


def _rounded(value: float, decimals: int) -> float:
    rounded = figure(value, decimals)
    assert rounded is not None
    return rounded


def _status(status: Status, lang: Lang) -> Styled:
    return Styled(term(status, lang), STATUS_FILLS[status])


def _verdict(verdict: Verdict, lang: Lang) -> Styled:
    return Styled(term(verdict, lang), VERDICT_FILLS[verdict])


def _yes_no(flag: bool, lang: Lang) -> str:
    return t("yes" if flag else "no", lang)


def _col(lang: Lang, key: str, fmt: str | None = None, *, wrap: bool = False) -> Col:
    return Col(t(key, lang), fmt, wrap)


# --- Summary --------------------------------------------------------------------------------


def _summary(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    """One column per programme plus the portfolio, one row per figure: a printable page."""
    programs = analysis.programs
    columns = [
        _col(lang, "col.indicator"),
        *(Col(program.name, wrap=True, limit=SUMMARY_WIDTH) for program in programs),
        _col(lang, "heading.portfolio"),
    ]
    figures = _summary_rows(analysis, lang)
    sheet.one_page = True  # the page management prints
    main = sheet.table(Table(columns, [[label, *cells] for label, cells in figures]))
    sheet.table(
        Table(
            [_col(lang, "col.programme", wrap=True), _col(lang, "col.rank", INTEGER)],
            [[name, rank] for rank, name in enumerate(analysis.portfolio.ranking, start=1)],
            heading=t("heading.ranking", lang),
        )
    )
    stale = stale_lines(analysis, lang)
    if stale:
        sheet.table(
            Table(
                [_col(lang, "col.note", wrap=True)],
                [[line] for line in stale],
                heading=t("heading.freshness", lang),
            )
        )
    if main is not None and programs:
        labels = [label for label, _ in figures]
        roi_row = main.header + 1 + labels.index(t("col.roi_pct", lang))
        _roi_bar_chart(sheet, main, roi_row=roi_row, programs=len(programs), lang=lang)


def _summary_rows(analysis: Analysis, lang: Lang) -> list[tuple[str, list[Styled]]]:
    """(label, one cell per programme then the portfolio's) for each figure of the Summary."""
    programs, portfolio = analysis.programs, analysis.portfolio.figures

    def row(
        key: str, fmt: str | None, values: Sequence[CellValue], total: CellValue = None
    ) -> tuple[str, list[Styled]]:
        return t(key, lang), [Styled(value, fmt=fmt) for value in [*values, total]]

    figures = [program.figures for program in programs]
    rows = [
        row("col.method", None, [term(program.method, lang) for program in programs]),
        row("col.start", DATE, [program.start for program in programs]),
        row("col.end", DATE, [program.end for program in programs]),
        row("col.participants", INTEGER, [program.participants for program in programs]),
        row("col.months_counted", INTEGER, [program.months_counted for program in programs]),
        *(
            row(key, fmt, [cell(f) for f in figures], cell(portfolio))
            for key, fmt, cell in _FIGURE_ROWS
        ),
    ]
    first_year = [program.first_year for program in programs]
    year = term(Basis.FIRST_YEAR, lang)
    for key, fmt, cell in _FIGURE_ROWS[1:4]:
        label, cells = row(
            key, fmt, [cell(f) for f in first_year], cell(analysis.portfolio.first_year)
        )
        rows.append((f"{label} – {year}", cells))
    roi = t("col.roi_pct", lang)
    for key in ("conservative", "base", "optimistic"):
        values = [_points(getattr(program.sensitivity, key)) for program in programs]
        total = _points(getattr(analysis.portfolio.sensitivity, key))
        label, cells = row(f"col.{key}", PERCENT, values, total)
        rows.append((f"{roi} – {label.lower()}", cells))
    rows.append(
        row(
            "col.note",
            None,
            [
                " ".join([*program_notes(p, analysis, lang), localize(p.figures.note, lang) or ""])
                for p in programs
            ],
            " ".join(
                filter(None, [localize(portfolio.note, lang), pending_costs_line(analysis, lang)])
            ),
        )
    )
    return rows


_FIGURE_ROWS: tuple[tuple[str, str, Callable[[RoiFigures], CellValue]], ...] = (
    ("col.costs", MONEY, lambda f: money_float(f.costs)),
    ("col.benefits", MONEY, lambda f: money_float(f.benefits)),
    ("col.net_benefit", MONEY, lambda f: money_float(f.net_benefit)),
    ("col.roi_pct", PERCENT, lambda f: _points(f.roi_pct)),
    ("col.bcr", RATIO, lambda f: figure(f.bcr, 2)),
    ("col.payback", MONTHS, lambda f: figure(f.payback_months, 1)),
    ("col.break_even", RATIO, lambda f: figure(f.break_even_factor, 2)),
)


def _roi_bar_chart(sheet: _Sheet, main: Span, *, roi_row: int, programs: int, lang: Lang) -> None:
    """ROI % per programme, drawn from the Summary's ROI row."""
    chart = BarChart()
    chart.type = "col"
    chart.title = t("heading.roi_chart", lang)
    chart.legend = None
    chart.y_axis.numFmt = "0%"
    chart.y_axis.title = t("col.roi_pct", lang)
    chart.x_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # names below the bars, even when ROI is negative
    chart.y_axis.delete = False
    last = 1 + programs
    data = Reference(sheet.ws, min_col=1, max_col=last, min_row=roi_row, max_row=roi_row)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(
        Reference(sheet.ws, min_col=2, max_col=last, min_row=main.header, max_row=main.header)
    )
    chart.width, chart.height = 18, 8
    sheet.next_row += 1
    sheet.ws.add_chart(chart, f"A{sheet.next_row}")
    sheet.skip(CHART_ROWS)


# --- Objectives and SMART -------------------------------------------------------------------


def _objectives(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.objective", wrap=True),
        _col(lang, "col.kpi"),
        _col(lang, "col.level"),
        _col(lang, "col.group"),
        _col(lang, "col.owner"),
        _col(lang, "col.business_goal", wrap=True),
        _col(lang, "col.isolation"),
        _col(lang, "col.deadline", DATE),
        _col(lang, "col.unit"),
        _col(lang, "col.baseline", NUMBER),
        _col(lang, "col.target", NUMBER),
        _col(lang, "col.current", NUMBER),
        _col(lang, "col.current_period"),
        _col(lang, "col.progress", PERCENT),
        _col(lang, "col.projected", NUMBER),
        _col(lang, "col.before_mean", NUMBER),
        _col(lang, "col.after_mean", NUMBER),
        _col(lang, "col.change_pct", PERCENT),
        _col(lang, "col.status"),
        _col(lang, "col.status_reason", wrap=True),
        _col(lang, "col.periods_counted", INTEGER),
        _col(lang, "col.benefit", MONEY),
        _col(lang, "col.smart"),
    ]
    rows = [
        _objective_row(program, objective, lang) for program, objective in analysis.objectives()
    ]
    sheet.table(Table(columns, rows))


def _objective_row(program: ProgramResult, objective: ObjectiveResult, lang: Lang) -> Row:
    return [
        program.name,
        objective.id,
        objective.title,
        objective.kpi_label or objective.kpi,
        term(objective.level, lang) if objective.level else None,
        objective.group,
        objective.owner,
        objective.business_goal,
        term(objective.isolation, lang),
        objective.deadline,
        objective.unit,
        figure(objective.baseline),
        figure(objective.target),
        figure(objective.current),
        objective.current_period,
        _share(objective.progress if shows_progress(objective) else None),
        figure(objective.projected),
        *_pre_post_cells(objective.pre_post),
        _status(objective.status, lang),
        localize(objective.status_reason, lang),
        objective.periods_counted,
        money_float(objective.benefit),
        _verdict(objective.smart.worst, lang),
    ]


def _pre_post_cells(comparison: PrePost | None) -> list[CellValue]:
    if comparison is None:
        return [None, None, None]
    return [
        figure(comparison.before_mean),
        figure(comparison.after_mean),
        _points(comparison.change_pct),
    ]


def _smart(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.objective", wrap=True),
        _col(lang, "col.criterion"),
        _col(lang, "col.verdict"),
        _col(lang, "col.reason", wrap=True),
        _col(lang, "col.fix", wrap=True),
    ]
    rows = [
        [
            program.name,
            objective.id,
            objective.title,
            smart_label(criterion, lang),
            *_finding_cells(finding, lang),
        ]
        for program, objective in analysis.objectives()
        for criterion, finding in objective.smart.items()
    ]
    sheet.table(Table(columns, rows))


def _finding_cells(finding: Finding, lang: Lang) -> list[CellValue | Styled]:
    return [
        _verdict(finding.verdict, lang),
        localize(finding.reason, lang),
        localize(finding.fix, lang),
    ]


# --- ROI ------------------------------------------------------------------------------------


def _roi(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    programs = analysis.programs
    sheet.table(
        Table(
            [
                _col(lang, "col.programme", wrap=True),
                _col(lang, "col.item", wrap=True),
                _col(lang, "col.category"),
                _col(lang, "col.basis"),
                _col(lang, "col.amount", MONEY),
            ],
            [
                [
                    program.name,
                    line.item,
                    term(line.category, lang),
                    localize(line.basis, lang),
                    money_float(line.amount),
                ]
                for program in programs
                for line in program.costs
            ],
        )
    )
    sheet.table(_benefits_table(analysis, lang))
    sheet.table(_improvements_table(analysis, lang))
    sheet.table(_estimates_table(analysis, lang))
    sheet.table(
        Table(
            [_col(lang, "col.programme", wrap=True), _col(lang, "col.intangible", wrap=True)],
            [[program.name, item] for program in programs for item in program.intangibles],
            heading=t("heading.intangibles", lang),
        )
    )


def _benefits_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.isolation"),
        _col(lang, "col.value_per_unit", MONEY),
        _col(lang, "col.attribution", PERCENT),
        _col(lang, "col.confidence", PERCENT),
        _col(lang, "col.adjustment", PERCENT),
        _col(lang, "col.periods_counted", INTEGER),
        _col(lang, "col.benefit", MONEY),
        _col(lang, "col.note", wrap=True),
    ]
    rows = [
        [
            program.name,
            objective.id,
            term(objective.isolation, lang),
            money_float(objective.value_per_unit),
            _share(objective.attribution),
            _share(objective.confidence),
            _share(objective.adjustment),
            objective.periods_counted,
            money_float(objective.benefit),
            None
            if objective.unconverted_benefit is None
            else benefit_text(objective, analysis.currency, lang),
        ]
        for program, objective in analysis.objectives()
    ]
    return Table(columns, rows, heading=t("heading.benefits", lang))


def _improvements_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.period"),
        _col(lang, "col.value", NUMBER),
        _col(lang, "col.reference", NUMBER),
        _col(lang, "col.improvement", NUMBER),
        _col(lang, "col.benefit", MONEY),
    ]
    rows = [
        [
            program.name,
            objective.id,
            step.period,
            figure(step.value),
            figure(step.reference),
            figure(step.improvement),
            money_float(step.benefit),
        ]
        for program, objective in analysis.objectives()
        for step in objective.improvements
    ]
    return Table(columns, rows, heading=t("heading.improvements", lang))


def _estimates_table(analysis: Analysis, lang: Lang) -> Table:
    """Estimates by their row in the estimates file: the workbook names no participant."""
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.row", INTEGER),
        _col(lang, "col.measure", wrap=True),
        _col(lang, "col.annual_value", MONEY),
        _col(lang, "col.contribution", PERCENT),
        _col(lang, "col.confidence", PERCENT),
        _col(lang, "col.adjusted", MONEY),
    ]
    rows = [
        [
            program.name,
            objective.id,
            row.row,
            row.measure,
            money_float(row.annual_value),
            _share(row.contribution),
            _share(row.confidence),
            money_float(row.adjusted),
        ]
        for program, objective in analysis.objectives()
        for row in objective.estimates
    ]
    return Table(columns, rows, heading=t("heading.estimates", lang))


# --- Trends ---------------------------------------------------------------------------------


def _trends(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    columns = [
        _col(lang, "col.kpi"),
        _col(lang, "col.label", wrap=True),
        _col(lang, "col.unit"),
        _col(lang, "col.direction"),
        _col(lang, "col.aggregation"),
        _col(lang, "col.level"),
        _col(lang, "col.first_period"),
        _col(lang, "col.last_period"),
        _col(lang, "col.last_value", NUMBER),
        _col(lang, "col.slope", NUMBER),
        _col(lang, "col.r2", R2),
        _col(lang, "col.note", wrap=True),
    ]
    rows = [
        [
            trend.key,
            trend.label,
            trend.unit,
            term(trend.direction, lang),
            term(trend.aggregation, lang),
            term(trend.level, lang),
            trend.periods[0].period if trend.periods else None,
            trend.periods[-1].period if trend.periods else None,
            figure(trend.periods[-1].value) if trend.periods else None,
            figure(trend.slope_per_period),
            figure(trend.r2, 3),
            localize(trend.note, lang),
        ]
        for trend in analysis.kpis
    ]
    sheet.table(Table(columns, rows))
    sheet.table(_cohorts_table(analysis, lang))
    for program, objective in analysis.objectives():
        if objective.kpi is not None and objective.series:
            _objective_chart(sheet, program, objective, lang)


def _cohorts_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.objectives"),
        _col(lang, "col.kpi"),
        _col(lang, "col.group"),
        _col(lang, "col.role"),
        _col(lang, "col.before_mean", NUMBER),
        _col(lang, "col.after_mean", NUMBER),
        _col(lang, "col.change_pct", PERCENT),
        _col(lang, "col.before_periods", INTEGER),
        _col(lang, "col.after_periods", INTEGER),
        _col(lang, "col.did", NUMBER),
    ]
    rows = [
        [
            ", ".join(cohort.objectives),
            cohort.kpi,
            group.group,
            role_label(group.role, lang),
            *_pre_post_cells(group.pre_post),
            group.pre_post.before_periods,
            group.pre_post.after_periods,
            figure(cohort.difference_in_differences),
        ]
        for cohort in analysis.cohorts
        for group in cohort.groups
    ]
    return Table(columns, rows, heading=t("heading.cohorts", lang))


def _objective_chart(
    sheet: _Sheet, program: ProgramResult, objective: ObjectiveResult, lang: Lang
) -> None:
    """The objective's periods beside a line chart: value, flat target, programme start."""
    start_point = _start_point(program, objective.series)
    columns = [
        _col(lang, "col.period"),
        _col(lang, "col.value", NUMBER),
        _col(lang, "col.target", NUMBER),
        _col(lang, "col.programme_start", NUMBER),
    ]
    rows = [
        [
            point.period,
            figure(point.value),
            figure(objective.target),
            figure(point.value) if point is start_point else None,
        ]
        for point in objective.series
    ]
    # Each objective prints on its own page: heading, chart, then the periods it draws.
    sheet.ws.row_breaks.append(Break(id=sheet.next_row))
    sheet.skip(1)
    sheet.heading(f"{program.name} · {objective.id} — {objective.title}")
    anchor = sheet.next_row
    sheet.skip(CHART_ROWS)
    span = sheet.table(Table(columns, rows))
    assert span is not None
    sheet.ws.add_chart(_line_chart(sheet.ws, span, program, objective, lang), f"A{anchor}")


def _start_point(program: ProgramResult, series: Sequence[PeriodPoint]) -> PeriodPoint | None:
    """The period that contains the programme's start, if the series has it."""
    return next((p for p in series if p.start <= program.start <= p.end), None)


def _line_chart(
    worksheet: Any,
    span: Span,
    program: ProgramResult,
    objective: ObjectiveResult,
    lang: Lang,
) -> Any:
    chart = LineChart()
    started = labelled(t("col.programme_start", lang), fmt_date(program.start, lang), lang)
    chart.title = f"{objective.kpi_label or objective.kpi} · {objective.id} ({started})"
    chart.y_axis.title = objective.unit or t("col.value", lang)
    chart.x_axis.title = t("col.period", lang)
    chart.x_axis.delete = False
    chart.x_axis.tickLblPos = "low"
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "General"
    chart.width, chart.height = 24, 9
    chart.add_data(
        Reference(worksheet, min_col=2, max_col=4, min_row=span.header, max_row=span.last),
        titles_from_data=True,
    )
    chart.set_categories(
        Reference(worksheet, min_col=1, min_row=span.header + 1, max_row=span.last)
    )
    value, target, start = chart.series
    for series, colour in ((value, VALUE_COLOUR), (target, TARGET_COLOUR)):
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour
    target.graphicalProperties.line.dashStyle = "dash"
    start.smooth = False
    start.graphicalProperties.line.noFill = True
    start.marker.symbol = "triangle"
    start.marker.size = 10
    start.marker.graphicalProperties = GraphicalProperties(solidFill=START_COLOUR)
    start.marker.graphicalProperties.line.solidFill = START_COLOUR
    return chart


# --- Data -----------------------------------------------------------------------------------


def _data(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.id"),
        _col(lang, "col.kpi"),
        _col(lang, "col.group"),
        _col(lang, "col.period"),
        _col(lang, "col.start", DATE),
        _col(lang, "col.end", DATE),
        _col(lang, "col.value", NUMBER),
        _col(lang, "col.change", NUMBER),
        _col(lang, "col.change_pct", PERCENT),
        _col(lang, "col.rolling_mean", NUMBER),
        _col(lang, "col.complete"),
    ]
    everyone = t("all_groups", lang)
    rows = [
        [None, None, trend.key, everyone, *_point_cells(point, lang)]
        for trend in analysis.kpis
        for point in trend.periods
    ]
    rows += [
        [
            program.name,
            objective.id,
            objective.kpi,
            objective.group or everyone,
            *_point_cells(point, lang),
        ]
        for program, objective in analysis.objectives()
        for point in objective.series
    ]
    rows += [
        [None, ", ".join(cohort.objectives), cohort.kpi, group.group, *_point_cells(point, lang)]
        for cohort in analysis.cohorts
        for group in cohort.groups
        for point in group.series
    ]
    sheet.table(Table(columns, rows))


def _point_cells(point: PeriodPoint, lang: Lang) -> list[CellValue]:
    return [
        point.period,
        point.start,
        point.end,
        figure(point.value),
        figure(point.change),
        _points(point.change_pct),
        figure(point.rolling_mean),
        _yes_no(point.complete, lang),
    ]


# --- Audit ----------------------------------------------------------------------------------


def _audit(sheet: _Sheet, analysis: Analysis, lang: Lang) -> None:
    audit = analysis.audit
    settings: list[Row] = [
        [t("col.config", lang), audit.config],
        [t("col.config_sha256", lang), audit.config_sha256],
        [t("col.as_of", lang), fmt_date(analysis.as_of, lang)],
        [t("col.period", lang), term(analysis.period, lang)],
        [t("col.currency", lang), analysis.currency],
        [t("col.include_partial", lang), _yes_no(analysis.include_partial, lang)],
        [t("col.version", lang), analysis.version],
    ]
    sheet.table(Table([_col(lang, "col.setting"), _col(lang, "col.value", wrap=True)], settings))
    sheet.table(_sources_table(analysis, lang))
    sheet.table(_bad_rows_table(analysis, lang))
    sheet.table(
        Table(
            [_col(lang, "col.kpi")],
            [[kpi] for kpi in audit.unused_kpis],
            heading=t("heading.unused_kpis", lang),
        )
    )
    sheet.table(_rules_table(analysis, lang))


def _sources_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.file", wrap=True),
        _col(lang, "col.sha256"),
        _col(lang, "col.rows", INTEGER),
        _col(lang, "col.skipped_rows", INTEGER),
        _col(lang, "col.excluded_rows", INTEGER),
        _col(lang, "col.kpis", wrap=True),
        _col(lang, "col.unmatched", wrap=True),
        _col(lang, "col.detected", wrap=True),
    ]
    rows: list[Row] = [
        [
            source.path,
            source.sha256,
            source.rows,
            source.skipped_rows,
            source.excluded_rows,
            ", ".join(source.kpis),
            ", ".join(source.unmatched),
            fmt_settings(source.detected),
        ]
        for source in analysis.audit.sources
    ]
    return Table(columns, rows, heading=t("heading.sources", lang))


def _bad_rows_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.file", wrap=True),
        _col(lang, "col.row", INTEGER),
        _col(lang, "col.column"),
        _col(lang, "col.value"),
        _col(lang, "col.reason", wrap=True),
    ]
    rows: list[Row] = [
        [source.path, bad.row, bad.column, bad.value, bad.reason]
        for source in analysis.audit.sources
        for bad in source.bad_rows
    ]
    return Table(columns, rows, heading=t("heading.bad_rows", lang))


def _rules_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.programme", wrap=True),
        _col(lang, "col.check"),
        _col(lang, "col.verdict"),
        _col(lang, "col.reason", wrap=True),
        _col(lang, "col.fix", wrap=True),
    ]
    rows = [
        [program.name, finding.check, *_finding_cells(finding, lang)]
        for program in analysis.programs
        for finding in program.rules
    ]
    return Table(columns, rows, heading=t("heading.rules", lang))


_SHEETS = (
    ("sheet.summary", _summary),
    ("sheet.objectives", _objectives),
    ("sheet.smart", _smart),
    ("sheet.roi", _roi),
    ("sheet.trends", _trends),
    ("sheet.data", _data),
    ("sheet.audit", _audit),
)


def _fixed_zip_times(data: bytes, as_of: date) -> bytes:
    """The same archive with every entry dated as_of, so identical inputs give identical bytes."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry))
    return output.getvalue()
