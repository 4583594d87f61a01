"""Read a clean delimited export with pyarrow and column types, without pandas.

A plain, clean file (UTF-8, header on line 1, one table, ISO dates, plain numbers, judged from
its first lines) is read straight from disk by pyarrow's multi-threaded reader: days (or
timestamps), floats, and the kpi and group columns dictionary-encoded. Anything else, including a
clean-looking file that a later row proves messy, gives None: ``csvread`` reads it as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from roicli.config import Source
from roicli.enums import Layout
from roicli.errors import DataError
from roicli.ingest import arrownumpy
from roicli.ingest.cells import MAX_ABS_VALUE, PLACEHOLDERS
from roicli.ingest.columns import Mapped, map_columns, wanted
from roicli.ingest.detect import Header, decode, find_header, table_end
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import DetectedDict, TypedTable
from roicli.progress_bar import CountingReader, Report, ignore

_SAMPLE_LINES = 1000
_HEAD_BYTES = 1 << 20  # what the clean-file check reads: the sample lines, up to this much
_BLOCK_BYTES = 8 << 20  # pyarrow's parsing unit: fewer, larger chunks for big files
_ISO = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
# A number the typed reader takes as it is: "-12", "3.5", "1e-3"; ``core``: its digits and mark.
_PLAIN = re.compile(r"-?(?P<core>[0-9]+(?:\.[0-9]+)?)(?:[eE][-+]?[0-9]+)?")
_LIKE_THOUSANDS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")  # "2.546": 2.546, or 2546 in some locales
_LONG_WHOLE = re.compile(r"[1-9][0-9]{3,}")  # "2546": a column that writes it so groups nothing


def read_typed(
    path: Path, source: Source, lookup: Mapping[str, str], *, report: Report = ignore
) -> TypedTable | None:
    """The file read by pyarrow when its first lines show a clean export, else None.

    ``report`` is told the bytes read so far.
    """
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        whole = not handle.read(1)
    if not whole:
        head = head[: head.rfind(b"\n") + 1]  # whole lines only: no character cut in two
    try:
        text, encoding = decode(head, source.encoding)
    except (LookupError, UnicodeDecodeError):
        return None  # the text reader names the problem
    header = table_header(text, source, lookup)
    if header is None or header.line != 1:
        return None
    try:
        mapped = map_columns(header.names, source, lookup, path=path, header_at="line 1")
    except DataError:
        return None
    sample = _clean_sample(text, header, mapped, source, encoding)
    if sample is None:
        return None
    table = _arrow_read(path, header, mapped, sample, quoted=b'"' in head, report=report)
    if table is None or not _fits(table, mapped, sample.integral):
        return None
    detected: DetectedDict = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": header.delimiter,
        "header_row": header.line,
        "reader": "pyarrow",
        "date_format": "ISO 8601",
    }
    return TypedTable(table, mapped, detected, first_row=header.line + 1)


def table_header(text: str, source: Source, lookup: Mapping[str, str]) -> Header | None:
    """The header line; for a wide layout, the first table that holds a configured KPI."""
    names = wanted(source)
    delimiter, skip_rows = source.delimiter, source.skip_rows
    if source.layout is Layout.WIDE:
        taken = {name_key(name) for name in names}

        def holds_kpi(names: Sequence[str]) -> bool:
            return any(name_key(n) in lookup for n in names if name_key(n) not in taken)

        found = find_header(text, names, delimiter=delimiter, skip_rows=skip_rows, accept=holds_kpi)
        if found is not None:
            return found
    return find_header(text, names, delimiter=delimiter, skip_rows=skip_rows)


@dataclass(frozen=True)
class _Sample:
    """What the first rows of a clean file promise of the rest."""

    integral: set[str]  # the value columns that hold only whole numbers
    timed: bool  # whether a date holds a time of day


def _clean_sample(
    text: str, header: Header, mapped: Mapped, source: Source, encoding: str
) -> _Sample | None:
    """Whether the file's first rows fit a typed read (see the module docstring); None if not.

    A sample whose marks could be thousands separators (only values like ``2.546``) is left to
    the text reader, which decides the decimal mark from the whole column.
    """
    if not encoding.startswith("utf-8") or table_end(text, header) != len(text):
        return None
    if source.decimal not in (None, ".") or source.thousands is not None:
        return None
    if source.layout is Layout.DATES_IN_COLUMNS or (
        source.layout is Layout.WIDE and not mapped.values
    ):
        return None
    cells = _sample_cells(text, header, [mapped.date, *mapped.values])
    if cells is None:
        return None
    dates = cells[mapped.date]
    if not all(cell == "" or _ISO.fullmatch(cell) for cell in dates):
        return None
    integral = set()
    for column in mapped.values:
        cores = []
        for cell in cells[column]:
            if cell.lower() in PLACEHOLDERS:
                continue
            plain = _PLAIN.fullmatch(cell)
            if plain is None:
                return None
            cores.append(plain["core"])
        dotted = [core for core in cores if "." in core]
        if not dotted:
            integral.add(column)
        elif all(_LIKE_THOUSANDS.fullmatch(core) for core in dotted) and not any(
            _LONG_WHOLE.fullmatch(core) for core in cores
        ):
            return None
    return _Sample(integral, timed=any(len(cell) > len("2026-01-31") for cell in dates))


def _sample_cells(text: str, header: Header, columns: list[str]) -> dict[str, list[str]] | None:
    """The stripped cells of some columns in the first data lines (None: rows that do not split
    into the header's fields)."""
    cut = header.offset
    for _ in range(_SAMPLE_LINES + 1):
        cut = text.find("\n", cut + 1)
        if cut < 0:
            cut = len(text)
            break
    names = list(header.names)
    position = {column: names.index(column) for column in columns}
    cells: dict[str, list[str]] = {column: [] for column in columns}
    try:
        rows = csv.reader(io.StringIO(text[header.offset : cut]), delimiter=header.delimiter)
        next(rows, None)  # the header line
        for row in rows:
            if len(row) > len(names):
                return None
            for column, index in position.items():
                cells[column].append(row[index].strip() if index < len(row) else "")
    except csv.Error:
        return None
    return cells


def _arrow_read(
    path: Path, header: Header, mapped: Mapped, sample: _Sample, *, quoted: bool, report: Report
) -> pa.Table | None:
    """Read with pyarrow and column types; None when a row does not fit (read as text then).

    Dates are read as days, or as timestamps when the sample holds times of day (a time on a
    later row of a file of days sends it to the text reader). Quoted newlines are looked for
    only when the first lines hold quotes (it slows reading by half); pyarrow still reads a
    later one right, or fails the read.
    """
    label = pa.dictionary(pa.int32(), pa.string())
    dates = pa.timestamp("s") if sample.timed else pa.date32()
    types: dict[str, pa.DataType] = {mapped.date: dates}
    types |= {column: pa.float64() for column in mapped.values}
    types |= {name: label for name in (mapped.kpi, mapped.group) if name is not None}
    placeholders = sorted({*PLACEHOLDERS, *(p.upper() for p in PLACEHOLDERS), " --"})
    try:
        with path.open("rb") as handle:
            # Counting bytes for a progress bar makes pyarrow read through Python: only then.
            counted = path if report is ignore else CountingReader(handle, report)
            return pacsv.read_csv(
                counted,
                read_options=pacsv.ReadOptions(block_size=_BLOCK_BYTES),
                parse_options=pacsv.ParseOptions(
                    delimiter=header.delimiter,
                    ignore_empty_lines=False,
                    newlines_in_values=quoted,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=list(types),
                    null_values=placeholders,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError):
        return None


def _fits(table: pa.Table, mapped: Mapped, integral: set[str]) -> bool:
    """Whether every row read fits what the sample promised.

    A blank line or a missing date sends the file to the text reader, which tells blank lines
    inside the table from the end of the table. pyarrow reads ``nan``, ``inf`` and ``1e999`` as
    floats: the text reader names those cells as bad values. A column whose sample held only
    whole numbers must hold only whole numbers: a later ``1.500`` could be a thousands
    separator, which only the column-wide detection can tell.
    """
    if table.column(mapped.date).null_count:
        return False
    for column in mapped.values:
        if not arrownumpy.within(table.column(column), MAX_ABS_VALUE):
            return False
        for chunk in table.column(column).chunks if column in integral else ():
            values = arrownumpy.numbers(chunk)
            if bool((np.fmod(values[~np.isnan(values)], 1) != 0).any()):
                return False
    return True
