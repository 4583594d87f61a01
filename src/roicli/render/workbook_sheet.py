"""How the workbook writes a sheet: tables under headings, wrapped paragraphs, number formats,
our own formulas, fitted widths and A4 print setup.

Text is always stored as a string cell, so text from the config or the data can never become a
formula; the only formulas are `Formula` cells, which the workbook builds from cell references
and numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from roicli.render.safety import is_formula_like

MONEY = "money"  # replaced by the analysis currency's format when written
PERCENT = "0.0%"
NUMBER = "#,##0.00"
RATIO = "0.00"
R2 = "0.000"
MONTHS = "0.0"
INTEGER = "#,##0"
DATE = "d mmm yyyy"

MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 8, 50, 12
NAME_WIDTH = 40  # a programme's name: longer ones wrap
LABEL_WIDTH = 24  # an item, a measure, an isolation method
FORMULA_WIDTH = 14  # room for a computed amount
LINE_HEIGHT = 15  # points per line of wrapped text
WRAP_SLACK = 0.95  # a line holds about as many letters as its width, bold ones a little less
PORTRAIT_WIDTH = 100  # column-width units an A4 page takes upright, slightly shrunk
POINTS_PER_WIDTH = 5.25  # a column-width unit is 7 pixels
MARGIN = 0.5  # inches around the printed page
PAGE_POINTS = {"portrait": (595, 842), "landscape": (842, 595)}  # A4
HEADER_FILL = "DCE6F1"
INPUT_FILL = "FFF2CC"  # light yellow: a value the reader may change


@dataclass(frozen=True)
class Formula:
    """A formula of ours, made of cell references, numbers and our own labels only.

    ``{row}`` in the template stands for the row the cell is written on.
    """

    template: str

    def text(self, row: int) -> str:
        """The cell's formula, with its own row filled in."""
        return "=" + self.template.replace("{row}", str(row))


CellValue = str | float | int | date | Formula | None


@dataclass(frozen=True)
class Col:
    """A table column: its header label and the number format of its cells."""

    header: str
    fmt: str | None = None
    wrap: bool = False
    limit: int = MAX_WIDTH  # widest the column may grow; longer text wraps


@dataclass(frozen=True)
class Styled:
    """A cell value with its own fill (status, verdict, input) or number format."""

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

    @property
    def first(self) -> int:
        """The first row under the header."""
        return self.header + 1


