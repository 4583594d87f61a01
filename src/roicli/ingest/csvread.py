"""Read a delimited text export (CSV, TSV, semicolon) into a RawTable.

A plain, clean file (UTF-8, header on line 1, one table, ISO dates, plain numbers, judged from
its first lines) is read straight from disk by pyarrow with typed columns: timestamps, floats,
and the kpi and group columns dictionary-encoded. Anything else, including a clean-looking file
that a later row proves messy, is read as text and interpreted column by column later.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from roicli.config import Source
from roicli.enums import Layout
from roicli.errors import DataError, Location
from roicli.ingest.arrowframe import to_frame
from roicli.ingest.columns import Mapped, map_columns, unique_names, wanted
from roicli.ingest.detect import Header, decode, find_header, guess_header, table_end
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import DetectedDict, RawTable
from roicli.ingest.numbers import (
    MAX_ABS_VALUE,
    PLACEHOLDERS,
    decide_decimal,
    has_marks,
    is_plain,
    number_parts,
)
from roicli.progress_bar import CountingReader, Report, ignore

_SAMPLE_LINES = 1000
_HEAD_BYTES = 1 << 20  # what the clean-file check reads: the sample lines, up to this much
_BLOCK_BYTES = 8 << 20  # pyarrow's parsing unit: fewer, larger chunks for big files
_ISO = "[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
_EXTRA_FIELDS = re.compile(r"line (\d+), saw (\d+)")
_MIN_EXTRA = 8  # fields a row may have beyond the header's (at least; else as many as it has)


def read_csv(
    path: Path,
    source: Source,
    lookup: Mapping[str, str],
    *,
    report: Report = ignore,
    checked: Callable[[], object] = lambda: None,
) -> RawTable:
    """Find the table holding the mapped columns and read it.

    ``report`` is told the bytes read so far. ``checked`` waits for the file's byte-level guard
    (see ``guards.check_text``), which may run meanwhile on another thread: the typed read only
    looks at the first megabyte before handing the file to pyarrow, whose blocks bound a line's
    length, so it may start before the guard is done; the text reader may not.
    """
    typed = _typed_read(path, source, lookup, report)
    checked()
    if typed is not None:
        return typed
    data = path.read_bytes()
    text, encoding = _decode(path, data, source.encoding)
    header = _header(text, source, lookup)
    if header is None:
        raise _no_header(path, text, source, lookup)
    mapped = map_columns(header.names, source, lookup, path=path, header_at=f"line {header.line}")
    end = table_end(text, header)
    frame, rows, overflow = _text_read(path, text[header.offset : end], header)
    detected: DetectedDict = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": header.delimiter,
        "header_row": header.line,
        "reader": "pandas",
    }
    return RawTable(frame, rows, mapped, detected, overflow, header.start_date)


def _typed_read(
    path: Path, source: Source, lookup: Mapping[str, str], report: Report
) -> RawTable | None:
    """The file read by pyarrow when its first lines show a clean export, else None."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        whole = not handle.read(1)
    if not whole:
        head = head[: head.rfind(b"\n") + 1]  # whole lines only: no character cut in two
    try:
        text, encoding = decode(head, source.encoding)
    except (LookupError, UnicodeDecodeError):
        return None  # the text reader names the problem
    header = _header(text, source, lookup)
    if header is None or header.line != 1:
        return None
    try:
        mapped = map_columns(header.names, source, lookup, path=path, header_at="line 1")
    except DataError:
        return None
    integral = _clean_sample(text, header, table_end(text, header), mapped, source, encoding)
    if integral is None:
        return None
    frame = _arrow_read(path, header, mapped, integral, quoted=b'"' in head, report=report)
    if frame is None:
        return None
    rows = np.arange(header.line + 1, header.line + 1 + len(frame), dtype=np.int64)
    detected: DetectedDict = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": header.delimiter,
        "header_row": header.line,
        "reader": "pyarrow",
        "date_format": "ISO 8601",
    }
    return RawTable(frame, rows, mapped, detected, None, None)


def _header(text: str, source: Source, lookup: Mapping[str, str]) -> Header | None:
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


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    try:
        return decode(data, encoding)
    except LookupError:
        raise DataError(
            f"unknown encoding {encoding!r}",
            location=Location(path),
            fix='set encoding to a Python codec name such as "utf-8" or "cp1252"',
        ) from None
    except UnicodeDecodeError as exc:  # a set encoding, or a byte-order mark, that does not fit
        raise DataError(
            f"the file is not valid {exc.encoding} (byte {exc.start})",
            location=Location(path),
            fix="remove the encoding setting to detect it, or set the right one"
            if encoding
            else "it starts with a byte-order mark: save it again as UTF-8",
        ) from None


def _no_header(path: Path, text: str, source: Source, lookup: Mapping[str, str]) -> DataError:
    guess = guess_header(
        text, wanted(source), delimiter=source.delimiter, skip_rows=source.skip_rows
    )
    names: Sequence[str] = guess.names if guess else ()
    header_at = f"line {guess.line}" if guess else None
    map_columns(names, source, lookup, path=path, header_at=header_at)  # raises for a missing one
    asked = ", ".join(repr(name) for name in wanted(source))
    return DataError(
        f"no line holds all the mapped columns ({asked}) split by {source.delimiter!r}",
        location=Location(path),
        fix="check the delimiter setting, or remove it to detect the separator",
    )


