"""The management workbook: nine sheets (ten with "since last report"), live money formulas,
native charts, print-ready.

Summary (one page: verdicts, actions and the figures), Evaluation (each programme's chain of
impact, then its levels 1 to 3), Assumptions (every input that turns data
into money; the Summary's money is formulas over it), Objectives, SMART, ROI, Trends, Data (not
printed) and Audit. Every sheet prints on A4, one page wide, its header or title rows repeated.
Only aggregated figures from the Analysis go in, rounded as everywhere else (money half-up to
cents, percentages to one decimal) except the inputs of formulas, kept as given. Text from the
config or the data is always stored as a string cell, so it can never become a formula.
Identical inputs give identical bytes: document dates and zip timestamps come from the as-of
date.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.writer.excel import ExcelWriter

from roicli.enums import Aggregation, Lang, Status, Verdict
from roicli.i18n import LABELS, fmt_date, fmt_number, labelled, role_label, smart_label, t, term
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
from roicli.paths import shown_path
from roicli.render.fx_view import conversion_pairs
from roicli.render.safety import clean_labels
from roicli.render.tables import (
    FIGURE_ROWS,
    OBJECTIVE_COLUMNS,
    WORDS_ONLY,
    Column,
    Kind,
    Tier,
    columns,
    for_objective,
    smart_marks,
)
from roicli.render.view import (
    YEAR_COLUMNS,
    action_lines,
    benefit_text,
    portfolio_notes,
    program_notes,
    rule_label,
    sent_queries,
    stale_lines,
    summary_paragraph,
    verdict_lines,
)
from roicli.render.workbook_changes import fill_changes
from roicli.render.workbook_evaluation import fill_evaluation
from roicli.render.workbook_formulas import ProgramLinks, assumptions, figure_formulas, total
from roicli.render.workbook_sheet import (
    DATE,
    INTEGER,
    MAX_WIDTH,
    MIN_WIDTH,
    MONEY,
    MONTHS,
    NAME_WIDTH,
    NUMBER,
    PERCENT,
    R2,
    RATIO,
    CellValue,
    Col,
    Formula,
    Row,
    Sheet,
    Span,
    Styled,
    Table,
)
from roicli.rounding import figure, money_float, value_decimals

SUMMARY_WIDTH = 24  # a programme's column on the Summary
TEXT_WIDTH = 20  # the widest a wrapped text column of the Objectives sheet grows
AUDIT_WIDTH = 34  # the Audit's text columns: a SHA-256 on two lines
CHART_BAND = 16  # rows a chart takes, a blank one included
# Beyond these, a workbook would take minutes and gigabytes to write and no one could read it:
# the rest is counted in a note (the JSON report holds every period).
MAX_CHARTS = 100  # objectives charted on the Trends sheet
MAX_DATA_ROWS = 10_000  # rows of the Data sheet
PAGE_SLACK = 0.85  # the share of a page's estimated rows that bands of charts may fill
CHART_GAP = 114300  # EMU (3 mm) between two charts side by side

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
VALUE_COLOUR, TARGET_COLOUR, START_COLOUR = "2563EB", "15803D", "B91C1C"

# The number format each kind of tables.py column is written with.
KIND_FORMATS = {
    Kind.NUMBER: NUMBER,
    Kind.MONEY: MONEY,
    Kind.SHARE: PERCENT,
    Kind.POINTS: PERCENT,
    Kind.RATIO: RATIO,
    Kind.MONTHS: MONTHS,
    Kind.COUNT: INTEGER,
    Kind.WHOLE: INTEGER,
    Kind.DATE: DATE,
    Kind.BENEFIT: MONEY,
}
WRAPPED_KINDS = frozenset({Kind.TEXT, Kind.TERM, Kind.MESSAGE, Kind.BENEFIT})


def workbook_bytes(analysis: Analysis, *, lang: Lang) -> bytes:
    """The workbook as .xlsx bytes, identical for identical inputs."""
    workbook = build_workbook(analysis, lang=lang)
    buffer = io.BytesIO()
    # ExcelWriter directly: save_workbook would stamp the current time as "modified".
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip_times(buffer.getvalue(), analysis.as_of)


def build_workbook(analysis: Analysis, *, lang: Lang) -> Any:
    """The openpyxl Workbook with every sheet filled in."""
    analysis = clean_labels(analysis)
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = datetime.combine(analysis.as_of, time())
    workbook.properties.creator = f"roicli {analysis.version}"
    workbook.properties.title = t("report.title", lang)
    workbook.properties.language = lang.value
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.calculation.fullCalcOnLoad = True  # formulas are stored without their values
    money_format = currency_format(analysis, lang)
    keys: tuple[str, ...] = SHEET_KEYS
    if analysis.changes is not None:  # "since last report", beside the Summary
        keys = (keys[0], "sheet.changes", *keys[1:])
    sheets = {key: Sheet(workbook.create_sheet(t(key, lang)), money_format) for key in keys}
    links = assumptions(sheets["sheet.assumptions"], analysis, lang)
    _summary(sheets["sheet.summary"], analysis, lang, links)
    if "sheet.changes" in sheets:
        fill_changes(sheets["sheet.changes"], analysis, lang)
    for key, fill in _FILLS:
        fill(sheets[key], analysis, lang)
    page_title = f"{t('report.title', lang)} – {fmt_date(analysis.as_of, lang)}"
    for sheet in sheets.values():
        sheet.finish(page_title)
    return workbook


def currency_format(analysis: Analysis, lang: Lang) -> str:
    """An Excel number format showing the analysis currency's symbol where lang puts it."""
    symbol = str(get_currency_symbol(analysis.currency, locale=lang.value)).replace('"', "")
    if lang is Lang.FR:
        return f'#,##0.00 "{symbol}"'
    spaced = f"{symbol} " if symbol[-1:].isalpha() else symbol
    return f'"{spaced}"#,##0.00'


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


