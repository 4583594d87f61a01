"""Which cells of a workbook sheet are formatted as percentages (the value 0.0207 shown as 2.07 %).

python-calamine reads values but not number formats, so they are read here from the file's XML,
streamed and with defusedxml: for .xlsx/.xlsm, the cell styles whose number format is a percent
format (built-in formats 9 and 10, or a format code with a literal-free ``%``) and the cells of
the sheet that use them; for .ods, the cells whose value type is ``percentage``. The binary .xls
and .xlsb formats are not read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
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
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


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
    for block in _blocks(stream):
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
    for block in _blocks(stream):
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


def _blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """An XML part in blocks of about ``_CHUNK`` bytes, each cut just before a ``<`` so that
    no tag is split (except one longer than a block, which no cell tag is)."""
    carried = b""
    while chunk := stream.read(_CHUNK):
        data = carried + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            cut = len(data)
        yield data[:cut]
        carried = data[cut:]
    yield carried


def _ods(path: Path, sheet: str, rows: range, width: int) -> Percent:
    """The cells of an OpenDocument sheet whose value type is ``percentage``, expanding repeated
    rows and cells only within ``rows`` and ``width``."""
    with zipfile.ZipFile(path) as book:
        with book.open("content.xml") as stream:
            if not any(b"percentage" in block for block in _blocks(stream)):
                return {}
        found: defaultdict[int, list[npt.NDArray[np.int64]]] = defaultdict(list)
        depth = 0  # of tables inside the sheet read (a table in a cell has rows of its own)
        row, column, repeat = 0, 0, 1
        with book.open("content.xml") as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                tag = element.tag
                if tag == _ODS_TABLE + "table":
                    if event == "start" and (depth or element.get(_ODS_TABLE + "name") == sheet):
                        depth += 1
                    elif event == "end" and depth:
                        depth -= 1
                        if not depth:
                            break
                if depth != 1:
                    continue
                if tag == _ODS_TABLE + "table-row":
                    if event == "start":
                        column = 0
                        repeat = int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
                    else:
                        row += repeat
                        element.clear()
                elif event == "start" and tag in (
                    _ODS_TABLE + "table-cell",
                    _ODS_TABLE + "covered-table-cell",
                ):
                    span = int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
                    if element.get(_ODS_OFFICE + "value-type") == "percentage":
                        kept = range(max(row, rows.start), min(row + repeat, rows.stop))
                        for at in range(column, min(column + span, width)):
                            found[at].append(np.arange(kept.start, kept.stop, dtype=np.int64))
                    column += span
    return _within({column: np.concatenate(parts) for column, parts in found.items()}, rows, width)


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
