"""Read a clean delimited export with pyarrow and column types, without pandas.

A plain, clean file (UTF-8, header on line 1, one table, ISO dates, plain numbers, judged from
its first lines) is read straight from disk by pyarrow's multi-threaded reader: days (or
timestamps), floats, and the kpi and group columns dictionary-encoded. Anything else, including a
clean-looking file that a later row proves messy, gives None: ``csvread`` reads it as text.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
from roicli.ingest.model import DetectedDict, TypedStream
from roicli.progress_bar import CountingReader, Report, ignore

_SAMPLE_LINES = 1000
_HEAD_BYTES = 1 << 20  # what the clean-file check reads: the sample lines, up to this much
_BLOCK_BYTES = 8 << 20  # pyarrow's parsing unit: fewer, larger chunks for big files
_PART_BYTES = 32 << 20  # parsed at a time (all threads), the next one ahead: memory holds two
_ISO = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
# A number the typed reader takes as it is: "-12", "3.5", "1e-3"; ``core``: its digits and mark.
_PLAIN = re.compile(r"-?(?P<core>[0-9]+(?:\.[0-9]+)?)(?:[eE][-+]?[0-9]+)?")
_LIKE_THOUSANDS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")  # "2.546": 2.546, or 2546 in some locales
_LONG_WHOLE = re.compile(r"[1-9][0-9]{3,}")  # "2546": a column that writes it so groups nothing


def open_typed(
    path: Path, source: Source, lookup: Mapping[str, str], *, report: Report = ignore
) -> TypedStream | None:
    """The file as a stream of typed batches when its first lines show a clean export, else
    None; a later part that proves the file messy ends the stream as failed (``TypedStream``).

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
    detected: DetectedDict = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": header.delimiter,
        "header_row": header.line,
        "reader": "pyarrow",
        "date_format": "ISO 8601",
    }
    # A quoted field may hold a line end, and a lone "\r" ends a line too: such files are not
    # cut into parts at line ends, but read by pyarrow's streaming reader.
    whole_lines = b"\n" in head and b"\r" not in head.replace(b"\r\n", b"")
    options = _options(header, mapped, sample, quoted=b'"' in head, split=whole_lines)
    schema = pa.schema([(name, kind) for name, kind in options.types.items()])
    parts = _arrow_read(path, options, report=report)
    checked = (
        batch if batch is not None and _fits(batch, mapped, sample.integral) else None
        for batch in parts
    )
    return TypedStream(schema, mapped, detected, checked)


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


@dataclass(frozen=True)
class _Options:
    """How pyarrow parses the file: the column types, and its parse and convert options."""

    types: dict[str, pa.DataType]
    parse: pacsv.ParseOptions
    convert: pacsv.ConvertOptions
    split: bool  # whether the file may be cut into parts at line ends