def _col(
    lang: Lang, key: str, fmt: str | None = None, *, wrap: bool = False, limit: int = MAX_WIDTH
) -> Col:
    return Col(t(key, lang), fmt, wrap, limit)


def _programme(lang: Lang) -> Col:
    return Col(t("col.programme", lang), wrap=True, limit=NAME_WIDTH)


def _kind_cell(column: Column, objective: ObjectiveResult, currency: str, lang: Lang) -> Any:
    """A tables.py column's value for an objective, as a workbook cell of its kind (an NPS
    KPI's values with a whole-number format of their own)."""
    shown = for_objective(column, objective)
    value = column.value(objective)
    if column.kind is Kind.STATUS:
        return _status(value, lang)
    if column.kind is Kind.SMART:
        return Styled(smart_marks(value), VERDICT_FILLS[value.worst])
    if column.kind is Kind.BENEFIT:
        if objective.benefit is not None:
            return money_float(objective.benefit)
        return benefit_text(objective, currency, lang)
    if shown is not column and value is not None:
        return Styled(_value(column.kind, value, lang), fmt=KIND_FORMATS[shown.kind])
    return _value(column.kind, value, lang)


def _kpi_value(value: float, aggregation: Aggregation) -> CellValue | Styled:
    """A KPI's value, with a whole-number format of its own when it is an NPS."""
    if value_decimals(aggregation) == 0:
        return Styled(figure(value), fmt=INTEGER)
    return figure(value)


def _value(kind: Kind, value: Any, lang: Lang) -> CellValue:
    """A value of a tables.py kind, rounded or put in words as the workbook writes it."""
    if value is None:
        return None
    cells: dict[Kind, Callable[[Any], CellValue]] = {
        Kind.NUMBER: figure,
        Kind.MONEY: money_float,
        Kind.SHARE: _share,
        Kind.POINTS: _points,
        Kind.RATIO: lambda v: figure(v, 2),
        Kind.MONTHS: lambda v: figure(v, 1),
        Kind.TERM: lambda v: term(v, lang),
        Kind.MESSAGE: lambda v: localize(v, lang),
    }
    convert = cells.get(kind)
    return value if convert is None else convert(value)


