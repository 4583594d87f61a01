"""Which cells of a workbook sheet are formatted as percentages (the value 0.0207 shown as 2.07 %).

python-calamine reads values but not number formats, so they are read here from the file's XML,
streamed: for .xlsx/.xlsm, the cell styles whose number format is a percent format (built-in
formats 9 and 10, or a format code with a ``%`` outside quoted text), read with defusedxml, and
the cells of the sheet that use them; for .ods, the cells whose value type is ``percentage``.
Both sheet scans search the XML text instead of parsing it, which would cost seconds on a large
sheet. The binary .xls and .xlsb formats are not read.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
from defusedxml.ElementTree import iterparse

from roicli.ingest.xmlparts import blocks, column_index, local_name, sheet_part

# 0-based sheet column -> the 0-based sheet rows of its percent cells
Percent = dict[int, npt.NDArray[np.int64]]

_BUILTIN_PERCENT = frozenset({9, 10})  # "0%" and "0.00%"
# Quoted text, [colour] or [$locale] codes, and \x, _x (a space as wide as x) or *x (x repeated)
# show characters as they are: a % among them does not scale the value.
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|[\\_*].')
_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"  # a start tag, with any namespace prefix
_QUOTED = rb"\s*=\s*[\"']"
_REF = rb"([A-Z]+)([0-9]+)"
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])")
_ODS_TABLE = re.compile(rb"<table:table\s[^>]*?table:name\s*=\s*\"([^\"]*)\"")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*)")
_ODS_PERCENT = re.compile(rb"office:value-type\s*=\s*[\"']percentage[\"']")
_ODS_ROWS_REPEATED = re.compile(rb"table:number-rows-repeated\s*=\s*[\"']([0-9]+)")
_ODS_COLUMNS_REPEATED = re.compile(rb"table:number-columns-repeated\s*=\s*[\"']([0-9]+)")


def is_percent_format(code: str) -> bool:
    """Whether an Excel number format code shows values multiplied by 100 (``0.0%;[Red]-0.0%``;
    not ``0.0" %"``, whose % is text)."""
    return "%" in _LITERALS.sub("", code)


def percent_cells(path: Path, sheet: str, rows: range, width: int) -> Percent | None:
    """The percent cells of a sheet within ``rows`` and the first ``width`` columns.

    None for the formats whose number formats are not read (.xls, .xlsb). Damaged or hostile
    XML raises what zipfile, ElementTree or defusedxml raise.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet, rows, width)
    if suffix == ".ods":
        return _ods(path, sheet, rows, width)
    return None


def _xlsx(path: Path, sheet: str, rows: range, width: int) -> Percent:
    with zipfile.ZipFile(path) as book:
        styles = _percent_styles(book)
        if not styles:
            return {}
        part = sheet_part(book, sheet)
        if 0 not in styles:
            with book.open(part) as stream:
                found = _referenced(stream, styles)
            if found is not None:
                return _within(found, rows, width)
        # Cells without a reference (optional in the format), or percent as the default style.
        with book.open(part) as stream:
            return _within(_counted(stream, styles), rows, width)


