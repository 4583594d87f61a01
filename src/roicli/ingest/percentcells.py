"""Which cells of a workbook sheet are formatted as percentages (the value 0.0207 shown as 2.07 %).

python-calamine reads values but not number formats, so they are read here from the file's XML,
streamed and with defusedxml: for .xlsx/.xlsm, the cell styles whose number format is a percent
format (built-in formats 9 and 10, or a format code with a literal-free ``%``) and the cells of
the sheet that use them; for .ods, the cells whose value type is ``percentage``. The binary .xls
and .xlsb formats are not read.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
from defusedxml.ElementTree import iterparse

# 0-based sheet column -> the 0-based sheet rows of its percent cells
Percent = dict[int, npt.NDArray[np.int64]]

_BUILTIN_PERCENT = frozenset({9, 10})  # "0%" and "0.00%"
# Quoted text, [colour] or [$locale] codes, and \x, _x (a space as wide as x) or *x (x repeated)
# show characters as they are: a % among them does not scale the value.
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|[\\_*].')
_CHUNK = 1 << 22
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
    """Whether an Excel number format code shows values multiplied by 100 (``0.0%;[Red]-0.0%``)."""
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
        part = _sheet_part(book, sheet)
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
    in_cell_styles = False
    with stream:
        for event, element in iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if name == "cellXfs":
                in_cell_styles = event == "start"
            elif event == "end" and name == "numFmt":
                codes[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and in_cell_styles:
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


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str:
    """The zip path of the named sheet's XML, through the workbook's relationships."""
    ids = {
        element.get("name"): _attribute(element, "id")
        for element in _elements(book, "xl/workbook.xml", "sheet")
    }
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in _elements(book, "xl/_rels/workbook.xml.rels", "Relationship")
    }
    target = targets[ids[sheet]]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


def _elements(book: zipfile.ZipFile, part: str, name: str) -> Iterator[dict[str, str]]:
    """The attributes of each element of a small XML part with the given local name."""
    with book.open(part) as stream:
        for _, element in iterparse(stream):
            if _local(element.tag) == name:
                yield dict(element.attrib)


def _referenced(stream: IO[bytes], styles: frozenset[int]) -> Percent | None:
    """The cells with a percent style, written as spreadsheet programs write them
    (``<c r="B2" s="3"``); None when one is written otherwise (attributes in another order or
    spaced out, no reference), which the count of every percent style attribute reveals.

    Both patterns start with a literal, so the regex engine runs over the rest of the sheet.
    """
    numbers = b"|".join(str(style).encode() for style in sorted(styles))
    written = re.compile(rb'<c r="' + _REF + rb'" s="(?:' + numbers + rb')"')
    # Also counts an attribute whose name merely ends in "s": that only takes the slow path.
    attributes = re.compile(rb"s" + _QUOTED + rb"(?:" + numbers + rb")[\"']")
    by_letters: defaultdict[bytes, list[bytes]] = defaultdict(list)
    seen = 0
    for block in _blocks(stream, _before_tag):
        seen += len(attributes.findall(block))
        for letters, row in written.findall(block):
            by_letters[letters].append(row)
    if seen != sum(len(rows) for rows in by_letters.values()):
        return None
    return {
        _column(letters): np.array(found).astype(np.int64) - 1
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
    for block in _blocks(stream, _before_tag):
        for name, attributes in pattern.findall(block):
            at = ref.search(attributes)
            if name == b"row":
                row, column = (int(at[2]) - 1 if at else row + 1), -1
                continue
            column = _column(at[1]) if at else column + 1
            styled = style.search(attributes)
            if (int(styled[1]) if styled else 0) in styles:
                found[column].append(int(at[2]) - 1 if at else row)
    return {column: np.array(rows, dtype=np.int64) for column, rows in found.items()}


def _blocks(stream: IO[bytes], cut: Callable[[bytes], int]) -> Iterator[bytes]:
    """An XML part in blocks of about ``_CHUNK`` bytes, each ending where ``cut`` says (just
    before a tag, or a row), so no tag or row is split across two blocks."""
    carried = b""
    while chunk := stream.read(_CHUNK):
        data = carried + chunk
        at = cut(data)
        if at > 0:
            yield data[:at]
        carried = data[at:] if at > 0 else data
    yield carried


def _before_tag(data: bytes) -> int:
    return data.rfind(b"<")


def _ods(path: Path, sheet: str, rows: range, width: int) -> Percent:
    """The cells of an OpenDocument sheet whose value type is ``percentage``.

    Rows and cells have no references: they are counted, with their repeats. The text is
    searched rather than parsed (an XML parser takes seconds on a large sheet); like calamine,
    it expects the ``table:`` and ``office:`` prefixes every spreadsheet program writes.
    """
    found: defaultdict[int, list[npt.NDArray[np.int64]]] = defaultdict(list)
    active, row = False, 0
    with zipfile.ZipFile(path) as book, book.open("content.xml") as stream:
        for block in _blocks(stream, _before_row):
            between, *pieces = _ODS_ROW.split(block)
            active = _ods_sheet_starts(between, sheet) or active
            for piece in pieces:
                end = piece.find(b"</table:table-row>")
                body, after = (piece, b"") if end < 0 else (piece[:end], piece[end:])
                repeat = _repeat(_ODS_ROWS_REPEATED, body[: body.find(b">")])
                if active:
                    kept = np.arange(max(row, rows.start), min(row + repeat, rows.stop))
                    for column, span in _ods_percent(body):
                        for at in range(column, min(column + span, width)):
                            found[at].append(kept)
                    row += repeat
                if active and b"</table:table>" in after:
                    return _within(_joined(found), rows, width)
                active = _ods_sheet_starts(after, sheet) or active
    return _within(_joined(found), rows, width)


def _before_row(data: bytes) -> int:
    """Where the last row of ``data`` starts (0 if none: the block grows)."""
    at = len(data)
    while (at := data.rfind(b"<table:table-row", 0, at)) > 0:
        if _ODS_ROW.match(data, at):
            return at
    return 0


def _ods_sheet_starts(text: bytes, sheet: str) -> bool:
    return any(html.unescape(name.decode()) == sheet for name in _ODS_TABLE.findall(text))


def _ods_percent(row: bytes) -> Iterator[tuple[int, int]]:
    """The first column and the span of each percentage cell of one row's XML."""
    for match in _ODS_PERCENT.finditer(row):
        at = match.start()
        if row.rfind(b"<", 0, at) < row.rfind(b">", 0, at):
            continue  # in a text, not in a tag
        spans = [_repeat(_ODS_COLUMNS_REPEATED, cell) for cell in _ODS_CELL.findall(row, 0, at)]
        tag = row[row.rfind(b"<", 0, at) : row.find(b">", at)]
        yield sum(spans[:-1]), _repeat(_ODS_COLUMNS_REPEATED, tag)


def _repeat(pattern: re.Pattern[bytes], tag: bytes) -> int:
    found = pattern.search(tag)
    return int(found[1]) if found else 1


def _joined(found: defaultdict[int, list[npt.NDArray[np.int64]]]) -> Percent:
    return {column: np.concatenate(parts).astype(np.int64) for column, parts in found.items()}


def _within(found: Percent, rows: range, width: int) -> Percent:
    """The cells inside ``rows`` and ``width``, each once and in order."""
    kept = {}
    for column, at in found.items():
        inside = np.sort(at[(at >= rows.start) & (at < rows.stop)])  # already sorted: fast
        inside = inside[np.diff(inside, prepend=-1) != 0]
        if 0 <= column < width and len(inside):
            kept[column] = inside
    return kept


def _column(letters: bytes) -> int:
    """The 0-based index of a column's letters (``A`` is 0, ``AA`` is 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(attributes: dict[str, str], name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``)."""
    return next((value for key, value in attributes.items() if _local(key) == name), None)