# --- Summary --------------------------------------------------------------------------------


def _summary(sheet: Sheet, analysis: Analysis, lang: Lang, links: Sequence[ProgramLinks]) -> None:
    """One printed page: the verdicts, what to do, stale data, a paragraph for an e-mail, then
    one column per programme
    plus the portfolio with live costs, benefits and ratios, and a chart of ROI %."""
    sheet.one_page = True
    as_of = labelled(t("col.as_of", lang), fmt_date(analysis.as_of, lang), lang)
    sheet.title(t("report.title", lang), as_of)
    actions = [f"{n}. {line}" for n, line in enumerate(action_lines(analysis, lang), start=1)]
    for key, lines in (
        ("heading.verdict", verdict_lines(analysis, lang)),
        ("heading.actions", actions),
        ("heading.freshness", stale_lines(analysis, lang)),
        ("heading.in_short", [summary_paragraph(analysis, lang)]),
    ):
        if lines:
            sheet.heading(t(key, lang))
            for line in lines:
                sheet.paragraph(line)
            sheet.skip(1)
    columns = [
        _col(lang, "col.indicator", wrap=True, limit=SUMMARY_WIDTH),
        *(Col(program.name, wrap=True, limit=SUMMARY_WIDTH) for program in analysis.programs),
        Col(t("heading.portfolio", lang), wrap=True, limit=SUMMARY_WIDTH),
    ]
    header = sheet.next_header()
    keys, rows = _summary_rows(analysis, lang, links, first=header + 1)
    main = sheet.table(Table(columns, rows))
    if main is not None and analysis.programs:
        roi_row = main.first + keys.index("col.roi_pct")
        _roi_bar_chart(sheet, main, roi_row=roi_row, programs=len(analysis.programs), lang=lang)


def _summary_rows(
    analysis: Analysis, lang: Lang, links: Sequence[ProgramLinks], *, first: int
) -> tuple[list[str], list[Row]]:
    """The Summary's row keys and rows (label, each programme's cell, the portfolio's),
    written from ``first`` on: the figures rows of tables.py, money as formulas."""
    programs = analysis.programs
    figure_rows = columns(FIGURE_ROWS, Tier.REPORT)
    keys = ["col.method", "col.start", "col.end", "col.participants", "col.months_counted"]
    keys += [row.key for row in figure_rows]
    at = {key: first + index for index, key in enumerate(keys)}
    cells = [
        _program_cells(program, link, get_column_letter(index + 2), at, analysis, lang)
        for index, (program, link) in enumerate(zip(programs, links, strict=True))
    ]
    cells.append(_portfolio_cells(analysis, links, get_column_letter(len(programs) + 2), at, lang))
    formats = {row.key: KIND_FORMATS.get(row.kind) for row in figure_rows}
    formats |= {"col.start": DATE, "col.end": DATE}
    formats |= {"col.participants": INTEGER, "col.months_counted": INTEGER}
    rows: list[Row] = [
        [
            t(key, lang),
            *(
                Styled(
                    column.get(key),
                    fmt=None if isinstance(column.get(key), str) else formats.get(key),
                )
                for column in cells
            ),
        ]
        for key in keys
    ]
    return keys, rows


# With the costs, the Summary's rows that are formulas (words for a pending programme).
LIVE = (
    "col.benefits",
    "col.net_benefit",
    "col.roi_pct",
    "col.bcr",
    "col.payback",
    "col.break_even",
)


def _figure_cells(figures: RoiFigures, lang: Lang) -> dict[str, Any]:
    """The figures rows of tables.py as values, by key (formulas replace the money ones)."""
    return {row.key: _value(row.kind, row.value(figures), lang) for row in FIGURE_ROWS}