def _percent_styles(book: zipfile.ZipFile) -> frozenset[int]:
    """The indexes of the cell styles (``cellXfs``) whose number format is a percent format."""
    try:
        stream = book.open("xl/styles.xml")
    except KeyError:  # a workbook without styles shows every number as it is
        return frozenset()
    codes: dict[int, str] = {}
    formats: list[int] = []
    section = None  # conditional formats (dxfs) and cell style bases (cellStyleXfs) are skipped
    with stream:
        for event, element in iterparse(stream, events=("start", "end")):
            name = local_name(element.tag)
            if name in ("numFmts", "cellXfs"):
                section = name if event == "start" else None
            elif event == "end" and name == "numFmt" and section == "numFmts":
                codes[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and section == "cellXfs":
                formats.append(int(element.get("numFmtId", "0")))
            if event == "end":
                element.clear()
    return frozenset(
        index
        for index, number_format in enumerate(formats)
        if (
            is_percent_format(codes[number_format])
            if number_format in codes
            else number_format in _BUILTIN_PERCENT
        )
    )


def _referenced(stream: IO[bytes], styles: frozenset[int]) -> Percent | None:
    """The cells with a percent style, written as spreadsheet programs write them
    (``<c r="B2" s="3"``); None when one is written otherwise (attributes in another order or
    spaced out, no reference), which the count of every percent style attribute reveals.

    Both patterns start with a literal, which the regex engine looks for in C: the sheet's other
    cells cost next to nothing.
    """
    numbers = b"|".join(str(style).encode() for style in sorted(styles))
    written = re.compile(rb'<c r="' + _REF + rb'" s="(?:' + numbers + rb')"')
    # Also counts an attribute whose name merely ends in "s": that only takes the slow path.
    attributes = re.compile(rb"s" + _QUOTED + rb"(?:" + numbers + rb")[\"']")
    by_letters: defaultdict[bytes, list[bytes]] = defaultdict(list)
    seen = 0
    for block in blocks(stream, _before_tag):
        seen += len(attributes.findall(block))
        for letters, row in written.findall(block):
            by_letters[letters].append(row)
    if seen != sum(len(rows) for rows in by_letters.values()):
        return None
    return {
        column_index(letters): np.array(found).astype(np.int64) - 1
        for letters, found in by_letters.items()
    }


def _counted(stream: IO[bytes], styles: frozenset[int]) -> Percent:
    """The cells with a percent style, placing cells and rows without a reference after the
    previous ones, as spreadsheet programs do (slower: every row and cell tag is looked at)."""
    pattern = re.compile(_TAG + rb"(row|c)(?=[\s/>])([^>]*)")
    ref = re.compile(rb"\sr" + _QUOTED + rb"([A-Z]*)([0-9]+)")
    style = re.compile(rb"\ss" + _QUOTED + rb"([0-9]+)")
    found: defaultdict[int, list[int]] = defaultdict(list)
    row, column = -1, -1
    for block in blocks(stream, _before_tag):
        for name, attributes in pattern.findall(block):
            at = ref.search(attributes)
            if name == b"row":
                row, column = (int(at[2]) - 1 if at else row + 1), -1
                continue
            column = column_index(at[1]) if at else column + 1
            styled = style.search(attributes)
            if (int(styled[1]) if styled else 0) in styles:
                found[column].append(int(at[2]) - 1 if at else row)
    return {column: np.array(rows, dtype=np.int64) for column, rows in found.items()}


def _before_tag(data: bytes) -> int:
    return data.rfind(b"<")


def _ods(path: Path, sheet: str, rows: range, width: int) -> Percent:
    """The cells of an OpenDocument sheet whose value type is ``percentage``.

    Rows and cells have no references: they are counted, with their repeats. Like calamine, this
    expects the ``table:`` and ``office:`` prefixes that spreadsheet programs write.
    """
    found: defaultdict[int, list[int]] = defaultdict(list)
    row = 0
    with zipfile.ZipFile(path) as book:
        with book.open("content.xml") as stream:
            # Most sheets have none: one fast search, and no counting of rows and cells.
            if not any(b"percentage" in block for block in blocks(stream, _before_tag)):
                return {}
        with book.open("content.xml") as stream:
            for piece, opened, closed in _sheet_rows(stream, sheet):
                repeat = _repeat(_ODS_ROWS_REPEATED, piece, 0, opened)
                kept = range(max(row, rows.start), min(row + repeat, rows.stop))
                for column, span in _ods_percent(piece, opened, closed):
                    for at in range(column, min(column + span, width)):
                        found[at].extend(kept)
                row += repeat
    return _within(
        {column: np.array(at, dtype=np.int64) for column, at in found.items()}, rows, width
    )


def _sheet_rows(stream: IO[bytes], sheet: str) -> Iterator[tuple[bytes, int, int]]:
    """Each row of the named sheet: its XML after ``<table:table-row``, where its start tag
    ends and where its end tag starts."""
    active = False
    for block in blocks(stream, _before_row):
        between, *pieces = _ODS_ROW.split(block)
        active = active or _sheet_starts(between, sheet)
        for piece in pieces:
            closed = piece.find(b"</table:table-row>")
            closed = len(piece) if closed < 0 else closed
            if active:
                yield piece, piece.find(b">"), closed
                if piece.find(b"</table:table>", closed) >= 0:
                    return
            else:
                active = _sheet_starts(piece[closed:], sheet)


def _before_row(data: bytes) -> int:
    """Where the last row of ``data`` starts (0 if none: the block grows)."""
    at = len(data)
    while (at := data.rfind(b"<table:table-row", 0, at)) > 0:
        if _ODS_ROW.match(data, at):
            return at
    return 0


def _sheet_starts(text: bytes, sheet: str) -> bool:
    return any(html.unescape(name.decode()) == sheet for name in _ODS_TABLE.findall(text))


def _ods_percent(row: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The first column and the span of each percentage cell in ``row[start:end]``."""
    for match in _ODS_PERCENT.finditer(row, start, end):
        tag = row.rfind(b"<", 0, match.start())
        closed = row.find(b">", tag)
        if closed < match.start():
            continue  # in a text, not in a tag
        if row.find(b"columns-repeated", 0, tag) < 0:  # the common case, counted in C
            column = row.count(b"<table:table-cell", 0, tag)
            column += row.count(b"<table:covered-table-cell", 0, tag)
        else:
            column = sum(
                _repeat(_ODS_COLUMNS_REPEATED, cell, 0, len(cell))
                for cell in _ODS_CELL.findall(row, 0, tag)
            )
        yield column, _repeat(_ODS_COLUMNS_REPEATED, row, tag, closed)


def _repeat(pattern: re.Pattern[bytes], text: bytes, start: int, end: int) -> int:
    """How many times a row or a cell repeats, from its start tag ``text[start:end]``."""
    found = pattern.search(text, start, end)
    return int(found[1]) if found else 1


def _within(found: Percent, rows: range, width: int) -> Percent:
    """The cells inside ``rows`` and ``width``, each once and in order."""
    kept = {}
    for column, at in found.items():
        inside = np.sort(at[(at >= rows.start) & (at < rows.stop)])  # already sorted: fast
        inside = inside[np.diff(inside, prepend=-1) != 0]
        if 0 <= column < width and len(inside):
            kept[column] = inside
    return kept
