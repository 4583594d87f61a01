"""Read a delimited text export (CSV, TSV, semicolon) into a RawTable of text cells.

The general reader: any encoding, preamble, stacked tables, quoted line breaks, rows wider than
the header. Cells are interpreted column by column later (``normalise``); clean exports are read
faster by ``csvtyped``.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from roicli.config import Source
from roicli.errors import DataError, Location
from roicli.ingest.columns import map_columns, unique_names, wanted
from roicli.ingest.csvtyped import table_header
from roicli.ingest.detect import Header, decode, guess_header, table_end
from roicli.ingest.model import DetectedDict, RawTable
from roicli.ingest.stacked import next_header

_EXTRA_FIELDS = re.compile(r"line (\d+), saw (\d+)")
_MIN_EXTRA = 8  # fields a row may have beyond the header's (at least; else as many as it has)


def read_csv(path: Path, data: bytes, source: Source, lookup: Mapping[str, str]) -> RawTable:
    """Find the table holding the mapped columns in the file's bytes ``data`` and read every
    cell of it as text.

    The file must have passed its byte-level guard (``guards.check_text``) first; text in an
    encoding that writes NUL bytes (UTF-16, UTF-32) is checked for NULs once decoded.
    """
    text, encoding = _decode(path, data, source.encoding)
    nul = text.find("\0")
    if nul >= 0:
        raise DataError(
            f"this is a binary file, not a text export (a NUL character at character {nul})",
            location=Location(path),
            fix="point the source at the CSV export, or re-export it as CSV",
        )
    header = table_header(text, source, lookup)
    if header is None:
        raise _no_header(path, text, source, lookup)
    tables = []
    while header is not None:  # every stacked table that holds the mapped columns
        at = f"line {header.line}"
        mapped = map_columns(header.names, source, lookup, path=path, header_at=at)
        end = table_end(text, header)
        frame, rows, overflow = _text_read(path, text[header.offset : end], header)
        detected: DetectedDict = {
            "format": "csv",
            "encoding": encoding,
            "delimiter": header.delimiter,
            "header_row": header.line,
            "reader": "pandas",
        }
        tables.append(RawTable(frame, rows, mapped, detected, overflow, header.start_date))
        header = next_header(text, end, source, lookup)
    return dataclasses.replace(tables[0], stacked=tuple(tables[1:]))


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