class Sheet:
    """A worksheet filled top to bottom, sized and set up for A4 printing at the end.

    A sheet of one table repeats its header row on every printed page; a sheet of several
    opens with title rows (`title`), which it repeats instead.
    """

    def __init__(self, worksheet: Any, money_format: str) -> None:
        self.ws = worksheet
        self.money_format = money_format
        self.next_row = 1
        self.spans: list[Span] = []
        self.widths: dict[int, float] = {}
        self.wrapped: list[tuple[int, int, str]] = []  # column 0: across the printed width
        self.paragraphs: list[int] = []
        self.title_rows = 0
        self.one_page = False  # the whole sheet on one page (the Summary)
        self.printed = True  # False keeps the sheet out of print and PDF
        self.print_rows: int | None = None  # rows printed; default: all
        self.print_columns: int | None = None  # columns printed; default: the widest table's
        self.freeze_column = 1  # columns left of this one stay in view when scrolling right

    @property
    def name(self) -> str:
        """The sheet's name, quoted for a formula on another sheet."""
        return "'" + str(self.ws.title).replace("'", "''") + "'"

    def title(self, text: str, *lines: str) -> None:
        """Title rows at the top: a bold title and a line or two under it."""
        self.heading(text, size=14)
        for line in lines:
            self.paragraph(line)
        self.title_rows = self.next_row - 1
        self.next_row += 1

    def next_header(self) -> int:
        """The row the header of the next table (without a heading) goes on."""
        return self.next_row + 1 if self.spans else self.next_row

    def table(self, table: Table) -> Span | None:
        """Write a table below what is there; an empty secondary table is left out."""
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
                self.cell(header + offset, column, col, item)
        span = Span(header, header + len(table.rows), len(table.columns))
        self.spans.append(span)
        self.next_row = span.last + 1
        return span

    def heading(self, text: str, *, size: int = 12) -> None:
        """A bold heading on its own row, wrapped across the printed width."""
        self.paragraph(text, font=_font(bold=True, size=size))

    def paragraph(self, text: str, *, font: Font | None = None) -> None:
        """A line of text on its own row, wrapped across the printed width when finished."""
        cell = self.ws.cell(row=self.next_row, column=1)
        set_text(cell, text)
        if font is not None:
            cell.font = font
        self.paragraphs.append(self.next_row)
        self.wrapped.append((self.next_row, 0, text))
        self.next_row += 1

    def skip(self, rows: int) -> None:
        """Leave room, e.g. for a chart."""
        self.next_row += rows

    def cell(self, row: int, column: int, col: Col, item: CellValue | Styled) -> None:
        """One cell: text as text, a Formula as a formula, a number with its format (a whole
        KPI value without decimals: 151 leads, not 151.00); an empty filled cell (an input left
        blank) keeps the format, ready for a value."""
        styled = item if isinstance(item, Styled) else Styled(item)
        cell = self.ws.cell(row=row, column=column)
        value = styled.value
        if isinstance(value, str):
            set_text(cell, value)
        else:
            if isinstance(value, Formula):
                cell.value = value.text(row)
                cell.data_type = "f"
            elif value is not None:
                cell.value = value
            fmt = styled.fmt or col.fmt
            if fmt == NUMBER and isinstance(value, int | float) and float(value).is_integer():
                fmt = INTEGER
            if value is not None or styled.fill:
                cell.number_format = (self.money_format if fmt == MONEY else fmt) or "General"
        if styled.fill:
            cell.fill = fill(styled.fill)
        # A figure keeps a space on its right: printed without gridlines, "55" beside the
        # next column's text would read as one number.
        cell.alignment = _top(
            wrap=col.wrap, figure=value is not None and not isinstance(value, str)
        )
        if col.wrap and isinstance(value, str):
            self.wrapped.append((row, column, value))
        self._fit(column, _display_width(value), col.limit)

    def finish(self, page_title: str) -> None:
        """Freeze the header, filter a lone table, fit columns and rows, set up printing."""
        single = len(self.spans) == 1 and not self.title_rows
        if single:
            first = self.spans[0]
            self.ws.freeze_panes = self.ws.cell(row=first.first, column=self.freeze_column)
            last_column = get_column_letter(first.width)
            self.ws.auto_filter.ref = (
                f"A{first.header}:{last_column}{max(first.last, first.header)}"
            )
        elif self.title_rows and not self.one_page:
            self.ws.freeze_panes = self.ws.cell(row=self.title_rows + 1, column=1)
        for column, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(column)].width = width
        self._merge_paragraphs()
        self._fit_row_heights()
        self._print_setup(page_title, single=single)

    @property
    def width(self) -> int:
        """How many columns are printed."""
        if self.print_columns is not None:
            return self.print_columns
        return max((span.width for span in self.spans), default=1)

    @property
    def orientation(self) -> str:
        """Landscape when the printed columns are too wide for an upright page."""
        return "landscape" if self._printed_width() > PORTRAIT_WIDTH else "portrait"

    def rows_per_page(self) -> int:
        """About how many plain rows a printed page holds, fitted to the page's width."""
        width, height = (points - 144 * MARGIN for points in PAGE_POINTS[self.orientation])
        scale = min(1.0, width / (self._printed_width() * POINTS_PER_WIDTH))
        return int(height / (LINE_HEIGHT * scale))

    def _printed_width(self) -> float:
        return sum(self.widths.get(column, MIN_WIDTH) for column in range(1, self.width + 1))

    def _merge_paragraphs(self) -> None:
        """Each paragraph in one cell across the printed columns, wrapped."""
        for row in self.paragraphs:
            if self.width > 1:
                self.ws.merge_cells(
                    start_row=row, start_column=1, end_row=row, end_column=self.width
                )
            self.ws.cell(row=row, column=1).alignment = _top(wrap=True)

    def _fit_row_heights(self) -> None:
        """Room for every line of wrapped text (not every viewer grows rows by itself)."""
        widths = {**self.widths, 0: self._printed_width()}
        lines: dict[int, int] = {}
        for row, column, text in self.wrapped:
            count = _line_count(text, widths.get(column, MIN_WIDTH) - 2)
            lines[row] = max(lines.get(row, 1), count)
        for row, count in sorted(lines.items()):
            if count > 1:
                self.ws.row_dimensions[row].height = LINE_HEIGHT * count

    def _print_setup(self, page_title: str, *, single: bool) -> None:
        """A4, upright unless wide, one page wide, the header (or title) rows on every page."""
        setup = self.ws.page_setup
        setup.paperSize = self.ws.PAPERSIZE_A4
        setup.orientation = self.orientation
        setup.fitToWidth = 1
        setup.fitToHeight = 1 if self.one_page else 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_margins = PageMargins(
            left=MARGIN,
            right=MARGIN,
            top=MARGIN,
            bottom=MARGIN,
            header=MARGIN / 2,
            footer=MARGIN / 2,
        )
        last_row = self.print_rows or max(self.next_row - 1, 1)
        if not self.printed:
            # An empty cell as the print area: LibreOffice and Excel print nothing of the sheet.
            self.ws.print_area = f"{get_column_letter(self.width + 2)}1"
        else:
            self.ws.print_area = f"A1:{get_column_letter(self.width)}{last_row}"
        if single and self.printed:
            header = self.spans[0].header
            self.ws.print_title_rows = f"{header}:{header}"
        elif self.title_rows:
            self.ws.print_title_rows = f"1:{self.title_rows}"
        self.ws.oddHeader.center.text = page_title.replace("&", "&&")
        self.ws.oddFooter.right.text = "&P / &N"

    def _header_cell(self, row: int, column: int, text: str) -> None:
        cell = self.ws.cell(row=row, column=column)
        set_text(cell, text)
        cell.font = _font(bold=True)
        cell.fill = fill(HEADER_FILL)
        cell.alignment = _top(wrap=True)
        cell.border = _UNDERLINE
        self.wrapped.append((row, column, text))
        self._fit(column, min(len(text), HEADER_WIDTH))

    def _fit(self, column: int, length: float, limit: int = MAX_WIDTH) -> None:
        width = max(MIN_WIDTH, min(limit, length + 2))
        self.widths[column] = max(self.widths.get(column, MIN_WIDTH), width)