def _program_cells(
    program: ProgramResult,
    link: ProgramLinks,
    letter: str,
    at: Mapping[str, int],
    analysis: Analysis,
    lang: Lang,
) -> dict[str, Any]:
    """A programme's Summary column, by row key; a pending programme has no ratio, only why."""
    notes = [*program_notes(program, analysis, lang), localize(program.figures.note, lang) or ""]
    cells = _figure_cells(program.figures, lang) | {
        "col.method": term(program.method, lang),
        "col.start": program.start,
        "col.end": program.end,
        "col.participants": Formula(link.participants) if link.participants else None,
        "col.months_counted": program.months_counted,
        "col.costs": total([link.costs] if link.costs else []),
        "col.note": "\n".join(note for note in notes if note),
    }
    if program.pending or link.benefits is None or link.monthly is None:
        return cells | dict.fromkeys(LIVE, t("basis.pending", lang))
    costs, benefits = f"{letter}{at['col.costs']}", f"{letter}{at['col.benefits']}"
    return (
        cells
        | {"col.benefits": total([link.benefits])}
        | figure_formulas(costs, benefits, [link.monthly], t("na", lang))
    )


def _portfolio_cells(
    analysis: Analysis,
    links: Sequence[ProgramLinks],
    letter: str,
    at: Mapping[str, int],
    lang: Lang,
) -> dict[str, Any]:
    """The portfolio's Summary column: the measurable programmes' cells summed."""
    measured = [
        (get_column_letter(index + 2), link.monthly)
        for index, (program, link) in enumerate(zip(analysis.programs, links, strict=True))
        if not program.pending and link.monthly is not None
    ]
    costs, benefits = f"{letter}{at['col.costs']}", f"{letter}{at['col.benefits']}"
    monthly = [rate for _, rate in measured if rate is not None]
    note = [localize(analysis.portfolio.figures.note, lang), *portfolio_notes(analysis, lang)]
    return (
        _figure_cells(analysis.portfolio.figures, lang)
        | {
            "col.costs": total([f"{column}{at['col.costs']}" for column, _ in measured]),
            "col.benefits": total([f"{column}{at['col.benefits']}" for column, _ in measured]),
            "col.note": "\n".join(filter(None, note)),
        }
        | figure_formulas(costs, benefits, monthly, t("na", lang))
    )


def _roi_bar_chart(sheet: Sheet, main: Span, *, roi_row: int, programs: int, lang: Lang) -> None:
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
    sheet.skip(1)
    top = sheet.next_row - 1  # anchors count rows and columns from 0
    chart.anchor = TwoCellAnchor(
        _from=AnchorMarker(col=0, row=top), to=AnchorMarker(col=main.width, row=top + CHART_BAND)
    )
    sheet.ws.add_chart(chart)
    sheet.skip(CHART_BAND)


# --- Objectives and SMART -------------------------------------------------------------------

# The objectives table of tables.py, export columns included, but the columns in words (before →
# after, the benefit's range): their numbers are export columns of their own.
OBJECTIVE_SHEET_COLUMNS = [
    column for column in columns(OBJECTIVE_COLUMNS, Tier.EXPORT) if column.kind not in WORDS_ONLY
]


