"""The workbook's "Evaluation" sheet: each programme's chain of impact, then its levels 1 to 3
(surveys, learning with the groups side by side, differences, completions, files), the same
tables as every other output, figures as numbers with their format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from roicli.enums import Lang
from roicli.i18n import t
from roicli.model import Analysis
from roicli.render.evaluation_view import Cell, ViewTable, chain_table, evaluation_tables, words
from roicli.render.tables import Kind
from roicli.render.workbook_sheet import (
    INTEGER,
    MONEY,
    NUMBER,
    PERCENT,
    RATIO,
    CellValue,
    Col,
    Sheet,
    Styled,
    Table,
)
from roicli.rounding import figure, money_float

TEXT_LIMIT = 60  # the widest a wrapped text column grows
FORMATS = {
    Kind.NUMBER: NUMBER,
    Kind.MONEY: MONEY,
    Kind.SHARE: PERCENT,
    Kind.RATIO: RATIO,
    Kind.COUNT: INTEGER,
    Kind.WHOLE: INTEGER,  # the exact figure, shown whole
}
VALUES: dict[Kind, Callable[[Any], CellValue]] = {
    Kind.NUMBER: figure,
    Kind.MONEY: money_float,
    Kind.SHARE: lambda value: figure(value, 3),
    Kind.RATIO: lambda value: figure(value, 2),
    Kind.COUNT: lambda value: value,
    Kind.WHOLE: figure,
}


def fill_evaluation(sheet: Sheet, analysis: Analysis, lang: Lang) -> None:
    """Per programme: the chain of impact, then its evaluation tables with their notes."""
    sheet.title(t("sheet.evaluation", lang))
    for program in analysis.programs:
        _write(sheet, chain_table(program, analysis, lang), analysis.currency, lang)
        tables = evaluation_tables(program, analysis, lang)
        if tables:
            sheet.skip(1)
            sheet.heading(f"{t('heading.evaluation', lang)} · {program.name}")
        for table in tables:
            _write(sheet, table, analysis.currency, lang)


def _write(sheet: Sheet, table: ViewTable, currency: str, lang: Lang) -> None:
    columns = [Col(header, wrap=True, limit=TEXT_LIMIT) for header in table.headers]
    rows = [[_cell(cell, currency, lang) for cell in row] for row in table.rows]
    if sheet.spans:
        sheet.skip(1)
    sheet.heading(table.heading)
    if table.note:
        sheet.paragraph(table.note)
    sheet.table(Table(columns, rows))


def _cell(cell: Cell, currency: str, lang: Lang) -> Styled:
    convert = VALUES.get(cell.kind)
    if convert is None or cell.value is None:
        return Styled(words(cell, currency, lang) if cell.value is not None else None)
    return Styled(convert(cell.value), fmt=FORMATS[cell.kind])