def _clean_sample(
    text: str, header: Header, end: int, mapped: Mapped, source: Source, encoding: str
) -> set[str] | None:
    """Whether the file's first rows fit a typed read (see the module docstring).

    None when they do not; else the value columns whose sample holds only whole numbers.
    """
    if not encoding.startswith("utf-8") or end != len(text):
        return None
    if source.decimal not in (None, ".") or source.thousands is not None:
        return None
    if source.layout is Layout.WIDE and not mapped.values:
        return None
    cut = header.offset
    for _ in range(_SAMPLE_LINES + 1):
        cut = text.find("\n", cut + 1)
        if cut < 0:
            cut = len(text)
            break
    try:
        sample, _, _ = _text_read(Path(), text[header.offset : cut], header)
    except DataError:
        return None
    dates = sample[mapped.date].str.strip()
    if not (dates.eq("") | dates.str.fullmatch(_ISO)).all():
        return None
    integral = set()
    for column in mapped.values:
        cells = sample[column].str.strip()
        cells = cells.where(~cells.str.lower().isin(PLACEHOLDERS))
        if not is_plain(cells).all():
            return None
        core = number_parts(cells).core
        if not has_marks(core):
            integral.add(column)
        elif decide_decimal(core) != ".":
            return None
    return integral


def _arrow_read(
    path: Path,
    header: Header,
    mapped: Mapped,
    integral: set[str],
    *,
    quoted: bool,
    report: Report,
) -> pd.DataFrame | None:
    """Read with pyarrow and column types; None when a row does not fit (read as text then).

    A blank line or a missing date also sends the file to the text reader, which tells blank
    lines inside the table from the end of the table. A column whose sample held only whole
    numbers must hold only whole numbers: a later ``1.500`` could be a thousands separator,
    which only the column-wide detection can tell. Quoted newlines are looked for only when the
    first lines hold quotes (it slows reading by half); pyarrow still reads a later one right,
    or fails the read.
    """
    label = pa.dictionary(pa.int32(), pa.string())
    types: dict[str, pa.DataType] = {mapped.date: pa.timestamp("ns")}
    types |= {column: pa.float64() for column in mapped.values}
    types |= {name: label for name in (mapped.kpi, mapped.group) if name is not None}
    placeholders = sorted({*PLACEHOLDERS, *(p.upper() for p in PLACEHOLDERS), " --"})
    try:
        with path.open("rb") as handle:
            # Counting bytes for a progress bar makes pyarrow read through Python: only then.
            counted = path if report is ignore else CountingReader(handle, report)
            frame = to_frame(
                _in_range(
                    pacsv.read_csv(
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
                    ),
                    mapped.values,
                )
            )
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError):
        return None
    if frame[mapped.date].isna().any():
        return None
    if any((frame[column].dropna() % 1 != 0).any() for column in integral):
        return None
    return frame


def _in_range(table: pa.Table, columns: Iterable[str]) -> pa.Table:
    """The table as read, unless a value column holds NaN, an infinity or a huge number.

    pyarrow reads ``nan``, ``inf`` and ``1e999`` as floats; raising sends the file to the text
    reader, which names those cells as bad values.
    """
    for name in columns:
        column = table.column(name)
        low, high = pc.min_max(column).values()  # no array the size of the column is made
        big = low.is_valid and max(-low.as_py(), high.as_py()) > MAX_ABS_VALUE
        if big or pc.any(pc.is_nan(column)).as_py():
            raise pa.ArrowInvalid(f"column {name!r} holds a value out of range")
    return table


def _text_read(
    path: Path, region: str, header: Header
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], pd.Series]:
    """Every cell as text; row numbers as the user sees them; rows with too many fields."""
    names = unique_names(header.names)
    width = len(names)
    while True:
        try:
            frame = pd.read_csv(
                io.StringIO(region),
                sep=header.delimiter,
                header=None,
                skiprows=1,
                names=names,
                dtype="str",
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
            )
        except pd.errors.ParserError as exc:
            match = _EXTRA_FIELDS.search(str(exc))
            if match is None or int(match.group(2)) <= len(names):
                raise DataError(
                    f"cannot split the file into fields: {exc}",
                    location=Location(path),
                    fix="check the delimiter and the quotes",
                ) from None
            line, seen = int(match.group(1)), int(match.group(2))
        else:
            if isinstance(frame.index, pd.RangeIndex):
                break
            # A first row wider than the header: pandas took its extra fields as an index.
            line, seen = 2, len(names) + frame.index.nlevels
        # Every row gets the widest row's fields: one stray wide line must not blow up memory.
        if seen > width + max(width, _MIN_EXTRA):
            raise DataError(
                f"line {header.line + line - 1} has {seen:,} fields, far more than the "
                f"{width} of the header on line {header.line}",
                location=Location(path),
                fix="check the delimiter and the quotes, or remove that line",
            )
        names = [*names, *(f"\0extra{i}" for i in range(len(names), seen))]
    frame = frame.fillna("")
    extra = frame[names[width:]]
    overflow = (extra != "").any(axis=1) if width < len(names) else pd.Series(False, frame.index)
    frame = frame[names[:width]]
    newlines = np.zeros(len(frame), dtype=np.int64)
    if '"' in region and "\n" in region:
        for column in frame.columns:
            newlines += frame[column].str.count("\n").to_numpy(dtype=np.int64)
    before = np.concatenate([[0], np.cumsum(newlines)[:-1]]) if len(frame) else newlines
    rows = header.line + 1 + np.arange(len(frame), dtype=np.int64) + before
    return frame, rows, overflow