def _options(
    header: Header, mapped: Mapped, sample: _Sample, *, quoted: bool, split: bool
) -> _Options:
    """Column types for pyarrow: days (or timestamps when the sample holds times of day; a
    time on a later row of a file of days sends it to the text reader), floats, and the kpi
    and group labels dictionary-encoded. Quoted newlines are looked for only when the first
    lines hold quotes (it slows reading by half); pyarrow still reads a later one right, or
    fails the read."""
    label = pa.dictionary(pa.int32(), pa.string())
    dates = pa.timestamp("s") if sample.timed else pa.date32()
    types: dict[str, pa.DataType] = {mapped.date: dates}
    types |= {column: pa.float64() for column in mapped.values}
    types |= {name: label for name in (mapped.kpi, mapped.group) if name is not None}
    placeholders = sorted({*PLACEHOLDERS, *(p.upper() for p in PLACEHOLDERS), " --"})
    ordered = {name: types[name] for name in header.names if name in types}
    return _Options(
        types=ordered,
        parse=pacsv.ParseOptions(
            delimiter=header.delimiter, ignore_empty_lines=False, newlines_in_values=quoted
        ),
        convert=pacsv.ConvertOptions(
            column_types=ordered,
            include_columns=list(ordered),
            null_values=placeholders,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
        split=split and not quoted,
    )


def _arrow_read(
    path: Path, options: _Options, *, report: Report
) -> Iterator[pa.RecordBatch | None]:
    """The file's record batches, parsed a part of ``_PART_BYTES`` at a time; None for a part
    that does not parse (the file is then read as text).

    Memory holds one part, not the file. A part ends at a line end, and pyarrow parses it with
    all its threads, the header line put in front; a file whose first lines hold quotes (a
    quoted field may hold a line end) goes through pyarrow's streaming reader instead.
    """
    read_options = pacsv.ReadOptions(block_size=_BLOCK_BYTES)
    try:
        if not options.split:
            with path.open("rb") as handle:
                # Counting bytes for a progress bar makes pyarrow read through Python.
                counted = path if report is ignore else CountingReader(handle, report)
                with pacsv.open_csv(
                    counted,
                    read_options=read_options,
                    parse_options=options.parse,
                    convert_options=options.convert,
                ) as reader:
                    yield from reader
            return

        def parse(part: pa.Buffer) -> pa.Table:
            return pacsv.read_csv(
                pa.BufferReader(part),
                read_options=read_options,
                parse_options=options.parse,
                convert_options=options.convert,
            )

        # The next part is parsed (pyarrow leaves the GIL) while this one is summed.
        with ThreadPoolExecutor(max_workers=1) as ahead:
            pending: Future[pa.Table] | None = None
            for part, whole in _split(path, report):
                if not whole:
                    yield None
                    return
                parsed = ahead.submit(parse, part)
                if pending is not None:
                    yield from pending.result().to_batches()
                pending = parsed
            if pending is not None:
                yield from pending.result().to_batches()
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError):
        yield None


def _split(path: Path, report: Report) -> Iterator[tuple[pa.Buffer, bool]]:
    """The file's lines after the header, a part at a time, each with the header line in front,
    and whether it is whole (False: a full part without a line end, a line that long is for the
    guard to name). Parts start at ``_BLOCK_BYTES`` and double up to ``_PART_BYTES`` (the first
    is summed while the next is parsed), and are never bigger than what is left of the file;
    each is read into its own buffer, copied no further."""
    with path.open("rb") as handle:
        header = handle.readline()
        size = os.fstat(handle.fileno()).st_size
        done = len(header)
        carried = b""
        step = _BLOCK_BYTES
        while True:
            want = min(step, max(size - handle.tell(), 0) + 1)  # + 1: to see the end
            step = min(step * 2, _PART_BYTES)
            start = len(header) + len(carried)
            part = bytearray(start + want)
            part[: len(header)] = header
            part[len(header) : start] = carried
            read = handle.readinto(memoryview(part)[start:])
            if not read:
                break
            end = start + read
            cut = part.rfind(b"\n", len(header), end) + 1
            if not cut:
                if read == want and want >= _BLOCK_BYTES:
                    yield pa.py_buffer(b""), False
                    return
                carried = bytes(part[len(header) : end])
                continue
            carried = bytes(part[cut:end])
            done += cut - len(header)
            report(done)
            yield pa.py_buffer(memoryview(part)[:cut]), True
        if len(carried):
            report(done + len(carried))
            yield pa.py_buffer(header + carried), True


def _fits(batch: pa.RecordBatch, mapped: Mapped, integral: set[str]) -> bool:
    """Whether every row of a batch fits what the sample promised.

    A blank line or a missing date sends the file to the text reader, which tells blank lines
    inside the table from the end of the table. pyarrow reads ``nan``, ``inf`` and ``1e999`` as
    floats: the text reader names those cells as bad values. A column whose sample held only
    whole numbers must hold only whole numbers: a later ``1.500`` could be a thousands
    separator, which only the column-wide detection can tell.
    """
    if batch.column(mapped.date).null_count:
        return False
    for column in mapped.values:
        values = batch.column(column)
        if not arrownumpy.within(pa.chunked_array([values]), MAX_ABS_VALUE):
            return False
        if column in integral:
            found = arrownumpy.numbers(values)
            if bool((np.fmod(found[~np.isnan(found)], 1) != 0).any()):
                return False
    return True