_UNDERLINE = Border(bottom=Side(style="thin"))


# openpyxl shares a style among the cells it is given to: one instance each, not one per cell
# (building them was a third of a workbook's time).
@cache
def _top(*, wrap: bool, figure: bool = False) -> Alignment:
    if figure:
        return Alignment(wrap_text=wrap, vertical="top", horizontal="right", indent=1)
    return Alignment(wrap_text=wrap, vertical="top")


@cache
def _font(*, bold: bool, size: int = 11) -> Font:
    return Font(name="Calibri", bold=bold, size=size)


@cache
def fill(color: str) -> PatternFill:
    """A solid fill of that colour."""
    return PatternFill("solid", fgColor=color)


def set_text(cell: Any, text: str) -> None:
    """Store text as a string cell whatever it starts with: never a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"
    if is_formula_like(text):
        # Also keeps Excel from re-reading it as a formula when someone edits the cell.
        cell.quotePrefix = True


def _line_count(text: str, width: float) -> int:
    """Lines that text takes, wrapped at words, in a column of that many characters."""
    per_line = max(1, int(width * WRAP_SLACK))
    return sum(
        1 if len(line) <= width else len(textwrap.wrap(line, per_line))
        for line in text.splitlines()
    )


def _display_width(value: CellValue) -> float:
    if value is None:
        return 0
    if isinstance(value, Formula):
        return FORMULA_WIDTH
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, date):
        return 11
    return len(f"{value:,.2f}") + 1