def _objectives(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    """One row per objective: the programme, then the id (frozen) with status and benefit, and
    every column of the objectives table."""
    header = [
        Col(t("col.programme", lang), wrap=True, limit=TEXT_WIDTH),
        *(
            Col(
                t(column.key, lang),
                KIND_FORMATS.get(column.kind),
                wrap=column.kind in WRAPPED_KINDS and column.key != "col.id",
                limit=TEXT_WIDTH,
            )
            for column in OBJECTIVE_SHEET_COLUMNS
        ),
    ]
    rows = [
        [
            program.name,
            *(
                _kind_cell(column, objective, analysis.currency, lang)
                for column in OBJECTIVE_SHEET_COLUMNS
            ),
        ]
        for program, objective in analysis.objectives()
    ]
    sheet.freeze_column = 3  # the programme and the id stay in view
    # Printed, the report's columns; the export's, at the end, are for the screen.
    reported = [column.shown(Tier.REPORT) for column in OBJECTIVE_SHEET_COLUMNS]
    sheet.print_columns = 2 + max(index for index, shown in enumerate(reported) if shown)
    sheet.table(Table(header, rows))


def _pre_post_cells(comparison: PrePost | None) -> list[CellValue]:
    if comparison is None:
        return [None, None, None]
    return [
        figure(comparison.before_mean),
        figure(comparison.after_mean),
        _points(comparison.change_pct),
    ]


def _smart(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    columns = [
        _programme(lang),
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


def _roi(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    programs = analysis.programs
    sheet.title(t("sheet.roi", lang))
    sheet.table(
        Table(
            [
                _programme(lang),
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
            heading=t("heading.costs", lang),
        )
    )
    sheet.table(_benefits_table(analysis, lang))
    sheet.table(_improvements_table(analysis, lang))
    sheet.table(_years_table(analysis, lang))
    sheet.table(
        Table(
            [_programme(lang), _col(lang, "col.intangible", wrap=True)],
            [[program.name, item] for program in programs for item in program.intangibles],
            heading=t("heading.intangibles", lang),
        )
    )


def _benefits_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _programme(lang),
        _col(lang, "col.id"),
        _col(lang, "col.isolation", wrap=True),
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


def _years_table(analysis: Analysis, lang: Lang) -> Table:
    """The multi-year programmes' figures year by year (opt-in), year 0 the initial
    investment; left out when no programme has them."""
    formats = (INTEGER, MONEY, MONEY, NUMBER, MONEY, MONEY, MONEY)  # YEAR_COLUMNS' cells
    columns = [
        _programme(lang),
        *(_col(lang, key, fmt) for key, fmt in zip(YEAR_COLUMNS, formats, strict=True)),
    ]
    rows = [
        [
            program.name,
            row.year,
            money_float(row.benefits),
            money_float(row.costs),
            figure(row.discount_factor),
            money_float(row.pv_benefits),
            money_float(row.pv_costs),
            money_float(row.cumulative_net),
        ]
        for program in analysis.programs
        if program.multi_year is not None
        for row in program.multi_year.rows
    ]
    return Table(columns, rows, heading=t("heading.years", lang))


def _improvements_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _programme(lang),
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


# --- Trends ---------------------------------------------------------------------------------


def _trends(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    """The KPI table and the groups side by side, then the objectives' charts on pages of their
    own; the periods they draw sit below the printed part."""
    columns = [
        _col(lang, "col.kpi"),
        _col(lang, "col.label", wrap=True),
        _col(lang, "col.unit"),
        _col(lang, "col.direction"),
        _col(lang, "col.aggregation"),
        _col(lang, "col.level", wrap=True),
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
            _kpi_value(trend.periods[-1].value, trend.aggregation) if trend.periods else None,
            figure(trend.slope_per_period),
            figure(trend.r2, 3),
            localize(trend.note, lang),
        ]
        for trend in analysis.kpis
    ]
    sheet.title(t("sheet.trends", lang))
    sheet.table(Table(columns, rows, heading=t("heading.kpis", lang)))
    sheet.table(_cohorts_table(analysis, lang))
    charted = [(p, o) for p, o in analysis.objectives() if o.kpi is not None and o.series]
    if charted:
        _charts(sheet, charted[:MAX_CHARTS], lang)
    if len(charted) > MAX_CHARTS:
        sheet.paragraph(
            _omitted("note.charts_omitted", len(charted) - MAX_CHARTS, MAX_CHARTS, lang)
        )


def _omitted(key: str, count: int, shown: int, lang: Lang) -> str:
    """The note under a bounded table: how many are shown, how many more are left out."""
    return t(key, lang).format(count=fmt_number(count, lang, 0), shown=fmt_number(shown, lang, 0))


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


def _charts(
    sheet: Sheet, charted: Sequence[tuple[ProgramResult, ObjectiveResult]], lang: Lang
) -> None:
    """Each objective's line chart, two side by side across the printed width, as many bands of
    two as a page holds, so that no page break cuts a chart; the periods they draw come below,
    unprinted."""
    sheet.ws.row_breaks.append(Break(id=sheet.next_row - 1))
    sheet.heading(t("heading.charts", lang))
    top = sheet.next_row
    per_page = max(1, int(sheet.rows_per_page() * PAGE_SLACK - 2) // CHART_BAND)
    for band in range(per_page, math.ceil(len(charted) / 2), per_page):
        sheet.ws.row_breaks.append(Break(id=top + band * CHART_BAND - 1))
    sheet.skip(math.ceil(len(charted) / 2) * CHART_BAND)
    sheet.print_rows = sheet.next_row - 1
    spans = []
    for program, objective in charted:
        sheet.heading(f"{program.name} · {objective.id} — {objective.title}")
        spans.append(sheet.table(_chart_table(program, objective, lang)))
    widths = [sheet.widths.get(column, MIN_WIDTH) for column in range(1, sheet.width + 1)]
    split = next(n for n in range(1, len(widths) + 1) if 2 * sum(widths[:n]) >= sum(widths))
    for index, ((program, objective), span) in enumerate(zip(charted, spans, strict=True)):
        assert span is not None
        chart = _line_chart(sheet.ws, span, program, objective, lang)
        row = top + index // 2 * CHART_BAND  # from 0: the band's first row stays blank
        left, right = (0, split) if index % 2 == 0 else (split, len(widths))
        chart.anchor = TwoCellAnchor(
            _from=AnchorMarker(col=left, colOff=CHART_GAP if left else 0, row=row),
            to=AnchorMarker(col=right, row=row + CHART_BAND - 1),
        )
        sheet.ws.add_chart(chart)


def _chart_table(program: ProgramResult, objective: ObjectiveResult, lang: Lang) -> Table:
    """The periods a chart draws: value, the flat target, a marker at the programme's start."""
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
    return Table(columns, rows)


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


def _data(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    """Every aggregated period the other sheets rest on; on screen only, never printed."""
    columns = [
        _programme(lang),
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
    kpi_rows = (
        [None, None, trend.key, everyone, *_point_cells(point, lang)]
        for trend in analysis.kpis
        for point in trend.periods
    )
    objective_rows = (
        [
            program.name,
            objective.id,
            objective.kpi,
            objective.group or everyone,
            *_point_cells(point, lang),
        ]
        for program, objective in analysis.objectives()
        for point in objective.series
    )
    cohort_rows = (
        [None, ", ".join(cohort.objectives), cohort.kpi, group.group, *_point_cells(point, lang)]
        for cohort in analysis.cohorts
        for group in cohort.groups
        for point in group.series
    )
    every = itertools.chain(kpi_rows, objective_rows, cohort_rows)
    rows: list[Row] = list(itertools.islice(every, MAX_DATA_ROWS))
    omitted = sum(1 for _ in every)
    sheet.printed = False
    sheet.table(Table(columns, rows))
    if omitted:
        sheet.paragraph(_omitted("note.data_omitted", omitted, MAX_DATA_ROWS, lang))


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


def _audit(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    audit = analysis.audit
    folder = Path(os.path.normpath(audit.config)).parent
    settings: list[Row] = [
        [t("col.config", lang), shown_path(audit.config, folder)],
        [t("col.config_sha256", lang), audit.config_sha256],
        [t("col.as_of", lang), fmt_date(analysis.as_of, lang)],
        [t("col.period", lang), term(analysis.period, lang)],
        [t("col.currency", lang), analysis.currency],
        [t("col.include_partial", lang), _yes_no(analysis.include_partial, lang)],
        [t("col.version", lang), analysis.version],
        *([label, value] for label, value in conversion_pairs(analysis, lang)),
    ]
    sheet.title(t("sheet.audit", lang))
    sheet.table(
        Table(
            [_col(lang, "col.setting"), _col(lang, "col.value", wrap=True, limit=AUDIT_WIDTH)],
            settings,
            heading=t("heading.run", lang),
        )
    )
    sheet.table(_sources_table(analysis, folder, lang))
    sheet.table(_bad_rows_table(analysis, folder, lang))
    if any(source.sql for source in analysis.audit.sources):
        sheet.table(_queries_table(analysis, lang))
    sheet.table(
        Table(
            [_col(lang, "col.kpi")],
            [[kpi] for kpi in audit.unused_kpis],
            heading=t("heading.unused_kpis", lang),
        )
    )
    sheet.table(_rules_table(analysis, lang))


def detected_text(settings: Mapping[str, object], lang: Lang) -> str:
    """What was detected in a source, in words: "separator: ; · decimal mark: ,"; a setting
    that was not detected is left out."""
    return " · ".join(
        labelled(_setting_label(name, lang), _setting_value(value, lang), lang)
        for name, value in settings.items()
        if value is not None
    )


_CHARACTERS = {"\t": "char.tab", " ": "char.space", "\u00a0": "char.nbsp", "\u202f": "char.nnbsp"}


def _setting_label(name: str, lang: Lang) -> str:
    return LABELS[lang].get(f"detected.{name}", name.replace("_", " "))


def _setting_value(value: object, lang: Lang) -> str:
    if isinstance(value, bool):
        return _yes_no(value, lang)
    if isinstance(value, int):
        return fmt_number(value, lang, 0)
    text = str(value)
    return t(_CHARACTERS[text], lang) if text in _CHARACTERS else text


def _sources_table(analysis: Analysis, folder: Path, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.file", wrap=True),
        _col(lang, "col.sha256", wrap=True, limit=AUDIT_WIDTH),
        _col(lang, "col.rows", INTEGER),
        _col(lang, "col.skipped_rows", INTEGER),
        _col(lang, "col.excluded_rows", INTEGER),
        _col(lang, "col.kpis", wrap=True, limit=AUDIT_WIDTH),
        _col(lang, "col.unmatched", wrap=True, limit=AUDIT_WIDTH),
        _col(lang, "col.detected", wrap=True, limit=AUDIT_WIDTH),
    ]
    rows: list[Row] = [
        [
            shown_path(source.path, folder),
            source.sha256,
            source.rows,
            source.skipped_rows,
            source.excluded_rows,
            ", ".join(source.kpis),
            ", ".join(source.unmatched),
            detected_text(source.detected, lang),
        ]
        for source in analysis.audit.sources
    ]
    return Table(columns, rows, heading=t("heading.sources", lang))


def _bad_rows_table(analysis: Analysis, folder: Path, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.file", wrap=True),
        _col(lang, "col.row", INTEGER),
        _col(lang, "col.column"),
        _col(lang, "col.value"),
        _col(lang, "col.reason", wrap=True, limit=AUDIT_WIDTH),
    ]
    rows: list[Row] = [
        [shown_path(source.path, folder), bad.row, bad.column, bad.value, bad.reason]
        for source in analysis.audit.sources
        for bad in source.bad_rows
    ]
    return Table(columns, rows, heading=t("heading.bad_rows", lang))


def _queries_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _col(lang, "col.file", wrap=True),
        _col(lang, "col.sql", wrap=True, limit=AUDIT_WIDTH),
    ]
    rows: list[Row] = [[path, sql] for path, sql in sent_queries(analysis)]
    return Table(columns, rows, heading=t("heading.queries", lang))


def _rules_table(analysis: Analysis, lang: Lang) -> Table:
    columns = [
        _programme(lang),
        _col(lang, "col.check", wrap=True),
        _col(lang, "col.verdict"),
        _col(lang, "col.reason", wrap=True, limit=AUDIT_WIDTH),
        _col(lang, "col.fix", wrap=True, limit=AUDIT_WIDTH),
    ]
    rows = [
        [program.name, rule_label(finding.check, lang), *_finding_cells(finding, lang)]
        for program in analysis.programs
        for finding in program.rules
    ]
    return Table(columns, rows, heading=t("heading.rules", lang))


SHEET_KEYS = (
    "sheet.summary",
    "sheet.evaluation",
    "sheet.assumptions",
    "sheet.objectives",
    "sheet.smart",
    "sheet.roi",
    "sheet.trends",
    "sheet.data",
    "sheet.audit",
)
_FILLS: tuple[tuple[str, Callable[[Sheet, Analysis, Lang], None]], ...] = (
    ("sheet.evaluation", fill_evaluation),
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
