"""Read a delimited text export (CSV, TSV, semicolon) into a RawTable.

A plain, clean file (UTF-8, header on line 1, one table, ISO dates, plain numbers) is read by
pyarrow with typed columns; anything else is read as text and interpreted column by column later.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from roicli.config import Source
from roicli.enums import Layout
from roicli.errors import DataError, Location
from roicli.ingest.columns import Mapped, map_columns, unique_names, wanted
from roicli.ingest.detect import Header, decode, find_header, guess_header, table_end
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import DetectedDict, RawTable
from roicli.ingest.numbers import PLACEHOLDERS, decide_decimal, has_marks, is_plain, number_parts

_SAMPLE_LINES = 1000
_ISO = "[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
_EXTRA_FIELDS = re.compile(r"saw (\d+)")


def read_csv(path: Path, data: bytes, source: Source, lookup: Mapping[str, str]) -> RawTable:
    """Find the table holding the mapped columns and read it."""
    text, encoding = _decode(path, data, source.encoding)
    header = _header(text, source, lookup)
    if header is None:
        raise _no_header(path, text, source, lookup)
    mapped = map_columns(header.names, source, lookup, path=path, header_at=f"line {header.line}")
    end = table_end(text, header)
    detected: DetectedDict = {
        "format": "csv",
        "encoding": encoding,
        "delimiter": header.delimiter,
        "header_row": header.line,
    }
    integral = _clean_sample(text, header, end, mapped, source, encoding)
    if integral is not None:
        typed = _typed_read(data, header, mapped, integral)
        if typed is not None:
            rows = np.arange(header.line + 1, header.line + 1 + len(typed), dtype=np.int64)
            fast: DetectedDict = {
                "reader": "pyarrow",
                "date_format": "ISO 8601",
            }
            return RawTable(typed, rows, mapped, detected | fast, None, None)
    frame, rows, overflow = _text_read(path, text[header.offset : end], header)
    return RawTable(
        frame, rows, mapped, detected | {"reader": "pandas"}, overflow, header.start_date
    )


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
    except UnicodeDecodeError as exc:
        raise DataError(
            f"the file is not valid {encoding} (byte {exc.start})",
            location=Location(path),
            fix="remove the encoding setting to detect it, or set the right one",
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
    if not encoding.startswith("utf-8") or header.line != 1 or end != len(text):
        return None
    if source.decimal not in (None, ".") or source.thousands is not None:
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


def _typed_read(
    data: bytes, header: Header, mapped: Mapped, integral: set[str]
) -> pd.DataFrame | None:
    """Read with pyarrow and column types; None when a value does not fit (read as text then).

    A column whose sample held only whole numbers must hold only whole numbers: a later
    ``1.500`` could be a thousands separator, which only the column-wide detection can tell.
    """
    types: dict[str, pa.DataType] = {mapped.date: pa.timestamp("ns")}
    types |= {column: pa.float64() for column in mapped.values}
    types |= {name: pa.string() for name in (mapped.kpi, mapped.group) if name is not None}
    placeholders = sorted({*PLACEHOLDERS, *(p.upper() for p in PLACEHOLDERS), " --"})
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            parse_options=pacsv.ParseOptions(
                delimiter=header.delimiter,
                ignore_empty_lines=False,
                newlines_in_values=b'"' in data,
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
    frame: pd.DataFrame = table.to_pandas()
    if any((frame[column].dropna() % 1 != 0).any() for column in integral):
        return None
    for name in (mapped.kpi, mapped.group):
        if name is not None:
            frame[name] = frame[name].astype("str")
    return frame


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
            break
        except pd.errors.ParserError as exc:
            match = _EXTRA_FIELDS.search(str(exc))
            if match is None or int(match.group(1)) <= len(names):
                raise DataError(
                    f"cannot split the file into fields: {exc}",
                    location=Location(path),
                    fix="check the delimiter and the quotes",
                ) from None
            names = [*names, *(f"\0extra{i}" for i in range(len(names), int(match.group(1))))]
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
