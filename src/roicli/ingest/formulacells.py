"""Find formula cells without a saved value in an .xlsx/.xlsm sheet.

A workbook written by a script (openpyxl, for one) holds formulas but not their results until a
spreadsheet program opens and saves it; readers see such a cell as empty. The sheet's XML is
searched as text, in blocks of whole rows, as ``percentcells`` does: a sheet without formulas
costs one search in C.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from pathlib import Path

from roicli.ingest.xmlparts import blocks, column_index, sheet_part

# A formula's start tag, with any namespace prefix (captured): <f>, <f t="shared" …/>, <x:f>.
_FORMULA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)f[\s/>]")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]+)([0-9]+)""")
_STRING = re.compile(rb"""\st\s*=\s*["']str["']""")


def unsaved_formula(
    path: Path, sheet: str, rows: range, columns: Collection[int]
) -> tuple[int, int] | None:
    """The first cell (0-based sheet row and column) within ``rows`` and ``columns`` holding a
    formula with no saved value; None if there is none, or the format is not .xlsx/.xlsm.

    A saved value is a non-empty ``<v>``, or an empty one in a text cell (a formula giving "").
    Damaged or hostile XML raises what zipfile, ElementTree or defusedxml raise.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    with zipfile.ZipFile(path) as book, book.open(sheet_part(book, sheet)) as stream:
        for block in blocks(stream, _before_row):
            for found in _FORMULA.finditer(block):
                cell = _cell(block, found.start(), found[1])
                if cell is not None and cell[0] in rows and cell[1] in columns:
                    return cell
    return None


def _cell(block: bytes, at: int, prefix: bytes) -> tuple[int, int] | None:
    """The position of the cell around the formula at ``block[at]`` if it has no saved value."""
    start = block.rfind(b"<" + prefix + b"c", 0, at)
    end = block.find(b"</" + prefix + b"c>", at)
    if start < 0 or end < 0:
        return None  # not inside a cell
    opened = block.find(b">", start)
    ref = _REF.search(block, start, opened)
    if ref is None:
        return None  # a cell without a reference: spreadsheet programs write one
    value = re.search(rb"<" + prefix + rb"v(?:\s[^>]*)?>([^<]*)</" + prefix + rb"v>", block[at:end])
    if value and (value[1].strip() or _STRING.search(block, start, opened)):
        return None
    if block.find(b"<" + prefix + b"is>", at, end) >= 0:
        return None  # an inline string
    return int(ref[2]) - 1, column_index(ref[1])


def _before_row(data: bytes) -> int:
    """Where the last row of ``data`` starts (0 if none: the block grows)."""
    at = data.rfind(b"<row")
    prefixed = data.rfind(b":row ")  # <x:row
    return data.rfind(b"<", 0, prefixed) if prefixed > at else at
